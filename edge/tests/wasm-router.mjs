// The edge router's byte ABI (edge/README.md) from JavaScript: what a Worker's glue code does,
// and what the tests here call. Each method copies its input into the module's memory
// through the exported malloc, calls one export, and returns its status with the answer
// (JSON, parsed) that the module left at mesh_output_ptr for mesh_output_len bytes.
import { readFileSync } from "node:fs";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export class WasmRouter {
  /** Instantiates the module at `path`; it needs no imports. */
  static async open(path) {
    const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
    return new WasmRouter(instance.exports);
  }

  constructor(exports) {
    this.wasm = exports;
  }

  /** Loads a config (a string or bytes); the answer is the report. */
  load(config) {
    return this.#callWithBytes("mesh_load", typeof config === "string" ? encoder.encode(config) : config);
  }

  /** Routes one request: an object is sent as JSON, a string or bytes as they are. */
  decide(request) {
    const text = typeof request === "object" && !(request instanceof Uint8Array) ? JSON.stringify(request) : request;
    return this.#callWithBytes("mesh_decide", typeof text === "string" ? encoder.encode(text) : text);
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

  #callWithBytes(name, bytes) {
    const pointer = this.wasm.malloc(Math.max(bytes.length, 1));
    if (pointer === 0) throw new Error("the module's malloc returned null");
    // The memory may have grown since the last call, so its buffer is looked up afresh.
    new Uint8Array(this.wasm.memory.buffer, pointer, bytes.length).set(bytes);
    try {
      return this.#answer(this.wasm[name](pointer, bytes.length));
    } finally {
      this.wasm.free(pointer);
    }
  }

  #answer(status) {
    const text = this.outputText();
    return { status, answer: text === "" ? null : JSON.parse(text) };
  }
}
