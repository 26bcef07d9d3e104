// The circuit breakers of one isolate, one per endpoint URL, and the list of endpoints they
// hold open, which the router is given (mesh_set_open_circuits) so that it routes around
// them itself. A new config starts them all closed again, as it starts the router's state.

import { CircuitBreaker } from "./circuit-breaker.mjs";

export class Breakers {
  #byURL = new Map();

  /**
   * The breaker of `url`, created with `settings` (the decision's policy.circuitBreaker) the
   * first time; null when the decision has no breaker. Two services sharing one URL with
   * different settings share the breaker made with the first settings seen.
   */
  for(url, settings) {
    if (!settings) return null;
    let breaker = this.#byURL.get(url);
    if (!breaker) {
      breaker = new CircuitBreaker(settings);
      this.#byURL.set(url, breaker);
    }
    return breaker;
  }

  /** The URLs whose breaker refuses a request at `nowMs`, sorted so equal lists compare equal. */
  refusing(nowMs) {
    const urls = [];
    for (const [url, breaker] of this.#byURL) if (breaker.refuses(nowMs)) urls.push(url);
    return urls.sort();
  }

  clear() {
    this.#byURL.clear();
  }
}
