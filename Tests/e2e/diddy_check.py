"""Shared helpers of the `diddy-mesh check` end-to-end tests.

The tests run the built binary: `.build/debug/diddy-mesh` under the package root, or the
path in the environment variable DIDDY_MESH_BIN.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

E2E = Path(__file__).resolve().parent
ROOT = E2E.parent.parent
FIXTURES = ROOT / "Tests" / "MeshCommandsTests" / "Fixtures" / "diagnostics"
EXAMPLES = ROOT / "examples"
BROKEN = EXAMPLES / "broken"
SCHEMA_FILE = ROOT / "schemas" / "diddy-mesh.schema.json"
SHARED = ROOT.parent / "shared"
SARIF_SCHEMA = SHARED / "testdata" / "sarif" / "sarif-schema-2.1.0.json"

CONFIG_SUFFIXES = (".json", ".jsonc")


def binary() -> Path:
    """The diddy-mesh executable, or a failed test that says how to get it."""
    configured = os.environ.get("DIDDY_MESH_BIN")
    path = Path(configured).resolve() if configured else ROOT / ".build" / "debug" / "diddy-mesh"
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"no diddy-mesh binary at {path}: run `swift build` first or set DIDDY_MESH_BIN")
    return path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs diddy-mesh with `args`; colors are off as on any non-terminal."""
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(
        [str(binary()), *args], cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def fixtures() -> list[Path]:
    """Every diagnostic fixture (the golden files beside them excluded)."""
    return sorted(
        path
        for path in FIXTURES.iterdir()
        if path.name.endswith(".jsonc") or path.name.endswith(".mesh.json")
    )


def fixture_code(path: Path) -> str:
    """`DM301` for `DM301.jsonc`."""
    return path.name.split(".", 1)[0]


def is_mesh_config_name(name: str) -> bool:
    """The file names docs/guide/config-reference.md reserves for mesh configs."""
    lowered = name.lower()
    return lowered in ("diddy-mesh.json", "diddy-mesh.jsonc") or lowered.endswith((".mesh.json", ".mesh.jsonc"))


def example_configs() -> list[Path]:
    """Every mesh config under examples/ except the deliberately broken ones (route
    expectation files and other JSON beside them are not configs)."""
    return sorted(
        path
        for path in EXAMPLES.rglob("*")
        if path.is_file() and is_mesh_config_name(path.name) and BROKEN not in path.parents
    )


def strip_jsonc(text: str) -> str:
    """JSONC to JSON: drops `//` and `/* */` comments and trailing commas outside strings."""
    out: list[str] = []
    index = 0
    in_string = False
    while index < len(text):
        char = text[index]
        if in_string:
            out.append(char)
            if char == "\\":
                out.append(text[index + 1 : index + 2])
                index += 2
                continue
            if char == '"':
                in_string = False
            index += 1
        elif char == '"':
            in_string = True
            out.append(char)
            index += 1
        elif text.startswith("//", index):
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = len(text) if end < 0 else end + 2
        else:
            out.append(char)
            index += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def load_jsonc(path: Path):
    """The JSON value of a JSONC file (duplicate keys: the later wins, as in the model)."""
    return json.loads(strip_jsonc(path.read_text(encoding="utf-8")))


def write_probed_project(directory: Path, urls: list[str]) -> Path:
    """A project whose service `api` has one endpoint per URL (loopback HTTP, so
    `insecure`), a health check that decides on one probe, and a wrangler-local registry
    bound through wrangler.toml: what `diddy-mesh health probe` needs to write health."""
    (directory / "wrangler.toml").write_text('kv_namespaces = [ { binding = "MESH_KV", id = "mesh" } ]\n')
    config = {
        "version": 1,
        "mesh": {"registry": {"binding": "MESH_KV"}},
        "services": {
            "api": {
                "endpoints": [{"url": url, "insecure": True} for url in urls],
                "healthCheck": {"path": "/health", "interval": 1000, "timeout": 500, "healthyThreshold": 1, "unhealthyThreshold": 1},
            }
        },
        "routing": {"default": "api"},
    }
    path = directory / "diddy-mesh.json"
    path.write_text(json.dumps(config, indent=2) + "\n")
    return path
