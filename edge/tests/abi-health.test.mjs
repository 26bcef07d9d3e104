// The edge router's live-data exports held to their contract (edge/README.md): mesh_set_health
// reads a KV listing of health: and the service: registrations as `route --live` reads the
// registry, mesh_set_open_circuits lays the host's open circuits over them, and the decision's
// `edge` member says whether the method may be retried. parity.test.mjs compares the same
// health with the CLI's `route --live`; these are the cases the CLI cannot be asked (refused
// inputs, the open circuits, the edge member). mesh_route answers no trace, so each health
// verdict is checked through what it does to decisions: which endpoints a round-robin takes
// turns through, which one the latency strategy ranks first, a fallback, a panic. Needs only
// the module: `node --test edge/tests/`.
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
    // Round-robin (the default): from fresh state, three decisions take turns through the
    // endpoints the health kept, so they show which those are.
    api: {
      endpoints: [{ url: "https://a.example", id: "a" }, "https://b.example", { url: "https://c.example", id: "c/ü" }],
    },
    reg: {},
    guarded: { endpoints: ["https://g.example"], fallback: { status: 503, body: "down for now" } },
    // The lowest p50 of a fresh record wins, and an endpoint without one ranks last: the pick
    // shows whether a record was read, is fresh, and what latency it holds.
    fast: {
      endpoints: [{ url: "https://f1.example", id: "f 1/ü" }, "https://f2.example"],
      loadBalancer: { strategy: "latency", metric: "p50" },
    },
  },
  routing: {
    rules: [
      { name: "api", path: "/api/*", service: "api" },
      { name: "reg", path: "/reg/*", service: "reg" },
      { name: "guarded", path: "/g/*", service: "guarded" },
      { name: "writes", path: "/w/*", methods: ["POST"], service: "api" },
      { name: "fast", path: "/f/*", service: "fast" },
    ],
  },
};
const [A, B, C] = ["https://a.example", "https://b.example", "https://c.example"];
const [F1, F2] = ["https://f1.example", "https://f2.example"];

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

/**
 * What `count` decisions in a row for a request to `path` pick, from fresh router state: each
 * endpoint's URL, with " (panic)" when no endpoint was kept and all were used anyway, or
 * "fallback" and the fallback the service answered with instead.
 */
function picks(router, path, count = 3) {
  assert.equal(router.reset().status, OK);
  return Array.from({ length: count }, () => {
    const { status, answer } = router.route({ url: `https://x.example${path}` });
    assert.equal(status, OK, JSON.stringify(answer));
    if (answer.fallback) return `fallback ${JSON.stringify(answer.fallback)}`;
    return answer.panic ? `${answer.endpoint} (panic)` : answer.endpoint;
  });
}

test("without health every endpoint is kept; with it, unhealthy and open ones are excluded", { skip }, async () => {
  const router = await loaded();
  assert.deepStrictEqual(picks(router, "/api/1"), [A, B, C], "no record: kept");
  const { status, answer } = router.setHealth({
    now: NOW,
    health: [
      entry("api", "a", summary("unhealthy")), entry("api", "https://b.example", summary("healthy", { c: "open" })),
      entry("api", "c/ü", summary("degraded", { l: 40 })),
      entry("fast", "f 1/ü", summary("degraded", { l: 40 })), entry("fast", F2, summary("healthy", { l: 60 })),
    ],
  });
  assert.deepStrictEqual({ status, answer }, { status: OK, answer: { records: 5, ignored: 0, registrations: 0 } });
  // a (found by its id) is unhealthy, b's circuit is open (found by its URL): only c is left.
  assert.deepStrictEqual(picks(router, "/api/1"), [C, C, C]);
  // A degraded endpoint is kept and ranked by its record's latency, found by its
  // percent-encoded id: 40 ms before the healthy one's 60.
  assert.deepStrictEqual(picks(router, "/f/1"), [F1, F1, F1]);
  // A half-open circuit keeps its endpoint, for trial requests.
  router.setHealth({
    now: NOW,
    health: [entry("api", "a", summary("healthy", { c: "half-open" })), entry("api", B, summary("unhealthy"))],
  });
  assert.deepStrictEqual(picks(router, "/api/1"), [A, C, A]);
});

