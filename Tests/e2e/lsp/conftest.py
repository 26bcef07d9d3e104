"""Fixtures of the language server's end-to-end tests: pytest-lsp clients (initialized in
each position encoding) and a raw byte-level driver. Helpers live in lsp_harness.py."""

from __future__ import annotations

import os

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from lsp_harness import SERVER_COMMAND, RawServer, capabilities, end_session, require_binary


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def bare_client(lsp_client: LanguageClient):
    """A client connected to a server that has not been initialized."""
    require_binary()
    yield
    await end_session(lsp_client)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=["utf-16"])
async def lsp_session(lsp_client: LanguageClient, request):
    """An initialized client (UTF-16 positions) that shuts the server down afterwards."""
    require_binary()
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities([request.param]), process_id=os.getpid())
    )
    yield
    await end_session(lsp_client)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=["utf-8", "utf-16", "utf-32"])
async def encoded_session(lsp_client: LanguageClient, request):
    """An initialized client for each of the three position encodings."""
    require_binary()
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities([request.param]), process_id=os.getpid())
    )
    lsp_client.negotiated_encoding = result.capabilities.position_encoding  # type: ignore[attr-defined]
    yield
    await end_session(lsp_client)


@pytest.fixture
def raw_server():
    """`diddy-mesh lsp` driven byte by byte; stdout must hold framed JSON only."""
    server = RawServer()
    yield server
    server.kill()
    assert server.stdout_errors == [], server.stdout_errors
