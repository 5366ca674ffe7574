"""The plugin host itself: a child process of nexlint that imports the plugins and runs their
rules, so that what a plugin does -- hang, exit, crash, print -- happens here, never in
nexlint's process. Started by parent.Host, which passes the numbers of two pipes: requests
come in on one, progress and answers go out on the other (wire.py).

The exchange: first the plugins to load; the answer is their rules' metadata, or the error
that stopped them loading. Then documents to check, each with the codes of the rules to run;
the answer is the findings. Before it loads a plugin or runs a rule, the host says so, so
that nexlint can name it if the host hangs or dies there."""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

from nexlint.diagnostics import Fix, Severity
from nexlint.document import Document, parse
from nexlint.engine import crash, describe, run_rule
from nexlint.findings import Finding
from nexlint.plugin_host.lifeline import die_with_parent
from nexlint.plugin_host.wire import Decoder, receive, send
from nexlint.registry import ENGINE_MODULES, PluginError, rules_in
from nexlint.rule_api import Rule
from nexlint.view import DocumentView

OUTPUT_SAMPLE = 1 << 20  # bytes of a rule's raw output read back to count its characters

Say = Callable[[str], None]


class _Sink(io.StringIO):
    """Where ``sys.stdout`` points while a plugin runs; a plugin that closes it does not
    stop the count."""

    def close(self) -> None:
        pass


class Output:
    """Descriptor 1 of the host: an unlinked temporary file, opened for appending. What a
    plugin writes there past ``sys.stdout`` (``os.write(1, ...)``, ``sys.__stdout__``, a C
    library's printf) is counted by ``taken`` and dropped."""

    def __init__(self) -> None:
        import fcntl

        fd = _anonymous_file()
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
        os.dup2(fd, 1)
        os.close(fd)
        self.stream = sys.__stdout__  # the Python stream over descriptor 1, as at start-up

    def taken(self) -> int:
        """Characters written to descriptor 1 since the last call."""
        with contextlib.suppress(BaseException):  # a plugin may have broken the stream
            if self.stream is not None:
                self.stream.flush()
        try:
            size = os.fstat(1).st_size
            if not size:
                return 0
            data = os.pread(1, min(size, OUTPUT_SAMPLE), 0)
            os.ftruncate(1, 0)
        except OSError:  # a plugin closed or replaced descriptor 1: nothing to count
            return 0
        return len(data.decode("utf-8", "replace")) + max(0, size - OUTPUT_SAMPLE)


def _anonymous_file() -> int:
    """A file no one else can open: in memory on Linux, else unlinked from a temporary
    folder (importing tempfile costs as much as a small lint)."""
    if hasattr(os, "memfd_create"):
        with contextlib.suppress(OSError):
            return os.memfd_create("nexlint-plugin-output", os.MFD_CLOEXEC)
    import tempfile

    fd, path = tempfile.mkstemp(prefix="nexlint-plugin-output-")
    os.unlink(path)
    return fd


class Plugins:
    """The plugins' rules as loaded, and what each rule's module wrote when it was."""

    def __init__(self) -> None:
        self.groups: list[tuple[str, list[dict[str, Any]]]] = []
        self.rules: dict[str, Rule] = {}
        self.loud: dict[str, int] = {}
        # A plugin that imports one of the engine's rule objects declares nothing new.
        self._seen = {id(r) for m in ENGINE_MODULES for r in importlib.import_module(m).RULES}

    def load(self, request: dict[str, Any], say: Say, output: Output) -> None:
        """Import the entry points, then the config's plugins (from ``plugin_dir`` too), as
        nexlint always has. Raises PluginError."""
        for name, value in request["entry_points"]:
            module, _, attribute = value.partition(":")

            def entry(module: str = module.strip(), attribute: str = attribute) -> Any:
                loaded: Any = importlib.import_module(module)
                for part in filter(None, attribute.strip().split(".")):
                    loaded = getattr(loaded, part)
                return loaded

            self._one(value, f'"{name}" ({value})', entry, say, output)
        with _importable_from(request["plugin_dir"]):
            for name in request["plugins"]:
                self._one(
                    name, f'"{name}"', functools.partial(importlib.import_module, name), say, output
                )

    def _one(
        self, source: str, label: str, get: Callable[[], Any], say: Say, output: Output
    ) -> None:
        say(label)
        printed = _Sink()
        try:
            with contextlib.redirect_stdout(printed):
                found = rules_in(get())
            metadata = [_metadata(rule) for rule in found]
        except BaseException as exc:  # a plugin's import may fail in any way
            raise PluginError(f"plugin {label} could not be loaded: {describe(exc)}") from None
        wrote = printed.tell() + output.taken()
        new = []
        for rule, meta in zip(found, metadata, strict=True):
            if id(rule) in self._seen:
                continue
            self._seen.add(id(rule))
            self.rules.setdefault(rule.code, rule)
            if wrote:
                self.loud[rule.code] = wrote
            new.append(meta)
        self.groups.append((source, new))

    def check(self, request: dict[str, Any], say: Say, output: Output) -> list[Any]:
        """The findings of the rules named in ``request`` on its text, each rule contained."""
        doc = parse(request["text"])
        view = DocumentView(doc)
        found: list[Any] = []
        for code in request["codes"]:
            rule = self.rules.get(code)
            if rule is None or rule.check is None:
                continue
            say(code)
            found += self._run(rule, view, doc, output)
        return found

    def _run(self, rule: Rule, view: DocumentView, doc: Document, output: Output) -> list[Any]:
        output.taken()  # what a plugin's thread wrote between two rules is no rule's
        printed = _Sink()
        with contextlib.redirect_stdout(printed):
            found = run_rule(
                rule,
                view,
                doc,
                printed,
                self.loud.get(rule.code, 0),
                interrupts=True,
                elsewhere=output.taken,
            )
        try:
            return [_plain(finding, len(doc.text)) for finding in found]
        except BaseException as exc:  # what it reported passed report() yet cannot be sent
            problem = f"it reported what cannot be sent to nexlint: {describe(exc)}"
            return [_plain(crash(rule, problem), len(doc.text))]


