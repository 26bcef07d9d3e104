# Diddy-Mesh: the two commands a newcomer needs are `make run` and `make test`.
SWIFT ?= swift
BIN := .build/debug/diddy-mesh
# A target that imports a module its Package.swift entry does not list fails the build
# (docs/architecture.md, "Dependencies").
BUILD_FLAGS := --explicit-target-dependency-import-check=error
# Benchmarks measure the binary users install: optimized, with the Swift runtime and
# Foundation linked in statically, which halves start-up (docs/benchmarks.md, "Scale").
# lld packs the 3 MB of relocations a position-independent static binary has into 25 KB
# (RELR, glibc 2.36 and later), and the symbols are not exported (nothing loads a plugin
# or looks one up): the loader touches neither, which takes 7 MiB off every process.
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -use-ld=lld \
	-Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic

.PHONY: run test build release test-swift test-e2e bench bench-lsp bench-scale bench-edge schema docs fuzz format lint wasm-check wasm test-edge test-engine clean

## Installs json-c if missing, builds, and checks the example mesh (no account, no network).
run: build
	$(BIN) check examples/shop
	@echo
	@echo "Now try the broken example to see every kind of finding:"
	@echo "  $(BIN) check examples/broken"

build:
	./scripts/bootstrap.sh
	$(SWIFT) build $(BUILD_FLAGS) --product diddy-mesh

## Builds the binary to install: .build/release/diddy-mesh (docs/guide/install.md).
release:
	./scripts/bootstrap.sh
	$(SWIFT) build $(RELEASE_FLAGS) --product diddy-mesh

## Builds and runs every test: Swift unit tests, then the end-to-end tests against the binary.
## The Swift tests run one at a time: several measure deadlines, which a 2-core machine's
## shared task pool, busy with other suites' CPU-heavy property tests, would otherwise miss.
test:
	./scripts/bootstrap.sh --with-test-tools
	$(SWIFT) build $(BUILD_FLAGS) --build-tests
	$(SWIFT) test --skip-build --no-parallel
	$(MAKE) test-e2e

test-e2e:
	DIDDY_MESH_BIN=$(CURDIR)/$(BIN) python3 -m pytest Tests/e2e -q

## Prints parse/check figures against json-c and JSON Schema validators (release build).
bench:
	./scripts/bootstrap.sh --with-test-tools
	$(SWIFT) build $(RELEASE_FLAGS) --product diddy-mesh
	$(SWIFT) build $(RELEASE_FLAGS) --product diddy-mesh-bench
	.build/release/diddy-mesh-bench --size-mb 1 --size-mb 10
	$(MAKE) bench-scale
	$(MAKE) bench-lsp

## Prints whole-process figures at scale (issue 14): check of 2 MB against jsonschema-rs and
## check-jsonschema, start-up against a static C program, 2,000 errors on one line, shadowing.
bench-scale:
	python3 -m pip install -q --disable-pip-version-check -r Benchmarks/scale/requirements.txt 2>&1 \
	  | grep -v "Running pip as the 'root' user" || true
	$(SWIFT) build $(RELEASE_FLAGS) --product diddy-mesh
	python3 Benchmarks/scale/scale_bench.py --server .build/release/diddy-mesh

## Prints language-server figures (issue 5): ours against the VS Code JSON server and tombi.
bench-lsp:
	python3 -m pip install -q --disable-pip-version-check -r Benchmarks/lsp/requirements.txt 2>&1 \
	  | grep -v "Running pip as the 'root' user" || true
	$(SWIFT) build $(RELEASE_FLAGS) --product diddy-mesh
	python3 Benchmarks/lsp/lsp_bench.py --server .build/release/diddy-mesh

