"""`nexlint lsp`: the language server. The same engine, configuration and codes as
`nexlint check`, for the file being edited.

Linting runs in threads, so typing never waits for it: several documents side by side, each
document's lints one at a time, a newer version replacing one still waiting. A change is
linted after a pause (DEBOUNCE), and a result for a version the user has typed past is
dropped. A lint that runs past its budget (the `lintTimeout` setting) is given up: the file
gets one diagnostic saying so, requests about it are answered at once, and other files are
linted as before. Fix-all runs in a thread of its own and stops when its request is
cancelled. Clients that pull diagnostics (`textDocument/diagnostic`) are never also pushed
them. Nothing but the protocol reaches standard output: `serve` gives the protocol its own
copy of it and points the process's standard output at standard error before anything
runs. What arrives on standard input is checked by `protocol.NexlintProtocol`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcException
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from nexlint import __version__
from nexlint.collector import tune
from nexlint.diagnostics import Diagnostic, Severity
from nexlint.discovery import is_nexlayer_file
from nexlint.lsp.analysis import (
    Analysis,
    Span,
    TextChange,
    analyse,
    analyse_read,
    looks_like_nexlayer,
)
from nexlint.lsp.hover import hover
from nexlint.lsp.navigation import (
    RenameError,
    Symbol,
    definition,
    occurrence_at,
    references,
    rename,
    symbols,
)
from nexlint.lsp.positions import Positions
from nexlint.lsp.protocol import NexlintProtocol, serve_stream
from nexlint.lsp.settings import ClientSettings, Configurations, path_of
from nexlint.lsp.work import in_thread, read_regular
from nexlint.registry import PluginFailure, registry

DEBOUNCE = 0.15  # seconds of quiet after a keystroke before linting
LINT_SLOTS = 4  # lints running at once (a lint past its budget gives its slot up)
FIX_ALL = "source.fixAll.nexlint"
FIX_ALL_TITLE = "nexlint: fix all auto-fixable problems"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
_SYMBOL_KIND = {
    "application": types.SymbolKind.Module,
    "pod": types.SymbolKind.Class,
    "var": types.SymbolKind.Variable,
    "volume": types.SymbolKind.Field,
    "secret": types.SymbolKind.Key,
}
log = logging.getLogger("nexlint.lsp")
T = TypeVar("T")


class RequestFailed(JsonRpcException):
    """An answer the editor shows the user (LSP's RequestFailed)."""

    CODE = -32803


class ServerCancelled(JsonRpcException):
    """No answer now, ask again (LSP's ServerCancelled, with `retriggerRequest`)."""

    CODE = -32802


RETRIGGER = {"retriggerRequest": True}


@dataclass(frozen=True)
class Linted:
    """What one lint of one document gives: worked out in its thread, taken on the loop."""

    analysis: Analysis | None
    positions: Positions | None = None
    items: list[types.Diagnostic] = field(default_factory=list)
    problem: str | None = None  # said to the user once per document
    untrusted: str | None = None  # a config file whose plugins were left out


@dataclass
class Open:
    """A document the server lints: open in the client (``opened``), or a file on disk
    whose diagnostics were pulled without opening it. Its lints run one at a time: a lint
    is asked for (``asked`` counts the asks) and the asks up to ``finished`` are answered."""

    uri: str
    path: str | None
    opened: bool = True
    analysis: Analysis | None = None
    version: int | None = None  # the version `analysis` is of
    positions: Positions | None = None
    items: list[types.Diagnostic] = field(default_factory=list)  # `analysis`'s, as sent
    asked: int = 0
    finished: int = 0
    linting: asyncio.Task[None] | None = None
    timer: asyncio.TimerHandle | None = None  # a lint waiting for typing to pause
    overdue: bool = False  # a lint of it runs past its budget (the next one waits for it)
    stopped: int | None = None  # the version last given up on (its note is what it shows)
    news: asyncio.Event = field(default_factory=asyncio.Event)
    published: bool = False
    problems: set[str] = field(default_factory=set)

    def tell_waiters(self) -> None:
        self.news.set()
        self.news = asyncio.Event()


@dataclass(frozen=True)
class Current:
    """A document's analysis for the version the client has now, and how to speak of
    places in it to the client."""

    uri: str
    version: int | None
    analysis: Analysis
    positions: Positions

    def offset(self, position: types.Position) -> int:
        return self.positions.offset(position.line, position.character)

    def range(self, span: Span) -> types.Range:
        return to_range(span, self.positions)

    def location(self, span: Span) -> types.Location:
        return types.Location(uri=self.uri, range=self.range(span))

    def edit(self, changes: Sequence[TextChange]) -> types.WorkspaceEdit:
        return types.WorkspaceEdit(
            changes={self.uri: [to_edit(c, self.positions) for c in changes]}
        )


class NexlintServer(LanguageServer):
    protocol: NexlintProtocol

    def __init__(self) -> None:
        super().__init__(
            "nexlint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            protocol_cls=NexlintProtocol,
        )
        self.settings = ClientSettings()
        self.configurations = Configurations()
        self.documents: dict[str, Open] = {}
        self.on_disk: dict[str, Open] = {}  # pulled without being opened
        self.debounce = DEBOUNCE
        self.slots: asyncio.Semaphore | None = None  # made on the loop that uses it
        self.told: set[str] = set()  # config files whose left-out plugins were said
        self.settings_changes = 0  # lints started before the last change are stale

    def serve_io(self, stdin: Any, stdout: Any) -> int:
        """Serve until `exit` or the end of the input; the exit status (0 after
        `shutdown`, 1 without: LSP's rule)."""
        self.protocol.set_writer(StdoutWriter(stdout))
        try:
            return asyncio.run(serve_stream(self.protocol, stdin))
        except BrokenPipeError:  # the client is gone: there is no one left to answer
            return 0 if self.protocol._shutdown else 1

    # -- what the client can do --------------------------------------------------------------

    @property
    def pulls(self) -> bool:
        """Whether the client asks for diagnostics itself (then it is never pushed them)."""
        text = self.client_capabilities.text_document
        return text is not None and text.diagnostic is not None

    @property
    def encoding(self) -> str:
        """`utf-16`, `utf-8` or `utf-32`, as agreed at initialization."""
        agreed = self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        return str(agreed.value if isinstance(agreed, types.PositionEncodingKind) else agreed)

    def tell(self, message: str, error: bool = False, shown: bool = False) -> None:
        """A line in the client's log (and, for an error or when ``shown``, a message the
        user sees)."""
        kind = types.MessageType.Error if error else types.MessageType.Log
        self.window_log_message(types.LogMessageParams(type=kind, message=f"nexlint: {message}"))
        if error or shown:
            kind = kind if error else types.MessageType.Warning
            self.window_show_message(
                types.ShowMessageParams(type=kind, message=f"nexlint: {message}")
            )

    def opened(self, uri: str) -> TextDocument | None:
        """The document as the client has it, if it is open. Never pygls's
        `get_text_document`, which reads an unopened file from disk whatever it is (a FIFO
        blocks the server)."""
        document: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return document

    def workspace_folders(self) -> list[str]:
        """The folders whose config files may load plugins: the workspace folders, else
        the root the client gave; none without either."""
        uris = [folder.uri for folder in self.workspace.folders.values()]
        if not uris and self.workspace.root_uri:
            uris = [self.workspace.root_uri]
        return [path for path in map(path_of, uris) if path]

    # -- linting -----------------------------------------------------------------------------

    def track(self, uri: str, text: str) -> bool:
        """Whether nexlint lints this document (a nexlayer file by its name, or a YAML
        file of its layout); a document it lints is tracked from then on."""
        if uri in self.documents:
            return True
        if not _lintable(uri, text):
            return False
        self.documents[uri] = Open(uri, path_of(uri))
        return True

    def _lint_job(self, text: str | None, path: str | None, encoding: str) -> Linted:
        """In a lint thread: the document (``text``, or the file at ``path`` when None)
        linted with its folder's configuration, ready to send. What went wrong is said by
        the caller: only the event loop writes to the client."""
        filename = path or "nexlayer.yaml"
        try:
            found = self.configurations.for_file(path)
            problem = (
                f"configuration: {found.problem}; using the defaults" if found.problem else None
            )
            if text is not None:
                analysis = analyse(text, filename, found.config)
            else:
                data = read_regular(path) if path is not None else None
                if data is None:  # not a regular file: nothing is read, nothing said
                    return Linted(None, problem=problem, untrusted=found.untrusted)
                analysis = analyse_read(data, filename, found.config)
            positions = Positions(analysis.text, encoding)
            items = [to_lsp(d, analysis, positions) for d in analysis.diagnostics]
            return Linted(analysis, positions, items, problem, found.untrusted)
        except PluginFailure as exc:  # a plugin hung or ended its process: said as it is
            return Linted(None, problem=str(exc))
        except BaseException as exc:  # a bug in nexlint (or a plugin's exit): it stays up
            log.exception("linting %s failed", path)
            return Linted(None, problem=f"internal error: {type(exc).__name__}: {exc}")

    def ask(self, state: Open) -> int:
        """Ask for a lint of the document as it is now; the ask's number (see `settle`).
        It starts when the document's running lint, if any, ends."""
        if state.timer is not None:
            state.timer.cancel()
            state.timer = None
        state.asked += 1
        if state.linting is None or state.linting.done():
            state.linting = asyncio.ensure_future(self._lint_asked(state))
        return state.asked

    def ask_later(self, state: Open, delay: float) -> None:
        if state.timer is not None:
            state.timer.cancel()
        state.timer = asyncio.get_running_loop().call_later(delay, self.ask, state)

    def live(self, state: Open) -> bool:
        table = self.documents if state.opened else self.on_disk
        return table.get(state.uri) is state

    async def _lint_asked(self, state: Open) -> None:
        while state.finished < state.asked and self.live(state):
            ask = state.asked
            document = self.opened(state.uri) if state.opened else None
            if state.opened and document is None:
                return
            version = document.version if document is not None else None
            text = document.source if document is not None else None
            settings = self.settings_changes
            job = partial(self._lint_job, text, state.path, self.encoding)
            linted, running = await self.run_budgeted(job, f"nexlint-lint {state.uri}")
            if linted is None:
                state.finished = max(state.finished, ask)
                self._give_up(state, version)
                state.overdue = True
                try:
                    linted = await running  # the document's next lint waits for this one
                finally:
                    state.overdue = False
            state.finished = max(state.finished, ask)
            if settings != self.settings_changes:  # linted with settings since changed:
                state.tell_waiters()  # their asks were answered "no", they ask again
                continue
            if self._take(state, version, linted):
                state.finished = state.asked  # asked meanwhile for the text it just linted

    async def run_budgeted(
        self, job: Callable[[], T], name: str
    ) -> tuple[T | None, asyncio.Future[T]]:
        """Run ``job`` in a thread of its own once a lint slot is free, and wait for it
        at most the lint budget: its result (None past the budget) and its future."""
        if self.slots is None:
            self.slots = asyncio.Semaphore(LINT_SLOTS)
        async with self.slots:
            running = in_thread(job, name)
            try:
                done = await asyncio.wait_for(asyncio.shield(running), self.settings.lint_timeout)
            except TimeoutError:
                return None, running
        return done, running

    def _give_up(self, state: Open, version: int | None) -> None:
        """Past its budget: the document says so (its other problems are not known) and
        whoever waits for it is answered."""
        seconds = f"{self.settings.lint_timeout:g}"
        name = (state.path or state.uri).replace("\\", "/").rsplit("/", 1)[-1]
        self.tell(f"stopped linting {name} after {seconds} s (setting nexlint.lintTimeout)")
        if self.live(state) and self.version_of(state) == version:
            state.stopped = version
            if state.opened and not self.pulls:
                self._send(state, [stopped_note(self.settings.lint_timeout)], version)
        state.tell_waiters()

    def _take(self, state: Open, version: int | None, linted: Linted) -> bool:
        """A lint's result, kept and sent unless the document changed or closed meanwhile
        (then False)."""
        if linted.problem is not None and linted.problem not in state.problems:
            state.problems.add(linted.problem)  # said once per document
            self.tell(linted.problem, error=True)
        if linted.untrusted is not None and linted.untrusted not in self.told:
            self.told.add(linted.untrusted)  # said once per file
            self.tell(
                f"the plugins named in {linted.untrusted} were not loaded: it lies outside "
                "the workspace folders (its other settings apply)",
                shown=True,
            )
        fresh = self.live(state) and self.version_of(state) == version
        if fresh and linted.analysis is not None and linted.positions is not None:
            state.analysis, state.version = linted.analysis, version
            state.positions, state.items, state.stopped = linted.positions, linted.items, None
            if state.opened and not self.pulls:
                self._send(state, state.items, version)
        state.tell_waiters()
        return fresh and state.opened

    def version_of(self, state: Open) -> int | None:
        document = self.opened(state.uri) if state.opened else None
        return document.version if document is not None else None

    async def settle(self, state: Open, ask: int) -> None:
        """Wait until the ask numbered ``ask`` is answered, the document closes, or its
        running lint is past its budget (it is not waited for then)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.lint_timeout + 1.0
        while state.finished < ask and not state.overdue and self.live(state):
            news = state.news
            try:
                await asyncio.wait_for(news.wait(), deadline - loop.time())
            except TimeoutError:
                return

    async def current(self, uri: str) -> Current | None:
        """The analysis of the document as it is now, made now if the last one is stale
        (None when there is none: not a linted document, its lint given up, or changed
        while it was linted)."""
        state = self.documents.get(uri)
        document = self.opened(uri)
        if state is None or document is None:
            return None
        version = document.version
        for _ in range(3):  # a change of settings meanwhile makes the result stale: again
            if state.analysis is not None and state.version == version:
                break
            if state.overdue:
                return None
            await self.settle(state, self.ask(state))
            if self.version_of(state) != version or not self.live(state):
                return None  # the text changed while it was linted: an answer would be off
        if state.analysis is None or state.positions is None or state.version != version:
            return None
        return Current(uri, state.version, state.analysis, state.positions)

    def _send(self, state: Open, items: list[types.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=state.uri, diagnostics=items, version=version)
        )
        state.published = True

    def forget(self, state: Open) -> None:
        """Stop linting a document (closed, or the server shut down)."""
        if state.timer is not None:
            state.timer.cancel()
            state.timer = None
        if state.linting is not None:
            state.linting.cancel()
        state.tell_waiters()

    def relint_all(self) -> None:
        self.settings_changes += 1
        self.configurations.forget()
        for state in self.documents.values():
            state.analysis = None
            if not self.pulls:
                self.ask(state)
        if self.pulls:
            refresh = self.client_capabilities.workspace
            diagnostics = refresh.diagnostics if refresh is not None else None
            if diagnostics is not None and diagnostics.refresh_support:
                self.workspace_diagnostic_refresh(None)


def _lintable(uri: str, text: str | None) -> bool:
    """A nexlayer file by its name, or (``text`` known) a YAML file of its layout."""
    name = (path_of(uri) or uri).replace("\\", "/").rsplit("/", 1)[-1]
    if is_nexlayer_file(name):
        return True
    return text is not None and name.endswith((".yaml", ".yml")) and looks_like_nexlayer(text)


def stopped_note(budget: float) -> types.Diagnostic:
    """Said at the top of a file whose lint was given up."""
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        ),
        message=(
            f"nexlint stopped linting this file after {budget:g} s, so its problems are not "
            "shown (the time budget is the setting nexlint.lintTimeout)"
        ),
        severity=types.DiagnosticSeverity.Warning,
        source="nexlint",
    )


def to_lsp(d: Diagnostic, analysis: Analysis, positions: Positions) -> types.Diagnostic:
    """A diagnostic as the protocol carries it."""
    span = analysis.span_of(d)
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    return types.Diagnostic(
        range=to_range(span, positions),
        message=message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=types.CodeDescription(href=d.url) if d.url else None,
        source="nexlint",
        tags=[types.DiagnosticTag.Unnecessary] if d.code == "NXL901" else None,
    )


def to_range(span: Span, positions: Positions) -> types.Range:
    start, end = positions.position(span.start), positions.position(span.end)
    return types.Range(
        start=types.Position(line=start[0], character=start[1]),
        end=types.Position(line=end[0], character=end[1]),
    )


def to_edit(change: TextChange, positions: Positions) -> types.TextEdit:
    return types.TextEdit(range=to_range(change.span, positions), new_text=change.text)


server = NexlintServer()


# -- lifecycle ----------------------------------------------------------------------------------


@server.feature(types.INITIALIZE)
def initialize(ls: NexlintServer, params: types.InitializeParams) -> None:
    ls.settings = ClientSettings.read(params.initialization_options)
    ls.configurations.trust(ls.workspace_folders())


@server.feature(types.INITIALIZED)
async def initialized(ls: NexlintServer, params: types.InitializedParams) -> None:
    await _read_settings(ls)
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    if watched is not None and watched.dynamic_registration:
        watchers = [
            types.FileSystemWatcher(glob_pattern=f"**/{name}")
            for name in ("nexlint.toml", "pyproject.toml")
        ]
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
        registration = types.Registration(
            id="nexlint-config",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )


async def _read_settings(ls: NexlintServer) -> None:
    """The `nexlint` section of the client's settings, where it can give them (else the
    initialization options stand); a value of the wrong kind is said and not used."""
    workspace = ls.client_capabilities.workspace
    if workspace is not None and workspace.configuration:
        try:
            values = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="nexlint")])
            )
            if values and values[0] is not None:
                ls.settings = ClientSettings.read(values[0])
        except Exception as exc:  # a client that fails the request keeps what it gave
            ls.tell(f"could not read the settings: {exc}")
    for problem in ls.settings.problems:
        ls.tell(f"settings: {problem}; using the default", error=True)


@server.feature(types.SHUTDOWN)
def shutdown(ls: NexlintServer, params: None) -> None:
    for state in [*ls.documents.values(), *ls.on_disk.values()]:
        ls.forget(state)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def settings_changed(ls: NexlintServer, params: types.DidChangeConfigurationParams) -> None:
    if params.settings:
        ls.settings = ClientSettings.read(params.settings)
    await _read_settings(ls)
    ls.relint_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def files_changed(ls: NexlintServer, params: types.DidChangeWatchedFilesParams) -> None:
    if any(change.uri.endswith(("/nexlint.toml", "/pyproject.toml")) for change in params.changes):
        ls.relint_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def folders_changed(ls: NexlintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    ls.configurations.trust(ls.workspace_folders())  # pygls has updated the folders
    ls.relint_all()


# -- documents ----------------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: NexlintServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    if ls.track(uri, params.text_document.text):
        ls.ask(ls.documents[uri])


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: NexlintServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    document = ls.opened(uri)
    if document is None or not ls.track(uri, document.source):
        return
    if ls.settings.run == "onType" and not ls.pulls:
        ls.ask_later(ls.documents[uri], ls.debounce)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
def did_save(ls: NexlintServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.documents and not ls.pulls:
        ls.ask(ls.documents[uri])


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: NexlintServer, params: types.DidCloseTextDocumentParams) -> None:
    state = ls.documents.pop(params.text_document.uri, None)
    if state is None:
        return
    ls.forget(state)
    if state.published:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=state.uri, diagnostics=[])
        )


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(
        identifier="nexlint", inter_file_dependencies=False, workspace_diagnostics=False
    ),
)
async def pull(
    ls: NexlintServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    uri = params.text_document.uri
    document = ls.opened(uri)
    if document is None:
        return await _pull_from_disk(ls, uri)
    if not ls.track(uri, document.source):
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    state = ls.documents[uri]
    now = None
    for _ in range(3):
        version = ls.version_of(state)
        now = await ls.current(uri)
        if now is not None or ls.version_of(state) == version:
            break  # else it changed while it was linted: the new text is linted
    if now is None:
        if state.overdue or (state.stopped is not None and state.stopped == ls.version_of(state)):
            return types.RelatedFullDocumentDiagnosticReport(
                items=[stopped_note(ls.settings.lint_timeout)]
            )
        if not ls.live(state):
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        # Still changing, or waiting for a free lint slot: the client asks again.
        raise ServerCancelled("nexlint has not linted this version yet", data=RETRIGGER)
    result_id = f"{now.version}:{id(now.analysis)}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=state.items, result_id=result_id)


async def _pull_from_disk(ls: NexlintServer, uri: str) -> types.DocumentDiagnosticReport:
    """Diagnostics of a file the client has not opened: read from disk only when it is a
    nexlayer file by its name and a regular file (see work.read_regular)."""
    path = path_of(uri)
    if path is None or not _lintable(uri, None):
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    state = ls.on_disk.get(uri)
    if state is None:
        state = ls.on_disk[uri] = Open(uri, path, opened=False)
    if not state.overdue:
        await ls.settle(state, ls.ask(state))
    if state.overdue:
        return types.RelatedFullDocumentDiagnosticReport(
            items=[stopped_note(ls.settings.lint_timeout)]
        )
    return types.RelatedFullDocumentDiagnosticReport(items=list(state.items))


# -- code actions -------------------------------------------------------------------------------


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True
    ),
)
async def code_actions(
    ls: NexlintServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    now = await ls.current(params.text_document.uri)
    if now is None:
        return None
    only = params.context.only
    actions: list[types.CodeAction] = []
    if _wanted(only, types.CodeActionKind.QuickFix):
        start, end = now.offset(params.range.start), now.offset(params.range.end)
        actions += quick_fixes(now, now.analysis.overlapping(start, end))
    if ls.settings.fix_all and only is not None and _wanted(only, FIX_ALL):
        action = await fix_all_action(ls, now)
        if action is not None:
            actions.append(action)
    elif ls.settings.fix_all and only is None and _resolves(ls) and _fixable(now.analysis, ls):
        # The lightbulb lists it; its edit is worked out only if it is chosen.
        actions.append(
            types.CodeAction(
                title=FIX_ALL_TITLE, kind=FIX_ALL, data={"uri": now.uri, "version": now.version}
            )
        )
    return actions or None


@server.feature(types.CODE_ACTION_RESOLVE)
async def resolve_action(ls: NexlintServer, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if action.kind != FIX_ALL or not isinstance(uri, str):
        return action
    now = await ls.current(uri)
    if now is None:
        return action
    resolved = await fix_all_action(ls, now)
    action.edit = resolved.edit if resolved is not None else types.WorkspaceEdit(changes={})
    return action


def _wanted(only: Sequence[str] | None, kind: str) -> bool:
    """Whether a request limited to the kinds ``only`` asks for ``kind`` (`source` asks
    for `source.fixAll.nexlint`)."""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _fixable(analysis: Analysis, ls: NexlintServer) -> bool:
    """Whether fix-all would have something to do (a fix that the settings allow)."""
    return any(
        d.fix is not None and (d.fix.safe or ls.settings.unsafe_fixes) for d in analysis.diagnostics
    )


def _resolves(ls: NexlintServer) -> bool:
    text = ls.client_capabilities.text_document
    code_action = text.code_action if text is not None else None
    support = code_action.resolve_support if code_action is not None else None
    return support is not None and "edit" in support.properties


def quick_fixes(now: Current, diagnostics: Sequence[Diagnostic]) -> list[types.CodeAction]:
    """Each fix of these diagnostics (safe ones preferred, unsafe ones saying so), then a
    directive to silence each code on its line and in the file."""
    analysis = now.analysis
    fixes: list[types.CodeAction] = []
    silence: list[types.CodeAction] = []
    seen: set[tuple[str, int]] = set()  # (code, line; 0 for the file)

    def action(title: str, changes: list[TextChange], d: Diagnostic, fix: bool) -> None:
        (fixes if fix else silence).append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[to_lsp(d, analysis, now.positions)],
                edit=now.edit(changes),
                is_preferred=(fix and d.fix is not None and d.fix.safe) or None,
            )
        )

    for d in diagnostics:
        changes = analysis.fix_changes(d)
        if d.fix is not None and changes:
            unsafe = "" if d.fix.safe else " (unsafe fix)"
            action(f"{d.fix.message}{unsafe} [{d.code}]", changes, d, True)
        line = analysis.disable_line(d)
        if line is not None and (d.code, d.line) not in seen:
            seen.add((d.code, d.line))
            action(f"Disable {d.code} for this line", [line], d, False)
        if (d.code, 0) not in seen:
            seen.add((d.code, 0))
            action(f"Disable {d.code} for this file", [analysis.disable_file(d.code)], d, False)
    return fixes + silence


async def fix_all_action(ls: NexlintServer, now: Current) -> types.CodeAction | None:
    """Fix-all, worked out in a thread of its own (a large file takes long): the request's
    cancel stops it between rounds of fixes."""
    stop = threading.Event()
    job = partial(now.analysis.fix_all, ls.settings.unsafe_fixes, stop.is_set)
    try:
        change = await in_thread(job, "nexlint-fix-all")
    finally:
        stop.set()  # cancelled with its request, or done
    document = ls.opened(now.uri)
    if document is None or document.version != now.version:
        raise JsonRpcContentModified("the document changed while its fixes were worked out")
    if change is None:
        return None
    return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, edit=now.edit([change]))


# -- hover and navigation -----------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def on_hover(ls: NexlintServer, params: types.HoverParams) -> types.Hover | None:
    now = await ls.current(params.text_document.uri)
    if now is None:
        return None
    rules = registry(now.analysis.config.plugins, now.analysis.config.root)
    shown = hover(now.analysis, now.offset(params.position), rules)
    if shown is None:
        return None
    content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=shown[0])
    return types.Hover(contents=content, range=now.range(shown[1]))


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def document_symbols(
    ls: NexlintServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | None:
    now = await ls.current(params.text_document.uri)
    if now is None:
        return None
    return [_symbol(s, now) for s in symbols(now.analysis)]


def _symbol(symbol: Symbol, now: Current) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name,
        kind=_SYMBOL_KIND[symbol.kind],
        range=now.range(symbol.span),
        selection_range=now.range(symbol.selection),
        detail=symbol.detail or None,
        children=[_symbol(c, now) for c in symbol.children] or None,
    )


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
async def on_definition(ls: NexlintServer, params: types.DefinitionParams) -> types.Location | None:
    now = await ls.current(params.text_document.uri)
    span = definition(now.analysis, now.offset(params.position)) if now is not None else None
    return now.location(span) if now is not None and span is not None else None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
async def on_references(
    ls: NexlintServer, params: types.ReferenceParams
) -> list[types.Location] | None:
    now = await ls.current(params.text_document.uri)
    if now is None:
        return None
    found = references(
        now.analysis, now.offset(params.position), params.context.include_declaration
    )
    return [now.location(span) for span in found] or None


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
async def on_prepare_rename(
    ls: NexlintServer, params: types.PrepareRenameParams
) -> types.Range | None:
    now = await ls.current(params.text_document.uri)
    at = occurrence_at(now.analysis, now.offset(params.position)) if now is not None else None
    return now.range(at.span) if now is not None and at is not None else None


@server.feature(types.TEXT_DOCUMENT_RENAME)
async def on_rename(ls: NexlintServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    now = await ls.current(params.text_document.uri)
    if now is None:
        return None
    try:
        return now.edit(rename(now.analysis, now.offset(params.position), params.new_name))
    except RenameError as exc:
        raise RequestFailed(str(exc)) from None


# -- the process --------------------------------------------------------------------------------


def serve(stdin: Any = None, stdout: Any = None) -> None:
    """Serve over standard input and output, and exit: 0 after `shutdown` then `exit`, 1
    when `exit` or the end of the input comes without `shutdown`. The protocol writes to
    its own copy of standard output; whatever else writes there (a plugin's print, a
    library's warning, a C extension) goes to standard error instead, where it cannot break
    a message."""
    if stdout is None:
        stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
        sys.stdout.flush()
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
        sys.stdout = sys.stderr
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="nexlint lsp: %(message)s")
    tune()
    raise SystemExit(server.serve_io(stdin or sys.stdin.buffer, stdout))
