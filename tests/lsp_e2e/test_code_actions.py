"""Quick fixes: the rule's own fix, applied by the client, mends the finding; the
suppression inserts the allow comment that awaits its reason."""

from __future__ import annotations

from lsprotocol import types

from conftest import apply_edits, code_of, open_document

CHARTER = """charter "Orchard Co-op" { kind bylaws }
role member
role director within member { elected by assembly for 2 years  removable by assembly }
body assembly = every member
body board = every director
clause 1 "Expulsion" {
  board may expel member { grounds "x" hearing appeal }
}
clause 2 "Disputes" {
  dispute between member and member { mediation by "a mediator both accept" }
}
"""


def structural(diagnostics) -> list[str]:
    return [f"{code_of(d)}: {d.message}" for d in diagnostics if code_of(d).startswith("S")]


async def actions_for(client, document, diagnostic) -> list[types.CodeAction]:
    answer = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document.ident(),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert answer is not None
    assert all(isinstance(a, types.CodeAction) for a in answer)
    return list(answer)


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    assert set(action.edit.changes) == {uri}
    return list(action.edit.changes[uri])


async def open_orchard(client, tmp_path):
    path = tmp_path / "orchard.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, diagnostics = await open_document(client, path)
    assert structural(diagnostics) == []
    found = [d for d in diagnostics if code_of(d) == "DP002"]
    assert len(found) == 1, [code_of(d) for d in diagnostics]
    return document, diagnostics, found[0]


async def test_the_notice_fix_is_preferred_and_mends_the_finding(client, tmp_path):
    document, before, dp002 = await open_orchard(client, tmp_path)
    assert dp002.code_description.href.endswith("#sanction-without-notice")
    actions = await actions_for(client, document, dp002)
    fixes = [a for a in actions if a.title.startswith("Give 14 days notice")]
    assert len(fixes) == 1, [a.title for a in actions]
    fix = fixes[0]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    assert [code_of(d) for d in fix.diagnostics or []] == ["DP002"]
    # Only one action is preferred: the one that mends.
    assert [a.title for a in actions if a.is_preferred] == [fix.title]

    mended = apply_edits(document.text, edits_of(fix, document.uri))
    assert "notice 14 days" in mended
    assert mended.count("\n") == CHARTER.count("\n")
    after = await document.change(mended)
    assert structural(after) == []
    assert "DP002" not in {code_of(d) for d in after}
    # Nothing else changed: the other findings stand as they were.
    assert {code_of(d) for d in after} == {code_of(d) for d in before} - {"DP002"}


async def test_the_suppression_inserts_an_allow_comment_to_give_a_reason_in(client, tmp_path):
    document, _, dp002 = await open_orchard(client, tmp_path)
    actions = await actions_for(client, document, dp002)
    accepts = [a for a in actions if a.title.startswith("Accept as an exception")]
    assert len(accepts) == 1, [a.title for a in actions]
    accept = accepts[0]
    assert "DP002" in accept.title
    assert accept.kind == types.CodeActionKind.QuickFix
    assert not accept.is_preferred

    suppressed = apply_edits(document.text, edits_of(accept, document.uri))
    lines = suppressed.split("\n")
    statement = next(i for i, line in enumerate(lines) if "board may expel member" in line)
    # The comment stands on its own line just above the statement, indented with it.
    assert lines[statement - 1] == '  # peerlint: allow DP002 reason ""'
    assert suppressed.replace('  # peerlint: allow DP002 reason ""\n', "", 1) == CHARTER

    # Until a reason is written the finding stands, and the missing reason is said.
    pending = await document.change(suppressed)
    codes = {code_of(d) for d in pending}
    assert "DP002" in codes
    assert any("reason" in d.message for d in pending if code_of(d).startswith("S"))

    # With a reason, the exception is accepted.
    reasoned = suppressed.replace('reason ""', 'reason "expulsions are announced at the meeting"')
    accepted = await document.change(reasoned)
    assert "DP002" not in {code_of(d) for d in accepted}
    assert structural(accepted) == []


async def test_a_range_with_no_finding_has_no_action(client, tmp_path):
    document, _, _ = await open_orchard(client, tmp_path)
    answer = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document.ident(),
            range=types.Range(
                start=types.Position(line=3, character=0), end=types.Position(line=3, character=4)
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not answer
