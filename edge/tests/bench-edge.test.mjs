// The edge benchmark (Benchmarks/edge, `make bench-edge`, docs/edge.md) against the built
// module: its reading of the wasm binary, its configs and requests (every one must route, or
// its figures would time refusals), one quick run of the driver that must print every figure,
// and the native side (diddy-mesh-bench --edge-configs) reading the files the driver writes,
// when a build of it is there (`make test` builds .build/debug/diddy-mesh-bench).
//
// Environment: DIDDY_MESH_WASM (the module), DIDDY_MESH_BENCH (the native bench; default the
// newer of .build/release/diddy-mesh-bench and .build/debug/diddy-mesh-bench).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import {
  configWithRules, SHOP_READS_HEADERS, shopRequests, TABLE_READS_HEADERS, tableRequests,
} from "../../Benchmarks/edge/workloads.mjs";
import {
  customSections, moduleOf, sections, sizeByModule, stackSize, withCustomSection, withFunctionNames,
  withoutCustomSections,
} from "../../Benchmarks/edge/wasm-sections.mjs";
import { gzipShares, gzipShareThrough } from "../../Benchmarks/edge/gzip_shares.mjs";
import { requestFields } from "../worker/request-fields.mjs";
import { WasmRouter } from "./wasm-router.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const modulePath = process.env.DIDDY_MESH_WASM ?? join(root, ".build/wasm/diddy-mesh-router.wasm");
const namedModulePath = modulePath.replace(/\.wasm$/, ".named.wasm");
const skip = existsSync(modulePath) ? false : `${modulePath} is missing (make wasm builds it)`;
if (skip) console.log(`# skipped: ${skip}`);

/** The native bench: DIDDY_MESH_BENCH, else the most recently built of the two usual places. */
function nativeBench() {
  if (process.env.DIDDY_MESH_BENCH) return process.env.DIDDY_MESH_BENCH;
  const candidates = [".build/release/diddy-mesh-bench", ".build/debug/diddy-mesh-bench"]
    .map((path) => join(root, path)).filter((path) => existsSync(path));
  candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0] ?? null;
}

test("the module's sections: no names deployed, names in the copy beside it, code by Swift module, the stack",
  { skip }, () => {
    const bytes = readFileSync(modulePath);
    // `make wasm` runs wasm-opt when it is installed (CI installs it); without it the module
    // keeps the linker's names and no named copy is written.
    const namedPath = modulePath.replace(/\.wasm$/, ".named.wasm");
    const optimized = existsSync(namedPath);
    const named = optimized ? readFileSync(namedPath) : bytes;
    if (optimized) {
      // Only the features the code uses, for tools that read it; no names, no producers.
      assert.deepStrictEqual(customSections(bytes).map((section) => section.name), ["target_features"]);
      assert.deepStrictEqual(customSections(named).map((section) => section.name), ["target_features", "name"]);
      assert.ok(Buffer.compare(withoutCustomSections(named), withoutCustomSections(bytes)) === 0,
        "the named copy has the module's code");
      // Each function is named, by the symbol map the build wrote (`index:name` lines).
      const symbols = readFileSync(modulePath.replace(/\.wasm$/, ".symbols"), "utf8").trim().split("\n");
      const code = sections(bytes).find((section) => section.id === 10);
      assert.equal(symbols.length, sizeByModule(named).functions.length);
      assert.ok(symbols.length > 100 && code.end > code.payload);
    }

    const stripped = withoutCustomSections(named);
    assert.ok(WebAssembly.validate(stripped));
    assert.deepStrictEqual(customSections(stripped), []);
    assert.equal(stripped.length, named.length - customSections(named).reduce((sum, section) => sum + section.size, 0));

    const marked = withCustomSection(bytes, "bench-nonce", "1");
    assert.ok(WebAssembly.validate(marked));
    assert.deepStrictEqual(customSections(marked).at(-1), { name: "bench-nonce", size: 1 + 1 + 11 + 1 + 1 });

    const modules = sizeByModule(named);
    const code = sections(named).find((section) => section.id === 10);
    const bodies = modules.functions.reduce((sum, entry) => sum + entry.size, 0);
    // The section is the function count and the bodies, each with its length.
    assert.ok(bodies < code.end - code.payload && bodies > (code.end - code.payload) * 0.99);
    const byName = Object.fromEntries(modules.byModule);
    for (const module of ["MeshSyntax", "MeshConfig", "MeshRouter", "MeshEdge"]) assert.ok(byName[module] > 0, module);
    assert.equal(sizeByModule(stripped), null, "no name section, no names");
    // scripts/wasm-build.sh reserves 64 KiB of stack ahead of the data (-z stack-size=65536).
    assert.equal(stackSize(bytes), 65536);
  });

