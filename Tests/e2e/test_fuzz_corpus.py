"""The fuzz target's regression run: every committed seed (Fuzz/corpus) and every saved
reproducer (Fuzz/crashers) replayed through the language server by the plain build of
diddy-mesh-fuzz, which checks that every message the server writes is well-formed
JSON-RPC with valid LSP positions and ranges. `swift build --build-tests` builds it
beside diddy-mesh; scripts/fuzz.sh builds the libFuzzer one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from diddy_check import ROOT, binary

CORPUS = ROOT / "Fuzz" / "corpus"
CRASHERS = ROOT / "Fuzz" / "crashers"


def replay_binary() -> Path:
    """diddy-mesh-fuzz, next to the diddy-mesh binary under test."""
    path = binary().parent / "diddy-mesh-fuzz"
    if not path.is_file():
        pytest.fail(f"no diddy-mesh-fuzz at {path}: run `swift build --build-tests` (it builds every target)")
    return path


def replay(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(replay_binary()), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_every_seed_replays_with_well_formed_output():
    seeds = sorted(p for p in CORPUS.iterdir() if not p.name.startswith("."))
    assert len(seeds) >= 20, "the seed corpus is missing (python3 Fuzz/make_seed_corpus.py writes it)"
    result = replay(CORPUS)
    assert result.returncode == 0, result.stdout + result.stderr
    ok = [line for line in result.stdout.splitlines() if line.startswith("ok ")]
    assert len(ok) == len(seeds), result.stdout
    assert f"{len(seeds)} ok, 0 failing" in result.stdout.splitlines()[-1]


def test_saved_reproducers_stay_fixed():
    crashers = sorted(p for p in CRASHERS.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix != ".md")
    if not crashers:
        pytest.skip("no reproducer saved under Fuzz/crashers")
    result = replay(*crashers)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_replay_really_runs_the_server():
    """The lifecycle seed gets the initialize answer and ends with status 0 after shutdown
    and exit; the hover seed's answers carry markdown: the runner is not a no-op."""
    lifecycle = replay("--print", CORPUS / "lifecycle")
    assert lifecycle.returncode == 0, lifecycle.stderr
    assert '"serverInfo":{"name":"diddy-mesh"' in lifecycle.stdout
    assert "status 0, 2 messages" in lifecycle.stdout
    hover = replay("--print", CORPUS / "hover")
    assert hover.returncode == 0, hover.stderr
    assert '"kind":"markdown"' in hover.stdout and "**service `api`**" in hover.stdout


def test_the_message_check_rejects_malformed_messages():
    """The oracle can fail: known-bad JSON-RPC messages and LSP ranges are rejected for the
    right reason and known-good ones pass (the table is in OracleSelfTest.swift)."""
    result = replay("--self-test")
    assert result.returncode == 0, result.stdout
    assert re.search(r"oracle self-test: (\d+) of \1 cases as expected", result.stdout), result.stdout


def test_usage_errors_exit_2(tmp_path: Path):
    assert replay().returncode == 2
    assert replay(tmp_path / "missing").returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = replay(empty)
    assert result.returncode == 2 and "no input files" in result.stderr
