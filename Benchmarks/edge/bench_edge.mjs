#!/usr/bin/env node
// The edge router's figures (issue 16, item 6; docs/edge.md): the wasm module that `make wasm`
// builds, timed under Node as the Worker calls it, beside the native router on the same configs
// and the same requests in the same run (Benchmarks/diddy-mesh-bench, `--edge-configs`).
//
//   node Benchmarks/edge/bench_edge.mjs [--wasm .build/wasm/diddy-mesh-router.wasm]
//       [--native .build/release/diddy-mesh-bench | --no-native] [--rounds 3] [--passes 10]
//       [--instantiations 20] [--workdir DIR] [--json OUT] [--profile] [--profile-workload NAME]
//       [--quick] [--no-shrink]
//
// Node 20, no packages; it builds nothing (`make bench-edge` builds the native side, `make
// wasm` the module). Rows, ratios first:
// - the module's size, raw and gzipped (node:zlib, level 9), and of smaller copies: its custom
//   sections dropped in-process (when it has any), and llvm-strip's and wasm-opt -Oz's when
//   they are installed (each copy must route the shop's requests as the original does; wasm-opt
//   takes about 20 s, and `--no-shrink` skips both tools); the code's size by Swift module, from
//   the `name` section of the named copy `make wasm` writes beside the module
//   (diddy-mesh-router.named.wasm; Benchmarks/edge/wasm-sections.mjs);
// - WebAssembly.compile and WebAssembly.instantiate, each timed on its own, over fresh modules
//   (the bytes differ by a custom section each time, so V8 cannot hand back one it compiled),
//   and the compile with every function compiled up front, as Node 20 compiles lazily;
// - mesh_load of the route plans (compiled by the CLI, as `config push` compiles them) of the
//   shop example, a 10-rule and a 10,000-rule config (Benchmarks/edge/workloads.mjs: the
//   native router benchmark's rule shapes and requests, with the headers and request.cf a
//   Worker passes);
// - mesh_route per request, p50 and p99, on the Worker's path (only the headers the config
//   reads, the request in the field form, edge/worker/request-fields.mjs): "module only" (the
//   request's bytes already in memory, the exported call alone) and "end to end" (what the
//   Worker does per request, edge/worker/wasm-router.mjs: the field form built and encoded
//   into memory, the call, the answer decoded and parsed, and the rule and policy its ref
//   names put in), and where the end to end time goes, step by step;
// - on a fresh instance per config: the linear memory after instantiation, after the load and
//   after as many decisions as a round makes (10,000 by default; wasm memory never shrinks, so
//   the last is the high-water mark), and the first load and decision, which run freshly
//   compiled code;
// - the native figures of the same configs and requests: the load (plan and router), the
//   traced decision alone (Router.route) and from and to JSON (RequestJSON.parse, Router.route,
//   DecisionJSON.encode: `diddy-mesh route --requests` per request), and the lean decision
//   (Router.decide, which mesh_route makes inside the module).
// `--profile` adds V8's sampling profile of the Worker's decisions at 10,000 rules;
// `--profile-workload shop|rules-10|rules-10000` profiles another config's.
//
// Each round measures the native side (a child process) and then the wasm side; a figure is
// the median over the rounds, with the best round beside it, since other tenants of the
// machine move single runs. Per-call times have the cost of reading the clock subtracted (on
// both sides). Exits 2 when the module is missing, 1 when a request is refused.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { requestFields } from "../../edge/worker/request-fields.mjs";
import { planOf } from "../../edge/tests/support/plans.mjs";
import { WasmRouter, withNamed } from "../../edge/worker/wasm-router.mjs";
import {
  configWithRules, REQUESTS_PER_SET, SHOP_READS_HEADERS, shopRequests, TABLE_READS_HEADERS, tableRequests,
} from "./workloads.mjs";
import {
  customSections, sizeByModule, stackSize, withCustomSection, withoutCustomSections,
} from "./wasm-sections.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const now = process.hrtime.bigint;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

const USAGE = `usage: node Benchmarks/edge/bench_edge.mjs [--wasm .build/wasm/diddy-mesh-router.wasm]
    [--native .build/release/diddy-mesh-bench | --no-native] [--rounds 3] [--passes 10]
    [--instantiations 20] [--workdir DIR] [--json OUT] [--profile] [--profile-workload NAME]
    [--quick] [--no-shrink]
Times the wasm module of \`make wasm\` under Node as the Worker calls it (mesh_load, mesh_route
module only and end to end), beside the native router (diddy-mesh-bench --edge-configs) on the
same configs and requests. --quick is one round of two passes; --no-shrink skips llvm-strip and
wasm-opt; the file's header says what each figure is.`;

