#!/usr/bin/env node
// What each export of the edge router's module costs gzipped (docs/edge.md, "What gzip
// counts"): gzip pays little for code that repeats (a generic's specializations, table-like
// code), so a function's raw size says little about what taking it out would save. For each
// export this gzips the code section's function bodies with and without the functions only
// that export reaches (binaryen's call graph; a function the module's table holds, called
// through a pointer, is reached by none and never counted), and prints the difference, with
// the whole code's gzipped size.
//
//   node Benchmarks/edge/gzip_shares.mjs [.build/wasm/diddy-mesh-router.named.wasm]
//   node Benchmarks/edge/gzip_shares.mjs --through 'RouteTableC5rules|PathPatternV5parse'
//
// With --through, it prints instead what the code loses without every function reachable only
// through the functions whose names match: the share of a step several exports reach, such
// as the router's compile (docs/edge.md, "What is left").
//
// It needs the named copy `make wasm` writes (the deployed module has no names) and
// binaryen's wasm-opt. Exits 2 when either is missing.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { namedFunctions } from "./wasm-sections.mjs";

const EDGE = /^\s*"(.+?)" -> "(.+?)"; \/\/ call$/;
/** binaryen draws the functions the module's table holds (called through a pointer) rounded. */
const TABLE_TARGET = /^\s*"(.+?)" \[style="filled, rounded"\];$/;

/**
 * `{callees, tableTargets}`: callee sets by caller, and the functions the module's table holds,
 * from binaryen's call graph of the module at `path`.
 */
export function callGraph(path) {
  const run = spawnSync("wasm-opt", ["--print-call-graph", path, "-o", "/dev/null"], {
    encoding: "utf8", maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error || run.status !== 0) {
    throw new Error(`wasm-opt --print-call-graph failed: ${run.error?.message ?? run.stderr.split("\n")[0]}`);
  }
  const callees = new Map();
  const tableTargets = new Set();
  for (const line of run.stdout.split("\n")) {
    const target = TABLE_TARGET.exec(line);
    if (target) tableTargets.add(target[1]);
    const match = EDGE.exec(line);
    if (!match) continue;
    if (!callees.has(match[1])) callees.set(match[1], new Set());
    callees.get(match[1]).add(match[2]);
  }
  return { callees, tableTargets };
}

/** Every function `root` reaches through direct calls, itself included. */
function reach(root, callees) {
  const seen = new Set([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const callee of callees.get(queue.pop()) ?? []) {
      if (!seen.has(callee)) {
        seen.add(callee);
        queue.push(callee);
      }
    }
  }
  return seen;
}

/**
 * `{code, exports: [{name, own, saving}]}`: the gzipped size of all the function bodies, and
 * for each `mesh_` export, how many functions only it reaches and what leaving them out of
 * the gzipped bodies saves (largest first).
 */
export function gzipShares(functions, callees) {
  const gzip = (list) => gzipSync(Buffer.concat(list.map((entry) => entry.body)), { level: 9 }).length;
  const code = gzip(functions);
  const exports = functions.map((entry) => entry.name).filter((name) => name.startsWith("mesh_"));
  const reached = new Map(exports.map((name) => [name, reach(name, callees)]));
  const rows = exports.map((name) => {
    const others = new Set();
    for (const [other, set] of reached) if (other !== name) for (const callee of set) others.add(callee);
    const own = new Set([...reached.get(name)].filter((callee) => !others.has(callee)));
    return { name, own: own.size, saving: code - gzip(functions.filter((entry) => !own.has(entry.name))) };
  });
  rows.sort((a, b) => b.saving - a.saving);
  return { code, exports: rows };
}

/**
 * `{code, kept, functions, raw}`: what the gzipped bodies lose without every function reachable
 * only through those `through` names (from the exports, `malloc`, `free` and the functions in
 * `tableTargets`): the share of a step, such as the router's compile, that several exports
 * reach but none needs once it is gone. `functions` and `raw` count the functions that go and
 * their bytes. The table's functions count as kept even when only the step calls them through
 * a pointer, which the call graph cannot tell: the share is a lower bound, never inflated by
 * code no export calls directly.
 */
export function gzipShareThrough(functions, callees, through, tableTargets = new Set()) {
  const gzip = (list) => gzipSync(Buffer.concat(list.map((entry) => entry.body)), { level: 9 }).length;
  const blocked = new Set(functions.map((entry) => entry.name).filter((name) => through(name)));
  const roots = functions.map((entry) => entry.name)
    .filter((name) => (name.startsWith("mesh_") || name === "malloc" || name === "free" || tableTargets.has(name))
      && !blocked.has(name));
  const kept = new Set(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    for (const callee of callees.get(queue.pop()) ?? []) {
      if (blocked.has(callee) || kept.has(callee)) continue;
      kept.add(callee);
      queue.push(callee);
    }
  }
  const gone = functions.filter((entry) => !kept.has(entry.name));
  return {
    code: gzip(functions), kept: gzip(functions.filter((entry) => kept.has(entry.name))),
    functions: gone.length, raw: gone.reduce((total, entry) => total + entry.body.length, 0),
  };
}

function main() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const args = process.argv.slice(2);
  const throughAt = args.indexOf("--through");
  const through = throughAt >= 0 ? args.splice(throughAt, 2)[1] : null;
  if (throughAt >= 0 && !through) {
    console.error("gzip_shares: --through needs a regular expression of function names");
    return 2;
  }
  const path = args[0] ?? join(root, ".build/wasm/diddy-mesh-router.named.wasm");
  if (!existsSync(path)) {
    console.error(`gzip_shares: ${path} is missing (make wasm writes it)`);
    return 2;
  }
  const functions = namedFunctions(readFileSync(path));
  if (!functions) {
    console.error(`gzip_shares: ${path} has no name section (make wasm writes a named copy beside the module)`);
    return 2;
  }
  let shares;
  try {
    if (through) {
      const pattern = new RegExp(through);
      const graph = callGraph(path);
      const share = gzipShareThrough(functions, graph.callees, (name) => pattern.test(name), graph.tableTargets);
      const kb = (bytes) => (bytes / 1024).toFixed(1);
      console.log(`${path}: ${kb(share.code)} KB of code gzipped; without the ${share.functions} functions ` +
        `reachable only through /${through}/ (${kb(share.raw)} KB raw), ${kb(share.kept)} KB: ` +
        `${kb(share.code - share.kept)} KB less`);
      return 0;
    }
    shares = gzipShares(functions, callGraph(path).callees);
  } catch (error) {
    console.error(`gzip_shares: ${error.message} (binaryen's wasm-opt is needed)`);
    return 2;
  }
  const kb = (bytes) => (bytes / 1024).toFixed(1);
  console.log(`${path}: ${functions.length} functions, ${kb(shares.code)} KB of code gzipped`);
  console.log("| export | functions only it reaches | gzipped code they take |");
  console.log("|---|---|---|");
  for (const row of shares.exports) console.log(`| ${row.name} | ${row.own} | ${kb(row.saving)} KB |`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
