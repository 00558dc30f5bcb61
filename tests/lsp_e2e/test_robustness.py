"""The server stays up and answering whatever the client asks."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound

from conftest import EXAMPLES, TIMEOUT, open_document, position_of


async def board_hover(client, document) -> str:
    answer = await client.text_document_hover_async(
        types.HoverParams(
            text_document=document.ident(),
            position=position_of(document.text, "board may fine member"),
        )
    )
    assert answer is not None
    return answer.contents.value


async def test_an_unknown_method_is_refused_and_the_server_goes_on(client):
    document, _ = await open_document(client, EXAMPLES / "riverbend-housing.charter")
    before = await board_hover(client, document)
    assert "DP005" in before

    with pytest.raises(JsonRpcMethodNotFound) as refused:
        await asyncio.wait_for(
            client.protocol.send_request_async("peerlint/noSuchMethod", {"x": 1}), TIMEOUT
        )
    assert refused.value.code == -32601
    assert "peerlint/noSuchMethod" in refused.value.message

    # A method of the protocol the server does not implement is refused the same way.
    with pytest.raises(JsonRpcMethodNotFound):
        await asyncio.wait_for(
            client.text_document_rename_async(
                types.RenameParams(
                    text_document=document.ident(),
                    position=position_of(document.text, "board may fine member"),
                    new_name="council",
                )
            ),
            TIMEOUT,
        )

    # Unknown notifications are ignored.
    client.protocol.notify("peerlint/whatever", {"y": 2})
    client.set_trace(types.SetTraceParams(value=types.TraceValue.Off))
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"peerlint": {}})
    )

    assert await board_hover(client, document) == before


async def test_questions_about_a_document_never_opened_have_no_answer(client):
    uri = (EXAMPLES / "not-open.charter").as_uri()
    answer = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=0),
        )
    )
    assert answer is None
    document, _ = await open_document(client, EXAMPLES / "riverbend-housing.charter")
    assert "DP005" in await board_hover(client, document)


async def test_positions_past_the_end_are_answered_calmly(client):
    document, _ = await open_document(client, EXAMPLES / "riverbend-housing.charter")
    lines = document.text.count("\n")
    for position in [
        types.Position(line=lines + 50, character=0),
        types.Position(line=0, character=10_000),
    ]:
        await client.text_document_hover_async(
            types.HoverParams(text_document=document.ident(), position=position)
        )
        await client.text_document_completion_async(
            types.CompletionParams(text_document=document.ident(), position=position)
        )
        await client.text_document_definition_async(
            types.DefinitionParams(text_document=document.ident(), position=position)
        )
    assert "DP005" in await board_hover(client, document)


async def test_closing_clears_the_diagnostics(client):
    document, diagnostics = await open_document(client, EXAMPLES / "riverbend-housing.charter")
    assert diagnostics
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=document.ident()))

    async def cleared():
        while client.diagnostics.get(document.uri):
            await asyncio.sleep(0.01)

    await asyncio.wait_for(cleared(), TIMEOUT)
    assert list(client.diagnostics[document.uri]) == []


async def test_shutdown_then_exit_ends_the_process_with_zero(client):
    await client.shutdown_async(None)
    client.exit(None)
    server = client._server
    assert server is not None
    assert await asyncio.wait_for(server.wait(), TIMEOUT) == 0
    # The fixture's own shutdown must now not be attempted again.
    client.capabilities = None
