// Forwarding one request with its decision's policies: attempts at the chosen endpoint within
// the timeout, retries with backoff and jitter on the retryOn conditions for a method that may
// repeat, the endpoint's circuit breaker, and the service's fallback when nothing worked.
// Which endpoint to use is always the router's answer: when a breaker refuses, or every
// attempt failed, the router is asked again with the endpoints to avoid held open
// (`redecide`), and answers with another endpoint, the fallback, or a panic.

import { RetryPolicy } from "./retry-policy.mjs";
import { attempt } from "./upstream.mjs";

/** More steps than any policy needs (10 retries, a few re-decisions): a bound, not a budget. */
const MAX_STEPS = 32;

/** Whether an attempt failed, for the breaker and the fallback: no answer, or a 5xx one. */
export function isFailure(outcome) {
  return outcome.error !== undefined || outcome.status >= 500;
}

/**
 * Forwards `job.request`. `job` has the request, its body (request-body.mjs), the upstream
 * headers, the first decision, the isolate's breakers, `redecide(excludedURLs)` and the
 * settings (now, timer, random, sleep, fetch). Answers `{decision, attempts, outcome,
 * fallback}`: the last decision, one entry per attempt, the outcome to answer with (an
 * attempt's, or null when none was made) and `response` or `service` when the fallback was
 * used.
 */
export async function forward(job) {
  const { settings } = job;
  const retry = new RetryPolicy(job.decision.policy?.retries, job.decision.edge?.retryableMethod);
  const attempts = [];
  const excluded = new Set();
  let decision = job.decision;
  let retries = 0;
  let last = null;
  for (let step = 0; step < MAX_STEPS && decision.endpoint; step++) {
    const endpoint = decision.endpoint;
    const breaker = job.breakers.for(endpoint, decision.policy?.circuitBreaker);
    // A panic means the router found nothing usable and uses everything anyway; so does this.
    if (breaker && !decision.panic && !breaker.allowRequest(settings.now())) {
      excluded.add(endpoint);
      decision = job.redecide(excluded);
      continue;
    }
    if (last !== null && !job.body.replayable) break;
    last = await send(job, endpoint, decision, breaker, attempts);
    if (!retry.shouldRetry(last.error ?? last.status, retries) || !job.body.replayable) break;
    discard(last);
    await settings.sleep(retry.delayMs(retries, settings.random));
    retries += 1;
  }
  if (last !== null && !isFailure(last)) return { decision, attempts, outcome: last, fallback: null };

  // Nothing worked: when the service has a fallback, the router, asked again without any
  // endpoint of this service or any tried, answers with it (or panics, when the fallback
  // service has nothing usable either). Without one it is not asked: every decision moves its
  // state (a round-robin turn) on.
  let fallen = decision;
  if (last !== null && job.decision.edge?.serviceFallback === true) {
    for (const candidate of decision.endpoints ?? []) excluded.add(candidate.url);
    for (const tried of attempts) excluded.add(tried.endpoint);
    fallen = job.redecide(excluded);
  }
  if (!fallen.endpoint && typeof fallen.fallback?.status === "number") {
    discard(last);
    return { decision: fallen, attempts, outcome: null, fallback: "response" };
  }
  const toFallbackService = last !== null && fallen.endpoint && fallen.fallback?.service !== undefined &&
    !fallen.panic && !excluded.has(fallen.endpoint) && retry.retryableMethod && job.body.replayable;
  if (toFallbackService) {
    const breaker = job.breakers.for(fallen.endpoint, fallen.policy?.circuitBreaker);
    if (!breaker || breaker.allowRequest(settings.now())) {
      discard(last);
      last = await send(job, fallen.endpoint, fallen, breaker, attempts);
      return { decision: fallen, attempts, outcome: last, fallback: isFailure(last) ? null : "service" };
    }
  }
  return { decision, attempts, outcome: last, fallback: null };
}

/** One attempt, recorded in `attempts` and in the endpoint's breaker. */
async function send(job, endpoint, decision, breaker, attempts) {
  const { settings } = job;
  const outcome = await attempt({
    request: job.request, body: job.body, endpoint, policy: decision.policy, forwardPath: decision.forwardPath,
    headers: job.headers, fetch: settings.fetch, timer: settings.timer,
  });
  attempts.push({ endpoint, status: outcome.status, error: outcome.error, ms: outcome.ms });
  if (breaker) {
    if (isFailure(outcome)) breaker.recordFailure(settings.now());
    else breaker.recordSuccess();
  }
  return outcome;
}

/** Lets go of an attempt's response body that will not be sent on. */
function discard(outcome) {
  outcome?.response?.body?.cancel().catch(() => {});
}
