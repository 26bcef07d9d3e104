// Benchmarks/edge/function-order.mjs, which scripts/wasm-build.sh runs on the deployed module:
// its functions renumbered in gzip's order, every call, export, table entry and symbol
// renumbered with them. A hand-made module checks the renumbering where each kind of index
// lives, by running it; the built module checks that the symbol map still names each export's
// function. Every edge test runs on the ordered module too.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { reorderedSymbolMap, withFunctionsOrdered } from "../../Benchmarks/edge/function-order.mjs";
import { namedFunctions, sections } from "../../Benchmarks/edge/wasm-sections.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const namedPath = join(root, ".build/wasm/diddy-mesh-router.named.wasm");

/** A section: its id, its payload's length and the payload. */
function section(id, ...payload) {
  return [id, payload.length, ...payload];
}

/**
 * Three functions of type `() -> i32`, numbered so that sorting by their bytes moves each:
 * 0 calls 2 and adds 1; 1 answers 7; 2 calls table entry 0, which is function 1, through
 * `call_indirect`, and a global holds `ref.func 2`. Exports: `a` (function 0), `b` (2), `c` (1).
 */
const handMade = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, 1, 0x60, 0, 1, 0x7f),
  ...section(3, 3, 0, 0, 0),
  ...section(4, 1, 0x70, 0x00, 2),
  ...section(6, 1, 0x70, 0, 0xd2, 2, 0x0b),
  ...section(7, 3, 1, 0x61, 0, 0, 1, 0x62, 0, 2, 1, 0x63, 0, 1),
  ...section(9, 1, 0, 0x41, 0, 0x0b, 2, 1, 2),
  ...section(10, 3,
    7, 0, 0x10, 2, 0x41, 1, 0x6a, 0x0b,
    4, 0, 0x41, 7, 0x0b,
    7, 0, 0x41, 0, 0x11, 0, 0, 0x0b),
]);

test("renumbered functions: calls, exports, table entries and ref.func follow them", async () => {
  const before = await WebAssembly.instantiate(handMade, {});
  const { bytes, order } = withFunctionsOrdered(handMade);
  // Sorted by their bytes: 0 (`call`, 0x10), then 2 (`i32.const 0`), then 1 (`i32.const 7`).
  assert.deepStrictEqual(order, [0, 2, 1]);
  const after = await WebAssembly.instantiate(bytes, {});
  for (const name of ["a", "b", "c"]) {
    assert.equal(after.instance.exports[name](), before.instance.exports[name](), name);
  }
  const { a, b, c } = after.instance.exports;
  assert.deepStrictEqual([a(), b(), c()], [8, 7, 7]);
  // The table's entries and the global's ref.func moved with their functions (1 is now 2, 2 is 1).
  const table = sections(bytes).find((entry) => entry.id === 9);
  assert.deepStrictEqual([...bytes.subarray(table.payload, table.end)], [1, 0, 0x41, 0, 0x0b, 2, 2, 1]);
  const globals = sections(bytes).find((entry) => entry.id === 6);
  assert.deepStrictEqual([...bytes.subarray(globals.payload, globals.end)], [1, 0x70, 0, 0xd2, 1, 0x0b]);
});

test("the symbol map is renumbered in index order", () => {
  assert.equal(reorderedSymbolMap("0:a\n1:c\n2:b\n", [1, 2, 0]), "0:c\n1:b\n2:a\n");
  assert.throws(() => reorderedSymbolMap("3:d\n", [1, 2, 0]), /names function 3, which the module does not have/);
});

test("an instruction the walker does not know is an error, not a guess", () => {
  const code = sections(handMade).find((entry) => entry.id === 10);
  const simd = Uint8Array.from([...handMade.subarray(0, code.start),
    ...section(10, 3, 7, 0, 0x10, 2, 0x41, 1, 0x6a, 0x0b, 4, 0, 0xfd, 0x0c, 0x0b, 7, 0, 0x41, 0, 0x11, 0, 0, 0x0b)]);
  assert.throws(() => withFunctionsOrdered(simd), /opcode 0xfd at byte 1 of a body, which this does not read/);
});

const namedSkip = existsSync(namedPath) ? false : "no named copy (make wasm)";
test("the built module's named copy names each export's function", { skip: namedSkip }, () => {
  const bytes = readFileSync(namedPath);
  const functions = namedFunctions(bytes);
  const exports = sections(bytes).find((entry) => entry.id === 7);
  let position = exports.payload + 1;
  let checked = 0;
  while (position < exports.end) {
    const length = bytes[position];
    const name = bytes.subarray(position + 1, position + 1 + length).toString();
    const kind = bytes[position + 1 + length];
    let index = 0;
    let shift = 0;
    let at = position + 2 + length;
    for (;;) {
      const byte = bytes[at++];
      index |= (byte & 0x7f) << shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    if (kind === 0 && name.startsWith("mesh_")) {
      assert.equal(functions[index].name, name, `export ${name} is function ${index}`);
      checked++;
    }
    position = at;
  }
  assert.ok(checked >= 8, `${checked} exports checked`);
});
