// The Worker's entry as Cloudflare loads it: index.mjs imports the router's .wasm as a module
// (here through a hook that does what wrangler's CompiledWasm rule does) and exports the
// fetch handler, which routes with a config from KV.
import assert from "node:assert/strict";
import { register } from "node:module";
import { after, before, test } from "node:test";

import { MemoryKV } from "./support/memory-kv.mjs";
import { pushConfig, skip } from "./support/worker-harness.mjs";
import { healthy } from "./support/upstreams.mjs";

let api;
before(async () => {
  api = await healthy("api");
});
after(() => api?.close());

test("index.mjs exports a fetch handler that routes", { skip }, async () => {
  register("./support/wasm-loader.mjs", import.meta.url);
  const { default: worker } = await import("../worker/index.mjs");
  const kv = new MemoryKV();
  await pushConfig(kv, {
    version: 1, services: { api: { endpoints: [{ url: api.url, insecure: true }] } }, routing: { default: "api" },
  });
  const logged = [];
  const log = console.log;
  console.log = (line) => logged.push(line);
  let response;
  try {
    response = await worker.fetch(new Request("https://x.example/hello"), { MESH_KV: kv }, { waitUntil() {} });
  } finally {
    console.log = log;
  }
  assert.equal(response.status, 200);
  assert.equal((await response.json()).url, "/hello");
  const request = logged.map((line) => JSON.parse(line)).find((line) => line.event === "request");
  assert.equal(request.status, 200, "the log line is JSON on console.log");
});
