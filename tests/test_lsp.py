"""`nexlint lsp` end to end: a real client (pytest-lsp) drives the server over stdio, once
with each of three editors' capabilities -- VS Code (pushed diagnostics, UTF-16), Neovim
(pulled diagnostics, UTF-8) and Emacs (pushed, UTF-32)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

pytestmark = pytest.mark.asyncio(loop_scope="module")

PROFILES = ["visual-studio-code", "neovim", "emacs"]


class Client(LanguageClient):
    """pytest-lsp's client, keeping every publishDiagnostics with its version."""

    published: list[types.PublishDiagnosticsParams]
    registered: list[types.Registration]


def make_client() -> Client:
    client = Client(converter_factory=default_converter)
    client.published = []
    client.registered = []

    def record(ls: Client, params: types.PublishDiagnosticsParams) -> None:
        ls.published.append(params)
        ls.diagnostics[params.uri] = params.diagnostics

    def register(ls: Client, params: types.RegistrationParams) -> None:
        ls.registered.extend(params.registrations)

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "nexlint", "lsp"], client_factory=make_client
)


@pytest_lsp.fixture(config=SERVER, params=PROFILES, scope="module")
async def client(request: pytest.FixtureRequest, lsp_client: Client) -> Any:
    capabilities = client_capabilities(request.param)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities))
    yield
    await lsp_client.shutdown_session()


# -- helpers: what an editor does -------------------------------------------------------------


def encoding(client: Client) -> str:
    general = client.capabilities.general if client.capabilities else None
    offered = general.position_encodings if general is not None else None
    return str(offered[0]) if offered else "utf-16"


def pulls(client: Client) -> bool:
    text = client.capabilities.text_document if client.capabilities else None
    return text is not None and text.diagnostic is not None


def width(text: str, kind: str) -> int:
    """Code units of ``text`` in an encoding, computed the plain way."""
    if kind == "utf-8":
        return len(text.encode("utf-8"))
    if kind == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def position(text: str, offset: int, kind: str) -> tuple[int, int]:
    lines = text[:offset].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines) - 1, width(lines[-1], kind)


def apply(text: str, edits: list[types.TextEdit], kind: str) -> str:
    """Apply text edits as an editor does (end first), positions in ``kind`` units."""
    lines = text.splitlines(keepends=True) if text else [""]

    def offset(pos: types.Position) -> int:
        start = sum(len(line) for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for index, char in enumerate(line):
            if units >= pos.character or char in "\r\n":
                return start + index
            units += width(char, kind)
        return start + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        a, b = offset(edit.range.start), offset(edit.range.end)
        text = text[:a] + edit.new_text + text[b:]
    return text


class Editor:
    """One open document, as the client holds it."""

    def __init__(self, client: Client, path: Path, text: str) -> None:
        self.client, self.path, self.text, self.version = client, path, text, 1
        self.uri = path.as_uri()
        path.write_text(text, encoding="utf-8", newline="")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri, language_id="yaml", version=self.version, text=text
                )
            )
        )

    @property
    def kind(self) -> str:
        return encoding(self.client)

    def change(self, text: str) -> None:
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

    def close(self) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri)
            )
        )

    async def diagnostics(self) -> list[types.Diagnostic]:
        """The diagnostics of the current version: pulled, or waited for."""
        if pulls(self.client):
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=self.uri)
                )
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            return list(report.items)
        for _ in range(400):
            for params in reversed(self.client.published):
                if params.uri == self.uri and params.version == self.version:
                    return list(params.diagnostics)
            await asyncio.sleep(0.025)
        raise AssertionError(f"no diagnostics for version {self.version} of {self.uri}")

    def at(self, needle: str, nth: int = 0) -> types.Position:
        offset = -1
        for _ in range(nth + 1):
            offset = self.text.index(needle, offset + 1)
        line, character = position(self.text, offset, self.kind)
        return types.Position(line=line, character=character)

    def range_of(self, needle: str, nth: int = 0, word: str | None = None) -> types.Range:
        """The range of ``word`` (default: all of it) where the nth ``needle`` starts."""
        start = self.at(needle, nth)
        size = width(word if word is not None else needle, self.kind)
        end = types.Position(line=start.line, character=start.character + size)
        return types.Range(start=start, end=end)


