"""The fake provider's HTTP side: a threaded server on loopback, scripted per test.

Requests are recorded (path, headers, JSON body) so tests can pin what hunk sends. The route
picks the wire protocol: `/v1/messages` (Anthropic), `/chat/completions`, `/responses`
(OpenAI). Streams use chunked transfer encoding, so a `Cut` looks to the client exactly like a
connection dropped mid-body.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakeserver.invariants import unanswered_calls
from tests.fakeserver.script import Cut, Fault, Reply, ScriptItem

# An encoder turns (reply, request body) into the SSE events of one protocol, each as
# ready-to-send bytes ("event: …\ndata: …\n\n"), or into a JSON body when not streaming.
StreamEncoder = Callable[[Reply, dict[str, Any]], Iterator[bytes]]
BodyEncoder = Callable[[Reply, dict[str, Any]], dict[str, Any]]
ErrorEncoder = Callable[[Fault], dict[str, Any]]


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Protocol:
    stream: StreamEncoder
    body: BodyEncoder
    error: ErrorEncoder


def _protocols() -> dict[str, Protocol]:
    # imported here so a half-written encoder breaks only its own protocol's tests
    table: dict[str, Protocol] = {}
    try:
        from tests.fakeserver import anthropic_wire

        table["/v1/messages"] = Protocol(anthropic_wire.stream, anthropic_wire.body, anthropic_wire.error)
    except ImportError:
        pass
    try:
        from tests.fakeserver import chat_wire

        table["/chat/completions"] = Protocol(chat_wire.stream, chat_wire.body, chat_wire.error)
    except ImportError:
        pass
    try:
        from tests.fakeserver import responses_wire

        table["/responses"] = Protocol(responses_wire.stream, responses_wire.body, responses_wire.error)
    except ImportError:
        pass
    return table


class FakeProvider:
    """Use as a context manager: `with FakeProvider() as fake: fake.script(Reply("hi"))`."""

    def __init__(self, *, cache: bool = False) -> None:
        # cache=True: usage the replies leave unscripted follows the real prompt-cache
        # arithmetic across requests (cache_model.py) instead of the per-request estimate
        self.cache: Any = None
        if cache:
            from tests.fakeserver.cache_model import PromptCache  # its encoders import this module

            self.cache = PromptCache()
        self._queue: deque[ScriptItem] = deque()
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self.rejected_histories: list[list[str]] = []  # tool call ids a request left unanswered
        # set when a client hangs up in the middle of a stream (cancellation tests wait on it)
        self.hung_up = threading.Event()
        self._protocols = _protocols()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # --- test API ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *items: ScriptItem) -> FakeProvider:
        with self._lock:
            self._queue.extend(items)
        return self

    @property
    def pending(self) -> int:
        return len(self._queue)

    def bodies(self, path_suffix: str = "") -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path.endswith(path_suffix)]

    def __enter__(self) -> FakeProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- server side ------------------------------------------------------------------------

    def _next(self, body: dict[str, Any]) -> ScriptItem | None:
        with self._lock:
            item = self._queue.popleft() if self._queue else None
        if item is not None and callable(item) and not isinstance(item, (Reply, Fault, Cut)):
            item = item(body)
        return item

    def _protocol(self, path: str) -> Protocol | None:
        for suffix, protocol in self._protocols.items():
            if path.split("?")[0].endswith(suffix):
                return protocol
        return None


def _handler_for(fake: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw or b"{}")
            headers = {k.lower(): v for k, v in self.headers.items()}
            fake.requests.append(RecordedRequest(self.path, headers, body))
            protocol = fake._protocol(self.path)
            if protocol is None:
                self._json(404, {"error": {"message": f"fake server: no route {self.path}"}})
                return
            missing = unanswered_calls(self.path, body)
            if missing:  # what the real APIs answer to a history with a call left unanswered
                fake.rejected_histories.append(missing)
                self._json(400, protocol.error(Fault(400, message=f"tool call(s) without a result: {', '.join(missing)}")))
                return
            item = fake._next(body)
            if item is None:
                self._json(500, {"error": {"type": "api_error", "message": "fake server: script exhausted"}})
                return
            if isinstance(item, Fault):
                extra = {"retry-after": item.retry_after} if item.retry_after is not None else {}
                self._json(item.status, protocol.error(item), extra)
                return
            reply, cut_after = (item.reply, item.after_events) if isinstance(item, Cut) else (item, None)
            if fake.cache is not None and reply.usage is None:
                reply = replace(reply, usage=fake.cache.usage(self.path, body, reply))
            if not body.get("stream"):
                self._json(200, protocol.body(reply, body))
                return
            self._stream(protocol.stream(reply, body), reply.delay_s, cut_after)

        def do_GET(self) -> None:  # noqa: N802
            self._json(404, {"error": {"message": "fake server: GET not supported"}})

        def _json(self, status: int, payload: dict[str, Any], extra: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, events: Iterator[bytes], delay_s: float, cut_after: int | None) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            try:
                for sent, event in enumerate(events):
                    if cut_after is not None and sent >= cut_after:
                        self.wfile.flush()
                        self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                        return
                    if delay_s:
                        time.sleep(delay_s)
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client hung up (cancellation): fine
                fake.hung_up.set()

    return Handler


def sse(event: str | None, data: dict[str, Any] | str) -> bytes:
    """One SSE event as bytes. `event=None` leaves out the `event:` line (OpenAI chat style)."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n".encode()
