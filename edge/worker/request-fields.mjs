// A request in the edge router's field form (edge/README.md, "The request"): its fields
// joined with NUL bytes, which is string concatenation where `JSON.stringify` of the request
// object was a tenth of a decision (docs/edge.md). It is the only form mesh_route reads, so a
// request without one cannot be routed by the module at all.

const NUL = "\0";

/**
 * `request` (`{method, url, headers, cf}`, the members of a route expectation's request) in
 * the field form, or null when the form cannot carry it, and so the module cannot be sent
 * it: a NUL or a lone surrogate in a value (a NUL separates the fields, and a lone surrogate
 * has no UTF-8 form), an empty method or `cf` string (an empty field stands for an absent
 * one), a member or value of another kind, a member set to `undefined`. Members are an
 * object's own enumerable ones. `fieldFormProblem` says which of these it is.
 */
export function requestFields(request) {
  return fieldForm(request, refused);
}

/**
 * Why `request` has no field form (a sentence fragment such as "its url is not a string"),
 * or null when it has one: for the message of a request the host cannot send.
 */
export function fieldFormProblem(request) {
  let problem = null;
  fieldForm(request, (why) => {
    problem = why;
    return null;
  });
  return problem;
}

/** Answers null for any problem: the hot path does not build its message. */
function refused() {
  return null;
}

/**
 * The field form of `request`, or what `refuse` answers with the problem: one pass that both
 * `requestFields` and `fieldFormProblem` run, so the two cannot disagree.
 */
function fieldForm(request, refuse) {
  const { method, url, headers, cf } = request;
  const members = (method !== undefined) + (url !== undefined) + (headers !== undefined) + (cf !== undefined);
  if (Object.keys(request).length !== members) {
    return refuse("it has a member other than method, url, headers and cf, or one set to undefined");
  }
  // An empty method field stands for an absent one, which is GET.
  const methodField = method === undefined || method === null ? "" : method;
  if (typeof methodField !== "string" || (methodField === "" && method === "")) {
    return refuse("its method is not a non-empty string");
  }
  if (typeof url !== "string") return refuse("its url is not a string");
  let text = NUL + methodField + NUL + url;
  if (cf === undefined || cf === null) {
    text += NUL + NUL + NUL + NUL + NUL;
  } else {
    if (typeof cf !== "object" || Array.isArray(cf)) return refuse("its cf is not an object");
    const { colo, country, continent, latitude, longitude } = cf;
    const present = (colo !== undefined) + (country !== undefined) + (continent !== undefined) +
      (latitude !== undefined) + (longitude !== undefined);
    if (Object.keys(cf).length !== present) {
      return refuse("its cf has a member other than colo, country, continent, latitude and longitude, " +
        "or one set to undefined");
    }
    const a = cfField(colo), b = cfField(country), c = cfField(continent), d = cfField(latitude);
    const e = cfField(longitude);
    if (a === null || b === null || c === null || d === null || e === null) {
      const name = Object.keys(cf).find((key) => cfField(cf[key]) === null);
      return refuse(`its cf.${name} is an empty string or neither a string nor a number`);
    }
    text += NUL + a + NUL + b + NUL + c + NUL + d + NUL + e;
  }
  let separators = 7;
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== "object" || Array.isArray(headers)) return refuse("its headers are not an object");
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (typeof value !== "string") return refuse(`the value of its header '${name}' is not a string`);
      text += NUL + name + NUL + value;
      separators += 2;
    }
  }
  // Every NUL must be a separator (none inside a value), and the text must have a UTF-8 form
  // (`encodeInto` would send U+FFFD for a lone surrogate, another request).
  let found = 0;
  for (let at = text.indexOf(NUL); at !== -1; at = text.indexOf(NUL, at + 1)) found++;
  if (found !== separators) return refuse("a value holds a NUL byte, which separates the fields");
  if (!text.isWellFormed()) return refuse("a value holds a lone surrogate, which has no UTF-8 form");
  return text;
}

/** A `cf` value as its field: "" for none, text as it is, a number as JSON writes it. */
function cfField(value) {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value === "" ? null : value;
  // A non-finite number has no JSON form, so it is sent as absent, as JSON.stringify sends it (null).
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return null;
}