SHOP = """\
application:
  name: shop
  pods:
    - name: web
      image: acme/web:1.0
      path: /
      servicePorts: [3000]
      vars:
        NOTE: "é😀 http://dbx.pod:8000"
        API_URL: http://api.pod:8000
        DEBUG: yes
    - name: api
      image: nginx:latest  # nexlint: disable=NXL305
      path: /api
      servicePorts: [8000]
      command: curl http://api.pod:8000/health
"""


# -- diagnostics --------------------------------------------------------------------------------


async def test_diagnostics_at_exact_ranges_in_the_clients_encoding(
    client: Client, tmp_path: Path
) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", SHOP)
    found = {d.code: d for d in await editor.diagnostics()}
    assert sorted(found) == ["NXL005", "NXL204"]
    unknown = found["NXL204"]
    # after "é" and an emoji: 1 + 2 units in UTF-16, 2 + 4 bytes in UTF-8, 1 + 1 in UTF-32
    assert unknown.range == editor.range_of("dbx.pod")
    prefix = '        NOTE: "é😀 http://'
    assert unknown.range.start.character == width(prefix, editor.kind)
    assert unknown.severity == types.DiagnosticSeverity.Error
    assert unknown.source == "nexlint"
    assert unknown.code_description is not None
    assert unknown.code_description.href.endswith("#nxl204")
    assert unknown.message.startswith('pod reference "dbx.pod" names no pod; pods are web, api')
    assert found["NXL005"].range == editor.range_of("yes")
    assert found["NXL005"].severity == types.DiagnosticSeverity.Warning
    if pulls(client):  # never both: a client that pulls is never pushed to
        assert not [p for p in client.published if p.uri == editor.uri]
    editor.close()


async def test_secrets_never_reach_the_client(client: Client, tmp_path: Path) -> None:
    text = SHOP.replace(
        "        DEBUG: yes\n",
        "        DEBUG: yes\n        DB_PASSWORD: hunter2hunter2\n        SECRET_MODE: on\n"
        "        DATABASE_URL: postgres://app:s3cr3tpass@dbx.pod/app\n",
    )
    editor = Editor(client, tmp_path / "nexlayer.yaml", text)
    said = [d.message for d in await editor.diagnostics()]
    for needle in ("hunter2hunter2", "s3cr3tpass", "SECRET_MODE: on", "on"):
        found = await actions(editor, needle)
        said += [a.title for a in found]
        said += [markdown(h) for h in [await hover_at(editor, needle)] if h is not None]
    assert any("DB_PASSWORD holds a literal secret" in line for line in said)
    assert not [line for line in said if "hunter2" in line or "s3cr3t" in line]
    editor.close()


async def test_crlf_lines_count_as_one_break(client: Client, tmp_path: Path) -> None:
    text = SHOP.replace("\n", "\r\n")
    editor = Editor(client, tmp_path / "nexlayer.yaml", text)
    found = {d.code: d for d in await editor.diagnostics()}
    assert found["NXL005"].range.start == types.Position(line=10, character=15)
    assert found["NXL204"].range == editor.range_of("dbx.pod")
    editor.close()


async def test_a_change_is_relinted_and_a_stale_version_dropped(
    client: Client, tmp_path: Path
) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", SHOP)
    await editor.diagnostics()
    editor.change(SHOP.replace("DEBUG: yes", 'DEBUG: "yes"'))  # version 2
    editor.change(SHOP.replace("dbx.pod", "api.pod"))  # version 3, typed at once
    assert [d.code for d in await editor.diagnostics()] == ["NXL005"]
    assert not [p for p in client.published if p.uri == editor.uri and p.version == 2]
    editor.close()
    if not pulls(client):  # closing clears what was pushed
        for _ in range(200):
            last = [p for p in client.published if p.uri == editor.uri][-1]
            if not last.diagnostics:  # a tuple, as the client reads it
                break
            await asyncio.sleep(0.025)
        assert not last.diagnostics


