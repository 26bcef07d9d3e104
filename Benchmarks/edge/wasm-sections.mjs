// The few things Benchmarks/edge/bench_edge.mjs reads from or does to a WebAssembly binary,
// by the format's own rules (a magic number and version, then sections: an id byte, a LEB128
// length, the payload), so that it needs no tools: custom sections listed, dropped or added,
// and the code's size by the Swift module each function comes from (from the `name` section,
// which the build keeps so that a trap's stack trace is readable).

const HEADER_LENGTH = 8;
const CUSTOM = 0;
const IMPORT = 2;
const GLOBAL = 6;
const CODE = 10;
const DATA = 11;

/** An unsigned LEB128 number at `offset`: its value and the offset after it. */
export function readU32(bytes, offset) {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = bytes[position++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: position };
    shift += 7;
  }
}

/** `value` as an unsigned LEB128 number, its bytes. */
export function encodeU32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

function readName(bytes, offset) {
  const { value: length, next } = readU32(bytes, offset);
  return { name: new TextDecoder().decode(bytes.subarray(next, next + length)), next: next + length };
}

/** Every section: its id, where it starts (id byte), where its payload starts and ends. */
export function sections(bytes) {
  const list = [];
  let offset = HEADER_LENGTH;
  while (offset < bytes.length) {
    const id = bytes[offset];
    const { value: size, next } = readU32(bytes, offset + 1);
    const section = { id, start: offset, payload: next, end: next + size };
    if (id === CUSTOM) section.name = readName(bytes, next).name;
    list.push(section);
    offset = next + size;
  }
  return list;
}

/** The custom sections' names and sizes (whole sections, in bytes). */
export function customSections(bytes) {
  return sections(bytes).filter((section) => section.id === CUSTOM)
    .map((section) => ({ name: section.name, size: section.end - section.start }));
}

/** The module without its custom sections (names, producers, target features): what strip tools drop. */
export function withoutCustomSections(bytes) {
  const kept = sections(bytes).filter((section) => section.id !== CUSTOM);
  return Buffer.concat([
    bytes.subarray(0, HEADER_LENGTH), ...kept.map((section) => bytes.subarray(section.start, section.end)),
  ]);
}

/** The module with one more custom section (`content` as text or bytes): other bytes, the same code. */
export function withCustomSection(bytes, name, content) {
  const nameBytes = new TextEncoder().encode(name);
  const contentBytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const payload = [...encodeU32(nameBytes.length), ...nameBytes, ...contentBytes];
  return Buffer.concat([bytes, Uint8Array.from([CUSTOM, ...encodeU32(payload.length), ...payload])]);
}

/**
 * The module with a `name` section naming its functions, from a symbol map's `index:name`
 * lines (`wasm-opt --symbolmap` writes one): the deployed module has no names, and this copy
 * has the same code with names, for reading a trap's stack trace and for sizeByModule.
 */
export function withFunctionNames(bytes, symbolMap) {
  const entries = [];
  for (const line of symbolMap.split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const index = Number(line.slice(0, colon));
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`not a symbol map line: ${line.slice(0, 80)}`);
    entries.push({ index, name: new TextEncoder().encode(line.slice(colon + 1)) });
  }
  // The format wants the functions in increasing index order, each once.
  entries.sort((a, b) => a.index - b.index);
  const names = [...encodeU32(entries.length)];
  for (const [position, { index, name }] of entries.entries()) {
    if (position > 0 && entries[position - 1].index === index) throw new Error(`function ${index} is named twice`);
    names.push(...encodeU32(index), ...encodeU32(name.length), ...name);
  }
  const FUNCTION_NAMES = 1;
  return withCustomSection(bytes, "name", Uint8Array.from([FUNCTION_NAMES, ...encodeU32(names.length), ...names]));
}

