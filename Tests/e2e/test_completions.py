"""Shell completions (issue 15, item 7): `diddy-mesh completions bash|zsh|fish` prints the
argument parser's script; each must be valid for its shell and complete subcommands,
options, option values and files. Shells that are not installed are skipped with a
message (`scripts/bootstrap.sh --with-test-tools` installs zsh and fish)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cli_commands import commands, long_options
from diddy_check import EXAMPLES, binary, run

SHELLS = ("bash", "zsh", "fish")
# Values the scripts must offer: formats, severities, codes, --color, --registry, the shells.
VALUES = ("sarif", "github", "warning", "hint", "DM502", "DM701", "auto", "always", "never", "wrangler-local",
          "cloudflare", "fish")


def script(shell: str, tmp_path: Path) -> Path:
    result = run("completions", shell)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"diddy-mesh.{shell}"
    path.write_text(result.stdout)
    return path


def shell_or_skip(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        pytest.skip(f"`{shell}` is not installed; `scripts/bootstrap.sh --with-test-tools` installs it")
    return path


@pytest.mark.parametrize("shell", SHELLS)
def test_script_is_valid_and_names_every_command_option_and_value(shell: str, tmp_path: Path):
    path = script(shell, tmp_path)
    checked = subprocess.run([shell_or_skip(shell), "-n", str(path)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, f"{shell} -n: {checked.stderr}"
    text = path.read_text()
    for words, command in commands():
        assert words[-1] in text, f"{' '.join(words)} missing from the {shell} script"
        for option in long_options(command):
            assert option.lstrip("-") in text, f"{' '.join(words)} {option} missing from the {shell} script"
    for value in VALUES:
        assert value in text, f"value {value} missing from the {shell} script"
    assert "check" in text


@pytest.mark.parametrize("shell", SHELLS)
def test_same_script_as_the_parser_flag(shell: str):
    assert run("completions", shell).stdout == run("--generate-completion-script", shell).stdout


def test_unknown_shell_is_a_usage_error():
    result = run("completions", "tcsh")
    assert result.returncode == 2 and "tcsh" in result.stderr


BASH_DRIVER = r"""
source "$1"
shift
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_diddy-mesh "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""


def bash_complete(script_path: Path, line: str, cwd: Path) -> list[str]:
    """What bash's completion function offers for `line` (as readline would call it)."""
    result = subprocess.run(
        ["bash", "-c", BASH_DRIVER, "driver", str(script_path), line],
        cwd=cwd, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return sorted(word for word in result.stdout.split("\n") if word)


# (what is typed, what must be offered, what must not)
COMPLETIONS = [
    ("diddy-mesh ", {"check", "route", "health", "completions", "man"}, set()),
    ("diddy-mesh --", {"--check", "--version", "--help"}, {"check"}),
    ("diddy-mesh check --format ", {"text", "json", "sarif", "github"}, {"shop"}),
    ("diddy-mesh check --fail-on ", {"error", "warning", "information", "hint"}, set()),
    ("diddy-mesh check --color ", {"auto", "always", "never"}, set()),
    ("diddy-mesh check --ignore DM5", {"DM501", "DM502", "DM507"}, {"DM101", "DM302"}),
    ("diddy-mesh route --engine ", {"native", "wasm"}, {"shop"}),
    ("diddy-mesh check --co", {"--color"}, set()),
    ("diddy-mesh kv list --registry ", {"wrangler-local", "cloudflare", "off"}, set()),
    ("diddy-mesh health probe ", {"shop", "broken"}, set()),
    ("diddy-mesh check ", {"shop", "broken"}, set()),
    ("diddy-mesh completions ", {"bash", "zsh", "fish"}, set()),
]


@pytest.mark.parametrize("line,offered,absent", COMPLETIONS, ids=[line for line, _, _ in COMPLETIONS])
def test_bash_completes(line: str, offered: set, absent: set, tmp_path: Path):
    words = set(bash_complete(script("bash", tmp_path), line, EXAMPLES))
    assert offered <= words, f"{line!r} offered {sorted(words)}"
    assert not (absent & words), f"{line!r} offered {sorted(absent & words)}"


@pytest.mark.parametrize("line,offered,absent", COMPLETIONS, ids=[line for line, _, _ in COMPLETIONS])
def test_fish_completes(line: str, offered: set, absent: set, tmp_path: Path):
    fish = shell_or_skip("fish")
    path = script("fish", tmp_path)
    result = subprocess.run(
        [fish, "--no-config", "-c", f"source {path}; complete -C {line!r}"],
        cwd=EXAMPLES, capture_output=True, text=True, check=False, env={"PATH": str(binary().parent) + ":/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    # fish prints `word<TAB>description`, and folders with a trailing slash.
    words = {line.split("\t")[0].rstrip("/") for line in result.stdout.splitlines()}
    assert offered <= words, f"{line!r} offered {sorted(words)}"
    assert not (absent & words), f"{line!r} offered {sorted(absent & words)}"
