"""The language-server benchmark's driver (Benchmarks/lsp) against the built binary: a small
config, a few edits, our server only. It checks that the driver produces every figure and
that what it edits, completes and hovers at is what it claims to be."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from diddy_check import ROOT, binary, run

BENCH = ROOT / "Benchmarks" / "lsp"
sys.path.insert(0, str(BENCH))

import mesh_generator  # noqa: E402
import bench_workspace as workspace  # noqa: E402

SIZE_KB = 50
EDITS = 5
REQUESTS = 10
PULLS = 3


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    """One driver run; returns (exit status, stdout, the JSON figures of our server)."""
    work = tmp_path_factory.mktemp("lsp-bench")
    out = work / "figures.json"
    completed = subprocess.run(
        [sys.executable, str(BENCH / "lsp_bench.py"), "--server", str(binary()), "--only", "diddy-mesh",
         "--size-kb", str(SIZE_KB), "--edits", str(EDITS), "--requests", str(REQUESTS),
         "--pull-samples", str(PULLS), "--workdir", str(work / "files"), "--json", str(out)],
        capture_output=True, text=True, timeout=120)
    figures = json.loads(out.read_text()) if out.exists() else []
    return completed, figures


def test_driver_measures_every_figure_of_our_server(bench_run):
    completed, figures = bench_run
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert [f["server"] for f in figures] == ["diddy-mesh"]
    ours = figures[0]
    assert ours["error"] == ""
    assert ours["diagnostics_mode"].startswith("push")
    assert ours["sync_kind"] == "incremental"
    assert ours["position_encoding"] == "utf-16"
    assert 0 < ours["initialize_ms"] <= ours["first_diagnostics_ms"]
    assert ours["first_diagnostics_count"] == 0
    assert ours["edit_ms"]["count"] == EDITS and 0 < ours["edit_ms"]["median"] <= ours["edit_ms"]["p95"]
    assert ours["edit_pull_ms"]["count"] == PULLS and ours["edit_pull_ms"]["median"] > 0
    assert ours["completion_ms"]["count"] == REQUESTS and ours["completion_ms"]["median"] > 0
    assert ours["hover_ms"]["count"] == REQUESTS and ours["hover_ms"]["median"] > 0
    # Completion at a service reference offers every service of the config.
    assert ours["completion_items"] == mesh_generator.service_count(mesh_generator.jsonc_config(SIZE_KB * 1000))
    assert ours["hover_answered"] is True
    assert 0 < ours["rss_after_open_mb"] <= ours["hwm_after_open_mb"]
    assert ours["schema_violation_reported"] is True
    assert ours["unknown_service_reported"] is True


def test_driver_prints_the_table_and_the_goals(bench_run):
    completed, _ = bench_run
    assert "diddy-mesh check: 0 errors" in completed.stdout
    for row in ("initialize -> first diagnostics, ms", "edit -> diagnostics, median / p95 ms",
                "completion, median / p95 ms", "hover on a key, median / p95 ms",
                "RSS / peak (VmHWM) after open, MiB", "goals (issue 5):"):
        assert row in completed.stdout, f"missing {row!r} in:\n{completed.stdout}"


def test_driver_fails_without_our_server(tmp_path):
    completed = subprocess.run(
        [sys.executable, str(BENCH / "lsp_bench.py"), "--server", str(tmp_path / "missing"), "--only", "diddy-mesh",
         "--size-kb", "5", "--edits", "1", "--workdir", str(tmp_path / "files")],
        capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert "diddy-mesh: skipped, no diddy-mesh binary" in completed.stdout


@pytest.mark.parametrize("toggled", [False, True])
def test_edited_config_stays_valid_and_positions_point_where_they_claim(tmp_path, toggled):
    created = workspace.create(tmp_path, 20_000, ROOT / "schemas" / "diddy-mesh.schema.json", with_toml=False)
    document = created.jsonc
    lines = document.text.split("\n")
    assert lines[document.edit_at.line][document.edit_at.character].isdigit()
    assert '"version"' in lines[document.edit_at.line]
    assert lines[document.hover_at.line].strip().startswith('"timeout"')
    assert lines[document.completion_at.line][document.completion_at.character - len('"svc-'):].startswith('"svc-')
    config = tmp_path / "config" / "edited.mesh.jsonc"
    config.write_text(document.toggled(toggled))
    result = run("check", "--format", "json", str(config))
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["summary"]["errors"] == 0


def test_toml_copy_holds_the_same_data(tmp_path):
    tomllib = pytest.importorskip("tomllib")
    pytest.importorskip("tomli_w", reason="tomli-w comes with Benchmarks/lsp/requirements.txt")
    created = workspace.create(tmp_path, 20_000, ROOT / "schemas" / "diddy-mesh.schema.json", with_toml=True)
    assert created.toml is not None
    expected = mesh_generator.data(created.jsonc.text)
    del expected["$schema"]
    assert tomllib.loads(created.toml.text) == expected
    assert created.toml.text.split("\n")[created.toml.edit_at.line].strip().startswith('version = "')
