// The decision's retry policy as the Worker applies it, with the rules of MeshRouter's
// RetryBackoff and RetryCondition (Sources/MeshRouter/Policies/RetryBackoff.swift), which the
// tests hold these to: attempts counted from 0, `min(max, base * 2^attempt)` milliseconds with
// full jitter (a uniform draw from 0 to that) unless `jitter` is `none`, and a retry only on a
// listed condition and for a method the decision's `edge.retryableMethod` allows.

/**
 * Whether `entry` of `retryOn` covers `condition`: `5xx` (any class written `Nxx`), an exact
 * status such as `429`, `connect-failure` or `timeout`. A condition is a status number, or
 * the string `connect-failure` or `timeout`; an entry the schema does not know never matches.
 */
export function conditionMatches(condition, entry) {
  if (typeof condition !== "number") return entry === condition;
  if (/^[1-5]xx$/.test(entry)) return Math.floor(condition / 100) === Number(entry[0]);
  // As Swift's Int(entry) reads it: digits, with an optional sign.
  return /^[+-]?\d+$/.test(entry) && Number(entry) === condition;
}

export class RetryPolicy {
  /** `retries` is the decision's `policy.retries`; `retryableMethod` its `edge.retryableMethod`. */
  constructor(retries, retryableMethod) {
    this.attempts = Math.max(0, Math.trunc(retries?.attempts ?? 0));
    this.base = retries?.backoff?.base ?? 0;
    this.max = retries?.backoff?.max ?? 0;
    this.jitter = retries?.backoff?.jitter ?? "full";
    this.retryOn = Array.isArray(retries?.retryOn) ? retries.retryOn : [];
    this.retryableMethod = retryableMethod === true;
  }

  /** The largest delay before retry `attempt` (0 for the first retry). */
  ceilingMs(attempt) {
    const maximum = Math.max(this.max, 0);
    const base = Math.min(Math.max(this.base, 0), maximum);
    // A zero base stays zero (and 0 * 2^1024 would be NaN, not 0).
    return base === 0 ? 0 : Math.min(base * 2 ** Math.max(attempt, 0), maximum);
  }

  /** The delay before retry `attempt`; `random` returns a number in [0, 1). */
  delayMs(attempt, random) {
    const ceiling = this.ceilingMs(attempt);
    if (this.jitter === "none" || ceiling <= 0) return ceiling;
    return Math.min(ceiling, Math.floor(random() * (ceiling + 1)));
  }

  /** Whether an attempt that ended in `condition` after `attempt` retries may be retried. */
  shouldRetry(condition, attempt) {
    return this.retryableMethod && attempt >= 0 && attempt < this.attempts &&
      this.retryOn.some((entry) => conditionMatches(condition, entry));
  }
}