const GOALS = { gzipKB: 100, meshClaimKB: 50, instantiateMs: 10, decide10Us: 10, decide10kUs: 50, memoryMB: 1 };

function parseArguments(argv) {
  const options = {
    wasm: join(root, ".build/wasm/diddy-mesh-router.wasm"), native: join(root, ".build/release/diddy-mesh-bench"),
    rounds: 3, passes: 10, instantiations: 20, workdir: null, json: null, profile: false, shrink: true,
  };
  for (let index = 0; index < argv.length; index++) {
    const value = () => {
      if (index + 1 >= argv.length) throw new Error(`${argv[index]} needs a value`);
      return argv[++index];
    };
    switch (argv[index]) {
      case "--wasm": options.wasm = resolve(value()); break;
      case "--native": options.native = resolve(value()); break;
      case "--no-native": options.native = null; break;
      case "--rounds": options.rounds = Math.max(1, Number(value())); break;
      case "--passes": options.passes = Math.max(1, Number(value())); break;
      case "--instantiations": options.instantiations = Math.max(3, Number(value())); break;
      case "--workdir": options.workdir = resolve(value()); break;
      case "--json": options.json = resolve(value()); break;
      case "--profile": options.profile = true; break;
      case "--profile-workload": options.profile = true; options.profileWorkload = argv[++index]; break;
      case "--no-shrink": options.shrink = false; break;
      case "--quick": Object.assign(options, { rounds: 1, passes: 2, instantiations: 5 }); break;
      case "--help": case "-h": options.help = true; break;
      default: throw new Error(`unknown argument ${argv[index]} (--help lists them)`);
    }
  }
  return options;
}

// MARK: Timing

/** The median cost of reading the clock twice, in ns: subtracted from every per-call time. */
function clockOverhead() {
  const samples = new Float64Array(20_000);
  for (let index = 0; index < samples.length; index++) {
    const start = now();
    samples[index] = Number(now() - start);
  }
  return percentile(samples.sort(), 0.5);
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** p50, p99 and mean of per-call samples in ns. */
function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  let total = 0;
  for (const sample of sorted) total += sample;
  return { median: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: total / sorted.length };
}

/** The median and best of several rounds' figures (each `{median, p99, ...}`), key by key. */
function acrossRounds(rounds) {
  const result = {};
  for (const key of Object.keys(rounds[0])) {
    const values = rounds.map((round) => round[key]).sort((a, b) => a - b);
    result[key] = values[Math.floor((values.length - 1) / 2)];
    result[`best_${key}`] = values[0];
  }
  return result;
}

// MARK: The module

/** The tools that make smaller copies of a module, when installed: each is run as `TOOL FLAGS IN -o OUT`. */
const SHRINKERS = [
  { tool: "llvm-strip", flags: ["--strip-all"] },
  { tool: "wasm-opt", flags: ["-Oz", "--strip-debug", "--strip-producers"] },
];

/** The module's size, raw and gzipped, and the same of smaller copies; what the code is made of. */
function sizes(bytes, workdir, shrink, named) {
  const gzip = (data) => gzipSync(data, { level: 9 }).length;
  const rows = [{ name: "as built", raw: bytes.length, gzip: gzip(bytes) }];
  const stripped = withoutCustomSections(bytes);
  if (stripped.length < bytes.length) {
    rows.push({ name: "custom sections dropped (in-process)", raw: stripped.length, gzip: gzip(stripped),
      copy: stripped });
  }
  const tools = [];
  const input = join(workdir, "module.wasm");
  writeFileSync(input, bytes);
  for (const { tool, flags } of shrink ? SHRINKERS : []) {
    const output = join(workdir, `module.${tool}.wasm`);
    const run = spawnSync(tool, [...flags, input, "-o", output], { encoding: "utf8" });
    if (run.error || run.status !== 0) {
      tools.push(`${tool}: ${run.error ? "not installed" : `failed (${(run.stderr || "").trim().split("\n")[0]})`}`);
      continue;
    }
    const version = spawnSync(tool, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0].trim();
    tools.push(`${tool}: ${version || "available"}`);
    const copy = readFileSync(output);
    rows.push({ name: `${tool} ${flags.join(" ")}`, raw: copy.length, gzip: gzip(copy), copy });
  }
  // The deployed module has no names; `make wasm` writes a copy with the same code and a name
  // section beside it, which is read only when its code is the module's.
  const sameCode = named && Buffer.compare(withoutCustomSections(named), stripped) === 0;
  return {
    rows, tools, sections: customSections(bytes), stack: stackSize(bytes),
    modules: sizeByModule(bytes) ?? (sameCode ? sizeByModule(named) : null),
  };
}

