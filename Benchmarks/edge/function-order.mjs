// The deployed module's functions put in an order gzip compresses better (docs/edge.md,
// "Size"): gzip finds repeats only within its last 32 KB, and the functions LTO and
// binaryen leave are in the order of the sources, so the many near-copies Swift's generics make
// (an array's growth, a value's copy, one per element type) lie far apart. Sorted by their
// bytes (their locals, then their instructions), like functions lie together, and the gzipped
// module is some 3.5 % smaller; the module is the same program, its functions numbered
// anew. scripts/wasm-build.sh runs this after `wasm-opt -Oz` and rewrites the symbol map with
// the new numbers.
//
// Renumbering means rewriting every function index: the function and code sections' order,
// each `call`, `return_call` and `ref.func` in the code and in constant expressions, the
// exports, the element segments and the start function. Code is walked instruction by
// instruction, so an opcode this walker does not know is an error, never a guess: the features
// the toolchain's modules use (MVP, sign extension, saturating conversions, bulk memory,
// reference types, multi-value, tail calls), not SIMD, threads or GC.

import { encodeU32, readU32, sections } from "./wasm-sections.mjs";

const HEADER_LENGTH = 8;
const [TYPE, IMPORT, FUNCTION, GLOBAL, EXPORT, START, ELEMENT, CODE] = [1, 2, 3, 6, 7, 8, 9, 10];

/**
 * `bytes` with its functions in gzip's order, and `order`: the old index of each new one
 * (`order[new] = old`), for the symbol map. A module that imports functions keeps them first,
 * as the format wants.
 */
export function withFunctionsOrdered(bytes) {
  const all = sections(bytes);
  const find = (id) => all.find((section) => section.id === id);
  const imported = importedFunctions(bytes, find(IMPORT));
  const code = find(CODE);
  const functions = find(FUNCTION);
  if (!code || !functions) return { bytes, order: [] };
  const bodies = vector(bytes, code.payload, (position) => {
    const { value: size, next } = readU32(bytes, position);
    return { value: bytes.subarray(next, next + size), next: next + size };
  });
  const types = vector(bytes, functions.payload, (position) => readU32(bytes, position));
  const defined = bodies.map((body, index) => ({ index, body }));
  // By their bytes: locals first, then instructions. Comparing only the first 8 to 64 bytes
  // gzipped the same within 0.05 %.
  defined.sort((a, b) => Buffer.compare(a.body, b.body) || a.index - b.index);
  const order = [...Array(imported).keys(), ...defined.map(({ index }) => imported + index)];
  const renumbered = new Array(order.length);
  for (const [position, old] of order.entries()) renumbered[old] = position;
  const rename = (index) => {
    if (index >= renumbered.length) throw new Error(`function index ${index} is past the module's functions`);
    return renumbered[index];
  };
  const payloads = new Map([
    [FUNCTION, concat(encodeU32(types.length), ...defined.map(({ index }) => encodeU32(types[index])))],
    [CODE, concat(encodeU32(bodies.length), ...defined.map(({ body }) => {
      const rewritten = rewriteBody(body, rename);
      return concat(encodeU32(rewritten.length), rewritten);
    }))],
  ]);
  const exports = find(EXPORT);
  if (exports) payloads.set(EXPORT, rewriteExports(bytes, exports, rename));
  const start = find(START);
  if (start) payloads.set(START, Uint8Array.from(encodeU32(rename(readU32(bytes, start.payload).value))));
  const globals = find(GLOBAL);
  if (globals) payloads.set(GLOBAL, rewriteGlobals(bytes, globals, rename));
  const elements = find(ELEMENT);
  if (elements) payloads.set(ELEMENT, rewriteElements(bytes, elements, rename));
  const out = [bytes.subarray(0, HEADER_LENGTH)];
  for (const section of all) {
    const payload = payloads.get(section.id);
    if (payload === undefined || section.id === 0) {
      out.push(bytes.subarray(section.start, section.end));
    } else {
      out.push(Uint8Array.of(section.id, ...encodeU32(payload.length)), payload);
    }
  }
  return { bytes: Buffer.concat(out), order };
}

