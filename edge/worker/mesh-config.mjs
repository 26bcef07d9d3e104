// The isolate's mesh config: the route plan of the `mesh:plan` record of the mesh's KV binding
// (docs/edge.md, "The route plan"), which `diddy-mesh config push` compiles from the config it
// writes to `mesh:config`, loaded into an instance of the wasm router and refreshed at most
// every `refreshMs`. Each refresh lists the `mesh:` keys with their metadata, which carries
// the sha256 of the plan and of the config: an unchanged plan costs that listing only, and a
// new one is read and believed only once its bytes hash to its sha256. Each new plan gets a
// new router instance (fresh memory and state), which replaces the old one only when the plan
// loaded and its config had no errors; a plan that fails keeps the one before it serving, and
// is not tried again until its sha256 changes. The config in service is named by its own
// sha256 (`sha`), the one `config push` prints; a `mesh:config` of another sha256 than the
// plan's config is logged once (`plan-stale`).

import { describe, withDeadline } from "./deadline.mjs";
import { sha256Hex } from "./sha256.mjs";
import { WasmRouter } from "./wasm-router.mjs";

export const PLAN_KEY = "mesh:plan";
/** The config's text, whose sha256 in the metadata names the config the plan should be of. */
export const CONFIG_KEY = "mesh:config";
/** The largest plan the router loads (HostBytes.maximumPlanSize in edge/router). */
export const MAXIMUM_PLAN_BYTES = 16 << 20;

