// One endpoint's circuit breaker, with the states and transitions of MeshRouter's
// CircuitBreaker (Sources/MeshRouter/Policies/CircuitBreaker.swift), which the tests hold this
// to. Time is passed in as milliseconds, so tests drive it with plain numbers.
//
// - closed: requests pass; `failureThreshold` consecutive failures trip it.
// - open: requests are refused until the reset time; the open period is `resetTimeout`,
//   doubled for each consecutive trip, capped at `maxResetTimeout`.
// - half-open: once the reset time has passed, up to `halfOpenRequests` trial requests pass;
//   the first success closes the circuit (and forgets the trips), a failure opens it again
//   for the next, longer period.
//
// Outcomes reported while open (requests that started before the trip) are ignored.

export class CircuitBreaker {
  /**
   * `settings` is the decision's `policy.circuitBreaker`. Out-of-range values (which the
   * checks report) are read as the nearest sensible ones, as there.
   */
  constructor(settings) {
    const reset = Math.max(settings.resetTimeout, 0);
    this.settings = {
      failureThreshold: Math.max(settings.failureThreshold, 1),
      resetTimeout: reset,
      halfOpenRequests: Math.max(settings.halfOpenRequests, 1),
      maxResetTimeout: Math.max(settings.maxResetTimeout, reset),
    };
    this.state = "closed";
    this.consecutiveFailures = 0;
    this.trips = 0;
    this.openedAtMs = null;
    this.resetAtMs = null;
    this.trialRequests = 0;
  }

  /** The state at `nowMs` without changing anything: an open circuit past its reset time reads half-open. */
  stateAt(nowMs) {
    if (this.state === "open" && this.resetAtMs !== null && nowMs >= this.resetAtMs) return "half-open";
    return this.state;
  }

  /** Whether a request at `nowMs` would be refused, without counting it as a trial. */
  refuses(nowMs) {
    switch (this.state) {
      case "open": return this.resetAtMs === null || nowMs < this.resetAtMs;
      case "half-open": return this.trialRequests >= this.settings.halfOpenRequests;
      default: return false;
    }
  }

  /** Asks to send a request at `nowMs`; moves an open circuit whose time is up to half-open and counts trials. */
  allowRequest(nowMs) {
    switch (this.state) {
      case "closed":
        return true;
      case "open":
        if (this.resetAtMs === null || nowMs < this.resetAtMs) return false;
        this.state = "half-open";
        this.trialRequests = 1;
        return true;
      default:
        if (this.trialRequests >= this.settings.halfOpenRequests) return false;
        this.trialRequests += 1;
        return true;
    }
  }

  recordSuccess() {
    if (this.state === "closed") this.consecutiveFailures = 0;
    else if (this.state === "half-open") this.#close();
  }

  recordFailure(nowMs) {
    if (this.state === "closed") {
      this.consecutiveFailures += 1;
      if (this.consecutiveFailures >= this.settings.failureThreshold) this.#trip(nowMs);
    } else if (this.state === "half-open") {
      this.#trip(nowMs);
    }
  }

  /** How long the circuit stays open after trip number `trip` (1-based). */
  openDurationMs(trip) {
    const { resetTimeout, maxResetTimeout } = this.settings;
    if (resetTimeout <= 0) return 0;
    return Math.min(resetTimeout * 2 ** Math.max(trip - 1, 0), maxResetTimeout);
  }

  #trip(nowMs) {
    this.trips += 1;
    this.state = "open";
    this.openedAtMs = nowMs;
    this.resetAtMs = nowMs + this.openDurationMs(this.trips);
    this.consecutiveFailures = 0;
    this.trialRequests = 0;
  }

  #close() {
    this.state = "closed";
    this.trips = 0;
    this.consecutiveFailures = 0;
    this.trialRequests = 0;
    this.openedAtMs = null;
    this.resetAtMs = null;
  }
}
