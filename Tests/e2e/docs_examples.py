"""Runs the examples of the documentation: terminal sessions, files the reader creates,
editor views, and the example/fix pairs of docs/diagnostics.md.

Conventions (written down for authors in docs/README.md, "How the docs stay true"):

- A fenced block whose info string starts with `console` is a terminal session. A line
  starting with `$ ` is a command (a trailing ` \\` continues it on the next line); the
  lines after it, up to the next command, are its output (stdout and stderr together).
  Commands run with bash, with the `diddy-mesh` under test first on PATH and NO_COLOR set.
- A fenced block whose info string has `file=PATH` (for example ```toml file=wrangler.toml)
  is a file the reader creates: the test writes it at PATH (relative to the page's current
  directory) before running what follows.
- `$ cd DIR` changes the directory for the rest of the page, as in a shell.
- A block with `hover=FILE@TEXT` shows the language server's hover one character into the
  first TEXT in FILE; a block with `lenses=FILE` shows FILE's code lenses, one
  `line N: title` per lens, `hints=FILE` its inlay hints, one `line N: label` per hint, and
  `symbols=FILE@QUERY` the workspace symbols for QUERY (see docs_lsp.py).
- Every page runs in a fresh sandbox, a temporary directory that stands for the repository
  root and holds copies of `examples/`, `schemas/` and the diagnostic fixtures; its blocks
  run in order, so a later block sees what an earlier one wrote.
- A console block with `needs=wasm` runs the edge router's module (`route --engine wasm`):
  the sandbox gets a copy of `.build/wasm/diddy-mesh-router.wasm` when `make wasm` has built
  it, and without one the block is not run. `make test` runs before `make wasm` in CI, so
  `make test-engine` runs the pages again once the module is there.
- Before comparing, the sandbox's path is shown as /home/me/diddy-mesh, and values that
  change from run to run (ages such as `12 s ago`, epoch times, latencies, the prober's
  host name, the commit and build date of `--version` and the manual page) are masked on
  both sides, so the page shows real values and still compares.

Fences must start at the beginning of a line. Blocks of any other kind (```sh, ```jsonc,
...) are not run.

Run `python3 Tests/e2e/docs_examples.py --record PAGE...` to rewrite the outputs of a
page's console blocks with what the commands print now.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docs_lsp import editor_view

ROOT = Path(__file__).resolve().parent.parent.parent
SANDBOX_NAME = "/home/me/diddy-mesh"
# What a sandbox holds, as paths relative to the repository root.
SANDBOX_COPIES = ("examples", "schemas", "Tests/MeshCommandsTests/Fixtures/diagnostics")
# The edge router module, copied into a sandbox at the same place when it has been built.
WASM_MODULE = ".build/wasm/diddy-mesh-router.wasm"

FENCE = re.compile(r"^(```+)(.*)$")
VOLATILE = [
    (re.compile(r"\bjust now\b|\b\d+ (?:s|min|h|d) ago\b"), "<age>"),
    (re.compile(r"\b1[6-9]\d{11}\b"), "<epoch-ms>"),
    (re.compile(r'("expiration": )1[6-9]\d{8}\b'), r"\1<epoch-s>"),
    (re.compile(r'("checker": ?\{"host": ?)"[^"]*"'), r"\1<host>"),
    (re.compile(r"(checked by: )\S+"), r"\1<host>"),
    (re.compile(r"\t\d+(?:\.\d+)?ms\t"), "\t<latency>\t"),
    (re.compile(r"\b(p50|p95|last|ewma) \d+(?:\.\d+)? ms\b"), r"\1 <latency>"),
    # What `--version` and the manual page record at build time (scripts/build-info.sh).
    (re.compile(r"\(commit (?:[0-9a-f]{12}|unknown), built (?:\d{4}-\d{2}-\d{2}|unknown)\)"), "(<build>)"),
    (re.compile(r'^(\.TH "DIDDY\\-MESH" 1) "(?:\d{4}\\-\d{2}\\-\d{2}|unknown)"', re.MULTILINE), r"\1 <date>"),
    # A live route trace's endpoint line: `(healthy, 75.4 ms, 3 s old, circuit closed)`.
    (re.compile(r"\((healthy|degraded|unhealthy|unknown), \d+(?:\.\d+)? ms,"), r"(\1, <latency>,"),
    (re.compile(r"\b\d+(?:\.\d+)? s old\b"), "<age> old"),
]


@dataclass
class Block:
    """One fenced block: its info string words, body lines and first body line (1-based)."""

    language: str
    attributes: dict[str, str]
    lines: list[str]
    line: int


@dataclass
class Command:
    """A `$ ` line of a console block and the output the page shows for it."""

    text: str
    expected: list[str] = field(default_factory=list)
    line: int = 0


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a markdown text, in order."""
    found: list[Block] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence, info = opening.group(1), opening.group(2).split()
        body_start = index + 1
        index += 1
        while index < len(lines) and not (lines[index].startswith(fence) and lines[index].strip() == fence):
            index += 1
        attributes = dict(word.split("=", 1) for word in info[1:] if "=" in word)
        for word in info[1:]:
            if "=" not in word:
                attributes[word] = ""
        found.append(Block(info[0] if info else "", attributes, lines[body_start:index], body_start + 1))
        index += 1
    return found


