// The edge router's byte ABI (edge/README.md) from JavaScript, for the Worker and the tests
// alike: each method copies its input into the module's memory through the exported malloc,
// calls one export, and returns its status with the answer (JSON, parsed) that the module
// left at mesh_output_ptr for mesh_output_len bytes. Requests go in the field form
// (request-fields.mjs), the only form mesh_route reads. It runs wherever WebAssembly does
// (Workers, Node), so it reads no files: the host hands it a compiled module.

import { healthFields, openCircuitFields } from "./health-fields.mjs";
import { fieldFormProblem, requestFields } from "./request-fields.mjs";

const encoder = new TextEncoder();
/** The largest input memory kept from one call to the next, in bytes. */
const SCRATCH_KEPT = 64 * 1024;
const decoder = new TextDecoder("utf-8", { fatal: true });

export class WasmRouter {
  /**
   * A fresh instance of `module` (a WebAssembly.Module, as Workers import a .wasm file); it
   * needs no imports. Each instance has its own memory and router state.
   */
  static async instantiate(module) {
    const instance = await WebAssembly.instantiate(module, {});
    return new WasmRouter(instance.exports);
  }

  /** What mesh_ref answered, by ref, for the loaded config. */
  #refs = new Map();
  /** Memory from `malloc` kept for the next input, and its size in bytes. */
  #scratch = 0;
  #scratchSize = 0;

  constructor(exports) {
    this.wasm = exports;
  }

  /** Loads a route plan's bytes (`mesh:plan`, as `diddy-mesh config push` stores it). */
  load(plan) {
    // Refs name one config's rules and policies, and a refused load keeps the config before it.
    const result = this.#callWithBytes("mesh_load", typeof plan === "string" ? encoder.encode(plan) : plan);
    if (result.status === 0) this.#refs.clear();
    return result;
  }

  /**
   * Routes one request with `mesh_route`, which answers what a Worker reads to forward it
   * (edge/README.md): `outcome`, `rule`, `service`, `endpoint`, `endpoints` (with a fallback
   * service), `fallback` and `panic` (when so), `policy` (without its `forwardPath`),
   * `forwardPath` and `edge`. The answer's ref is replaced by the rule and policy it names,
   * asked of `mesh_ref` once per ref and config and shared, frozen, by every answer naming them.
   *
   * A request object (`{method, url, headers, cf}`) is sent in the field form; one the form
   * cannot carry throws a TypeError, since the module reads no other. A string or bytes are
   * sent as they are, so that the tests can send raw and malformed input.
   */
  route(request) {
    let result;
    if (typeof request === "string" || request instanceof Uint8Array) {
      result = this.#callWithBytes("mesh_route", typeof request === "string" ? encoder.encode(request) : request);
    } else {
      const fields = typeof request === "object" && request !== null ? requestFields(request) : null;
      if (fields === null) {
        const problem = typeof request === "object" && request !== null
          ? fieldFormProblem(request) : `it is ${request === null ? "null" : typeof request}, not an object`;
        throw new TypeError(`mesh_route reads requests in the field form only, and this one has none: ${problem}`);
      }
      result = this.#callWithText("mesh_route", fields);
    }
    if (result.status === 0 && typeof result.answer.ref === "number") {
      result.answer = withNamed(result.answer, this.#named(result.answer.ref));
    }
    return result;
  }

  /** What `ref` names (`{rule, policy, serviceFallback}`), parsed and frozen once. */
  #named(ref) {
    let named = this.#refs.get(ref);
    if (named === undefined) {
      const { status, answer } = this.#answer(this.wasm.mesh_ref(ref));
      if (status !== 0) throw new Error(`mesh_ref(${ref}) answered ${status}: ${answer?.error}`);
      named = deepFreeze(answer);
      this.#refs.set(ref, named);
    }
    return named;
  }

  /**
   * Sets the registry's health and registrations: `{now, staleAfterSeconds, health,
   * registrations}`, the values as KV gave them, sent in the tagged field form
   * (health-fields.mjs). A string or bytes are sent as they are (the tests send damaged forms).
   */
  setHealth(health) {
    return this.#callWithBytes("mesh_set_health", asBytes(health, healthFields));
  }

