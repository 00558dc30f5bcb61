"""Keeping the document in step: ranged changes applied in order, a burst of edits,
and the version each publication is for."""

from __future__ import annotations

from lsprotocol import types

from conftest import check_json, code_of, diagnostics_of, open_document, utf16_column

START = """charter "T" { kind bylaws }
role member
body board = every member
clause 1 { board may expel member }
"""
FINAL = """charter "Tée" { kind bylaws }
role member
body board = every member
clause 1 { board may expel member { grounds "x" } }
# peerlint: allow DP002 reason "ok"
clause 2 { board may fine member { notice 1 days } }
"""


def span(line: int, start: int, end: int | None = None) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=line, character=start if end is None else end),
    )


def published(diagnostics) -> list[tuple]:
    return sorted((code_of(d), d.range.start.line, d.range.start.character) for d in diagnostics)


def reported(path) -> list[tuple]:
    data = path.read_bytes()
    return sorted(
        (
            d["code"],
            d["labels"][0]["start"]["line"] - 1,
            utf16_column(data, d["labels"][0]["start"]["offset"]) - 1,
        )
        for d in check_json(path)["diagnostics"]
    )


async def test_ranged_changes_apply_in_order(client, tmp_path):
    path = tmp_path / "t.charter"
    path.write_text(START, encoding="utf-8")
    document, _ = await open_document(client, path)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=document.uri, version=2),
            content_changes=[
                # Each range is in the text the previous change left.
                types.TextDocumentContentChangePartial(range=span(3, 33), text=' { grounds "x" }'),
                types.TextDocumentContentChangePartial(
                    range=span(4, 0),
                    text='# peerlint: allow DP002 reason "ok"\n'
                    "clause 2 { board may fine member { notice 1 days } }\n",
                ),
                types.TextDocumentContentChangePartial(range=span(0, 9, 10), text="Tée"),
            ],
        )
    )
    after = await diagnostics_of(client, document.uri, 2)
    path.write_text(FINAL, encoding="utf-8")
    assert published(after) == reported(path)
    # The suppression above clause 2 does not reach clause 1, and is reported unused.
    codes = [code_of(d) for d in after]
    assert "DP002" in codes and "S020" in codes
    # The edited text is the one the server formats.
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=document.ident(),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    (edit,) = edits
    assert '"Tée"' in edit.new_text and 'grounds "x"' in edit.new_text


async def test_a_burst_of_edits_ends_with_the_last_version(client, tmp_path):
    path = tmp_path / "t.charter"
    path.write_text(START, encoding="utf-8")
    document, _ = await open_document(client, path)
    typed = ' { grounds "conduct" notice 14 days }'
    for i, ch in enumerate(typed):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=document.uri, version=2 + i
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=span(3, 33 + i), text=ch)
                ],
            )
        )
    last = 1 + len(typed)
    final = await diagnostics_of(client, document.uri, last)
    text = START.replace("member }", "member" + typed + " }")
    path.write_text(text, encoding="utf-8")
    assert published(final) == reported(path)
    assert not {"DP001", "DP002"} & {code_of(d) for d in final}
    versions = [p.version for p in client.published[document.uri]]
    assert versions == sorted(versions) and versions[-1] == last
    # Fewer checks than keystrokes is allowed; none for a version after the last.
    assert len(versions) <= last
