"""Documents as editors hold them: CRLF, a lone CR (which the protocol counts as a
line end) and a leading byte order mark. The server must agree with `peerlint check`
and `peerlint fmt` on the same bytes."""

from __future__ import annotations

import subprocess

from lsprotocol import types

from conftest import PEERLINT, apply_edits, check_json, code_of, open_document

CHARTER = (
    'charter "Orchard Co-op" { kind bylaws }\n'
    "role member\n"
    "body board = every member\n"
    'clause 1 "Fines" {\n'
    '  board may fine member { grounds "harm" hearing before member appeal to member }\n'
    "}\n"
)
STATEMENT_LINE = 4


def lines_of(text: str) -> list[str]:
    """The protocol's lines: `\\n`, `\\r\\n` and a lone `\\r` each end one."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


async def open_as(client, tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    document, diagnostics = await open_document(client, path, text)
    return path, document, diagnostics


async def actions_for(client, document, diagnostic) -> list[types.CodeAction]:
    return list(
        await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=document.ident(),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic]),
            )
        )
        or []
    )


async def formatted(client, document) -> list[types.TextEdit]:
    return list(
        await client.text_document_formatting_async(
            types.DocumentFormattingParams(
                text_document=document.ident(),
                options=types.FormattingOptions(tab_size=2, insert_spaces=True),
            )
        )
    )


def fmt(path) -> str:
    subprocess.run([str(PEERLINT), "fmt", str(path)], capture_output=True, check=True, timeout=60)
    return path.read_bytes().decode("utf-8")


def apply_on_lines(text: str, edits: list[types.TextEdit]) -> str:
    """Applies edits to a text whose lines end in `\\r\\n` or `\\r`, as an editor does:
    positions count lines the protocol's way."""
    return apply_edits("\n".join(lines_of(text)), edits)


def findings(diagnostics) -> list[tuple]:
    return sorted((code_of(d), d.range.start.line, d.range.start.character) for d in diagnostics)


def cli_findings(path) -> list[tuple]:
    return sorted(
        (d["code"], d["labels"][0]["start"]["line"] - 1, d["labels"][0]["start"]["column"] - 1)
        for d in check_json(path)["diagnostics"]
    )


async def test_crlf_documents_agree_with_the_command_line(client, tmp_path):
    text = CHARTER.replace("\n", "\r\n")
    path, document, diagnostics = await open_as(client, tmp_path, "crlf.charter", text)
    assert findings(diagnostics) == cli_findings(path)
    (dp002,) = [d for d in diagnostics if code_of(d) == "DP002"]
    assert dp002.range.start.line == STATEMENT_LINE

    actions = await actions_for(client, document, dp002)
    (fix,) = [a for a in actions if a.title.startswith("Give 14 days notice")]
    mended = apply_on_lines(text, list(fix.edit.changes[document.uri]))
    assert "notice 14 days" in lines_of(mended)[STATEMENT_LINE]
    after = await document.change(mended)
    assert "DP002" not in {code_of(d) for d in after}

    # An edit keeps the document's line ends.
    await document.change(text)
    (suppress,) = [a for a in actions if a.title.startswith("Accept as an exception")]
    (insert,) = list(suppress.edit.changes[document.uri])
    assert insert.new_text.endswith('reason ""\r\n'), insert.new_text

    edits = await formatted(client, document)
    assert apply_on_lines(text, edits) == fmt(path)


LONE_CR = CHARTER.replace("\n", "\r")


async def test_lone_cr_documents_are_checked_like_the_command_line(client, tmp_path):
    path, _, diagnostics = await open_as(client, tmp_path, "cr.charter", LONE_CR)
    assert findings(diagnostics) == cli_findings(path)
    assert any(code_of(d) == "DP002" and d.range.start.line == STATEMENT_LINE for d in diagnostics)


async def test_lone_cr_documents_are_formatted(client, tmp_path):
    path, document, diagnostics = await open_as(client, tmp_path, "cr.charter", LONE_CR)
    assert not [d for d in diagnostics if code_of(d).startswith("S")]
    edits = await formatted(client, document)
    assert apply_on_lines(LONE_CR, edits) == fmt(path)


async def test_lone_cr_documents_get_the_quick_fix(client, tmp_path):
    _, document, diagnostics = await open_as(client, tmp_path, "cr.charter", LONE_CR)
    (dp002,) = [d for d in diagnostics if code_of(d) == "DP002"]
    titles = [a.title for a in await actions_for(client, document, dp002)]
    assert any(t.startswith("Give 14 days notice") for t in titles), titles


async def test_lone_cr_suppression_goes_above_the_statement(client, tmp_path):
    _, document, diagnostics = await open_as(client, tmp_path, "cr.charter", LONE_CR)
    (dp002,) = [d for d in diagnostics if code_of(d) == "DP002"]
    (accept,) = [
        a for a in await actions_for(client, document, dp002) if a.title.startswith("Accept")
    ]
    (edit,) = accept.edit.changes[document.uri]
    assert edit.range.start == types.Position(line=STATEMENT_LINE, character=0)
    assert edit.new_text.startswith('  # peerlint: allow DP002 reason ""')


async def test_a_leading_byte_order_mark_is_not_part_of_the_charter(client, tmp_path):
    text = "\ufeff" + CHARTER
    path, _, diagnostics = await open_as(client, tmp_path, "bom.charter", text)
    assert {code_of(d) for d in diagnostics} == {d["code"] for d in check_json(path)["diagnostics"]}
