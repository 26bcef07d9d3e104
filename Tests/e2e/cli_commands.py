"""The command tree of the binary under test, read from the argument parser's own
description (`--experimental-dump-help`), so tests that must cover every command do not
keep a second list of them."""

from __future__ import annotations

import json
import subprocess

from diddy_check import binary


def command_tree() -> dict:
    """The root `CommandInfoV0` object."""
    result = subprocess.run([str(binary()), "--experimental-dump-help"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["command"]


def commands(tree: dict | None = None, parents: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], dict]]:
    """Every displayed command below the root, as (words after `diddy-mesh`, command info)."""
    tree = tree if tree is not None else command_tree()
    found = []
    for sub in tree.get("subcommands", []):
        if not sub.get("shouldDisplay", True):
            continue
        path = parents + (sub["commandName"],)
        found.append((path, sub))
        found += commands(sub, path)
    return found


def long_options(command: dict) -> list[str]:
    """The long names of a command's displayed options and flags, without --help and --version."""
    names = []
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True):
            continue
        for name in argument.get("names", []):
            if name["kind"] == "long" and name["name"] not in ("help", "version"):
                names.append("--" + name["name"])
    return names
