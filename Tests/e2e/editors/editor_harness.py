"""Helpers of the editor integration tests: the diddy-mesh binary, the CLI's own findings
to compare editors against, real Neovim and Emacs runs, and the probe targets that give
the registry real health records.

Each editor test skips with a message naming the missing program (CI installs them with
`scripts/bootstrap.sh --with-test-tools`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from diddy_check import binary

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
EDITORS = ROOT / "editors"
EXAMPLES = ROOT / "examples"
BROKEN = EXAMPLES / "broken" / "diddy-mesh.jsonc"
SHOP = EXAMPLES / "shop" / "diddy-mesh.jsonc"
SCHEMA = ROOT / "schemas" / "diddy-mesh.schema.json"
NVIM_DIR = HERE / "nvim"
EMACS_DIR = HERE / "emacs"


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Runs diddy-mesh with `args` (colors off), within `timeout` seconds."""
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([str(binary()), *args], cwd=cwd or ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def cli_findings(path: Path) -> list[tuple[str, int, int]]:
    """(code, line, column) of every finding `diddy-mesh check --format json` reports for
    `path`, 0-based like LSP (the CLI counts from 1; both count UTF-16 code units)."""
    result = run_cli("check", "--format", "json", str(path), cwd=path.parent)
    assert result.returncode in (0, 1), f"check failed to run: {result.stderr}"
    report = json.loads(result.stdout)
    findings = []
    for file in report["files"]:
        for diagnostic in file["diagnostics"]:
            start = diagnostic["range"]["start"]
            findings.append((diagnostic["code"], start["line"] - 1, start["column"] - 1))
    return sorted(findings)


def print_settings() -> dict[str, Any] | None:
    """`diddy-mesh lsp --print-settings`, or None when this build does not have the flag."""
    result = run_cli("lsp", "--print-settings", timeout=30)
    if result.returncode != 0:
        return None
    return json.loads(result.stdout)


def require_print_settings() -> dict[str, Any]:
    """The server's settings, or a skip that says the flag is missing."""
    settings = print_settings()
    if settings is None:
        pytest.skip("this diddy-mesh has no `lsp --print-settings` (exit code != 0); the manifest's settings "
                    "cannot be compared with what the server reads")
    return settings


def position_after(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """The 0-based (line, UTF-16 character) just after the `occurrence`-th `needle`."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    end = index + len(needle)
    line = text.count("\n", 0, end)
    line_start = text.rfind("\n", 0, end) + 1
    character = len(text[line_start:end].encode("utf-16-le")) // 2
    return line, character


def position_of(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> tuple[int, int]:
    """The 0-based (line, UTF-16 character) of the `occurrence`-th `needle`, plus `offset`
    characters (to land inside a quoted name)."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    return line, len(text[line_start:index].encode("utf-16-le")) // 2


def require_program(name: str, why: str) -> str:
    """The path of `name`, or a skip saying how to get it."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"`{name}` is not installed ({why}); `scripts/bootstrap.sh --with-test-tools` installs it")
    return path


def run_neovim(tmp_path: Path, file: Path, steps: list[dict[str, Any]], *, settings: dict[str, Any] | None = None,
               cmd_binary: str | None = None, plugin_dir: Path | None = None, timeout_ms: int = 15000,
               cwd: Path | None = None) -> dict[str, Any]:
    """Opens `file` in a real headless Neovim with the plugin set up on `cmd_binary`
    (the binary under test by default), runs `steps` (see nvim/drive.lua) and returns
    what the driver wrote."""
    nvim = require_program("nvim", "the Neovim plugin test needs a real Neovim")
    job = tmp_path / "nvim-job.json"
    result = tmp_path / "nvim-result.json"
    job.write_text(json.dumps({"timeoutMs": timeout_ms, "steps": steps}))
    result.unlink(missing_ok=True)
    env = dict(
        os.environ,
        DIDDY_NVIM_JOB=str(job),
        DIDDY_NVIM_RESULT=str(result),
        DIDDY_NVIM_PLUGIN=str(plugin_dir or EDITORS / "neovim"),
        DIDDY_MESH_BIN=cmd_binary or str(binary()),
        DIDDY_NVIM_SETTINGS=json.dumps(settings or {}),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
    )
    command = [nvim, "--headless", "--clean", "-u", str(NVIM_DIR / "minimal_init.lua"), str(file),
               "-c", f"luafile {NVIM_DIR / 'drive.lua'}"]
    # The driver bounds every wait; this outer limit only catches a Neovim that hangs.
    limit = timeout_ms / 1000 * (len(steps) + 2) + 30
    process = subprocess.run(command, cwd=cwd or file.parent, env=env, capture_output=True, text=True,
                             timeout=limit, stdin=subprocess.DEVNULL, check=False)
    assert result.exists(), (f"Neovim wrote no result (exit {process.returncode})\n"
                             f"stdout: {process.stdout[-2000:]}\nstderr: {process.stderr[-2000:]}")
    return json.loads(result.read_text())


