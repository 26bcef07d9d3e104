"""Every static feature through a real client (pytest-lsp validates each message against
the LSP 3.17 types)."""

from __future__ import annotations

import json

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from diddy_check import run
from lsp_harness import EXAMPLES, capabilities, open_document, position_of, publish_after, range_of, started_client

URI = "file:///e2e/features/mesh.jsonc"

MESH = """{
  // Services of a tiny shop.
  "services": {
    "user-service": {
      "endpoints": ["https://users.example.com"],
      "timeout": 3000
    },
    "orders": {
      "endpoints": [{ "url": "https://orders.example.com", "region": "WEU", "weight": 2 }],
      "loadBalancer": "weighted", /* weights below */
      "fallback": "user-service"
    }
  },
  "routing": {
    "rules": [
      { "name": "users", "path": "/users/*", "service": "user-service" },
      { "path": "/orders/*", "split": [{ "service": "orders", "weight": 1 }] }
    ],
    "default": "orders"
  }
}
"""

BROKEN = """{
  "services": {
    "user-service": { "endpoints": ["http://users.example.com"], "timeot": 3000 },
    "unused": {}
  },
  "routing": {
    "rules": [
      { "path": "/api/*", "service": "user-service" },
      { "path": "/api/users", "service": "user-servce" }
    ]
  }
}
"""


def doc(uri: str = URI) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


@pytest.mark.asyncio
async def test_push_diagnostics_have_codes_ranges_links_and_tags(lsp_session: LanguageClient):
    params = await publish_after(lsp_session, lambda: open_document(lsp_session, URI, BROKEN, version=7), URI, version=7)
    by_code = {d.code: d for d in params.diagnostics}
    assert {"DM201", "DM301", "DM302", "DM402", "DM502"} <= set(by_code)
    assert by_code["DM301"].range == range_of(BROKEN, '"user-servce"')
    assert by_code["DM201"].range == range_of(BROKEN, '"timeot"')
    assert by_code["DM302"].range == range_of(BROKEN, '"unused"')
    assert list(by_code["DM302"].tags) == [types.DiagnosticTag.Unnecessary]
    assert by_code["DM302"].severity == types.DiagnosticSeverity.Hint
    assert by_code["DM301"].severity == types.DiagnosticSeverity.Error
    for diagnostic in params.diagnostics:
        assert diagnostic.source == "diddy-mesh"
        assert diagnostic.code_description.href.endswith("#" + diagnostic.code.lower())
    shadowed = by_code["DM402"]
    assert shadowed.related_information and shadowed.related_information[0].location.uri == URI
    assert shadowed.related_information[0].location.range.start.line == position_of(BROKEN, '{ "path": "/api/*"').line


@pytest.mark.asyncio
async def test_pull_diagnostics_match_push_and_clean_documents_are_empty(lsp_session: LanguageClient):
    open_document(lsp_session, URI, MESH)
    report = await lsp_session.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc()))
    assert report.kind == "full"
    assert list(report.items) == []
    other = "file:///e2e/features/other.jsonc"
    open_document(lsp_session, other, BROKEN)
    report = await lsp_session.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc(other)))
    assert "DM301" in {d.code for d in report.items}


@pytest.mark.asyncio
async def test_completion_offers_service_names_where_a_service_is_referenced(lsp_session: LanguageClient):
    text = MESH.replace('"default": "orders"', '"default": ""')
    open_document(lsp_session, URI, text)
    position = position_of(text, '"default": ""')
    position.character += len('"default": "')
    result = await lsp_session.text_document_completion_async(types.CompletionParams(
        text_document=doc(), position=position,
        context=types.CompletionContext(trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character='"'),
    ))
    items = result.items if isinstance(result, types.CompletionList) else result
    assert [item.label for item in items] == ["user-service", "orders"]
    assert items[0].text_edit.new_text == '"user-service"'
    assert "https://users.example.com" in items[0].documentation.value


@pytest.mark.asyncio
async def test_completion_documentation_is_resolved_lazily_for_clients_that_ask():
    async with started_client(client_capabilities=capabilities(["utf-16"], lazy_completion=True)) as client:
        open_document(client, URI, MESH)
        position = position_of(MESH, '"service": "user-service"')
        position.character += len('"service": "')
        result = await client.text_document_completion_async(types.CompletionParams(text_document=doc(), position=position))
        assert isinstance(result, types.CompletionList)
        assert result.item_defaults is not None and result.item_defaults.edit_range is not None
        assert result.item_defaults.data == {"uri": URI}
        assert [item.label for item in result.items] == ["user-service", "orders"]
        first = result.items[0]
        assert first.documentation is None and first.text_edit is None and first.text_edit_text == '"user-service"'
        first.data = result.item_defaults.data  # a client applies the defaults before resolving
        resolved = await client.completion_item_resolve_async(first)
        assert isinstance(resolved.documentation, types.MarkupContent)
        assert "https://users.example.com" in resolved.documentation.value


