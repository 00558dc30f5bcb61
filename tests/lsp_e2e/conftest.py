"""End-to-end tests of `peerlint lsp` through a third-party client (pytest-lsp, on
pygls and lsprotocol): the server runs as a process on standard input and output,
exactly as an editor starts it.

The binary is the one `PEERLINT_BIN` names (scripts/lsp-e2e.sh builds it and sets it);
without it, the debug build under `CARGO_TARGET_DIR` (or `target/`) is used.
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import subprocess
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pygls.protocol import default_converter

REPO = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def _binary() -> pathlib.Path:
    named = os.environ.get("PEERLINT_BIN")
    if named:
        return pathlib.Path(named).resolve()
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = REPO / target
    return target / "debug" / "peerlint"


PEERLINT = _binary()
if not PEERLINT.is_file():
    pytest.exit(
        f"peerlint lsp e2e: no binary at {PEERLINT}; run `cargo build` or set PEERLINT_BIN",
        returncode=4,
    )

# How long one wait for the server may take before the test fails instead of hanging.
TIMEOUT = 15.0


# ---------------------------------------------------------------------------------
# The client: pytest-lsp's, with every publishDiagnostics kept (with its version), so
# that a test waits for the diagnostics of exactly the version it sent.


def _publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams):
    client.diagnostics[params.uri] = params.diagnostics
    client.published.setdefault(params.uri, []).append(params)  # type: ignore[attr-defined]


def _register_capability(client: LanguageClient, params: types.RegistrationParams):
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def _make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.published = {}  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish_diagnostics
    features[types.CLIENT_REGISTER_CAPABILITY] = _register_capability
    register_lsp_features(client, features)
    return client


# What an editor that supports what peerlint answers with declares. No
# `positionEncodings`: the protocol's default, UTF-16, is what is negotiated.
CAPABILITIES = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
        hover=types.HoverClientCapabilities(
            content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]
        ),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
            related_information=True,
            version_support=True,
            code_description_support=True,
            tag_support=types.ClientDiagnosticsTagOptions(
                value_set=[types.DiagnosticTag.Unnecessary]
            ),
        ),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(
                    value_set=[types.CodeActionKind.QuickFix]
                )
            ),
            is_preferred_support=True,
        ),
        document_symbol=types.DocumentSymbolClientCapabilities(
            hierarchical_document_symbol_support=True
        ),
        completion=types.CompletionClientCapabilities(
            completion_item=types.ClientCompletionItemOptions(snippet_support=False)
        ),
        definition=types.DefinitionClientCapabilities(),
        references=types.ReferenceClientCapabilities(),
        formatting=types.DocumentFormattingClientCapabilities(),
    ),
    window=types.WindowClientCapabilities(),
)


def _server(name: str, encodings: list[str] | None = None, watches_files: bool = False):
    """A fixture: a client connected to a fresh `peerlint lsp`, initialized."""

    @pytest_lsp.fixture(
        config=ClientServerConfig(
            server_command=[str(PEERLINT), "lsp"], client_factory=_make_client
        ),
        name=name,
    )
    async def fixture(lsp_client: LanguageClient):
        converter = default_converter()
        capabilities = converter.structure(
            converter.unstructure(CAPABILITIES), types.ClientCapabilities
        )
        if encodings is not None:
            capabilities.general = types.GeneralClientCapabilities(
                position_encodings=[types.PositionEncodingKind(e) for e in encodings]
            )
        if watches_files:
            capabilities.workspace = types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=True
                )
            )
        result = await asyncio.wait_for(
            lsp_client.initialize_session(
                types.InitializeParams(
                    capabilities=capabilities,
                    root_uri=REPO.as_uri(),
                    workspace_folders=[
                        types.WorkspaceFolder(uri=REPO.as_uri(), name="peerlint")
                    ],
                )
            ),
            TIMEOUT,
        )
        lsp_client.initialize_result = result  # type: ignore[attr-defined]
        yield
        await asyncio.wait_for(lsp_client.shutdown_session(), TIMEOUT)

    return fixture


client = _server("client")
client_utf8 = _server("client_utf8", encodings=["utf-8", "utf-16"])
client_watching = _server("client_watching", watches_files=True)


# ---------------------------------------------------------------------------------
# Documents.


class Opened:
    """A document the client opened: its URI, text and version as the server has them."""

    def __init__(self, client: LanguageClient, path: pathlib.Path, text: str):
        self.client = client
        self.path = path
        self.uri = path.resolve().as_uri()
        self.text = text
        self.version = 1

    def ident(self) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=self.uri)

    async def change(self, text: str) -> list[types.Diagnostic]:
        """Sends the whole new text (a full-document change) and returns the
        diagnostics published for that version."""
        self.version += 1
        self.text = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return await diagnostics_of(self.client, self.uri, self.version)


async def open_document(
    client: LanguageClient, path: pathlib.Path, text: str | None = None
) -> tuple[Opened, list[types.Diagnostic]]:
    """Opens `path` (with `text`, or the file's own text) and waits for its first
    diagnostics."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    document = Opened(client, path, text)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=document.uri, language_id="charter", version=1, text=text
            )
        )
    )
    return document, await diagnostics_of(client, document.uri, 1)


