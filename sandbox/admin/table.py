"""One admin route as data: every admin module declares its ``ROUTES`` with this."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

PREFIX = "/__admin"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class AdminRoute:
    """One admin route: method, path under ``/__admin``, handler, and a one-line summary.

    ``request`` and ``response`` optionally give the JSON Schemas of the body and of the success
    answer for the OpenAPI document; ``media_type`` is the success answer's type when it is not JSON.
    """

    method: str
    path: str
    handler: Handler
    name: str
    summary: str
    request: Mapping[str, Any] | None = None
    response: Mapping[str, Any] | None = None
    media_type: str = "application/json"
