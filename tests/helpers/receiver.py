"""A webhook receiver on 127.0.0.1: records every POST and answers with a chosen status and delay."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    """One delivery as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Receiver:
    """What arrived, and how to answer: ``/slow`` waits ``delay`` seconds, ``/gone`` answers 410."""

    url: str
    delay: float = 2.0
    received: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until ``count`` deliveries arrived (or the timeout passed); returns them."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)
            return list(self.received)


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    """Run a receiver for the duration of a test."""
    receiver: Receiver | None = None

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            assert receiver is not None
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.startswith("/slow"):
                threading.Event().wait(receiver.delay)  # a slow subscriber, not a readiness wait
            status = 410 if self.path.startswith("/gone") else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            with receiver.arrived:
                receiver.received.append(Received(self.path, dict(self.headers), json.loads(raw or b"null")))
                receiver.arrived.notify_all()

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
