// An in-memory Workers KV namespace for the Worker's tests, with the reads Cloudflare documents
// (https://developers.cloudflare.com/kv/api/read-key-value-pairs/ and list-keys/): get and
// getWithMetadata with a type (text, json, arrayBuffer, stream) given as a string or as
// `{type}`, null for a missing or expired key; list with prefix, limit (at most 1,000) and an
// opaque cursor, keys in UTF-8 byte order, `list_complete` and `cursor` as KV gives them;
// metadata stored as JSON and given back parsed. Writes take `{metadata, expiration,
// expirationTtl}`. Every call is counted, and a test can make the next calls of a method fail.

const encoder = new TextEncoder();

export class MemoryKV {
  #entries = new Map();
  #failures = new Map();

  /** `now()` is the clock (epoch ms) expirations are measured against. */
  constructor({ now = () => Date.now() } = {}) {
    this.now = now;
    /** The calls made, as `[method, key or prefix]`. */
    this.calls = [];
  }

  /**
   * Makes the next `count` calls of `method` reject with `error`; with `prefix`, only the
   * calls whose key (or listing prefix) starts with it.
   */
  failNext(method, error, count = 1, { prefix = "" } = {}) {
    this.#failures.set(method, { error, count, prefix });
  }

  async put(key, value, options = {}) {
    const bytes = typeof value === "string" ? encoder.encode(value)
      : value instanceof ArrayBuffer ? new Uint8Array(value.slice(0))
        : new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
    let expiration = options.expiration ?? null;
    if (options.expirationTtl !== undefined) expiration = Math.floor(this.now() / 1000) + options.expirationTtl;
    const metadata = options.metadata === undefined ? null : JSON.stringify(options.metadata);
    if (metadata !== null && encoder.encode(metadata).length > 1024) throw new Error("metadata over 1024 bytes");
    this.#entries.set(key, { bytes, metadata, expiration });
  }

  async delete(key) {
    this.#entries.delete(key);
  }

  async get(key, options) {
    this.#call("get", key);
    const entry = this.#live(key);
    return entry ? decode(entry.bytes, typeOf(options)) : null;
  }

  async getWithMetadata(key, options) {
    this.#call("getWithMetadata", key);
    const entry = this.#live(key);
    if (!entry) return { value: null, metadata: null, cacheStatus: null };
    return {
      value: decode(entry.bytes, typeOf(options)),
      metadata: entry.metadata === null ? null : JSON.parse(entry.metadata),
      cacheStatus: null,
    };
  }

  async list({ prefix = "", limit = 1000, cursor } = {}) {
    this.#call("list", prefix);
    const after = cursor ? Buffer.from(cursor, "base64url").toString("utf8") : null;
    const names = [...this.#entries.keys()]
      .filter((name) => name.startsWith(prefix) && this.#live(name) && (after === null || byteOrder(name, after) > 0))
      .sort(byteOrder);
    const page = names.slice(0, Math.min(Math.max(limit, 1), 1000));
    const keys = page.map((name) => {
      const { metadata, expiration } = this.#entries.get(name);
      return {
        name, ...(expiration === null ? {} : { expiration }),
        ...(metadata === null ? {} : { metadata: JSON.parse(metadata) }),
      };
    });
    const complete = page.length === names.length;
    if (complete) return { keys, list_complete: true, cacheStatus: null };
    const next = Buffer.from(page.at(-1), "utf8").toString("base64url");
    return { keys, list_complete: false, cursor: next, cacheStatus: null };
  }

  #call(method, key) {
    this.calls.push([method, key]);
    const failure = this.#failures.get(method);
    if (failure && failure.count > 0 && String(key).startsWith(failure.prefix)) {
      failure.count -= 1;
      throw failure.error;
    }
  }

  #live(key) {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    if (entry.expiration !== null && entry.expiration * 1000 <= this.now()) {
      this.#entries.delete(key);
      return null;
    }
    return entry;
  }
}

function typeOf(options) {
  return (typeof options === "string" ? options : options?.type) ?? "text";
}

function decode(bytes, type) {
  switch (type) {
    case "text": return new TextDecoder().decode(bytes);
    case "json": return JSON.parse(new TextDecoder().decode(bytes));
    case "arrayBuffer": return bytes.slice().buffer;
    case "stream": return new Blob([bytes]).stream();
    default: throw new TypeError(`unknown type ${type}`);
  }
}

function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
