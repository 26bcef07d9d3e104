// The Diddy-Mesh Worker (issue 16, item 3): for each request, the mesh config from KV, the
// registry's health, the wasm router's decision, and the request forwarded with the
// decision's policies. Nothing here decides where a request goes: that is the router's
// (edge/README.md), asked again whenever an endpoint has to be avoided. index.mjs is the entry
// Cloudflare runs; tests call createWorker with their own clock, randomness and module.

import { Breakers } from "./breakers.mjs";
import { describe } from "./deadline.mjs";
import { forward } from "./forward.mjs";
import { isKVNamespace, resolveBinding } from "./kv-binding.mjs";
import { MeshConfigSource } from "./mesh-config.mjs";
import {
  attemptFields, DECISION_HEADER, decisionFields, requestFields, round, serverTiming,
} from "./observability.mjs";
import { RegistryHealth } from "./registry-health.mjs";
import { readBody } from "./request-body.mjs";
import { routerRequest } from "./router-request.mjs";
import { fallbackResponse, meshResponse } from "./responses.mjs";
import { hex, traceContext } from "./trace-context.mjs";
import { upstreamHeaders } from "./upstream.mjs";
import { workerSettings } from "./settings.mjs";

/** A call into the wasm router threw: a trap, or the module's memory exhausted. */
class RouterFailure extends Error {
  constructor(cause) {
    super(`the router failed: ${describe(cause)}`, { cause });
    this.name = "RouterFailure";
  }
}

/**
 * A Worker: `{fetch(request, env, ctx)}`. `options.module` is the compiled router (a
 * WebAssembly.Module); the rest of `options` (settings.mjs) replaces the clock, randomness,
 * sleep, fetch and log sink, and the limits. The state it keeps (config, health, breakers)
 * lives as long as the object, which Cloudflare keeps per isolate.
 */
export function createWorker(options) {
  let isolate = null;
  return {
    async fetch(request, env, ctx) {
      // The vars come with the first request; an isolate's env does not change after it.
      isolate ??= new Isolate(workerSettings(options, env));
      return isolate.handle(request, env, ctx);
    },
  };
}

class Isolate {
  constructor(settings) {
    this.settings = settings;
    this.configs = new MeshConfigSource({
      ...settings, refreshMs: settings.configRefreshMs, deadlineMs: settings.kvDeadlineMs,
    });
    this.health = new RegistryHealth({
      ...settings, ttlMs: settings.healthTtlMs, deadlineMs: settings.healthDeadlineMs,
    });
    this.breakers = new Breakers();
    /** What the router in service has been given: its generation, the health version, the open circuits. */
    this.given = { generation: 0, sha: null, health: 0, open: [] };
  }

  async handle(request, env, ctx) {
    const { settings } = this;
    const started = settings.timer();
    const waitUntil = (promise) => (ctx?.waitUntil ? ctx.waitUntil(promise) : promise.catch(() => {}));
    const trace = traceContext(request.headers.get("traceparent"), settings.randomBytes);
    const id = hex(settings.randomBytes(8));
    const timings = { configMs: 0, decisionMs: 0, upstreamMs: null };
    const line = { event: "request", decision: id, trace: trace.traceId, ...requestFields(request) };
    const finish = (response, fields = {}) => {
      const answered = withMeshHeaders(response, id, timings);
      settings.log({
        ...line, ...fields, status: answered.status,
        timings: { configMs: round(timings.configMs), decisionMs: round(timings.decisionMs),
          upstreamMs: timings.upstreamMs === null ? null : round(timings.upstreamMs),
          totalMs: round(settings.timer() - started) },
      });
      return answered;
    };
    try {
      return await this.#route(request, env, { trace, id, timings, started, waitUntil, finish });
    } catch (error) {
      if (error instanceof RouterFailure) {
        // A module that trapped is not called again: the config gets a new instance.
        waitUntil(this.configs.recover());
        return finish(meshResponse(503, "the router failed on this request and is being restarted; try again"),
          { error: describe(error) });
      }
      return finish(meshResponse(500, "the Worker failed on this request; its log says why"),
        { error: describe(error) });
    }
  }

  async #route(request, env, { trace, id, timings, started, waitUntil, finish }) {
    const { settings } = this;
    const binding = resolveBinding(env);
    if (binding.problem) return finish(meshResponse(503, binding.problem), { error: binding.problem });
    const active = await this.configs.current(binding.kv, binding.name, waitUntil);
    if (active.problem) {
      return finish(meshResponse(503, `no mesh config in service: ${active.problem}`), { error: active.problem });
    }
    // Health lives where the config says the tools write it, when the Worker has that binding.
    const named = active.report.binding;
    const healthKV = named && named !== binding.name && isKVNamespace(env[named]) ? env[named] : binding.kv;
    await this.health.refresh(healthKV, named ?? binding.name, active.report.registeredServices ?? [], waitUntil);
    timings.configMs = settings.timer() - started;

