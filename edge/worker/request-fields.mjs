// A request in the edge router's field form (edge/README.md, "The request"): its fields
// joined with NUL bytes, which is string concatenation where `JSON.stringify` of the request
// object was a tenth of a decision (docs/edge.md). The module reads the form and JSON alike
// and gives the same decision for both.

const NUL = "\0";
// A lone surrogate has no UTF-8 form: `encodeInto` would send U+FFFD where `JSON.stringify`
// sends an escape, so a request with any surrogate goes as JSON.
const SURROGATE = /[\uD800-\uDFFF]/;
const CF_KEYS = ["colo", "country", "continent", "latitude", "longitude"];

/**
 * `request` (`{method, url, headers, cf}`, as the router reads it as JSON) in the field form,
 * or null when it has something only JSON carries the same way: a NUL or a surrogate in a
 * value, an empty method or `cf` string, a member or value of another kind. The caller sends
 * those as JSON, so they are read, or refused, as they always were.
 */
export function requestFields(request) {
  for (const key in request) {
    if (key !== "method" && key !== "url" && key !== "headers" && key !== "cf") return null;
  }
  const { method, url, headers, cf } = request;
  // An empty method field stands for an absent one, which is GET.
  const methodField = method === undefined || method === null ? "" : method;
  if (typeof methodField !== "string" || (methodField === "" && method === "")) return null;
  if (typeof url !== "string") return null;
  let text = NUL + methodField + NUL + url;
  let values = methodField + url;
  if (cf === undefined || cf === null) {
    text += NUL + NUL + NUL + NUL + NUL;
  } else {
    if (typeof cf !== "object" || Array.isArray(cf)) return null;
    for (const key in cf) if (!CF_KEYS.includes(key)) return null;
    for (const key of CF_KEYS) {
      const field = cfField(cf[key]);
      if (field === null) return null;
      text += NUL + field;
      values += field;
    }
  }
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== "object" || Array.isArray(headers)) return null;
    for (const name in headers) {
      const value = headers[name];
      if (typeof value !== "string") return null;
      text += NUL + name + NUL + value;
      values += name + value;
    }
  }
  return values.includes(NUL) || SURROGATE.test(values) ? null : text;
}

/** A `cf` value as its field: "" for none, text as it is, a number as JSON writes it. */
function cfField(value) {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value === "" ? null : value;
  // JSON.stringify writes a non-finite number as null: absent.
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return null;
}
