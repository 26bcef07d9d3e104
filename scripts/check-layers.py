#!/usr/bin/env python3
"""Checks the layering of docs/architecture.md: each target under Sources/ imports only
targets below it, and the core that must also build for the edge imports no Foundation.
`make lint` runs it; it prints every offending import with its file and line."""
import pathlib
import re
import sys

# Lowest first; a target may import any target earlier in this list (and system modules).
LAYERS = ["CJSONC", "WireJSON", "MeshSyntax", "MeshConfig", "MeshRouter", "MeshWire", "MeshEdgeHost",
          "MeshRegistry", "MeshLanguageServer", "MeshCommands", "diddy-mesh"]
# Modules only these targets may import: the WebAssembly interpreter stays in the edge host,
# and the edge host in the commands (`route --engine wasm`), so no other layer grows a
# dependency on running the edge router.
ONLY_IMPORTED_BY = {"WasmKit": {"MeshEdgeHost"}, "MeshEdgeHost": {"MeshCommands"}}
# What each layer may import besides the layers below it. Synchronization builds for the
# edge (without Mutex there, which MeshSyntax and MeshRouter stand in for under Embedded).
OUTSIDE = {"CJSONC": set(), "WireJSON": set(), "MeshSyntax": {"Synchronization"}, "MeshConfig": set(),
           "MeshRouter": {"Synchronization", "Glibc", "Musl", "Darwin", "WASILibc", "ucrt"}}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+)?import\s+(?:\w+\s+)?([A-Za-z_][\w]*)")

root = pathlib.Path(__file__).resolve().parent.parent
problems = []
for rank, target in enumerate(LAYERS):
    folder = root / "Sources" / target
    for path in sorted(folder.rglob("*.swift")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = IMPORT.match(line)
            if not match:
                continue
            module = match.group(1)
            if module in ONLY_IMPORTED_BY and target not in ONLY_IMPORTED_BY[module]:
                problems.append(f"{path.relative_to(root)}:{number}: {target} imports {module}, which only "
                                f"{', '.join(sorted(ONLY_IMPORTED_BY[module]))} may import")
            elif module in LAYERS:
                if target in OUTSIDE and module in ("CJSONC", "WireJSON") and target not in ("CJSONC", "WireJSON"):
                    problems.append(f"{path.relative_to(root)}:{number}: {target} must not import {module} "
                                    "(json-c does not build for the edge)")
                elif LAYERS.index(module) >= rank:
                    problems.append(f"{path.relative_to(root)}:{number}: {target} imports {module}, which is not below it")
            elif target in OUTSIDE and module not in OUTSIDE[target]:
                problems.append(f"{path.relative_to(root)}:{number}: {target} must not import {module} "
                                "(it compiles for the edge too: no Foundation, no I/O)")
for problem in problems:
    print(problem, file=sys.stderr)
if problems:
    sys.exit(1)
print("layers: every import points down (docs/architecture.md)")