## Prints the edge router's figures (issue 16; docs/edge.md): the wasm module's size, compile and
## instantiate, mesh_load and mesh_route p50/p99 (module only and end to end) on the shop, 10
## and 10,000 rules, and its linear memory, beside the native router (release diddy-mesh-bench) on
## the same configs and requests. It times the module `make wasm` built and does not rebuild it
## (that also runs every edge test), so it is not part of `make bench`: run `make wasm` first.
BENCH_EDGE_ARGS ?=
bench-edge:
	@test -f .build/wasm/diddy-mesh-router.wasm \
	  || { echo "bench-edge: .build/wasm/diddy-mesh-router.wasm is missing: run make wasm first" >&2; exit 2; }
	./scripts/bootstrap.sh
	$(SWIFT) build $(RELEASE_FLAGS) --product diddy-mesh-bench
	node Benchmarks/edge/bench_edge.mjs --native .build/release/diddy-mesh-bench $(BENCH_EDGE_ARGS)

## Regenerates schemas/diddy-mesh.schema.json from the schema description.
schema: build
	$(BIN) schema > schemas/diddy-mesh.schema.json

## Regenerates docs/guide/config-reference.md from the same schema description.
docs: build
	$(BIN) schema --format markdown > docs/guide/config-reference.md

## Fuzzes the language server's framing and dispatch with libFuzzer for FUZZ_SECONDS
## (default 60) on a copy of Fuzz/corpus; see scripts/fuzz.sh.
FUZZ_SECONDS ?= 60
fuzz:
	./scripts/fuzz.sh $(FUZZ_SECONDS)

## Formats every Swift file in place with the toolchain's swift-format (.swift-format).
format:
	swift-format format --in-place --recursive --parallel Sources Tests Benchmarks Fuzz Plugins edge Package.swift

## Fails on a formatting difference, a swift-format rule, or a line over 120 columns.
lint:
	./scripts/lint.sh

## Compiles MeshSyntax, MeshConfig and MeshRouter as Embedded Swift for wasm32 into
## .build/wasm/modules, failing on any error or warning (issue 16; scripts/wasm-check.sh).
wasm-check:
	./scripts/wasm-check.sh

## Links those modules, edge/router/*.swift (the byte ABI of edge/README.md) and the C runtime
## edge/runtime/runtime.c into .build/wasm/diddy-mesh-router.wasm, runs it under Node and
## WasmKit, and runs the edge tests: the ABI's contract, parity with the CLI binary when there
## is one, and the Worker of edge/worker against loopback upstreams (scripts/wasm-build.sh);
## then `route --engine wasm` against the native router. The CLI is built first: the module
## loads route plans, which the tests compile with it (docs/edge.md, "The route plan").
wasm: build
	./scripts/wasm-build.sh
	$(MAKE) test-engine

## `diddy-mesh route --engine wasm` (the module on WasmKit, in the CLI) against the native
## router, once the module is built: the Swift tests of the real module when `make test` has
## built them, Tests/e2e/test_route_engine.py, which skips its comparisons without the module
## (CI runs `make test` before `make wasm`), and the `needs=wasm` examples of routing.md.
## Without a CLI binary it says so and passes.
test-engine:
	@if [ ! -x $(BIN) ]; then echo "test-engine: no $(BIN) to run; make build first"; exit 0; fi; \
	if [ -e .build/debug/diddy-meshPackageTests.xctest ]; then \
	  $(SWIFT) test --skip-build --filter EdgeRouterModuleTests || exit 1; \
	fi; \
	DIDDY_MESH_BIN=$(CURDIR)/$(BIN) python3 -m pytest Tests/e2e/test_route_engine.py -q \
	  "Tests/e2e/test_docs.py::test_console_output_is_what_the_commands_print[docs/guide/routing.md]"

## Runs the edge tests again on the module `make wasm` built (Node 20, no packages): the ABI,
## parity (DIDDY_MESH_BIN names the CLI it compares with) and the Worker (edge/tests/worker-*).
test-edge:
	node --test --test-reporter=spec edge/tests/

clean:
	rm -rf .build
