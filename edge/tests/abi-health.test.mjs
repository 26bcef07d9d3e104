// The edge router's live-data exports held to their contract (edge/README.md): mesh_set_health
// reads a KV listing of health: and the service: registrations as `route --live` reads the
// registry, mesh_set_open_circuits lays the host's open circuits over them, and the decision's
// `edge` member says whether the method may be retried. parity.test.mjs compares the same
// health with the CLI's `route --live`; these are the cases the CLI cannot be asked (refused
// inputs, the open circuits, the edge member). Needs only the module: `node --test edge/tests/`.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { WasmRouter } from "./wasm-router.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const modulePath = process.env.DIDDY_MESH_WASM ?? join(root, ".build/wasm/diddy-mesh-router.wasm");
const skip = existsSync(modulePath) ? false : `${modulePath} is missing (make wasm builds it)`;

const OK = 0, BAD_REQUEST = 1, TOO_LARGE = 3, INVALID_ARGUMENTS = 4;
const NOW = 1_764_374_400_000;
const mesh = {
  version: 1,
  services: {
    api: {
      endpoints: [{ url: "https://a.example", id: "a" }, "https://b.example", { url: "https://c.example", id: "c/ü" }],
    },
    reg: {},
    guarded: { endpoints: ["https://g.example"], fallback: { status: 503, body: "down for now" } },
  },
  routing: {
    rules: [
      { name: "api", path: "/api/*", service: "api" },
      { name: "reg", path: "/reg/*", service: "reg" },
      { name: "guarded", path: "/g/*", service: "guarded" },
      { name: "writes", path: "/w/*", methods: ["POST"], service: "api" },
    ],
  },
};

/** A listing entry as KV's list() gives it, for endpoint `id` of `service`. */
function entry(service, id, metadata) {
  return { name: `health:${service}:${encodeURIComponent(id)}`, expiration: 1_764_374_460, metadata };
}

function summary(s, { age = 1, l = null, c = "closed" } = {}) {
  return { s, t: NOW - age * 1000, l, c };
}

async function loaded() {
  const router = await WasmRouter.open(modulePath);
  assert.equal(router.load(JSON.stringify(mesh)).status, OK);
  return router;
}

/** The decision's endpoints as `url: kept (reason)`, the shortest readable form. */
function verdicts(router, url) {
  const { status, answer } = router.decide({ url });
  assert.equal(status, OK, JSON.stringify(answer));
  return answer.endpoints.map(
    (endpoint) => `${endpoint.url}: ${endpoint.kept ? "kept" : "excluded"} (${endpoint.reason})`);
}

test("without health every endpoint is kept; with it, unhealthy and open ones are excluded", { skip }, async () => {
  const router = await loaded();
  assert.deepStrictEqual(verdicts(router, "https://x.example/api/1"), [
    "https://a.example: kept (no record: kept)", "https://b.example: kept (no record: kept)",
    "https://c.example: kept (no record: kept)",
  ]);
  const { status, answer } = router.setHealth({
    now: NOW,
    health: [
      entry("api", "a", summary("unhealthy")), entry("api", "https://b.example", summary("healthy", { c: "open" })),
      entry("api", "c/ü", summary("degraded", { l: 40 })),
    ],
  });
  assert.deepStrictEqual({ status, answer }, { status: OK, answer: { records: 3, ignored: 0, registrations: 0 } });
  assert.deepStrictEqual(verdicts(router, "https://x.example/api/1"), [
    "https://a.example: excluded (unhealthy (fresh record))", "https://b.example: excluded (circuit open)",
    "https://c.example: kept (degraded: kept)",
  ]);
  const decision = router.decide({ url: "https://x.example/api/1" }).answer;
  assert.equal(decision.endpoint, "https://c.example");
  assert.deepStrictEqual(decision.endpoints[2], {
    url: "https://c.example", id: "c/ü", status: "degraded", latencyMs: 40, ageSeconds: 1, circuit: "closed",
    kept: true, reason: "degraded: kept",
  });
});

test("a record older than staleAfterSeconds counts as none", { skip }, async () => {
  const router = await loaded();
  const health = [entry("api", "a", summary("unhealthy", { age: 45 }))];
  router.setHealth({ now: NOW, health });
  const first = () => verdicts(router, "https://x.example/api/1")[0];
  assert.equal(first(), "https://a.example: kept (stale record (45 s old): kept)");
  router.setHealth({ now: NOW, staleAfterSeconds: 60, health });
  assert.equal(first(), "https://a.example: excluded (unhealthy (fresh record))");
});

