// Parity of the edge router with the native CLI (issue 16, item 4): the same requests,
// routed by .build/wasm/diddy-mesh-router.wasm and by `diddy-mesh route`, must give the
// same decisions. Run with `node --test edge/tests/` (Node 20, no packages); `make wasm`
// runs it when a CLI binary is there.
//
// The module answers mesh_route's lean decision (EdgeDecision.swift): the members of the CLI's
// `route --format json` that a Worker forwards with (outcome, rule without its range, service,
// endpoint, policy and its forwardPath, fallback, panic, and the candidates' URLs when the
// service has a fallback), plus its own `edge` member, which the CLI does not print. Each
// module answer must equal that view of the CLI's decision (`leanView`), value for value. With
// live health (`route --live` against a wrangler-local registry, and mesh_set_health on the
// same records), the module also routes each request again and again, and must take turns
// through exactly the endpoints the CLI's trace kept.
//
// Environment: DIDDY_MESH_BIN (the CLI; default the newer of .build/native/debug/diddy-mesh
// and .build/debug/diddy-mesh), DIDDY_MESH_WASM (default .build/wasm/diddy-mesh-router.wasm),
// PARITY_COUNT (generated requests per config, default 10000), PARITY_SEED (default 16).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { generateRequests, PARITY_PREFIXES, SHOP_PREFIXES } from "./requests.mjs";
import { cliPath } from "./support/plans.mjs";
import { WasmRouter } from "./wasm-router.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const shop = join(root, "examples/shop/diddy-mesh.jsonc");
const routeTests = join(root, "examples/shop/route-tests.json");
const parityMesh = join(root, "edge/tests/parity-mesh.jsonc");
const healthMesh = join(root, "edge/tests/health-mesh.jsonc");
const count = Number(process.env.PARITY_COUNT ?? 10000);
const seed = Number(process.env.PARITY_SEED ?? 16);

const cli = cliPath();
const modulePath = process.env.DIDDY_MESH_WASM ?? join(root, ".build/wasm/diddy-mesh-router.wasm");
const missing = [
  existsSync(modulePath) ? null : `${modulePath} is missing (make wasm builds it)`,
  existsSync(cli) ? null : `${cli} is missing (make build builds it, or set DIDDY_MESH_BIN)`,
].filter(Boolean);
const skip = missing.length > 0 ? `parity needs both routers: ${missing.join("; ")}` : false;
if (skip) console.log(`# skipped: ${skip}`);

/** Runs the CLI (in `cwd`, by default this one); the status and both streams. */
function runCLI(args, input, cwd = undefined) {
  const result = spawnSync(cli, args, {
    input, cwd, encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: "1" },
  });
  if (result.error) throw result.error;
  return result;
}

/**
 * The members of the CLI's decision (`route --format json`) that mesh_route answers, as
 * WasmRouter.route gives them (edge/README.md): what a Worker reads to forward the request,
 * the rule without its range, the policy's `forwardPath` beside it, and each candidate's
 * `url` only, without the candidates that have none, and only when the service has a
 * fallback. `edge`, which the CLI does not print, is the module's own (`edgeOf`).
 */
function leanView(decision, edge) {
  const view = {
    outcome: decision.outcome, rule: decision.rule, service: decision.service, endpoint: decision.endpoint,
    policy: decision.policy, edge,
  };
  if (decision.rule) {
    const { range, ...rule } = decision.rule;
    view.rule = rule;
  }
  // The policy is one object per rule and service, with the request's forwarded path beside it.
  if (decision.policy) {
    const { forwardPath, ...policy } = decision.policy;
    view.policy = policy;
    view.forwardPath = forwardPath;
  }
  // The candidates come only with a fallback, the one case a Worker reads them.
  if (edge.serviceFallback) {
    view.endpoints = decision.endpoints.filter(({ url }) => url !== "").map(({ url }) => ({ url }));
  }
  if (decision.fallback) view.fallback = decision.fallback;
  if (decision.panic) view.panic = true;
  return view;
}

/**
 * The `edge` member of the module's answer, which the CLI has no counterpart of: required to
 * be its two flags, and to say the service has a fallback when the CLI's decision used one.
 */
