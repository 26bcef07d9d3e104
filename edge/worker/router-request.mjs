// The request as the wasm router reads it (edge/README.md, `mesh_route`): the method, the
// URL, the headers decisions read, and `request.cf`'s geo fields, in members that always have
// a field form (request-fields.mjs), the only form the module reads.

/**
 * `request` for `mesh_route`. With `readHeaders` (the report's list of the headers any
 * decision reads) only those are sent: the others never change a decision, and reading the
 * eleven or more a browser sends was most of a decision's time (docs/edge.md). Without the
 * list (a module older than it) every header is sent. Either way a repeated header is sent
 * as `Headers` joins it.
 *
 * What it builds always has a field form: the method and URL of a `Request` and the values
 * of its `Headers` are strings without a NUL or a lone surrogate (the URL is serialized in
 * ASCII, header values are bytes), as are the codes and coordinates of `request.cf`. A `cf`
 * value that is neither a string nor a number, or an empty string, is sent as null (absent):
 * Cloudflare never sends an empty one, and the form, where an empty field stands for an
 * absent value, cannot carry it.
 */
export function routerRequest(request, readHeaders) {
  const cf = request.cf ?? {};
  const text = (value) => (typeof value === "string" && value !== "" ? value : null);
  const number = (value) => (typeof value === "number" || text(value) !== null ? value : null);
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
