"""`diddyMesh/whatRoutesHere` (request form) and the `diddy-mesh.whatRoutesHere` command:
the same trace as `diddy-mesh route --format json`, ranges in the negotiated encoding, on
the document's current (unsaved) text."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_harness import EXAMPLES, open_document, require_binary

SHOP = EXAMPLES / "shop" / "diddy-mesh.jsonc"
URI = SHOP.as_uri()
URL = "https://api.shop.example/api/users/42"
METHOD = "diddyMesh/whatRoutesHere"
COMMAND = "diddy-mesh.whatRoutesHere"


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


def cli_trace() -> dict:
    """`route --format json` for the request, ranges made 0-based like LSP (UTF-16 both)."""
    result = subprocess.run(
        [str(require_binary()), "route", str(SHOP), "--url", URL, "--continent", "EU", "--format", "json"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr

    def normalize(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"line", "column"}:
                return {"line": value["line"] - 1, "character": value["column"] - 1}
            return {key: normalize(item) for key, item in value.items()}
        if isinstance(value, list):
            return [normalize(item) for item in value]
        return value

    return normalize(json.loads(result.stdout))


def params(continent: str = "EU") -> dict:
    return {"textDocument": {"uri": URI}, "request": {"url": URL, "cf": {"continent": continent}}}


@pytest.mark.asyncio
async def test_request_and_command_equal_the_cli_trace(lsp_session: LanguageClient):
    open_document(lsp_session, URI, SHOP.read_text())
    expected = cli_trace()
    result = plain(await lsp_session.protocol.send_request_async(METHOD, params()))
    assert result == expected
    assert result["rule"]["name"] == "users"
    via_command = plain(await lsp_session.workspace_execute_command_async(
        types.ExecuteCommandParams(command=COMMAND, arguments=[params()])))
    assert via_command == expected


@pytest.mark.asyncio
async def test_unsaved_edit_is_routed(lsp_session: LanguageClient):
    text = SHOP.read_text()
    open_document(lsp_session, URI, text)
    needle = '"name": "users"'
    line = next(index for index, content in enumerate(text.splitlines()) if needle in content)
    character = text.splitlines()[line].index(needle) + len('"name": "')
    lsp_session.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=line, character=character),
                              end=types.Position(line=line, character=character + len("users"))),
            text="people",
        )],
    ))
    result = plain(await lsp_session.protocol.send_request_async(METHOD, params()))
    assert result["rule"]["name"] == "people"
    expected = cli_trace()
    expected["rule"]["name"] = "people"
    end = expected["rule"]["range"]["end"]
    if end["line"] == line:
        end["character"] += len("people") - len("users")
    assert result == expected
    assert SHOP.read_text() == text


@pytest.mark.asyncio
async def test_bad_requests_are_invalid_params(lsp_session: LanguageClient):
    open_document(lsp_session, URI, SHOP.read_text())
    with pytest.raises(Exception) as missing:
        await lsp_session.protocol.send_request_async(METHOD, {"textDocument": {"uri": URI}, "request": {}})
    assert getattr(missing.value, "code", None) == -32602
    assert "params.request.url is required" in str(missing.value)
    with pytest.raises(Exception) as invalid:
        await lsp_session.protocol.send_request_async(METHOD, {"textDocument": {"uri": URI}, "request": {"url": "no url"}})
    assert getattr(invalid.value, "code", None) == -32602
    assert str(invalid.value).startswith("invalid request URL: ")
