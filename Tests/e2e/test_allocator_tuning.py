"""The allocator tuning of a batch run (Sources/CAllocatorTuning, docs/benchmarks.md,
"Scale"): a `check` process's heap asks for transparent huge pages, while the language
server's heap and any heap under DIDDY_MESH_ALLOCATOR=system keep glibc's defaults.

Each process waits on standard input while /proc/PID/smaps is read: once it runs a
second thread, its Swift code has started, so the C constructor has already run."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path

import pytest

from diddy_check import binary

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux"
    or platform.libc_ver()[0] != "glibc"
    or not Path("/sys/kernel/mm/transparent_hugepage").is_dir(),
    reason="the tuning is glibc's and the advice Linux's transparent huge pages",
)


def heap_flags(arguments: list[str], environment: dict[str, str]) -> set[str]:
    """The VmFlags of the [heap] mappings of diddy-mesh run with `arguments`, read while
    it waits on standard input."""
    process = subprocess.Popen(
        [str(binary()), *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    try:
        tasks = Path(f"/proc/{process.pid}/task")
        deadline = time.monotonic() + 20
        while len(os.listdir(tasks)) < 2:
            assert process.poll() is None, "diddy-mesh exited before it read standard input"
            assert time.monotonic() < deadline, "diddy-mesh started no second thread in 20 s"
            time.sleep(0.01)
        flags: set[str] = set()
        in_heap = False
        for line in Path(f"/proc/{process.pid}/smaps").read_text().splitlines():
            if line[:1].isdigit() or line[:1] in "abcdef":
                in_heap = line.endswith("[heap]")
            elif in_heap and line.startswith("VmFlags:"):
                flags |= set(line.split()[1:])
        return flags
    finally:
        process.kill()
        process.wait(timeout=10)


def environment(**extra: str) -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if key != "DIDDY_MESH_ALLOCATOR"}
    return clean | extra


@pytest.mark.parametrize(
    ("arguments", "extra", "advised"),
    [
        (["check", "-"], {}, True),
        (["--check", "-"], {}, True),
        (["fmt", "-"], {}, True),
        (["check", "-"], {"DIDDY_MESH_ALLOCATOR": "system"}, False),
        (["lsp"], {}, False),
        (["lsp", "--stdio"], {}, False),
    ],
)
def test_heap_asks_for_huge_pages_only_in_a_batch_run(arguments, extra, advised):
    flags = heap_flags(arguments, environment(**extra))
    assert flags, "no [heap] mapping with VmFlags in /proc/PID/smaps"
    # "hg" is the kernel's flag for memory under madvise(MADV_HUGEPAGE).
    assert ("hg" in flags) == advised, sorted(flags)