/** Whether `copy` routes the shop's requests as `original` does (fresh state for both). */
async function sameDecisions(original, copy, shop) {
  const [a, b] = await Promise.all([original, copy].map(async (bytes) => {
    const router = new WasmRouter((await WebAssembly.instantiate(bytes, {})).instance.exports);
    router.load(shop.plan);
    return shop.workerRequests.slice(0, 200).map((request) => JSON.stringify(router.route(request)));
  }));
  return a.every((decision, index) => decision === b[index]);
}

/** Compile and instantiate times, in ms, over fresh copies of the module. */
async function instantiation(bytes, count) {
  const compile = [];
  const instantiate = [];
  for (let index = 0; index < count; index++) {
    const fresh = withCustomSection(bytes, "bench-nonce", `${process.pid}-${index}-${Math.random()}`);
    const start = now();
    const module = await WebAssembly.compile(fresh);
    const compiled = now();
    await WebAssembly.instantiate(module, {});
    const done = now();
    compile.push(Number(compiled - start) / 1e6);
    instantiate.push(Number(done - compiled) / 1e6);
  }
  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { first: values[0], median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), best: sorted[0] };
  };
  return { compile: stats(compile), instantiate: stats(instantiate), count };
}

/**
 * Compile times with every function compiled up front (`--no-wasm-lazy-compilation`), in a
 * child process: Node 20 compiles lazily by default, so WebAssembly.compile validates the
 * module and each function is compiled on its first call (the first mesh_load pays for it).
 */
function eagerCompile(path, count) {
  const script = `
    const { readFileSync } = require("node:fs");
    const bytes = readFileSync(process.argv[1]);
    (async () => {
      const times = [];
      for (let index = 0; index < Number(process.argv[2]); index++) {
        // A custom section named "n" holding the index: other bytes, so no module is reused.
        const nonce = Buffer.from(String(index));
        const fresh = Buffer.concat([bytes, Buffer.from([0, 2 + nonce.length, 1, 0x6e]), nonce]);
        const start = process.hrtime.bigint();
        await WebAssembly.compile(fresh);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      console.log(JSON.stringify(times));
    })();`;
  const run = spawnSync(process.execPath, ["--no-wasm-lazy-compilation", "-e", script, path, String(count)],
    { encoding: "utf8" });
  if (run.error || run.status !== 0) return null;
  const times = JSON.parse(run.stdout).sort((a, b) => a - b);
  return { median: percentile(times, 0.5), best: times[0], count };
}

/** A fresh instance of a module compiled anew (so its code starts in V8's baseline tier). */
async function freshRouter(bytes, label) {
  const module = await WebAssembly.compile(withCustomSection(bytes, "bench-nonce", `${label}-${Math.random()}`));
  return new WasmRouter((await WebAssembly.instantiate(module, {})).exports);
}

/**
 * On a fresh instance: the memory after instantiation, the first load and decision (cold
 * code), the memory after the load and after `count` decisions through the Worker's path.
 */
async function freshInstance(bytes, workload, count) {
  const router = await freshRouter(bytes, workload.name);
  const memory = () => router.wasm.memory.buffer.byteLength;
  const initial = memory();
  let start = now();
  const load = router.load(workload.plan);
  const firstLoadMs = Number(now() - start) / 1e6;
  if (load.status !== 0) throw new Error(`${workload.name}: mesh_load answered ${load.status}`);
  const afterLoad = memory();
  const requests = workload.workerRequests;
  start = now();
  router.route(requests[0]);
  const firstDecisionUs = Number(now() - start) / 1e3;
  for (let index = 0; index < count; index++) router.route(requests[index % requests.length]);
  return { initial, afterLoad, afterDecisions: memory(), decisions: count, firstLoadMs, firstDecisionUs,
    errors: load.answer.errors, warnings: load.answer.warnings, rules: load.answer.rules };
}

/** Median and best of `runs` loads of the workload's config into `router`, in ms. */
function loads(router, workload, runs) {
  const times = [];
  for (let index = 0; index < runs; index++) {
    const start = now();
    const { status } = router.load(workload.plan);
    times.push(Number(now() - start) / 1e6);
    if (status !== 0) throw new Error(`${workload.name}: mesh_load answered ${status}`);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), best: times[0] };
}

/**
 * mesh_route on the Worker's requests in the field form, their bytes already in memory: the
 * exported call alone. One buffer, allocated once, takes each request before its call (untimed).
 */
