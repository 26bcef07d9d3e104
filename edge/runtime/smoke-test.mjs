// Runs the wasm router once under Node (20 or later), as scripts/wasm-build.sh does after
// linking: instantiates it with no imports, loads a route plan (`diddy-mesh config plan`)
// through its memory, asks for the report and one decision (edge/README.md), and compares
// them with what is expected.
//   node edge/runtime/smoke-test.mjs MODULE PLAN URL SERVICES ERRORS RULE
import { readFileSync } from "node:fs";

const [modulePath, configPath, url, ...expected] = process.argv.slice(2);
if (expected.length !== 3) {
  console.error("usage: node smoke-test.mjs MODULE PLAN URL SERVICES ERRORS RULE");
  process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(modulePath), {});
const wasm = instance.exports;

// Calls `name` with `bytes` copied into the module's memory through its malloc, and returns
// the status and the answer as parsed JSON. The memory can grow on any call, so its buffer
// is looked up afresh after each one.
function call(name, bytes) {
  const pointer = wasm.malloc(Math.max(bytes.length, 1));
  if (pointer === 0) throw new Error("the module's malloc returned null");
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  const status = wasm[name](pointer, bytes.length);
  wasm.free(pointer);
  const answer = new Uint8Array(wasm.memory.buffer, wasm.mesh_output_ptr(), wasm.mesh_output_len());
  return { status, answer: JSON.parse(new TextDecoder().decode(answer)) };
}

const load = call("mesh_load", readFileSync(configPath));
const request = new TextEncoder().encode(JSON.stringify({ url }));
const decision = call("mesh_decide", request);
if (load.status !== 0 || decision.status !== 0) {
  console.error(`smoke-test: mesh_load answered ${load.status}, mesh_decide ${decision.status}:`,
    JSON.stringify(load.answer), JSON.stringify(decision.answer));
  process.exit(1);
}
const actual = [load.answer.services, load.answer.errors, decision.answer.rule?.index ?? -1];
const names = ["services", "errors", "rule"];
const report = names.map((name, index) => `${name} ${actual[index]}`).join(", ");
if (actual.some((value, index) => value !== Number(expected[index]))) {
  console.error(`smoke-test: ${configPath}: got ${report}; expected ${expected.join(", ")}`);
  process.exit(1);
}
console.log(`smoke-test: ${configPath} and ${url}: ${report}, as expected`);
