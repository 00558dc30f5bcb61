"""The outline, go to definition and find references."""

from __future__ import annotations

import re

from lsprotocol import types

from conftest import EXAMPLES, open_document, position_of, text_in

RIVERBEND = EXAMPLES / "riverbend-housing.charter"


def inside(inner: types.Range, outer: types.Range) -> bool:
    def key(p: types.Position):
        return (p.line, p.character)

    return key(outer.start) <= key(inner.start) and key(inner.end) <= key(outer.end)


async def outline(client, document) -> list[types.DocumentSymbol]:
    answer = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=document.ident())
    )
    assert answer, "an outline"
    assert all(isinstance(s, types.DocumentSymbol) for s in answer)
    return list(answer)


async def test_outline_of_an_example_with_articles(client):
    document, _ = await open_document(client, RIVERBEND)
    symbols = await outline(client, document)
    top = [(s.name, s.detail, s.kind) for s in symbols]
    K = types.SymbolKind
    assert top == [
        ("Riverbend Housing Cooperative", "charter", K.File),
        ("member", "role", K.Class),
        ("director", "role", K.Class),
        ("treasurer", "role", K.Class),
        ("founder", "role", K.Class),
        ("apprentice", "role", K.Class),
        ("assembly", "body", K.Struct),
        ("board", "body", K.Struct),
        ("founders", "body", K.Struct),
        ("1 Voting", "article", K.Module),
        ("2 Consent and information", "article", K.Module),
        ("3 Sanctions", "article", K.Module),
        ("4 Fees and dues", "article", K.Module),
        ("5 Disputes and amendments", "article", K.Module),
    ]

    # Each article's clauses, in the order written, as read from the file itself.
    written: dict[str, list[str]] = {}
    article = None
    for line in document.text.split("\n"):
        if m := re.match(r'article (\S+) "([^"]*)"', line):
            article = f"{m[1]} {m[2]}"
            written[article] = []
        elif m := re.match(r'  clause (\S+) "([^"]*)"', line):
            written[article].append(f"{m[1]} {m[2]}")
    articles = [s for s in symbols if s.kind == K.Module]
    assert {a.name: [c.name for c in a.children or []] for a in articles} == written
    assert written["3 Sanctions"] == ["3.1 Expulsion", "3.2 Fines", "3.3 Recall of directors"]

    for s in symbols:
        assert inside(s.selection_range, s.range), s.name
        for child in s.children or []:
            assert child.kind == K.Method and child.detail == "clause"
            assert inside(child.range, s.range), child.name
            assert inside(child.selection_range, child.range), child.name
    # The selection is the name (or the number) as written.
    by_name = {s.name: s for s in symbols}
    assert text_in(document.text, by_name["board"].selection_range) == "board"
    assert text_in(document.text, by_name["treasurer"].selection_range) == "treasurer"
    assert text_in(document.text, by_name["Riverbend Housing Cooperative"].selection_range).strip(
        '"'
    ) == "Riverbend Housing Cooperative"
    sanctions = by_name["3 Sanctions"]
    assert text_in(document.text, sanctions.selection_range) == "3"
    fines = sanctions.children[1]
    assert text_in(document.text, fines.selection_range) == "3.2"
    assert text_in(document.text, fines.range).startswith('clause 3.2 "Fines" {')
    assert text_in(document.text, fines.range).endswith("}")