function moduleOnly(router, workload, passes, overhead) {
  const encoded = workload.workerEncoded;
  const wasm = router.wasm;
  const longest = Math.max(...encoded.map((bytes) => bytes.length));
  const pointer = wasm.malloc(longest);
  const samples = new Float64Array(encoded.length * passes);
  let sample = 0;
  let refused = 0;
  try {
    for (let pass = 0; pass < passes; pass++) {
      for (const bytes of encoded) {
        new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
        const start = now();
        const status = wasm.mesh_route(pointer, bytes.length);
        const end = now();
        samples[sample++] = Math.max(0, Number(end - start) - overhead);
        if (status !== 0) refused++;
      }
    }
  } finally {
    wasm.free(pointer);
  }
  if (refused > 0) throw new Error(`${workload.name}: mesh_route refused ${refused} requests`);
  return summarize(samples);
}

/**
 * The Worker's own path per request (edge/worker/worker.mjs), timed whole: only the headers
 * the module's report lists (edge/worker/router-request.mjs), and WasmRouter.route.
 * `answerBytes` is the size of mesh_route's answer.
 */
function worker(router, workload, passes, overhead) {
  const requests = workload.workerRequests;
  const samples = new Float64Array(requests.length * passes);
  let sample = 0;
  let answerBytes = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const request of requests) {
      const start = now();
      const { status, answer } = router.route(request);
      const end = now();
      samples[sample++] = Math.max(0, Number(end - start) - overhead);
      if (status !== 0) throw new Error(`${workload.name}: ${answer?.error ?? `status ${status}`}`);
    }
  }
  for (const request of requests) {
    router.route(request);
    answerBytes += router.wasm.mesh_output_len();
  }
  return { ...summarize(samples), answerBytes: answerBytes / requests.length };
}

/** `request` with only the headers named in `names`, as edge/worker/router-request.mjs sends it. */
function withHeaders(request, names) {
  return {
    ...request,
    headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => names.includes(name))),
  };
}

/**
 * Where the Worker's time goes: each step of its path (WasmRouter.route on the headers the
 * config reads) timed on its own, in ns (medians, which a preempted sample does not move as
 * it moves a mean).
 */
function phases(router, workload, passes, overhead) {
  const wasm = router.wasm;
  const steps = ["fields", "encode", "copyIn", "call", "decode", "parse"];
  const requests = workload.workerRequests;
  const samples = Object.fromEntries(steps.map((step) => [step, new Float64Array(requests.length * passes)]));
  const refs = new Map();
  const named = (ref) => {
    wasm.mesh_ref(ref);
    const parsed = JSON.parse(decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.mesh_output_ptr(),
      wasm.mesh_output_len())));
    refs.set(ref, parsed);
    return parsed;
  };
  let sample = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const request of requests) {
      const t0 = now();
      const text = requestFields(request);
      const t1 = now();
      const bytes = encoder.encode(text);
      const t2 = now();
      const pointer = wasm.malloc(bytes.length);
      new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
      const t3 = now();
      wasm.mesh_route(pointer, bytes.length);
      const t4 = now();
      wasm.free(pointer);
      const answer = decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.mesh_output_ptr(), wasm.mesh_output_len()));
      const t5 = now();
      const parsed = JSON.parse(answer);
      // WasmRouter.route's ref lookup: what a ref names is parsed once.
      if (typeof parsed.ref === "number") withNamed(parsed, refs.get(parsed.ref) ?? named(parsed.ref));
      const t6 = now();
      const times = [t0, t1, t2, t3, t4, t5, t6];
      steps.forEach((step, index) => {
        samples[step][sample] = Math.max(0, Number(times[index + 1] - times[index]) - overhead);
      });
      sample++;
    }
  }
  return Object.fromEntries(steps.map((step) => [step, summarize(samples[step]).median]));
}

