"""The VS Code extension (editors/vscode), checked offline: the manifest's required fields
and contributions, its settings against what the server reads (`diddy-mesh lsp
--print-settings`), the packaging step that copies the schema, `node --check` on the
client, and node tests of the client modules that do not need VS Code."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from editor_harness import EDITORS, HERE, SCHEMA, binary, require_print_settings, require_program

EXTENSION = EDITORS / "vscode"
MANIFEST = json.loads((EXTENSION / "package.json").read_text())
CONTRIBUTES = MANIFEST["contributes"]
CLIENT_SOURCES = sorted((EXTENSION / "client").glob("*.js")) + sorted((EXTENSION / "scripts").glob("*.js"))
CLIENT_ONLY_PREFIX = "diddyMesh.server."
MESH_CONFIG_NAMES = ["diddy-mesh.json", "diddy-mesh.jsonc"]
MESH_CONFIG_PATTERNS = ["*.mesh.json", "*.mesh.jsonc"]

# The contribution points VS Code documents (code.visualstudio.com/api/references/contribution-points).
KNOWN_CONTRIBUTIONS = {
    "authentication", "breakpoints", "colors", "commands", "configuration", "configurationDefaults",
    "customEditors", "debuggers", "grammars", "iconThemes", "icons", "jsonValidation", "keybindings",
    "languages", "menus", "problemMatchers", "problemPatterns", "productIconThemes", "resourceLabelFormatters",
    "semanticTokenModifiers", "semanticTokenScopes", "semanticTokenTypes", "snippets", "submenus",
    "taskDefinitions", "terminal", "themes", "typescriptServerPlugins", "views", "viewsContainers",
    "viewsWelcome", "walkthroughs", "notebooks", "notebookRenderer", "codeActions", "documentation",
    "localizations", "chatParticipants", "languageModelTools", "mcpServerDefinitionProviders",
}
# Languages VS Code itself ships, which activation events may name.
BUILT_IN_LANGUAGES = {"json", "jsonc"}
SERVER_TYPES = {"string", "integer", "number", "boolean", "object", "array"}


def client_text() -> str:
    return "\n".join(path.read_text() for path in CLIENT_SOURCES)


def test_required_fields():
    for field in ("name", "publisher", "version", "engines", "main", "displayName", "description"):
        assert MANIFEST.get(field), f"package.json lacks {field}"
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", MANIFEST["name"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", MANIFEST["version"])
    assert re.fullmatch(r"\^\d+\.\d+\.\d+", MANIFEST["engines"]["vscode"])
    assert (EXTENSION / MANIFEST["main"]).is_file()
    assert "vscode-languageclient" in MANIFEST["dependencies"]
    assert "vscode" not in MANIFEST.get("dependencies", {}), "the vscode module is provided by the editor"


def test_activation_events_are_well_formed():
    languages = {language["id"] for language in CONTRIBUTES["languages"]} | BUILT_IN_LANGUAGES
    commands = {command["command"] for command in CONTRIBUTES["commands"]}
    events = MANIFEST["activationEvents"]
    assert len(events) == len(set(events)), "duplicate activation events"
    assert "onLanguage:diddy-mesh" in events
    for event in events:
        kind, _, argument = event.partition(":")
        if kind == "onLanguage":
            assert argument in languages, event
        elif kind == "onCommand":
            assert argument in commands, event
        elif kind == "workspaceContains":
            assert argument and not argument.startswith("/"), event
        else:
            assert event in ("onStartupFinished", "*"), f"unexpected activation event {event}"
    for pattern in MESH_CONFIG_NAMES + MESH_CONFIG_PATTERNS:
        assert f"workspaceContains:**/{pattern}" in events


def test_only_known_contribution_points():
    assert set(CONTRIBUTES) <= KNOWN_CONTRIBUTIONS, set(CONTRIBUTES) - KNOWN_CONTRIBUTIONS


def test_commands_have_titles_and_are_registered_by_the_client():
    source = client_text()
    commands = CONTRIBUTES["commands"]
    assert "diddy-mesh.whatRoutesHere" in {command["command"] for command in commands}
    for command in commands:
        assert command.get("title"), command
        assert command.get("category") == "Diddy-Mesh", command
        constant = re.search(rf"const (\w+) = '{re.escape(command['command'])}';", source)
        assert constant, f"{command['command']} is not named in the client"
        assert f"registerCommand({constant.group(1)}" in source, f"{command['command']} is never registered"
    titles = {command["command"]: f"{command['category']}: {command['title']}" for command in commands}
    assert titles["diddy-mesh.whatRoutesHere"] == "Diddy-Mesh: What routes here"
    contributed = set(titles)
    for menu, entries in CONTRIBUTES.get("menus", {}).items():
        for entry in entries:
            assert entry["command"] in contributed, f"menu {menu} names an unknown command"


def test_what_routes_here_sends_the_server_request():
    source = (EXTENSION / "client" / "extension.js").read_text()
    assert "'diddyMesh/whatRoutesHere'" in source
    assert "sendRequest(WHAT_ROUTES_HERE_METHOD" in source
    # The route preview is a webview the client creates.
    assert "createWebviewPanel(" in (EXTENSION / "client" / "routePreview.js").read_text()


def test_language_contribution_covers_the_mesh_config_names():
    (language,) = CONTRIBUTES["languages"]
    assert language["id"] == "diddy-mesh"
    assert sorted(language["filenames"]) == sorted(MESH_CONFIG_NAMES)
    assert sorted(language["filenamePatterns"]) == sorted(MESH_CONFIG_PATTERNS)
    configuration = json.loads((EXTENSION / language["configuration"]).read_text())
    assert configuration["comments"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}
    assert ["{", "}"] in configuration["brackets"] and ["[", "]"] in configuration["brackets"]
    for pattern in configuration.get("indentationRules", {}).values():
        re.compile(pattern)
    (grammar,) = CONTRIBUTES["grammars"]
    assert grammar["language"] == "diddy-mesh"
    grammar_file = json.loads((EXTENSION / grammar["path"]).read_text())
    assert grammar_file["scopeName"] == grammar["scopeName"]
    assert {"include": "source.json.comments"} in grammar_file["patterns"]


def test_json_validation_resolves_to_the_schema_after_the_copy_step(tmp_path: Path):
    """The documented packaging step (scripts/copy-schema.js, run as vscode:prepublish),
    run in a copy of the repository layout, puts the repository schema where
    jsonValidation's url points."""
    node = require_program("node", "the packaging step is a node script")
    (entry,) = CONTRIBUTES["jsonValidation"]
    assert sorted(entry["fileMatch"]) == sorted(MESH_CONFIG_NAMES + MESH_CONFIG_PATTERNS)
    assert MANIFEST["scripts"]["vscode:prepublish"] == "node scripts/copy-schema.js"
    layout = tmp_path / "repo"
    shutil.copytree(EXTENSION, layout / "editors" / "vscode", ignore=shutil.ignore_patterns("node_modules", "schemas"))
    (layout / "schemas").mkdir()
    shutil.copy(SCHEMA, layout / "schemas" / SCHEMA.name)
    copied = subprocess.run([node, "scripts/copy-schema.js"], cwd=layout / "editors" / "vscode",
                            capture_output=True, text=True, timeout=60)
    assert copied.returncode == 0, copied.stderr
    target = (layout / "editors" / "vscode" / entry["url"]).resolve()
    assert target.is_file(), f"{entry['url']} does not resolve after the copy step"
    assert filecmp.cmp(target, SCHEMA, shallow=False)
    assert json.loads(target.read_text())["$schema"].startswith("http")
    # The packaged extension keeps the copy: .vscodeignore must not drop it or the client.
    ignored = (EXTENSION / ".vscodeignore").read_text().split()
    assert not any(rule.startswith(("schemas", "client")) for rule in ignored)