async def test_only_nexlayer_files_are_linted(client: Client, tmp_path: Path) -> None:
    other = Editor(client, tmp_path / "docker-compose.yml", "services:\n  web: {image: nginx}\n")
    named = Editor(client, tmp_path / "deploy.yaml", SHOP)  # any name, a nexlayer layout
    assert [d.code for d in await named.diagnostics()] == ["NXL204", "NXL005"]
    if pulls(client):
        assert await other.diagnostics() == []
    else:
        assert not [p for p in client.published if p.uri == other.uri]
    other.close()
    named.close()


# -- code actions -------------------------------------------------------------------------------


async def actions(editor: Editor, needle: str, only: list[str] | None = None) -> list[Any]:
    diagnostics = await editor.diagnostics()
    found = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            range=editor.range_of(needle),
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    return list(found or [])


def applied(editor: Editor, action: types.CodeAction) -> str:
    assert action.edit is not None and action.edit.changes is not None
    return apply(editor.text, list(action.edit.changes[editor.uri]), editor.kind)


FIXABLE = SHOP.replace("dbx.pod", "api.pod").replace(
    "    - name: api\n",
    "    - name: db\n      image: postgres:16\n      servicePorts: [5432]\n"
    "      vars: {POSTGRES_PASSWORD_FILE: /run/pw}\n"
    "      volumes: [{name: pg, size: 1Gi, mountPath: /var/lib/postgresql/data}]\n"
    "    - name: api\n",
)