/** The native figures of every workload (diddy-mesh-bench --edge-configs), or why there are none. */
function native(options, dataDir, passes) {
  if (!options.native) return { problem: "skipped (--no-native)" };
  if (!existsSync(options.native)) {
    return {
      problem: `${options.native} is missing (make bench-edge builds it: swift build -c release ` +
        "--product diddy-mesh-bench)",
    };
  }
  const run = spawnSync(options.native, ["--edge-configs", dataDir, "--runs", String(passes)],
    { encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.error || run.status !== 0) {
    return { problem: `${options.native} failed: ${run.error?.message ?? run.stderr.trim()}` };
  }
  const figures = {};
  for (const line of run.stdout.split("\n").filter((text) => text.startsWith("{"))) {
    const parsed = JSON.parse(line);
    figures[parsed.name] = parsed;
  }
  return { figures };
}

// MARK: Profile

/**
 * Where the Worker's decisions on `workload` (mesh_route, the headers the config reads)
 * spend their time, from V8's sampling profiler
 * (wasm functions by the names of the module's `name` section): each function's share of the
 * samples in itself (self) and in itself and what it calls (total).
 */
async function profile(router, workload, seconds) {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const until = Date.now() + seconds * 1000;
  let decisions = 0;
  while (Date.now() < until) {
    for (const request of workload.workerRequests) router.route(request);
    decisions += workload.workerRequests.length;
  }
  const { profile: result } = await session.post("Profiler.stop");
  session.disconnect();
  const byId = new Map(result.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of result.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (id) => byId.get(id).callFrame.functionName || "(anonymous)";
  const self = new Map();
  const total = new Map();
  let samples = 0;
  for (const id of result.samples) {
    samples++;
    self.set(name(id), (self.get(name(id)) ?? 0) + 1);
    const seen = new Set();
    for (let node = id; node !== undefined; node = parent.get(node)) {
      if (seen.has(name(node))) continue;
      seen.add(name(node));
      total.set(name(node), (total.get(name(node)) ?? 0) + 1);
    }
  }
  const top = (map, count) => [...map.entries()].filter(([key]) => !key.startsWith("(") && key !== "profile")
    .sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, value]) => ({ name: key, share: value / samples }));
  return { decisions, samples, self: top(self, 20), total: top(total, 25) };
}

/** Swift names demangled by the toolchain's `swift demangle` when it is there, else as they are. */
function demangled(names) {
  const run = spawnSync("swift", ["demangle", "--simplified"], { input: names.join("\n"), encoding: "utf8" });
  const lines = run.status === 0 ? run.stdout.split("\n") : [];
  return names.map((name, index) => lines[index] || name);
}

// MARK: Report

const ms = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const us = (ns) => {
  const value = ns / 1000;
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
};
const kb = (bytes) => (bytes / 1024).toFixed(bytes >= 100 * 1024 ? 0 : 1);
const mib = (bytes) => (bytes / 1048576).toFixed(2);
const ratio = (slower, faster) => (faster > 0 && slower !== undefined ? `${(slower / faster).toFixed(1)}x` : "-");
const met = (value, goal) => (value < goal ? "met" : "**missed**");

