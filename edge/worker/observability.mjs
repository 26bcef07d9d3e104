// What the Worker tells about each request: the Server-Timing header (where the time went),
// the decision id header that names the request in the log, and one JSON log line. The log
// holds what explains a routing decision and nothing of what the client sent beyond its
// method, host and path: no query string, no header values (cookies, authorization), no body.

export const DECISION_HEADER = "x-mesh-decision";

/** `mesh-config;dur=0.3, mesh-decision;dur=0.1, mesh-upstream;dur=41.7`: milliseconds, rounded to 0.1. */
export function serverTiming({ configMs, decisionMs, upstreamMs }) {
  const entries = [["mesh-config", configMs], ["mesh-decision", decisionMs]];
  if (upstreamMs !== null) entries.push(["mesh-upstream", upstreamMs]);
  return entries.map(([name, ms]) => `${name};dur=${round(ms)}`).join(", ");
}

/** An endpoint or request URL as the log shows it: origin and path, never credentials or a query. */
export function loggedURL(url) {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return "(not a URL)";
  }
}

/** The log line's fields for the request itself. */
export function requestFields(request) {
  const url = new URL(request.url);
  return { method: request.method, host: url.host, path: url.pathname };
}

/** The log line's fields for a decision: where it routed and why. */
export function decisionFields(decision) {
  return {
    outcome: decision.outcome,
    rule: decision.rule ? { index: decision.rule.index, name: decision.rule.name, path: decision.rule.path } : null,
    service: decision.service,
    endpoint: decision.endpoint === null ? null : loggedURL(decision.endpoint),
    fallbackService: decision.fallback?.service ?? null,
    panic: decision.panic === true,
  };
}

/** Each attempt as `{endpoint, status}` or `{endpoint, error}`, with its time. */
export function attemptFields(attempts) {
  return attempts.map(({ endpoint, status, error, ms }) => ({
    endpoint: loggedURL(endpoint), ...(error === undefined ? { status } : { error }), ms: round(ms),
  }));
}

export function round(ms) {
  return Math.round(ms * 10) / 10;
}