async def test_outline_of_a_second_example(client):
    path = EXAMPLES / "gryphon-bdfl.charter"
    document, _ = await open_document(client, path)
    symbols = await outline(client, document)
    kinds = [s.kind for s in symbols]
    assert kinds[0] == types.SymbolKind.File
    roles = [s.name for s in symbols if s.detail in ("role", "party")]
    assert roles == re.findall(r"^(?:role|party) (\w+)", document.text, re.M)
    bodies = [s.name for s in symbols if s.detail == "body"]
    assert bodies == re.findall(r"^body (\w+)", document.text, re.M)
    articles = [s for s in symbols if s.detail == "article"]
    assert [a.name for a in articles] == [
        f"{m[0]} {m[1]}" for m in re.findall(r'^article (\S+) "([^"]*)"', document.text, re.M)
    ]
    assert [a.name for a in articles][:2] == ["participants Participants", "policy Policy"]
    for a in articles:
        assert a.children, f"the clauses of article {a.name}"
        assert all(c.detail == "clause" for c in a.children)
    # A declaration with non-ASCII prose still spans its own lines exactly.
    (bdfl,) = [s for s in symbols if s.name == "bdfl"]
    declared = text_in(document.text, bdfl.range)
    assert declared.startswith('role bdfl within participant "Vinícius Jorge Vendramini')
    assert declared.endswith("}")


NAVIGATION = """charter "Orchard Co-op" { kind bylaws }
role member
role director within member { elected by assembly for 2 years  removable by assembly }
body assembly = every member
body board = every director
clause 1 "Expulsion" {
  board may expel member { grounds "harm" notice 14 days hearing before assembly appeal to assembly }
}
clause 2 "Fees" {
  # The board proposes, the assembly decides.
  text "The board sets the fees."
  board may propose fees
  assembly may change fees { notice 30 days reconsent explicit }
}
"""


async def test_definition_and_references_of_a_body(client, tmp_path):
    path = tmp_path / "orchard.charter"
    path.write_text(NAVIGATION, encoding="utf-8")
    document, _ = await open_document(client, path)
    text = document.text

    use = position_of(text, "board may propose", within=3)
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document.ident(), position=use)
    )
    assert isinstance(definition, types.Location)
    assert definition.uri == document.uri
    assert definition.range.start == position_of(text, "body board", within=5)
    assert text_in(text, definition.range) == "board"

    # Every use as a name in a statement, not in prose or comments.
    uses = [position_of(text, "board may expel"), position_of(text, "board may propose")]
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=document.ident(),
            position=use,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert sorted(r.range.start for r in references) == sorted(uses)
    assert all(r.uri == document.uri and text_in(text, r.range) == "board" for r in references)

    with_declaration = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=document.ident(),
            position=use,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted(r.range.start for r in with_declaration) == sorted(
        uses + [definition.range.start]
    )


async def test_definition_of_a_role_and_references_from_its_declaration(client, tmp_path):
    path = tmp_path / "orchard.charter"
    path.write_text(NAVIGATION, encoding="utf-8")
    document, _ = await open_document(client, path)
    text = document.text

    # `member` as the object of a sanction.
    use = position_of(text, "expel member", within=6)
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document.ident(), position=use)
    )
    assert definition.range.start == position_of(text, "role member", within=5)

    # From the declaration itself: every place `member` is named.
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=document.ident(),
            position=definition.range.start,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    expected = [
        position_of(text, "within member", within=7),
        position_of(text, "every member", within=6),
        position_of(text, "expel member", within=6),
    ]
    assert sorted(r.range.start for r in references) == sorted(expected)


async def test_no_definition_on_prose(client, tmp_path):
    path = tmp_path / "orchard.charter"
    path.write_text(NAVIGATION, encoding="utf-8")
    document, _ = await open_document(client, path)
    in_prose = position_of(document.text, "The board sets", within=5)
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document.ident(), position=in_prose)
    )
    assert definition is None


async def test_definition_and_references_of_a_clause(client):
    document, _ = await open_document(client, RIVERBEND)
    text = document.text
    # `founder is exempt from clause 4.1` names clause 4.1.
    use = position_of(text, "exempt from clause 4.1", within=len("exempt from clause "))
    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document.ident(), position=use)
    )
    assert definition.range.start == position_of(text, 'clause 4.1 "Monthly', within=7)
    assert text_in(text, definition.range) == "4.1"
    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=document.ident(),
            position=use,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted(r.range.start for r in references) == sorted([definition.range.start, use])
