#!/usr/bin/env python3
"""Writes the seed corpus of the language-server fuzz target into Fuzz/corpus/.

Each seed is one fuzz input: a control byte (see Fuzz/diddy-mesh-fuzz/FuzzInput.swift:
bits 0-1 pick a session prefix -- 0 none, 1 initialize, 2 initialize + didOpen of the
sample config, 3 the same with UTF-8 positions; bits 2-4 the read size; bit 5 throttled
diagnostics; bit 6 framed mode) followed by the framed bytes a client sends or, in framed
mode, by the message bodies separated by NUL bytes (the `framed-*` seeds). The seeds are committed; run
this again after changing them (`python3 Fuzz/make_seed_corpus.py`) and commit the result.
"""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"

# The URI of the document the prefixes 2 and 3 open (SessionPrefix.documentURI).
SAMPLE = "file:///diddy-mesh-fuzz/diddy-mesh.jsonc"
OTHER = "file:///diddy-mesh-fuzz/other.mesh.json"

# Control bytes: prefix | read size index << 2 | throttle << 5.
NONE, INIT, OPEN, OPEN_UTF8 = 0, 1, 2, 3
BYTE_READS, THREE_BYTE_READS, SEVEN_BYTE_READS = 1 << 2, 3 << 2, 4 << 2
THROTTLED = 1 << 5
FRAMED = 1 << 6

# The seeds that also get a framed-mode twin, so that mutations of their JSON keep a
# correct Content-Length and reach the handlers.
FRAMED_TWINS = ["lifecycle", "didopen-config-with-errors", "didchange-incremental", "hover", "completion",
                "what-routes-here", "navigation", "cancel", "close-save-configure", "utf8-text", "invalid-json-rpc"]

BROKEN_CONFIG = """// A config with errors of most kinds.
{
  "version": 2,
  "mesh": { "name": "broken", "defaults": { "timeout": 45000 } },
  "services": {
    "Storefront_API": { "endpoints": ["storefront.example.workers.dev", "http://x.example.workers.dev"] },
    "user-service": {
      "endpoints": [
        { "url": "https://users-1.example.workers.dev", "region": "EU-CENTRAL" },
        { "url": "https://USERS-1.example.workers.dev/" }
      ],
      "timout": 3000,
      "healthCheck": { "path": "/health", "interval": 5000, "timeout": 5000 }
    },
    "search": { "endpoints": ["https://search.example.workers.dev"], "loadBalancer": "geographic" },
    "legacy": { "endpoints": ["https://legacy.example.workers.dev"] }
  },
  "routing": {
    "rules": [
      { "path": "/api/*", "service": "user-servce" },
      { "path": "/api/users/*", "service": "user-service", "stripPrefix": "/v1" },
      { "path": "/api/*", "service": "user-service" },
      { "path": "/pay", "methods": ["POST"], "service": "search", "retries": 3 },
      { "path": "/ab/*", "split": [{ "service": "search", "weight": 0 }, { "service": "search", "weight": 10 }] }
    ],
    "default": "nowhere",
  },
  "services": {}
}
"""


def frame(message: object) -> bytes:
    body = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def request(id_: object, method: str, params: object = None) -> bytes:
    message = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        message["params"] = params
    return frame(message)


def notify(method: str, params: object = None) -> bytes:
    message = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        message["params"] = params
    return frame(message)


def at(line: int, character: int, uri: str = SAMPLE) -> dict:
    return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}


def initialize(encodings: list[str] | None = None, options: object = None) -> bytes:
    capabilities: dict = {"textDocument": {"hover": {"contentFormat": ["markdown"]}}}
    if encodings:
        capabilities["general"] = {"positionEncodings": encodings}
    params: dict = {"processId": None, "rootUri": None, "capabilities": capabilities}
    if options is not None:
        params["initializationOptions"] = options
    return request(0, "initialize", params) + notify("initialized", {})


def open_doc(uri: str, text: str, version: int = 1) -> bytes:
    return notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "jsonc", "version": version, "text": text}})


def change(uri: str, version: int, *changes: dict) -> bytes:
    return notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": list(changes)})


