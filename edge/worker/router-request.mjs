// The request as the wasm router reads it (edge/README.md, `mesh_decide`): the method, the
// URL, the headers decisions read, and `request.cf`'s geo fields.

/**
 * `request` for `mesh_decide`. With `readHeaders` (the report's list of the headers any
 * decision reads) only those are sent: the others never change a decision, and reading the
 * eleven or more a browser sends was most of a decision's time (docs/edge.md). Without the
 * list (a module older than it) every header is sent. Either way a repeated header is sent
 * as `Headers` joins it.
 */
export function routerRequest(request, readHeaders) {
  const cf = request.cf ?? {};
  const text = (value) => (typeof value === "string" ? value : null);
  const number = (value) => (typeof value === "string" || typeof value === "number" ? value : null);
  let headers;
  if (Array.isArray(readHeaders)) {
    headers = {};
    for (const name of readHeaders) {
      const value = request.headers.get(name);
      if (value !== null) headers[name] = value;
    }
  } else {
    headers = Object.fromEntries(request.headers);
  }
  return {
    method: request.method, url: request.url, headers,
    cf: {
      colo: text(cf.colo), country: text(cf.country), continent: text(cf.continent),
      latitude: number(cf.latitude), longitude: number(cf.longitude),
    },
  };
}