test("listing entries and registrations not shaped as documented are left out, not refused", { skip }, async () => {
  const router = await loaded();
  const { status, answer } = router.setHealth({
    now: NOW,
    health: [
      entry("api", "a", summary("unknown")), entry("api", "a", { ...summary("unhealthy"), t: NOW + 0.5 }),
      entry("api", "a", { ...summary("unhealthy"), l: "12" }), entry("api", "a", summary("unhealthy", { c: "ajar" })),
      entry("api", "a", null), { name: "health:api", metadata: summary("unhealthy") },
      { name: "health:api:%zz", metadata: summary("unhealthy") }, { name: "service:api" }, "health:api:a", 7,
    ],
    registrations: { reg: { name: "reg", endpoints: ["https://r.example", { id: "no url" }], registeredAt: NOW } },
  });
  assert.deepStrictEqual({ status, answer }, { status: OK, answer: { records: 0, ignored: 11, registrations: 0 } });
  assert.equal(verdicts(router, "https://x.example/api/1")[0], "https://a.example: kept (no record: kept)");
  assert.deepStrictEqual(verdicts(router, "https://x.example/reg/1"), []);
});

test("a registration gives a service without static endpoints its endpoints, with their health", { skip }, async () => {
  const router = await loaded();
  const registration = {
    name: "reg", version: "2.3.0", registeredAt: NOW,
    endpoints: [
      "https://r1.example", { url: "https://r2.example", id: "r2", region: "WEU", weight: 2, insecure: false },
    ],
  };
  const { answer } = router.setHealth({
    now: NOW, health: [entry("reg", "r2", summary("unhealthy"))], registrations: { reg: registration },
  });
  assert.deepStrictEqual(answer, { records: 1, ignored: 0, registrations: 1 });
  assert.deepStrictEqual(verdicts(router, "https://x.example/reg/1"), [
    "https://r1.example: kept (no record: kept)", "https://r2.example: excluded (unhealthy (fresh record))",
  ]);
});

test("refused health inputs keep the health set before them", { skip }, async () => {
  const router = await loaded();
  router.setHealth({ now: NOW, health: [entry("api", "a", summary("unhealthy"))] });
  const refused = [
    ["not json", BAD_REQUEST, /^the health is not valid JSON/],
    ["[]", BAD_REQUEST, /^the health must be an object/],
    [{ now: NOW, extra: 1 }, BAD_REQUEST, /^unknown key 'extra' in the health/],
    [{ health: [] }, BAD_REQUEST, /^health\.now must be a number/],
    [{ now: "soon" }, BAD_REQUEST, /^health\.now must be a number/],
    [{ now: NOW, staleAfterSeconds: -1 }, BAD_REQUEST, /^health\.staleAfterSeconds must be/],
    [{ now: NOW, health: {} }, BAD_REQUEST, /^health\.health must be an array/],
    [{ now: NOW, registrations: [] }, BAD_REQUEST, /^health\.registrations must be an object/],
    [`{"now": ${NOW}, "health": [${"[".repeat(20)}${"]".repeat(20)}]}`, BAD_REQUEST, /not valid JSON/],
  ];
  for (const [input, expected, message] of refused) {
    const { status, answer } = router.setHealth(input);
    assert.equal(status, expected, JSON.stringify(input).slice(0, 80));
    assert.match(answer.error, message);
  }
  assert.equal(router.callRaw("mesh_set_health", 0, 8 * 1024 * 1024 + 1).status, TOO_LARGE);
  assert.equal(router.callRaw("mesh_set_health", 0, 3).status, INVALID_ARGUMENTS);
  assert.equal(verdicts(router, "https://x.example/api/1")[0],
    "https://a.example: excluded (unhealthy (fresh record))");
});