async def test_a_safe_fix_is_a_preferred_quick_fix(client: Client, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", FIXABLE)
    found = await actions(editor, "yes")
    [fix, line, whole] = [a for a in found if a.kind == types.CodeActionKind.QuickFix]
    assert fix.title == 'quote it: "yes" [NXL005]'
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert [d.code for d in fix.diagnostics] == ["NXL005"]
    assert applied(editor, fix) == FIXABLE.replace("DEBUG: yes", 'DEBUG: "yes"')
    assert line.title == "Disable NXL005 for this line"
    assert applied(editor, line) == FIXABLE.replace(
        "DEBUG: yes", "DEBUG: yes  # nexlint: disable=NXL005"
    )
    assert whole.title == "Disable NXL005 for this file"
    assert applied(editor, whole) == "# nexlint: disable-file=NXL005\n" + FIXABLE
    editor.close()


async def test_an_unsafe_fix_says_so_and_is_not_preferred(client: Client, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", FIXABLE)
    fix = (await actions(editor, "/var/lib/postgresql/data"))[0]
    assert fix.title == "set PGDATA: /var/lib/postgresql/data/pgdata (unsafe fix) [NXL401]"
    assert not fix.is_preferred
    assert applied(editor, fix) == FIXABLE.replace(
        "{POSTGRES_PASSWORD_FILE: /run/pw}",
        "{POSTGRES_PASSWORD_FILE: /run/pw, PGDATA: /var/lib/postgresql/data/pgdata}",
    )
    editor.close()


async def test_a_line_directive_extends_one_already_there(client: Client, tmp_path: Path) -> None:
    text = FIXABLE.replace("DEBUG: yes", "DEBUG: yes  # nexlint: disable=NXL305 -- why")
    editor = Editor(client, tmp_path / "nexlayer.yaml", text)
    [line] = [a for a in await actions(editor, "yes") if a.title.endswith("this line")]
    assert applied(editor, line) == FIXABLE.replace(
        "DEBUG: yes", "DEBUG: yes  # nexlint: disable=NXL305,NXL005 -- why"
    )
    editor.close()


async def test_no_line_directive_inside_a_string_that_spans_lines(
    client: Client, tmp_path: Path
) -> None:
    text = SHOP.replace(
        "      command: curl http://api.pod:8000/health\n",
        "      command: |\n        curl http://apx.pod:8000/health\n        echo done\n",
    )
    editor = Editor(client, tmp_path / "nexlayer.yaml", text)
    found = await actions(editor, "apx.pod")
    titles = [a.title for a in found if a.kind == types.CodeActionKind.QuickFix]
    assert titles == ["Disable NXL204 for this file"]
    editor.close()


def resolves(client: Client) -> bool:
    text = client.capabilities.text_document if client.capabilities else None
    action = text.code_action if text is not None else None
    support = action.resolve_support if action is not None else None
    return support is not None and "edit" in support.properties


async def test_fix_all_applies_the_safe_fixes(client: Client, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", FIXABLE)
    expected = FIXABLE.replace("DEBUG: yes", 'DEBUG: "yes"')  # NXL401's fix is unsafe: not it
    for only in (["source.fixAll.nexlint"], ["source.fixAll"], ["source"]):
        [action] = await actions(editor, "yes", only=only)
        assert action.kind == "source.fixAll.nexlint"
        assert applied(editor, action) == expected
    # Asked for everything, a client that resolves actions lists fix-all and gets its edit
    # only when it picks it; one that does not resolve is not offered it there.
    lazy = [a for a in await actions(editor, "yes") if a.kind == "source.fixAll.nexlint"]
    if resolves(client):
        [action] = lazy
        assert action.edit is None
        resolved = await client.code_action_resolve_async(action)
        assert applied(editor, resolved) == expected
    else:
        assert lazy == []
    editor.close()


# -- hover and navigation -----------------------------------------------------------------------


async def hover_at(editor: Editor, needle: str, nth: int = 0) -> types.Hover | None:
    await editor.diagnostics()
    return await editor.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            position=editor.at(needle, nth),
        )
    )


def markdown(found: types.Hover | None) -> str:
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    assert found.contents.kind == types.MarkupKind.Markdown
    return found.contents.value


async def test_hover_explains_the_rule_the_key_and_the_directive(
    client: Client, tmp_path: Path
) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", SHOP)
    on_finding = await hover_at(editor, "dbx.pod")
    text = markdown(on_finding)
    assert text.startswith("**NXL204** `unknown-pod-reference` (error)")
    assert "[NXL204 documentation](" in text
    assert on_finding is not None and on_finding.range == editor.range_of("dbx.pod")
    on_key = await hover_at(editor, "servicePorts")
    assert markdown(on_key).startswith("**servicePorts**: Ports the container listens on")
    assert on_key is not None and on_key.range == editor.range_of("servicePorts")
    assert markdown(await hover_at(editor, "NXL305")).startswith("**NXL305** `image-latest-tag`")
    assert await hover_at(editor, "acme/web") is None  # a value nothing is said about
    editor.close()
    v2 = SHOP.replace("application:\n", "application:\n  version: 2.0\n").replace(
        "    - name: api\n", "    - name: api\n      resourceType: statefulset\n"
    )
    editor = Editor(client, tmp_path / "nexlayer.yaml", v2)
    kind = markdown(await hover_at(editor, "resourceType"))
    assert "Allowed values:" in kind
    assert "- `job`: Runs to completion and stops; needs no `servicePorts`." in kind
    editor.close()


NAMED = """\
application:
  name: shop
  pods:
    - name: web
      image: acme/web:1.0
      path: /
      servicePorts: [3000]
      vars:
        API_URL: http://api.pod:8000
      volumes:
        - {name: cache, size: 1Gi, mountPath: /cache}
    - name: "api"
      image: acme/api:1.0
      servicePorts: [8000]
      command: ["sh", "-c", "wait-for api.pod:8000 && exec api"]
"""


async def test_symbols_outline_the_application(client: Client, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", NAMED)
    await editor.diagnostics()
    [app] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=editor.uri))
    )
    assert (app.name, app.kind) == ("shop", types.SymbolKind.Module)
    web, api = app.children
    assert (web.name, web.kind, web.detail) == ("web", types.SymbolKind.Class, "acme/web:1.0")
    assert [(c.name, c.kind) for c in web.children] == [
        ("API_URL", types.SymbolKind.Variable),
        ("cache", types.SymbolKind.Field),
    ]
    assert api.selection_range == editor.range_of('"api"')
    editor.close()