def test_settings_are_declared_with_types_and_defaults():
    properties = CONTRIBUTES["configuration"]["properties"]
    for name, spec in properties.items():
        assert name.startswith("diddyMesh."), name
        assert spec.get("markdownDescription") or spec.get("description"), name
        assert "default" in spec, f"{name} needs an explicit default (VS Code would invent one)"
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        assert set(types) <= SERVER_TYPES | {"null"}, name
    client_only = [name for name in properties if name.startswith(CLIENT_ONLY_PREFIX)]
    assert client_only == ["diddyMesh.server.path"]
    assert "client-only" in properties["diddyMesh.server.path"]["markdownDescription"].lower()
    assert properties["diddyMesh.registry"]["enum"][:3] == ["wrangler-local", "cloudflare", "off"]
    assert properties["diddyMesh.live.deadlineMs"]["default"] == 500


def test_settings_match_what_the_server_reads():
    server = require_print_settings()
    properties = CONTRIBUTES["configuration"]["properties"]
    declared = {name for name in properties if not name.startswith(CLIENT_ONLY_PREFIX)}
    assert declared == set(server), (f"declared but not read by the server: {sorted(declared - set(server))}; "
                                     f"read by the server but not declared: {sorted(set(server) - declared)}")
    for name, described in server.items():
        spec = properties[name]
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        assert described["type"] in types, f"{name}: the server reads {described['type']}, the manifest says {types}"
        assert spec["default"] == described["default"], name
        if "enum" in described:
            assert [value for value in spec["enum"] if value is not None] == described["enum"], name
        else:
            assert "enum" not in spec, name


def test_client_javascript_parses():
    node = require_program("node", "`node --check` needs node")
    assert CLIENT_SOURCES
    for source in CLIENT_SOURCES:
        checked = subprocess.run([node, "--check", str(source)], capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, f"{source.name}: {checked.stderr}"
        text = source.read_text()
        assert "'use strict';" in text and "// @ts-check" in text, f"{source.name}: CommonJS with JSDoc checks"
        assert not re.search(r"^\s*(import|export)\s", text, re.MULTILINE), f"{source.name} must be CommonJS"


def test_client_modules_under_node():
    node = require_program("node", "the client module tests run under node")
    result = subprocess.run([node, "--test", str(HERE / "vscode" / "client.test.js")],
                            env=dict(os.environ, DIDDY_MESH_BIN=str(binary())),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = re.search(r"^# pass (\d+)$", result.stdout, re.MULTILINE)
    assert passed and int(passed.group(1)) >= 9, result.stdout[-2000:]
