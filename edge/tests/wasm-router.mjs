// The ABI glue of edge/worker/wasm-router.mjs, opened from a file as the tests need it; a
// Worker gets the module by importing the .wasm file instead.
import { readFileSync } from "node:fs";

import { WasmRouter as WorkerWasmRouter } from "../worker/wasm-router.mjs";
import { isPlan, planOf } from "./support/plans.mjs";

export class WasmRouter extends WorkerWasmRouter {
  /** Instantiates the module at `path`. */
  static async open(path) {
    const instance = await WebAssembly.instantiate(new WebAssembly.Module(readFileSync(path)), {});
    return new WasmRouter(instance.exports);
  }

  /**
   * Loads a config's text (a string or bytes) through its route plan, compiled by the CLI as
   * `config push` compiles it; bytes that are a plan already are loaded as they are.
   */
  load(config) {
    return super.load(typeof config !== "string" && isPlan(config) ? config : planOf(config));
  }

  /** Loads bytes as they are, plan or not: the ABI's own refusals. */
  loadRaw(bytes) {
    return super.load(bytes);
  }
}
