"""Fixtures shared by the end-to-end tests of every directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBE_TARGETS = Path(__file__).resolve().parent / "probe_targets.py"


@pytest.fixture()
def targets():
    """Local HTTP targets for the prober (see probe_targets.py): their URLs by behaviour,
    `healthy`, `slow`, `error`, `flapping`, `tracked`, `garbage`, `hang` and `refused`."""
    process = subprocess.Popen(
        [sys.executable, str(PROBE_TARGETS), "--lifetime", "60", "--slow-delay", "5"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        yield json.loads(line)
    finally:
        process.kill()
        process.wait(timeout=10)
