"""`notelint server`: diagnostics as you type, code actions and formatting, over stdio (pygls).

Two threads do the work, so the event loop always answers: one lints buffers and computes edits
(one at a time: the rules' vault context is not shared between threads), the other re-checks a
whole vault after files change on disk or its config changes. A buffer is linted after a short
pause in typing (`debounceMs`, default 50); a result for a version the editor has moved past is
dropped. The server never writes a note, and nothing it is sent stops it: a failure is logged
and the request answered with an error.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from notelint import __version__
from notelint.finding import Finding
from notelint.formats.located import describe_edit
from notelint.lsp import convert
from notelint.lsp.positions import UTF16, from_client, position_to_client
from notelint.lsp.session import PROJECTED_RULES, Session, is_config, text_edits
from notelint.source import Lines

log = logging.getLogger("notelint.server")

FIX_ALL_KIND = "source.fixAll.notelint"
IGNORED_PARTS = (".notelint_cache", ".git")  # changes here are notelint's own cache writes, or git's


class NotelintServer(LanguageServer):
    """The server's state: the vaults (sessions) and what was last published for each open note."""

    def __init__(self) -> None:
        super().__init__("notelint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.sessions: dict[Path, Session] = {}
        self.folders: list[Path] = []  # the editor's workspace folders (none: a vault per opened file)
        self.debounce = 0.05
        self.encoding = UTF16
        self.linter = ThreadPoolExecutor(1, thread_name_prefix="notelint-lint")
        self.refresher = ThreadPoolExecutor(1, thread_name_prefix="notelint-refresh")
        self.pending: dict[str, asyncio.Task] = {}  # uri -> the lint waiting for typing to pause
        self.published: dict[str, tuple] = {}  # uri -> (version, diagnostics) last sent
        self.refreshing: set[Path] = set()
        self.again: set[Path] = set()  # refreshes asked for while one was running
        self.config_uris: dict[Path, str] = {}  # session root -> config file showing a problem

    # ------------------------------------------------------------------ where a document belongs
    def locate(self, uri: str) -> tuple[Session, str] | None:
        """The vault session of a document and its vault-relative path; None outside every folder."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path:
            return None
        path = Path(path)
        if self.folders and not any(_within(path, folder) for folder in self.folders):
            return None
        session = self.session_around(path.parent)
        rel = session.rel(path)
        return (session, rel) if rel is not None else None

    def session_around(self, folder: Path) -> Session:
        probe = Session.around(folder)
        return self.sessions.setdefault(probe.root, probe)

    def open_uris(self, session: Session) -> list[str]:
        out = []
        for uri in list(self.workspace.text_documents):
            where = self.locate(uri)
            if where is not None and where[0] is session:
                out.append(uri)
        return out

    # ------------------------------------------------------------------ linting buffers
    def schedule(self, uri: str, delay: float | None = None) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.pending[uri] = asyncio.ensure_future(self._lint_later(uri, self.debounce if delay is None else delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            await self.publish(uri)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - logged; the server goes on
            log.exception("linting %s failed", uri)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    async def publish(self, uri: str) -> None:
        """Lint the open buffer and send its diagnostics, unless the editor moved on meanwhile."""
        if uri not in self.workspace.text_documents:
            return
        doc = self.workspace.get_text_document(uri)
        version, text = doc.version, doc.source
        where = self.locate(uri)
        if where is None:
            self.send(uri, [], version)
            return
        session, rel = where
        if session.ws is None:  # the first check of the vault: it publishes the open notes when done
            if session.root not in self.refreshing:
                await self.refresh(session)
            return
        if not session.lints(rel):
            self.send(uri, [], version)
            return
        started = time.perf_counter()
        findings = await self.in_linter(session.lint, rel, text)
        current = self.workspace.text_documents.get(uri)
        if current is None or current.version != version:
            return  # a newer change is queued; its lint publishes
        lines = Lines(text)
        diagnostics = [convert.diagnostic(f, lines, self.encoding, session.root) for f in findings]
        log.debug("linted %s v%s in %.1f ms: %d findings", rel, version, (time.perf_counter() - started) * 1000,
                  len(findings))
        self.send(uri, diagnostics, version)

    def send(self, uri: str, diagnostics: list, version: int | None) -> None:
        if self.published.get(uri) == (version, diagnostics):
            return  # nothing changed for this note (a refresh republishes only what a change affects)
        self.published[uri] = (version, diagnostics)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diagnostics, version))

    async def in_linter(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.linter, fn, *args)

    # ------------------------------------------------------------------ the vault on disk
    async def refresh(self, session: Session) -> None:
        """Check the whole vault again (in the background), then relint its open notes; asked
        again while running, it runs once more after."""
        if session.root in self.refreshing:
            self.again.add(session.root)
            return
        self.refreshing.add(session.root)
        try:
            while True:
                self.again.discard(session.root)
                started = time.perf_counter()
                try:
                    await asyncio.get_running_loop().run_in_executor(self.refresher, session.refresh)
                except Exception:  # noqa: BLE001 - keep the last good model
                    log.exception("checking %s failed", session.root)
                log.info("checked %s in %.2f s", session.root, time.perf_counter() - started)
                self.show_config_problem(session)
                for warning in session.warnings:
                    self.log_message(warning, lsp.MessageType.Warning)
                if session.root not in self.again:
                    break
        finally:
            self.refreshing.discard(session.root)
        for uri in self.open_uris(session):
            self.schedule(uri, 0)

    def show_config_problem(self, session: Session) -> None:
        old = self.config_uris.pop(session.root, None)
        problem = session.problem
        if problem is None:
            if old is not None:
                self.send(old, [], None)
            return
        uri = convert.file_uri(problem.path)
        if old is not None and old != uri:
            self.send(old, [], None)
        self.config_uris[session.root] = uri
        try:
            lines = Lines(problem.path.read_text("utf-8", "replace"))
        except OSError:
            lines = Lines("")
        start = position_to_client(lines, problem.line, problem.column, self.encoding)
        end = position_to_client(lines, problem.line, 1 << 30, self.encoding)
        diagnostic = lsp.Diagnostic(lsp.Range(lsp.Position(*start), lsp.Position(*end)),
                                    f"{problem.message} (the last valid configuration stays in use)",
                                    lsp.DiagnosticSeverity.Error, source=convert.SOURCE)
        self.send(uri, [diagnostic], None)
        self.log_message(f"notelint: {problem.message}", lsp.MessageType.Error)

    def log_message(self, message: str, kind: lsp.MessageType = lsp.MessageType.Log) -> None:
        log.info("%s", message)
        self.window_log_message(lsp.LogMessageParams(kind, message))

    def report_server_error(self, error: Exception, source) -> None:
        """Log it, and answer a body that is not JSON with JSON-RPC's parse error (id null),
        which pygls would only log; the server reads on."""
        log.error("%s: %s", type(error).__name__, error)
        if isinstance(error, json.JSONDecodeError):
            self.protocol._send_data({"jsonrpc": "2.0", "id": None,
                                      "error": {"code": -32700, "message": f"Parse error: {error}"}})


server = NotelintServer()


def _within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _folders(params: lsp.InitializeParams) -> list[Path]:
    uris = [f.uri for f in params.workspace_folders or []]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    if not uris and params.root_path:
        return [Path(params.root_path)]
    return [Path(p) for p in (to_fs_path(u) for u in uris if u.startswith("file:")) if p]


# --------------------------------------------------------------------------- lifecycle


@server.feature(lsp.INITIALIZE)
def initialize(ls: NotelintServer, params: lsp.InitializeParams) -> None:
    options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
    debounce = options.get("debounceMs")
    if isinstance(debounce, int | float) and 0 <= debounce <= 10_000:
        ls.debounce = debounce / 1000
    encoding = ls.workspace.position_encoding
    ls.encoding = str(getattr(encoding, "value", encoding) or UTF16)
    ls.folders = _folders(params)
    for folder in ls.folders:
        ls.session_around(folder)


@server.feature(lsp.INITIALIZED)
async def initialized(ls: NotelintServer, params: lsp.InitializedParams) -> None:
    watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if watched and watched.dynamic_registration:
        options = lsp.DidChangeWatchedFilesRegistrationOptions([lsp.FileSystemWatcher(glob_pattern="**/*")])
        registration = lsp.Registration("notelint-files", lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
        try:
            await ls.client_register_capability_async(lsp.RegistrationParams([registration]))
        except Exception as exc:  # noqa: BLE001 - saves still refresh the vault
            log.warning("the editor refused to watch files: %s", exc)
    for session in list(ls.sessions.values()):
        asyncio.ensure_future(ls.refresh(session))


# --------------------------------------------------------------------------- documents


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: NotelintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    where = ls.locate(uri)
    if where is None:
        ls.log_message(f"{uri}: not in the editor's folders' vaults; not linted")
        return
    ls.schedule(uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: NotelintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: NotelintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    where = ls.locate(params.text_document.uri)
    if where is not None:
        await ls.refresh(where[0])  # what other notes see of this one changed


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: NotelintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.published.pop(uri, None)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def did_change_watched_files(ls: NotelintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    roots: dict[Path, Session] = {}
    for change in params.changes:
        path = to_fs_path(change.uri) if change.uri.startswith("file:") else None
        if not path or any(part in IGNORED_PARTS for part in Path(path).parts):
            continue
        path = Path(path)
        for session in list(ls.sessions.values()):
            if _within(path, session.root) or (is_config(path) and _within(session.root, path.parent)):
                roots[session.root] = session
    await asyncio.sleep(0.05)  # a save or a paste touches several files: let the burst arrive
    await asyncio.gather(*(ls.refresh(s) for s in roots.values()))


# --------------------------------------------------------------------------- code actions


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
    code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll, FIX_ALL_KIND]))
async def code_action(ls: NotelintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    session, rel, text = _document(ls, uri)
    findings = await ls.in_linter(session.lint, rel, text)
    lines = Lines(text)
    lo = from_client(lines, params.range.start.line, params.range.start.character, ls.encoding)
    hi = from_client(lines, params.range.end.line, params.range.end.character, ls.encoding)
    actions: list[lsp.CodeAction] = []
    for f in findings:
        start, end = _span(f, lines)
        if not (start <= hi and lo <= end):
            continue
        diagnostic = convert.diagnostic(f, lines, ls.encoding, session.root)
        if f.fix is not None and all(e.path in (None, rel) for e in f.fix.edits):
            title = "Fix: " + "; ".join(describe_edit(e, text[e.start:e.end], None) for e in f.fix.edits[:3])
            title += "" if f.fix.safe else " (unsafe)"
            actions.append(lsp.CodeAction(title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                          is_preferred=f.fix.safe,
                                          edit=_workspace_edit(uri, list(f.fix.edits), lines, ls.encoding)))
        if f.rule not in PROJECTED_RULES and f.rule != "unreadable-note":
            new = await ls.in_linter(session.disable, rel, text, f)
            if new is not None and new != text:
                where = "line" if _one_line(text, new) else "note"
                actions.append(lsp.CodeAction(f"Disable {f.rule} for this {where}", kind=lsp.CodeActionKind.QuickFix,
                                              diagnostics=[diagnostic],
                                              edit=_workspace_edit(uri, text_edits(text, new), lines, ls.encoding)))
    if any(f.fix is not None and f.fix.safe for f in findings):
        fixed = await ls.in_linter(session.fix_all, rel, text)
        if fixed is not None and fixed != text:
            actions.append(lsp.CodeAction("Fix all notelint findings in this note", kind=FIX_ALL_KIND,
                                          edit=_workspace_edit(uri, text_edits(text, fixed), lines, ls.encoding)))
    only = params.context.only
    if only:
        actions = [a for a in actions if any(a.kind == k or str(a.kind).startswith(f"{k}.") for k in only)]
    return actions


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
async def formatting(ls: NotelintServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit]:
    uri = params.text_document.uri
    session, rel, text = _document(ls, uri)
    formatted = await ls.in_linter(session.format, rel, text)
    if formatted is None or formatted == text:
        return []
    lines = Lines(text)
    return [convert.text_edit(e, lines, ls.encoding) for e in text_edits(text, formatted)]


def _document(ls: NotelintServer, uri: str) -> tuple[Session, str, str]:
    """The session, path and buffer text of an open note, or an InvalidParams error."""
    if uri not in ls.workspace.text_documents:
        raise JsonRpcInvalidParams(f"{uri} is not open")
    where = ls.locate(uri)
    if where is None or where[0].ws is None or not where[0].lints(where[1]):
        raise JsonRpcInvalidParams(f"{uri} is not a note notelint lints (outside the vault, excluded, "
                                   "or the vault's first check is still running)")
    return where[0], where[1], ls.workspace.get_text_document(uri).source


def _span(f: Finding, lines: Lines) -> tuple[int, int]:
    line = min(max(f.line, 1), len(lines))
    start = min(lines.starts[line - 1] + f.column - 1, lines.ends[line - 1])
    if f.end_line is None or f.end_column is None:
        return start, lines.ends[line - 1]
    end_line = min(max(f.end_line, 1), len(lines))
    return start, min(lines.starts[end_line - 1] + f.end_column - 1, len(lines.text))


def _one_line(old: str, new: str) -> bool:
    """Whether the suppression added is a single `disable-next-line` comment (else it is wider)."""
    added = [e.replacement for e in text_edits(old, new)]
    return len(added) == 1 and "notelint-disable-next-line" in added[0]


def _workspace_edit(uri: str, edits, lines: Lines, encoding: str) -> lsp.WorkspaceEdit:
    return lsp.WorkspaceEdit(changes={uri: [convert.text_edit(e, lines, encoding) for e in edits]})


# --------------------------------------------------------------------------- entry point


def run(log_file: str | None = None) -> int:
    """Serve on stdin/stdout until the editor says exit; 0 when it asked for shutdown first."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, handlers=handlers,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("pygls").setLevel(logging.WARNING)  # it logs every message sent at INFO
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stdout carries the protocol: a stray print must not corrupt it
    server.start_io(stdin, stdout)
    return 0 if getattr(server.protocol, "_shutdown", False) else 1
