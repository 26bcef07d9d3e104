"""Helpers of the language server's end-to-end tests (the fixtures are in conftest.py).

Two ways to talk to `diddy-mesh lsp`:

- `pytest_lsp` clients (`lsp_session`, `make_client`), which check every message the
  server sends against the LSP 3.17 types;
- `RawServer`, a byte-level driver for protocol abuse that a well-behaved client library
  cannot produce, which also insists that every byte on stdout is a framed message.

The binary is `.build/debug/diddy-mesh` under the package root, or $DIDDY_MESH_BIN.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, make_test_lsp_client

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"


def binary_path() -> Path:
    configured = os.environ.get("DIDDY_MESH_BIN")
    return Path(configured).resolve() if configured else ROOT / ".build" / "debug" / "diddy-mesh"


def require_binary() -> Path:
    path = binary_path()
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"no diddy-mesh binary at {path}: run `swift build` first or set DIDDY_MESH_BIN")
    return path


SERVER_COMMAND = [str(binary_path()), "lsp", "--stdio"]


def capabilities(encodings: list[str] | None = None, lazy_completion: bool = False) -> types.ClientCapabilities:
    """A client that takes snippets, markdown and hierarchical symbols; with
    `lazy_completion`, also one that resolves completion documentation lazily and takes
    LSP 3.17 item defaults, as VS Code does."""
    completion_list = types.CompletionListCapabilities(item_defaults=["editRange", "data", "insertTextFormat"]) if lazy_completion else None
    resolve = types.ClientCompletionItemResolveOptions(properties=["documentation", "detail"]) if lazy_completion else None
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(e) for e in encodings] if encodings else None
        ),
        text_document=types.TextDocumentClientCapabilities(
            completion=types.CompletionClientCapabilities(
                completion_item=types.ClientCompletionItemOptions(
                    snippet_support=True,
                    documentation_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText],
                    resolve_support=resolve,
                ),
                completion_list=completion_list,
            ),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            document_symbol=types.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True, version_support=True),
        ),
    )


async def end_session(client: LanguageClient) -> None:
    """Shuts the server down if the test did not; kills it if it does not go.

    pygls waits for the server process to exit on its own, so a test that failed before
    `shutdown` would otherwise hang in teardown."""
    server = client._server
    if server is None or server.returncode is not None:
        return
    if client.capabilities is not None and client.error is None:
        try:
            await asyncio.wait_for(client.shutdown_session(), timeout=10)
        except Exception:
            pass
    if server.returncode is None:
        server.kill()
        await server.wait()


@contextlib.asynccontextmanager
async def started_client(options: Any = None, env: dict | None = None, client_capabilities: types.ClientCapabilities | None = None,
                         workspace_folders: list[types.WorkspaceFolder] | None = None):
    """A pytest-lsp client on a server started with `env` added to this process's
    environment, initialized with `options` as initializationOptions and with
    `workspace_folders`."""
    require_binary()
    client = make_test_lsp_client()
    await client.start_io(*SERVER_COMMAND, env={**os.environ, **(env or {})})
    try:
        await client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities or capabilities(["utf-16"]), process_id=os.getpid(),
            initialization_options=options, workspace_folders=workspace_folders))
        yield client
    finally:
        await end_session(client)


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="jsonc", version=version, text=text)
        )
    )


async def publish_after(client: LanguageClient, action: Callable[[], None], uri: str,
                        version: int | None = None, timeout: float = 10.0) -> types.PublishDiagnosticsParams:
    """Runs `action` and returns the first `publishDiagnostics` for `uri` (and `version`)
    that follows it. The waiter is registered before the action, so nothing is missed."""
    deadline = time.monotonic() + timeout
    future = client.protocol.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    action()
    while True:
        params = await asyncio.wait_for(asyncio.wrap_future(future), max(0.01, deadline - time.monotonic()))
        if params.uri == uri and (version is None or params.version == version):
            return params
        future = client.protocol.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


def column(text: str, encoding: str) -> int:
    """The length of `text` in the units of a position encoding."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def position_of(text: str, needle: str, encoding: str = "utf-16", occurrence: int = 0) -> types.Position:
    """The position of the n-th occurrence of `needle` in `text`."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    before = text[:index]
    line = before.count("\n")
    line_start = before.rfind("\n") + 1
    return types.Position(line=line, character=column(text[line_start:index], encoding))


def range_of(text: str, needle: str, encoding: str = "utf-16", occurrence: int = 0) -> types.Range:
    start = position_of(text, needle, encoding, occurrence)
    return types.Range(start=start, end=types.Position(line=start.line, character=start.character + column(needle, encoding)))


# A health check the prober settles in one round.
FAST_HEALTH_CHECK = {"path": "/health", "interval": 1000, "timeout": 500, "healthyThreshold": 1, "unhealthyThreshold": 1}


def write_live_project(directory: Path, services: dict, rules: list) -> tuple[Path, str]:
    """`diddy-mesh.json` with `services` and `rules` and its registry bound to `MESH_KV`,
    which wrangler.toml maps to the wrangler-local namespace `mesh-ns`; returns its path and text."""
    (directory / "wrangler.toml").write_text('[[kv_namespaces]]\nbinding = "MESH_KV"\nid = "mesh-ns"\n')
    config = {
        "version": 1,
        "mesh": {"registry": {"binding": "MESH_KV"}},
        "services": services,
        "routing": {"rules": rules},
    }
    path = directory / "diddy-mesh.json"
    text = json.dumps(config, indent=2)
    path.write_text(text)
    return path, text


def plain(value: Any) -> Any:
    """A result as plain JSON, whatever objects the client library built from it."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)) and not hasattr(value, "_asdict"):
        return [plain(item) for item in value]
    if hasattr(value, "_asdict"):
        return {key: plain(item) for key, item in value._asdict().items()}
    if hasattr(value, "__dict__") and not isinstance(value, (str, int, float, bool)):
        return {key: plain(item) for key, item in vars(value).items()}
    return value


