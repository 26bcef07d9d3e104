// One attempt at an endpoint: the client's request, sent to the endpoint's origin and base
// path followed by the decision's forwardPath (stripPrefix already applied by the router) and
// the client's query, within the policy's timeout for the attempt (headers and body, as a
// route timeout bounds a whole response).

/** Headers that belong to one connection, never forwarded (RFC 9110, 7.6.1), and `host`,
 * which fetch sets from the endpoint; `content-length` is recomputed from the body sent. */
const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
  "transfer-encoding", "upgrade", "host", "content-length",
]);

/** The URL to send to, or null when the endpoint is not an http(s) URL (a config is never trusted). */
export function upstreamURL(endpoint, forwardPath, search) {
  let base;
  try {
    base = new URL(endpoint);
  } catch {
    return null;
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") return null;
  const path = typeof forwardPath === "string" && forwardPath.startsWith("/") ? forwardPath : "/";
  const target = new URL(base.origin);
  target.pathname = base.pathname.replace(/\/+$/, "") + path;
  target.search = search;
  return target;
}

/** The headers to send: the client's, less hop-by-hop ones, with the mesh's own set. */
export function upstreamHeaders(request, { traceparent, decisionId }) {
  const headers = new Headers();
  const named = new Set((request.headers.get("connection") ?? "").toLowerCase().split(",").map((name) => name.trim()));
  for (const [name, value] of request.headers) {
    if (!HOP_BY_HOP.has(name) && !named.has(name)) headers.append(name, value);
  }
  const url = new URL(request.url);
  headers.set("traceparent", traceparent);
  headers.set("x-mesh-decision", decisionId);
  headers.set("x-forwarded-host", url.host);
  headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  return headers;
}

/**
 * Sends one attempt. Answers `{status, response, ms}` when the endpoint answered (whatever
 * the status), or `{error, message, ms}`: `timeout` when the policy's timeout ran out,
 * `connect-failure` when no answer came (DNS, TCP, TLS, a reset), `bad-endpoint` when the
 * endpoint is not an http(s) URL.
 */
export async function attempt({ request, body, endpoint, policy, forwardPath, headers, fetch, timer }) {
  const started = timer();
  const target = upstreamURL(endpoint, forwardPath, new URL(request.url).search);
  if (!target) return { error: "bad-endpoint", message: "the endpoint is not an http(s) URL", ms: 0 };
  const init = {
    method: request.method, headers, redirect: "manual", signal: AbortSignal.timeout(policy.timeout),
  };
  if (body.replayable ? body.bytes !== null : true) {
    init.body = body.replayable ? body.bytes : body.stream;
    // Node's fetch needs to be told a stream is sent as it is read; Workers ignore the member.
    if (!body.replayable) init.duplex = "half";
  }
  try {
    const response = await fetch(target, init);
    return { status: response.status, response, ms: timer() - started };
  } catch (error) {
    const timedOut = error?.name === "TimeoutError" || error?.name === "AbortError";
    // The system's code (ECONNREFUSED) says why without saying anything of the request.
    const code = typeof error?.cause?.code === "string" ? ` (${error.cause.code})` : "";
    return {
      error: timedOut ? "timeout" : "connect-failure",
      message: timedOut ? `no answer within ${policy.timeout} ms` : `the connection failed${code}`,
      ms: timer() - started,
    };
  }
}
