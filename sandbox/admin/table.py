"""One admin route as data: every admin module declares its ``ROUTES`` with this."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

PREFIX = "/__admin"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class AdminRoute:
    """One admin route: method, path under ``/__admin``, handler, and a one-line summary."""

    method: str
    path: str
    handler: Handler
    name: str
    summary: str