def commands(block: Block) -> list[Command]:
    """The commands of a console block with the output shown after each."""
    result: list[Command] = []
    pending: Command | None = None
    continuing = False
    for offset, line in enumerate(block.lines):
        if continuing and pending is not None:
            pending.text += "\n" + line
            continuing = line.endswith("\\")
            continue
        if line.startswith("$ "):
            pending = Command(line[2:], line=block.line + offset)
            result.append(pending)
            continuing = line.endswith("\\")
        elif pending is not None:
            pending.expected.append(line)
    return result


def as_shown(output: str, sandbox: Path) -> list[str]:
    """A command's output as a page shows it: the sandbox's path renamed, trailing
    spaces and trailing blank lines dropped."""
    for spelling in sorted({str(sandbox), str(sandbox.resolve())}, key=len, reverse=True):
        output = output.replace(spelling, SANDBOX_NAME)
    lines = [line.rstrip() for line in output.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def normalize(lines: list[str]) -> list[str]:
    """Lines as compared: volatile values masked, trailing spaces and trailing blank
    lines dropped."""
    text = "\n".join(lines)
    for pattern, mask in VOLATILE:
        text = pattern.sub(mask, text)
    result = [line.rstrip() for line in text.split("\n")]
    while result and not result[-1]:
        result.pop()
    return result


MARKER = re.compile(r"\s*// <- (?:DM\d{3}\s*)+$")
ELISION = "..."


def apply_fix(fixture: str, example: list[str], fix: list[str]) -> str:
    """The fixture with the page's example replaced by its fix.

    Lines compare with their indentation and `// <- DMxxx` markers stripped. A `...` line
    in the example skips fixture lines; the example's parts must appear in order. When the
    fix has as many `...` lines, each part is replaced by the fix's part and the skipped
    lines stay; otherwise the whole span is replaced. Raises ValueError when the example is
    not in the fixture."""
    lines = [MARKER.sub("", line) for line in fixture.split("\n")]
    stripped = [line.strip() for line in lines]

    def parts(block: list[str]) -> list[list[str]]:
        result: list[list[str]] = [[]]
        for line in block:
            if line.strip() == ELISION:
                result.append([])
            else:
                result[-1].append(line)
        return result

    wanted = parts(example)
    spans: list[tuple[int, int]] = []
    start = 0
    for part in wanted:
        needle = [line.strip() for line in part]
        found = next((index for index in range(start, len(stripped) - len(needle) + 1)
                      if stripped[index:index + len(needle)] == needle), None)
        if found is None:
            raise ValueError("not in the fixture: " + " / ".join(needle))
        spans.append((found, found + len(needle)))
        start = found + len(needle)
    replacements = parts(fix)
    if len(replacements) != len(wanted):
        replacements = [[line for part in replacements for line in part]]
        spans = [(spans[0][0], spans[-1][1])]
    for (first, end), replacement in reversed(list(zip(spans, replacements))):
        indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
        base = min((len(line) - len(line.lstrip()) for line in replacement if line.strip()), default=0)
        lines[first:end] = [indent + line[base:] for line in replacement]
    return "\n".join(lines)


def binary() -> Path:
    """The diddy-mesh under test: DIDDY_MESH_BIN, else the debug build."""
    configured = os.environ.get("DIDDY_MESH_BIN")
    return Path(configured).resolve() if configured else ROOT / ".build" / "debug" / "diddy-mesh"


class Sandbox:
    """A temporary stand-in for the repository root in which one page's blocks run."""

    def __init__(self, base: Path):
        if not binary().is_file():
            raise FileNotFoundError(f"no diddy-mesh at {binary()}: run `swift build` first or set DIDDY_MESH_BIN")
        self.root = base / "diddy-mesh"
        self.root.mkdir(parents=True)
        for relative in SANDBOX_COPIES:
            source = ROOT / relative
            if source.is_dir():
                shutil.copytree(source, self.root / relative)
        if (ROOT / WASM_MODULE).is_file():
            (self.root / WASM_MODULE).parent.mkdir(parents=True)
            shutil.copyfile(ROOT / WASM_MODULE, self.root / WASM_MODULE)
        tools = base / "bin"
        tools.mkdir()
        (tools / "diddy-mesh").symlink_to(binary())
        self.cwd = self.root
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("CLOUDFLARE_")}
        self.env.update(PATH=f"{tools}{os.pathsep}{os.environ.get('PATH', '')}", NO_COLOR="1", PWD=str(self.root))

    def write(self, block: Block) -> None:
        """Writes a `file=` block where the page says."""
        target = (self.cwd / block.attributes["file"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(block.lines) + "\n", encoding="utf-8")

    def run(self, command: Command) -> list[str]:
        """Runs one command and returns its output as the page would show it."""
        words = command.text.split()
        if len(words) == 2 and words[0] == "cd":
            self.cwd = (self.cwd / words[1]).resolve()
            return []
        result = subprocess.run(
            ["bash", "-c", command.text], cwd=self.cwd, env=dict(self.env, PWD=str(self.cwd)),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120, check=False,
        )
        return as_shown(result.stdout, self.root)


@dataclass
class Mismatch:
    """A command whose output differs from the page."""

    page: Path
    command: Command
    actual: list[str]

    def __str__(self) -> str:
        expected = "\n".join(normalize(self.command.expected))
        actual = "\n".join(normalize(self.actual))
        return (f"{self.page.relative_to(ROOT)}:{self.command.line}: `$ {self.command.text}` printed\n{actual}\n"
                f"--- but the page shows ---\n{expected}")


EDITOR_VIEWS = ("hover", "lenses", "hints", "symbols")


def editor_command(block: Block) -> Command | None:
    """A `hover=`, `lenses=`, `hints=` or `symbols=` block as a pseudo-command whose
    output is the block."""
    for kind in EDITOR_VIEWS:
        if kind in block.attributes:
            return Command(f"({kind} {block.attributes[kind]})", list(block.lines), block.line)
    return None


def run_page(page: Path, base: Path) -> tuple[int, list[Mismatch], list[tuple[Command, list[str]]]]:
    """Runs every console, file and editor block of `page` in a fresh sandbox under
    `base`. Returns the number of commands run, the mismatches, and every output."""
    sandbox = Sandbox(base)
    mismatches: list[Mismatch] = []
    outputs: list[tuple[Command, list[str]]] = []
    for block in blocks(page.read_text(encoding="utf-8")):
        if "file" in block.attributes:
            sandbox.write(block)
        view = editor_command(block)
        if view is not None:
            kind = next(kind for kind in EDITOR_VIEWS if kind in block.attributes)
            shown = editor_view(binary(), sandbox.cwd, dict(sandbox.env, PWD=str(sandbox.cwd)), kind, block.attributes[kind])
            outputs.append((view, as_shown(shown, sandbox.root)))
        elif block.language == "console":
            if block.attributes.get("needs") == "wasm" and not (ROOT / WASM_MODULE).is_file():
                continue
            outputs += [(command, sandbox.run(command)) for command in commands(block)]
    for command, actual in outputs:
        if normalize(actual) != normalize(command.expected):
            mismatches.append(Mismatch(page, command, actual))
    return len(outputs), mismatches, outputs


def record(page: Path) -> int:
    """Rewrites the outputs of `page`'s console blocks with what the commands print now."""
    with tempfile.TemporaryDirectory() as base:
        _, _, outputs = run_page(page, Path(base))
    actual_by_line = {command.line: actual for command, actual in outputs}
    changed = sum(1 for command, actual in outputs if normalize(actual) != normalize(command.expected))
    lines = page.read_text(encoding="utf-8").split("\n")
    rewritten: list[str] = []
    # Rebuild the file: each console block's body becomes its commands and fresh outputs.
    index = 0
    for block in blocks("\n".join(lines)):
        start = block.line - 1
        rewritten += lines[index:start]
        if editor_command(block) is not None:
            rewritten += actual_by_line[block.line]
            index = start + len(block.lines)
        elif block.language == "console":
            for command in commands(block):
                rewritten += ["$ " + command.text.split("\n")[0]] + command.text.split("\n")[1:]
                rewritten += actual_by_line[command.line]
            index = start + len(block.lines)
        else:
            index = start
    rewritten += lines[index:]
    page.write_text("\n".join(rewritten), encoding="utf-8")
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--record", action="store_true", help="rewrite the console outputs of each page")
    parser.add_argument("pages", nargs="+", type=Path)
    arguments = parser.parse_args()
    failed = 0
    for page in arguments.pages:
        page = page.resolve()
        if arguments.record:
            print(f"{page.relative_to(ROOT)}: {record(page)} outputs rewritten")
            continue
        with tempfile.TemporaryDirectory() as base:
            count, mismatches, _ = run_page(page, Path(base))
        print(f"{page.relative_to(ROOT)}: {count} commands, {len(mismatches)} differ")
        for mismatch in mismatches:
            print(mismatch, end="\n\n")
        failed += len(mismatches)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
