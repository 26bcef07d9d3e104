// The registry's live data in the tagged field form mesh_set_health reads (edge/README.md,
// "Live health"): the values KV gave the Worker, already parsed, written field by field with
// a tag for each value's kind, so that the module needs no JSON reader (docs/edge.md). This
// only writes what it is given; what a record or registration must be is the module's to
// check, as it checked the same values as JSON before. `EdgeHealthFields` writes the same
// bytes for `diddy-mesh route --engine wasm --live` (edge/tests/fixtures/health-fields.json
// holds the two to that).

const NUL = "\0";
const ENVELOPE = ["now", "staleAfterSeconds", "health", "registrations"];
const SUMMARY = ["s", "t", "l", "c"];
const REGISTRATION = ["name", "registeredAt", "version"];
const ENDPOINT = ["url", "id", "region", "continent", "weight", "insecure"];

/**
 * `input` (`{now, staleAfterSeconds, health, registrations}`: `health` the keys of a KV
 * listing of `health:` with their metadata, `registrations` the parsed values of the
 * `service:<name>` keys by name) as text, each field after a NUL. A member other than those
 * four is a TypeError, a mistake of the caller's, as the module refused it in JSON.
 */
export function healthFields(input) {
  if (!isObject(input)) throw new TypeError("the health must be an object: {now, staleAfterSeconds, health, registrations}");
  for (const key of Object.keys(input)) {
    if (!ENVELOPE.includes(key)) {
      throw new TypeError(`unknown key '${key}' in the health (allowed: ${ENVELOPE.join(", ")})`);
    }
  }
  const fields = [scalar(input.now), scalar(input.staleAfterSeconds)];
  const { health, registrations } = input;
  if (Array.isArray(health)) {
    fields.push(`a${health.length}`);
    for (const entry of health) {
      fields.push(scalar(entry?.name));
      object(fields, entry?.metadata, (metadata) => {
        for (const member of SUMMARY) fields.push(scalar(metadata[member]));
      });
    }
  } else {
    fields.push(scalar(health));
  }
  if (isObject(registrations)) {
    const names = Object.keys(registrations);
    fields.push(`a${names.length}`);
    for (const name of names) {
      fields.push(scalar(name));
      object(fields, registrations[name], (registration) => {
        for (const member of REGISTRATION) fields.push(scalar(registration[member]));
        const { endpoints } = registration;
        if (!Array.isArray(endpoints)) return fields.push(scalar(endpoints));
        fields.push(`a${endpoints.length}`);
        for (const endpoint of endpoints) {
          if (!isObject(endpoint)) {
            fields.push(scalar(endpoint));
            continue;
          }
          fields.push("o");
          for (const member of ENDPOINT) fields.push(scalar(endpoint[member]));
          object(fields, endpoint.location, (location) => fields.push(scalar(location.lat), scalar(location.lon)));
        }
      });
    }
  } else {
    fields.push(scalar(registrations));
  }
  return NUL + fields.join(NUL);
}

/**
 * The endpoint URLs a host holds open, each after a NUL byte, as mesh_set_open_circuits reads
 * them. Anything but an array of strings without a NUL is a TypeError, a mistake of the
 * caller's: a URL never holds a NUL.
 */
export function openCircuitFields(urls) {
  if (!Array.isArray(urls) || !urls.every((url) => typeof url === "string" && !url.includes(NUL))) {
    throw new TypeError("the open circuits must be an array of endpoint URLs");
  }
  return urls.map((url) => NUL + url).join("");
}

/** `value` as `o` and what `members` writes when it is an object, else as a scalar. */
function object(fields, value, members) {
  if (!isObject(value)) return fields.push(scalar(value));
  fields.push("o");
  members(value);
}

/** A value where a string, number, boolean or nothing is read: `x` for anything else. */
function scalar(value) {
  if (value === undefined || value === null) return "-";
  if (typeof value === "boolean") return value ? "t" : "f";
  // A non-finite number has no JSON form, so KV never gives one.
  if (typeof value === "number") return Number.isFinite(value) ? `n${value}` : "x";
  // A NUL would end the field, and a lone surrogate has no UTF-8 form: neither comes from
  // UTF-8 JSON but as an escape, and either is sent as a value of another kind.
  if (typeof value === "string") return value.includes(NUL) || !value.isWellFormed() ? "x" : `s${value}`;
  return "x";
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