def edit(start: tuple[int, int], end: tuple[int, int], text: str) -> dict:
    return {"range": {"start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}}, "text": text}


def shutdown_exit(id_: int = 99) -> bytes:
    return request(id_, "shutdown") + notify("exit")


SEEDS: dict[str, tuple[int, bytes]] = {
    "lifecycle": (NONE, initialize(["utf-32", "utf-16"]) + shutdown_exit(1)),
    "requests-before-initialize": (NONE, request(1, "textDocument/hover", at(0, 0)) + notify("textDocument/didOpen", {}) + initialize() + request(2, "initialize", {})),
    "after-shutdown": (INIT, request(1, "shutdown") + request(2, "textDocument/hover", at(0, 0)) + notify("exit")),
    "didopen-config-with-errors": (INIT, open_doc(OTHER, BROKEN_CONFIG) + request(1, "textDocument/diagnostic", {"textDocument": {"uri": OTHER}})
                                   + request(2, "textDocument/codeAction", {"textDocument": {"uri": OTHER}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 30, "character": 0}}, "context": {"diagnostics": []}})),
    "didchange-incremental": (OPEN, change(SAMPLE, 2, edit((6, 4), (6, 7), "apx"), edit((0, 0), (0, 0), "// edited\n"))
                              + change(SAMPLE, 3, {"text": "{\"services\": {\"a\": {}}}"}) + request(1, "textDocument/hover", at(0, 15))),
    "didchange-throttled": (OPEN | THROTTLED, b"".join(change(SAMPLE, v, edit((1, 0), (1, 0), "x")) for v in range(2, 8)) + request(1, "textDocument/documentSymbol", {"textDocument": {"uri": SAMPLE}})),
    "hover": (OPEN, b"".join(request(i, "textDocument/hover", at(line, ch)) for i, (line, ch) in enumerate([(6, 6), (6, 30), (15, 54), (16, 82), (9, 25), (6, 65), (16, 63), (4, 5), (200, 0)], 1))),
    "completion": (OPEN_UTF8, b"".join(request(i, "textDocument/completion", at(line, ch)) for i, (line, ch) in enumerate([(15, 53), (16, 81), (17, 86), (19, 16), (9, 23), (8, 78), (16, 62), (6, 14), (0, 0)], 1))),
    "what-routes-here": (OPEN, request(1, "diddyMesh/whatRoutesHere", at(15, 20)) + request(2, "diddyMesh/whatRoutesHere", at(6, 6))
                         + request(3, "diddyMesh/whatRoutesHere", {"textDocument": {"uri": SAMPLE}, "request": {"method": "GET", "url": "https://x.example.com/api/users/1", "headers": {"x-a": "b"}, "cf": {"continent": "EU"}}})
                         + request(4, "workspace/executeCommand", {"command": "diddy-mesh.whatRoutesHere", "arguments": [at(16, 10)]})
                         + request(5, "diddyMesh/whatRoutesHere", {"textDocument": {"uri": SAMPLE}})),
    "navigation": (OPEN, request(1, "textDocument/definition", at(15, 54)) + request(2, "textDocument/references", {**at(6, 6), "context": {"includeDeclaration": True}})
                   + request(3, "textDocument/documentHighlight", at(6, 6)) + request(4, "textDocument/prepareRename", at(6, 6))
                   + request(5, "textDocument/rename", {**at(6, 6), "newName": "gateway"}) + request(6, "textDocument/formatting", {"textDocument": {"uri": SAMPLE}, "options": {"tabSize": 2, "insertSpaces": True}})),
    "cancel": (OPEN, request(1, "diddyMesh/whatRoutesHere", at(15, 20)) + notify("$/cancelRequest", {"id": 1}) + request("s", "textDocument/hover", at(6, 6))
               + notify("$/cancelRequest", {"id": "s"}) + notify("$/cancelRequest", {"id": 404})),
    "edit-while-in-flight": (OPEN, request(1, "diddyMesh/whatRoutesHere", at(16, 20)) + change(SAMPLE, 2, edit((2, 0), (2, 0), " ")) + request(1, "textDocument/hover", at(6, 6))),
    "close-save-configure": (OPEN, notify("textDocument/didSave", {"textDocument": {"uri": SAMPLE}}) + notify("workspace/didChangeConfiguration", {"settings": {"diddyMesh": {"registry": "off", "diagnostics": {"live": False}}}})
                             + notify("textDocument/didClose", {"textDocument": {"uri": SAMPLE}}) + request(1, "textDocument/hover", at(6, 6)) + notify("$/setTrace", {"value": "off"})),
    "utf8-text": (OPEN_UTF8, open_doc(OTHER, '{"services": {"caf\u00e9": {"endpoints": ["https://\u00fc.example.workers.dev"]}}, "routing": {"default": "caf\u00e9 \U0001F600"}}')
                  + request(1, "textDocument/hover", at(0, 17, OTHER)) + change(OTHER, 2, edit((0, 14), (0, 18), "\U0001F600")) + request(2, "textDocument/completion", at(0, 90, OTHER))),
    "utf16-surrogates-read-bytewise": (OPEN | BYTE_READS, change(SAMPLE, 2, edit((1, 3), (1, 4), "\U0001F600\u00e9")) + request(1, "textDocument/hover", at(1, 4))),
    "garbage-headers": (INIT, b"\x00\xff\xfegarbage \x1b[31m\r\n\r\n" + b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}"
                        + b"Content-Length 12\r\n\r\n" + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}" + b"X: y\r\ncontent-LENGTH:  2 \r\n\r\n{}"
                        + b"#!%&*" * 40 + b"\r\n\r\n" + request(1, "textDocument/hover", at(0, 0))),
    "huge-length": (INIT | SEVEN_BYTE_READS, b"Content-Length: -12\r\n\r\n" + b"Content-Length: 99999999999999999999999\r\n\r\n" + b"Content-Length: 1e9\r\n\r\n"
                    + b"Content-Length: 67108865\r\n\r\n{}" + request(1, "shutdown") + b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 2, \"met"),
    "invalid-json-rpc": (INIT, frame([1, 2]) + frame({"jsonrpc": "1.0", "id": 1, "method": "x"}) + frame({"jsonrpc": "2.0", "id": None, "method": "x"})
                         + frame({"jsonrpc": "2.0", "id": 1.5, "method": "x"}) + frame({"jsonrpc": "2.0", "id": 2, "method": 7}) + frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": "s"})
                         + frame({"jsonrpc": "2.0", "id": 4}) + frame({"jsonrpc": "2.0", "id": 5, "result": None}) + b"Content-Length: 9\r\n\r\n{\"a\":tru}"
                         + request(6, "no/such/method") + notify("no/such/notification") + request(7, "textDocument/hover", {"textDocument": {"uri": 5}, "position": {"line": -1, "character": "x"}})),
    "deep-nesting": (INIT, b"Content-Length: 1200\r\n\r\n" + b"[" * 600 + b"]" * 600 + request(1, "textDocument/hover", {"textDocument": {"uri": SAMPLE}, "position": {"line": 0, "character": 0}, "x": json.loads("[" * 100 + "]" * 100)})),
    "many-documents": (INIT | THREE_BYTE_READS, b"".join(open_doc(f"file:///diddy-mesh-fuzz/d{i}.mesh.jsonc", '{"services": {"s%d": {}}, "routing": {"default": "s%d"}}' % (i, i)) for i in range(4))
                       + b"".join(request(i, "textDocument/documentSymbol", {"textDocument": {"uri": f"file:///diddy-mesh-fuzz/d{i}.mesh.jsonc"}}) for i in range(4))),
    "live-settings-off": (NONE, initialize(["utf-8"], {"registry": "off", "live": {"deadlineMs": 5}}) + open_doc(OTHER, '{"services": {"a": {}}}') + request(1, "textDocument/hover", at(0, 15, OTHER))),
}


def bodies(stream: bytes) -> list[bytes]:
    """The bodies of a stream of well-framed messages."""
    found = []
    while stream:
        header, _, rest = stream.partition(b"\r\n\r\n")
        length = int(header.split(b":")[1])
        found.append(rest[:length])
        stream = rest[length:]
    return found


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    seeds = {name: bytes([control]) + stream for name, (control, stream) in SEEDS.items()}
    for name in FRAMED_TWINS:
        control, stream = SEEDS[name]
        seeds["framed-" + name] = bytes([control | FRAMED]) + b"\0".join(bodies(stream))
    for name, data in seeds.items():
        (CORPUS / name).write_bytes(data)
    print(f"wrote {len(seeds)} seeds to {CORPUS}")


if __name__ == "__main__":
    main()
