"""Opening a charter publishes its findings: the same ones `peerlint check` reports,
with their levels, codes, links to the rules' documentation and secondary places."""

from __future__ import annotations

import pytest
from lsprotocol import types

from conftest import (
    EXAMPLES,
    check_json,
    code_of,
    open_document,
    text_in,
    utf16_column,
)

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def expected_from_cli(path) -> list[tuple]:
    """What `peerlint check --format json` reports, in the protocol's terms: the
    primary place as a 0-based line and UTF-16 character."""
    data = path.read_bytes()
    out = []
    for d in check_json(path)["diagnostics"]:
        primary = d["labels"][0]
        start, end = primary["start"], primary["end"]
        message = d["message"] + (f"\nhelp: {d['help']}" if d["help"] else "")
        out.append(
            (
                d["code"],
                (start["line"] - 1, utf16_column(data, start["offset"]) - 1),
                (end["line"] - 1, utf16_column(data, end["offset"]) - 1),
                SEVERITY[d["level"]],
                message,
            )
        )
    return sorted(out)


def as_published(diagnostics: list[types.Diagnostic]) -> list[tuple]:
    return sorted(
        (
            code_of(d),
            (d.range.start.line, d.range.start.character),
            (d.range.end.line, d.range.end.character),
            d.severity,
            d.message,
        )
        for d in diagnostics
    )


@pytest.mark.parametrize(
    "example", sorted(p.name for p in EXAMPLES.glob("*.charter"))
)
async def test_every_example_publishes_what_check_reports(client, example):
    path = EXAMPLES / example
    _, diagnostics = await open_document(client, path)
    expected = expected_from_cli(path)
    assert expected, f"{example} has findings to compare"
    assert {e[0] for e in expected} == {code_of(d) for d in diagnostics}
    assert as_published(diagnostics) == expected


@pytest.mark.parametrize(
    "example, codes",
    [
        ("riverbend-housing.charter", {"EQ008", "EQ001", "EQ002", "DP004", "DP005", "DP007"}),
        ("rust-moderation.charter", {"DP002", "DP003", "DP004", "DP005"}),
    ],
)
async def test_findings_carry_level_source_link_and_related_places(client, example, codes):
    path = EXAMPLES / example
    document, diagnostics = await open_document(client, path)
    assert list(client.diagnostics[document.uri]) == diagnostics
    published = {code_of(d) for d in diagnostics}
    assert codes <= published, published

    data = path.read_bytes()
    cli = {}
    for found in check_json(path)["diagnostics"]:
        start = found["labels"][0]["start"]
        key = (found["code"], start["line"] - 1, utf16_column(data, start["offset"]) - 1)
        assert key not in cli
        cli[key] = found
    with_related = 0
    for d in diagnostics:
        assert d.source == "peerlint"
        found = cli[(code_of(d), d.range.start.line, d.range.start.character)]
        assert d.severity == SEVERITY[found["level"]]
        assert d.message.startswith(found["message"])
        # A rule's code links to its section of the rules' documentation.
        assert d.code_description is not None, code_of(d)
        assert d.code_description.href.endswith(f"rules.md#{found['rule']}")
        assert d.code_description.href.startswith("file://")
        # The primary range marks the words the report marks.
        start, end = found["labels"][0]["start"]["offset"], found["labels"][0]["end"]["offset"]
        assert text_in(document.text, d.range) == data[start:end].decode("utf-8")

        secondary = found["labels"][1:]
        if not secondary:
            assert not d.related_information
            continue
        with_related += 1
        related = d.related_information or []
        assert len(related) == len(secondary)
        for info, label in zip(related, secondary):
            assert info.location.uri == document.uri
            assert info.message == label["message"]
            s, e = label["start"]["offset"], label["end"]["offset"]
            assert text_in(document.text, info.location.range) == data[s:e].decode("utf-8")
            assert info.location.range.start.line == label["start"]["line"] - 1
    assert with_related >= 1, "a finding with secondary places (DP005) carries them"


async def test_judge_in_own_cause_points_at_the_hearing_and_the_appeal(client):
    document, diagnostics = await open_document(client, EXAMPLES / "riverbend-housing.charter")
    (dp005,) = [d for d in diagnostics if code_of(d) == "DP005"]
    assert text_in(document.text, dp005.range) == "board may fine member"
    places = [
        (text_in(document.text, r.location.range), r.message)
        for r in dp005.related_information or []
    ]
    assert places == [
        ("board", "the same body hears the case"),
        ("board", "the same body hears the appeal"),
    ]
    lines = document.text.split("\n")
    hearing, appeal = (r.location.range.start.line for r in dp005.related_information)
    assert lines[hearing].strip() == "hearing before board"
    assert lines[appeal].strip() == "appeal to board"


async def test_a_structural_problem_has_no_rule_link(client, tmp_path):
    path = tmp_path / "undefined.charter"
    path.write_text(
        'charter "T" { kind bylaws }\nrole member\nclause 1 { council may expel member }\n',
        encoding="utf-8",
    )
    _, diagnostics = await open_document(client, path)
    structural = [d for d in diagnostics if code_of(d).startswith("S")]
    assert structural, [code_of(d) for d in diagnostics]
    cli = {d["code"] for d in check_json(path)["diagnostics"]}
    assert {code_of(d) for d in diagnostics} == cli
    for d in structural:
        assert d.source == "peerlint"
        assert d.code_description is None