test("open circuits exclude endpoints by URL over the registry's health, across loads", { skip }, async () => {
  const router = await loaded();
  router.setHealth({ now: NOW, health: [entry("api", "c/ü", summary("degraded", { l: 40 }))] });
  assert.deepStrictEqual(router.setOpenCircuits(["https://c.example", "https://nowhere.example"]),
    { status: OK, answer: { endpoints: 1 } });
  const decision = router.decide({ url: "https://x.example/api/1" }).answer;
  assert.deepStrictEqual(decision.endpoints[2], {
    url: "https://c.example", id: "c/ü", status: "degraded", latencyMs: 40, ageSeconds: 0, circuit: "open",
    kept: false, reason: "circuit open",
  });
  // Every endpoint open and a fallback response configured: the router answers with it.
  router.setOpenCircuits(["https://g.example"]);
  const guarded = router.decide({ url: "https://x.example/g/1" }).answer;
  assert.deepStrictEqual([guarded.endpoint, guarded.fallback], [null, { status: 503, body: "down for now" }]);
  // A new load lays the same list over the new config; a reset keeps it too.
  assert.equal(router.load(JSON.stringify(mesh)).status, OK);
  assert.equal(router.reset().status, OK);
  assert.equal(router.decide({ url: "https://x.example/g/1" }).answer.endpoint, null);
  assert.deepStrictEqual(router.setOpenCircuits([]), { status: OK, answer: { endpoints: 0 } });
  assert.equal(router.decide({ url: "https://x.example/g/1" }).answer.endpoint, "https://g.example");
  for (const bad of ["{}", "[1]", "[\"a\", null]", "nope"]) {
    assert.equal(router.setOpenCircuits(bad).status, BAD_REQUEST, bad);
  }
  assert.equal(router.callRaw("mesh_set_open_circuits", 0, 1024 * 1024 + 1).status, TOO_LARGE);
});

test("edge.serviceFallback: whether the decision's service has a fallback, used or not", { skip }, async () => {
  const router = await loaded();
  const fallback = (url) => router.decide({ url }).answer.edge.serviceFallback;
  assert.equal(fallback("https://x.example/api/1"), false);
  assert.equal(fallback("https://x.example/g/1"), true, "guarded has one, though its endpoint is usable");
  assert.equal(fallback("https://x.example/nowhere"), false, "no route, no service");
});

test("edge.retryableMethod: idempotent methods, and others only where the rule lists them", { skip }, async () => {
  const router = await loaded();
  const retryable = (method, url) => router.decide({ method, url }).answer.edge.retryableMethod;
  assert.equal(retryable("GET", "https://x.example/api/1"), true);
  assert.equal(retryable("PUT", "https://x.example/api/1"), true);
  assert.equal(retryable("POST", "https://x.example/api/1"), false);
  assert.equal(retryable("PATCH", "https://x.example/api/1"), false);
  assert.equal(retryable("POST", "https://x.example/w/1"), true, "the rule lists POST");
  const shop = await WasmRouter.open(modulePath);
  shop.load(readFileSync(join(root, "examples/shop/diddy-mesh.jsonc")));
  const decision = shop.decide({ method: "POST", url: "https://api.shop.example/api/users/42" }).answer;
  assert.deepStrictEqual([decision.outcome, decision.edge],
    ["default", { retryableMethod: false, serviceFallback: true }]);
});

test("health can be set before any config is loaded", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  assert.equal(router.setHealth({ now: NOW, health: [entry("api", "a", summary("unhealthy"))] }).status, OK);
  assert.equal(router.setOpenCircuits(["https://b.example"]).status, OK);
  router.load(JSON.stringify(mesh));
  assert.deepStrictEqual(verdicts(router, "https://x.example/api/1").slice(0, 2), [
    "https://a.example: excluded (unhealthy (fresh record))", "https://b.example: excluded (circuit open)",
  ]);
});

test("numbers past 32 bits in records answer as the CLI writes them, never a trap", { skip }, async () => {
  const router = await loaded();
  // Records decades old, and latencies of days: Int is 32 bits in the module (wasm32).
  const health = [
    entry("api", "a", summary("degraded", { age: 3e9, l: 4e12 })),
    entry("api", "https://b.example", summary("healthy", { age: 2 ** 33, l: 2 ** 40 })),
  ];
  assert.equal(router.setHealth({ now: NOW, health }).status, OK);
  const lines = verdicts(router, "https://x.example/api/1");
  assert.equal(lines[0], "https://a.example: kept (stale record (3000000000 s old): kept)");
  assert.equal(lines[1], "https://b.example: kept (stale record (8589934592 s old): kept)");
  assert.equal(router.route({ url: "https://x.example/api/2" }).status, OK);
});