export class MeshConfigSource {
  #settings;
  /**
   * `{router, sha, planSha, report, bytes, generation}` of the config in service, or null:
   * `sha` is the config's sha256, `planSha` that of the plan's bytes.
   */
  #active = null;
  /** `{planSha}` of the last plan refused, so it is not loaded again and again. */
  #refused = null;
  /** The last plan and config pair found not to match, so it is logged once. */
  #stale = null;
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
        .catch((error) => this.#unavailable(`${PLAN_KEY} could not be loaded: ${describe(error)}`))
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
    // One listing gives the metadata of both records without their values.
    let listed;
    try {
      listed = await withDeadline(kv.list({ prefix: "mesh:" }), deadlineMs, `listing ${PLAN_KEY}`);
    } catch (error) {
      return this.#unavailable(`${PLAN_KEY} could not be read from the KV binding ${binding}: ${describe(error)}`);
    }
    const keys = Array.isArray(listed?.keys) ? listed.keys : [];
    const plan = keys.find((key) => key?.name === PLAN_KEY);
    const config = keys.find((key) => key?.name === CONFIG_KEY);
    // A namespace with a thousand other `mesh:` keys pages the listing; the plan is then read
    // directly rather than taken for missing.
    if (!plan && listed?.list_complete !== false) return this.#missing(binding);
    const listedSha = typeof plan?.metadata?.sha256 === "string" ? plan.metadata.sha256.toLowerCase() : null;
    if (listedSha === null || listedSha !== this.#active?.planSha) await this.#readPlan(kv, binding, listedSha);
    this.#checkStale(config?.metadata?.sha256);
  }

  /** Reads and loads the plan, unless the listing's sha256 names the one refused last. */
  async #readPlan(kv, binding, listedSha) {
    const { deadlineMs } = this.#settings;
    if (listedSha !== null && listedSha === this.#refused?.planSha) return;
    let entry;
    try {
      entry = await withDeadline(
        kv.getWithMetadata(PLAN_KEY, { type: "arrayBuffer" }), deadlineMs, `reading ${PLAN_KEY}`);
    } catch (error) {
      return this.#unavailable(`${PLAN_KEY} could not be read from the KV binding ${binding}: ${describe(error)}`);
    }
    if (entry?.value === null || entry?.value === undefined) return this.#missing(binding);
    const bytes = new Uint8Array(entry.value);
    const claimed = entry.metadata?.sha256;
    if (claimed !== undefined && claimed !== null && typeof claimed !== "string") {
      return this.#refuse(null, `the sha256 in the metadata of ${PLAN_KEY} is not a string`);
    }
    const stated = claimed?.toLowerCase() ?? null;
    // The metadata names the plan in service, or the one refused last: nothing to do.
    if (stated !== null && (stated === this.#active?.planSha || stated === this.#refused?.planSha)) return;
    if (bytes.byteLength > MAXIMUM_PLAN_BYTES) {
      return this.#refuse(stated,
        `${PLAN_KEY} is ${bytes.byteLength} bytes; the router loads at most ${MAXIMUM_PLAN_BYTES}`);
    }
    const planSha = await sha256Hex(bytes);
    if (stated !== null && stated !== planSha) {
      return this.#refuse(stated,
        `the sha256 in the metadata of ${PLAN_KEY} (${stated.slice(0, 12)}) does not match its value ` +
        `(${planSha.slice(0, 12)}): a torn or hand-edited write; push the config again`);
    }
    if (planSha === this.#active?.planSha || planSha === this.#refused?.planSha) return;
    await this.#load(bytes, planSha, binding);
  }

  async #load(bytes, planSha, binding) {
    let router;
    let loaded;
    try {
      router = await WasmRouter.instantiate(this.#settings.module);
      loaded = router.load(bytes);
    } catch (error) {
      return this.#refuse(planSha,
        `the router failed while loading the plan (sha256 ${planSha.slice(0, 12)}): ${describe(error)}`);
    }
    const { status, answer } = loaded;
    if (status !== 0) return this.#refuse(planSha, `the router refused ${PLAN_KEY}: ${answer?.error}`);
    // The config's own sha256, as `config push` printed it; the plan's when it was not told.
    const sha = answer.config || planSha;
    if (answer.errors > 0) {
      return this.#refuse(planSha,
        `the mesh config (sha256 ${sha.slice(0, 12)}) has ${answer.errors} error${answer.errors === 1 ? "" : "s"}, ` +
        "so the Worker does not route with it; `diddy-mesh check` shows them", answer.findings, sha);
    }
    this.#active = { router, sha, planSha, report: answer, bytes, generation: ++this.#generation };
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

  /**
   * Logs once when the plan in service was compiled from another config than the one in
   * `mesh:config` (`configSha`): a config written without its plan (`kv put`, or the `config
   * push` of a release before plans), or a refresh between `config push`'s two writes. The
   * plan keeps serving: it is the last config pushed whole.
   */
  #checkStale(configSha) {
    const active = this.#active;
    if (!active || typeof configSha !== "string" || !active.report.config) return;
    const pair = `${active.planSha}:${configSha.toLowerCase()}`;
    if (configSha.toLowerCase() === active.sha) {
      this.#stale = null;
      return;
    }
    if (this.#stale === pair) return;
    this.#stale = pair;
    this.#settings.log({
      event: "plan-stale", level: "warning", sha: active.sha, config: configSha.toLowerCase(),
      message: `${PLAN_KEY} was compiled from the config with sha256 ${active.sha.slice(0, 12)}, but ` +
        `${CONFIG_KEY} holds ${configSha.slice(0, 12)}; this Worker routes with the plan until ` +
        "`diddy-mesh config push` writes both",
    });
  }

  /** No plan in the namespace, listed or read. */
  #missing(binding) {
    this.#unavailable(
      `the KV binding ${binding} has no ${PLAN_KEY}; deploy a config with \`diddy-mesh config push\``);
  }

  /** No config to read: the one in service, if any, keeps serving. */
  #unavailable(problem) {
    this.#settings.log({ event: "config-unavailable", level: this.#active ? "warning" : "error", problem,
      serving: this.#active?.sha ?? null });
    if (!this.#active) this.#problem = problem;
  }

  /**
   * A plan that will not be used; `planSha` (when known) is remembered so it is not tried
   * again. The log names the config by `sha` when the plan said it, else by the plan's.
   */
  #refuse(planSha, problem, findings = undefined, sha = planSha) {
    this.#refused = { planSha };
    this.#settings.log({ event: "config-refused", level: "error", sha, problem, findings,
      serving: this.#active?.sha ?? null });
    if (!this.#active) this.#problem = problem;
  }
}
