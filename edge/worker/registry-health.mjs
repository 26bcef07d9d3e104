// The registry's live data for the router (mesh_set_health, edge/README.md): one listing of
// `health:` (the summaries in the keys' metadata, no read per endpoint) and the registrations
// of the services that have no static endpoints, read from KV at most every `ttlMs` and
// handed to the router as KV gave them, for it to read as `diddy-mesh route --live` reads the
// registry. All services are read at once, as the tools' registry reader does for a mesh of
// more than eight: one listing serves every decision until the next, whatever services the
// requests reach, instead of reads on the request's path for each service a decision
// considers.

import { describe, withDeadline } from "./deadline.mjs";

const HEALTH_PREFIX = "health:";

export class RegistryHealth {
  #settings;
  /** What the router is given: `{now, staleAfterSeconds, health, registrations}`, or null before the first read. */
  #input = null;
  /** Counts the inputs, so a caller can tell a router still has to be given the latest one. */
  #version = 0;
  #readAt = -Infinity;
  #services = null;
  #reading = null;

  /**
   * `settings`: now, ttlMs, deadlineMs, staleAfterSeconds, maxPages (listing pages of up to
   * 1,000 keys), maxRegistrations, maxRegistrationBytes, log.
   */
  constructor(settings) {
    this.#settings = settings;
  }

  /** The latest input and its version (0 before the first read). */
  get latest() {
    return { input: this.#input, version: this.#version };
  }

  /**
   * Reads KV again when the last read is `ttlMs` old, or when the config's registered services
   * changed: on the request's path when there is nothing for those services yet, else in the
   * background (`waitUntil`), so a request never waits for a refresh.
   */
  async refresh(kv, binding, registeredServices, waitUntil) {
    const services = registeredServices.join("\n");
    const current = this.#input !== null && services === this.#services;
    if (current && this.#settings.now() - this.#readAt < this.#settings.ttlMs) return;
    this.#reading ??= this.#read(kv, binding, registeredServices, services).finally(() => {
      this.#reading = null;
    });
    if (current) waitUntil(this.#reading);
    else await this.#reading;
  }

  async #read(kv, binding, registeredServices, services) {
    const { now, deadlineMs, staleAfterSeconds, log } = this.#settings;
    this.#readAt = now();
    this.#services = services;
    try {
      const [health, registrations] = await withDeadline(
        Promise.all([this.#listing(kv), this.#registrations(kv, registeredServices)]), deadlineMs,
        `reading health from the KV binding ${binding}`);
      this.#input = { now: now(), staleAfterSeconds, health, registrations };
    } catch (error) {
      log({ event: "health-unavailable", level: "warning", binding, problem: describe(error) });
      // The records read before keep ageing: given again with this time, they turn stale
      // after staleAfterSeconds instead of looking fresh for ever.
      this.#input = { ...(this.#input ?? { staleAfterSeconds, health: [], registrations: {} }), now: now() };
    }
    this.#version += 1;
  }

  /** The keys of `health:` with their metadata, up to `maxPages` pages. */
  async #listing(kv) {
    const keys = [];
    let cursor;
    for (let page = 0; page < this.#settings.maxPages; page++) {
      const result = await kv.list({ prefix: HEALTH_PREFIX, cursor });
      for (const key of Array.isArray(result?.keys) ? result.keys : []) {
        keys.push({ name: key?.name, metadata: key?.metadata ?? null });
      }
      if (result?.list_complete !== false || typeof result.cursor !== "string") return keys;
      cursor = result.cursor;
    }
    this.#settings.log({
      event: "health-truncated", level: "warning",
      problem: `more than ${keys.length} health keys; the rest are not read, so their endpoints have no record`,
    });
    return keys;
  }

  /** The `service:<name>` values that parse as JSON and are not too large, by name. */
  async #registrations(kv, names) {
    const { maxRegistrations, maxRegistrationBytes, log } = this.#settings;
    const read = names.slice(0, maxRegistrations).map(async (name) => {
      const value = await kv.get(`service:${name}`, { type: "arrayBuffer" });
      if (value === null || value === undefined) return null;
      if (value.byteLength > maxRegistrationBytes) {
        log({ event: "registration-skipped", level: "warning", service: name,
          problem: `service:${name} is ${value.byteLength} bytes; at most ${maxRegistrationBytes} are read` });
        return null;
      }
      try {
        return [name, JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(value))];
      } catch {
        // The router would leave it out as not shaped as documented; so is text that is not JSON.
        return null;
      }
    });
    return Object.fromEntries((await Promise.all(read)).filter((entry) => entry !== null));
  }
}