/** The Swift module a mangled name belongs to, or the group of a name that is not Swift's. */
export function moduleOf(name) {
  // `$s` is Swift's mangling prefix, `$e` Embedded Swift's.
  const mangled = /^_?\$[se](.*)$/.exec(name);
  if (!mangled) return /^_?swift_/.test(name) ? "Swift runtime" : "C runtime and other";
  const rest = mangled[1];
  const identifier = /^(\d+)/.exec(rest);
  if (identifier) {
    const length = Number(identifier[1]);
    return rest.slice(identifier[1].length, identifier[1].length + length);
  }
  // `$sS...` and `$ss...` are the standard library's (its types by substitution, or module `s`);
  // a specialization of its generic code for one of our types names that type's module.
  if (!/^[Ss]/.test(rest)) return "Swift (other)";
  return /\d+Mesh[A-Za-z]+.*Tg5/.test(rest) ? "Swift generics specialized for our types" : "Swift standard library";
}

/**
 * The stack the module reserves, in bytes: the first global's start value (`__stack_pointer`,
 * which starts at the top of the stack, below the data, as the build links with --stack-first).
 */
export function stackSize(bytes) {
  const globals = sections(bytes).find((section) => section.id === GLOBAL);
  if (!globals) return null;
  let position = readU32(bytes, globals.payload).next;
  const [type, , opcode] = [bytes[position], bytes[position + 1], bytes[position + 2]];
  if (type !== 0x7f || opcode !== 0x41) return null;
  position += 3;
  // A signed LEB128 i32; the stack pointer is positive and below 2 GiB.
  return readU32(bytes, position).value;
}

/**
 * The module's functions in the code section's order, each `{name, size, body}` (`size` counts
 * the body's length prefix, `body` is the body's bytes), with the names of its `name`
 * section; null when it has none.
 */
export function namedFunctions(bytes) {
  const all = sections(bytes);
  const names = new Map();
  const nameSection = all.find((section) => section.id === CUSTOM && section.name === "name");
  if (!nameSection) return null;
  let offset = readName(bytes, nameSection.payload).next;
  while (offset < nameSection.end) {
    const kind = bytes[offset];
    const { value: size, next } = readU32(bytes, offset + 1);
    if (kind === 1) {
      let position = next;
      const count = readU32(bytes, position);
      position = count.next;
      for (let index = 0; index < count.value; index++) {
        const functionIndex = readU32(bytes, position);
        const entry = readName(bytes, functionIndex.next);
        names.set(functionIndex.value, entry.name);
        position = entry.next;
      }
    }
    offset = next + size;
  }
  let imported = 0;
  const imports = all.find((section) => section.id === IMPORT);
  if (imports) {
    let position = imports.payload;
    const count = readU32(bytes, position);
    position = count.next;
    for (let index = 0; index < count.value; index++) {
      position = readName(bytes, position).next;
      position = readName(bytes, position).next;
      const kind = bytes[position++];
      if (kind === 0) imported++;
      // Only functions are counted; the module imports nothing, so the other kinds are skipped roughly.
      position = readU32(bytes, position).next;
    }
  }
  const code = all.find((section) => section.id === CODE);
  const functions = [];
  if (code) {
    let position = code.payload;
    const count = readU32(bytes, position);
    position = count.next;
    for (let index = 0; index < count.value; index++) {
      const body = readU32(bytes, position);
      functions.push({
        name: names.get(imported + index) ?? `function ${imported + index}`,
        size: body.next - position + body.value,
        body: bytes.subarray(body.next, body.next + body.value),
      });
      position = body.next + body.value;
    }
  }
  return functions;
}

/**
 * The code section's size by module (`[name, bytes]`, largest first), its functions (`{name,
 * size}`, largest first) and the data section's size; null when the module has no `name` section.
 */
export function sizeByModule(bytes) {
  const named = namedFunctions(bytes);
  if (!named) return null;
  const all = sections(bytes);
  const code = all.find((section) => section.id === CODE);
  const data = all.find((section) => section.id === DATA);
  const byModule = new Map();
  for (const { name, size } of named) {
    const module = moduleOf(name);
    byModule.set(module, (byModule.get(module) ?? 0) + size);
  }
  const functions = named.map(({ name, size }) => ({ name, size })).sort((a, b) => b.size - a.size);
  return {
    code: code ? code.end - code.start : 0, data: data ? data.end - data.start : 0,
    byModule: [...byModule.entries()].sort((a, b) => b[1] - a[1]), functions,
  };
}
