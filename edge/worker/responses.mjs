// The responses the Worker writes itself, rather than an upstream's: its own errors, and a
// service's fallback response. Their text is plain and says what happened and what to do;
// a fallback's body comes from the config, which is never trusted, so it is served as plain
// text that a browser will not sniff into HTML.

const TEXT = { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" };

/** A response of the Worker's own: `diddy-mesh: <message>`. */
export function meshResponse(status, message) {
  return new Response(`diddy-mesh: ${message}\n`, { status, headers: { ...TEXT, "cache-control": "no-store" } });
}

/**
 * A service's fallback response, `{status, body}` from the decision; a status a Response
 * cannot have (outside 200-599) is answered 503, as a fallback without a status is.
 */
export function fallbackResponse(fallback) {
  const status = Number.isInteger(fallback.status) && fallback.status >= 200 && fallback.status <= 599
    ? fallback.status : 503;
  const body = typeof fallback.body === "string" ? fallback.body : null;
  return new Response(status === 204 || status === 205 || status === 304 ? null : body, { status, headers: TEXT });
}
