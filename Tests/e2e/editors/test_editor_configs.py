"""The editor files that have no editor in CI (Helix, Zed, Sublime Text): they parse, run
`diddy-mesh lsp`, select exactly the mesh config names of config.md, and pass only
settings the server reads. Also checks that the names these tests expect are config.md's."""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from editor_harness import EDITORS, ROOT, print_settings

CONFIG_MD = ROOT.parent / "shared" / "spec" / "config.md"
MESH_CONFIG_GLOBS = ["diddy-mesh.json", "diddy-mesh.jsonc", "*.mesh.json", "*.mesh.jsonc"]
# File names that are mesh configs, and some that are not, for every editor's patterns.
MESH_FILES = ["diddy-mesh.json", "diddy-mesh.jsonc", "shop.mesh.json", "orders.mesh.jsonc"]
OTHER_FILES = ["package.json", "tsconfig.jsonc", "mesh.yaml", "diddy-mesh.json.bak", "shop.mesh.toml"]


def test_expected_names_are_config_md_names():
    if not CONFIG_MD.is_file():
        pytest.skip(f"{CONFIG_MD} is absent (the shared spec sits beside the repository)")
    opening = "\n".join(CONFIG_MD.read_text().splitlines()[:20])
    named = re.findall(r"`([^`]*\.jsonc?)`", opening)
    for glob in MESH_CONFIG_GLOBS:
        assert glob in named, f"config.md does not name {glob}"
    assert "diddy-mesh.schema.json" in opening


def flatten(settings: dict[str, Any], prefix: str = "diddyMesh") -> set[str]:
    """Full dotted names of the leaves of a `diddyMesh` section."""
    names = set()
    for key, value in settings.items():
        name = f"{prefix}.{key}"
        names |= flatten(value, name) if isinstance(value, dict) else {name}
    return names


def assert_known_settings(section: dict[str, Any]):
    """Every setting in an editor's example section is one the server reads."""
    server = print_settings()
    if server is None:
        pytest.skip("this diddy-mesh has no `lsp --print-settings`; cannot check the example settings")
    unknown = flatten(section) - set(server)
    assert not unknown, f"settings the server does not read: {sorted(unknown)}"


def assert_selects_mesh_configs(globs: list[str]):
    """`globs` (fnmatch-style, matched against the file name) take exactly the mesh configs."""
    for name in MESH_FILES:
        assert any(fnmatch.fnmatchcase(name, glob) for glob in globs), f"{name} is not selected by {globs}"
    for name in OTHER_FILES:
        assert not any(fnmatch.fnmatchcase(name, glob) for glob in globs), f"{name} is wrongly selected by {globs}"


def test_helix_language_and_server():
    config = tomllib.loads((EDITORS / "helix" / "languages.toml").read_text())
    (language,) = [entry for entry in config["language"] if entry["name"] == "diddy-mesh"]
    assert language["language-servers"] == ["diddy-mesh"]
    globs = [entry["glob"] for entry in language["file-types"]]
    assert sorted(globs) == sorted(MESH_CONFIG_GLOBS)
    assert_selects_mesh_configs(globs)
    assert language["comment-token"] == "//"
    assert "wrangler.toml" in language["roots"]
    server = config["language-server"]["diddy-mesh"]
    assert server["command"] == "diddy-mesh" and server["args"] == ["lsp"]
    assert_known_settings(server["config"]["diddyMesh"])


def test_zed_extension_and_settings():
    manifest = tomllib.loads((EDITORS / "zed" / "extension.toml").read_text())
    assert manifest["id"] == "diddy-mesh" and manifest["schema_version"] == 1
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    languages = [tomllib.loads(path.read_text()) for path in (EDITORS / "zed" / "languages").glob("*/config.toml")]
    (language,) = languages
    assert manifest["language_servers"]["diddy-mesh"]["languages"] == [language["name"]]
    assert language["line_comments"] == ["// "]
    settings = json.loads((EDITORS / "zed" / "settings.json").read_text())
    globs = settings["file_types"][language["name"]]
    assert sorted(globs) == sorted(MESH_CONFIG_GLOBS)
    assert_selects_mesh_configs(globs)
    server = settings["lsp"]["diddy-mesh"]
    assert Path(server["binary"]["path"]).name == "diddy-mesh"
    assert server["binary"]["arguments"] == ["lsp"]
    assert_known_settings(server["initialization_options"]["diddyMesh"])
    assert_known_settings(server["settings"]["diddyMesh"])
    readme = (EDITORS / "zed" / "README.md").read_text()
    assert "Rust" in readme and "settings.json" in readme


def test_sublime_client_and_syntax():
    settings = json.loads((EDITORS / "sublime" / "LSP.sublime-settings").read_text())
    client = settings["clients"]["diddy-mesh"]
    assert client["enabled"] is True
    assert Path(client["command"][0]).name == "diddy-mesh" and client["command"][1:] == ["lsp"]
    syntax = (EDITORS / "sublime" / "DiddyMesh.sublime-syntax").read_text()
    scope = re.search(r"^scope: (\S+)$", syntax, re.MULTILINE)
    assert scope and client["selector"] == scope.group(1)
    # Sublime matches an "extension" against the end of the file name after a dot, or the whole name.
    extensions = re.findall(r"^  - (\S+)$", syntax, re.MULTILINE)
    globs = [pattern for extension in extensions for pattern in (extension, f"*.{extension}")]
    for name in MESH_FILES:
        assert any(fnmatch.fnmatchcase(name, glob) for glob in globs), name
    for name in OTHER_FILES:
        assert not any(fnmatch.fnmatchcase(name, glob) for glob in globs), name
    assert_known_settings(client["initializationOptions"]["diddyMesh"])
    assert_known_settings(client["settings"]["diddyMesh"])


def test_editors_readme_names_every_editor_folder():
    readme = (EDITORS / "README.md").read_text()
    for folder in sorted(path.name for path in EDITORS.iterdir() if path.is_dir()):
        assert f"`editors/{folder}/" in readme or f"({folder}/" in readme, f"editors/README.md does not mention {folder}"
