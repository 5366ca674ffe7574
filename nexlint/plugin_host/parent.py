"""nexlint's side of the plugin host: start it, learn the plugins' rules from it, have it
check documents within a time budget, and end it. One host per process that needs one: a
forked worker never talks over the pipes of its parent's host, it starts its own."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from nexlint.diagnostics import Edit, Fix, Severity
from nexlint.findings import Finding
from nexlint.plugin_host.wire import Decoder, WireError, encode
from nexlint.registry import PluginError, PluginFailure, plugin_entry_points
from nexlint.rule_api import Rule

# Started with -c rather than -m: nexlint is imported from where this process has it, and
# the plugins see this process's sys.path, whatever the host's start-up would make of it.
_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from nexlint.plugin_host.child import main; main(sys.argv[2:])"
)
# Seconds the host has to start (Python and nexlint's own modules) before it loads the first
# plugin: the plugins' budget starts then, whatever the machine's load.
STARTING = 60.0
_CLOSE_WAIT = 1.0  # seconds a host is given to end by itself once its requests end
_POLL = 0.1  # seconds between two looks at whether the host is still alive
T = TypeVar("T")


class _Late(Exception):
    """The host did not answer within the budget."""


class _Gone(Exception):
    """The host ended; the message says how."""


class Host:
    """One plugin host process, the rules it loaded, and the pipes to it."""

    def __init__(self, plugins: Sequence[str], plugin_dir: str | None, budget: float) -> None:
        if os.name != "posix":
            raise PluginError(
                "plugin rules run in a process of their own, which nexlint supports on Linux "
                "and macOS only"
            )
        self.owner = os.getpid()
        self.lock = threading.Lock()
        self.running = ""  # what the host said it started last: a rule's code or a plugin
        self._decoder = Decoder()
        requests, self._requests = os.pipe()
        self._answers, answers = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, json.dumps(sys.path)]
                + [str(fd) for fd in (requests, answers, os.getpid())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # the host points it at a file it watches
                pass_fds=(requests, answers),
                process_group=0,  # Ctrl-C is nexlint's to handle, not the plugins'
            )
        except OSError as exc:
            for fd in (self._requests, self._answers):
                os.close(fd)
            raise PluginError(f"cannot start the plugin host: {exc.strerror or exc}") from None
        finally:
            os.close(requests)
            os.close(answers)
        for fd in (self._requests, self._answers):
            os.set_blocking(fd, False)
        # The plugins to load go now, and the answer is read when it is needed: the host
        # starts while this process loads nexlint's own rules.
        self._budget = budget
        self._since = time.monotonic()
        self._groups: list[tuple[str, list[Rule]]] | None = None
        self._failure: PluginError | None = None
        hello = {
            "entry_points": plugin_entry_points(),
            "plugins": list(plugins),
            "plugin_dir": plugin_dir,
        }
        try:
            with self.lock:
                self._guarded(lambda: self._send(encode(hello), self._since + STARTING))
        except _Late:
            self._failure = PluginFailure(f"the plugin process did not start within {STARTING:g} s")
        except _Gone as gone:
            self._failure = PluginFailure(f"the plugin process ended as it started ({gone})")

    # -- what nexlint asks -------------------------------------------------------------------

    @property
    def groups(self) -> list[tuple[str, list[Rule]]]:
        """The plugins' rules by where they came from (an entry point's value or a plugin's
        name), in the order they were loaded. Raises PluginError."""
        with self.lock:
            if self._failure is not None:
                raise self._failure
            if self._groups is None:
                try:
                    self._groups = self._loaded()
                except PluginError as exc:
                    self._failure = exc
                    raise
            return self._groups

    def _loaded(self) -> list[tuple[str, list[Rule]]]:
        try:
            answer = self._guarded(lambda: self._answer(self._since + STARTING, self._budget))
        except _Late:
            if not self.running:
                raise PluginFailure(
                    f"the plugin process did not start within {STARTING:g} s"
                ) from None
            raise PluginFailure(
                f"plugin {self.running} did not finish loading within {self._budget:g} s"
            ) from None
        except _Gone as gone:
            if not self.running:
                raise PluginFailure(f"the plugin process ended as it started ({gone})") from None
            raise PluginFailure(
                f"plugin {self.running} ended the plugin process while it was loaded ({gone})"
            ) from None
        if isinstance(answer, dict) and isinstance(answer.get("error"), str):
            self.close()
            raise PluginError(answer["error"])
        try:
            return [(source, [_rule(meta) for meta in rules]) for source, rules in answer["rules"]]
        except (KeyError, TypeError, ValueError) as exc:
            self.kill()
            raise PluginFailure(
                f"the plugin process sent what nexlint cannot read: {exc}"
            ) from None

    def check(
        self, text: str, rules: Iterable[Rule], filename: str, budget: float
    ) -> list[Finding]:
        """The findings of ``rules`` (plugin rules of this host) on ``text``, a document
        that parses; PluginFailure when one hangs past ``budget`` seconds for the whole
        file, or ends the host."""
        named = {rule.code: rule for rule in rules}
        self.groups  # noqa: B018 -- the plugins are loaded first, or could not be
        try:
            answer = self._exchange({"text": text, "codes": list(named)}, budget)
        except _Late:
            raise PluginFailure(
                f"{self._blame(named)} did not finish checking {filename} within {budget:g} s"
            ) from None
        except _Gone as gone:
            rule = named.get(self.running)
            if rule is None:
                raise PluginFailure(
                    f"the plugin process ended before a plugin rule checked {filename} ({gone})"
                ) from None
            raise PluginFailure(
                f"{self._blame(named)} ended the plugin process while checking {filename} ({gone})"
            ) from None
        try:
            return [_finding(item, named, len(text)) for item in answer["findings"]]
        except (KeyError, TypeError, ValueError) as exc:
            self.kill()
            raise PluginFailure(
                f"the plugin process sent what nexlint cannot read while checking {filename}: {exc}"
            ) from None

    def _blame(self, named: dict[str, Rule]) -> str:
        rule = named.get(self.running)
        if rule is None:
            return "the plugin rules"
        return f"plugin rule {rule.code} ({rule.origin})"

    # -- the exchange ------------------------------------------------------------------------

    def _exchange(self, request: dict[str, Any], budget: float) -> Any:
        """Send one request and read the host's progress and answer, within ``budget``
        seconds. Raises _Late or _Gone."""
        with self.lock:
            deadline = time.monotonic() + budget
            self._guarded(lambda: self._send(encode(request), deadline))
            return self._guarded(lambda: self._answer(deadline))

    def _guarded(self, step: Callable[[], T]) -> T:
        """``step``, the host killed if it fails -- _Late, _Gone, or anything that stops an
        exchange midway (Ctrl-C): a half-read answer cannot be resumed."""
        try:
            return step()
        except BaseException:
            self.kill()
            raise

    def _answer(self, deadline: float, each: float | None = None) -> Any:
        """The answer to the request sent, after the host's word of each step it starts
        (``running``); with ``each``, each step has that long from then."""
        self.running = ""
        while True:
            message = self._receive(deadline)
            if isinstance(message, dict) and isinstance(message.get("started"), str):
                self.running = message["started"]
                if each is not None:
                    deadline = time.monotonic() + each
                continue
            return message

    def _send(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            self._wait(self._requests, deadline, write=True)
            try:
                view = view[os.write(self._requests, view) :]
            except BlockingIOError:
                continue
            except OSError:  # the host is gone: its end of the pipe is closed
                raise _Gone(self._ended()) from None

    def _receive(self, deadline: float) -> Any:
        while True:
            try:
                ready, message = self._decoder.next()
            except WireError as exc:
                raise _Gone(f"it sent {exc}") from None
            if ready:
                return message
            self._wait(self._answers, deadline, write=False)
            try:
                chunk = os.read(self._answers, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                raise _Gone(self._ended())
            self._decoder.feed(chunk)

    def _wait(self, fd: int, deadline: float, write: bool) -> None:
        """Until ``fd`` is ready; _Late past the deadline, _Gone if the host ended (a
        process it started may keep its end of a pipe open)."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Late
            # poll, not select: a descriptor past 1024 (a busy language server) is fine
            poller = select.poll()
            poller.register(fd, select.POLLOUT if write else select.POLLIN)
            if poller.poll(min(left, _POLL) * 1000):
                return  # ready, or the other end is closed: the read or write says which
            if self.process.poll() is not None:
                raise _Gone(self._ended())

    def _ended(self) -> str:
        """How the host ended, in words (it is waited for)."""
        try:
            code = self.process.wait(_CLOSE_WAIT)
        except subprocess.TimeoutExpired:
            self.kill()
            return "it closed its pipes"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"

    # -- the end -----------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """End the host: its requests end, so it exits; killed if it does not at once."""
        self._close_pipes()
        try:
            self.process.wait(_CLOSE_WAIT)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """End the host and whatever it started, now."""
        self._close_pipes()
        with contextlib.suppress(OSError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def _close_pipes(self) -> None:
        for fd in (self._requests, self._answers):
            with contextlib.suppress(OSError):  # closed before
                os.close(fd)
        self._requests = self._answers = -1


def _rule(meta: Any) -> Rule:
    """A plugin rule as the host described it: foreign, with no check in this process."""
    if not isinstance(meta, dict):
        raise TypeError("a rule that is not an object")
    replaces = meta["replaces"]
    if not isinstance(replaces, list) or not all(isinstance(c, str) for c in replaces):
        raise TypeError("replaces that are not codes")
    if not isinstance(meta["fixable"], bool):
        raise TypeError("fixable that is not true or false")
    return Rule(
        code=_text(meta, "code"),
        name=_text(meta, "name"),
        severity=Severity.parse(_text(meta, "severity")),
        summary=_text(meta, "summary"),
        doc=_text(meta, "doc"),
        fixable=meta["fixable"],
        origin=_text(meta, "origin"),
        url=_text(meta, "url"),
        replaces=tuple(replaces),
    )


def _finding(item: Any, named: dict[str, Rule], size: int) -> Finding:
    code, message, start, end, pointer, help, fix = item
    if code not in named:
        raise ValueError(f"a finding of {code!r}, a rule it was not asked to run")
    if not isinstance(message, str) or not isinstance(pointer, str):
        raise TypeError("a finding whose message or pointer is not a string")
    if help is not None and not isinstance(help, str):
        raise TypeError("a finding whose help is not a string")
    _span(start, end, size)
    return Finding(
        code, message, start, end, pointer, help, None if fix is None else _fix(fix, size)
    )


def _fix(value: Any, size: int) -> Fix:
    message, safe, edits = value
    if not isinstance(message, str) or not isinstance(safe, bool) or not isinstance(edits, list):
        raise TypeError("a fix that is not a message, safe and edits")
    made = []
    for start, end, text in edits:
        _span(start, end, size)
        if not isinstance(text, str):
            raise TypeError("an edit whose text is not a string")
        made.append(Edit(start, end, text))
    return Fix(message, tuple(made), safe)


def _span(start: Any, end: Any, size: int) -> None:
    if not (type(start) is int and type(end) is int and 0 <= start <= end <= size):
        raise ValueError("a range that is not inside the text")


def _text(meta: dict[str, Any], key: str) -> str:
    value = meta[key]
    if not isinstance(value, str):
        raise TypeError(f"a {key} that is not a string")
    return value


# -- one host per set of plugins, per process ------------------------------------------------

_HOSTS: dict[tuple[tuple[str, ...], str | None], Host] = {}
_LOCK = threading.Lock()


def host_for(plugins: Sequence[str], plugin_dir: str | None, budget: float) -> Host:
    """This process's host for these plugins, started (``budget`` seconds to load them)
    if there is none or it ended between two requests. Raises PluginError."""
    key = (tuple(plugins), plugin_dir if plugins else None)
    with _LOCK:
        host = _HOSTS.get(key)
        if host is not None and host.owner == os.getpid() and host.alive:
            return host
        if host is not None:
            del _HOSTS[key]
            if host.owner == os.getpid():
                host.kill()
    started = Host(*key, budget)
    with _LOCK:
        host = _HOSTS.setdefault(key, started)
    if host is not started:  # another thread started one meanwhile
        started.close()
    return host


def close_all() -> None:
    """End this process's hosts (at exit)."""
    with _LOCK:
        hosts = [h for h in _HOSTS.values() if h.owner == os.getpid()]
        _HOSTS.clear()
    for host in hosts:
        host.close()


def _forget_after_fork() -> None:
    """In a forked child: the parent's hosts are the parent's. Their pipes are closed here
    (or the host would not see its requests end with the parent) and never used."""
    for host in _HOSTS.values():
        host._close_pipes()
    _HOSTS.clear()
    global _LOCK
    _LOCK = threading.Lock()  # another thread may have held it at the fork


atexit.register(close_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
