"""Formatting: the edit the server returns gives exactly what `peerlint fmt` writes."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import EXAMPLES, PEERLINT, apply_edits, open_document

MESSY = """# Orchard Co-op: a draft, laid out by hand.
charter   "Orchard Co-op"{kind bylaws
version "0.1"}
role member{may leave with notice 30 days}
body board=every member
clause 1 "Café 🎉 会议" {
      text "Members meet monthly."   # prose kept exactly
  board may expel member { grounds "harm" notice 14 days   hearing before board appeal to board }
}
"""


def fmt(path) -> str:
    """`peerlint fmt PATH` rewrites the file in place; its new text."""
    subprocess.run([str(PEERLINT), "fmt", str(path)], capture_output=True, check=True, timeout=60)
    return path.read_text(encoding="utf-8")


async def formatting(client, document) -> list[types.TextEdit] | None:
    answer = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=document.ident(),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    return None if answer is None else list(answer)


@pytest.mark.parametrize(
    "name, source",
    [
        ("messy.charter", MESSY),
        ("riverbend-housing.charter", None),
        ("cloud-service-agreement.charter", None),
    ],
)
async def test_formatting_equals_peerlint_fmt(client, tmp_path, name, source):
    path = tmp_path / name
    if source is None:
        shutil.copy(EXAMPLES / name, path)
    else:
        path.write_text(source, encoding="utf-8")
    original = path.read_text(encoding="utf-8")
    document, _ = await open_document(client, path)

    edits = await formatting(client, document)
    expected = fmt(path)
    assert expected != original, "the charter is not yet in the canonical layout"
    assert edits, "an edit"
    assert apply_edits(original, edits) == expected

    # Formatted text formats to itself: no edit at all.
    await document.change(expected)
    assert await formatting(client, document) == []


async def test_a_charter_that_does_not_parse_is_not_formatted(client, tmp_path):
    path = tmp_path / "broken.charter"
    path.write_text('charter "T" { kind bylaws }\nclause 1 { board may\n', encoding="utf-8")
    document, diagnostics = await open_document(client, path)
    assert any(str(d.code).startswith("S") for d in diagnostics)
    with pytest.raises(JsonRpcException) as failed:
        await formatting(client, document)
    assert failed.value.code == -32803  # RequestFailed
    assert "syntax" in failed.value.message
