"""Positions on a line whose quoted prose holds accents, an emoji and CJK before the
flagged words: the protocol counts UTF-16 code units by default, UTF-8 bytes when
both sides agree on it."""

from __future__ import annotations

from lsprotocol import types

from conftest import (
    apply_edits,
    check_json,
    code_of,
    diagnostics_of,
    open_document,
    position_of,
    text_in,
    utf16_column,
)

CHARTER = """charter "Café Coop" { kind bylaws }
role member
body board = every member
clause 2 "Café 🎉 会议" { board may expel member }
"""
FLAGGED = "board may expel member"


def cli_findings(path) -> dict[str, dict]:
    return {d["code"]: d for d in check_json(path)["diagnostics"]}


async def dp002_actions(client, tmp_path):
    """Opens the charter and asks for the code actions on its DP002 finding."""
    path = tmp_path / "cafe.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, diagnostics = await open_document(client, path)
    (dp002,) = [d for d in diagnostics if code_of(d) == "DP002"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document.ident(),
            range=dp002.range,
            context=types.CodeActionContext(diagnostics=[dp002]),
        )
    )
    return document, actions


async def test_utf16_is_the_default_and_ranges_count_utf16_units(client, tmp_path):
    assert client.initialize_result.capabilities.position_encoding in (
        None,
        types.PositionEncodingKind.Utf16,
    )
    path = tmp_path / "cafe.charter"
    path.write_text(CHARTER, encoding="utf-8")
    data = path.read_bytes()
    cli = cli_findings(path)
    assert "DP002" in cli
    start = cli["DP002"]["labels"][0]["start"]
    end = cli["DP002"]["labels"][0]["end"]
    assert data[start["offset"] : end["offset"]].decode() == FLAGGED
    # The report's column counts characters; the emoji is two UTF-16 units.
    assert utf16_column(data, start["offset"]) == start["column"] + 1

    document, diagnostics = await open_document(client, path)
    flagged = [d for d in diagnostics if d.range.start.line == 3]
    assert {code_of(d) for d in flagged} == {
        c for c, d in cli.items() if d["labels"][0]["start"]["line"] == 4
    }
    for d in flagged:
        assert d.range.start.line == start["line"] - 1
        assert d.range.start.character == utf16_column(data, start["offset"]) - 1
        assert d.range.end.character == utf16_column(data, end["offset"]) - 1
        assert text_in(document.text, d.range) == FLAGGED

    # Asking about the same place in UTF-16 lands on the flagged words.
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=document.ident(), position=position_of(CHARTER, FLAGGED))
    )
    assert answer is not None and "DP002" in answer.contents.value
    assert answer.range.start == position_of(CHARTER, FLAGGED)


async def test_a_fix_on_a_non_ascii_line_lands_where_it_should(client, tmp_path):
    document, actions = await dp002_actions(client, tmp_path)
    (fix,) = [a for a in actions if a.title.startswith("Give 14 days notice")]
    assert fix.is_preferred
    mended = apply_edits(document.text, list(fix.edit.changes[document.uri]))
    # The prose is untouched and the notice is inside the statement.
    assert '"Café 🎉 会议"' in mended
    line = mended.split("\n")[3]
    assert line.startswith('clause 2 "Café 🎉 会议" { board may expel member')
    assert "notice 14 days" in line
    after = await document.change(mended)
    assert "DP002" not in {code_of(d) for d in after}
    assert not [d for d in after if code_of(d).startswith("S")]


async def test_an_incremental_change_after_wide_characters(client, tmp_path):
    path = tmp_path / "cafe.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, _ = await open_document(client, path)
    # Insert a block with notice right after `member`, by a ranged change.
    at = position_of(CHARTER, FLAGGED, within=len(FLAGGED))
    document.version += 1
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=document.uri, version=document.version
            ),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=at, end=at), text=" { notice 14 days }"
                )
            ],
        )
    )
    after = await diagnostics_of(client, document.uri, document.version)
    codes = {code_of(d) for d in after}
    assert "DP002" not in codes, codes
    assert not [c for c in codes if c.startswith("S")], codes
    # Cross-check with the command line on the text as it now is.
    edited = CHARTER.replace(FLAGGED, FLAGGED + " { notice 14 days }")
    path.write_text(edited, encoding="utf-8")
    assert codes == set(cli_findings(path))


async def test_utf8_when_the_client_offers_it(client_utf8, tmp_path):
    client = client_utf8
    assert client.initialize_result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    path = tmp_path / "cafe.charter"
    path.write_text(CHARTER, encoding="utf-8")
    data = path.read_bytes()
    start = cli_findings(path)["DP002"]["labels"][0]["start"]
    document, diagnostics = await open_document(client, path)
    (dp002,) = [d for d in diagnostics if code_of(d) == "DP002"]
    line_start = data.rfind(b"\n", 0, start["offset"]) + 1
    assert dp002.range.start.character == start["offset"] - line_start
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=document.ident(), position=dp002.range.start)
    )
    assert answer is not None and "DP002" in answer.contents.value


async def test_the_suppression_above_a_non_ascii_line(client, tmp_path):
    document, actions = await dp002_actions(client, tmp_path)
    (accept,) = [a for a in actions if a.title.startswith("Accept as an exception: allow DP002")]
    suppressed = apply_edits(document.text, list(accept.edit.changes[document.uri]))
    assert suppressed.split("\n")[3] == '# peerlint: allow DP002 reason ""'
    reasoned = suppressed.replace('reason ""', 'reason "the café votes on it"')
    after = await document.change(reasoned)
    codes = {code_of(d) for d in after}
    assert "DP002" not in codes and {"DP001", "DP003", "DP004"} <= codes
    path = tmp_path / "cafe.charter"
    path.write_text(reasoned, encoding="utf-8")
    assert codes == set(cli_findings(path))
    # The findings left moved down a line, to the same words.
    for d in after:
        if d.range.start.line == 4:
            assert text_in(reasoned, d.range) == FLAGGED
