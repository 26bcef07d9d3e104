"""Generated configs for the scale benchmark (`make bench`, docs/benchmarks.md, "Scale").

Each workload is one shape the tools must handle in time proportional to its size:

- `mesh`: the language-server benchmark's config (Benchmarks/lsp/mesh_generator.py) at a
  given size, valid, so that a whole-process `check` is compared with schema validators;
- `unknown`: services plus as many rules again that route to names differing from a real
  service by one character, so every rule is an unknown-service error with a did-you-mean;
  written indented (one member per line) and minified (the whole file on one line);
- `chains`: rules in prefix chains (`/c0/s0/*`, `/c0/s0/s1/*`, ...), each later rule of a
  chain shadowed by the first, so shadow analysis reports one finding per rule.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lsp"))

import mesh_generator  # noqa: E402


def mesh(approximate_bytes: int) -> str:
    """A valid JSONC config of at least `approximate_bytes` bytes."""
    return mesh_generator.jsonc_config(approximate_bytes)


def _service(index: int) -> dict:
    return {
        "endpoints": [f"https://svc-{index:05d}-a.example.workers.dev", f"https://svc-{index:05d}-b.example.workers.dev"],
        "timeout": 1000 + index % 20 * 100,
    }


def unknown_services(services: int, errors: int) -> dict:
    """`services` services and `errors` rules, each routing to a misspelt service name
    (`svc-00042` becomes `svc-0004x`)."""
    rules = []
    for index in range(errors):
        name = f"svc-{index % services:05d}"
        rules.append({"name": f"r{index}", "path": f"/api/r{index}/*", "service": name[:-1] + "x"})
    return {
        "version": 1,
        "mesh": {"name": "unknown-services"},
        "services": {f"svc-{index:05d}": _service(index) for index in range(services)},
        "routing": {"rules": rules, "default": "svc-00000"},
    }


def known_services(services: int, rules: int) -> dict:
    """The same shape as ``unknown_services`` with every rule naming a real service: the
    baseline that shows what the errors themselves cost."""
    data = unknown_services(services, rules)
    for rule in data["routing"]["rules"]:
        rule["service"] = rule["service"][:-1] + "0"
    return data


def prefix_chains(rules: int, depth: int = 8) -> dict:
    """`rules` rules in chains of `depth`: `/c<k>/s0/*`, `/c<k>/s0/s1/*`, ..., so every rule
    after the first of its chain is shadowed by it."""
    rule_list = []
    for index in range(rules):
        chain, level = divmod(index, depth)
        segments = "/".join(f"s{step}" for step in range(level + 1))
        rule_list.append({"name": f"c{chain}-{level}", "path": f"/c{chain}/{segments}/*", "service": "api"})
    return {
        "version": 1,
        "mesh": {"name": "prefix-chains"},
        "services": {"api": {"endpoints": ["https://api.example.workers.dev"]}},
        "routing": {"rules": rule_list},
    }


def indented(data: dict) -> str:
    return json.dumps(data, indent=2) + "\n"


def minified(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"))
