// Runs the wasm router once under Node (20 or later), as scripts/wasm-build.sh does after
// linking: instantiates it with no imports, copies a config and a URL into its memory
// through its malloc, calls the three exports and compares them with what is expected.
//   node edge/runtime/smoke-test.mjs MODULE CONFIG URL SERVICES ERRORS RULE
import { readFileSync } from "node:fs";

const [modulePath, configPath, url, ...expected] = process.argv.slice(2);
if (expected.length !== 3) {
  console.error("usage: node smoke-test.mjs MODULE CONFIG URL SERVICES ERRORS RULE");
  process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(modulePath), {});
const wasm = instance.exports;

// Copies bytes into the module's memory; the memory can grow on any call, so its buffer is
// looked up afresh each time.
function copyIn(bytes) {
  const pointer = wasm.malloc(Math.max(bytes.length, 1));
  if (pointer === 0) throw new Error("the module's malloc returned null");
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return pointer;
}

const config = readFileSync(configPath);
const urlBytes = new TextEncoder().encode(url);
const configPointer = copyIn(config);
const urlPointer = copyIn(urlBytes);
const actual = [
  wasm.mesh_service_count(configPointer, config.length),
  wasm.mesh_error_count(configPointer, config.length),
  wasm.mesh_route_rule(configPointer, config.length, urlPointer, urlBytes.length),
];
wasm.free(urlPointer);
wasm.free(configPointer);

const names = ["services", "errors", "rule"];
const report = names.map((name, index) => `${name} ${actual[index]}`).join(", ");
if (actual.some((value, index) => value !== Number(expected[index]))) {
  console.error(`smoke-test: ${configPath}: got ${report}; expected ${expected.join(", ")}`);
  process.exit(1);
}
console.log(`smoke-test: ${configPath} and ${url}: ${report}, as expected`);
