// The Worker under test: createWorker with an in-memory KV binding, a clock the test moves,
// sleeps that advance that clock instead of waiting, fixed randomness, and the log lines
// collected. Requests go through its fetch as Cloudflare would call it, with a ctx whose
// waitUntil promises the test can wait for (`settle`).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { createWorker } from "../../worker/worker.mjs";
import { MemoryKV } from "./memory-kv.mjs";
import { cliMissing, planOf } from "./plans.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const modulePath = process.env.DIDDY_MESH_WASM ?? join(root, ".build/wasm/diddy-mesh-router.wasm");
export const skip = existsSync(modulePath) ? cliMissing ?? false : `${modulePath} is missing (make wasm builds it)`;

/** The moment every test starts at, in epoch milliseconds. */
export const NOW = 1_764_374_400_000;

let compiled = null;
/** The router, compiled once for all the tests of a file, as Workers compile it once per upload. */
export function routerModule() {
  compiled ??= new WebAssembly.Module(readFileSync(modulePath));
  return compiled;
}

/** Lower-case hex SHA-256 of a text's (or bytes') UTF-8 bytes, as `diddy-mesh config push` writes it. */
export function sha256(text) {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Writes `config` (an object or text) to mesh:config and its route plan to mesh:plan, as
 * `config push` does; answers the config's sha256. `metadata` replaces the plan's.
 */
export async function pushConfig(kv, config, { metadata } = {}) {
  const text = typeof config === "string" ? config : JSON.stringify(config, null, 2);
  const digest = sha256(text);
  const plan = planOf(text);
  await kv.put("mesh:config", text, { metadata: { sha256: digest, deployedAt: NOW } });
  await kv.put("mesh:plan", plan, {
    metadata: metadata ?? { sha256: sha256(plan), configSha256: digest, format: 3, deployedAt: NOW },
  });
  return digest;
}

/** A health record's key and summary, as `diddy-mesh health probe` writes them. */
export async function putHealth(kv, service, endpointId, summary) {
  await kv.put(`health:${service}:${encodeURIComponent(endpointId)}`, "{}", { metadata: summary });
}

/**
 * A Worker and what a test needs around it. `settings` go to createWorker (over the
 * harness's clock, sleep and randomness); `env` is added to the binding `MESH_KV`.
 */
export function harness({ settings = {}, env = {} } = {}) {
  const clock = { now: NOW };
  const kv = new MemoryKV({ now: () => clock.now });
  const logs = [];
  const sleeps = [];
  const pending = [];
  let draws = 0;
  const worker = createWorker({
    module: routerModule(),
    now: () => clock.now,
    random: () => 0.5,
    // Distinct, never all-zero bytes: ids differ from request to request, reproducibly.
    randomBytes: (count) => Uint8Array.from({ length: count }, (_, index) => ((draws++ * 31 + index * 7) % 255) + 1),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    log: (line) => logs.push(line),
    ...settings,
  });
  const bindings = { MESH_KV: kv, ...env };
  return {
    worker, kv, clock, logs, sleeps, env: bindings,
    advance(ms) {
      clock.now += ms;
    },
    /** Sends a request through the Worker; `cf` becomes request.cf. */
    async fetch(url, init = {}, cf = undefined) {
      const request = new Request(url, init);
      if (cf) Object.defineProperty(request, "cf", { value: cf });
      return worker.fetch(request, bindings, { waitUntil: (promise) => pending.push(promise) });
    },
    /** Waits for the background work (refreshes) the requests so far started. */
    async settle() {
      while (pending.length > 0) await pending.shift();
    },
    /** The log lines of requests, one a request. */
    requests() {
      return logs.filter((line) => line.event === "request");
    },
  };
}
