"""Journal entries as a HAR 1.2 document, for browser dev tools, HAR viewers and proxies.

The journal keeps no connection details, so ``httpVersion`` is always ``HTTP/1.1``, header sizes are
``-1`` (unknown) and the whole duration is reported as ``wait``. ``startedDateTime`` is the entry's
``time`` on the sandbox clock. Each entry also carries the journal's ``_id`` and ``_route``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from sandbox import __version__
from sandbox.journal import JournalEntry

HTTP_VERSION = "HTTP/1.1"


def har_document(entries: Iterable[JournalEntry], origin: str) -> dict[str, Any]:
    """A HAR 1.2 ``{"log": ...}`` for the entries; ``origin`` (``http://host:port``) is used when an
    entry has no ``Host`` header."""
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "ninja-sandbox", "version": __version__},
            "pages": [],
            "entries": [har_entry(entry, origin) for entry in entries],
        }
    }


def har_entry(entry: JournalEntry, origin: str) -> dict[str, Any]:
    """One journal entry as a HAR entry."""
    duration = max(0.0, entry.duration_ms)
    return {
        "startedDateTime": datetime.fromtimestamp(entry.time, UTC).isoformat(timespec="milliseconds"),
        "time": duration,
        "request": _request(entry, origin),
        "response": _response(entry),
        "cache": {},
        "timings": {
            "blocked": -1,
            "dns": -1,
            "connect": -1,
            "send": 0,
            "wait": duration,
            "receive": 0,
            "ssl": -1,
        },
        "_id": entry.id,
        "_route": entry.route,
    }


def _request(entry: JournalEntry, origin: str) -> dict[str, Any]:
    host = _header(entry.headers, "host")
    scheme = origin.split("://", 1)[0]
    url = (f"{scheme}://{host}" if host else origin) + entry.path + (f"?{entry.query}" if entry.query else "")
    request: dict[str, Any] = {
        "method": entry.method,
        "url": url,
        "httpVersion": HTTP_VERSION,
        "cookies": _cookies(_header(entry.headers, "cookie")),
        "headers": _pairs(entry.headers.items()),
        "queryString": _pairs(parse_qsl(entry.query, keep_blank_values=True)),
        "headersSize": -1,
        "bodySize": len(entry.body.encode()),
    }
    if entry.body:
        mime_type = _header(entry.headers, "content-type") or ""
        post_data: dict[str, Any] = {"mimeType": mime_type, "text": entry.body}
        if mime_type.startswith("application/x-www-form-urlencoded"):
            post_data["params"] = _pairs(parse_qsl(entry.body, keep_blank_values=True))
        else:
            post_data["params"] = []
        request["postData"] = post_data
    return request


def _response(entry: JournalEntry) -> dict[str, Any]:
    size = len(entry.response_body.encode())
    return {
        "status": entry.status,
        "statusText": _reason(entry.status),
        "httpVersion": HTTP_VERSION,
        "cookies": [],
        "headers": _pairs(entry.response_headers.items()),
        "content": {
            "size": size,
            "mimeType": _header(entry.response_headers, "content-type") or "",
            "text": entry.response_body,
        },
        "redirectURL": _header(entry.response_headers, "location") or "",
        "headersSize": -1,
        "bodySize": size,
    }


def _pairs(items: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in items]


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def _cookies(header: str | None) -> list[dict[str, str]]:
    if not header:
        return []
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return []
    return [{"name": name, "value": morsel.value} for name, morsel in jar.items()]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