test("a symbol map becomes a name section, in index order, each function once", () => {
  // The smallest module: the header alone, no sections.
  const empty = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const named = withFunctionNames(empty, "1:second\n0:first\n\n2:with:colon\n");
  assert.deepStrictEqual(customSections(named), [{ name: "name", size: 1 + 1 + 5 + 1 + 1 + 1 + 7 + 8 + 12 }]);
  const payload = [...named.subarray(empty.length + 2 + 5)];
  assert.deepStrictEqual(payload.slice(0, 3), [1, 28, 3], "function names, 28 bytes, three of them");
  assert.equal(Buffer.from(payload.slice(3)).toString("latin1"), "\x00\x05first\x01\x06second\x02\x0awith:colon");
  assert.throws(() => withFunctionNames(empty, "0:a\n0:b"), /function 0 is named twice/);
  assert.throws(() => withFunctionNames(empty, "x:a"), /not a symbol map line/);
});

test("gzip shares: each export's own functions, what leaving them out of the gzipped code saves", () => {
  const body = (text) => Buffer.from(text.repeat(40));
  const functions = [
    { name: "mesh_a", body: body("a") }, { name: "mesh_b", body: body("b") },
    { name: "shared", body: body("shared") }, { name: "only_b", body: body("the code only b reaches, 0123456789") },
    { name: "through_the_table", body: body("t") },
  ];
  const callees = new Map([["mesh_a", new Set(["shared"])], ["mesh_b", new Set(["shared", "only_b"])]]);
  const shares = gzipShares(functions, callees);
  assert.equal(shares.code, gzipSync(Buffer.concat(functions.map((entry) => entry.body)), { level: 9 }).length);
  const byName = Object.fromEntries(shares.exports.map((row) => [row.name, row]));
  assert.deepStrictEqual(shares.exports.map((row) => row.name), ["mesh_b", "mesh_a"], "largest saving first");
  assert.equal(byName.mesh_a.own, 1, "mesh_a alone: shared is reached by both, the table's function by neither");
  assert.equal(byName.mesh_b.own, 2);
  assert.ok(byName.mesh_b.saving > byName.mesh_a.saving && byName.mesh_a.saving > 0);
});

test("gzip share through a step: what only the matching functions reach goes with them", () => {
  const body = (text) => Buffer.from(text.repeat(40));
  const functions = ["mesh_a", "mesh_b", "compile", "only_compile", "shared", "free", "in_the_table"].map((name) => ({
    name, body: body(`${name} 0123456789`),
  }));
  // Both exports reach `compile`; it alone reaches `only_compile`; `shared` is reached both
  // through it and around it, so it stays; so does the function the table holds, which no
  // one calls directly.
  const callees = new Map([
    ["mesh_a", new Set(["compile", "shared"])], ["mesh_b", new Set(["compile"])],
    ["compile", new Set(["only_compile", "shared"])],
  ]);
  const share = gzipShareThrough(functions, callees, (name) => name === "compile", new Set(["in_the_table"]));
  assert.equal(share.functions, 2);
  assert.equal(share.raw, functions[2].body.length + functions[3].body.length);
  assert.equal(share.kept,
    gzipSync(Buffer.concat([0, 1, 4, 5, 6].map((index) => functions[index].body)), { level: 9 }).length);
  assert.ok(share.code > share.kept);
});

