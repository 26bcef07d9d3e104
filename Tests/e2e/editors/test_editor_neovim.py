"""The Neovim plugin (editors/neovim) in a real headless Neovim against the real server:
it attaches to mesh configs, the diagnostics are the CLI's, completion and hover work,
:DiddyMeshRoute shows the decision trace, and hover shows live health that the real
prober wrote. Neovim is driven by nvim/drive.lua, which writes what it saw as JSON."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import json5
import pytest

from diddy_check import write_probed_project
from editor_harness import (BROKEN, SHOP, binary, cli_findings, position_after, position_of,
                            require_program, run_cli, run_neovim)

# The severities of `check --format json` as LSP numbers.
SEVERITIES = {"error": 1, "warning": 2, "information": 3, "hint": 4}


def services_of(path: Path) -> list[str]:
    """The service names a config defines, read with a JSONC-capable parser."""
    return list(json5.loads(path.read_text())["services"])


@pytest.fixture(scope="module")
def broken_session(tmp_path_factory) -> dict[str, Any]:
    """One Neovim session on a copy of examples/broken inside a project (a wrangler.toml
    two levels up, so the root search is exercised): diagnostics, completion at a rule's
    `"service": "`, and hover on a service reference."""
    require_program("nvim", "the Neovim plugin test needs a real Neovim")
    tmp = tmp_path_factory.mktemp("nvim-broken")
    project = tmp / "project"
    config_dir = project / "config"
    config_dir.mkdir(parents=True)
    (project / "wrangler.toml").write_text('name = "broken-shop"\n')
    config = config_dir / "diddy-mesh.jsonc"
    shutil.copy(BROKEN, config)
    text = config.read_text()
    completion_at = position_after(text, '"service": "', occurrence=1)  # the "users" rule's reference
    hover_at = position_of(text, '"service": "user-service"', offset=len('"service": "') + 2)
    result = run_neovim(tmp, config, [
        {"kind": "diagnostics"},
        {"kind": "completion", "line": completion_at[0], "character": completion_at[1]},
        {"kind": "hover", "line": hover_at[0], "character": hover_at[1]},
    ], settings={"registry": "off"})
    return {"result": result, "config": config, "project": project}


def step(result: dict[str, Any], kind: str) -> dict[str, Any]:
    """The result of the first step of `kind`, failing with the driver's errors if it had one."""
    found = next(entry for entry in result["steps"] if entry["kind"] == kind)
    assert "error" not in found or found["error"] is None, found["error"]
    return found


def test_plugin_detects_the_file_and_attaches_the_server(broken_session):
    result = broken_session["result"]
    assert result["errors"] == []
    assert result["filetype"] == "diddy-mesh"
    assert result["attached"] is True
    assert result["client"]["name"] == "diddy-mesh"
    assert result["client"]["cmd"] == [str(binary()), "lsp"]
    assert Path(result["client"]["rootDir"]) == broken_session["project"]
    # On every supported version (this machine runs the oldest, 0.7), completion with
    # <C-x><C-o> and K for hover work without the user's own on_attach.
    assert result["omnifunc"] == "v:lua.vim.lsp.omnifunc"
    assert result["hoverKeyIsBufferLocal"] is True


def test_diagnostics_are_the_cli_findings(broken_session):
    config = broken_session["config"]
    diagnostics = step(broken_session["result"], "diagnostics")["diagnostics"]
    seen = sorted((d["code"], d["line"], d["col"]) for d in diagnostics)
    expected = cli_findings(config)
    assert expected, "the broken example should have findings"
    assert seen == expected
    # Severity survives the trip too.
    report = json.loads(run_cli("check", "--format", "json", str(config), cwd=config.parent).stdout)
    cli_severity = {(d["code"], d["range"]["start"]["line"] - 1): SEVERITIES[d["severity"]]
                    for d in report["files"][0]["diagnostics"]}
    assert {(d["code"], d["line"]): d["severity"] for d in diagnostics} == cli_severity


def test_completion_after_service_quote_offers_every_service(broken_session):
    labels = step(broken_session["result"], "completion")["labels"]
    services = services_of(broken_session["config"])
    assert set(services) <= set(labels), f"missing {set(services) - set(labels)}"


def test_hover_on_a_service_reference_describes_it(broken_session):
    text = step(broken_session["result"], "hover")["text"]
    assert isinstance(text, str) and "user-service" in text
    endpoints = json5.loads(broken_session["config"].read_text())["services"]["user-service"]["endpoints"]
    for endpoint in endpoints:
        assert endpoint["url"] in text


