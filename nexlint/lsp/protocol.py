"""JSON-RPC as the LSP specification asks it of a server, on top of pygls: every request
gets an answer, whatever arrives.

pygls 2.1 answers nothing when a message cannot be read (a body that is not JSON, params of
the wrong shape: it shows an error popup instead), drops requests after `shutdown`
unanswered, exits 0 on `exit` without `shutdown` (its SystemExit is swallowed by its own
loop), and reads with `readexactly`, so a Content-Length longer than its body swallows the
next message. Here the stream is framed by `framing.Framer` and each body is checked
before pygls sees it:

- not JSON, or cut short: ParseError (-32700), id null;
- JSON but not a request, notification or response: InvalidRequest (-32600), with the
  request's id where it has a usable one;
- params of the wrong shape: InvalidParams (-32602) naming the field;
- before `initialize`: ServerNotInitialized (-32002); after `shutdown`: InvalidRequest;
  notifications then are dropped, except `exit`, which ends the process with 0 after
  `shutdown` and 1 without (so does the end of the input).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from cattrs import transform_error
from cattrs.v import format_exception
from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage

from nexlint.lsp.framing import Event, Framer, Malformed, Message

PATIENCE = 2.0  # seconds a body may stop short of its Content-Length before it is given up
CHUNK = 65536
log = logging.getLogger("nexlint.lsp")


class NexlintProtocol(LanguageServerProtocol):
    """pygls's protocol with a check of each message before it is handled."""

    exit_status: int | None = None  # set by `exit`

    def receive(self, body: bytes) -> bool:
        """Handle one message's body; False when it is not JSON at all."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            reason = str(exc).split(":", 1)[0] if isinstance(exc, ValueError) else "too deep"
            self.refuse(None, JsonRpcParseError, f"the message is not JSON ({reason})")
            return False
        try:
            self.dispatch(data)
        except Exception:  # a bug here must not end the server; the request is answered
            log.exception("handling a message failed")
            msg_id = data.get("id") if isinstance(data, dict) else None
            if isinstance(data, dict) and "method" in data and _usable_id(msg_id):
                self.refuse(msg_id, JsonRpcInternalError, "internal error")
        return True

    def dispatch(self, data: Any) -> None:
        if not isinstance(data, dict):
            self.refuse(None, JsonRpcInvalidRequest, "a message must be a JSON object")
            return
        if "method" not in data:
            self._response(data)
            return
        request = "id" in data
        msg_id = data.get("id")
        if request and not _usable_id(msg_id):
            self.refuse(None, JsonRpcInvalidRequest, "a request's id must be a number or a string")
            return
        method = data["method"]
        if not isinstance(method, str) or data.get("jsonrpc") != self.VERSION:
            if request:
                self.refuse(
                    msg_id, JsonRpcInvalidRequest, 'not a JSON-RPC request ("jsonrpc": "2.0")'
                )
            return
        refusal = self._refusal(method)
        if refusal is not None:
            if request:
                self.refuse(msg_id, *refusal)
            return
        if method == types.EXIT:
            self.exit_status = 0 if self._shutdown else 1
            return
        message = self._structure(data, method, request)
        if message is not None:
            self.handle_message(message)

    def _refusal(self, method: str) -> tuple[type[JsonRpcException], str] | None:
        """Why the lifecycle forbids ``method`` now, if it does."""
        if method == types.EXIT:
            return None
        if self._shutdown:
            return JsonRpcInvalidRequest, "the server was shut down: only exit is accepted"
        initialized = self._workspace is not None
        if not initialized and method != types.INITIALIZE:
            return JsonRpcServerNotInitialized, "the server is not initialized yet"
        if initialized and method == types.INITIALIZE:
            return JsonRpcInvalidRequest, "initialize may be sent only once"
        return None

    def _structure(self, data: dict[str, Any], method: str, request: bool) -> Any:
        """The message as pygls handles it, or None (a request is answered InvalidParams)."""
        kind = self.get_message_type(method)
        if kind is None:  # a method nobody handles: pygls answers MethodNotFound
            kind = JsonRPCRequestMessage if request else JsonRPCNotification
            data = {**data, "params": data.get("params")}
        try:
            return self._converter.structure(data, kind)
        except Exception as exc:
            problems = "; ".join(_field_problems(exc)[:3])
            if request:
                self.refuse(data["id"], JsonRpcInvalidParams, f"{method}: {problems}")
            else:
                log.warning("dropped a %s notification with invalid params: %s", method, problems)
            return None

    def _response(self, data: dict[str, Any]) -> None:
        """A response to a request the server sent: handled when it has the shape of one."""
        if data.get("jsonrpc") != self.VERSION or not _usable_id(data.get("id")):
            log.warning("dropped a message that is neither request, notification nor response")
            return
        try:
            message = self.structure_message(data)
        except Exception:  # fail the request that waits for it, rather than hang it
            wrong = types.ResponseError(code=JsonRpcInvalidParams.CODE, message="wrong shape")
            self._handle_response(data["id"], None, wrong)
            return
        self.handle_message(message)

    def refuse(self, msg_id: int | str | None, error: type[JsonRpcException], why: str) -> None:
        """An error response. Written by hand: pygls leaves out `"id": null`, which
        JSON-RPC requires when the request's id could not be read."""
        error_object = {"code": error.CODE, "message": f"{_NAMES[error.CODE]}: {why}"}
        self._send_data({"jsonrpc": self.VERSION, "id": msg_id, "error": error_object})


