"""A small synchronous LSP client for the documentation's editor examples: it starts
`diddy-mesh lsp`, opens one file, and returns what hover or code lens shows, as text.

Used by docs_examples.py for blocks such as ```markdown hover=diddy-mesh.jsonc@"api"
(hover at the first occurrence of `"api"` in the file, one character in) and
```text lenses=diddy-mesh.jsonc (every code lens as `line N: title`), ```text
hints=diddy-mesh.jsonc (every inlay hint as `line N: label`) and ```text
symbols=diddy-mesh.jsonc@QUERY (the workspace symbols for QUERY, the page's folder being the
workspace, as `name (container) file:line`).
"""

from __future__ import annotations

import json
import subprocess
import threading
import queue
from pathlib import Path
from typing import Any


class LanguageServer:
    """`diddy-mesh lsp` over stdio, driven one request at a time."""

    def __init__(self, binary: Path, cwd: Path, env: dict[str, str]):
        self.process = subprocess.Popen(
            [str(binary), "lsp"], cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 0
        self.request("initialize", {
            "processId": None,
            "rootUri": cwd.as_uri(),
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {"hover": {"contentFormat": ["markdown"]}},
            },
            "initializationOptions": {},
        })
        self.notify("initialized", {})

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length is None:
                continue
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 20.0) -> Any:
        """Sends a request and returns its result, answering the server's own requests
        (configuration, capability registration) with null on the way."""
        self.next_id += 1
        own = self.next_id
        self._send({"jsonrpc": "2.0", "id": own, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=timeout)
            if message is None:
                raise RuntimeError(f"the language server exited while answering {method}")
            if "method" in message and "id" in message:
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif message.get("id") == own:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result")

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()
            self.process.wait(timeout=5)


def position_of(text: str, needle: str) -> dict[str, int]:
    """The LSP position (UTF-16 columns) one character into the first `needle`."""
    offset = text.index(needle) + 1
    before = text[:offset]
    line = before.count("\n")
    column = before[before.rfind("\n") + 1:]
    return {"line": line, "character": len(column.encode("utf-16-le")) // 2}


def editor_view(binary: Path, cwd: Path, env: dict[str, str], kind: str, target: str) -> str:
    """What the editor shows: `kind` is `hover` (target `FILE@NEEDLE`), `lenses` or
    `hints` (target `FILE`), or `symbols` (target `FILE@QUERY`)."""
    file_name, _, needle = target.partition("@")
    path = (cwd / file_name).resolve()
    text = path.read_text(encoding="utf-8")
    server = LanguageServer(binary, cwd, env)
    try:
        document = {"uri": path.as_uri()}
        server.notify("textDocument/didOpen", {"textDocument": {**document, "languageId": "jsonc", "version": 1, "text": text}})
        if kind == "hover":
            result = server.request("textDocument/hover", {"textDocument": document, "position": position_of(text, needle)})
            contents = (result or {}).get("contents", "")
            return contents.get("value", "") if isinstance(contents, dict) else str(contents)
        if kind == "hints":
            end = {"line": text.count("\n") + 1, "character": 0}
            hints = server.request("textDocument/inlayHint", {
                "textDocument": document, "range": {"start": {"line": 0, "character": 0}, "end": end}}) or []
            return "\n".join(
                f"line {hint['position']['line'] + 1}: "
                + (hint["label"] if isinstance(hint["label"], str) else "".join(part["value"] for part in hint["label"]))
                for hint in sorted(hints, key=lambda hint: (hint["position"]["line"], hint["position"]["character"])))
        if kind == "symbols":
            symbols = server.request("workspace/symbol", {"query": needle}) or []
            lines = []
            for symbol in symbols:
                location = symbol["location"]
                where = Path(location["uri"].removeprefix("file://")).resolve().relative_to(cwd.resolve())
                line = location["range"]["start"]["line"] + 1 if "range" in location else "?"
                lines.append(f"{symbol['name']} ({symbol.get('containerName', '')}) {where}:{line}")
            return "\n".join(lines)
        lenses = server.request("textDocument/codeLens", {"textDocument": document}) or []
        lines = []
        for lens in sorted(lenses, key=lambda lens: (lens["range"]["start"]["line"], lens["range"]["start"]["character"])):
            if "command" not in lens or lens["command"] is None:
                lens = server.request("codeLens/resolve", lens)
            title = (lens.get("command") or {}).get("title", "")
            lines.append(f"line {lens['range']['start']['line'] + 1}: {title}")
        return "\n".join(lines)
    finally:
        server.close()