test("a record older than staleAfterSeconds counts as none", { skip }, async () => {
  const router = await loaded();
  const health = [
    entry("api", "a", summary("unhealthy", { age: 45 })),
    entry("fast", "f 1/ü", summary("healthy", { age: 45, l: 10 })), entry("fast", F2, summary("healthy", { l: 60 })),
  ];
  router.setHealth({ now: NOW, health });
  // Stale (the default is 30 s): a is kept, and f1's latency is not used, so f1 ranks last.
  assert.deepStrictEqual(picks(router, "/api/1"), [A, B, C]);
  assert.deepStrictEqual(picks(router, "/f/1"), [F2, F2, F2]);
  router.setHealth({ now: NOW, staleAfterSeconds: 60, health });
  assert.deepStrictEqual(picks(router, "/api/1"), [B, C, B]);
  assert.deepStrictEqual(picks(router, "/f/1"), [F1, F1, F1]);
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
  // None of the unhealthy entries for a was read: it has no record, and is kept.
  assert.deepStrictEqual(picks(router, "/api/1"), [A, B, C]);
  // Nor was the registration: reg has no endpoints, and no fallback.
  const { answer: decision } = router.route({ url: "https://x.example/reg/1" });
  assert.deepStrictEqual([decision.service, decision.endpoint, decision.fallback, decision.panic, decision.endpoints],
    ["reg", null, undefined, undefined, undefined]);
});

test("a registration gives a service without static endpoints its endpoints, with their health", { skip }, async () => {
  const router = await loaded();
  const registration = {
    name: "reg", version: "2.3.0", registeredAt: NOW,
    endpoints: [
      "https://r1.example", { url: "https://r2.example", id: "r2", region: "WEU", weight: 2, insecure: false },
    ],
  };
  assert.deepStrictEqual(router.setHealth({ now: NOW, registrations: { reg: registration } }).answer,
    { records: 0, ignored: 0, registrations: 1 });
  assert.deepStrictEqual(picks(router, "/reg/1", 2), ["https://r1.example", "https://r2.example"]);
  const { answer } = router.setHealth({
    now: NOW, health: [entry("reg", "r2", summary("unhealthy"))], registrations: { reg: registration },
  });
  assert.deepStrictEqual(answer, { records: 1, ignored: 0, registrations: 1 });
  // r2's record, found by the id its registration gives it, excludes it.
  assert.deepStrictEqual(picks(router, "/reg/1", 2), ["https://r1.example", "https://r1.example"]);
});

