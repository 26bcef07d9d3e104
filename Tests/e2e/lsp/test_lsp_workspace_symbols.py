"""workspace/symbol through a real client: services and rules of the open documents and
of the configs in the workspace folders that are not open, filtered by the query, with
symbolic links out of the workspace not followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lsprotocol import types

from lsp_harness import open_document, started_client

OPEN = """{
  "services": { "user-service": { "endpoints": ["https://users.example.com"] } },
  "routing": { "rules": [{ "name": "users", "path": "/users/*", "service": "user-service" }] }
}
"""

ON_DISK = """{
  // Not open in the editor: found through the workspace folder.
  "services": {
    "billing": { "endpoints": ["https://billing.example.com"] },
    "ledger": { "endpoints": ["https://ledger.example.com"] }
  },
  "routing": { "rules": [{ "name": "invoices", "path": "/invoices/*", "service": "billing" }] }
}
"""

OUTSIDE = '{ "services": { "outsider": { "endpoints": ["https://x.example.com"] } } }'


@pytest.mark.asyncio
async def test_workspace_symbols_cover_open_documents_and_workspace_configs(tmp_path: Path):
    workspace = tmp_path / "workspace"
    (workspace / "billing").mkdir(parents=True)
    (workspace / "billing" / "diddy-mesh.jsonc").write_text(ON_DISK)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "diddy-mesh.jsonc").write_text(OUTSIDE)
    os.symlink(outside, workspace / "linked")
    os.symlink(outside / "diddy-mesh.jsonc", workspace / "link.mesh.jsonc")
    open_uri = (workspace / "open.mesh.jsonc").as_uri()
    folder = types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")
    async with started_client(workspace_folders=[folder]) as client:
        open_document(client, open_uri, OPEN)
        symbols = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))
        found = {(s.name, s.container_name, s.kind, s.location.uri) for s in symbols}
        disk_uri = (workspace / "billing" / "diddy-mesh.jsonc").as_uri()
        assert found == {
            ("user-service", "services", types.SymbolKind.Class, open_uri),
            ("users", "routing", types.SymbolKind.Event, open_uri),
            ("billing", "services", types.SymbolKind.Class, disk_uri),
            ("ledger", "services", types.SymbolKind.Class, disk_uri),
            ("invoices", "routing", types.SymbolKind.Event, disk_uri),
        }
        ledger = next(s for s in symbols if s.name == "ledger")
        line = ON_DISK.splitlines()[ledger.location.range.start.line]
        assert line[ledger.location.range.start.character:].startswith('"ledger"')
        # A case-insensitive subsequence: "BLG" is in "billing" and nowhere else.
        narrowed = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="BLG"))
        assert [s.name for s in narrowed] == ["billing"]
        assert await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="outsider")) == []