def lsp_ranges(value: Any) -> Any:
    """CLI JSON (`route --format json`) with its 1-based `{line, column}` positions made
    0-based LSP `{line, character}` positions (both count UTF-16 units)."""
    if isinstance(value, dict):
        if set(value) == {"line", "column"}:
            return {"line": value["line"] - 1, "character": value["column"] - 1}
        return {key: lsp_ranges(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lsp_ranges(item) for item in value]
    return value


# MARK: Raw byte-level driver


def frame(message: Any) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawServer:
    """`diddy-mesh lsp` driven byte by byte.

    A reader thread parses stdout strictly: anything that is not `Content-Length: N` framing
    around valid JSON fails the test, since stdout must carry protocol traffic only.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(require_binary()), "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.messages: "queue.Queue[dict]" = queue.Queue()
        self.received: list[dict] = []
        self.stdout_errors: list[str] = []
        self.stderr_lines: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = stream.read(1)
                if not byte:
                    if header:
                        self.stdout_errors.append(f"stdout ended inside a header: {header!r}")
                    return
                header += byte
            lines = header.decode("ascii", "replace").strip().split("\r\n")
            length = None
            for line in lines:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
                else:
                    self.stdout_errors.append(f"unexpected header line on stdout: {line!r}")
            if length is None:
                self.stdout_errors.append(f"no Content-Length on stdout: {header!r}")
                return
            body = stream.read(length)
            try:
                self.messages.put(json.loads(body))
            except ValueError:
                self.stdout_errors.append(f"stdout body is not JSON: {body[:200]!r}")

    def _read_stderr(self) -> None:
        stream = self.process.stderr
        assert stream is not None
        for line in stream:
            self.stderr_lines.append(line)

    def send(self, message: Any) -> None:
        self.send_raw(frame(message))

    def send_raw(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def request(self, id_: Any, method: str, params: Any = None) -> None:
        message = {"jsonrpc": "2.0", "id": id_, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def notify(self, method: str, params: Any = None) -> None:
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def initialize(self, encodings: list[str] | None = None, capabilities: dict | None = None) -> dict:
        caps: dict = dict(capabilities or {})
        if encodings:
            caps["general"] = {"positionEncodings": encodings}
        self.request(0, "initialize", {"processId": None, "rootUri": None, "capabilities": caps})
        response = self.response(0)
        self.notify("initialized", {})
        return response

    def wait_for(self, predicate: Callable[[dict], bool], timeout: float = 15.0) -> dict:
        for message in self.received:
            if predicate(message):
                return message
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; received: {json.dumps(self.received)[-2000:]}")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            self.received.append(message)
            if predicate(message):
                return message

    def response(self, id_: Any, timeout: float = 15.0) -> dict:
        return self.wait_for(lambda m: m.get("id") == id_ and "method" not in m, timeout)

    def null_id_errors(self, count: int, timeout: float = 15.0) -> list[dict]:
        """Waits until at least `count` error responses with a null id have arrived."""
        deadline = time.monotonic() + timeout
        while True:
            errors = [m for m in self.received if m.get("id", 0) is None and "error" in m]
            if len(errors) >= count:
                return errors
            try:
                self.received.append(self.messages.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"expected {count} null-id errors, got {errors}")

    def rss_kib(self) -> int:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def close_input(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    def wait(self, timeout: float = 15.0) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        # Drain what arrived before the end.
        while not self.messages.empty():
            self.received.append(self.messages.get())
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
