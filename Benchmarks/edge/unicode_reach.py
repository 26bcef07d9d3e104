#!/usr/bin/env python3
"""Which functions of our modules reach the Unicode data tables in the edge router's module.

The tables (normalization, case mapping, scalar properties, grapheme breaking) are most of
the module's data section, and they are linked because some code compares, hashes, case-maps
or walks the characters of a `String` (docs/edge.md, "What is left"). This prints, for each
standard library entry point that reaches a table's accessor (`_swift_stdlib_get*`,
`_swift_stdlib_is*`), the functions of MeshSyntax, MeshConfig, MeshRouter and the exports
that call it: the call sites a byte-based decision path has to change. Calls through function
pointers (closures passed on, witness tables) are not in the call graph, so a function can
reach the tables without being listed; so a standard library function that the module's table
holds (a call through a pointer may reach it) and that reaches a table's accessor is listed
too, as called "(through the table)". None listed is the sign the tables can go; linking
without them (scripts/wasm-build.sh does) is the proof.

    python3 Benchmarks/edge/unicode_reach.py [MODULE] [--callers N]

MODULE defaults to .build/wasm/diddy-mesh-router.named.wasm (`make wasm`): it needs a name
section, which the deployed module does not carry and this copy of it does. Needs binaryen's
wasm-opt (for --print-call-graph) and the toolchain's swift-demangle.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# Our functions: those of the three modules and of edge/router, and the exports, into which
# wasm-opt inlines the small ones.
EDGE_MODULES = re.compile(r"\$e(10Mesh(Router|Config|Syntax)|8MeshEdge)|mesh_")
EDGE = re.compile(r'\s*"(.+?)" -> "(.+?)"; // call')
# binaryen draws a function the table holds (a call through a pointer may reach it) rounded.
INDIRECT = re.compile(r'\s*"(.+?)" \[style="filled, rounded"\];')


def call_graph(module: Path) -> tuple[dict[str, set[str]], set[str]]:
    """Callee sets by caller, from binaryen's call graph of `module`, and the functions in
    its table."""
    dot = subprocess.run(
        ["wasm-opt", "--print-call-graph", str(module), "-o", "/dev/null"],
        capture_output=True, text=True, check=True,
    ).stdout
    callees: dict[str, set[str]] = collections.defaultdict(set)
    indirect: set[str] = set()
    for line in dot.splitlines():
        if match := EDGE.match(line):
            callees[match.group(1)].add(match.group(2))
        elif match := INDIRECT.match(line):
            indirect.add(match.group(1))
    return callees, indirect


def reaching(callees: dict[str, set[str]], indirect: set[str]) -> dict[str, set[str]]:
    """For each standard library function that reaches a table accessor, our callers; a
    function the module's table holds counts as called by `(through the table)`."""
    callers: dict[str, set[str]] = collections.defaultdict(set)
    for caller, targets in callees.items():
        for target in targets:
            callers[target].add(caller)
    accessors = [
        name for name in set(callers) | set(callees) if name.startswith(("_swift_stdlib_get", "_swift_stdlib_is"))
    ]
    # Up from the accessors through the standard library; our functions stop the walk.
    reached = set(accessors)
    queue = list(accessors)
    while queue:
        for caller in callers[queue.pop()]:
            if caller not in reached and not EDGE_MODULES.match(caller):
                reached.add(caller)
                queue.append(caller)
    entries: dict[str, set[str]] = collections.defaultdict(set)
    for caller, targets in callees.items():
        if EDGE_MODULES.match(caller):
            for target in targets & reached:
                entries[target].add(caller)
    for target in indirect & reached:
        entries[target].add(TABLE)
    return entries


TABLE = "(through the table)"


def demangled(names: list[str]) -> dict[str, str]:
    text = subprocess.run(
        ["swift-demangle", "--simplified", "--compact"], input="\n".join(names), capture_output=True, text=True,
        check=True,
    ).stdout
    return dict(zip(names, text.splitlines()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", nargs="?", default=str(ROOT / ".build/wasm/diddy-mesh-router.named.wasm"))
    parser.add_argument("--callers", type=int, default=8, help="callers shown per entry point (default 8)")
    options = parser.parse_args()
    if not Path(options.module).exists():
        print(f"unicode_reach: {options.module} is missing (make wasm builds it)", file=sys.stderr)
        return 2
    entries = reaching(*call_graph(Path(options.module)))
    names = demangled(sorted(set(entries) | {name for group in entries.values() for name in group} - {TABLE}))
    names[TABLE] = TABLE
    ours = {name for group in entries.values() for name in group}
    print(
        f"{len(ours)} functions of ours call {len(entries)} standard library entry points "
        "that reach the Unicode tables"
    )
    for entry, group in sorted(entries.items(), key=lambda item: (-len(item[1]), names[item[0]])):
        print(f"\n{names[entry][:100]}: {len(group)}")
        for caller in sorted(names[name][:110] for name in group)[: options.callers]:
            print(f"    {caller}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
