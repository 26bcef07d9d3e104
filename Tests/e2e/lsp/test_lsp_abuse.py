"""Protocol abuse against the real binary: every bad input gets the right JSON-RPC error
(or is skipped), the server keeps serving, never crashes, and memory stays bounded."""

from __future__ import annotations

import time

from lsp_harness import RawServer, frame

DOC = "file:///e2e/abuse/mesh.jsonc"


def still_serving(server: RawServer, id_: int) -> None:
    """A request after the abuse is answered normally."""
    server.request(id_, "textDocument/hover", {"textDocument": {"uri": DOC}, "position": {"line": 0, "character": 1}})
    response = server.response(id_)
    assert "error" not in response, response


def open_doc(server: RawServer, text: str = '{"services": {"a": {}}, "routing": {"default": "a"}}') -> None:
    server.notify("textDocument/didOpen", {"textDocument": {"uri": DOC, "languageId": "jsonc", "version": 1, "text": text}})


def test_garbage_bytes(raw_server: RawServer):
    raw_server.send_raw(b"\x00\xff\xfegarbage \x1b[31m\r\n\r\n")
    raw_server.initialize()
    raw_server.send_raw(b"#!%&*" * 1000 + b"\r\n\r\n")
    open_doc(raw_server)
    still_serving(raw_server, 1)
    errors = raw_server.null_id_errors(2)
    assert all(e["error"]["code"] == -32700 for e in errors)


def test_header_without_length(raw_server: RawServer):
    raw_server.initialize()
    raw_server.send_raw(b'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"jsonrpc":"2.0","id":77,"method":"shutdown"}')
    open_doc(raw_server)
    still_serving(raw_server, 1)
    assert raw_server.null_id_errors(1)[0]["error"]["code"] == -32700
    assert not any(m.get("id") == 77 for m in raw_server.received), "the unframed request must not run"


def test_negative_and_huge_lengths(raw_server: RawServer):
    raw_server.initialize()
    raw_server.send_raw(b"Content-Length: -12\r\n\r\n")
    raw_server.send_raw(b"Content-Length: 99999999999999\r\n\r\n")
    raw_server.send_raw(b"Content-Length: 1e9\r\n\r\n")
    open_doc(raw_server)
    still_serving(raw_server, 1)
    errors = raw_server.null_id_errors(3)
    assert {e["error"]["code"] for e in errors} == {-32700}
    assert any("exceeds" in e["error"]["message"] for e in errors)


def test_truncated_body_then_eof(raw_server: RawServer):
    raw_server.initialize()
    raw_server.request(1, "shutdown")
    raw_server.response(1)
    raw_server.send_raw(b'Content-Length: 500\r\n\r\n{"jsonrpc": "2.0", "id": 2, "met')
    raw_server.close_input()
    assert raw_server.wait(timeout=10) == 0


def test_truncated_body_then_eof_without_shutdown(raw_server: RawServer):
    raw_server.initialize()
    raw_server.send_raw(b'Content-Length: 500\r\n\r\n{"jsonrpc"')
    raw_server.close_input()
    assert raw_server.wait(timeout=10) == 1


def test_invalid_json(raw_server: RawServer):
    raw_server.initialize()
    for body in [b'{"jsonrpc": "2.0", "id": 1,', b"\xff\xfe", b"[1, 2", b'{"a": 1} trailing', b"null"]:
        raw_server.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    open_doc(raw_server)
    still_serving(raw_server, 1)
    errors = raw_server.null_id_errors(5)
    assert sorted(e["error"]["code"] for e in errors) == [-32700, -32700, -32700, -32700, -32600]


def test_unknown_methods(raw_server: RawServer):
    raw_server.initialize()
    raw_server.request(1, "textDocument/teleport", {})
    raw_server.notify("textDocument/teleported", {})
    raw_server.notify("$/somethingOptional", {})
    assert raw_server.response(1)["error"]["code"] == -32601
    open_doc(raw_server)
    still_serving(raw_server, 2)


