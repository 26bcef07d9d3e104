"""editors/emacs/diddy-mesh.el in a real Emacs (batch mode): the mode association for
every mesh config name and for `$schema`, and eglot connecting to `diddy-mesh lsp`
through the registration in diddy-mesh.el, with Flymake holding the CLI's findings.
Emacs is driven by emacs/drive.el, which writes what it saw as JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from editor_harness import BROKEN, EDITORS, EMACS_DIR, binary, cli_findings, require_program


def run_emacs(tmp_path: Path, config: Path, mode_files: list[Path], timeout: float = 30,
              client: str = "eglot") -> dict[str, Any]:
    """Runs `emacs --batch -Q -l diddy-mesh.el -l drive.el` with `client` ("eglot" or
    "lsp-mode") and returns its result."""
    emacs = require_program("emacs", "the Emacs test needs a real Emacs")
    result = tmp_path / "emacs-result.json"
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(
        os.environ,
        HOME=str(home),
        DIDDY_MESH_BIN=str(binary()),
        DIDDY_EMACS_CONFIG=str(config),
        DIDDY_EMACS_MODE_FILES="\n".join(str(path) for path in mode_files),
        DIDDY_EMACS_RESULT=str(result),
        DIDDY_EMACS_TIMEOUT=str(timeout),
        DIDDY_EMACS_CLIENT=client,
    )
    process = subprocess.run(
        [emacs, "--batch", "-Q", "-l", str(EDITORS / "emacs" / "diddy-mesh.el"), "-l", str(EMACS_DIR / "drive.el")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout * 2 + 30,
        stdin=subprocess.DEVNULL, check=False,
    )
    assert result.exists(), (f"Emacs wrote no result (exit {process.returncode})\n"
                             f"stdout: {process.stdout[-2000:]}\nstderr: {process.stderr[-2000:]}")
    outcome = json.loads(result.read_text())
    if outcome.get("eglot") is False:
        pytest.skip("eglot is not available (built in from Emacs 29; `apt-get install elpa-eglot` on Emacs 28)")
    if outcome.get("lspMode") is False:
        pytest.skip("lsp-mode is not installed (`apt-get install elpa-lsp-mode`); CI tests the eglot registration only")
    return outcome


@pytest.fixture(scope="module")
def emacs_session(tmp_path_factory) -> dict[str, Any]:
    """One Emacs run: modes of several files, then eglot on a copy of examples/broken."""
    require_program("emacs", "the Emacs test needs a real Emacs")
    tmp = tmp_path_factory.mktemp("emacs")
    config = tmp / "diddy-mesh.jsonc"
    shutil.copy(BROKEN, config)
    names = {
        "diddy-mesh.json": "{}\n",
        "orders.mesh.json": "{}\n",
        "orders.mesh.jsonc": "{}\n",
        "declared.json": '{\n  "$schema": "../schemas/diddy-mesh.schema.json",\n  "version": 1\n}\n',
        "declared.jsonc": '// a mesh\n{ "$schema": "https://example.com/diddy-mesh.schema.json" }\n',
        "package.json": '{ "name": "not-a-mesh" }\n',
        "other-schema.json": '{ "$schema": "https://json.schemastore.org/package.json" }\n',
    }
    folder = tmp / "modes"
    folder.mkdir()
    for name, text in names.items():
        (folder / name).write_text(text)
    result = run_emacs(tmp, config, [folder / name for name in names])
    return {"result": result, "config": config, "folder": folder}


def test_mode_association_follows_config_md(emacs_session):
    result = emacs_session["result"]
    assert "error" not in result, result.get("error")
    modes = {Path(path).name: mode for path, mode in result["modes"].items()}
    mesh = {name for name, mode in modes.items() if mode == "diddy-mesh-mode"}
    assert mesh == {"diddy-mesh.json", "orders.mesh.json", "orders.mesh.jsonc", "declared.json", "declared.jsonc"}
    assert result["mode"] == "diddy-mesh-mode"


def test_eglot_finds_the_server_through_the_registration(emacs_session):
    result = emacs_session["result"]
    assert "error" not in result, result.get("error")
    assert result["contact"] == [str(binary()), "lsp"]
    assert result["languageId"] == "diddy-mesh"
    assert result["connected"] is True
    assert result["serverName"] == "diddy-mesh"


def test_flymake_holds_the_cli_findings(emacs_session):
    result = emacs_session["result"]
    assert "error" not in result, result.get("error")
    diagnostics = result["diagnostics"]
    seen = sorted((d["code"], d["line"], d["column"]) for d in diagnostics)
    assert seen == cli_findings(emacs_session["config"])
    for diagnostic in diagnostics:
        assert f"[{diagnostic['code']}]" in diagnostic["text"]


def test_lsp_mode_client_receives_the_cli_findings(tmp_path: Path):
    """The lsp-mode registration, where lsp-mode is installed (not in CI's bootstrap)."""
    config = tmp_path / "diddy-mesh.jsonc"
    shutil.copy(BROKEN, config)
    result = run_emacs(tmp_path, config, [], client="lsp-mode")
    assert "error" not in result, result.get("error")
    assert result["mode"] == "diddy-mesh-mode"
    assert result["connected"] is True
    assert result["serverId"] == "diddy-mesh"
    seen = sorted((d["code"], d["line"], d["column"]) for d in result["diagnostics"])
    assert seen == cli_findings(config)
