// A request in the edge router's field form (edge/README.md, "The request"): its fields
// joined with NUL bytes, which is string concatenation where `JSON.stringify` of the request
// object was a tenth of a decision (docs/edge.md). The module reads the form and JSON alike
// and gives the same decision for both.

const NUL = "\0";
// A lone surrogate has no UTF-8 form: `encodeInto` would send U+FFFD where `JSON.stringify`
// sends an escape, so a request with any surrogate goes as JSON.
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * `request` (`{method, url, headers, cf}`, as the router reads it as JSON) in the field form,
 * or null when it has something only JSON carries the same way: a NUL or a surrogate in a
 * value, an empty method or `cf` string, a member or value of another kind, a member set to
 * `undefined`. The caller sends those as JSON, so they are read, or refused, as they always
 * were. Members are an object's own enumerable ones, as `JSON.stringify` reads them.
 */
export function requestFields(request) {
  const { method, url, headers, cf } = request;
  const members = (method !== undefined) + (url !== undefined) + (headers !== undefined) + (cf !== undefined);
  if (Object.keys(request).length !== members) return null;
  // An empty method field stands for an absent one, which is GET.
  const methodField = method === undefined || method === null ? "" : method;
  if (typeof methodField !== "string" || (methodField === "" && method === "")) return null;
  if (typeof url !== "string") return null;
  let text = NUL + methodField + NUL + url;
  if (cf === undefined || cf === null) {
    text += NUL + NUL + NUL + NUL + NUL;
  } else {
    if (typeof cf !== "object" || Array.isArray(cf)) return null;
    const { colo, country, continent, latitude, longitude } = cf;
    const present = (colo !== undefined) + (country !== undefined) + (continent !== undefined) +
      (latitude !== undefined) + (longitude !== undefined);
    if (Object.keys(cf).length !== present) return null;
    const a = cfField(colo), b = cfField(country), c = cfField(continent), d = cfField(latitude);
    const e = cfField(longitude);
    if (a === null || b === null || c === null || d === null || e === null) return null;
    text += NUL + a + NUL + b + NUL + c + NUL + d + NUL + e;
  }
  let separators = 7;
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== "object" || Array.isArray(headers)) return null;
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (typeof value !== "string") return null;
      text += NUL + name + NUL + value;
      separators += 2;
    }
  }
  // Every NUL is a separator (none is inside a value), and no value has a surrogate.
  let found = 0;
  for (let at = text.indexOf(NUL); at !== -1; at = text.indexOf(NUL, at + 1)) found++;
  return found === separators && !SURROGATE.test(text) ? text : null;
}

/** A `cf` value as its field: "" for none, text as it is, a number as JSON writes it. */
function cfField(value) {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value === "" ? null : value;
  // JSON.stringify writes a non-finite number as null: absent.
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return null;
}
