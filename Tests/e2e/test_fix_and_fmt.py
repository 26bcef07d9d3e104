"""`check --fix` and `fmt` end to end: what they write, what they print, how they exit,
and what they refuse to touch (docs/guide/fix-and-format.md)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from diddy_check import run

FIXABLE = """{
  "services": {
    "a": { "endpoints": ["https://a.example",] }, // diddy-mesh-ignore DM502: gone
    "b": { "endpoints": ["https://b.example"] }
  },
  "routing": {
    "rules": [
      { "path": "/a/*", "service": "a" },
      { "path": "/a/b", "service": "b" },
      { "path": "/b/*", "service": "b", "timout": 100 },
    ]
  }
}
"""

FIXED = """{
  "services": {
    "a": { "endpoints": ["https://a.example"] },
    "b": { "endpoints": ["https://b.example"] }
  },
  "routing": {
    "rules": [
      { "path": "/a/*", "service": "a" },
      { "path": "/b/*", "service": "b", "timout": 100 }
    ]
  }
}
"""

UNFORMATTED = '{"services":{"a":{"endpoints":["https://a.example"]}}, // why a\n"routing":{"default":"a"}}\n'
FORMATTED = '{\n  "services": { "a": { "endpoints": ["https://a.example"] } }, // why a\n  "routing": { "default": "a" }\n}\n'


def test_fix_writes_the_safe_fixes_keeps_permissions_and_reports_what_is_left(tmp_path: Path):
    config = tmp_path / "mesh.json"
    config.write_text(FIXABLE)
    config.chmod(0o640)
    result = run("check", "--fix", str(config))
    assert config.read_text() == FIXED
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    assert f"fixed {config}: 4 fixes applied" in result.stderr
    # The did-you-mean for 'timout' is a guess: it stays a finding, for the editor's quick fix.
    assert "warning[DM201]: unknown key 'timout'" in result.stdout
    assert result.returncode == 0
    again = run("check", "--fix", str(config))
    assert "fixed" not in again.stderr and config.read_text() == FIXED


def test_fix_dry_run_prints_a_diff_writes_nothing_and_exits_1(tmp_path: Path):
    config = tmp_path / "mesh.json"
    config.write_text(FIXABLE)
    result = run("check", "--fix", "--dry-run", "mesh.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("--- a/mesh.json\n+++ b/mesh.json\n@@ ")
    assert '-      { "path": "/a/b", "service": "b" },\n' in result.stdout
    assert config.read_text() == FIXABLE
    (tmp_path / "mesh.json").write_text(FIXED)
    clean = run("check", "--fix", "--dry-run", "mesh.json", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_ignore_leaves_out_a_code_in_findings_and_fixes(tmp_path: Path):
    config = tmp_path / "mesh.json"
    config.write_text(FIXABLE)
    shown = run("check", "mesh.json", "--fail-on", "warning", cwd=tmp_path)
    assert shown.returncode == 1 and "[DM402]" in shown.stdout and "[DM201]" in shown.stdout
    ignored = run("check", "mesh.json", "--fail-on", "warning", "--ignore", "dm402,DM201", "--ignore", "DM701",
                  cwd=tmp_path)
    assert ignored.returncode == 0, ignored.stdout
    assert "[DM402]" not in ignored.stdout and "[DM201]" not in ignored.stdout
    # A finding left out is not fixed either: the shadowed rule stays, the commas go.
    run("check", "--fix", "--ignore", "DM402", "mesh.json", cwd=tmp_path)
    assert '{ "path": "/a/b", "service": "b" }' in config.read_text() and ",]" not in config.read_text()
    for code, message in (("DM999", "unknown diagnostic code 'DM999' for --ignore"),
                          ("DM101", "DM101 cannot be ignored: it means part of the file was not read")):
        refused = run("check", "mesh.json", "--ignore", code, cwd=tmp_path)
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr


def test_dry_run_needs_fix(tmp_path: Path):
    result = run("check", "--dry-run", str(tmp_path))
    assert result.returncode == 2 and "--dry-run goes with --fix" in result.stderr


def test_fix_and_fmt_do_not_write_through_a_symbolic_link(tmp_path: Path):
    outside = tmp_path / "outside.json"
    outside.write_text(FIXABLE)
    project = tmp_path / "project"
    project.mkdir()
    (project / "diddy-mesh.json").symlink_to(outside)
    for command in (["check", "--fix"], ["fmt"]):
        result = run(*command, str(project / "diddy-mesh.json"))
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "is a symbolic link, which is not rewritten" in result.stderr
        assert outside.read_text() == FIXABLE and os.path.islink(project / "diddy-mesh.json")


def test_fmt_formats_in_place_keeping_comments(tmp_path: Path):
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text(UNFORMATTED)
    result = run("fmt", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "formatted ./diddy-mesh.jsonc\n")
    assert config.read_text() == FORMATTED
    assert run("fmt", cwd=tmp_path).stderr == ""


def test_fmt_check_exits_1_with_a_diff_and_writes_nothing(tmp_path: Path):
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text(UNFORMATTED)
    result = run("fmt", "--check", str(config))
    assert result.returncode == 1
    assert result.stdout.startswith(f"--- a/{config}\n+++ b/{config}\n")
    assert "1 of 1 file is not formatted" in result.stderr
    assert config.read_text() == UNFORMATTED
    config.write_text(FORMATTED)
    assert run("fmt", "--check", str(config)).returncode == 0


def test_fmt_refuses_a_file_with_syntax_errors(tmp_path: Path):
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text('{"services": {"a": }\n')
    result = run("fmt", str(config))
    assert result.returncode == 2 and "it has syntax errors" in result.stderr
    assert config.read_text() == '{"services": {"a": }\n'