def _metadata(rule: Rule) -> dict[str, Any]:
    """What nexlint's process knows of a plugin rule. Raises if the rule is malformed."""
    for key in ("code", "name", "summary", "doc", "url", "origin"):
        if not isinstance(getattr(rule, key), str):
            raise TypeError(f"a rule whose {key} is not a string")
    if not all(isinstance(code, str) for code in rule.replaces):
        raise TypeError(f"rule {rule.code}: replaces must be codes")
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": Severity.parse(rule.severity).value,
        "summary": rule.summary,
        "doc": rule.doc,
        "fixable": bool(rule.fixable),
        "url": rule.url,
        "replaces": list(rule.replaces),
        "origin": rule.origin,
    }


def _plain(finding: Finding, size: int) -> list[Any]:
    """A finding as plain JSON values, checked to be what nexlint's process accepts (a
    value a plugin made itself may say it stands anywhere)."""
    fix: Fix | None = finding.fix
    edits = (
        None if fix is None else [[*_span(e.start, e.end, size), _str(e.text)] for e in fix.edits]
    )
    return [
        finding.code,
        _str(finding.message),
        *_span(finding.start, finding.end, size),
        _str(finding.pointer),
        None if finding.help is None else _str(finding.help),
        None if fix is None else [_str(fix.message), fix.safe is True, edits],
    ]


def _span(start: object, end: object, size: int) -> tuple[int, int]:
    if not (type(start) is int and type(end) is int and 0 <= start <= end <= size):
        raise ValueError(f"a range that is not inside the text (0 to {size})")
    return start, end


def _str(value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{type(value).__name__} where a string belongs")
    return str.__str__(value)  # an exact str: a subclass cannot change how it is sent


@contextlib.contextmanager
def _importable_from(directory: str | None) -> Iterator[None]:
    """Plugins named in a config file may live beside it."""
    if directory is None or directory in sys.path:
        yield
        return
    sys.path.insert(0, directory)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):  # a plugin took it out itself
            sys.path.remove(directory)


def main(argv: list[str]) -> None:
    """Serve until nexlint closes the request pipe, then end without running the plugins'
    exit handlers (a plugin's thread or atexit hook must not keep the host alive)."""
    try:
        _serve(int(argv[0]), int(argv[1]), int(argv[2]))
    except BaseException:
        import traceback

        traceback.print_exc()  # a bug in nexlint's side of the host, shown as any other
        os._exit(70)
    os._exit(0)


def _serve(requests: int, answers: int, parent: int) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is nexlint's to handle
    output = Output()
    decoder = Decoder()

    def say(what: str) -> None:
        send(answers, {"started": what})

    ok, hello = receive(requests, decoder)
    if not ok:
        return
    plugins = Plugins()
    try:
        plugins.load(hello, say, output)
    except PluginError as exc:
        send(answers, {"error": str(exc)})
        return
    send(answers, {"rules": plugins.groups})
    while True:
        ok, request = receive(requests, decoder)
        if not ok:
            return
        send(answers, {"findings": plugins.check(request, say, output)})