@pytest.mark.parametrize("method, path", [("GET", "/api/users/42"), ("POST", "/api/payments/7"), ("GET", "/nowhere")])
def test_route_command_shows_the_decision_trace(tmp_path: Path, method: str, path: str):
    config = tmp_path / "diddy-mesh.jsonc"
    shutil.copy(SHOP, config)
    url = f"https://shop.example{path}"
    result = run_neovim(tmp_path, config, [{"kind": "route", "args": f"{method} {url}"}],
                        settings={"registry": "off"})
    assert result["errors"] == []
    route = step(result, "route")
    assert route["commandError"] is None
    assert route["floatLines"] == route["lines"], "the floating window shows the trace lines"
    shown = "\n".join(route["lines"])
    cli = json.loads(run_cli("route", str(config), "--method", method, "--url", url, "--format", "json").stdout)
    assert shown.startswith(f"{method} {url}")
    assert f"outcome: {cli['outcome']}" in shown
    for skipped in cli["skipped"]:
        assert skipped["reason"] in shown
    if cli["rule"]:
        assert f"-> rule #{cli['rule']['index']} '{cli['rule']['name']}' {cli['rule']['path']}" in shown
    else:
        assert "-> no rule matched" in shown
    assert f"-> service {cli['service']}" in shown
    for endpoint in cli["endpoints"]:
        assert endpoint["url"] in shown


def test_a_second_route_replaces_the_first_float(tmp_path: Path):
    config = tmp_path / "diddy-mesh.jsonc"
    shutil.copy(SHOP, config)
    result = run_neovim(tmp_path, config, [
        {"kind": "route", "args": "GET https://shop.example/api/users/42"},
        {"kind": "route", "args": "GET https://shop.example/nowhere"},
    ], settings={"registry": "off"})
    assert result["errors"] == []
    first, second = result["steps"]
    assert first["floatLines"][0].startswith("GET https://shop.example/api/users/42")
    assert second["floatLines"] == second["lines"], "the float shows the second trace, not the first again"
    assert second["floatLines"][0].startswith("GET https://shop.example/nowhere")
    assert second["floats"] == 1, "the first float was replaced, not left open beside the second"


def test_route_command_rejects_a_relative_url(tmp_path: Path):
    config = tmp_path / "diddy-mesh.jsonc"
    shutil.copy(SHOP, config)
    route = run_neovim(tmp_path, config, [{"kind": "route", "args": "/api/users/1"}])["steps"][0]
    assert route["lines"] is None and route["floatLines"] is None
    assert "not an absolute http(s) URL" in route["error"]
    # The user sees it as the command's error message.
    assert "not an absolute http(s) URL" in route["commandError"]


def test_a_server_that_cannot_start_is_reported(tmp_path: Path):
    """The control for the tests above: with a command that does not exist, the driver
    reports that nothing attached instead of passing quietly."""
    config = tmp_path / "diddy-mesh.jsonc"
    shutil.copy(BROKEN, config)
    result = run_neovim(tmp_path, config, [{"kind": "diagnostics"}], cmd_binary=str(tmp_path / "no-such-diddy-mesh"),
                        timeout_ms=3000)
    assert result["attached"] is False
    assert any("did not attach" in error for error in result["errors"])
    assert result["steps"] == []


def test_hover_shows_live_health_written_by_the_prober(tmp_path: Path, targets: dict):
    config = write_probed_project(tmp_path, [targets["healthy"], targets["error"]])
    probe = run_cli("health", "probe", str(config), "--once", cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    statuses = dict(line.split("\t")[1:3] for line in probe.stdout.strip().splitlines())
    assert statuses == {targets["healthy"]: "healthy", targets["error"]: "unhealthy"}
    checked = time.time()
    text = config.read_text()
    hover_at = position_of(text, '"api"', offset=2)
    result = run_neovim(tmp_path, config, [
        {"kind": "hover", "line": hover_at[0], "character": hover_at[1], "untilContains": "unhealthy"},
    ], settings={"registry": "wrangler-local"})
    assert result["errors"] == []
    hover = step(result, "hover")["text"]
    assert isinstance(hover, str)
    lines = {url: next((line for line in hover.splitlines() if url in line and "circuit" in line), None)
             for url in statuses}
    assert all(lines.values()), f"no live health line per endpoint in:\n{hover}"
    for url, status in statuses.items():
        line = lines[url]
        assert re.search(rf"\b{status}\b", line), line
        assert re.search(r"circuit (closed|open|half-open)", line), line
        # "checked 3 s ago", or "checked just now" within the first second.
        age = re.search(r"checked (?:just now|(\d+) s ago)", line)
        assert age, line
        assert int(age.group(1) or 0) <= time.time() - checked + 1, line
    assert "unhealthy" not in lines[targets["healthy"]], lines
    assert re.search(r"p50 \d+(\.\d+)? ms", lines[targets["healthy"]]), lines
