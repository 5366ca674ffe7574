"""`nexlint lsp` spoken to byte by byte over its standard input, as a broken or hostile
client would: every request gets an answer (an error where it must), the stream survives
what cannot be read, the exit status follows the LSP rule, and nothing but a regular file
is ever read from disk. Every wait has a timeout, so a hang fails instead of blocking."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from nexlint.lsp.protocol import PATIENCE

WAIT = 15.0  # seconds any answer may take before the test fails

PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
NOT_INITIALIZED = -32002

TEXT = """\
application:
  name: shop
  pods:
    - name: web
      image: acme/web:1.0
      path: /
      servicePorts: [3000]
      vars: {DEBUG: yes, API: http://dbx.pod:1}
"""


class Server:
    """`nexlint lsp` in a subprocess, and what it wrote, message by message."""

    def __init__(self, tmp_path: Path) -> None:
        self.log = (tmp_path / "server.stderr").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nexlint", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=tmp_path,
        )
        self.received: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.ids = 0

    def _read(self) -> None:
        assert self.process.stdout is not None
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.received.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None, "the server wrote a message without Content-Length"
            self.received.put(json.loads(stream.read(length)))

    # -- writing ------------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def frame(self, body: bytes, length: int | None = None) -> None:
        size = len(body) if length is None else length
        self.write(b"Content-Length: %d\r\n\r\n" % size + body)

    def send(self, message: dict[str, Any]) -> None:
        self.frame(json.dumps(message).encode())

    def request(self, method: str, params: Any = None) -> int:
        self.ids += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self.ids, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.ids

    def notify(self, method: str, params: Any = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def initialize(self, **params: Any) -> None:
        self.answer(self.request("initialize", {"capabilities": {}, **params}))
        self.notify("initialized", {})

    # -- reading ------------------------------------------------------------------------------

    def next(self, timeout: float = WAIT) -> dict[str, Any]:
        """The next response (notifications from the server are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self.received.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no answer within {timeout} s") from None
            assert message is not None, "the server closed its output"
            if "method" not in message:
                return message

    def answer(self, msg_id: int, timeout: float = WAIT) -> dict[str, Any]:
        response = self.next(timeout)
        assert response.get("id") == msg_id, response
        return response

    def wait_for(self, method: str, timeout: float = WAIT) -> dict[str, Any]:
        """The next message from the server with this method (others are kept)."""
        deadline, kept = time.monotonic() + timeout, []
        try:
            while True:
                try:
                    message = self.received.get(timeout=max(0.01, deadline - time.monotonic()))
                except queue.Empty:
                    raise AssertionError(f"no {method} within {timeout} s") from None
                assert message is not None, "the server closed its output"
                if message.get("method") == method:
                    return message
                kept.append(message)
        finally:
            for message in kept:
                self.received.put(message)

    def notifications(self, method: str) -> list[dict[str, Any]]:
        """Those received so far with this method, taken out of the queue."""
        kept, found = [], []
        while not self.received.empty():
            message = self.received.get()
            if message is not None and message.get("method") == method:
                found.append(message)
            else:
                kept.append(message)
        for message in kept:
            self.received.put(message)
        return found

    def status(self, timeout: float = WAIT) -> int:
        """The exit status, waited for."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server did not exit within {timeout} s") from None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def server(tmp_path: Path) -> Any:
    started = Server(tmp_path)
    yield started
    started.close()


def error_of(response: dict[str, Any]) -> tuple[Any, int]:
    assert "error" in response and "result" not in response, response
    return response["id"], response["error"]["code"]


def hover(uri: str, line: Any = 0, character: Any = 0) -> dict[str, Any]:
    return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}


def still_serving(server: Server) -> None:
    """A well-formed request after the bad one gets its own answer."""
    msg_id = server.request("textDocument/hover", hover("file:///nowhere/nexlayer.yaml"))
    assert server.answer(msg_id) == {"jsonrpc": "2.0", "id": msg_id, "result": None}


# -- invalid params ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "named"),
    [
        (hover("file:///x/nexlayer.yaml", line=-1), "params.position"),
        (hover("file:///x/nexlayer.yaml", character=2**40), "params.position"),
        (hover("file:///x/nexlayer.yaml", line="zero"), "params.position.line"),
        ({"textDocument": {"uri": "file:///x/nexlayer.yaml"}}, "params.position"),
        ({"position": {"line": 0, "character": 0}}, "params.textDocument"),
        (None, "params"),
        ([1, 2], "params"),
    ],
)
def test_invalid_params_get_an_error_with_the_requests_id(
    server: Server, params: Any, named: str
) -> None:
    server.initialize()
    msg_id = server.request("textDocument/hover", params)
    response = server.answer(msg_id)
    assert error_of(response) == (msg_id, INVALID_PARAMS)
    assert f"{named}:" in response["error"]["message"]
    still_serving(server)


def test_a_negative_line_says_what_is_wrong(server: Server) -> None:
    server.initialize()
    response = server.answer(server.request("textDocument/hover", hover("file:///x", line=-1)))
    assert response["error"]["message"] == (
        "Invalid params: textDocument/hover: params.position: "
        "Position.line should be in range [0:2147483647], but was -1."
    )


def test_an_unknown_method_is_method_not_found(server: Server) -> None:
    server.initialize()
    msg_id = server.request("nexlint/noSuchThing", {"x": 1})
    assert error_of(server.answer(msg_id)) == (msg_id, METHOD_NOT_FOUND)
    msg_id = server.request("nexlint/noParamsEither")
    assert error_of(server.answer(msg_id)) == (msg_id, METHOD_NOT_FOUND)


def test_a_notification_with_invalid_params_is_dropped_quietly(server: Server) -> None:
    server.initialize()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///x/nexlayer.yaml"}})
    still_serving(server)
    assert server.notifications("window/showMessage") == []


# -- what cannot be parsed --------------------------------------------------------------------


def body(msg_id: int) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": "shutdown"}).encode()


# Each writes something that is not a message, then a well-formed request (id 7) right
# behind it in the same write, as a client that goes on does.
FOLLOWED = {
    "not JSON": lambda: b"Content-Length: 11\r\n\r\n{not json}!",
    "truncated JSON": lambda: b"Content-Length: 25\r\n\r\n" + b'{"jsonrpc": "2.0", "id": 1',
    "Content-Length longer than the body": lambda: (
        b"Content-Length: %d\r\n\r\n" % (len(body(1)) + 40) + body(1)
    ),
    "Content-Length shorter than the body": lambda: (
        b"Content-Length: %d\r\n\r\n" % (len(body(1)) - 9) + body(1)
    ),
    "truncated body, next message right after": lambda: (
        b"Content-Length: %d\r\n\r\n" % len(body(1)) + body(1)[:-12]
    ),
    "not UTF-8": lambda: b'Content-Length: 20\r\n\r\n{"jsonrpc": "2.0\xff\xfe"}',
    "no Content-Length": lambda: b"Content-Type: x\r\n\r\n" + body(1),
    "Content-Length not a number": lambda: b"Content-Length: ten\r\n\r\n" + body(1),
    "bytes outside any message": lambda: b"hello there\r\n",
    "nested too deep": lambda: b"Content-Length: 200000\r\n\r\n" + b"[" * 200000,
    "empty body": lambda: b"Content-Length: 0\r\n\r\n",
}


@pytest.mark.parametrize("case", FOLLOWED)
def test_what_cannot_be_parsed_gets_one_parse_error_and_the_next_request_its_answer(
    server: Server, case: str
) -> None:
    server.initialize()
    server.write(FOLLOWED[case]() + b"Content-Length: %d\r\n\r\n" % len(body(7)) + body(7))
    response = server.next()
    assert error_of(response) == (None, PARSE_ERROR)
    assert response["error"]["message"].startswith("Parse error: ")
    assert server.next() == {"jsonrpc": "2.0", "id": 7, "result": None}  # one error, then it


def test_a_body_that_stops_short_is_given_up_after_a_pause(server: Server) -> None:
    """Content-Length promises more than ever comes: after PATIENCE seconds of silence the
    message is a ParseError, and what follows is served."""
    server.initialize()
    server.write(b"Content-Length: 500\r\n\r\n" + body(1))
    response = server.next(timeout=PATIENCE + WAIT)
    assert error_of(response) == (None, PARSE_ERROR)
    assert "stopped after" in response["error"]["message"]
    still_serving(server)


def test_the_end_of_the_input_inside_a_message_is_answered_then_exit_1(server: Server) -> None:
    server.initialize()
    server.write(b"Content-Length: 500\r\n\r\n" + body(1)[:10])
    assert server.process.stdin is not None
    server.process.stdin.close()
    assert error_of(server.next()) == (None, PARSE_ERROR)
    assert server.status() == 1


def test_a_body_split_across_writes_is_one_message(server: Server) -> None:
    server.initialize()
    whole = b"Content-Length: %d\r\n\r\n" % len(body(5)) + body(5)
    for piece in (whole[:7], whole[7:30], whole[30:]):
        server.write(piece)
        time.sleep(0.05)
    assert server.next() == {"jsonrpc": "2.0", "id": 5, "result": None}


@pytest.mark.parametrize(
    ("message", "answer_id"),
    [
        ([{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}], None),  # a batch: not in LSP
        ("shutdown", None),
        ({"jsonrpc": "2.0", "id": True, "method": "shutdown"}, None),
        ({"jsonrpc": "2.0", "id": 1.5, "method": "shutdown"}, None),
        ({"jsonrpc": "2.0", "id": None, "method": "shutdown"}, None),
        ({"id": 3, "method": "shutdown"}, 3),  # no "jsonrpc"
        ({"jsonrpc": "1.0", "id": "a", "method": "shutdown"}, "a"),
        ({"jsonrpc": "2.0", "id": 4, "method": 12}, 4),
    ],
)
def test_json_that_is_not_a_request_is_an_invalid_request(
    server: Server, message: Any, answer_id: Any
) -> None:
    server.initialize()
    server.frame(json.dumps(message).encode())
    assert error_of(server.next()) == (answer_id, INVALID_REQUEST)
    still_serving(server)


# -- the lifecycle ----------------------------------------------------------------------------


def test_an_answer_of_the_wrong_shape_to_the_servers_request_is_survived(
    server: Server,
) -> None:
    server.initialize(capabilities={"workspace": {"configuration": True}})
    asked = server.wait_for("workspace/configuration")  # the server asks for its settings
    server.send({"jsonrpc": "2.0", "id": asked["id"], "result": 5})  # not a list
    said = server.wait_for("window/logMessage")["params"]["message"]
    assert said.startswith("nexlint: could not read the settings")
    still_serving(server)


def test_a_request_before_initialize_is_not_initialized(server: Server) -> None:
    msg_id = server.request("textDocument/hover", hover("file:///x/nexlayer.yaml"))
    assert error_of(server.answer(msg_id)) == (msg_id, NOT_INITIALIZED)
    server.initialize()
    still_serving(server)
    msg_id = server.request("initialize", {"capabilities": {}})
    assert error_of(server.answer(msg_id)) == (msg_id, INVALID_REQUEST)  # only once


def test_after_shutdown_requests_are_refused_and_notifications_ignored(
    server: Server, tmp_path: Path
) -> None:
    server.initialize()
    assert server.answer(server.request("shutdown"))["result"] is None
    for method, params in [
        ("textDocument/hover", hover("file:///x/nexlayer.yaml")),
        ("shutdown", None),
        ("textDocument/diagnostic", {"textDocument": {"uri": "file:///x/nexlayer.yaml"}}),
        ("nexlint/noSuchThing", {}),
    ]:
        msg_id = server.request(method, params)
        response = server.answer(msg_id)
        assert error_of(response) == (msg_id, INVALID_REQUEST)
        assert "shut down" in response["error"]["message"]
    uri = (tmp_path / "nexlayer.yaml").as_uri()
    document = {"uri": uri, "languageId": "yaml", "version": 1, "text": TEXT}
    server.notify("textDocument/didOpen", {"textDocument": document})
    msg_id = server.request("textDocument/hover", hover(uri))
    assert error_of(server.answer(msg_id)) == (msg_id, INVALID_REQUEST)
    time.sleep(1)  # time enough to lint it, were it linted
    assert server.notifications("textDocument/publishDiagnostics") == []
    server.notify("exit")
    assert server.status() == 0


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        (["initialize", "shutdown", "exit"], 0),
        (["initialize", "exit"], 1),
        (["exit"], 1),
        (["initialize", "shutdown", "end of input"], 0),
        (["initialize", "end of input"], 1),
    ],
)
def test_the_exit_status_says_whether_shutdown_came_first(
    server: Server, steps: list[str], status: int
) -> None:
    for step in steps:
        if step == "initialize":
            server.initialize()
        elif step == "shutdown":
            server.answer(server.request("shutdown"))
        elif step == "exit":
            server.notify("exit")
        else:
            assert server.process.stdin is not None
            server.process.stdin.close()
    assert server.status() == status


# -- only regular files are read --------------------------------------------------------------


def pull(server: Server, path: Path) -> dict[str, Any]:
    msg_id = server.request("textDocument/diagnostic", {"textDocument": {"uri": path.as_uri()}})
    return server.answer(msg_id)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_pulling_a_fifo_named_nexlayer_yaml_is_answered_at_once(
    server: Server, tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo" / "nexlayer.yaml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    server.initialize()
    started = time.monotonic()
    assert pull(server, fifo)["result"] == {"kind": "full", "items": []}
    assert time.monotonic() - started < WAIT
    still_serving(server)


@pytest.mark.parametrize("kind", ["folder", "link to a regular file", "link to /dev/zero"])
def test_pulling_what_is_not_a_regular_file_reads_nothing(
    server: Server, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "x" / "nexlayer.yaml"
    target.parent.mkdir()
    if kind == "folder":
        target.mkdir()
    else:
        real = tmp_path / "real.yaml"
        real.write_text(TEXT)
        target.symlink_to("/dev/zero" if kind.endswith("zero") else real)
    server.initialize()
    assert pull(server, target)["result"] == {"kind": "full", "items": []}
    still_serving(server)


def test_pulling_a_regular_file_not_opened_lints_it_from_disk(
    server: Server, tmp_path: Path
) -> None:
    path = tmp_path / "nexlayer.yaml"
    path.write_text(TEXT)
    server.initialize()
    items = pull(server, path)["result"]["items"]
    assert sorted(d["code"] for d in items) == ["NXL005", "NXL204"]
    path.write_bytes(b"x" * (5 * 1024 * 1024 + 1))  # past the CLI's size cap: not read
    [too_large] = pull(server, path)["result"]["items"]
    assert too_large["code"] == "NXL003" and "it was not read" in too_large["message"]
