"""Live registry data in the editor, end to end: the real prober (`diddy-mesh health
probe`) checks local HTTP servers and writes the wrangler-local store; the language server
then shows those statuses and ages in hover and code lens, and publishes DM6xx after the
static diagnostics. A registry that hangs (the cloudflare backend pointed at a server that
never answers) still gets hover and code lens back within the deadline plus 100 ms."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from diddy_check import run
from lsp_harness import FAST_HEALTH_CHECK, open_document, position_of, publish_after, started_client, write_live_project


def live_client(options: dict, env: dict | None = None):
    """A client on a server with `options` as initializationOptions and `env` added."""
    return started_client(options, env)


def write_project(directory: Path, targets: dict) -> tuple[Path, str]:
    """A project whose `api` service has a healthy and a failing endpoint and whose `dead`
    service has only failing ones, with the KV binding in wrangler.toml."""
    health = FAST_HEALTH_CHECK
    return write_live_project(directory, {
        "api": {"endpoints": [{"url": targets["healthy"], "id": "good", "insecure": True},
                              {"url": targets["error"], "id": "bad", "insecure": True}], "healthCheck": health},
        "dead": {"endpoints": [{"url": targets["refused"], "insecure": True}], "healthCheck": health},
    }, [{"path": "/api/*", "service": "api"}, {"path": "/dead/*", "service": "dead"}])


def hover_text(hover: types.Hover | None) -> str:
    assert hover is not None
    contents = hover.contents
    return contents.value if isinstance(contents, types.MarkupContent) else str(contents)


@pytest.mark.asyncio
async def test_hover_and_code_lens_show_what_the_prober_wrote(tmp_path: Path, targets: dict):
    config, text = write_project(tmp_path, targets)
    probe = run("health", "probe", str(config), "--once", cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    uri = config.as_uri()
    async with live_client({}) as client:
        open_document(client, uri, text)
        on_rule = position_of(text, '"service": "api"', occurrence=0)
        on_name = types.Position(line=on_rule.line, character=on_rule.character + len('"service": "a'))
        hover = hover_text(await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=on_name)))
        assert "**service `api`**" in hover
        assert "**Live health** — wrangler-local namespace mesh-ns" in hover
        assert "1/2 healthy" in hover
        assert f"`{targets['healthy']}`: **healthy** · p50 " in hover
        assert f"`{targets['error']}`: **unhealthy** · " in hover
        assert "checked just now" in hover or " s ago" in hover
        assert "circuit closed" in hover

        on_url = position_of(text, targets["error"])
        endpoint = hover_text(await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=on_url)))
        assert f"**endpoint `{targets['error']}`** of service `api`" in endpoint
        assert "- status: **unhealthy**" in endpoint
        assert "- last error: status (HTTP 500)" in endpoint

        lenses = await client.text_document_code_lens_async(
            types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        titles = [lens.command.title for lens in lenses or [] if lens.command]
        assert "-> api · 1/2 healthy" in titles
        assert "-> dead · 0/1 healthy" in titles
        assert titles.count("1 rule routes here") == 2


@pytest.mark.asyncio
async def test_live_diagnostics_follow_the_static_ones(tmp_path: Path, targets: dict):
    config, text = write_project(tmp_path, targets)
    assert run("health", "probe", str(config), "--once", cwd=tmp_path).returncode == 0
    uri = config.as_uri()
    async with live_client({}) as client:
        first = await publish_after(client, lambda: open_document(client, uri, text), uri)
        static = [d.code for d in first.diagnostics]
        assert static and not any(code.startswith("DM6") for code in static), "the static diagnostics come first, without waiting"
        last = await next_publish(client, uri, lambda p: any(d.code == "DM602" for d in p.diagnostics))
        live = [d for d in last.diagnostics if d.code == "DM602"]
        assert len(live) == 1 and "service 'dead'" in live[0].message and "oldest record" in live[0].message
        assert live[0].severity == types.DiagnosticSeverity.Warning
        assert live[0].range.start == position_of(text, '"dead"', occurrence=0)

        # Switching live diagnostics off clears them.
        cleared = await publish_after(client, lambda: client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"diddyMesh": {"diagnostics": {"live": False}}})), uri)
        assert "DM602" in [d.code for d in cleared.diagnostics], "the static publish carries the last live findings"
        final = await next_publish(client, uri, lambda p: "DM602" not in [d.code for d in p.diagnostics])
        assert [d.code for d in final.diagnostics] == static


@pytest.mark.asyncio
async def test_a_comment_suppresses_a_live_finding_in_the_editor_and_in_check(tmp_path: Path, targets: dict):
    config, text = write_project(tmp_path, targets)
    assert run("health", "probe", str(config), "--once", cwd=tmp_path).returncode == 0
    uri = config.as_uri()
    suppressed = text.replace('    "dead": {', '    // diddy-mesh-ignore DM602: decommissioned next week\n    "dead": {', 1)
    assert suppressed != text
    async with live_client({}) as client:
        open_document(client, uri, text)
        await next_publish(client, uri, lambda p: any(d.code == "DM602" for d in p.diagnostics))
        # The comment takes effect with the edit, without waiting for the registry again,
        # and a live code's suppression is not reported as unused meanwhile.
        edited = await publish_after(client, lambda: client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=suppressed)])), uri)
        codes = [d.code for d in edited.diagnostics]
        assert "DM602" not in codes and "DM701" not in codes, codes
    config.write_text(suppressed)
    # check --live agrees: the finding is suppressed, counted, and carried in JSON with its reason.
    result = run("check", "--live", "--format", "json", str(config), cwd=tmp_path)
    document = json.loads(result.stdout)
    [file] = document["files"]
    assert "DM602" not in [d["code"] for d in file["diagnostics"]]
    assert [(d["code"], d["justification"]) for d in file["suppressed"]] == [("DM602", "decommissioned next week")]
    assert document["summary"]["suppressed"] == 1


async def next_publish(client: LanguageClient, uri: str, predicate, timeout: float = 10.0) -> types.PublishDiagnosticsParams:
    """The latest publishDiagnostics for `uri` if it satisfies `predicate`, else the next
    one that does."""
    latest = client.diagnostics.get(uri)
    if latest is not None and predicate(types.PublishDiagnosticsParams(uri=uri, diagnostics=latest)):
        return types.PublishDiagnosticsParams(uri=uri, diagnostics=latest)
    deadline = time.monotonic() + timeout
    while True:
        future = client.protocol.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        params = await asyncio.wait_for(asyncio.wrap_future(future), max(0.01, deadline - time.monotonic()))
        if params.uri == uri and predicate(params):
            return params


@pytest.mark.asyncio
async def test_a_hanging_registry_costs_at_most_the_deadline(tmp_path: Path, targets: dict):
    config, text = write_project(tmp_path, targets)
    uri = config.as_uri()
    options = {"registry": "cloudflare", "accountId": "a" * 32, "namespaceId": "b" * 32, "live": {"deadlineMs": 400}}
    env = {"CLOUDFLARE_API_TOKEN": "test-token-never-shown", "DIDDY_MESH_CLOUDFLARE_API_BASE": targets["hang"]}
    async with live_client(options, env) as client:
        open_document(client, uri, text)
        on_rule = position_of(text, '"service": "api"')
        on_name = types.Position(line=on_rule.line, character=on_rule.character + len('"service": "a'))
        params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=on_name)
        for attempt in range(2):
            started = time.monotonic()
            hover = hover_text(await client.text_document_hover_async(params))
            elapsed = time.monotonic() - started
            assert elapsed < 0.5, f"hover {attempt} took {elapsed * 1000:.0f} ms with a 400 ms deadline"
            assert "**service `api`**" in hover, "the static part is always there"
            assert "_Live health unavailable: timed out" in hover
            assert "test-token-never-shown" not in hover
        started = time.monotonic()
        lenses = await client.text_document_code_lens_async(
            types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri)))
        assert time.monotonic() - started < 0.5
        titles = [lens.command.title for lens in lenses or [] if lens.command]
        assert "-> api · live health: timed out" in titles


@pytest.mark.asyncio
async def test_a_new_wrangler_config_is_picked_up_when_the_client_reports_it(tmp_path: Path, targets: dict):
    config, text = write_project(tmp_path, targets)
    assert run("health", "probe", str(config), "--once", cwd=tmp_path).returncode == 0
    wrangler = tmp_path / "wrangler.toml"
    saved = wrangler.read_text()
    wrangler.unlink()
    uri = config.as_uri()
    async with live_client({"live": {"cacheSeconds": 600}}) as client:
        open_document(client, uri, text)
        on_rule = position_of(text, '"service": "api"')
        on_name = types.Position(line=on_rule.line, character=on_rule.character + len('"service": "a'))
        params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=on_name)
        before = hover_text(await client.text_document_hover_async(params))
        assert "_Live health unavailable: registry not configured: mesh.registry.binding is MESH_KV" in before
        wrangler.write_text(saved)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=wrangler.as_uri(), type=types.FileChangeType.Created)]))
        after = hover_text(await client.text_document_hover_async(params))
        assert "1/2 healthy" in after


def test_the_server_asks_to_watch_wrangler_configs_and_to_refresh_pulled_diagnostics(raw_server, tmp_path: Path, targets: dict):
    config, text = write_project(tmp_path, targets)
    assert run("health", "probe", str(config), "--once", cwd=tmp_path).returncode == 0
    uri = config.as_uri()
    raw_server.initialize(capabilities={"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True},
                                                      "diagnostics": {"refreshSupport": True}}})
    register = raw_server.wait_for(lambda m: m.get("method") == "client/registerCapability")
    [registration] = register["params"]["registrations"]
    assert registration["method"] == "workspace/didChangeWatchedFiles"
    assert registration["registerOptions"]["watchers"] == [{"globPattern": "**/wrangler.{toml,json,jsonc}"}]
    raw_server.send({"jsonrpc": "2.0", "id": register["id"], "result": None})

    raw_server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}})
    refresh = raw_server.wait_for(lambda m: m.get("method") == "workspace/diagnostic/refresh")
    assert "params" not in refresh
    raw_server.send({"jsonrpc": "2.0", "id": refresh["id"], "result": None})
    raw_server.request(1, "textDocument/diagnostic", {"textDocument": {"uri": uri}})
    pulled = raw_server.response(1)["result"]
    assert "DM602" in [item["code"] for item in pulled["items"]]
    raw_server.request(2, "textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": pulled["resultId"]})
    assert raw_server.response(2)["result"] == {"kind": "unchanged", "resultId": pulled["resultId"]}


def test_no_watch_request_to_a_client_that_cannot_watch(raw_server):
    raw_server.initialize()
    raw_server.request(1, "shutdown")
    raw_server.response(1)
    assert not [m for m in raw_server.received if m.get("method") == "client/registerCapability"]


@pytest.mark.asyncio
async def test_a_settings_change_leaves_requests_on_unchanged_text_to_finish(tmp_path: Path, targets: dict):
    config, text = write_project(tmp_path, targets)
    uri = config.as_uri()
    options = {"registry": "cloudflare", "accountId": "a" * 32, "namespaceId": "b" * 32, "live": {"deadlineMs": 600}}
    env = {"CLOUDFLARE_API_TOKEN": "test-token", "DIDDY_MESH_CLOUDFLARE_API_BASE": targets["hang"]}
    async with live_client(options, env) as client:
        open_document(client, uri, text)
        on_rule = position_of(text, '"service": "api"')
        on_name = types.Position(line=on_rule.line, character=on_rule.character + len('"service": "a'))
        # The hover waits for the hanging registry while the settings change under it.
        pending = asyncio.ensure_future(client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=on_name)))
        await asyncio.sleep(0.1)
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"diddyMesh": {**options, "live": {"deadlineMs": 300}}}))
        hover = hover_text(await pending)
        assert "**service `api`**" in hover, "answered, not cancelled as content modified"
        assert "took longer than 600 ms" in hover, "the hover was in flight under the old settings"


def write_cloudflare_project(directory: Path, account: str, namespace: str) -> tuple[Path, str]:
    """A repository whose config names a Cloudflare account and namespace itself."""
    config = {
        "version": 1,
        "mesh": {"registry": {"accountId": account, "namespaceId": namespace}},
        "services": {"api": {"endpoints": ["https://api.example.com"]}},
        "routing": {"default": "api"},
    }
    path = directory / "diddy-mesh.json"
    text = json.dumps(config, indent=2)
    path.write_text(text)
    return path, text


async def hover_on_service(client, uri: str, text: str) -> str:
    on_default = position_of(text, '"default": "api"')
    position = types.Position(line=on_default.line, character=on_default.character + len('"default": "a'))
    params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    return hover_text(await client.text_document_hover_async(params))


def requests_seen(base: str) -> int:
    import urllib.request

    return json.loads(urllib.request.urlopen(base + "/__stats", timeout=5).read())["requests"]


@pytest.mark.asyncio
async def test_the_token_goes_only_where_the_user_allowed(tmp_path: Path, targets: dict):
    """docs/security.md: ids written in a repository get the API token only once the user
    sets diddyMesh.allowCloudflare; ids that are not Cloudflare ids never reach the network."""
    import urllib.request

    api = targets["tracked"]  # stands in for the Cloudflare API and counts what reaches it
    env = {"CLOUDFLARE_API_TOKEN": "test-token-never-shown", "DIDDY_MESH_CLOUDFLARE_API_BASE": api}
    urllib.request.urlopen(api + "/__reset", timeout=5).read()
    config, text = write_cloudflare_project(tmp_path, "c" * 32, "d" * 32)
    async with live_client({}, env) as client:
        open_document(client, config.as_uri(), text)
        hover = await hover_on_service(client, config.as_uri(), text)
        assert "set diddyMesh.allowCloudflare to true in your editor's user settings" in hover
    assert requests_seen(api) == 0, "the token went to ids from the repository"

    (tmp_path / "hostile").mkdir()
    hostile, hostile_text = write_cloudflare_project(tmp_path / "hostile", "../../user/tokens/x", "d" * 32)
    async with live_client({"allowCloudflare": True}, env) as client:
        open_document(client, hostile.as_uri(), hostile_text)
        hover = await hover_on_service(client, hostile.as_uri(), hostile_text)
        assert "is not 32 hex digits; nothing was sent to Cloudflare" in hover
        assert requests_seen(api) == 0, "an id that is not a Cloudflare id reached the network"
        open_document(client, config.as_uri(), text)
        hover = await hover_on_service(client, config.as_uri(), text)
        assert "test-token-never-shown" not in hover
    assert requests_seen(api) >= 1, "allowed, the ids from the repository are used"
