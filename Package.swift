// swift-tools-version: 6.0
// The Diddy-Mesh package. Dependencies point one way (docs/architecture.md):
// MeshSyntax <- MeshConfig <- MeshRouter <- MeshRegistry <- MeshLanguageServer <- MeshCommands,
// with WireJSON (json-c values) beside them, MeshWire (router values as wire JSON) above the
// router, and MeshEdgeHost (the edge router's .wasm on WasmKit) above it too, for the commands
// alone. Every target lists each module it imports, and MemberImportVisibility (set for every
// target at the end of this file) makes an import that is not declared fail the build.
import PackageDescription

let package = Package(
    name: "diddy-mesh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "diddy-mesh", targets: ["diddy-mesh"]),
        .library(name: "MeshSyntax", targets: ["MeshSyntax"]),
        .library(name: "MeshConfig", targets: ["MeshConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        // 0.x releases change their API between minor versions, so only patches are taken.
        .package(url: "https://github.com/swiftwasm/WasmKit", .upToNextMinor(from: "0.4.2")),
    ],
    targets: [
        // MARK: CJSONC — the system json-c library (Debian: libjson-c-dev).
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),

        // MARK: MeshTestSupport — what the test targets share: position markers, golden files,
        // edit application, recording fakes, a fake edge router module, the paths of fixtures and
        // of ../shared.
        .target(
            name: "MeshTestSupport",
            dependencies: [
                "MeshLanguageServer",
                "MeshRegistry",
                "MeshSyntax",
                "WireJSON",
                .product(name: "WAT", package: "WasmKit"),
            ],
            path: "Tests/MeshTestSupport"
        ),

        // MARK: WireJSON — json-c backed JSON values for wire traffic and machine output.
        .target(
            name: "WireJSON",
            dependencies: [
                "CJSONC"
            ]
        ),
        .testTarget(
            name: "WireJSONTests",
            dependencies: [
                "MeshTestSupport",
                "WireJSON",
            ]
        ),

        // MARK: MeshSyntax — source text, line index, JSONC lexer and recovering parser.
        .target(
            name: "MeshSyntax"
        ),
        .testTarget(
            name: "MeshSyntaxTests",
            dependencies: [
                "MeshTestSupport",
                "MeshSyntax",
                "WireJSON",
            ],
            resources: [
                .copy("Fixtures")
            ]
        ),

        // MARK: MeshConfig — schema description, typed model, semantic checks.
        .target(
            name: "MeshConfig",
            dependencies: [
                "MeshSyntax"
            ]
        ),
        .testTarget(
            name: "MeshConfigTests",
            dependencies: [
                "MeshTestSupport",
                "MeshConfig",
                "MeshSyntax",
            ],
            resources: [
                .copy("Fixtures")
            ]
        ),

        // MARK: MeshRouter — the one routing resolver: matching, shadowing, target selection.
        .target(
            name: "MeshRouter",
            dependencies: [
                "MeshConfig",
                "MeshSyntax",
            ]
        ),
        .testTarget(
            name: "MeshRouterTests",
            dependencies: [
                "MeshTestSupport",
                "MeshConfig",
                "MeshRouter",
                "MeshSyntax",
            ],
            resources: [
                .copy("Fixtures")
            ]
        ),

        // MARK: MeshWire — router values as wire JSON (the decision trace), for the CLI and the server.
        .target(
            name: "MeshWire",
            dependencies: [
                "MeshRouter",
                "MeshSyntax",
                "WireJSON",
            ]
        ),

        // MARK: MeshEdgeHost — runs the edge router's .wasm (edge/README.md) on WasmKit, so that
        // `diddy-mesh route --engine wasm` previews with the artifact that is deployed. Only
        // MeshCommands uses it: nothing under the router may depend on an interpreter.
        .target(
            name: "MeshEdgeHost",
            dependencies: [
                "MeshRouter",
                "MeshSyntax",
                .product(name: "WasmKit", package: "WasmKit"),
            ]
        ),
        .testTarget(
            name: "MeshEdgeHostTests",
            dependencies: [
                "MeshTestSupport",
                "MeshConfig",
                "MeshEdgeHost",
                "MeshRouter",
                "MeshSyntax",
                .product(name: "WAT", package: "WasmKit"),
            ]
        ),

        // MARK: MeshRegistry — Workers KV backends, registry records, wrangler discovery, health prober.
        .target(
            name: "MeshRegistry",
            dependencies: [
                "MeshConfig",
                "MeshRouter",
                "MeshSyntax",
                "WireJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MeshRegistryTests",
            dependencies: [
                "MeshTestSupport",
                "MeshConfig",
                "MeshRegistry",
                "MeshRouter",
                "MeshSyntax",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [
                .copy("Fixtures")
            ]
        ),

        // MARK: MeshLanguageServer — LSP over stdio: framing, dispatch, one file per handler.
        .target(
            name: "MeshLanguageServer",
            dependencies: [
                "MeshConfig",
                "MeshRegistry",
                "MeshRouter",
                "MeshSyntax",
                "MeshWire",
                "WireJSON",
            ]
        ),
        .testTarget(
            name: "MeshLanguageServerTests",
            dependencies: [
                "MeshTestSupport",
                "MeshConfig",
                "MeshLanguageServer",
                "MeshRegistry",
                "MeshRouter",
                "MeshSyntax",
                "WireJSON",
            ],
            resources: [
                .copy("Fixtures")
            ]
        ),

        // MARK: MeshCommands — the CLI commands and their output formats. It starts the language
        // server for `diddy-mesh lsp` and uses nothing else of it.
        .target(
            name: "MeshCommands",
            dependencies: [
                "MeshConfig",
                "MeshEdgeHost",
                "MeshLanguageServer",
                "MeshRegistry",
                "MeshRouter",
                "MeshSyntax",
                "MeshWire",
                "WireJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildInfoPlugin"]
        ),

        // MARK: BuildInfoPlugin — the commit and build date of `--version`, from
        // scripts/build-info.sh before every build (docs/guide/install.md).
        .plugin(
            name: "BuildInfoPlugin",
            capability: .buildTool()
        ),
        .testTarget(
            name: "MeshCommandsTests",
            dependencies: [
                "MeshTestSupport",
                "MeshCommands",
                "MeshConfig",
                "MeshRegistry",
                "MeshRouter",
                "MeshSyntax",
                "WireJSON",
            ],
            resources: [
                .copy("Fixtures")
            ]
        ),

        // MARK: diddy-mesh — the thin executable.
        .executableTarget(
            name: "diddy-mesh",
            dependencies: [
                "CAllocatorTuning",
                "MeshCommands",
            ]
        ),

        // MARK: CAllocatorTuning — glibc's allocator set for a short batch run before the
        // process's Swift code starts (the executable's alone; docs/benchmarks.md, "Scale").
        .target(name: "CAllocatorTuning"),

        // MARK: Benchmarks — figures printed against peers in the same run.
        .executableTarget(
            name: "diddy-mesh-bench",
            dependencies: [
                "CJSONC",
                "MeshConfig",
                "MeshRegistry",
                "MeshRouter",
                "MeshSyntax",
            ],
            path: "Benchmarks/diddy-mesh-bench"
        ),

        // MARK: Fuzzing — the language server's framing + dispatch under libFuzzer
        // (scripts/fuzz.sh); the plain build is the corpus replay runner `make test` uses.
        .executableTarget(
            name: "diddy-mesh-fuzz",
            dependencies: [
                "MeshLanguageServer",
                "WireJSON",
            ],
            path: "Fuzz/diddy-mesh-fuzz",
            swiftSettings: [
                // `@_extern(c)` declares libFuzzer's driver in the fuzz build.
                .enableExperimentalFeature("Extern")
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// An import that Package.swift does not declare fails the build instead of leaking in
// through another module, so the dependency lists above stay the real ones.
for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