test("refused health inputs keep the health set before them", { skip }, async () => {
  const router = await loaded();
  router.setHealth({ now: NOW, health: [entry("api", "a", summary("unhealthy"))] });
  const refused = [
    // JSON is not the form: the module has no JSON reader (edge/README.md, "Live health").
    [`{"now": ${NOW}}`, /^the health must be in the tagged field form/],
    ["\0", /^health\.now must be a number/],
    [{ health: [] }, /^health\.now must be a number/],
    [{ now: "soon" }, /^health\.now must be a number/],
    [{ now: NOW, staleAfterSeconds: -1 }, /^health\.staleAfterSeconds must be/],
    [{ now: NOW, staleAfterSeconds: "30" }, /^health\.staleAfterSeconds must be/],
    [{ now: NOW, health: {} }, /^health\.health must be an array/],
    [{ now: NOW, registrations: [] }, /^health\.registrations must be an object/],
    [{ now: NOW, registrations: "reg" }, /^health\.registrations must be an object/],
    // Damaged forms, which only a host's bug writes: one that ends early, one that goes on
    // past its end, a count past the fields left, a tag the module does not know.
    [`\0n${NOW}\0-\0a2\0shealth:api:a\0-`, /^the health's fields are damaged after field 5/],
    [`\0n${NOW}\0-\0-\0-\0-`, /^the health's fields are damaged after field 4/],
    [`\0n${NOW}\0-\0a999999\0-\0-`, /^the health's fields are damaged after field 3/],
    [`\0n${NOW}\0-\0a1\0shealth:api:a\0q\0-`, /^the health's fields are damaged after field 5/],
  ];
  for (const [input, message] of refused) {
    const { status, answer } = router.setHealth(input);
    assert.equal(status, BAD_REQUEST, JSON.stringify(input).slice(0, 80));
    assert.match(answer.error, message, JSON.stringify(input).slice(0, 80));
  }
  // A member the envelope does not have is the caller's mistake, said before the module is called.
  assert.throws(() => router.setHealth({ now: NOW, extra: 1 }), /^TypeError: unknown key 'extra' in the health/);
  assert.equal(router.callRaw("mesh_set_health", 0, 8 * 1024 * 1024 + 1).status, TOO_LARGE);
  assert.equal(router.callRaw("mesh_set_health", 0, 3).status, INVALID_ARGUMENTS);
  // a is still excluded.
  assert.deepStrictEqual(picks(router, "/api/1"), [B, C, B]);
});

test("open circuits exclude endpoints by URL over the registry's health, across loads", { skip }, async () => {
  const router = await loaded();
  router.setHealth({ now: NOW, health: [entry("api", "c/ü", summary("degraded", { l: 40 }))] });
  assert.deepStrictEqual(router.setOpenCircuits([C, "https://nowhere.example"]),
    { status: OK, answer: { endpoints: 1 } });
  // c's record would keep it (degraded); its open circuit excludes it.
  assert.deepStrictEqual(picks(router, "/api/1"), [A, B, A]);
  // Every endpoint open and a fallback response configured: the router answers with it. The
  // candidates come with it, since the service has a fallback, open or not.
  router.setOpenCircuits(["https://g.example"]);
  const guarded = router.route({ url: "https://x.example/g/1" }).answer;
  assert.deepStrictEqual([guarded.endpoint, guarded.fallback, guarded.endpoints],
    [null, { status: 503, body: "down for now" }, [{ url: "https://g.example" }]]);
  // A new load lays the same list over the new config; a reset keeps it too.
  assert.equal(router.load(JSON.stringify(mesh)).status, OK);
  assert.equal(router.reset().status, OK);
  assert.equal(router.route({ url: "https://x.example/g/1" }).answer.endpoint, null);
  assert.deepStrictEqual(router.setOpenCircuits([]), { status: OK, answer: { endpoints: 0 } });
  assert.equal(router.route({ url: "https://x.example/g/1" }).answer.endpoint, "https://g.example");
  // Every endpoint open and no fallback: the router panics and uses them all.
  assert.deepStrictEqual(router.setOpenCircuits([A, B, C]), { status: OK, answer: { endpoints: 3 } });
  assert.deepStrictEqual(picks(router, "/api/1"), [`${A} (panic)`, `${B} (panic)`, `${C} (panic)`]);
  // The list is URLs, each after a NUL byte: JSON and other text are refused, and so is a URL
  // that is not UTF-8; an array of anything but URLs is the caller's mistake.
  for (const bad of ["[]", "[\"https://a.example\"]", "nope", Uint8Array.of(0, 0xff)]) {
    assert.equal(router.setOpenCircuits(bad).status, BAD_REQUEST, String(bad));
  }
  for (const bad of [[1], ["a", null], ["a\0b"], {}]) {
    assert.throws(() => router.setOpenCircuits(bad), /^TypeError: the open circuits must be an array of endpoint URLs/);
  }
  assert.equal(router.callRaw("mesh_set_open_circuits", 0, 1024 * 1024 + 1).status, TOO_LARGE);
  // The refused lists kept the one before them.
  assert.deepStrictEqual(picks(router, "/api/1", 1), [`${A} (panic)`]);
});

test("edge.serviceFallback: whether the decision's service has a fallback, used or not", { skip }, async () => {
  const router = await loaded();
  const decision = (url) => router.route({ url }).answer;
  assert.equal(decision("https://x.example/api/1").edge.serviceFallback, false);
  const guarded = decision("https://x.example/g/1");
  assert.equal(guarded.edge.serviceFallback, true, "guarded has one, though its endpoint is usable");
  assert.deepStrictEqual([guarded.endpoint, guarded.fallback], ["https://g.example", undefined]);
  assert.equal(decision("https://x.example/nowhere").edge.serviceFallback, false, "no route, no service");
  // The candidates come only with a fallback, the one case a Worker reads them.
  assert.equal(decision("https://x.example/api/1").endpoints, undefined);
  assert.deepStrictEqual(guarded.endpoints, [{ url: "https://g.example" }]);
});

test("edge.retryableMethod: idempotent methods, and others only where the rule lists them", { skip }, async () => {
  const router = await loaded();
  const retryable = (method, url) => router.route({ method, url }).answer.edge.retryableMethod;
  assert.equal(retryable("GET", "https://x.example/api/1"), true);
  assert.equal(retryable("PUT", "https://x.example/api/1"), true);
  assert.equal(retryable("POST", "https://x.example/api/1"), false);
  assert.equal(retryable("PATCH", "https://x.example/api/1"), false);
  assert.equal(retryable("POST", "https://x.example/w/1"), true, "the rule lists POST");
  const shop = await WasmRouter.open(modulePath);
  shop.load(readFileSync(join(root, "examples/shop/diddy-mesh.jsonc")));
  const decision = shop.route({ method: "POST", url: "https://api.shop.example/api/users/42" }).answer;
  assert.deepStrictEqual([decision.outcome, decision.edge],
    ["default", { retryableMethod: false, serviceFallback: true }]);
});

test("health can be set before any config is loaded", { skip }, async () => {
  const router = await WasmRouter.open(modulePath);
  assert.equal(router.setHealth({ now: NOW, health: [entry("api", "a", summary("unhealthy"))] }).status, OK);
  assert.equal(router.setOpenCircuits([B]).status, OK);
  router.load(JSON.stringify(mesh));
  // a is unhealthy and b open: only c is left.
  assert.deepStrictEqual(picks(router, "/api/1"), [C, C, C]);
});

test("numbers past 32 bits in records are read as the CLI reads them, never a trap", { skip }, async () => {
  const router = await loaded();
  // Records decades old, and latencies of days: Int is 32 bits in the module (wasm32).
  const health = [
    entry("api", "a", summary("unhealthy", { age: 3e9 })),
    entry("api", "https://b.example", summary("unhealthy", { age: 2 ** 33 })),
    entry("fast", "f 1/ü", summary("degraded", { l: 4e12 })),
    entry("fast", F2, summary("healthy", { l: 2 ** 40 + 2 ** 31 })),
  ];
  assert.equal(router.setHealth({ now: NOW, health }).status, OK);
  // Both unhealthy records are stale, so a and b are kept.
  assert.deepStrictEqual(picks(router, "/api/1"), [A, B, C]);
  // Read whole, 2^40 + 2^31 ms ranks before 4e12 ms. Cut to 32 bits it would rank after (2^31
  // is more than 4e12's remainder, 1,385,013,248), or, signed, not at all (a negative latency).
  assert.deepStrictEqual(picks(router, "/f/1"), [F2, F2, F2]);
  assert.equal(router.route({ url: "https://x.example/api/2" }).status, OK);
});
