// Tests edge/runtime/runtime.c compiled for wasm32 on its own, under Node 20 or later:
//   node edge/runtime/runtime-test.mjs RUNTIME.wasm
// scripts/wasm-build.sh links the runtime with every function exported and runs this. The
// allocator must hand out aligned blocks that never overlap; sin, cos and asin must be
// within one unit in the last place of V8's, which are fdlibm's too; round must round
// halves away from zero; and Double parsing must agree with JavaScript's Number(), which
// rounds correctly, exactly on the fast path and within one unit in the last place beyond.
import { readFileSync } from "node:fs";

const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), {});
const rt = instance.exports;
const failures = [];
const fail = (message) => failures.length < 20 && failures.push(message);

// A deterministic generator, so a failure can be reproduced.
let state = 0x2545f4914f6cdd1dn;
function random() {
  state ^= state << 13n;
  state &= (1n << 64n) - 1n;
  state ^= state >> 7n;
  state ^= state << 17n;
  state &= (1n << 64n) - 1n;
  return Number(state >> 11n) / 2 ** 53;
}

// The distance in units in the last place between two doubles of the same sign.
const bits = new BigInt64Array(1);
const view = new Float64Array(bits.buffer);
function ulps(a, b) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  view[0] = a;
  const x = bits[0];
  view[0] = b;
  const y = bits[0];
  return Math.abs(Number(x - y));
}

// Allocator: random sizes and alignments, a fill pattern checked before each free.
const live = new Map();
const memory = () => new Uint8Array(rt.memory.buffer);
const slot = rt.malloc(4);
for (let step = 0; step < 20000; step++) {
  if (live.size > 0 && random() < 0.45) {
    const [pointer, { size, tag }] = [...live.entries()][Math.floor(random() * live.size)];
    const bytes = memory().subarray(pointer, pointer + size);
    if (bytes.some((byte) => byte !== tag)) fail(`allocator: block at ${pointer} was overwritten`);
    live.delete(pointer);
    rt.free(pointer);
    continue;
  }
  const size = random() < 0.9 ? Math.floor(random() * 300) : Math.floor(random() * 200000);
  let pointer;
  let alignment = 16;
  if (random() < 0.1) {
    alignment = 2 ** (4 + Math.floor(random() * 8));
    if (rt.posix_memalign(slot, alignment, size) !== 0) fail("posix_memalign failed");
    pointer = new Uint32Array(rt.memory.buffer, slot, 1)[0];
  } else if (random() < 0.1 && live.size > 0) {
    const [old, { size: oldSize, tag }] = [...live.entries()][0];
    live.delete(old);
    pointer = rt.realloc(old, size);
    const kept = memory().subarray(pointer, pointer + Math.min(size, oldSize));
    if (kept.some((byte) => byte !== tag)) fail("realloc: contents not kept");
  } else {
    pointer = rt.malloc(size);
  }
  if (pointer === 0 || pointer % alignment !== 0) fail(`allocation of ${size} at ${pointer}, alignment ${alignment}`);
  const tag = 1 + (step % 250);
  memory().fill(tag, pointer, pointer + size);
  live.set(pointer, { size, tag });
}

// libm.
let worst = { sin: 0, cos: 0, asin: 0 };
for (let index = 0; index < 200000; index++) {
  const scale = [1, 4, 100, 1e5][index % 4];
  const x = (random() * 2 - 1) * scale;
  for (const [name, reference, argument] of [
    ["sin", Math.sin, x],
    ["cos", Math.cos, x],
    ["asin", Math.asin, x / scale],
  ]) {
    const error = ulps(rt[name](argument), reference(argument));
    worst[name] = Math.max(worst[name], error);
    if (error > 1) fail(`${name}(${argument}) = ${rt[name](argument)}, V8 ${reference(argument)}`);
  }
}
for (const [x, expected] of [
  [0.5, 1], [-0.5, -1], [2.5, 3], [-2.5, -3], [0.49999999999999994, 0], [-0, -0], [1e300, 1e300],
  [4503599627370497, 4503599627370497], [Infinity, Infinity], [-1.5, -2], [2.4999, 2],
]) {
  if (!Object.is(rt.round(x), expected)) fail(`round(${x}) = ${rt.round(x)}, expected ${expected}`);
}
if (!Number.isNaN(rt.round(NaN)) || !Number.isNaN(rt.sin(Infinity)) || !Number.isNaN(rt.asin(2))) {
  fail("NaN cases");
}

// Double parsing.
const text = rt.malloc(64);
const result = rt.malloc(8);
function parse(string) {
  const bytes = new TextEncoder().encode(string + "\0");
  memory().set(bytes, text);
  const end = rt._swift_stdlib_strtod_clocale(text, result);
  return end === text + bytes.length - 1 ? new Float64Array(rt.memory.buffer, result, 1)[0] : null;
}
const samples = ["0", "-0", "1", "0.1", "1.5", "123456789012345678901234567890", "1e308", "1.7976931348623157e308",
  "1e309", "-1e999", "5e-324", "1e-400", "2.2250738585072014e-308", "0.30000000000000004", "9007199254740993",
  "50.11", "-77.49", "1E5", "1e+5", "+5", ".5", "5.", "inf", "-Infinity", "3.14159265358979323846264338327950288"];
for (let index = 0; index < 20000; index++) {
  const value = (random() - 0.5) * 10 ** Math.floor(random() * 60 - 30);
  samples.push(String(value), value.toPrecision(1 + Math.floor(random() * 21)));
  samples.push(String(Math.floor(random() * 1e6)) + "." + String(Math.floor(random() * 1e4)));
}
let inexact = 0;
for (const sample of samples) {
  const parsed = parse(sample);
  const infinity = /^([+-]?)inf/i.exec(sample);
  const expected = infinity ? Number(infinity[1] + "Infinity") : Number(sample);
  const error = parsed === null ? Infinity : ulps(parsed, expected);
  if (error > 1) fail(`parse("${sample}") = ${parsed}, Number() ${expected}`);
  if (error === 1) inexact += 1;
}
for (const bad of ["", "-", "e5", "1e", "0x10", "1 ", "abc"]) {
  if (parse(bad) !== null) fail(`parse("${bad}") accepted`);
}

if (failures.length > 0) {
  console.error("runtime-test: failed:\n  " + failures.join("\n  "));
  process.exit(1);
}
console.log(
  `runtime-test: allocator, libm (worst ulps: sin ${worst.sin}, cos ${worst.cos}, asin ${worst.asin}), round ` +
    `and Double parsing (${samples.length} texts, ${inexact} one ulp off) as expected`,
);
