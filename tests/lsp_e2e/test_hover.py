"""Hovers: on a finding, the rule and why it matters; on a role or body, its
declaration and what it holds in the charter."""

from __future__ import annotations

import re
import subprocess

from lsprotocol import types

from conftest import (
    EXAMPLES,
    PEERLINT,
    REPO,
    code_of,
    open_document,
    position_of,
    rules_json,
    text_in,
)

RIVERBEND = EXAMPLES / "riverbend-housing.charter"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def explanation(code: str) -> list[str]:
    """The paragraphs of `peerlint explain CODE` that say what the rule flags and why."""
    done = subprocess.run(
        [str(PEERLINT), "explain", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    paragraphs = [squeeze(p) for p in done.stdout.split("\n\n")]
    flags = next(p for p in paragraphs if p.startswith("Flags "))
    why = next(p for p in paragraphs if p.startswith("Why it matters:"))
    return [flags, why]


async def hover(client, document, position) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=document.ident(), position=position)
    )


async def test_hover_on_each_finding_explains_its_rule(client):
    document, diagnostics = await open_document(client, RIVERBEND)
    rules = rules_json()
    assert len(diagnostics) >= 10
    for d in diagnostics:
        code = code_of(d)
        answer = await hover(client, document, d.range.start)
        assert answer is not None, f"no hover at {code}'s start {d.range.start}"
        assert isinstance(answer.contents, types.MarkupContent)
        assert answer.contents.kind == types.MarkupKind.Markdown
        text = answer.contents.value
        rule = rules[code]
        assert f"**{code} · {rule['id']}**" in text, text
        assert rule["summary"] in text
        for paragraph in explanation(code):
            assert paragraph in squeeze(text), (code, paragraph)
        # The finding's own message is there too, first line of it.
        assert d.message.split("\n")[0] in text


async def test_hover_on_a_flagged_statement_shows_every_finding_there(client):
    document, diagnostics = await open_document(client, RIVERBEND)
    at = position_of(document.text, "board may fine member")
    answer = await hover(client, document, at)
    text = answer.contents.value
    assert "**DP004 · sanction-without-appeal**" in text
    assert "**DP005 · judge-in-own-cause**" in text
    # The word under the cursor names a body: its declaration comes first.
    assert text.startswith("```charter\nbody board = every director\n```")


async def test_hover_on_a_body_in_a_statement_shows_its_declaration_and_holdings(client):
    document, _ = await open_document(client, RIVERBEND)
    at = position_of(document.text, "board may expel member", within=2)
    answer = await hover(client, document, at)
    assert answer is not None
    assert answer.range is not None and text_in(document.text, answer.range) == "board"
    text = answer.contents.value
    assert "```charter\nbody board = every director\n```" in text
    assert "In this charter:" in text
    holdings = text.split("In this charter:", 1)[1]
    for statement, clause in [
        ("board may expel member", "3.1"),
        ("board may fine member", "3.2"),
        ("board may change fees", "4.1"),
    ]:
        assert f"- {statement} (clause {clause})" in holdings
    # Clause 3.1's expulsion is sound: no rule is explained here.
    assert "**" not in text


async def test_hover_on_a_role_in_a_statement_shows_the_role_declaration(client):
    document, _ = await open_document(client, RIVERBEND)
    at = position_of(document.text, "member may vote in assembly")
    answer = await hover(client, document, at)
    assert answer is not None
    assert text_in(document.text, answer.range) == "member"
    text = answer.contents.value
    declaration = text.split("```charter\n", 1)[1].split("\n```", 1)[0]
    assert declaration.startswith('role member "A resident holding one share" {')
    assert declaration.rstrip().endswith("}")
    assert "In this charter:" in text
    assert "- member may vote in assembly { weight 1 } (clause 1.1)" in text


async def test_hover_on_prose_and_keywords_is_empty(client):
    document, _ = await open_document(client, RIVERBEND)
    # Inside quoted prose that names the board.
    assert await hover(client, document, position_of(document.text, "The board may expel", within=5)) is None
    # On a keyword.
    assert await hover(client, document, position_of(document.text, "  clause 3.1", within=3)) is None


async def test_hover_on_a_suppressed_code_explains_the_rule(client, tmp_path):
    path = tmp_path / "orchard.charter"
    text = (
        'charter "Orchard Co-op" { kind bylaws }\nrole member\nbody board = every member\n'
        'clause 1 "Fines" {\n'
        '  # peerlint: allow DP002 reason "fines are announced at the meeting"\n'
        '  board may fine member { grounds "harm" hearing before member appeal to member }\n'
        "}\n"
    )
    path.write_text(text, encoding="utf-8")
    document, diagnostics = await open_document(client, path)
    assert "DP002" not in {code_of(d) for d in diagnostics}
    answer = await hover(client, document, position_of(text, "DP002", within=2))
    assert answer is not None
    assert text_in(text, answer.range) == "DP002"
    assert "**DP002 · sanction-without-notice**" in answer.contents.value
    assert rules_json()["DP002"]["summary"] in answer.contents.value