def test_wrong_param_types(raw_server: RawServer):
    raw_server.initialize()
    open_doc(raw_server)
    bad = [
        ("textDocument/hover", {"textDocument": {"uri": DOC}, "position": {"line": "1", "character": 0}}),
        ("textDocument/hover", {"textDocument": "mesh.jsonc", "position": {"line": 0, "character": 0}}),
        ("textDocument/completion", {"textDocument": {"uri": DOC}}),
        ("textDocument/rename", {"textDocument": {"uri": DOC}, "position": {"line": 0, "character": 2}, "newName": None}),
        ("textDocument/formatting", {"textDocument": {"uri": DOC}, "options": []}),
        ("textDocument/hover", [1, 2, 3]),
        ("textDocument/hover", "params"),
    ]
    for n, (method, params) in enumerate(bad, start=1):
        raw_server.request(n, method, params)
    for n in range(1, len(bad) + 1):
        assert raw_server.response(n)["error"]["code"] == -32602, n
    # A malformed notification is logged, not answered, and the document survives.
    raw_server.notify("textDocument/didChange", {"textDocument": {"uri": DOC}, "contentChanges": "all of it"})
    still_serving(raw_server, 100)


def test_requests_before_initialize_and_after_shutdown(raw_server: RawServer):
    raw_server.request(1, "textDocument/hover", {"textDocument": {"uri": DOC}, "position": {"line": 0, "character": 0}})
    raw_server.request(2, "shutdown")
    assert raw_server.response(1)["error"]["code"] == -32002
    assert raw_server.response(2)["error"]["code"] == -32002
    raw_server.initialize()
    raw_server.request(3, "shutdown")
    assert raw_server.response(3)["result"] is None
    raw_server.request(4, "textDocument/hover", {"textDocument": {"uri": DOC}, "position": {"line": 0, "character": 0}})
    raw_server.request(5, "initialize", {"capabilities": {}})
    assert raw_server.response(4)["error"]["code"] == -32600
    assert raw_server.response(5)["error"]["code"] == -32600
    raw_server.notify("exit")
    assert raw_server.wait() == 0


def test_flood_of_ten_thousand_did_change(raw_server: RawServer):
    raw_server.initialize()
    text = '{"services": {"a": {"timeout": 1000}}, "routing": {"default": "a"}}'
    open_doc(raw_server, text)
    still_serving(raw_server, 1)
    before = raw_server.rss_kib()
    column = text.index("1000")
    started = time.monotonic()
    batch = []
    for version in range(2, 10_002):
        digit = str(version % 9 + 1)
        batch.append({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": DOC, "version": version},
            "contentChanges": [{"range": {"start": {"line": 0, "character": column},
                                          "end": {"line": 0, "character": column + 1}}, "text": digit}],
        }})
        if len(batch) == 500:
            raw_server.send_raw(b"".join(frame(m) for m in batch))
            batch = []
    raw_server.request(2, "textDocument/diagnostic", {"textDocument": {"uri": DOC}})
    report = raw_server.response(2, timeout=60)
    elapsed = time.monotonic() - started
    assert report["result"]["kind"] == "full"
    assert report["result"]["items"] == []
    # The last version's diagnostics are published; intermediate ones were debounced away.
    last = raw_server.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                               and m["params"].get("version") == 10_001, timeout=30)
    assert last["params"]["diagnostics"] == []
    publishes = [m for m in raw_server.received if m.get("method") == "textDocument/publishDiagnostics"]
    assert len(publishes) < 5_000
    after = raw_server.rss_kib()
    assert after < 200 * 1024, f"RSS {after} KiB after the flood"
    assert after - before < 64 * 1024, f"RSS grew from {before} to {after} KiB"
    assert elapsed < 60
    # The text is what 10,000 edits made it: the first digit of the timeout is (10001 % 9 + 1).
    raw_server.request(3, "textDocument/hover", {"textDocument": {"uri": DOC}, "position": {"line": 0, "character": column}})
    assert "timeout" in raw_server.response(3)["result"]["contents"]["value"]
    raw_server.request(4, "shutdown")
    raw_server.response(4)
    raw_server.notify("exit")
    assert raw_server.wait() == 0