    const routed = routerRequest(request, active.report.readHeaders);
    const decided = settings.timer();
    this.#bringUpToDate(active);
    const { status, answer } = call(() => active.router.route(routed));
    timings.decisionMs = settings.timer() - decided;
    const fields = { config: active.sha.slice(0, 12) };
    if (status !== 0) {
      const problem = answer?.error ?? `the router answered status ${status}`;
      return finish(meshResponse(status === 2 ? 503 : 400, `the request cannot be routed: ${problem}`),
        { ...fields, error: problem });
    }
    Object.assign(fields, decisionFields(answer));
    if (answer.outcome === "no-route") {
      return finish(
        meshResponse(404, "no route: no rule matches this request and there is no routing.default"), fields);
    }
    if (!answer.policy) {
      // mesh_route writes no notes; its two cases without a policy are these.
      const problem = answer.notes?.join("; ") ??
        (answer.service === null ? "the rule's split has no usable branch" : `service '${answer.service}' is not defined`);
      return finish(meshResponse(502, `the mesh config routes this request nowhere usable: ${problem}`),
        { ...fields, error: problem });
    }

    const body = await readBody(request, settings.maxBufferedBody, settings.bodyDeadlineMs);
    const upstreamStarted = settings.timer();
    const result = await forward({
      request, body, decision: answer, breakers: this.breakers, settings,
      headers: upstreamHeaders(request, { traceparent: trace.traceparent, decisionId: id }),
      redecide: (excluded) => this.#redecide(active, routed, excluded),
    });
    timings.upstreamMs = result.attempts.length > 0 ? settings.timer() - upstreamStarted : null;
    Object.assign(fields, decisionFields(result.decision), {
      attempts: attemptFields(result.attempts), fallback: result.fallback,
    });
    return finish(this.#answer(result), fields);
  }

  /** The response for a forwarding result. */
  #answer({ decision, attempts, outcome, fallback }) {
    if (fallback === "response") return fallbackResponse(decision.fallback);
    if (outcome === null) {
      const fallback = decision.fallback?.service;
      return meshResponse(503, `no endpoint of service '${decision.service}' is usable, ` +
        (fallback === undefined ? "and it has no fallback" : `nor of its fallback '${fallback}'`));
    }
    if (outcome.response) return outcome.response;
    const tries = `${attempts.length} attempt${attempts.length === 1 ? "" : "s"}`;
    if (outcome.error === "timeout") {
      return meshResponse(504, `service '${decision.service}' did not answer in time (${tries}; ${outcome.message})`);
    }
    return meshResponse(502, `service '${decision.service}' could not be reached (${tries}; ${outcome.message})`);
  }

  /**
   * Gives the router in service what it has not been given yet: after a new config, its
   * breakers start closed; the latest health; and the circuits the breakers hold open now
   * (an open circuit whose time is up reads half-open and lets its trial through).
   */
  #bringUpToDate(active) {
    const { given } = this;
    if (given.generation !== active.generation) {
      if (given.sha !== active.sha) this.breakers.clear();
      this.given = { generation: active.generation, sha: active.sha, health: 0, open: null };
    }
    const { input, version } = this.health.latest;
    if (input !== null && version !== this.given.health) {
      const { status, answer } = call(() => active.router.setHealth(input));
      if (status !== 0) this.settings.log({ event: "health-refused", level: "error", problem: answer?.error });
      else if (answer.ignored > 0) this.settings.log({ event: "health-read", level: "warning", ...answer });
      this.given.health = version;
    }
    const open = this.breakers.refusing(this.settings.now());
    if (this.given.open === null || open.join("\n") !== this.given.open.join("\n")) {
      call(() => active.router.setOpenCircuits(open));
      this.given.open = open;
    }
  }

  /**
   * The router's decision for the same request with `excluded` held open as well, for this
   * request only: the calls run back to back, so no other request sees the wider list.
   */
  #redecide(active, routed, excluded) {
    const open = [...new Set([...this.breakers.refusing(this.settings.now()), ...excluded])].sort();
    return call(() => {
      active.router.setOpenCircuits(open);
      try {
        const { status, answer } = active.router.route(routed);
        // The same request was decided a moment ago; a module that now refuses it is broken.
        if (status !== 0) throw new Error(`a second decision of the same request answered ${status}`);
        return answer;
      } finally {
        active.router.setOpenCircuits(this.given.open);
      }
    });
  }
}

/** Runs calls into the router, turning whatever they throw into a RouterFailure. */
function call(body) {
  try {
    return body();
  } catch (error) {
    throw error instanceof RouterFailure ? error : new RouterFailure(error);
  }
}

/** `response` with the decision id and Server-Timing added (an upstream's own entries kept). */
function withMeshHeaders(response, id, timings) {
  let answered;
  try {
    // An upstream's headers are immutable; a copy's are not.
    answered = new Response(response.body, response);
  } catch {
    return response;
  }
  answered.headers.set(DECISION_HEADER, id);
  answered.headers.append("server-timing", serverTiming(timings));
  return answered;
}
