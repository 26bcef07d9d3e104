// The registry's health as the Worker reads it and the router uses it: health: records in
// KV exclude endpoints, a short cache keeps them for a few seconds, registrations give
// services their endpoints, and a registry that cannot be read leaves the routing working.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { MemoryKV } from "./support/memory-kv.mjs";
import { harness, NOW, pushConfig, putHealth, skip } from "./support/worker-harness.mjs";
import { healthy } from "./support/upstreams.mjs";

let one;
let two;
before(async () => {
  [one, two] = await Promise.all([healthy("one"), healthy("two")]);
});
after(() => Promise.all([one?.close(), two?.close()]));

const summary = (s, at, c = "closed") => ({ s, t: at, l: null, c });
/** The listings of health records made so far (the config's refresh lists `mesh:` too). */
const healthListings = (kv) => kv.calls.filter(([method, prefix]) => method === "list" && prefix === "health:").length;

function mesh(binding = "MESH_KV") {
  return {
    version: 1,
    mesh: { registry: { binding } },
    services: {
      api: { endpoints: [{ url: one.url, id: "one", insecure: true }, { url: two.url, id: "two", insecure: true }] },
      found: {},
    },
    routing: { rules: [{ name: "found", path: "/found/*", service: "found" }], default: "api" },
  };
}

async function names(mesh_, count, path = "/") {
  const seen = [];
  for (let index = 0; index < count; index++) {
    const response = await mesh_.fetch(`https://x.example${path}`);
    seen.push(response.ok ? (await response.json()).name : response.status);
  }
  return seen;
}

test("an unhealthy record keeps traffic off its endpoint until a fresher record says otherwise", { skip }, async () => {
  const mesh_ = harness({ settings: { healthTtlMs: 5000 } });
  await pushConfig(mesh_.kv, mesh());
  await putHealth(mesh_.kv, "api", "one", summary("unhealthy", NOW - 2000));
  assert.deepStrictEqual(await names(mesh_, 4), ["two", "two", "two", "two"]);
  const listings = () => healthListings(mesh_.kv);
  assert.equal(listings(), 1, "one listing serves the requests within the cache's life");

  await putHealth(mesh_.kv, "api", "one", summary("healthy", NOW + 4000));
  mesh_.advance(5000);
  await names(mesh_, 1);
  await mesh_.settle();
  assert.equal(listings(), 2);
  assert.deepStrictEqual((await names(mesh_, 4)).sort(), ["one", "one", "two", "two"]);
});

test("an open circuit in the record excludes the endpoint; an old record counts as none", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh());
  await putHealth(mesh_.kv, "api", "one", summary("healthy", NOW, "open"));
  await putHealth(mesh_.kv, "api", "two", summary("unhealthy", NOW - 31_000));
  assert.deepStrictEqual(await names(mesh_, 3), ["two", "two", "two"]);
  const [endpoints] = mesh_.requests().map((line) => line.endpoint);
  assert.equal(endpoints, `${two.url}/`);
});

test("a registered service is routed to the endpoints of its registration", { skip }, async () => {
  const mesh_ = harness();
  await pushConfig(mesh_.kv, mesh());
  const unregistered = await mesh_.fetch("https://x.example/found/a");
  assert.equal(unregistered.status, 503);
  assert.equal(await unregistered.text(),
    "diddy-mesh: no endpoint of service 'found' is usable, and it has no fallback\n");

  const second = harness();
  await pushConfig(second.kv, mesh());
  await second.kv.put("service:found", JSON.stringify({
    name: "found", version: "1.2.0", registeredAt: NOW,
    endpoints: [{ url: one.url, id: "f1", insecure: true }, { url: two.url, id: "f2", insecure: true }],
  }), { metadata: { version: "1.2.0", endpoints: 2 } });
  await putHealth(second.kv, "found", "f1", summary("unhealthy", NOW));
  assert.deepStrictEqual(await names(second, 3, "/found/a"), ["two", "two", "two"]);
  assert.deepStrictEqual(second.kv.calls.filter(([method]) => method === "get"), [["get", "service:found"]],
    "only the registrations of services without static endpoints are read");
});

test("a registry that cannot be read leaves routing working; the records read before age out", { skip }, async () => {
  const mesh_ = harness({ settings: { healthTtlMs: 5000 } });
  await pushConfig(mesh_.kv, mesh());
  await putHealth(mesh_.kv, "api", "one", summary("unhealthy", NOW));
  assert.deepStrictEqual(await names(mesh_, 2), ["two", "two"]);

  mesh_.kv.failNext("list", new Error("KV is down"), 100, { prefix: "health:" });
  mesh_.advance(5000);
  assert.deepStrictEqual(await names(mesh_, 1), ["two"], "the records read before still hold");
  await mesh_.settle();
  assert.equal(mesh_.logs.filter((line) => line.event === "health-unavailable").length, 1);
  // 30 s after the record was written it is stale, whether or not the registry answers.
  mesh_.advance(26_000);
  await names(mesh_, 1);
  await mesh_.settle();
  assert.deepStrictEqual((await names(mesh_, 4)).sort(), ["one", "one", "two", "two"]);

  const fresh = harness();
  await pushConfig(fresh.kv, mesh());
  fresh.kv.failNext("list", new Error("KV is down"), 1, { prefix: "health:" });
  assert.equal((await fresh.fetch("https://x.example/")).status, 200, "no health yet: every endpoint is kept");
});

test("health is read from the binding the config names when the Worker has it", { skip }, async () => {
  const health = new MemoryKV();
  const mesh_ = harness({ env: { MESH_BINDING: "MESH_KV", HEALTH_KV: health } });
  await pushConfig(mesh_.kv, mesh("HEALTH_KV"));
  await putHealth(health, "api", "two", summary("unhealthy", NOW));
  assert.deepStrictEqual(await names(mesh_, 2), ["one", "one"]);
  assert.ok(mesh_.logs.some((line) => line.event === "binding-mismatch"));
});

test("the listing is read page by page, up to maxPages", { skip }, async () => {
  const mesh_ = harness({ settings: { maxPages: 3 } });
  await pushConfig(mesh_.kv, mesh());
  for (let index = 0; index < 2100; index++) {
    await putHealth(mesh_.kv, "aaa", `endpoint-${index}`, summary("healthy", NOW));
  }
  // Sorted after the 2,100 keys of "aaa": on the third page.
  await putHealth(mesh_.kv, "api", "one", summary("unhealthy", NOW));
  assert.deepStrictEqual(await names(mesh_, 2), ["two", "two"]);
  assert.equal(healthListings(mesh_.kv), 3);

  const short = harness({ settings: { maxPages: 2 } });
  await pushConfig(short.kv, mesh());
  for (let index = 0; index < 2100; index++) {
    await putHealth(short.kv, "aaa", `endpoint-${index}`, summary("healthy", NOW));
  }
  await putHealth(short.kv, "api", "one", summary("unhealthy", NOW));
  assert.deepStrictEqual((await names(short, 2)).sort(), ["one", "two"], "the record past the pages read is not seen");
  assert.match(short.logs.find((line) => line.event === "health-truncated").problem, /^more than 2000 health keys/);
});
