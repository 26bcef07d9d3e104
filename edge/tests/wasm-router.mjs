// The ABI glue of edge/worker/wasm-router.mjs, opened from a file as the tests need it; a
// Worker gets the module by importing the .wasm file instead.
import { readFileSync } from "node:fs";

import { WasmRouter as WorkerWasmRouter } from "../worker/wasm-router.mjs";

export class WasmRouter extends WorkerWasmRouter {
  /** Instantiates the module at `path`. */
  static async open(path) {
    const instance = await WebAssembly.instantiate(new WebAssembly.Module(readFileSync(path)), {});
    return new WasmRouter(instance.exports);
  }
}
