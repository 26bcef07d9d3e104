// W3C Trace Context (https://www.w3.org/TR/trace-context/) for the requests the Worker
// forwards: the incoming `traceparent` is kept when it is valid (its trace id and flags), the
// Worker's hop gets a new span id, and a request without a valid one starts a new trace. The
// header is text from the client, so it is parsed to the letter and never echoed otherwise.

const HEX = /^[0-9a-f]+$/;

/** Lower-case hex of `bytes`. */
export function hex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `{traceId, parentId, flags}` of a valid traceparent header, else null. */
export function parseTraceparent(header) {
  if (typeof header !== "string") return null;
  const value = header.trim();
  // Version 00 is exactly 55 characters; a later version may add fields after a dash, and its
  // first four fields are read the same way (the specification's rule for unknown versions).
  if (value.length < 55 || (value.length > 55 && value[55] !== "-")) return null;
  const [version, traceId, parentId, flags] = value.slice(0, 55).split("-");
  if (version?.length !== 2 || !HEX.test(version) || version === "ff") return null;
  if (version === "00" && value.length !== 55) return null;
  if (traceId?.length !== 32 || !HEX.test(traceId) || /^0+$/.test(traceId)) return null;
  if (parentId?.length !== 16 || !HEX.test(parentId) || /^0+$/.test(parentId)) return null;
  if (flags?.length !== 2 || !HEX.test(flags)) return null;
  return { traceId, parentId, flags };
}

/**
 * The trace context of one forwarded request: the incoming one's trace id and flags with a
 * new span id, or a new trace (not sampled: the Worker records no spans itself) when the
 * header is absent or invalid. `randomBytes(n)` gives n random bytes.
 */
export function traceContext(header, randomBytes) {
  const incoming = parseTraceparent(header);
  const traceId = incoming?.traceId ?? nonZeroHex(randomBytes, 16);
  const spanId = nonZeroHex(randomBytes, 8);
  const flags = incoming?.flags ?? "00";
  return {
    traceId, spanId, flags, parentId: incoming?.parentId ?? null, continued: incoming !== null,
    traceparent: `00-${traceId}-${spanId}-${flags}`,
  };
}

/**
 * `count` random bytes as hex, drawn again in the (2^-64) case that they are all zero, which
 * the format forbids; a source that keeps giving zeros (a broken or stubbed one) still ends.
 */
function nonZeroHex(randomBytes, count) {
  for (let draw = 0; draw < 4; draw++) {
    const text = hex(randomBytes(count));
    if (!/^0+$/.test(text)) return text;
  }
  return "0".repeat(count * 2 - 1) + "1";
}