test("gzip shares of the built module name every export", { skip: existsSync(namedModulePath) ? false : skip || "no named copy" },
  () => {
    const run = spawnSync(process.execPath, [join(root, "Benchmarks/edge/gzip_shares.mjs"), namedModulePath],
      { encoding: "utf8", timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    for (const name of ["mesh_load", "mesh_route", "mesh_set_health"]) {
      assert.match(run.stdout, new RegExp(`\\| ${name} \\| \\d+ \\| \\d+\\.\\d KB \\|`), name);
    }
  });

test("Swift's mangled names are grouped by the module they come from", () => {
  assert.equal(moduleOf("$e10MeshRouter12DecisionJSONO6encodeySays5UInt8VGAA0C5TraceVFZ"), "MeshRouter");
  assert.equal(moduleOf("$s10MeshSyntax6ParserV11parseMember"), "MeshSyntax");
  assert.equal(moduleOf("$eSS10lowercasedSSyF"), "Swift standard library");
  assert.equal(moduleOf("$es22__RawDictionaryStorageC4find_9hashValueF10MeshRouter12DecisionPlanV10RuleTargetO_Tg5"),
    "Swift generics specialized for our types");
  assert.equal(moduleOf("swift_release"), "Swift runtime");
  assert.equal(moduleOf("malloc"), "C runtime and other");
});

test("the bench's configs load without findings and route every one of its requests", { skip }, async () => {
  const cases = [
    { config: readFileSync(join(root, "examples/shop/diddy-mesh.jsonc")), requests: shopRequests(1000), rules: 7,
      reads: SHOP_READS_HEADERS },
    { config: configWithRules(10), requests: tableRequests(10, 1000), rules: 10, reads: TABLE_READS_HEADERS },
    { config: configWithRules(10_000), requests: tableRequests(10_000, 1000), rules: 10_000,
      reads: TABLE_READS_HEADERS },
  ];
  for (const { config, requests, rules, reads } of cases) {
    const router = await WasmRouter.open(modulePath);
    const { status, answer } = router.load(config);
    assert.equal(status, 0);
    assert.equal(answer.rules, rules);
    assert.deepStrictEqual([answer.errors, answer.warnings], [0, 0], JSON.stringify(answer.findings));
    const outcomes = new Set();
    for (const request of requests) {
      // The bench sends each in the field form (with only the headers the config reads).
      assert.notEqual(requestFields(request), null, JSON.stringify(request));
      const decision = router.route(request);
      assert.equal(decision.status, 0, JSON.stringify(decision.answer));
      outcomes.add(decision.answer.outcome);
    }
    assert.ok(outcomes.has("routed"), "requests reach rules");
    // The headers the config reads are sent, named as Object.fromEntries(request.headers) names them.
    for (const name of reads) assert.ok(requests.some((request) => name in request.headers), name);
  }
});

test("one quick run of the driver prints every figure and writes them as JSON", { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), "bench-edge-test-"));
  try {
    const out = join(work, "figures.json");
    const run = spawnSync(process.execPath, [join(root, "Benchmarks/edge/bench_edge.mjs"), "--wasm", modulePath,
      "--no-native", "--no-shrink", "--rounds", "1", "--passes", "1", "--instantiations", "3",
      "--workdir", join(work, "files"), "--json", out], { encoding: "utf8", timeout: 300_000 });
    assert.equal(run.status, 0, run.stderr);
    for (const heading of ["goals (issue 16):", "module size:", "compile and instantiate", "per config",
      "where the time goes", "fresh instance per config", "no native figures: skipped (--no-native)"]) {
      assert.ok(run.stdout.includes(heading), `prints ${heading}`);
    }
    assert.ok(!run.stdout.includes("mesh_decide"), "the module has no mesh_decide to time");
    const figures = JSON.parse(readFileSync(out, "utf8"));
    assert.deepStrictEqual(Object.keys(figures.wasm), ["shop", "rules-10", "rules-10000"]);
    for (const [name, wasm] of Object.entries(figures.wasm)) {
      assert.deepStrictEqual(Object.keys(wasm),
        ["load", "workerModuleOnly", "worker", "workerAnswerBytes", "phases", "fresh"], name);
      for (const key of ["workerModuleOnly", "worker"]) {
        assert.ok(wasm[key].median > 0 && wasm[key].p99 >= wasm[key].median, `${name} ${key}`);
      }
      assert.ok(wasm.phases.call > 0 && wasm.workerAnswerBytes > 0, `${name} phases`);
      assert.ok(wasm.load.median > 0, `${name} load`);
      assert.ok(wasm.fresh.afterDecisions >= wasm.fresh.afterLoad && wasm.fresh.afterLoad >= wasm.fresh.initial);
    }
    assert.ok(figures.size.rows[0].gzip < figures.size.rows[0].raw);
    // A module with custom sections gets a stripped copy; the deployed one has none, and its
    // code by Swift module comes from the named copy beside it.
    const custom = customSections(readFileSync(modulePath)).length > 0;
    assert.equal(figures.size.rows.length, custom ? 2 : 1, "an in-process copy without custom sections, if any");
    assert.ok(figures.size.modules.byModule.length >= 4, "code by Swift module");
    assert.ok(figures.size.rows.slice(1).every((row) => row.sameDecisions === true), "smaller copies route alike");
    assert.ok(existsSync(join(work, "files/configs/rules-10000.requests.jsonl")));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

const native = nativeBench();
const nativeSkip = native ? false : "no diddy-mesh-bench (make test or make bench-edge builds one)";

test("the native side reads the driver's files and times the same requests", { skip: nativeSkip }, () => {
  const work = mkdtempSync(join(tmpdir(), "bench-edge-native-"));
  try {
    writeFileSync(join(work, "shop.jsonc"), readFileSync(join(root, "examples/shop/diddy-mesh.jsonc")));
    const requests = shopRequests(20).map((request) => JSON.stringify(request));
    writeFileSync(join(work, "shop.requests.jsonl"), requests.join("\n") + "\n");
    writeFileSync(join(work, "orphan.jsonc"), "{}");
    const run = spawnSync(native, ["--edge-configs", work, "--runs", "1"], { encoding: "utf8", timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split("\n");
    assert.equal(lines.length, 1, "a config without requests is left out");
    const figures = JSON.parse(lines[0]);
    assert.equal(figures.name, "shop");
    assert.equal(figures.requests, 20);
    assert.equal(figures.rules, 7);
    for (const key of ["route", "decideJSON", "lean"]) assert.ok(figures[key].median > 0, key);
    assert.ok(figures.decideJSON.median > figures.route.median, "JSON in and out costs more than the route alone");
    assert.ok(figures.load.median > 0 && figures.load.best <= figures.load.median);

    writeFileSync(join(work, "shop.requests.jsonl"), "{\"url\": \"not a url\"}\n");
    const refused = spawnSync(native, ["--edge-configs", work, "--runs", "1"], { encoding: "utf8" });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /shop request 1: /);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