@pytest.mark.asyncio
async def test_completion_offers_keys_with_docs_and_snippets_and_enum_values(lsp_session: LanguageClient):
    text = MESH.replace('"timeout": 3000', '"timeout": 3000, ')
    open_document(lsp_session, URI, text)
    position = position_of(text, '"timeout": 3000, ')
    position.character += len('"timeout": 3000, ')
    result = await lsp_session.text_document_completion_async(types.CompletionParams(text_document=doc(), position=position))
    items = {item.label: item for item in result.items}
    assert "timeout" not in items and "endpoints" not in items
    retries = items["retries"]
    assert retries.insert_text_format == types.InsertTextFormat.Snippet
    assert retries.text_edit.new_text == '"retries": ${1:0}'
    assert "Retries per request" in retries.documentation.value

    position = position_of(MESH, '"weighted"')
    position.character += 1
    result = await lsp_session.text_document_completion_async(types.CompletionParams(text_document=doc(), position=position))
    assert [item.label for item in result.items] == ["round-robin", "random", "weighted", "geographic", "latency", "least-connections"]


@pytest.mark.asyncio
async def test_hover_shows_key_docs_and_service_details(lsp_session: LanguageClient):
    open_document(lsp_session, URI, MESH)
    hover = await lsp_session.text_document_hover_async(types.HoverParams(text_document=doc(), position=position_of(MESH, '"timeout"')))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "Per-attempt timeout" in hover.contents.value and "Default: `5000`" in hover.contents.value
    assert hover.range == range_of(MESH, '"timeout"')
    reference = position_of(MESH, '"user-service"', occurrence=2)
    hover = await lsp_session.text_document_hover_async(types.HoverParams(text_document=doc(), position=reference))
    assert "**service `user-service`**" in hover.contents.value
    assert "`https://users.example.com`" in hover.contents.value
    assert "timeout: 3000 ms" in hover.contents.value


@pytest.mark.asyncio
async def test_definition_and_references(lsp_session: LanguageClient):
    open_document(lsp_session, URI, MESH)
    reference = position_of(MESH, '"user-service"', occurrence=2)
    definition = await lsp_session.text_document_definition_async(types.DefinitionParams(text_document=doc(), position=reference))
    assert [location.range for location in definition] == [range_of(MESH, '"user-service"')]
    references = await lsp_session.text_document_references_async(types.ReferenceParams(
        text_document=doc(), position=reference, context=types.ReferenceContext(include_declaration=True)))
    assert [location.range for location in references] == [range_of(MESH, '"user-service"', occurrence=n) for n in range(3)]
    highlights = await lsp_session.text_document_document_highlight_async(types.DocumentHighlightParams(text_document=doc(), position=reference))
    assert [h.kind for h in highlights] == [types.DocumentHighlightKind.Write, types.DocumentHighlightKind.Read, types.DocumentHighlightKind.Read]


@pytest.mark.asyncio
async def test_rename_a_service_everywhere(lsp_session: LanguageClient):
    open_document(lsp_session, URI, MESH)
    position = position_of(MESH, '"orders"', occurrence=1)
    prepared = await lsp_session.text_document_prepare_rename_async(types.PrepareRenameParams(text_document=doc(), position=position))
    assert prepared.placeholder == "orders"
    edit = await lsp_session.text_document_rename_async(types.RenameParams(text_document=doc(), position=position, new_name="order-service"))
    edits = edit.changes[URI]
    assert len(edits) == 3
    assert all(e.new_text == "order-service" for e in edits)
    with pytest.raises(Exception):
        await lsp_session.text_document_rename_async(types.RenameParams(text_document=doc(), position=position, new_name="Bad Name"))


@pytest.mark.asyncio
async def test_document_symbols_list_services_endpoints_and_rules(lsp_session: LanguageClient):
    open_document(lsp_session, URI, MESH)
    symbols = await lsp_session.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc()))
    assert [s.name for s in symbols] == ["services", "routing"]
    services, routing = symbols
    assert [s.name for s in services.children] == ["user-service", "orders"]
    assert [e.name for e in services.children[1].children] == ["https://orders.example.com"]
    assert [r.name for r in routing.children] == ["users", "/orders/*"]