/** A symbol map (`index:name` lines, as `wasm-opt --symbolmap` writes) with the new indices. */
export function reorderedSymbolMap(symbolMap, order) {
  const renumbered = new Map(order.map((old, position) => [old, position]));
  const lines = [];
  for (const line of symbolMap.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const old = Number(line.slice(0, colon));
    if (!renumbered.has(old)) throw new Error(`the symbol map names function ${old}, which the module does not have`);
    lines.push({ index: renumbered.get(old), text: `${renumbered.get(old)}${line.slice(colon)}` });
  }
  lines.sort((a, b) => a.index - b.index);
  return lines.map(({ text }) => text).join("\n") + "\n";
}

function concat(...parts) {
  return Buffer.concat(parts.map((part) => Uint8Array.from(part)));
}

/** The items of the vector at `position`, each read by `item` (which answers `{value, next}`). */
function vector(bytes, position, item) {
  const count = readU32(bytes, position);
  const items = [];
  let next = count.next;
  for (let index = 0; index < count.value; index++) {
    const read = item(next);
    items.push(read.value);
    next = read.next;
  }
  return items;
}

/** How many functions the module imports: they come before its own in the index space. */
function importedFunctions(bytes, imports) {
  if (!imports) return 0;
  let functions = 0;
  let position = readU32(bytes, imports.payload).next;
  const count = readU32(bytes, imports.payload).value;
  for (let index = 0; index < count; index++) {
    for (let name = 0; name < 2; name++) {
      const length = readU32(bytes, position);
      position = length.next + length.value;
    }
    const kind = bytes[position++];
    if (kind !== 0) throw new Error("the module imports something other than functions, which this does not read");
    position = readU32(bytes, position).next;
    functions++;
  }
  return functions;
}

/** The export section's payload with each function export renumbered. */
function rewriteExports(bytes, section, rename) {
  const out = [];
  const count = readU32(bytes, section.payload);
  out.push(...encodeU32(count.value));
  let position = count.next;
  for (let index = 0; index < count.value; index++) {
    const length = readU32(bytes, position);
    out.push(...bytes.subarray(position, length.next + length.value));
    position = length.next + length.value;
    const kind = bytes[position++];
    const target = readU32(bytes, position);
    position = target.next;
    out.push(kind, ...encodeU32(kind === 0 ? rename(target.value) : target.value));
  }
  return Uint8Array.from(out);
}

/** The global section's payload with `ref.func` in the initial values renumbered. */
function rewriteGlobals(bytes, section, rename) {
  const out = [];
  const count = readU32(bytes, section.payload);
  out.push(...encodeU32(count.value));
  let position = count.next;
  for (let index = 0; index < count.value; index++) {
    out.push(bytes[position], bytes[position + 1]);
    position += 2;
    position = copyExpression(bytes, position, out, rename);
  }
  return Uint8Array.from(out);
}

/** The element section's payload with every function index renumbered, in each of its forms. */
function rewriteElements(bytes, section, rename) {
  const out = [];
  const count = readU32(bytes, section.payload);
  out.push(...encodeU32(count.value));
  let position = count.next;
  for (let index = 0; index < count.value; index++) {
    const flags = readU32(bytes, position);
    out.push(...encodeU32(flags.value));
    position = flags.next;
    if (flags.value > 7) throw new Error(`an element segment of kind ${flags.value}, which this does not read`);
    const active = (flags.value & 1) === 0;
    const explicitTable = (flags.value & 2) !== 0;
    const expressions = (flags.value & 4) !== 0;
    if (active && explicitTable) position = copyU32(bytes, position, out);
    if (active) position = copyExpression(bytes, position, out, rename);
    // The element kind (0x00, functions) or reference type, except in the two shortest forms.
    if (flags.value !== 0 && flags.value !== 4) out.push(bytes[position++]);
    const items = readU32(bytes, position);
    out.push(...encodeU32(items.value));
    position = items.next;
    for (let item = 0; item < items.value; item++) {
      if (expressions) {
        position = copyExpression(bytes, position, out, rename);
      } else {
        const target = readU32(bytes, position);
        out.push(...encodeU32(rename(target.value)));
        position = target.next;
      }
    }
  }
  return Uint8Array.from(out);
}

