"""``SandboxServer``: the sandbox on its own event loop in a background thread, for tests and embedding.

Every TinyDB call stays on that loop's thread; callers talk to the server over HTTP only.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

from aiohttp import web

from sandbox.app import create_app
from sandbox.settings import Settings


class SandboxServer:
    """A running sandbox on ``127.0.0.1`` (port 0 picks a free one)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings(port=0, data=":memory:", error_delay=0)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.port: int | None = None
        self.app: web.Application | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321``."""
        if self.port is None:
            raise RuntimeError("the server is not running")
        return f"http://{self.settings.host}:{self.port}"

    def url_for(self, path: str) -> str:
        """An absolute URL for a path on this server."""
        return self.url + (path if path.startswith("/") else "/" + path)

    def start(self, timeout: float = 30.0) -> SandboxServer:
        """Start serving and wait until the port is bound."""
        self._thread = threading.Thread(target=self._run, name="ninja-sandbox", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the sandbox did not start in time")
        if self._error is not None:
            raise RuntimeError(f"the sandbox failed to start: {self._error}") from self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(self._shutdown())
        loop.close()

    async def _serve(self) -> None:
        self.app = create_app(self.settings)
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.settings.port

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        """Stop serving, fold the data file and join the thread."""
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
        self.port = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
