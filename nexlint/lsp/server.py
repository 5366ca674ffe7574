"""`nexlint lsp`: the language server. The same engine, configuration and codes as
`nexlint check`, for the file being edited.

Linting runs in a worker thread, so typing never waits for it; a change is linted after a
pause (DEBOUNCE), and a result for a version the user has typed past is dropped. Clients
that pull diagnostics (`textDocument/diagnostic`) are never also pushed them. Nothing but
the protocol reaches standard output: `serve` gives the protocol its own copy of it and
points the process's standard output at standard error before anything runs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from nexlint import __version__
from nexlint.collector import tune
from nexlint.diagnostics import Diagnostic, Severity
from nexlint.discovery import is_nexlayer_file
from nexlint.lsp.analysis import Analysis, Span, TextChange, analyse, looks_like_nexlayer
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
from nexlint.lsp.settings import ClientSettings, Configurations, path_of
from nexlint.registry import registry

DEBOUNCE = 0.15  # seconds of quiet after a keystroke before linting
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


class RequestFailed(JsonRpcException):
    """An answer the editor shows the user (LSP's RequestFailed)."""

    CODE = -32803


@dataclass
class Open:
    """An open document: the last analysis made of it and the lint on its way."""

    uri: str
    path: str | None
    analysis: Analysis | None = None
    version: int | None = None  # the version `analysis` is of
    positions: Positions | None = None
    pending: asyncio.Task[None] | None = None
    published: bool = False
    problems: set[str] = field(default_factory=set)


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
    def __init__(self) -> None:
        super().__init__(
            "nexlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.settings = ClientSettings()
        self.configurations = Configurations()
        self.documents: dict[str, Open] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nexlint-lint")
        self.debounce = DEBOUNCE

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

    def tell(self, message: str, error: bool = False) -> None:
        """A line in the client's log (and, for an error, a message the user sees)."""
        kind = types.MessageType.Error if error else types.MessageType.Log
        self.window_log_message(types.LogMessageParams(type=kind, message=f"nexlint: {message}"))
        if error:
            self.window_show_message(
                types.ShowMessageParams(type=kind, message=f"nexlint: {message}")
            )

    # -- linting -----------------------------------------------------------------------------

    def track(self, uri: str, text: str) -> bool:
        """Whether nexlint lints this document (a nexlayer file by its name, or a YAML
        file of its layout); a document it lints is tracked from then on."""
        if uri in self.documents:
            return True
        name = (path_of(uri) or uri).replace("\\", "/").rsplit("/", 1)[-1]
        if not is_nexlayer_file(name) and not (
            name.endswith((".yaml", ".yml")) and looks_like_nexlayer(text)
        ):
            return False
        self.documents[uri] = Open(uri, path_of(uri))
        return True

    def _analyse(self, text: str, path: str | None) -> tuple[Analysis | None, str | None]:
        """In the worker thread: the document linted with its folder's configuration, and
        what went wrong, if anything (said by the caller: only the event loop writes to the
        client)."""
        found = self.configurations.for_file(path)
        problem = f"configuration: {found.problem}; using the defaults" if found.problem else None
        try:
            return analyse(text, path or "nexlayer.yaml", found.config), problem
        except Exception as exc:  # a bug in nexlint: the server stays up
            log.exception("linting %s failed", path)
            return None, f"internal error: {type(exc).__name__}: {exc}"

    async def current(self, uri: str) -> Current | None:
        """The analysis of the document as it is now, made now if the last one is stale."""
        state = self.documents.get(uri)
        if state is None:
            return None
        version = self.workspace.get_text_document(uri).version
        if state.analysis is None or state.version != version:
            await self.lint(uri)
        if state.analysis is None or state.positions is None or state.version != version:
            return None  # the text changed while it was linted: an answer would be off
        return Current(uri, state.version, state.analysis, state.positions)

    async def lint(self, uri: str, delay: float = 0.0) -> None:
        """Lint the document's current version; publish the result unless the client pulls
        or the document changed meanwhile."""
        if delay:
            await asyncio.sleep(delay)
        state = self.documents.get(uri)
        if state is None:
            return
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source
        loop = asyncio.get_running_loop()
        result, problem = await loop.run_in_executor(self.worker, self._analyse, text, state.path)
        if problem is not None and problem not in state.problems:
            state.problems.add(problem)  # said once per document
            self.tell(problem, error=True)
        current = self.documents.get(uri)
        if current is not state or self.workspace.get_text_document(uri).version != version:
            return  # typed past, or closed: this result is stale
        if result is None:
            return
        state.analysis, state.version = result, version
        state.positions = Positions(result.text, self.encoding)
        if not self.pulls:
            self.publish(state)

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        state = self.documents.get(uri)
        if state is None:
            return
        if state.pending is not None and not state.pending.done():
            state.pending.cancel()
        state.pending = asyncio.ensure_future(self.lint(uri, delay))

    def publish(self, state: Open) -> None:
        assert state.analysis is not None and state.positions is not None
        items = [to_lsp(d, state.analysis, state.positions) for d in state.analysis.diagnostics]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=state.uri, diagnostics=items, version=state.version)
        )
        state.published = True

    def relint_all(self) -> None:
        self.configurations.forget()
        for uri, state in self.documents.items():
            state.analysis = None
            if not self.pulls:
                self.schedule(uri)
        if self.pulls:
            refresh = self.client_capabilities.workspace
            diagnostics = refresh.diagnostics if refresh is not None else None
            if diagnostics is not None and diagnostics.refresh_support:
                self.workspace_diagnostic_refresh(None)


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
    for state in ls.documents.values():
        if state.pending is not None:
            state.pending.cancel()
    ls.worker.shutdown(wait=False, cancel_futures=True)


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


# -- documents ----------------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: NexlintServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    if ls.track(uri, params.text_document.text):
        ls.schedule(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: NexlintServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    if not ls.track(uri, ls.workspace.get_text_document(uri).source):
        return
    if ls.settings.run == "onType" and not ls.pulls:
        ls.schedule(uri, ls.debounce)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
def did_save(ls: NexlintServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.documents and not ls.pulls:
        ls.schedule(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: NexlintServer, params: types.DidCloseTextDocumentParams) -> None:
    state = ls.documents.pop(params.text_document.uri, None)
    if state is None:
        return
    if state.pending is not None:
        state.pending.cancel()
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
    now = (
        await ls.current(uri) if ls.track(uri, ls.workspace.get_text_document(uri).source) else None
    )
    if now is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = f"{now.version}:{id(now.analysis)}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    items = [to_lsp(d, now.analysis, now.positions) for d in now.analysis.diagnostics]
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)


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
        action = fix_all_action(now, ls.settings.unsafe_fixes)
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
    resolved = fix_all_action(now, ls.settings.unsafe_fixes)
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


def fix_all_action(now: Current, unsafe: bool) -> types.CodeAction | None:
    change = now.analysis.fix_all(unsafe)
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
    """Serve over standard input and output. The protocol writes to its own copy of
    standard output; whatever else writes there (a plugin's print, a library's warning, a
    C extension) goes to standard error instead, where it cannot break a message."""
    if stdout is None:
        stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
        sys.stdout.flush()
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
        sys.stdout = sys.stderr
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="nexlint lsp: %(message)s")
    tune()
    server.start_io(stdin or sys.stdin.buffer, stdout)
