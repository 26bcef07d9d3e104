#!/usr/bin/env python3
"""Edit latency against config size, for our server and its peers (issue 14): runs
lsp_bench.py once per size and draws the medians as an SVG line chart (log-log axes).

    python3 Benchmarks/lsp/latency_plot.py [--server .build/release/diddy-mesh]
        [--sizes-kb 100,500,1000,2000,4000,8000] [--edits 20] [--only diddy-mesh,vscode-json,tombi]
        [--out docs/images/edit-latency.svg] [--json OUT]

Every size is a fresh run of every server on the same generated config (the shape of
mesh_generator.py), so a point of one line and the point of another at the same size were
measured minutes apart on the same machine. The SVG is written by hand: no plotting
library is needed.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

COLORS = {"diddy-mesh": "#d9480f", "vscode-json": "#1c7ed6", "tombi": "#2b8a3e"}
WIDTH, HEIGHT = 720, 440
LEFT, RIGHT, TOP, BOTTOM = 86, 160, 40, 60
# Issue 14's goal for an edit's diagnostics, drawn as a dashed line.
GOAL_MS = 30


def measure(arguments: argparse.Namespace, size_kb: int) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="diddy-latency-") as temporary:
        out = Path(temporary) / "figures.json"
        command = [sys.executable, str(HERE / "lsp_bench.py"), "--server", str(arguments.server),
                   "--size-kb", str(size_kb), "--edits", str(arguments.edits), "--requests", "5",
                   "--pull-samples", "0", "--json", str(out)]
        for name in arguments.only:
            command += ["--only", name]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=3600)
        if not out.exists():
            print(completed.stdout[-2000:], completed.stderr[-2000:], sep="\n")
            return []
        return json.loads(out.read_text())


def svg(series: dict[str, list[tuple[float, float]]]) -> str:
    points = [point for line in series.values() for point in line]
    sizes = [size for size, _ in points]
    times = [time for _, time in points]
    x_low, x_high = math.log10(min(sizes)), math.log10(max(sizes))
    y_low, y_high = math.floor(math.log10(min(times))), math.ceil(math.log10(max(times)))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(size: float) -> float:
        return LEFT + (math.log10(size) - x_low) / max(x_high - x_low, 1e-9) * plot_width

    def y(ms: float) -> float:
        return TOP + plot_height - (math.log10(ms) - y_low) / max(y_high - y_low, 1e-9) * plot_height

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
             f'<text x="{LEFT}" y="24" font-size="15">One-character edit to its diagnostics, median (log-log)</text>']
    for power in range(y_low, y_high + 1):
        for factor in (1, 2, 5):
            value = factor * 10 ** power
            if value < 10 ** y_low or value > 10 ** y_high:
                continue
            line_y = y(value)
            parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{line_y:.1f}" y2="{line_y:.1f}" '
                         f'stroke="#e9ecef"/>')
            parts.append(f'<text x="{LEFT - 6}" y="{line_y + 4:.1f}" text-anchor="end">{value:g} ms</text>')
    for size in sorted(set(sizes)):
        line_x = x(size)
        label = f"{size / 1000:g} MB" if size >= 1000 else f"{size:g} kB"
        parts.append(f'<line x1="{line_x:.1f}" x2="{line_x:.1f}" y1="{TOP}" y2="{TOP + plot_height}" stroke="#e9ecef"/>')
        parts.append(f'<text x="{line_x:.1f}" y="{TOP + plot_height + 18}" text-anchor="middle">{label}</text>')
    parts.append(f'<text x="{LEFT + plot_width / 2}" y="{HEIGHT - 14}" text-anchor="middle">config size</text>')
    if 10 ** y_low <= GOAL_MS <= 10 ** y_high:
        goal_y = y(GOAL_MS)
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_width}" y1="{goal_y:.1f}" y2="{goal_y:.1f}" '
                     f'stroke="#868e96" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{LEFT + plot_width + 6}" y="{goal_y + 4:.1f}" fill="#495057">goal {GOAL_MS} ms</text>')
    for index, (name, line) in enumerate(series.items()):
        color = COLORS.get(name, "#495057")
        coordinates = " ".join(f"{x(size):.1f},{y(ms):.1f}" for size, ms in sorted(line))
        parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{color}" stroke-width="2"/>')
        for size, ms in line:
            parts.append(f'<circle cx="{x(size):.1f}" cy="{y(ms):.1f}" r="3.5" fill="{color}">'
                         f'<title>{name}: {ms:.1f} ms at {size:g} kB</title></circle>')
        legend_y = TOP + 10 + index * 20
        parts.append(f'<line x1="{WIDTH - RIGHT + 16}" x2="{WIDTH - RIGHT + 40}" y1="{legend_y}" y2="{legend_y}" '
                     f'stroke="{color}" stroke-width="2"/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 46}" y="{legend_y + 4}">{name}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", type=Path, default=ROOT / ".build" / "release" / "diddy-mesh")
    parser.add_argument("--sizes-kb", default="100,500,1000,2000,4000,8000")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "edit-latency.svg")
    parser.add_argument("--json", type=Path, help="also write the medians and p95s as JSON here")
    arguments = parser.parse_args()
    series: dict[str, list[tuple[float, float]]] = {}
    table: list[dict] = []
    for size_kb in [int(value) for value in arguments.sizes_kb.split(",") if value.strip()]:
        for figures in measure(arguments, size_kb):
            edit = figures.get("edit_ms") or {}
            if figures.get("error") or not edit.get("median"):
                print(f"{figures.get('server')} at {size_kb} kB: no figure ({figures.get('error')})")
                continue
            series.setdefault(figures["server"], []).append((size_kb, edit["median"]))
            table.append({"server": figures["server"], "size_kb": size_kb,
                          "median_ms": edit["median"], "p95_ms": edit["p95"]})
            print(f"{figures['server']:12} {size_kb:6} kB: edit median {edit['median']:8.1f} ms, "
                  f"p95 {edit['p95']:8.1f} ms", flush=True)
    if not series:
        print("nothing measured")
        return 1
    arguments.out.write_text(svg(series))
    print(f"wrote {arguments.out}")
    if arguments.json:
        arguments.json.write_text(json.dumps(table, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