async def test_definition_and_references_of_a_pod(client: Client, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", NAMED)
    await editor.diagnostics()
    doc = types.TextDocumentIdentifier(uri=editor.uri)
    target = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=editor.at("api.pod"))
    )
    assert isinstance(target, types.Location)
    assert (target.uri, target.range) == (editor.uri, editor.range_of('api"', word="api"))
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc,
            position=editor.at('api"'),  # on the name
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert [r.range for r in found] == [
        editor.range_of("api.pod", word="api"),  # http://api.pod
        editor.range_of('api"', word="api"),  # name: "api"
        editor.range_of("api.pod", 1, word="api"),  # wait-for api.pod
    ]
    editor.close()


async def test_rename_a_pod_everywhere(client: Client, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", NAMED)
    await editor.diagnostics()
    doc = types.TextDocumentIdentifier(uri=editor.uri)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc, position=editor.at("api.pod"))
    )
    assert prepared == editor.range_of("api.pod", word="api")
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc, position=editor.at("api.pod"), new_name="backend")
    )
    assert edit is not None and edit.changes is not None
    renamed = apply(editor.text, list(edit.changes[editor.uri]), editor.kind)
    assert renamed == NAMED.replace("api.pod", "backend.pod").replace('"api"', '"backend"')
    with pytest.raises(JsonRpcException, match="exists already"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc, position=editor.at("api.pod"), new_name="web")
        )
    with pytest.raises(JsonRpcException, match="not a pod name"):
        await client.text_document_rename_async(
            types.RenameParams(text_document=doc, position=editor.at("api.pod"), new_name="Api_2")
        )
    editor.close()


# -- configuration, settings, plugins, the process ----------------------------------------------


async def republished(editor: Editor, seen: int) -> list[types.Diagnostic]:
    """Diagnostics of the current version that arrive after the first ``seen`` publishes
    (pushed), or pulled again."""
    if pulls(editor.client):
        return await editor.diagnostics()
    for _ in range(400):
        for params in editor.client.published[seen:]:
            if params.uri == editor.uri and params.version == editor.version:
                return list(params.diagnostics)
        await asyncio.sleep(0.025)
    raise AssertionError("nothing was published again")


async def test_a_config_file_is_read_again_when_it_changes(client: Client, tmp_path: Path) -> None:
    editor = Editor(client, tmp_path / "nexlayer.yaml", SHOP)
    assert [d.code for d in await editor.diagnostics()] == ["NXL204", "NXL005"]
    config = tmp_path / "nexlint.toml"
    config.write_text('ignore = ["NXL005"]\n')
    seen = len(client.published)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    assert [d.code for d in await republished(editor, seen)] == ["NXL204"]
    editor.close()


async def test_a_broken_config_file_is_said_and_the_defaults_used(
    client: Client, tmp_path: Path
) -> None:
    (tmp_path / "nexlint.toml").write_text("ignore = [\n")
    editor = Editor(client, tmp_path / "nexlayer.yaml", SHOP)
    assert [d.code for d in await editor.diagnostics()] == ["NXL204", "NXL005"]
    shown = [m.message for m in client.messages if "nexlint.toml" in m.message]
    assert shown and shown[-1].startswith("nexlint: configuration: ")
    assert "not valid TOML" in shown[-1] and shown[-1].endswith("; using the defaults")
    editor.close()


async def test_the_server_watches_config_files_where_the_client_can(client: Client) -> None:
    watched = client.capabilities.workspace.did_change_watched_files  # type: ignore[union-attr]
    methods = [r.method for r in client.registered]
    if watched is not None and watched.dynamic_registration:
        assert methods == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    else:
        assert methods == []


LOUD_PLUGIN = '''
import os
import nexlint

print("printed at import")
os.write(1, b"written to the protocol's descriptor at import\\n")


@nexlint.rule(code="LOUD001", name="loud-rule", severity="warning", summary="prints")
def loud(doc, report):
    """
    Why: it prints.

    Bad:

        application: {}

    Good:

        application: {}
    """
    print("printed while checking")
    os.write(1, b"Content-Length: 9\\r\\n\\r\\n{garbage}")
    report("/application/name", "loud was here")


@nexlint.rule(code="LOUD002", name="crashing-rule", severity="warning", summary="raises")
def crash(doc, report):
    """
    Why: it raises.

    Bad:

        application: {}

    Good:

        application: {}
    """
    raise RuntimeError("boom")
'''


