// Runs the wasm router once under Node (20 or later), as scripts/wasm-build.sh does after
// linking: instantiates it with no imports, loads a route plan (`diddy-mesh config plan`)
// through its memory, asks for the report and one decision (mesh_route, with the request in
// the field form; edge/README.md), and compares them with what is expected. RULE is the
// matched rule's index, -1 for none.
//   node edge/runtime/smoke-test.mjs MODULE PLAN URL SERVICES ERRORS RULE
import { readFileSync } from "node:fs";

const [modulePath, configPath, url, ...expected] = process.argv.slice(2);
if (expected.length !== 3) {
  console.error("usage: node smoke-test.mjs MODULE PLAN URL SERVICES ERRORS RULE");
  process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(modulePath), {});
const wasm = instance.exports;

// The last answer, parsed. The memory can grow on any call, so its buffer is looked up afresh.
function output() {
  const bytes = new Uint8Array(wasm.memory.buffer, wasm.mesh_output_ptr(), wasm.mesh_output_len());
  return JSON.parse(new TextDecoder().decode(bytes));
}

// Calls `name` with `bytes` copied into the module's memory through its malloc, and returns
// the status and the answer.
function call(name, bytes) {
  const pointer = wasm.malloc(Math.max(bytes.length, 1));
  if (pointer === 0) throw new Error("the module's malloc returned null");
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  const status = wasm[name](pointer, bytes.length);
  wasm.free(pointer);
  return { status, answer: output() };
}

const load = call("mesh_load", readFileSync(configPath));
// The field form of `{url}`: an empty method (GET), the URL and five empty cf fields, no headers.
const request = new TextEncoder().encode(`\0\0${url}\0\0\0\0\0`);
const decision = call("mesh_route", request);
if (load.status !== 0 || decision.status !== 0) {
  console.error(`smoke-test: mesh_load answered ${load.status}, mesh_route ${decision.status}:`,
    JSON.stringify(load.answer), JSON.stringify(decision.answer));
  process.exit(1);
}
// Most answers name their rule by a ref, which mesh_ref answers; the others write it out.
let rule = decision.answer.rule;
if (typeof decision.answer.ref === "number") {
  const named = wasm.mesh_ref(decision.answer.ref);
  const answer = output();
  if (named !== 0) {
    console.error(`smoke-test: mesh_ref(${decision.answer.ref}) answered ${named}:`, JSON.stringify(answer));
    process.exit(1);
  }
  rule = answer.rule;
}
const actual = [load.answer.services, load.answer.errors, rule?.index ?? -1];
const names = ["services", "errors", "rule"];
const report = names.map((name, index) => `${name} ${actual[index]}`).join(", ");
if (actual.some((value, index) => value !== Number(expected[index]))) {
  console.error(`smoke-test: ${configPath}: got ${report}; expected ${expected.join(", ")}`);
  process.exit(1);
}
console.log(`smoke-test: ${configPath} and ${url}: ${report}, as expected`);