function edgeOf(answer, decision) {
  const { edge } = answer;
  assert.deepStrictEqual(Object.keys(edge ?? {}), ["retryableMethod", "serviceFallback"], "every decision has `edge`");
  assert.ok(typeof edge.retryableMethod === "boolean" && typeof edge.serviceFallback === "boolean",
    JSON.stringify(edge));
  if (decision.fallback) assert.ok(edge.serviceFallback, "a decision that used a fallback has one");
  return edge;
}

/** What the module must have answered for the CLI's `decision`, given the module's `answer`. */
function expectedFor(decision, answer) {
  return leanView(decision, edgeOf(answer, decision));
}

/**
 * The CLI's decisions for `requests`, routed in order by one router, each with the state the
 * requests before left (`route --requests`; the module's mesh_route keeps it too).
 */
function nativeDecisions(config, requests) {
  const directory = mkdtempSync(join(tmpdir(), "diddy-mesh-parity-"));
  try {
    const file = join(directory, "requests.jsonl");
    writeFileSync(file, requests.map((request) => JSON.stringify(request)).join("\n") + "\n");
    const native = runCLI(["route", config, "--requests", file, "--format", "json"]);
    assert.ok(native.status === 0 || native.status === 1, `the CLI exited ${native.status}: ${native.stderr}`);
    const lines = native.stdout.split("\n").filter((line) => line !== "");
    assert.equal(lines.length, requests.length, "the CLI printed one decision a request");
    return lines.map((line) => JSON.parse(line));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Routes every request with mesh_route, in order, timing WasmRouter.route whole: the field
 * form built and copied in, the call, the answer parsed and its ref put in.
 */
function routeAll(router, requests) {
  const answers = [];
  let elapsed = 0;
  for (const request of requests) {
    const started = performance.now();
    const { status, answer } = router.route(request);
    elapsed += performance.now() - started;
    assert.equal(status, 0, `mesh_route answered ${status} for ${JSON.stringify(request)}: ${JSON.stringify(answer)}`);
    answers.push(answer);
  }
  return { answers, microseconds: (elapsed * 1000) / Math.max(requests.length, 1) };
}

/** Requires each module answer to be the lean view of the CLI's decision for the same request. */
function assertSame(requests, native, answers, what) {
  const mismatches = [];
  for (let index = 0; index < requests.length; index++) {
    try {
      assert.deepStrictEqual(answers[index], expectedFor(native[index], answers[index]));
    } catch (error) {
      mismatches.push(`request ${index + 1}: ${JSON.stringify(requests[index])}\n${error.message}`);
    }
  }
  assert.equal(mismatches.length, 0,
    `${what}: ${mismatches.length} of ${requests.length} decisions differ (+ wasm, - CLI); the first:\n` +
    mismatches.slice(0, 3).join("\n\n"));
}

test("every expectation of the shop's route tests: the same decision as `route --tests`", { skip }, async () => {
  const report = JSON.parse(runCLI(["route", shop, "--tests", routeTests, "--format", "json"]).stdout);
  const tests = JSON.parse(readFileSync(routeTests, "utf8")).tests;
  assert.equal(report.tests.length, tests.length);
  const router = await WasmRouter.open(modulePath);
  assert.equal(router.load(readFileSync(shop)).status, 0);
  for (const [index, expectation] of tests.entries()) {
    assert.ok(report.tests[index].passed, `the CLI fails '${expectation.name}'`);
    // Route tests run with fresh router state each, so the module is reset before each.
    assert.equal(router.reset().status, 0);
    const { status, answer } = router.route(expectation.request);
    assert.equal(status, 0, JSON.stringify(answer));
    assert.deepStrictEqual(answer, expectedFor(report.tests[index].trace, answer), expectation.name);
  }
});

const generated = [["the shop", shop, seed, SHOP_PREFIXES], ["parity-mesh.jsonc", parityMesh, seed + 1, PARITY_PREFIXES]];
for (const [name, config, configSeed, prefixes] of generated) {
  test(`${count} generated requests on ${name}: the same decisions as \`route --requests\``, { skip }, async (t) => {
    const requests = generateRequests(count, configSeed, prefixes);
    const native = nativeDecisions(config, requests);
    const router = await WasmRouter.open(modulePath);
    assert.equal(router.load(readFileSync(config)).status, 0);
    // The module reads the field form, the CLI JSON: the comparison holds the two to the same request.
    const { answers, microseconds } = routeAll(router, requests);
    assertSame(requests, native, answers, name);
    const outcomes = {};
    const rules = new Set();
    for (const decision of native) {
      outcomes[decision.outcome] = (outcomes[decision.outcome] ?? 0) + 1;
      if (decision.rule) rules.add(decision.rule.index);
    }
    const { answer: report } = router.report();
    // Ten thousand requests reach every rule; a change to the config or the generator that
    // left a rule out would leave it untested.
    if (count >= 10000) assert.equal(rules.size, report.rules, "every rule of the config is reached");
    t.diagnostic(`${requests.length} identical decisions (${JSON.stringify(outcomes)}, ` +
      `${rules.size}/${report.rules} rules reached); ` +
      `wasm mesh_route ${microseconds.toFixed(1)} µs a request, the field form in and the answer parsed included`);
  });
}

test("requests the CLI refuses: the module refuses their field form with the same message", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  assert.equal(router.load(readFileSync(shop)).status, 0);
  const url = "https://x.example/";
  // Each has a field form, which the module refuses with the message the CLI gives for its JSON.
  const refusedByBoth = [
    { url: "no-scheme/path" }, { url: "ftp://x.example/" }, { url: "https://x.example:99999/" },
    { url, method: "GE T" }, { url, headers: { "bad name": "v" } }, { url, cf: { latitude: "north" } },
    { url, cf: { longitude: "0x10" } },
  ];
  // JSON the CLI refuses that has no field form: not JSON, not an object of the request's
  // members, or a member of another kind. The module reads no JSON: WasmRouter.route refuses
  // such an object itself, and mesh_route any text that is not the field form.
  const withoutFields = [
    "not json", "", "[]", "\"https://x.example/\"", "{\"url\": 5}", "{\"method\": \"GET\"}",
    "{\"url\": \"https://x.example/\", \"headers\": {\"x-a\": 1}}",
    "{\"url\": \"https://x.example/\", \"cf\": {\"city\": \"Berlin\"}}",
    "{\"url\": \"https://x.example/\", \"header\": {}}",
    "{\"url\": \"https://x.example/\",}", "{\"url\": \"https://x.example/\"} // a comment",
    "{\"url\": \"https://x.example/\", \"cf\": {\"colo\": {\"a\": {\"b\": {\"c\": [1]}}}}}",
    "{\"url\": \"https://x.example/\ud800\"}".replace("\ud800", "\\ud800") + "x",
  ];
  const directory = mkdtempSync(join(tmpdir(), "diddy-mesh-parity-"));
  /** The CLI's message for `line`, the second of a file whose first is a good request. */
  const refusal = (line) => {
    const file = join(directory, "bad.jsonl");
    // The CLI skips a blank line, so the empty request is given to it as `{}`.
    writeFileSync(file, `{"url": "https://x.example/ok"}\n${line === "" ? "{}" : line}\n`);
    const native = runCLI(["route", shop, "--requests", file, "--format", "json"]);
    assert.equal(native.status, 2, `${line.slice(0, 80)}: the CLI exited ${native.status}`);
    assert.equal(native.stdout, "", `${line.slice(0, 80)}: the CLI printed decisions for a file with a bad line`);
    const prefix = `error: ${file}:2: `;
    assert.ok(native.stderr.startsWith(prefix) && native.stderr.endsWith("\n"), native.stderr);
    return native.stderr.slice(prefix.length, -1);
  };
  try {
    for (const request of refusedByBoth) {
      const { status, answer } = router.route(request);
      assert.equal(status, 1, `${JSON.stringify(request)}: mesh_route answered ${status}: ${JSON.stringify(answer)}`);
      assert.equal(answer.error, refusal(JSON.stringify(request)), JSON.stringify(request));
    }
    // Over RequestJSON.maximumSize: both refuse it unread, as too large (the module's status
    // 3), each counting the bytes of its own form.
    const large = { url: `https://x.example/${"a".repeat(2 * 1024 * 1024)}` };
    const { status, answer } = router.route(large);
    const tooLarge = /^the request is \d+ bytes long; at most 2097152 are accepted$/;
    assert.equal(status, 3, JSON.stringify(answer));
    assert.match(answer.error, tooLarge);
    assert.match(refusal(JSON.stringify(large)), tooLarge);
    for (const line of withoutFields) {
      refusal(line);
      let parsed;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === "object" && parsed !== null) {
        assert.throws(() => router.route(parsed), { name: "TypeError", message: /field form only/ }, line);
      } else {
        const { status, answer } = router.route(line);
        assert.deepStrictEqual({ status, answer }, {
          status: 1, answer: { error: "the request's fields must each start with a NUL byte" },
        }, line);
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("the report counts what `check` reports", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  for (const config of [shop, parityMesh, join(root, "examples/broken/diddy-mesh.jsonc")]) {
    const { status, answer } = router.load(readFileSync(config));
    assert.equal(status, 0);
    const checked = JSON.parse(runCLI(["check", config, "--format", "json", "--fail-on", "hint"]).stdout);
    const diagnostics = checked.files[0].diagnostics;
    const errors = diagnostics.filter((finding) => finding.severity === "error");
    assert.equal(answer.errors, errors.length, config);
    assert.equal(answer.warnings, diagnostics.filter((finding) => finding.severity === "warning").length, config);
    assert.deepStrictEqual(
      answer.findings,
      errors.slice(0, 20).map((finding) => ({
        code: finding.code, message: finding.message, line: finding.range.start.line,
        column: finding.range.start.column,
      })),
      config);
  }
});

/** The records of the health case: every way health changes a decision in health-mesh.jsonc. */
function healthRecords(now) {
  const summary = (s, { l = null, c = "closed", age = 2 } = {}) => ({ s, t: now - age * 1000, l, c });
  const key = (service, id) => `health:${service}:${encodeURIComponent(id)}`;
  return [
    [key("api", "api-1"), summary("unhealthy")],
    [key("api", "https://api-2.example.com"), summary("healthy", { c: "open" })],
    [key("api", "https://api-3.example.com"), summary("healthy", { c: "half-open", l: 9 })],
    [key("api", "https://api-4.example.com"), summary("degraded", { l: 80.5 })],
    // Checked "in the future" (clock skew between hosts): age 0 on both sides.
    [key("fast", "https://fast-1.example.com"), summary("healthy", { l: 30, age: -60 })],
    // Open in the registry for the CLI; the module gets it closed and opens it itself.
    [key("fast", "https://fast-2.example.com"), summary("healthy", { l: 12, c: "open" })],
    [key("fast", "https://fast-3.example.com"), summary("healthy")],
    [key("stale", "https://stale-1.example.com"), summary("unhealthy", { age: 3600 })],
    [key("stale", "https://stale-2.example.com"), { ...summary("unhealthy"), s: "poorly" }],
    [key("guarded", "https://guarded-1.example.com"), summary("unhealthy")],
    [key("backup", "https://backup-1.example.com"), summary("unhealthy")],
    [key("backup", "https://backup-2.example.com"), summary("healthy", { c: "open" })],
    [key("gone", "https://gone-1.example.com"), summary("unhealthy")],
    [key("reg", "reg 2/ü"), summary("healthy", { l: 5 })],
    [key("reg", "reg-3"), summary("unhealthy")],
    [key("geo", "https://geo-eu.example.com"), summary("unhealthy")],
  ];
}

const registration = {
  name: "reg", version: "1.0.0", registeredAt: 1_764_374_400_000,
  endpoints: ["https://reg-1.example.com", { url: "https://reg-2.example.com", id: "reg 2/ü" },
    { url: "https://reg-3.example.com", id: "reg-3", weight: 2 }],
};

/** `route` arguments for a request object. */
function routeArguments({ method, url, headers = {}, cf = {} }) {
  const args = ["--url", url];
  if (method) args.push("--method", method);
  for (const [name, value] of Object.entries(headers)) args.push("--header", `${name}: ${value}`);
  for (const [field, flag] of [["colo", "--colo"], ["country", "--country"], ["continent", "--continent"],
    ["latitude", "--lat"], ["longitude", "--lon"]]) {
    // `--lon=-74`, in one argument, or -74 would read as an option.
    if (cf[field] !== undefined) args.push(`${flag}=${cf[field]}`);
  }
  return args;
}

test("live health: the same decisions as `route --live` on the same registry records", { skip }, async (t) => {
  const directory = mkdtempSync(join(tmpdir(), "diddy-mesh-parity-live-"));
  try {
    writeFileSync(join(directory, "wrangler.toml"), "[[kv_namespaces]]\nbinding = \"MESH_KV\"\nid = \"parity\"\n");
    copyFileSync(healthMesh, join(directory, "diddy-mesh.jsonc"));
    const put = (...args) => {
      const result = runCLI(["kv", "put", ...args], undefined, directory);
      assert.equal(result.status, 0, result.stderr);
    };
    for (const [key, metadata] of healthRecords(Date.now())) put(key, "{}", "--metadata", JSON.stringify(metadata));
    put("service:reg", JSON.stringify(registration));
    // The module reads the listing the CLI's own store gives, as a Worker reads KV's list().
    const listed = runCLI(["kv", "list", "--prefix", "health:", "--format", "json"], undefined, directory);
    const listing = JSON.parse(listed.stdout);
    assert.equal(listing.length, healthRecords(0).length);
    const opened = "https://fast-2.example.com";
    const health = listing.map((entry) => (entry.name.endsWith(encodeURIComponent(opened))
      ? { ...entry, metadata: { ...entry.metadata, c: "closed" } } : entry));

    const router = await WasmRouter.open(modulePath);
    assert.equal(router.load(readFileSync(healthMesh)).status, 0);
    assert.deepStrictEqual(router.setHealth({ now: Date.now(), health, registrations: { reg: registration } }).answer,
      { records: listing.length - 1, ignored: 1, registrations: 1 });
    assert.deepStrictEqual(router.setOpenCircuits([opened]).answer, { endpoints: 1 });

    const requests = [
      ...["api", "fast", "stale", "guarded", "backup", "gone", "reg", "elsewhere"].map((prefix) => ({
        url: `https://mesh.example/${prefix}/a`,
      })),
      { method: "DELETE", url: "https://mesh.example/api/a" },
      { url: "https://mesh.example/geo/a", cf: { colo: "FRA", country: "DE", continent: "EU" } },
      { url: "https://mesh.example/geo/a", cf: { country: "US", continent: "NA", latitude: 40.7, longitude: -74 } },
    ];
    const reasons = new Set();
    for (const request of requests) {
      // `route --live` routes with fresh state, so the module is reset before each.
      router.reset();
      const { status, answer } = router.route(request);
      assert.equal(status, 0, JSON.stringify(answer));
      const result = runCLI(["route", "--live", ...routeArguments(request), "--format", "json"], undefined, directory);
      assert.ok(result.status === 0 || result.status === 1, result.stderr);
      const native = JSON.parse(result.stdout);
      assert.deepStrictEqual(answer, expectedFor(native, answer), request.url);
      // The CLI's trace says which endpoints the health kept, the module's answer only which
      // it picked. So the module routes the request again, twice as many times as there are
      // candidates, without a reset: every pick must be one the CLI kept (each of them, in a
      // panic), and a round-robin must take its turn through all of them. A fallback, once
      // used, answers every time (a fallback service's endpoints are not in the trace).
      const keptURLs = native.endpoints.filter((endpoint) => endpoint.kept).map((endpoint) => endpoint.url).sort();
      const picks = new Set([answer.endpoint]);
      for (let turn = 1; turn < 2 * native.endpoints.length; turn++) {
        const again = router.route(request).answer;
        assert.deepStrictEqual(again.fallback, answer.fallback, `${request.url}, turn ${turn}`);
        picks.add(again.endpoint);
      }
      if (!native.fallback) {
        const picked = [...picks].sort();
        if (native.strategy.name === "round-robin") {
          assert.deepStrictEqual(picked, keptURLs, `${request.url}: the endpoints picked in turn are those kept`);
        } else {
          assert.ok(picked.every((url) => keptURLs.includes(url)),
            `${request.url}: picked ${picked}, kept ${keptURLs}`);
        }
      }
      for (const { reason } of native.endpoints) reasons.add(reason.replace(/\(\d+(\.\d+)? s old\)/, "(N s old)"));
    }
    // The case is only as good as its variety: each of these verdicts must have come up in
    // the CLI's traces, whose kept endpoints the module's picks were held to.
    for (const reason of ["unhealthy (fresh record)", "circuit open", "circuit half-open: kept for trial requests",
      "degraded: kept", "healthy", "stale record (N s old): kept", "no record: kept"]) {
      assert.ok([...reasons].some((seen) => seen.startsWith(reason)), `no endpoint was '${reason}': ${[...reasons]}`);
    }
    t.diagnostic(`${requests.length} identical decisions with live health (${reasons.size} kinds of endpoint verdict)`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