async def test_a_plugin_that_prints_or_raises_does_not_break_the_server(
    client: Client, tmp_path: Path
) -> None:
    (tmp_path / "loud_plugin.py").write_text(LOUD_PLUGIN)
    (tmp_path / "nexlint.toml").write_text('plugins = ["loud_plugin"]\n')
    folders(client, added=[tmp_path])  # plugins load only from the workspace's configs
    try:
        editor = Editor(client, tmp_path / "nexlayer.yaml", SHOP)
        found = {d.code: d for d in await editor.diagnostics()}
        assert {"LOUD001", "LOUD002", "NXL204", "NXL005"} <= set(found)
        assert "LOUD002" in found["LOUD002"].message
        assert "RuntimeError" in found["LOUD002"].message
        # still answering, over an intact stream
        assert markdown(await hover_at(editor, "dbx.pod")).startswith("**NXL204**")
        editor.close()
    finally:
        folders(client, removed=[tmp_path])


def folders(client: Client, added: Sequence[Path] = (), removed: Sequence[Path] = ()) -> None:
    """Add or remove workspace folders, as an editor does when the user does."""
    event = types.WorkspaceFoldersChangeEvent(
        added=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in added],
        removed=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in removed],
    )
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(event=event)
    )


async def test_on_save_lints_only_when_saved(client: Client, tmp_path: Path) -> None:
    """`run = onSave` holds back pushed diagnostics until a save; a client that pulls asks
    when it likes and is answered for the text it has."""
    client.set_configuration({"run": "onSave"}, section="nexlint")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    try:
        editor = Editor(client, tmp_path / "nexlayer.yaml", SHOP)
        assert [d.code for d in await editor.diagnostics()] == ["NXL204", "NXL005"]
        editor.change(SHOP.replace("dbx.pod", "api.pod"))
        if not pulls(client):
            await asyncio.sleep(0.6)
            assert not [p for p in client.published if p.uri == editor.uri and p.version == 2]
            client.text_document_did_save(
                types.DidSaveTextDocumentParams(
                    text_document=types.TextDocumentIdentifier(uri=editor.uri)
                )
            )
        assert [d.code for d in await editor.diagnostics()] == ["NXL005"]
        editor.close()
    finally:
        client.set_configuration({"run": "onType"}, section="nexlint")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))


async def test_shutdown_then_exit_ends_the_process_cleanly() -> None:
    client = await SERVER.start()
    try:
        await client.initialize_session(
            types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
        )
        await client.shutdown_session()
        assert client._server is not None and client._server.returncode == 0
    finally:
        await client.stop()


# -- responsiveness: each document linted within a budget, fix-all off the event loop ------------

# The server with the engine held up where a test says: `analyse` waits while the text says
# "# slow" until the file RELEASE exists (for an hour on "# stuck"), and logs each "# rev N"
# it lints; the fixes' lint waits for RELEASE likewise and logs each call, and fix-all logs
# when it returns.
HELD = """
import os, sys, time
import nexlint.fixes, nexlint.lsp.analysis, nexlint.lsp.server

LOG, RELEASE = sys.argv[1], sys.argv[2]


def log(line):
    with open(LOG, "a") as handle:
        handle.write(line + "\\n")


def hold():
    while not os.path.exists(RELEASE):
        time.sleep(0.02)


def analyse(text, filename, config, real=nexlint.lsp.server.analyse):
    log("lint " + " ".join(l[6:] for l in text.splitlines() if l.startswith("# rev ")))
    if "# slow" in text:
        hold()
    if "# stuck" in text:
        time.sleep(3600)
    return real(text, filename, config)


def lint_text(*args, real=nexlint.fixes.lint_text, **kwargs):
    log("fix lint")
    hold()
    return real(*args, **kwargs)


def fix_text(*args, real=nexlint.lsp.analysis.fix_text, **kwargs):
    try:
        return real(*args, **kwargs)
    finally:
        log("fix_text returned")


nexlint.lsp.server.analyse = analyse
nexlint.fixes.lint_text = lint_text
nexlint.lsp.analysis.fix_text = fix_text
nexlint.lsp.server.serve()
"""
ANSWER = 20.0  # seconds any awaited answer may take before the test fails


