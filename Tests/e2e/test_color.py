"""`--color auto|always|never` (issue 15, item 7; docs/guide/ci.md, "Colors"): auto colors
only a terminal and never with NO_COLOR set; always and never are what they say."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from diddy_check import binary

ESC = "\x1b["
# One DM201 warning, so the text output has a colored severity and summary.
WARNING = '{"version": 1, "services": {"a": {"endpoints": ["https://a.example.com"], "timout": 1}}, ' \
          '"routing": {"default": "a"}}\n'


def check(tmp_path: Path, *options: str, terminal: bool, no_color: str | None) -> str:
    """The output of `check` on a one-warning config, to a pipe or a pseudo-terminal."""
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text(WARNING)
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    command = [str(binary()), "check", *options, str(config)]
    if not terminal:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(command, env=env, stdout=follower, stderr=subprocess.PIPE)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process exits
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0
        return b"".join(chunks).decode("utf-8")
    finally:
        os.close(leader)


CASES = [
    # (options, on a terminal, NO_COLOR, colored)
    ((), True, None, True),
    ((), False, None, False),
    ((), True, "1", False),
    (("--color", "auto"), True, None, True),
    (("--color", "auto"), False, None, False),
    (("--color", "always"), False, None, True),
    (("--color", "always"), False, "1", True),
    (("--color", "never"), True, None, False),
]


@pytest.mark.parametrize("options,terminal,no_color,colored", CASES)
def test_color(tmp_path: Path, options: tuple, terminal: bool, no_color: str | None, colored: bool):
    output = check(tmp_path, *options, terminal=terminal, no_color=no_color)
    assert "warning[DM201]" in output
    assert (ESC in output) == colored, repr(output[:200])


def test_unknown_color_value_is_a_usage_error(tmp_path: Path):
    result = subprocess.run([str(binary()), "check", "--color", "sometimes", str(tmp_path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "sometimes" in result.stderr
