"""A real LSP client for the server tests: pytest-lsp's (it checks every message against the
protocol specification), driving `python -m notelint server` over stdio, plus what the tests
need to wait for: every published diagnostics list with its version, and the edits applied."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pygls.protocol import default_converter

TIMEOUT = 20.0  # a first check of a small vault takes well under a second; CI machines are slow


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[lsp.PublishDiagnosticsParams] = []  # every publication, in order
        self.registrations: list[lsp.Registration] = []

    async def diagnostics_for(self, uri: str, version: int | None = None, after: int = 0,
                              timeout: float = TIMEOUT) -> list[lsp.Diagnostic]:
        """The first diagnostics published for `uri` (at `version`, if given) from publication
        number `after` on; fails the test after `timeout` seconds."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for params in self.published[after:]:
                if params.uri == uri and (version is None or params.version == version):
                    return list(params.diagnostics)
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no diagnostics for {uri} (version {version}) within {timeout} s")
            await asyncio.sleep(0.01)

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        uri = path.as_uri()
        text = path.read_text("utf-8") if text is None else text
        self.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "markdown", version, text)))
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version, uri), [lsp.TextDocumentContentChangeWholeDocument(text)]))

    def files_changed(self, *changes: tuple[Path, lsp.FileChangeType]) -> None:
        self.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
            [lsp.FileEvent(path.as_uri(), kind) for path, kind in changes]))

    async def actions(self, uri: str, start: tuple[int, int], end: tuple[int, int],
                      only: list[str] | None = None) -> list[lsp.CodeAction]:
        params = lsp.CodeActionParams(lsp.TextDocumentIdentifier(uri),
                                      lsp.Range(lsp.Position(*start), lsp.Position(*end)),
                                      lsp.CodeActionContext(diagnostics=[], only=only))
        return list(await asyncio.wait_for(self.text_document_code_action_async(params), TIMEOUT) or [])


def _publish(client: Client, params: lsp.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)


def _register(client: Client, params: lsp.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


@contextlib.asynccontextmanager
async def serve(vault: Path, capabilities: str = "visual-studio-code", options: dict | None = None,
                folders: bool = True):
    """A server started on `vault` (its workspace folder), initialised, shut down at the end."""
    client = Client()
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish,
                                   lsp.CLIENT_REGISTER_CAPABILITY: _register})
    await client.start_io(sys.executable, "-m", "notelint", "server")
    try:
        caps = client_capabilities(capabilities)
        folder = [lsp.WorkspaceFolder(vault.as_uri(), vault.name)] if folders else None
        client.init_result = await asyncio.wait_for(client.initialize_session(lsp.InitializeParams(
            capabilities=caps, root_uri=vault.as_uri() if folders else None, workspace_folders=folder,
            initialization_options={"debounceMs": 20, **(options or {})})), TIMEOUT)
        yield client
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
    finally:
        await client.stop()


# --------------------------------------------------------------------------- positions and edits


def utf16_column(line: str, code_points: int) -> int:
    """LSP's default column: UTF-16 code units (an emoji is two)."""
    return len(line[:code_points].encode("utf-16-le")) // 2


def offset(text: str, position: lsp.Position) -> int:
    """The code-point offset of a UTF-16 position (written apart from the server's own code)."""
    lines = text.splitlines(keepends=True) or [""]
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= position.character or ch in "\r\n":
            return start + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return start + len(line)


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """The text with the edits applied, as an editor does (from the last one back)."""
    spans = sorted(((offset(text, e.range.start), offset(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(action: lsp.CodeAction, uri: str) -> list[lsp.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None, action
    assert set(action.edit.changes) == {uri}, "an action edits only the note it is about"
    return list(action.edit.changes[uri])