class Held:
    """A server whose engine the test holds up and releases (see HELD)."""

    def __init__(self, tmp_path: Path) -> None:
        self.log, self.release = tmp_path / "engine.log", tmp_path / "release"
        self.log.touch()
        command = [sys.executable, "-c", HELD, str(self.log), str(self.release)]
        self.config = ClientServerConfig(server_command=command, client_factory=make_client)

    async def start(self, profile: str, **options: Any) -> Client:
        client = await self.config.start()
        assert isinstance(client, Client)
        await client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities(profile), initialization_options=options
            )
        )
        return client

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines()

    async def logged(self, line: str) -> None:
        for _ in range(int(ANSWER / 0.02)):
            if line in self.lines():
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"the engine never logged {line!r}: {self.lines()}")


async def stop(client: Client) -> None:
    try:
        await asyncio.wait_for(client.shutdown_session(), ANSWER)
    finally:
        await client.stop()


def note_of(diagnostics: list[types.Diagnostic]) -> str:
    [note] = diagnostics
    assert note.range.start == types.Position(line=0, character=0)
    assert note.severity == types.DiagnosticSeverity.Warning and note.source == "nexlint"
    return note.message


async def pushed(editor: Editor, check: Any) -> list[types.Diagnostic]:
    """The last diagnostics pushed for the editor's version once ``check`` holds of them
    (a push client; a pull client is asked)."""
    for _ in range(int(ANSWER / 0.02)):
        found = await editor.diagnostics()
        if check(found):
            return found
        await asyncio.sleep(0.02)
    raise AssertionError(f"never {check}: {await editor.diagnostics()}")


@pytest.mark.parametrize("profile", ["visual-studio-code", "neovim"])
async def test_a_slow_document_does_not_hold_up_the_others(tmp_path: Path, profile: str) -> None:
    held = Held(tmp_path)
    client = await held.start(profile, lintTimeout=1)
    try:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        slow = Editor(client, tmp_path / "a" / "nexlayer.yaml", "# slow\n# rev 1\n" + SHOP)
        await held.logged("lint 1")  # the slow lint is under way, and stays so
        fast = Editor(client, tmp_path / "b" / "nexlayer.yaml", SHOP)
        assert [d.code for d in await fast.diagnostics()] == ["NXL204", "NXL005"]
        # Past its budget the slow one says so, and requests about it are answered.
        message = note_of(await pushed(slow, lambda found: len(found) == 1))
        assert message == (
            "nexlint stopped linting this file after 1 s, so its problems are not shown "
            "(the time budget is the setting nexlint.lintTimeout)"
        )
        assert await asyncio.wait_for(hover_at_once(slow, "dbx.pod"), ANSWER) is None
        # Typed on while it is stuck: only the newest text is linted after it.
        for rev in (2, 3, 4):
            slow.change(SHOP + f"# rev {rev}\n")
            await asyncio.sleep(3 * DEBOUNCE)
        fast.change(SHOP.replace("dbx.pod", "api.pod"))
        assert [d.code for d in await fast.diagnostics()] == ["NXL005"]
        held.release.touch()
        found = await pushed(slow, lambda found: [d.code for d in found] == ["NXL204", "NXL005"])
        assert found[0].range == slow.range_of("dbx.pod")
        assert [line for line in held.lines() if line.startswith("lint ")] == [
            "lint 1",
            "lint ",  # the fast one's two versions
            "lint ",
            "lint 4",
        ]
        # A lint that never ends does not keep the process alive after exit.
        (tmp_path / "c").mkdir()
        Editor(client, tmp_path / "c" / "nexlayer.yaml", "# stuck\n# rev 9\n" + SHOP)
        await held.logged("lint 9")
    finally:
        await stop(client)
    assert client._server is not None and client._server.returncode == 0


DEBOUNCE = 0.15


async def hover_at_once(editor: Editor, needle: str) -> types.Hover | None:
    return await editor.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=editor.uri),
            position=editor.at(needle),
        )
    )


