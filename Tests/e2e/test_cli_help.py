"""The top-level help, `--version` and the manual page (issue 15, item 7)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from cli_commands import command_tree, commands, long_options
from diddy_check import EXAMPLES, ROOT, run

VERSION = re.compile(r"^\d+\.\d+\.\d+ \(commit (?:[0-9a-f]{12}|unknown), built (?:\d{4}-\d{2}-\d{2}|unknown)\)$")
BUILD_INFO = ROOT / "scripts" / "build-info.sh"


def test_top_level_help_shows_the_check_form():
    result = run("--help")
    assert result.returncode == 0
    assert "diddy-mesh --check [<paths> ...]" in result.stdout
    assert re.search(r"^  --check\s+Check mesh configs", result.stdout, re.MULTILINE), result.stdout
    for name in ("completions", "man"):
        assert re.search(rf"^  {name}\s", result.stdout, re.MULTILINE), result.stdout
    # The form the help shows works, with check's options.
    checked = run("--check", str(EXAMPLES / "shop"), "--format", "json")
    assert checked.returncode == 0 and checked.stdout.startswith("{")


def test_version_names_version_commit_and_build_date():
    started = time.monotonic()
    result = run("--version")
    assert result.returncode == 0
    assert VERSION.match(result.stdout.strip()), result.stdout
    assert time.monotonic() - started < 5


def build_info(tmp_path: Path, package: Path, **environment: str) -> str:
    """Runs scripts/build-info.sh for `package` and returns the Swift file it writes."""
    output = tmp_path / "out" / "BuildInfo.swift"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DIDDY_MESH_COMMIT", "DIDDY_MESH_BUILD_DATE", "SOURCE_DATE_EPOCH")}
    env.update(environment)
    subprocess.run(["/bin/sh", str(BUILD_INFO), str(package), str(output)], env=env, check=True)
    return output.read_text()


def test_build_info_in_a_tarball_without_git_reads_unknown(tmp_path: Path):
    # A tarball unpacked inside another repository must not take that repository's commit.
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    package = tmp_path / "diddy-mesh-0.1.0"
    package.mkdir()
    text = build_info(tmp_path, package)
    assert 'commit = "unknown"' in text
    assert re.search(r'date = "\d{4}-\d{2}-\d{2}"', text)


def test_build_info_of_a_clone_is_its_head(tmp_path: Path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    package = tmp_path / "clone"
    package.mkdir()
    git = ["git", "-C", str(package), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", "first"], check=True)
    head = subprocess.run(git[:3] + ["rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True)
    assert f'commit = "{head.stdout.strip()}"' in build_info(tmp_path, package)


def test_build_info_overrides_and_reproducible_date(tmp_path: Path):
    text = build_info(tmp_path, tmp_path, DIDDY_MESH_COMMIT="abc123", SOURCE_DATE_EPOCH="0")
    assert 'commit = "abc123"' in text and 'date = "1970-01-01"' in text
    text = build_info(tmp_path, tmp_path, DIDDY_MESH_BUILD_DATE="2030-01-02")
    assert 'date = "2030-01-02"' in text
    # A value that could end the Swift string literal is not written.
    text = build_info(tmp_path, tmp_path, DIDDY_MESH_COMMIT='x"; fatalError(); "')
    assert 'commit = "unknown"' in text and "fatalError" not in text


def test_build_info_leaves_an_unchanged_file_alone(tmp_path: Path):
    build_info(tmp_path, tmp_path, DIDDY_MESH_COMMIT="abc123", DIDDY_MESH_BUILD_DATE="2030-01-02")
    output = tmp_path / "out" / "BuildInfo.swift"
    os.utime(output, (1_000_000, 1_000_000))
    build_info(tmp_path, tmp_path, DIDDY_MESH_COMMIT="abc123", DIDDY_MESH_BUILD_DATE="2030-01-02")
    assert output.stat().st_mtime == 1_000_000, "an unchanged file would recompile MeshCommands"


def test_manual_page_documents_every_command_and_option(tmp_path: Path):
    result = run("man")
    assert result.returncode == 0, result.stderr
    roff = result.stdout
    assert roff.startswith('.\\"') and '\n.TH "DIDDY\\-MESH" 1 ' in roff
    sections = roff.split("\n.SS ")
    for words, command in commands():
        name = "diddy\\-mesh " + " ".join(words).replace("-", "\\-")
        section = next((part for part in sections if part.startswith(f'"{name}"')), None)
        assert section is not None, f"no section for diddy-mesh {' '.join(words)}"
        for option in long_options(command):
            assert f"\\fB{option.replace('-', chr(92) + '-')}\\fR" in section, f"{name} {option}"
    for option in long_options(command_tree()):
        assert option.replace("-", "\\-") in roff.split("\n.SH COMMANDS")[0]


def test_manual_page_renders_without_warnings(tmp_path: Path):
    groff = shutil.which("groff")
    if groff is None:
        pytest.skip("groff is not installed (Debian: groff-base)")
    roff = run("man").stdout
    rendered = subprocess.run(
        [groff, "-man", "-Tutf8", "-ww"], input=roff, capture_output=True, text=True, check=False,
        env=dict(os.environ, MANWIDTH="80"),
    )
    assert rendered.returncode == 0 and rendered.stderr == "", rendered.stderr
    text = re.sub(r".\x08", "", rendered.stdout)
    assert "diddy-mesh health probe" in text and "--color" in text.replace("\u2010", "-").replace("\u2212", "-")