  /**
   * Sets the endpoint URLs the host holds open: an array of strings, each sent after a NUL
   * byte. A string or bytes are sent as they are.
   */
  setOpenCircuits(urls) {
    return this.#callWithBytes("mesh_set_open_circuits", asBytes(urls, openCircuitFields));
  }

  report() {
    return this.#answer(this.wasm.mesh_report());
  }

  reset() {
    return this.#answer(this.wasm.mesh_reset());
  }

  /** Calls `name` with a raw pointer and length, for the tests of bad arguments. */
  callRaw(name, pointer, length) {
    return this.#answer(this.wasm[name](pointer, length));
  }

  /** The answer's bytes as text, without parsing it (the timing loop reads only these). */
  outputText() {
    const bytes = new Uint8Array(this.wasm.memory.buffer, this.wasm.mesh_output_ptr(), this.wasm.mesh_output_len());
    return decoder.decode(bytes);
  }

  /** Calls `name` with `bytes` copied into the module's memory. */
  #callWithBytes(name, bytes) {
    return this.#callWith(name, bytes.length, (memory) => {
      memory.set(bytes);
      return bytes.length;
    });
  }

  /**
   * Calls `name` with `text` encoded straight into the module's memory (UTF-8 takes at most
   * three bytes per UTF-16 unit), without an intermediate copy: the Worker's per-request path.
   */
  #callWithText(name, text) {
    return this.#callWith(name, text.length * 3, (memory) => encoder.encodeInto(text, memory).written);
  }

  /**
   * Calls `name` with `room` bytes of memory, which `write` fills, returning how many it
   * wrote. The memory is kept for the next call (the module copies its input and keeps no
   * pointer to it), so a request costs no `malloc` and `free`; an input larger than any
   * before gets fresh memory, and one over 64 KiB is not kept, so a large config does not
   * hold its size for good.
   */
  #callWith(name, room, write) {
    const size = Math.max(room, 1);
    if (size > this.#scratchSize) {
      if (this.#scratch !== 0) this.wasm.free(this.#scratch);
      this.#scratch = 0;
      this.#scratchSize = 0;
      const pointer = this.wasm.malloc(size);
      if (pointer === 0) throw new Error("the module's malloc returned null");
      this.#scratch = pointer;
      this.#scratchSize = size;
    }
    const pointer = this.#scratch;
    try {
      // The memory may have grown since the last call, so its buffer is looked up afresh.
      const length = write(new Uint8Array(this.wasm.memory.buffer, pointer, room));
      return this.#answer(this.wasm[name](pointer, length));
    } finally {
      if (this.#scratchSize > SCRATCH_KEPT) {
        this.wasm.free(pointer);
        this.#scratch = 0;
        this.#scratchSize = 0;
      }
    }
  }

  #answer(status) {
    const text = this.outputText();
    return { status, answer: text === "" ? null : JSON.parse(text) };
  }
}

/**
 * The decision of a `mesh_route` answer that names its rule and service by ref, with
 * `named`, what `mesh_ref` answered for that ref, put in: the members of an answer that
 * writes them out (`rule`, `policy` and `edge` in place of `ref` and `retryableMethod`).
 */
export function withNamed(answer, named) {
  const decision = {
    outcome: answer.outcome, rule: named.rule, service: answer.service, endpoint: answer.endpoint,
    policy: named.policy, forwardPath: answer.forwardPath,
    edge: { retryableMethod: answer.retryableMethod, serviceFallback: named.serviceFallback },
  };
  if (answer.endpoints !== undefined) decision.endpoints = answer.endpoints;
  if (answer.fallback !== undefined) decision.fallback = answer.fallback;
  if (answer.panic !== undefined) decision.panic = answer.panic;
  return decision;
}

/** `value` and everything in it made read-only. */
function deepFreeze(value) {
  if (typeof value === "object" && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** A setter's object or array as the bytes of `write`'s form; a string or bytes as they are. */
function asBytes(value, write) {
  const text = typeof value === "object" && !(value instanceof Uint8Array) ? write(value) : value;
  return typeof text === "string" ? encoder.encode(text) : text;
}