@pytest.mark.asyncio
async def test_code_action_quick_fix_replaces_a_misspelt_service(lsp_session: LanguageClient):
    open_document(lsp_session, URI, BROKEN)
    actions = await lsp_session.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(), range=range_of(BROKEN, '"user-servce"'), context=types.CodeActionContext(diagnostics=[])))
    fix = next(a for a in actions if a.title == "Replace with 'user-service'")
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.edit.changes[URI][0].new_text == '"user-service"'
    assert fix.edit.changes[URI][0].range == range_of(BROKEN, '"user-servce"')


@pytest.mark.asyncio
async def test_formatting_keeps_every_comment_and_is_idempotent(lsp_session: LanguageClient):
    messy = '// top\n{"services": {"a": {   // the a service\n"timeout":1}},\n/* routing */ "routing": {"default":"a"}} // end\n'
    open_document(lsp_session, URI, messy)
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await lsp_session.text_document_formatting_async(types.DocumentFormattingParams(text_document=doc(), options=options))
    assert len(edits) == 1
    formatted = edits[0].new_text
    for comment in ["// top", "// the a service", "/* routing */", "// end"]:
        assert comment in formatted
    assert '  "services": {' in formatted
    lsp_session.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=formatted)]))
    again = await lsp_session.text_document_formatting_async(types.DocumentFormattingParams(text_document=doc(), options=options))
    assert list(again) == []


@pytest.mark.asyncio
async def test_formatting_and_fixes_are_what_fmt_and_check_fix_write(lsp_session: LanguageClient, tmp_path):
    messy = '// top\n{"services": {"a": {"endpoints": ["https://a.example"]}},\n"routing": {"rules": [\n' \
        '{"path": "/a/*", "service": "a"},\n{"path": "/a/b", "service": "a"}]}} // end\n'
    open_document(lsp_session, URI, messy)
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    [edit] = await lsp_session.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(), options=options))
    config = tmp_path / "diddy-mesh.jsonc"
    config.write_text(messy)
    assert run("fmt", str(config)).returncode == 0
    assert config.read_text() == edit.new_text
    # The editor's quick fix for the shadowed rule is the edit `check --fix` applies.
    actions = await lsp_session.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(), range=range_of(messy, '"/a/b"'), context=types.CodeActionContext(diagnostics=[])))
    [removal] = [a for a in actions if a.title.startswith("Remove the")]
    config.write_text(messy)
    assert run("check", "--fix", str(config)).returncode == 0
    assert config.read_text() == apply_edits(messy, removal.edit.changes[URI])


def apply_edits(text: str, edits: list) -> str:
    """`text` with LSP `edits` applied; the test documents are ASCII, so any encoding's
    columns are string indices."""
    lines = text.split("\n")
    offsets = [sum(len(line) + 1 for line in lines[:index]) for index in range(len(lines))]
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


@pytest.mark.asyncio
async def test_structure_tokens_hints_and_links_through_a_real_client(lsp_session: LanguageClient):
    open_document(lsp_session, URI, MESH)
    folds = await lsp_session.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc()))
    assert (0, 19) in [(fold.start_line, fold.end_line) for fold in folds]
    inside = position_of(MESH, "3000")
    [selection] = await lsp_session.text_document_selection_range_async(
        types.SelectionRangeParams(text_document=doc(), positions=[inside]))
    assert selection.range == range_of(MESH, "3000") and selection.parent.range == range_of(MESH, '"timeout": 3000')
    links = await lsp_session.text_document_document_link_async(types.DocumentLinkParams(text_document=doc()))
    assert [link.target for link in links] == ["https://users.example.com", "https://orders.example.com"]
    tokens = await lsp_session.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc()))
    assert len(tokens.data) % 5 == 0 and len(tokens.data) // 5 == 11, "6 service names, 1 rule name, 2 parts in each of 2 paths"
    hints = await lsp_session.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc(), range=types.Range(start=types.Position(line=0, character=0),
                                               end=types.Position(line=40, character=0))))
    labels = [hint.label for hint in hints]
    assert "timeout 3000 ms (service) · no retries (default)" in labels and "100%" in labels


@pytest.mark.asyncio
async def test_many_documents_at_once_and_the_shop_example(lsp_session: LanguageClient):
    shop = (EXAMPLES / "shop" / "diddy-mesh.jsonc").read_text()
    uris = [f"file:///e2e/many/{n}/diddy-mesh.jsonc" for n in range(20)]
    for uri in uris:
        open_document(lsp_session, uri, shop)
    for uri in uris:
        report = await lsp_session.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc(uri)))
        assert [d.code for d in report.items if d.severity == types.DiagnosticSeverity.Error] == []
        symbols = await lsp_session.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
        assert len(symbols[0].children) == 8