function table(header, rows) {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

/** "p50 / p99 [best round's p50]" of a per-call figure in ns, as us. */
function cell(figure) {
  return `${us(figure.median)} / ${us(figure.p99)} [${us(figure.best_median)}]`;
}

/** "ratio of medians [ratio of best rounds]". */
function ratioCell(ours, theirs) {
  return `${ratio(ours.median, theirs.median)} [${ratio(ours.best_median, theirs.best_median)}]`;
}

function report(results) {
  const { size, instance, workloads, wasm, nativeFigures } = results;
  const lines = [];
  const gz = size.rows[0].gzip;
  const compileAndInstantiate = instance.compile.median + instance.instantiate.median;

  lines.push("ratios (wasm / native, same configs and requests; medians over rounds, best rounds in brackets):");
  if (nativeFigures) {
    lines.push(table(["config", "load", "the Worker's path (mesh_route) p50, module only / native Router.decide alone",
      "same, p99", "the Worker's path p50, end to end / native Router.decide alone"],
    workloads.map((workload) => {
      const ours = wasm[workload.name];
      const theirs = nativeFigures[workload.name];
      return [workload.label, ratioCell(ours.load, theirs.load), ratioCell(ours.workerModuleOnly, theirs.lean),
        ratio(ours.workerModuleOnly.p99, theirs.lean.p99), ratioCell(ours.worker, theirs.lean)];
    })));
  } else {
    lines.push(`no native figures: ${results.nativeProblem}`);
  }

  lines.push("", "goals (issue 16):");
  const [shop, ten, tenK] = ["shop", "rules-10", "rules-10000"].map((name) => wasm[name]);
  const smallest = Math.min(...size.rows.map((row) => row.gzip));
  lines.push(table(["goal", "measured", "verdict"], [
    ["size < 100 KB gzipped (the Mesh's claim: 50 KB)",
      `${kb(gz)} KB gzipped (${kb(size.rows[0].raw)} KB raw); ${kb(smallest)} KB at best stripped`,
      met(gz / 1024, GOALS.gzipKB)],
    ["instantiate < 10 ms",
      `compile ${ms(instance.compile.median)} + instantiate ${ms(instance.instantiate.median)} ms ` +
        `(median of ${instance.count}; functions compiled lazily)`,
      met(compileAndInstantiate, GOALS.instantiateMs)],
    ["decide < 10 us p50 end to end, 10 rules", `${us(ten.worker.median)} us (best round ` +
      `${us(ten.worker.best_median)}; the Worker's path)`, met(ten.worker.median / 1000, GOALS.decide10Us)],
    ["decide < 50 us p50 end to end, 10,000 rules", `${us(tenK.worker.median)} us (best round ` +
      `${us(tenK.worker.best_median)}; the Worker's path)`, met(tenK.worker.median / 1000, GOALS.decide10kUs)],
    ["linear memory < 1 MB, shop example",
      `${mib(shop.fresh.afterDecisions)} MiB after load and ${shop.fresh.decisions} decisions, of which ` +
        `${mib(size.stack ?? 0)} MiB stack`,
      met(shop.fresh.afterDecisions / 1048576, GOALS.memoryMB)],
  ]));

  lines.push("", "module size:");
  lines.push(table(["module", "raw", "gzip -9", "routes as built"], size.rows.map((row) => [
    row.name, `${kb(row.raw)} KB`, `${kb(row.gzip)} KB`,
    row.sameDecisions === undefined ? "-" : row.sameDecisions ? "yes" : "NO"])));
  lines.push(`tools: ${size.tools.join("; ")}`);
  const sections = size.sections.map((section) => `${section.name} ${kb(section.size)} KB`);
  lines.push(`custom sections: ${sections.join(", ") || "none"}`);
  if (size.modules) {
    const modules = size.modules.byModule.slice(0, 8).map(([name, bytes]) => `${name} ${kb(bytes)} KB`);
    lines.push(`code section ${kb(size.modules.code)} KB in ${size.modules.functions.length} functions, by Swift ` +
      `module: ${modules.join(", ")}; data section ${kb(size.modules.data)} KB`);
    const largest = size.modules.functions.slice(0, 6);
    const names = demangled(largest.map((entry) => entry.name));
    lines.push(`largest functions: ${largest.map((entry, index) => `${names[index].slice(0, 70)} ` +
      `${kb(entry.size)} KB`).join("; ")}`);
  }

  lines.push("", `compile and instantiate (ms, ${instance.count} fresh modules; the first is the first in this ` +
    "process):");
  lines.push(table(["step", "first", "median", "p95", "best"], ["compile", "instantiate"].map((step) => [
    `WebAssembly.${step}`, ms(instance[step].first), ms(instance[step].median), ms(instance[step].p95),
    ms(instance[step].best)])));
  lines.push("Node 20 compiles lazily: WebAssembly.compile validates the module and each function is compiled " +
    "on its first call (the first mesh_load below pays for those it reaches). " + (instance.eager
    ? `Every function compiled up front (--no-wasm-lazy-compilation): ${ms(instance.eager.median)} ms median, ` +
      `${ms(instance.eager.best)} best, of ${instance.eager.count}.` : "The eager compile could not be timed."));

  lines.push("", "per config (per request in us: p50 / p99 [best round's p50]; loads in ms: median [best round]):");
  lines.push(table(["config", "mesh_load", "native load", "the Worker's path: mesh_route, module only",
    "the Worker's path, end to end", "native, JSON in and out", "native, Router.route alone",
    "native, Router.decide (lean)"], workloads.map((workload) => {
    const ours = wasm[workload.name];
    const theirs = nativeFigures?.[workload.name];
    const nativeCell = (key) => (theirs ? cell(theirs[key]) : "-");
    return [
      `${workload.label} (${ours.fresh.rules} rules, ${workload.requests.length} requests)`,
      `${ms(ours.load.median)} [${ms(ours.load.best_median)}]`,
      theirs ? `${ms(theirs.load.median)} [${ms(theirs.load.best_median)}]` : "-",
      cell(ours.workerModuleOnly), cell(ours.worker), nativeCell("decideJSON"), nativeCell("route"),
      nativeCell("lean"),
    ];
  })));

  lines.push("", "the Worker's path, where the time goes (median of each step, us; last round):");
  lines.push(table(["config", "request fields", "encode", "malloc + copy", "mesh_route", "free + decode",
    "JSON.parse and refs", "request / answer bytes"], workloads.map((workload) => {
    const steps = wasm[workload.name].phases;
    return [workload.label, us(steps.fields), us(steps.encode), us(steps.copyIn), us(steps.call),
      us(steps.decode), us(steps.parse),
      `${workload.workerRequestBytes} / ${Math.round(wasm[workload.name].workerAnswerBytes)}`];
  })));

  lines.push("", `fresh instance per config (first calls run freshly compiled code; the stack takes ` +
    `${mib(size.stack ?? 0)} MiB of the memory):`);
  lines.push(table(["config", "memory at instantiation", "after mesh_load", "after the decisions", "first mesh_load",
    "first decision", "report"], workloads.map((workload) => {
    const fresh = wasm[workload.name].fresh;
    return [workload.label, `${mib(fresh.initial)} MiB`, `${mib(fresh.afterLoad)} MiB`,
      `${mib(fresh.afterDecisions)} MiB (${fresh.decisions})`, `${ms(fresh.firstLoadMs)} ms`,
      `${ms(fresh.firstDecisionUs / 1000)} ms`, `${fresh.errors} errors, ${fresh.warnings} warnings`];
  })));
  return lines.join("\n");
}

// MARK: Main

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (!existsSync(options.wasm)) {
    console.error(`${options.wasm} is missing: run \`make wasm\` first (it builds the module and runs its tests)`);
    return 2;
  }
  const bytes = readFileSync(options.wasm);
  const workdir = options.workdir ?? mkdtempSync(join(tmpdir(), "diddy-edge-bench-"));
  const dataDir = join(workdir, "configs");
  mkdirSync(dataDir, { recursive: true });

  const workloads = [
    { name: "shop", label: "shop example", config: readFileSync(join(root, "examples/shop/diddy-mesh.jsonc")),
      requests: shopRequests(REQUESTS_PER_SET), readsHeaders: SHOP_READS_HEADERS },
    { name: "rules-10", label: "10 rules", config: encoder.encode(configWithRules(10)),
      requests: tableRequests(10, REQUESTS_PER_SET), readsHeaders: TABLE_READS_HEADERS },
    { name: "rules-10000", label: "10,000 rules", config: encoder.encode(configWithRules(10_000)),
      requests: tableRequests(10_000, REQUESTS_PER_SET), readsHeaders: TABLE_READS_HEADERS },
  ];
  for (const workload of workloads) {
    // The module loads route plans, compiled by the CLI as `config push` compiles them.
    workload.plan = planOf(workload.config);
    workload.encoded = workload.requests.map((request) => encoder.encode(JSON.stringify(request)));
    workload.workerRequests = workload.requests.map((request) => withHeaders(request, workload.readsHeaders));
    // The Worker sends its requests in the field form, the only form mesh_route reads.
    workload.workerEncoded = workload.workerRequests.map((request) => {
      const fields = requestFields(request);
      if (fields === null) throw new Error(`${workload.name}: ${JSON.stringify(request)} has no field form`);
      return encoder.encode(fields);
    });
    workload.workerRequestBytes = Math.round(workload.workerEncoded.reduce((sum, item) => sum + item.length, 0) /
      workload.workerEncoded.length);
    workload.requestBytes = Math.round(workload.encoded.reduce((sum, item) => sum + item.length, 0) /
      workload.encoded.length);
    writeFileSync(join(dataDir, `${workload.name}.jsonc`), workload.config);
    writeFileSync(join(dataDir, `${workload.name}.requests.jsonl`),
      workload.encoded.map((item) => decoder.decode(item)).join("\n") + "\n");
  }

  const load = loadavg();
  const commit = spawnSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout?.trim();
  console.log("== edge router (issue 16) ==");
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), node ${process.version}, ` +
    `load average ${load.map((value) => value.toFixed(2)).join(", ")}; ${new Date().toISOString()}` +
    (commit ? `, commit ${commit}` : ""));
  console.log(`module: ${options.wasm}; ${options.rounds} rounds of ${options.passes} passes over ` +
    `${REQUESTS_PER_SET} requests per config; configs and requests in ${dataDir}`);

  const overhead = clockOverhead();
  // First, so that its first compile is the process's first, as in a new isolate.
  const instance = await instantiation(bytes, options.instantiations);
  instance.eager = eagerCompile(options.wasm, Math.max(3, Math.ceil(options.instantiations / 4)));
  const namedPath = options.wasm.replace(/\.wasm$/, ".named.wasm");
  const named = namedPath !== options.wasm && existsSync(namedPath) ? readFileSync(namedPath) : null;
  const size = sizes(bytes, workdir, options.shrink, named);
  if (!options.shrink) size.tools.push("llvm-strip and wasm-opt not run (--no-shrink)");
  for (const row of size.rows.slice(1)) {
    row.sameDecisions = await sameDecisions(bytes, row.copy, workloads[0]);
    delete row.copy;
  }

  const wasmRounds = Object.fromEntries(workloads.map((workload) => [workload.name, []]));
  const nativeRounds = Object.fromEntries(workloads.map((workload) => [workload.name, []]));
  let nativeProblem = null;
  const fresh = {};
  // As many decisions as a round makes: 10,000 by default.
  const freshDecisions = options.passes * REQUESTS_PER_SET;
  for (const workload of workloads) fresh[workload.name] = await freshInstance(bytes, workload, freshDecisions);
  for (let round = 0; round < options.rounds; round++) {
    const nativeRun = native(options, dataDir, options.passes);
    if (nativeRun.problem) nativeProblem = nativeRun.problem;
    for (const [name, figures] of Object.entries(nativeRun.figures ?? {})) nativeRounds[name]?.push(figures);
    const router = await freshRouter(bytes, `round-${round}`);
    for (const workload of workloads) {
      const listed = router.load(workload.plan).answer?.readHeaders;
      // The Worker sends what the report lists; the workload must send the same.
      if (JSON.stringify(listed) !== JSON.stringify([...workload.readsHeaders].sort())) {
        throw new Error(`${workload.name}: the report lists ${JSON.stringify(listed)} as the headers read, ` +
          `the workload ${JSON.stringify(workload.readsHeaders)}`);
      }
      // Warm-up: V8 moves hot functions from its baseline compiler to its optimizing one.
      for (let pass = 0; pass < 2; pass++) for (const request of workload.workerRequests) router.route(request);
      const passes = options.passes;
      const loadRuns = workload.config.length > 500_000 ? Math.max(3, Math.ceil(passes / 2)) : passes * 3;
      const figures = {
        load: loads(router, workload, loadRuns),
        workerModuleOnly: moduleOnly(router, workload, passes, overhead),
        worker: worker(router, workload, passes, overhead),
      };
      figures.phases = phases(router, workload, Math.max(1, Math.ceil(passes / 3)), overhead);
      wasmRounds[workload.name].push(figures);
    }
    process.stderr.write(`round ${round + 1} of ${options.rounds} done\n`);
  }

  const wasm = {};
  for (const workload of workloads) {
    const rounds = wasmRounds[workload.name];
    wasm[workload.name] = {
      load: acrossRounds(rounds.map((round) => round.load)),
      workerModuleOnly: acrossRounds(rounds.map((round) => round.workerModuleOnly)),
      worker: acrossRounds(rounds.map(({ worker: { answerBytes, ...rest } }) => rest)),
      workerAnswerBytes: rounds.at(-1).worker.answerBytes,
      phases: rounds.at(-1).phases,
      fresh: fresh[workload.name],
    };
  }
  let nativeFigures = null;
  if (workloads.every((workload) => nativeRounds[workload.name].length > 0)) {
    nativeFigures = {};
    for (const workload of workloads) {
      const rounds = nativeRounds[workload.name];
      nativeFigures[workload.name] = {
        // A round's load figure is its median load, in ms as the wasm side's.
        load: acrossRounds(rounds.map((round) => ({ median: round.load.median / 1e6 }))),
        route: acrossRounds(rounds.map((round) => round.route)),
        decideJSON: acrossRounds(rounds.map((round) => round.decideJSON)),
        lean: acrossRounds(rounds.map((round) => round.lean)),
        answerBytes: rounds.at(-1).answerBytes,
      };
    }
  }
  const results = { size, instance, workloads, wasm, nativeFigures, nativeProblem, clockOverheadNs: overhead };
  console.log(`clock overhead subtracted: ${overhead.toFixed(0)} ns per call; load average at the end ` +
    `${loadavg().map((value) => value.toFixed(2)).join(", ")}\n`);
  console.log(report(results));

  if (options.profile) {
    const router = await freshRouter(bytes, "profile");
    const workload = workloads.find(({ name }) => name === options.profileWorkload) ?? workloads[2];
    router.load(workload.plan);
    const hot = await profile(router, workload, 5);
    console.log(`\nprofile: the Worker's decisions on ${workload.label} (${hot.decisions} in 5 s, ` +
      `${hot.samples} samples):`);
    for (const kind of ["total", "self"]) {
      const names = demangled(hot[kind].map((entry) => entry.name));
      console.log(`\n${kind === "total" ? "in the function and what it calls" : "in the function itself"}:`);
      console.log(table(["function", "share"], hot[kind].map((entry, index) => [names[index].slice(0, 110),
        `${(entry.share * 100).toFixed(1)} %`])));
    }
    results.profile = hot;
  }
  if (options.json) {
    const serializable = { ...results, workloads: workloads.map(({ name, label, requestBytes }) =>
      ({ name, label, requests: REQUESTS_PER_SET, requestBytes })) };
    writeFileSync(options.json, JSON.stringify(serializable, null, 2) + "\n");
  }
  if (!options.workdir) rmSync(workdir, { recursive: true, force: true });
  return 0;
}

process.exitCode = await main();
