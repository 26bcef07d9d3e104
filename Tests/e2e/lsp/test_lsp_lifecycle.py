"""Lifecycle through a real client, and exit codes."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_harness import RawServer, capabilities


@pytest.mark.asyncio
async def test_initialize_reports_name_version_and_capabilities(bare_client: LanguageClient):
    lsp_client = bare_client
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities()))
    assert result.server_info is not None
    assert result.server_info.name == "diddy-mesh"
    assert result.server_info.version
    caps = result.capabilities
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert list(caps.completion_provider.trigger_characters) == ['"']
    assert caps.hover_provider and caps.definition_provider and caps.references_provider
    assert caps.rename_provider.prepare_provider
    assert caps.document_formatting_provider and caps.document_symbol_provider
    assert caps.diagnostic_provider is not None
    await lsp_client.shutdown_session()
    assert lsp_client._server.returncode == 0


def test_shutdown_then_exit_is_status_0(raw_server: RawServer):
    raw_server.initialize()
    raw_server.request(1, "shutdown")
    assert raw_server.response(1)["result"] is None
    raw_server.notify("exit")
    assert raw_server.wait() == 0


def test_exit_without_shutdown_is_status_1(raw_server: RawServer):
    raw_server.initialize()
    raw_server.notify("exit")
    assert raw_server.wait() == 1


def test_end_of_input_without_shutdown_is_status_1(raw_server: RawServer):
    raw_server.initialize()
    raw_server.close_input()
    assert raw_server.wait() == 1


def test_logs_go_to_stderr_and_window_log_message_never_stdout(raw_server: RawServer):
    raw_server.initialize()
    raw_server.send_raw(b"Content-Length: 5\r\n\r\nnope!")
    log = raw_server.wait_for(lambda m: m.get("method") == "window/logMessage")
    assert "rejected" in log["params"]["message"] or "skipped" in log["params"]["message"]
    raw_server.request(1, "shutdown")
    raw_server.response(1)
    raw_server.notify("exit")
    assert raw_server.wait() == 0
    assert any(b"diddy-mesh lsp:" in line for line in raw_server.stderr_lines)
    # The fixture checks that stdout held nothing but framed JSON.
