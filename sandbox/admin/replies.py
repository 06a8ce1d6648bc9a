"""Admin answers: compact JSON, and errors as ``{"error": message}``."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web


def json_response(payload: Any, status: int = 200) -> web.Response:
    """An admin answer: compact JSON."""
    return web.Response(body=orjson.dumps(payload), status=status, content_type="application/json")


def admin_error(status: int, message: str) -> web.Response:
    """An admin error: ``{"error": message}``."""
    return json_response({"error": message}, status)