async def diagnostics_of(
    client: LanguageClient, uri: str, version: int
) -> list[types.Diagnostic]:
    """The diagnostics published for `version` of the document at `uri`."""

    async def published() -> list[types.Diagnostic]:
        while True:
            for p in client.published.get(uri, []):  # type: ignore[attr-defined]
                if p.version == version:
                    return list(p.diagnostics)
            await asyncio.sleep(0.01)

    try:
        return await asyncio.wait_for(published(), TIMEOUT)
    except asyncio.TimeoutError:
        got = [p.version for p in client.published.get(uri, [])]  # type: ignore[attr-defined]
        pytest.fail(f"no diagnostics for version {version} of {uri} (got versions {got})")


# ---------------------------------------------------------------------------------
# The command line, to compare with.


def check_json(path: pathlib.Path) -> dict[str, Any]:
    """`peerlint check --format json PATH`: the report's one file."""
    done = subprocess.run(
        [str(PEERLINT), "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert len(report["files"]) == 1
    return report["files"][0]


def rules_json() -> dict[str, dict[str, Any]]:
    """The rules in force, by code (`peerlint rules --format json`)."""
    done = subprocess.run(
        [str(PEERLINT), "rules", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    return {r["code"]: r for r in json.loads(done.stdout)}


# ---------------------------------------------------------------------------------
# Positions and edits, in UTF-16 code units as negotiated.


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def utf16_column(data: bytes, offset: int) -> int:
    """The 1-based column, in UTF-16 code units, of byte `offset` of UTF-8 `data`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return utf16_len(data[line_start:offset].decode("utf-8")) + 1


def position_of(text: str, needle: str, nth: int = 0, within: int = 0) -> types.Position:
    """The position of the `nth` occurrence of `needle` in `text`, plus `within`
    characters into it."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return position_at(text, at + within)


def position_at(text: str, index: int) -> types.Position:
    """The protocol position (UTF-16) of the Python string index `index`."""
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    return types.Position(line=line, character=utf16_len(text[line_start:index]))


def index_of(text: str, position: types.Position) -> int:
    """The Python string index of a protocol position (UTF-16)."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= position.character:
            return start + i
        units += utf16_len(ch)
    return start + len(line)


def text_in(text: str, range_: types.Range) -> str:
    return text[index_of(text, range_.start) : index_of(text, range_.end)]


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Applies edits given against the same text, as the protocol says: from the last
    to the first."""
    spans = sorted(
        ((index_of(text, e.range.start), index_of(text, e.range.end), e.new_text) for e in edits),
        key=lambda s: (s[0], s[1]),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def code_of(d: types.Diagnostic) -> str:
    return str(d.code)