/** Copies the constant expression at `position` (up to its `end`) into `out`. */
function copyExpression(bytes, position, out, rename) {
  let next = position;
  for (;;) {
    const opcode = bytes[next];
    next = copyInstruction(bytes, next, out, rename);
    if (opcode === 0x0b) return next;
  }
}

/** A function body (locals, then code) with every function index in it renumbered. */
function rewriteBody(body, rename) {
  const out = [];
  const groups = readU32(body, 0);
  out.push(...encodeU32(groups.value));
  let position = groups.next;
  for (let group = 0; group < groups.value; group++) {
    position = copyU32(body, position, out);
    out.push(body[position++]);
  }
  while (position < body.length) position = copyInstruction(body, position, out, rename);
  return Uint8Array.from(out);
}

/** Copies one LEB128 number (signed or not: only its length matters) into `out`. */
function copyU32(bytes, position, out) {
  let next = position;
  while (bytes[next] & 0x80) next++;
  out.push(...bytes.subarray(position, next + 1));
  return next + 1;
}

/** A function index at `position`, renumbered into `out`. */
function copyFunction(bytes, position, out, rename) {
  const target = readU32(bytes, position);
  out.push(...encodeU32(rename(target.value)));
  return target.next;
}

/**
 * Copies the instruction at `position` into `out`, its function index renumbered if it has
 * one, and answers where the next starts.
 */
function copyInstruction(bytes, position, out, rename) {
  const opcode = bytes[position];
  out.push(opcode);
  let next = position + 1;
  const u32 = () => {
    next = copyU32(bytes, next, out);
  };
  switch (true) {
    case opcode <= 0x01 || opcode === 0x05 || opcode === 0x0b || opcode === 0x0f || opcode === 0x1a ||
      opcode === 0x1b || opcode === 0xd1 || (opcode >= 0x45 && opcode <= 0xc4):
      return next;
    case opcode >= 0x02 && opcode <= 0x04: {
      // A block type: empty (0x40), one value type (a byte with the sign bit's pattern), or a
      // type index, a signed LEB128 number.
      const byte = bytes[next];
      if (byte === 0x40 || (byte >= 0x6f && byte <= 0x7f)) {
        out.push(byte);
        return next + 1;
      }
      return copyU32(bytes, next, out);
    }
    case opcode === 0x0c || opcode === 0x0d || (opcode >= 0x20 && opcode <= 0x26) || opcode === 0x41 ||
      opcode === 0x42:
      u32();
      return next;
    case opcode === 0x0e: {
      // The count, the targets, then the default target.
      const targets = readU32(bytes, next);
      for (let index = 0; index < targets.value + 2; index++) u32();
      return next;
    }
    case opcode === 0x10 || opcode === 0x12 || opcode === 0xd2:
      return copyFunction(bytes, next, out, rename);
    case opcode === 0x11 || opcode === 0x13:
      u32();
      u32();
      return next;
    case opcode === 0x1c: {
      const types = readU32(bytes, next);
      out.push(...bytes.subarray(next, types.next + types.value));
      return types.next + types.value;
    }
    case opcode >= 0x28 && opcode <= 0x3e: {
      const align = readU32(bytes, next);
      if (align.value & 0x40) throw new Error("a memory access with a memory index (multi-memory), which this does not read");
      u32();
      u32();
      return next;
    }
    case opcode === 0x3f || opcode === 0x40 || opcode === 0xd0:
      out.push(bytes[next]);
      return next + 1;
    case opcode === 0x43:
      out.push(...bytes.subarray(next, next + 4));
      return next + 4;
    case opcode === 0x44:
      out.push(...bytes.subarray(next, next + 8));
      return next + 8;
    case opcode === 0xfc: {
      const sub = readU32(bytes, next).value;
      u32();
      if (sub <= 7) return next;
      // memory.init, data.drop, memory.copy, memory.fill; the table instructions.
      const immediates = { 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1 }[sub];
      if (immediates === undefined) throw new Error(`instruction 0xfc ${sub}, which this does not read`);
      for (let index = 0; index < immediates; index++) u32();
      return next;
    }
    default:
      throw new Error(`opcode 0x${opcode.toString(16)} at byte ${position} of a body, which this does not read`);
  }
}