def fix_all_request(editor: Editor, msg_id: str) -> Any:
    """Ask for fix-all the way an editor does on save; the answer's future."""
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=editor.uri),
        range=editor.range_of("yes"),
        context=types.CodeActionContext(diagnostics=[], only=[FIX_ALL]),
    )
    future = editor.client.protocol.send_request(
        types.TEXT_DOCUMENT_CODE_ACTION, params, msg_id=msg_id
    )
    return asyncio.wrap_future(future)


FIX_ALL = "source.fixAll.nexlint"


@pytest.mark.parametrize("cancelled", [False, True])
async def test_fix_all_runs_off_the_event_loop_and_stops_when_cancelled(
    tmp_path: Path, cancelled: bool
) -> None:
    held = Held(tmp_path)
    client = await held.start("visual-studio-code")
    try:
        editor = Editor(client, tmp_path / "nexlayer.yaml", FIXABLE)
        await editor.diagnostics()
        answer = fix_all_request(editor, "fix-all-1")
        await held.logged("fix lint")  # fix-all is working, held up in its thread
        # meanwhile the server answers
        shown = await asyncio.wait_for(hover_at_once(editor, "servicePorts"), ANSWER)
        assert markdown(shown).startswith("**servicePorts**")
        if cancelled:
            client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="fix-all-1"))
            with pytest.raises(JsonRpcException) as refused:
                await asyncio.wait_for(answer, ANSWER)
            assert refused.value.code == -32800  # RequestCancelled
        held.release.touch()
        await held.logged("fix_text returned")
        rounds = held.lines().count("fix lint")
        if cancelled:
            assert rounds == 1  # it stopped before its first round of fixes
        else:
            [action] = await asyncio.wait_for(answer, ANSWER)
            assert applied(editor, action) == FIXABLE.replace("DEBUG: yes", 'DEBUG: "yes"')
            assert rounds == 2  # the text, then the text with the fix
    finally:
        await stop(client)


# -- plugins only from the workspace's configs ---------------------------------------------------

MARKING_PLUGIN = """
import pathlib
pathlib.Path(__file__).with_name("imported").write_text("ran")
"""


async def test_a_config_outside_the_workspace_loads_no_plugin(tmp_path: Path) -> None:
    workspace, outside = tmp_path / "workspace", tmp_path / "shared-tmp"
    for folder in (workspace, outside):
        folder.mkdir()
        (folder / "marking_plugin.py").write_text(MARKING_PLUGIN)
        (folder / "nexlint.toml").write_text('plugins = ["marking_plugin"]\nignore = ["NXL005"]\n')
    client = await SERVER.start()
    assert isinstance(client, Client)
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=client_capabilities("visual-studio-code"),
                root_uri=workspace.as_uri(),  # no workspaceFolders: the root is the workspace
            )
        )
        for name in ("nexlayer.yaml", "nexlayer.staging.yaml"):
            editor = Editor(client, outside / name, SHOP)
            # its other settings apply: NXL005 is ignored
            assert [d.code for d in await editor.diagnostics()] == ["NXL204"]
        assert not (outside / "imported").exists()
        said = [
            m.message
            for m in client.messages
            if "marking_plugin" in m.message or str(outside) in m.message
        ]
        assert said == [
            f"nexlint: the plugins named in {outside / 'nexlint.toml'} were not loaded: it "
            "lies outside the workspace folders (its other settings apply)"
        ]  # once, for both files
        inside = Editor(client, workspace / "nexlayer.yaml", SHOP)
        assert [d.code for d in await inside.diagnostics()] == ["NXL204"]
        assert (workspace / "imported").read_text() == "ran"
    finally:
        await stop(client)


async def test_without_a_workspace_no_plugin_is_loaded(client: Client, tmp_path: Path) -> None:
    (tmp_path / "marking_plugin.py").write_text(MARKING_PLUGIN)
    (tmp_path / "nexlint.toml").write_text('plugins = ["marking_plugin"]\n')
    editor = Editor(client, tmp_path / "nexlayer.yaml", SHOP)
    assert [d.code for d in await editor.diagnostics()] == ["NXL204", "NXL005"]
    assert not (tmp_path / "imported").exists()
    editor.close()
