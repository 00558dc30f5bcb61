"""Completion offers what the place allows: a statement's attributes in its block."""

from __future__ import annotations

from lsprotocol import types

from conftest import open_document, position_of

CHARTER = """charter "Orchard Co-op" { kind bylaws }
role member
body board = every member
clause 1 "Expulsion" {
  board may expel member {
    grounds "harm"
    
  }
}
"""


async def complete(client, document, position) -> list[types.CompletionItem]:
    answer = await client.text_document_completion_async(
        types.CompletionParams(text_document=document.ident(), position=position)
    )
    if answer is None:
        return []
    return list(answer.items if isinstance(answer, types.CompletionList) else answer)


async def test_a_statement_block_offers_due_process_attributes(client, tmp_path):
    path = tmp_path / "orchard.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, _ = await open_document(client, path)
    # On the blank line inside the block.
    at = position_of(CHARTER, '"harm"\n    ', within=len('"harm"\n    '))
    assert at.line == 6 and at.character == 4
    items = await complete(client, document, at)
    labels = {i.label for i in items}
    assert {"notice", "hearing", "appeal", "grounds"} <= labels, labels
    attributes = {i.label: i for i in items if i.kind == types.CompletionItemKind.Property}
    for key in ("notice", "hearing", "appeal"):
        assert key in attributes
        assert attributes[key].detail
    # The charter's own names are offered for `hearing before …`.
    names = {i.label for i in items if i.kind == types.CompletionItemKind.Class}
    assert {"member", "board"} <= names
    # Statement keywords belong to a clause, not to a statement's block.
    assert "must" not in labels


async def test_a_clause_offers_statements_and_the_top_level_declarations(client, tmp_path):
    path = tmp_path / "orchard.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, _ = await open_document(client, path)
    in_clause = await complete(client, document, position_of(CHARTER, "  board may expel"))
    assert {"may", "must", "text", "dispute"} <= {i.label for i in in_clause}
    assert "notice" not in {i.label for i in in_clause}
    end = types.Position(line=CHARTER.count("\n"), character=0)
    top = {i.label for i in await complete(client, document, end)}
    assert {"clause", "article", "role", "body"} <= top


async def test_nothing_is_offered_inside_prose(client, tmp_path):
    path = tmp_path / "orchard.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, _ = await open_document(client, path)
    assert await complete(client, document, position_of(CHARTER, '"harm"', within=3)) == []


async def test_a_suppression_comment_offers_rule_codes_and_ids(client, tmp_path):
    text = CHARTER.replace("    grounds", "    # peerlint: allow \n    grounds")
    path = tmp_path / "orchard.charter"
    path.write_text(text, encoding="utf-8")
    document, _ = await open_document(client, path)
    items = await complete(client, document, position_of(text, "allow ", within=6))
    labels = {i.label for i in items}
    assert {"DP002", "sanction-without-notice", "EQ001", "unequal-vote"} <= labels
    (dp002,) = [i for i in items if i.label == "DP002"]
    assert dp002.detail == "the peer is not told before the sanction is taken"
