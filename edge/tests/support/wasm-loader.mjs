// A Node module hook that imports a .wasm file as a compiled WebAssembly.Module, the way
// wrangler's CompiledWasm rule does for a Worker, so that the Worker's own entry (index.mjs)
// runs under the tests unchanged.
export async function load(url, context, nextLoad) {
  if (!url.endsWith(".wasm")) return nextLoad(url, context);
  const source = "import { readFileSync } from \"node:fs\";\n" +
    `export default new WebAssembly.Module(readFileSync(new URL(${JSON.stringify(url)})));\n`;
  return { format: "module", source, shortCircuit: true };
}
