"""The `peerlint.yaml` nearest each charter sets the rules in force, as it does for
`peerlint check`; a change to it, announced by a save or by the file watcher the server
registers, checks every open charter again; a file that does not load is reported
where it is written, and its charters are checked with the default rules meanwhile."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from conftest import TIMEOUT, check_json, code_of, open_document

CHARTER = """charter "Orchard Co-op" { kind bylaws }
role member
body board = every member
clause 1 "Fines" {
  board may fine member { grounds "harm" hearing before member appeal to member }
}
"""

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def levels(diagnostics) -> dict[str, types.DiagnosticSeverity]:
    return {code_of(d): d.severity for d in diagnostics}


def cli_levels(path) -> dict[str, types.DiagnosticSeverity]:
    return {d["code"]: SEVERITY[d["level"]] for d in check_json(path)["diagnostics"]}


async def next_publish(client, uri: str, seen: int) -> types.PublishDiagnosticsParams:
    """The first diagnostics published for `uri` after the `seen` first ones."""

    async def wait():
        while len(client.published.get(uri, [])) <= seen:
            await asyncio.sleep(0.01)
        return client.published[uri][seen]

    return await asyncio.wait_for(wait(), TIMEOUT)


def saved(client, path) -> None:
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=path.as_uri()))
    )


async def test_the_nearest_configuration_sets_the_levels(client, tmp_path):
    (tmp_path / "peerlint.yaml").write_text(
        "rules:\n  DP002: warning\n  no-dispute-process: off\n", encoding="utf-8"
    )
    nested = tmp_path / "bylaws"
    nested.mkdir()
    path = nested / "orchard.charter"
    path.write_text(CHARTER, encoding="utf-8")
    _, diagnostics = await open_document(client, path)
    assert levels(diagnostics) == {"DP002": types.DiagnosticSeverity.Warning}
    assert levels(diagnostics) == cli_levels(path)


async def test_a_saved_change_to_the_configuration_checks_again(client, tmp_path):
    config = tmp_path / "peerlint.yaml"
    config.write_text("rules:\n  DP002: warning\n", encoding="utf-8")
    path = tmp_path / "orchard.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, diagnostics = await open_document(client, path)
    assert levels(diagnostics)["DP002"] == types.DiagnosticSeverity.Warning
    assert "DP006" in levels(diagnostics)

    seen = len(client.published[document.uri])
    config.write_text("rules:\n  DP002: info\n  DP006: off\n", encoding="utf-8")
    saved(client, config)
    again = await next_publish(client, document.uri, seen)
    assert levels(again.diagnostics) == {"DP002": types.DiagnosticSeverity.Information}
    assert levels(again.diagnostics) == cli_levels(path)


async def test_a_configuration_that_does_not_load_is_reported_where_it_is_written(client, tmp_path):
    config = tmp_path / "peerlint.yaml"
    config.write_text("rules:\n  DP002: warning\n", encoding="utf-8")
    path = tmp_path / "orchard.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, _ = await open_document(client, path)

    seen = len(client.published[document.uri])
    config.write_text("rules:\n  DP002: [\n", encoding="utf-8")
    saved(client, config)
    again = await next_publish(client, document.uri, seen)
    # Meanwhile, the default rules.
    assert levels(again.diagnostics)["DP002"] == types.DiagnosticSeverity.Error
    assert "DP006" in levels(again.diagnostics)

    problem = await next_publish(client, config.as_uri(), 0)
    (e002,) = problem.diagnostics
    assert code_of(e002) == "E002" and e002.severity == types.DiagnosticSeverity.Error
    assert e002.source == "peerlint"
    assert e002.range.start.line == 1  # the line with the broken value
    assert "DP002" in e002.message
    assert any(
        m.type == types.MessageType.Error and "peerlint.yaml" in m.message and "default rules" in m.message
        for m in client.messages
    )

    # Mended: the problem is withdrawn and the configuration is in force again.
    seen = len(client.published[document.uri])
    config.write_text("rules:\n  DP002: warning\n", encoding="utf-8")
    saved(client, config)
    mended = await next_publish(client, document.uri, seen)
    assert levels(mended.diagnostics)["DP002"] == types.DiagnosticSeverity.Warning
    cleared = await next_publish(client, config.as_uri(), 1)
    assert list(cleared.diagnostics) == []


async def test_a_watching_client_is_asked_to_watch_yaml_files(client_watching, tmp_path):
    client = client_watching

    async def registered():
        while not client.registrations:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(registered(), TIMEOUT)
    (registration,) = client.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = {w["globPattern"] for w in registration.register_options["watchers"]}
    assert globs == {"**/*.yaml", "**/*.yml"}

    config = tmp_path / "peerlint.yaml"
    config.write_text("rules:\n  DP002: warning\n", encoding="utf-8")
    path = tmp_path / "orchard.charter"
    path.write_text(CHARTER, encoding="utf-8")
    document, diagnostics = await open_document(client, path)
    assert levels(diagnostics)["DP002"] == types.DiagnosticSeverity.Warning

    seen = len(client.published[document.uri])
    config.write_text("rules:\n  sanction-without-notice: off\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    again = await next_publish(client, document.uri, seen)
    assert "DP002" not in levels(again.diagnostics)
    assert levels(again.diagnostics) == cli_levels(path)
