#!/usr/bin/env python3
"""Scale benchmark (issue 14): whole `diddy-mesh` processes on the workloads of
Benchmarks/scale/workloads.py, each beside its peer from the same run where one exists.

    python3 Benchmarks/scale/scale_bench.py [--server .build/release/diddy-mesh] [--runs 10]
        [--workdir DIR] [--json OUT]

Rows, ratios first:
- `check` of a 2 MB config (4,000-odd services and rules, comments stripped so that every
  tool reads the same bytes) against jsonschema-rs and check-jsonschema validating the
  same file against schemas/diddy-mesh.schema.json (they check the schema only);
- start-up: `--version` and `check` of the shop example against a statically linked C
  program that prints a line (what starting a process costs at best);
- 2,000 unknown-service errors on one line (minified) against the same file indented;
- the indented file with its 2,000 errors against the same file without them: the cost of
  one diagnostic (found, suggested, positioned and printed);
- shadow analysis of 800 and 3,200 rules in prefix chains.

Times are medians of whole processes (spawn to exit) with output to /dev/null; peak RSS
comes from one more run under GNU time. Exits 1 when our binary is missing or a run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "lsp"))

import mesh_generator  # noqa: E402
import workloads  # noqa: E402

HELLO_C = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'

JSONSCHEMA_RS = """
import json, sys, jsonschema_rs
schema = json.load(open(sys.argv[1]))
validator = jsonschema_rs.validator_for(schema)
errors = list(validator.iter_errors(json.load(open(sys.argv[2]))))
sys.exit(1 if errors else 0)
"""


def run_once(command: list[str], accept: tuple[int, ...]) -> float:
    """Seconds from spawn to exit of one run of `command`, output to /dev/null."""
    start = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if completed.returncode not in accept:
        raise RuntimeError(f"{' '.join(command)} exited {completed.returncode}")
    return elapsed


def peak_rss_mib(command: list[str]) -> float | None:
    """The peak RSS of one run, from GNU time (a child of this Python process would
    report Python's own memory as its peak); None without /usr/bin/time."""
    if not Path("/usr/bin/time").exists():
        return None
    completed = subprocess.run(["/usr/bin/time", "-f", "%M", *command],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        return int(completed.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return None


def measure(command: list[str], runs: int, accept: tuple[int, ...] = (0,)) -> dict:
    run_once(command, accept)  # warm the page cache
    times = [run_once(command, accept) for _ in range(runs)]
    return {"ms": statistics.median(times) * 1000, "best_ms": min(times) * 1000, "rss_mib": peak_rss_mib(command)}


def prepare(work: Path) -> dict[str, Path]:
    files = {
        "mesh-2mb.json": json.dumps(mesh_generator.data(workloads.mesh(2_000_000)), indent=2) + "\n",
        "unknown-minified.json": workloads.minified(workloads.unknown_services(4000, 2000)),
        "unknown-indented.json": workloads.indented(workloads.unknown_services(4000, 2000)),
        "known-indented.json": workloads.indented(workloads.known_services(4000, 2000)),
        "chains-800.json": workloads.indented(workloads.prefix_chains(800)),
        "chains-3200.json": workloads.indented(workloads.prefix_chains(3200)),
    }
    paths = {}
    for name, text in files.items():
        path = work / name
        path.write_text(text)
        paths[name] = path
    hello = work / "hello"
    source = work / "hello.c"
    source.write_text(HELLO_C)
    compiled = subprocess.run(["gcc", "-O2", "-static", "-o", str(hello), str(source)], capture_output=True)
    if compiled.returncode == 0:
        paths["hello"] = hello
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", type=Path, default=ROOT / ".build" / "release" / "diddy-mesh")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    arguments = parser.parse_args()
    if not arguments.server.is_file():
        print(f"no binary at {arguments.server}; build with: swift build -c release --product diddy-mesh")
        return 1
    with tempfile.TemporaryDirectory(prefix="diddy-scale-") as temporary:
        work = arguments.workdir.resolve() if arguments.workdir else Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        return run(arguments, work)


def run(arguments: argparse.Namespace, work: Path) -> int:
    ours = str(arguments.server.resolve())
    schema = str(ROOT / "schemas" / "diddy-mesh.schema.json")
    files = prepare(work)
    runs = arguments.runs
    print(f"== scale (issue 14) ==\nmachine: {os.cpu_count()} cores, load average "
          f"{', '.join(f'{value:.2f}' for value in os.getloadavg())}; medians of {runs} whole processes")
    figures: dict[str, dict] = {}

    def ours_check(name: str, accept: tuple[int, ...] = (0, 1)) -> dict:
        return measure([ours, "check", str(files[name])], runs, accept)

    figures["check 2 MB"] = ours_check("mesh-2mb.json")
    peers = {
        "jsonschema-rs": [sys.executable, "-c", JSONSCHEMA_RS, schema, str(files["mesh-2mb.json"])],
        "check-jsonschema": ["check-jsonschema", "--schemafile", schema, str(files["mesh-2mb.json"])],
    }
    for peer, command in peers.items():
        if shutil.which(command[0]) is None:
            print(f"{peer}: skipped, {command[0]} is not installed")
            continue
        try:
            figures[f"{peer} 2 MB"] = measure(command, runs)
        except (RuntimeError, OSError) as failure:
            print(f"{peer}: skipped, {failure}")
    figures["--version"] = measure([ours, "--version"], runs)
    figures["check shop"] = measure([ours, "check", str(ROOT / "examples" / "shop")], runs)
    if "hello" in files:
        figures["static hello"] = measure([str(files["hello"])], runs)
    for name in ["unknown-minified.json", "unknown-indented.json", "known-indented.json",
                 "chains-800.json", "chains-3200.json"]:
        figures[name.removesuffix(".json")] = ours_check(name)

    print()
    print(table(figures))
    print()
    print(goals(figures))
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


def ratio(figures: dict, slower: str, faster: str) -> str:
    if slower not in figures or faster not in figures:
        return "-"
    return f"{figures[slower]['ms'] / figures[faster]['ms']:.2f}x"


def table(figures: dict) -> str:
    lines = ["| measure | ms (median) | best | peak RSS |", "|---|---|---|---|"]
    for name, figure in figures.items():
        rss = "-" if figure["rss_mib"] is None else f"{figure['rss_mib']:.0f} MiB"
        lines.append(f"| {name} | {figure['ms']:.1f} | {figure['best_ms']:.1f} | {rss} |")
    return "\n".join(lines)


def goals(figures: dict) -> str:
    per_diagnostic = (figures["unknown-indented"]["ms"] - figures["known-indented"]["ms"]) / 2000 * 1000
    rows = [
        ("jsonschema-rs / ours, check of 2 MB", ratio(figures, "jsonschema-rs 2 MB", "check 2 MB"), ">= 2x"),
        ("check-jsonschema / ours, check of 2 MB", ratio(figures, "check-jsonschema 2 MB", "check 2 MB"), ""),
        ("--version", f"{figures['--version']['ms']:.1f} ms", "<= 10 ms"),
        ("check of the shop example", f"{figures['check shop']['ms']:.1f} ms", "<= 20 ms"),
        ("--version / static hello", ratio(figures, "--version", "static hello"), ""),
        ("minified / indented, 2,000 errors", ratio(figures, "unknown-minified", "unknown-indented"), "<= 1.5x"),
        ("one diagnostic (indented, with errors minus without, / 2,000)", f"{per_diagnostic:.0f} µs", "O(1)"),
        ("shadowing, 800 rules in prefix chains", f"{figures['chains-800']['ms']:.0f} ms", "< 300 ms"),
        ("shadowing, 3,200 rules in prefix chains", f"{figures['chains-3200']['ms']:.0f} ms", "< 1,000 ms"),
    ]
    lines = ["| ratio or figure | measured | goal |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {goal} |" for name, value, goal in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
