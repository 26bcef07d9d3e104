"""`diddyMesh/whatRoutesHere` (request and position forms) and the `diddy-mesh.whatRoutesHere` command:
the same trace as `diddy-mesh route --format json`, ranges in the negotiated encoding, on
the document's current (unsaved) text."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_harness import EXAMPLES, RawServer, lsp_ranges, open_document, plain, position_of, range_of, require_binary

SHOP = EXAMPLES / "shop" / "diddy-mesh.jsonc"
URI = SHOP.as_uri()
URL = "https://api.shop.example/api/users/42"
METHOD = "diddyMesh/whatRoutesHere"
COMMAND = "diddy-mesh.whatRoutesHere"


def cli_trace() -> dict:
    """`route --format json` for the request, ranges made 0-based like LSP (UTF-16 both)."""
    result = subprocess.run(
        [str(require_binary()), "route", str(SHOP), "--url", URL, "--continent", "EU", "--format", "json"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr

    return lsp_ranges(json.loads(result.stdout))


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


# MARK: Position forms


def cli_route(request: dict) -> dict:
    """`diddy-mesh route --format json` for a witness's request: a second, independent
    process confirming where the router sends it."""
    arguments = [str(require_binary()), "route", str(SHOP), "--url", request["url"], "--method", request["method"], "--format", "json"]
    for name, value in (request.get("headers") or {}).items():
        arguments += ["--header", f"{name}: {value}"]
    for field, flag in (("colo", "--colo"), ("country", "--country"), ("continent", "--continent")):
        if field in request.get("cf", {}):
            arguments += [flag, request["cf"][field]]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def at(text: str, needle: str, encoding: str = "utf-16", offset: int = 0) -> dict:
    """Position params `offset` units into the first occurrence of `needle`."""
    position = position_of(text, needle, encoding)
    return {"textDocument": {"uri": URI}, "position": {"line": position.line, "character": position.character + offset}}


def as_json(range_: types.Range) -> dict:
    return {"start": {"line": range_.start.line, "character": range_.start.character},
            "end": {"line": range_.end.line, "character": range_.end.character}}


def ask_raw(server: RawServer, params: dict) -> Any:
    """The result of one request on the byte-level driver: plain JSON exactly as the
    server wrote it (the pytest-lsp client turns keys such as `x-preview` into tuple
    fields, which loses header names)."""
    ask_raw.counter += 1  # type: ignore[attr-defined]
    server.request(ask_raw.counter, METHOD, params)  # type: ignore[attr-defined]
    response = server.response(ask_raw.counter)  # type: ignore[attr-defined]
    assert "error" not in response, response
    return response["result"]


ask_raw.counter = 100  # type: ignore[attr-defined]


def open_raw(server: RawServer, text: str) -> None:
    server.initialize(["utf-16"])
    server.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "jsonc", "version": 1, "text": text}})


def rule_line(text: str, name: str) -> str:
    """The one-line rule object named `name`, as written."""
    line = next(content for content in text.splitlines() if f'"name": "{name}"' in content)
    return line.strip().rstrip(",")


@pytest.mark.asyncio
async def test_rule_form_examples_reach_the_rule(lsp_session: LanguageClient):
    text = SHOP.read_text()
    open_document(lsp_session, URI, text)
    result = plain(await lsp_session.protocol.send_request_async(METHOD, at(text, '"stickyBy"')))
    assert result["rule"]["name"] == "catalog canary"
    assert result["unreachable"] is False
    assert result["shadowedBy"] == []
    assert 1 <= len(result["examples"]) <= 3
    for example in result["examples"]:
        assert example["rule"]["index"] == 3
        assert cli_route(example["request"])["rule"]["index"] == 3
        replay = plain(await lsp_session.protocol.send_request_async(
            METHOD, {"textDocument": {"uri": URI}, "request": example["request"]}))
        assert replay == example


@pytest.mark.asyncio
async def test_rule_form_on_an_unsaved_shadowed_rule(encoded_session: LanguageClient):
    encoding = encoded_session.negotiated_encoding  # type: ignore[attr-defined]
    text = SHOP.read_text()
    users = rule_line(text, "users")
    # A rule the broader, earlier "users" rule shadows, typed after a non-ASCII comment.
    shadowed = '{ "name": "user by id", "path": "/api/users/:id", "methods": ["GET"], "service": "user-service" }'
    edited = text.replace(users + ",", users + ",\n      /* ü→𝄞 */ " + shadowed + ",", 1)
    open_document(encoded_session, URI, edited)
    result = plain(await encoded_session.protocol.send_request_async(METHOD, at(edited, '"user by id"', encoding, 3)))
    assert result["rule"]["name"] == "user by id"
    assert result["rule"]["range"] == as_json(range_of(edited, shadowed, encoding))
    assert result["unreachable"] is True
    assert result["examples"] == []
    assert [entry["rule"]["name"] for entry in result["shadowedBy"]] == ["users"]
    witness = result["shadowedBy"][0]["witness"]
    assert witness["rule"]["name"] == "users"
    assert witness["rule"]["range"] == as_json(range_of(edited, users, encoding))
    assert witness["request"]["method"] == "GET"
    assert witness["request"]["path"].startswith("/api/users/")
    assert SHOP.read_text() == text


def test_service_form_forces_the_sticky_canary_branch(raw_server: RawServer):
    text = SHOP.read_text()
    open_raw(raw_server, text)
    result = ask_raw(raw_server, at(text, '"catalog-next": {', offset=2))
    assert result["service"]["name"] == "catalog-next"
    assert result["service"]["range"] == as_json(range_of(text, '"catalog-next"', occurrence=0))
    [route] = result["routes"]
    assert (route["via"], route["branch"], route["weight"], route["drawn"], route["unreachable"]) == ("split", 1, 10, "sticky", False)
    request = route["witness"]["request"]
    assert request["headers"]["cookie"].startswith("session=")
    routed = cli_route(request)
    assert routed["split"]["chosen"] == "catalog-next"
    assert routed["split"]["reason"].startswith("sticky by cookie:session")


def test_service_form_lists_split_fallback_and_default_routes(raw_server: RawServer):
    text = SHOP.read_text()
    open_raw(raw_server, text)
    catalog = ask_raw(raw_server, at(text, '"service": "catalog"', offset=13))
    assert catalog["service"]["name"] == "catalog"
    assert [(route["via"], route.get("branch"), route.get("fallbackFrom")) for route in catalog["routes"]] == [
        ("split", 0, None), ("fallback", 1, "catalog-next")]
    fallback = catalog["routes"][1]
    assert fallback["assumes"] == "every endpoint of 'catalog-next' is unhealthy"
    assert fallback["witness"]["split"]["chosen"] == "catalog-next"
    assert fallback["witness"]["fallback"] == {"service": "catalog"}
    assert fallback["witness"]["endpoint"].startswith("https://catalog-")

    storefront = ask_raw(raw_server, at(text, '"default": "storefront"', offset=13))
    assert [(route["via"], route["rule"] and route["rule"]["name"]) for route in storefront["routes"]] == [
        ("service", "eu preview"), ("default", None)]
    for route in storefront["routes"]:
        routed = cli_route(route["witness"]["request"])
        assert routed["service"] == "storefront"
        assert routed["outcome"] == ("routed" if route["rule"] else "default")
    preview = storefront["routes"][0]["witness"]["request"]
    assert "x-preview" in preview["headers"]
    assert preview["cf"]["continent"] == "EU"


@pytest.mark.asyncio
async def test_position_on_nothing_is_null_and_the_command_agrees(lsp_session: LanguageClient):
    text = SHOP.read_text()
    open_document(lsp_session, URI, text)
    nothing = at(text, '"observability"')
    assert await lsp_session.protocol.send_request_async(METHOD, nothing) is None
    via_command = await lsp_session.workspace_execute_command_async(
        types.ExecuteCommandParams(command=COMMAND, arguments=[nothing]))
    assert via_command is None
    on_rule = at(text, '"timeout": 9000')
    direct = plain(await lsp_session.protocol.send_request_async(METHOD, on_rule))
    assert direct["rule"]["name"] == "orders"
    assert plain(await lsp_session.workspace_execute_command_async(
        types.ExecuteCommandParams(command=COMMAND, arguments=[on_rule]))) == direct
    with pytest.raises(Exception) as neither:
        await lsp_session.protocol.send_request_async(METHOD, {"textDocument": {"uri": URI}})
    assert getattr(neither.value, "code", None) == -32602
