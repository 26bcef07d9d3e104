"""Incremental edits with emoji and CJK text in each of the three position encodings."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_harness import open_document, position_of, range_of

URI = "file:///e2e/encodings/mesh.jsonc"

ORIGINAL = """{
  "mesh": {"name": "😀 中文 🎉"},
  "services": {"a": {}},
  "routing": {"default": "a"}
}
"""


def change(start: types.Position, end: types.Position, text: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=text)


@pytest.mark.asyncio
async def test_incremental_edits_with_emoji_and_cjk(encoded_session: LanguageClient):
    client = encoded_session
    encoding = client.negotiated_encoding  # type: ignore[attr-defined]
    assert encoding in ("utf-8", "utf-16", "utf-32")
    open_document(client, URI, ORIGINAL)

    # One notification, two changes: the second's positions refer to the text after the first.
    step1 = ORIGINAL.replace("中", "🙂🙂 ", 1)
    value = position_of(step1, 'a"}\n}', encoding)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        content_changes=[
            change(position_of(ORIGINAL, "中", encoding), position_of(ORIGINAL, "文", encoding), "🙂🙂 "),
            change(value, types.Position(line=value.line, character=value.character + 1), "b"),
        ],
    ))
    step2 = step1.replace('a"}\n}', 'b"}\n}', 1)

    # A CJK comment before "services" and an emoji comment before "default", so that both
    # diagnostics sit after multi-unit characters on their lines.
    services = position_of(step2, '"services"', encoding)
    default = position_of(step2, '"default"', encoding)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=3),
        content_changes=[change(default, default, "/*🚀*/"), change(services, services, "/* 服务 */ ")],
    ))
    final = step2.replace('"default"', '/*🚀*/"default"', 1).replace('"services"', '/* 服务 */ "services"', 1)

    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=URI)))
    by_code = {d.code: d for d in report.items}
    assert set(by_code) == {"DM301", "DM302"}, report.items
    assert by_code["DM301"].range == range_of(final, '"b"', encoding)
    assert by_code["DM302"].range == range_of(final, '"a"', encoding)

    # Positions sent by the client are read in the same encoding.
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(final, '"a"', encoding)))
    assert prepared.range == range_of(final, "a", encoding, occurrence=final.count("a", 0, final.index('"a"')))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(final, '"name"', encoding)))
    assert "display name" in hover.contents.value
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=position_of(final, '"b"', encoding)))
    assert "unknown service `b`" in hover.contents.value