_NAMES = {
    JsonRpcParseError.CODE: "Parse error",
    JsonRpcInvalidRequest.CODE: "Invalid request",
    JsonRpcInvalidParams.CODE: "Invalid params",
    JsonRpcInternalError.CODE: "Internal error",
    JsonRpcServerNotInitialized.CODE: "Server not initialized",
}


def _usable_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


_SNAKE = re.compile(r"_([a-z])")  # cattrs names fields as Python does; clients camelCase


def _field_problems(exc: Exception) -> list[str]:
    """What is wrong, where: `params.position: Position.line should be in range
    [0:2147483647], but was -1.` (fields spelled as the client spells them)."""
    try:
        problems = transform_error(exc, format_exception=_say)
    except Exception:
        problems = []
    found = []
    for problem in problems:
        what, _, where = problem.rpartition(" @ $.")
        where = _SNAKE.sub(lambda m: m.group(1).upper(), where)
        found.append(f"{where}: {what}" if what else problem)
    return found or ["the message does not have the shape its method needs"]


def _say(exc: BaseException, kind: type | None) -> str:
    """lsprotocol's range checks say the bound and the number; cattrs's default, not."""
    if type(exc) is ValueError and "should be in range" in str(exc):
        return str(exc)
    return format_exception(exc, kind)


# -- the stream ---------------------------------------------------------------------------------


class _Discard:
    """Where answers go once the client said `exit`: nowhere."""

    def write(self, data: bytes) -> None:
        pass

    def close(self) -> None:
        pass


def _read_stdin(
    stream: BinaryIO, deliver: Callable[[bytes], None], room: threading.Semaphore
) -> None:
    """In a daemon thread: hand each chunk read to the event loop (an empty one at the
    end), at most a few ahead of it."""
    try:
        fd: int | None = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    read_some = getattr(stream, "read1", stream.read)  # for a stream without a descriptor
    while True:
        room.acquire()
        try:
            chunk = os.read(fd, CHUNK) if fd is not None else read_some(CHUNK)
        except (OSError, ValueError):
            chunk = b""
        try:
            deliver(chunk)
        except RuntimeError:  # the loop is closed: the server is gone
            return
        if not chunk:
            return


async def serve_stream(protocol: NexlintProtocol, stream: BinaryIO) -> int:
    """Read messages until `exit` or the end of the input; the exit status."""
    loop = asyncio.get_running_loop()
    chunks: asyncio.Queue[bytes] = asyncio.Queue()
    room = threading.Semaphore(8)

    def deliver(chunk: bytes) -> None:
        loop.call_soon_threadsafe(chunks.put_nowait, chunk)

    threading.Thread(
        target=_read_stdin, args=(stream, deliver, room), name="nexlint-lsp-stdin", daemon=True
    ).start()
    framer = Framer()
    ended = False
    while protocol.exit_status is None and not ended:
        events: Iterator[Event]
        try:
            chunk = await asyncio.wait_for(chunks.get(), PATIENCE if framer.waiting else None)
        except TimeoutError:
            events = framer.stalled()
        else:
            room.release()
            ended = not chunk
            events = framer.feed(chunk) if chunk else framer.end()
        for event in events:
            if isinstance(event, Malformed):
                protocol.refuse(None, JsonRpcParseError, event.reason)
            elif isinstance(event, Message) and not protocol.receive(event.body):
                framer.rejected()
            if protocol.exit_status is not None:
                break
    protocol.set_writer(_Discard())
    if protocol.exit_status is not None:
        return protocol.exit_status
    return 0 if protocol._shutdown else 1
