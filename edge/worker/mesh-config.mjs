// The isolate's mesh config: read from the `mesh:config` record of the mesh's KV binding
// (docs/guide/registry.md), loaded into an instance of the wasm router, and refreshed at most
// every `refreshMs`. The record's metadata carries the sha256 of the value: an unchanged
// sha256 costs nothing more, and a new one is believed only once the bytes hash to it. Each
// new config gets a new router instance (fresh memory and state), which replaces the old one
// only when the config loaded without errors; a config that fails keeps the one before it
// serving, and is not tried again until its sha256 changes.

import { describe, withDeadline } from "./deadline.mjs";
import { sha256Hex } from "./sha256.mjs";
import { WasmRouter } from "./wasm-router.mjs";

export const CONFIG_KEY = "mesh:config";
/** The largest config the router loads (HostBytes.maximumConfigSize in edge/router). */
export const MAXIMUM_CONFIG_BYTES = 16 << 20;

export class MeshConfigSource {
  #settings;
  /** `{router, sha, report, bytes, generation}` of the config in service, or null. */
  #active = null;
  /** `{sha, problem}` of the last config refused, so it is not loaded again and again. */
  #refused = null;
  /** Why there is no config in service, when there is none. */
  #problem = "the mesh config has not been read yet";
  #checkedAt = -Infinity;
  #reading = null;
  #generation = 0;

  /** `settings`: module (the compiled router), now, refreshMs, deadlineMs, log. */
  constructor(settings) {
    this.#settings = settings;
  }

  /**
   * The config in service: `{router, sha, report, generation}`, or `{problem}` when there is
   * none. Reads KV first when the last read is `refreshMs` old: the first time on the
   * request's path, later in the background (`waitUntil`), so a request never waits for a
   * refresh while a config is in service.
   */
  async current(kv, binding, waitUntil) {
    if (this.#settings.now() - this.#checkedAt >= this.#settings.refreshMs) {
      this.#reading ??= this.#read(kv, binding)
        .catch((error) => this.#unavailable(`${CONFIG_KEY} could not be loaded: ${describe(error)}`))
        .finally(() => {
          this.#reading = null;
        });
      if (this.#active) waitUntil(this.#reading);
      else await this.#reading;
    }
    return this.#active ?? { problem: this.#problem };
  }

  /**
   * A new instance for the config in service, after its router trapped: a trap may leave a
   * module's memory in any state, so it is not called again. Resolves to whether the config
   * is back in service.
   */
  async recover() {
    const trapped = this.#active;
    if (!trapped) return false;
    this.#active = null;
    this.#problem = "the router failed and is being restarted";
    try {
      const router = await WasmRouter.instantiate(this.#settings.module);
      const { status, answer } = router.load(trapped.bytes);
      if (status !== 0) throw new Error(answer?.error);
      this.#active = { ...trapped, router, report: answer, generation: ++this.#generation };
      this.#settings.log({ event: "router-restarted", sha: trapped.sha });
      return true;
    } catch (error) {
      this.#problem = `the router failed and could not be restarted (${describe(error)})`;
      this.#settings.log({ event: "router-restart-failed", sha: trapped.sha, error: describe(error) });
      return false;
    }
  }

  async #read(kv, binding) {
    const { now, deadlineMs } = this.#settings;
    this.#checkedAt = now();
    let entry;
    try {
      entry = await withDeadline(
        kv.getWithMetadata(CONFIG_KEY, { type: "arrayBuffer" }), deadlineMs, `reading ${CONFIG_KEY}`);
    } catch (error) {
      return this.#unavailable(`${CONFIG_KEY} could not be read from the KV binding ${binding}: ${describe(error)}`);
    }
    if (entry?.value === null || entry?.value === undefined) {
      return this.#unavailable(
        `the KV binding ${binding} has no ${CONFIG_KEY}; deploy a config with \`diddy-mesh config push\``);
    }
    const bytes = new Uint8Array(entry.value);
    const claimed = entry.metadata?.sha256;
    if (claimed !== undefined && claimed !== null && typeof claimed !== "string") {
      return this.#refuse(null, `the sha256 in the metadata of ${CONFIG_KEY} is not a string`);
    }
    const stated = claimed?.toLowerCase() ?? null;
    // The metadata names the config in service, or the one refused last: nothing to do.
    if (stated !== null && (stated === this.#active?.sha || stated === this.#refused?.sha)) return;
    if (bytes.byteLength > MAXIMUM_CONFIG_BYTES) {
      return this.#refuse(stated,
        `${CONFIG_KEY} is ${bytes.byteLength} bytes; the router loads at most ${MAXIMUM_CONFIG_BYTES}`);
    }
    const sha = await sha256Hex(bytes);
    if (stated !== null && stated !== sha) {
      return this.#refuse(stated,
        `the sha256 in the metadata of ${CONFIG_KEY} (${stated.slice(0, 12)}) does not match its value ` +
        `(${sha.slice(0, 12)}): a torn or hand-edited write; push the config again`);
    }
    if (sha === this.#active?.sha || sha === this.#refused?.sha) return;
    await this.#load(bytes, sha, binding);
  }

  async #load(bytes, sha, binding) {
    let router;
    let loaded;
    try {
      router = await WasmRouter.instantiate(this.#settings.module);
      loaded = router.load(bytes);
    } catch (error) {
      return this.#refuse(sha,
        `the router failed while loading the config (sha256 ${sha.slice(0, 12)}): ${describe(error)}`);
    }
    const { status, answer } = loaded;
    if (status !== 0) return this.#refuse(sha, `the router refused the config: ${answer?.error}`);
    if (answer.errors > 0) {
      return this.#refuse(sha,
        `the mesh config (sha256 ${sha.slice(0, 12)}) has ${answer.errors} error${answer.errors === 1 ? "" : "s"}, ` +
        "so the Worker does not route with it; `diddy-mesh check` shows them", answer.findings);
    }
    this.#active = { router, sha, report: answer, bytes, generation: ++this.#generation };
    this.#refused = null;
    this.#problem = null;
    this.#settings.log({
      event: "config-loaded", sha, services: answer.services, rules: answer.rules, warnings: answer.warnings,
    });
    // The tools write health into the namespace the config names; a Worker reading another
    // one would route without it, which is worth saying once per config.
    if (answer.binding !== null && answer.binding !== binding) {
      this.#settings.log({
        event: "binding-mismatch", level: "warning", configBinding: answer.binding, workerBinding: binding,
        message: `the config names the KV binding ${answer.binding}, but the Worker reads ${binding} (MESH_BINDING)`,
      });
    }
  }

  /** No config to read: the one in service, if any, keeps serving. */
  #unavailable(problem) {
    this.#settings.log({ event: "config-unavailable", level: this.#active ? "warning" : "error", problem,
      serving: this.#active?.sha ?? null });
    if (!this.#active) this.#problem = problem;
  }

  /** A config that will not be used; `sha` (when known) is remembered so it is not tried again. */
  #refuse(sha, problem, findings = undefined) {
    this.#refused = { sha };
    this.#settings.log({ event: "config-refused", level: "error", sha, problem, findings,
      serving: this.#active?.sha ?? null });
    if (!this.#active) this.#problem = problem;
  }
}
