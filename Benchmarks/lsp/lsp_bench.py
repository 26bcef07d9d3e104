#!/usr/bin/env python3
"""Language-server benchmark (issue 5): our server, the VS Code JSON language server and
tombi, driven through stdio by the same client on the same generated config.

    python3 Benchmarks/lsp/lsp_bench.py [--server .build/release/diddy-mesh] [--size-kb 1000]
        [--edits 200] [--requests 100] [--only diddy-mesh,vscode-json,tombi] [--json OUT]

Prints the machine, the config (validated with `diddy-mesh check`), one table with every
figure of every server, the ratios to the peers and issue 5's goals. Exits 1 only when our
own server could not be measured; a peer that is missing or fails is reported and skipped.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_session as measure  # noqa: E402
import bench_report as report  # noqa: E402
import bench_servers as servers  # noqa: E402
import bench_workspace as workspace  # noqa: E402

ROOT = HERE.parent.parent


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", type=Path, default=ROOT / ".build" / "release" / "diddy-mesh",
                        help="the diddy-mesh binary (default: the release build)")
    parser.add_argument("--size-kb", type=int, default=1000, help="config size in kB of 1,000 bytes (default 1000)")
    parser.add_argument("--edits", type=int, default=200, help="single-character edits per server (default 200)")
    parser.add_argument("--requests", type=int, default=100, help="completion and hover requests each (default 100)")
    parser.add_argument("--pull-samples", type=int, default=50,
                        help="extra edits on our server answered by a pull, to separate any wait before a push (default 50)")
    parser.add_argument("--only", action="append", default=[],
                        help=f"servers to run, comma-separated, from {', '.join(servers.ALL)} (default all)")
    parser.add_argument("--schema", type=Path, default=ROOT / "schemas" / "diddy-mesh.schema.json")
    parser.add_argument("--workdir", type=Path, help="keep the generated files and server logs here")
    parser.add_argument("--trace", action="store_true",
                        help="log every message (time, direction, method, version, size) to WORKDIR/<server>.trace.log")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON to this file")
    arguments = parser.parse_args()
    selected = [name.strip() for value in arguments.only for name in value.split(",") if name.strip()]
    unknown = [name for name in selected if name not in servers.ALL]
    if unknown:
        parser.error(f"unknown server {', '.join(unknown)}; choose from {', '.join(servers.ALL)}")
    arguments.selected = selected or list(servers.ALL)
    return arguments


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    # Other processes on a 2-core machine move every latency; the load says how quiet it was.
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({model}), "
            f"Python {platform.python_version()}, {datetime.date.today().isoformat()}, load average {load}")


def check_config(binary: Path, config: Path) -> str:
    """`diddy-mesh check` on the generated config: the finding counts, so that a generator
    that drifted from the format shows up before any timing."""
    completed = subprocess.run([str(binary), "check", "--format", "json", str(config)],
                               capture_output=True, text=True, timeout=120)
    try:
        summary = json.loads(completed.stdout)["summary"]
    except (ValueError, KeyError):
        return f"diddy-mesh check failed (exit {completed.returncode}): {completed.stderr.strip()[:300]}"
    return (f"diddy-mesh check: {summary['errors']} errors, {summary['warnings']} warnings, "
            f"{summary['information']} information, {summary['hints']} hints (exit {completed.returncode})")


def profile_for(name: str, arguments: argparse.Namespace, work: workspace.Workspace) -> servers.ServerProfile:
    if name == servers.OURS:
        return servers.ours(arguments.server.resolve(), work)
    if name == servers.JSON_SERVER:
        return servers.json_server(work)
    return servers.tombi(work)


def main() -> int:
    arguments = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="diddy-lsp-bench-") as temporary:
        root = arguments.workdir.resolve() if arguments.workdir else Path(temporary)
        return run(arguments, root)


def run(arguments: argparse.Namespace, root: Path) -> int:
    print(f"== language servers (issue 5) ==\nmachine: {machine()}")
    with_toml = servers.TOMBI in arguments.selected
    if with_toml:
        try:
            import tomli_w  # noqa: F401
        except ImportError:
            print("tombi: skipped, tomli-w is not installed (pip install -r Benchmarks/lsp/requirements.txt)")
            with_toml = False
    work = workspace.create(root, arguments.size_kb * 1000, arguments.schema, with_toml)
    print(f"config: {work.jsonc.path.name}, {work.jsonc.size:,} bytes, {work.services:,} services and rules"
          + (f"; TOML copy {work.toml.size:,} bytes" if work.toml else ""))
    if arguments.server.is_file():
        print(check_config(arguments.server, work.jsonc.path))
    options = measure.Options(edits=arguments.edits, requests=arguments.requests, trace=arguments.trace)
    results: list[measure.Figures] = []
    for name in arguments.selected:
        try:
            profile = profile_for(name, arguments, work)
        except servers.Unavailable as missing:
            print(f"{name}: skipped, {missing}")
            continue
        print(f"{name}: {profile.description}", flush=True)
        figures = measure.run(profile, root, options,
                              pull_samples=arguments.pull_samples if name == servers.OURS else 0)
        if figures.error:
            print(f"{name}: FAILED: {figures.error} (see {root / (name + '.stderr.log')})")
        print(f"{name}: edit median {measure.median(figures.edit_ms):.1f} ms, p95 {measure.p95(figures.edit_ms):.1f} ms; "
              f"server-to-client requests answered: {', '.join(figures.server_requests) or 'none'}", flush=True)
        results.append(figures)
    print()
    print(report.table(results))
    print()
    print(report.ratios(results))
    goal_lines, _ = report.goals(results)
    print(goal_lines)
    if arguments.json:
        arguments.json.write_text(json.dumps([figures.json() for figures in results], indent=2) + "\n")
    ours = next((f for f in results if f.server == servers.OURS), None)
    if servers.OURS in arguments.selected and (ours is None or ours.error):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
