"""The request log: the journal of ``/api/v1`` requests, live over server-sent events, each with its curl.

The stream wakes on the journal's change notifier (as ``/__admin/requests/verify`` waits do) and
sends each new entry as the HTML row the page itself renders; the page works without it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.dashboard.curl import curl_command
from sandbox.dashboard.lists import paginate
from sandbox.dashboard.pages import HEADERS, error_page, page, render_text
from sandbox.journal import Journal, JournalEntry
from sandbox.models.php import filter_int
from sandbox.namespaces import runtime_of

PAGE_SIZE = 50
KEEPALIVE_SECONDS = 15.0
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
STATUSES = ("2xx", "3xx", "4xx", "5xx")
TEXT_TYPES = ("json", "text", "xml", "html", "javascript", "x-www-form-urlencoded")

#: Set at shutdown, so that open streams end instead of holding the server up.
streams_closing_key: web.AppKey[asyncio.Event] = web.AppKey(
    "sandbox_dashboard_streams_closing", asyncio.Event
)


@dataclass(frozen=True)
class RequestFilter:
    """The log's filter: a method, a status class (``4xx``) or code, and text in the path or bodies."""

    method: str = ""
    status: str = ""
    text: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> RequestFilter:
        """The filter a page or stream URL carries."""
        method = query.get("method", "").upper()
        status = query.get("status", "").lower()
        return cls(
            method=method if method in METHODS else "",
            status=status if status in STATUSES or (status.isdigit() and len(status) == 3) else "",
            text=query.get("q", "").strip(),
        )

    def matches(self, entry: JournalEntry) -> bool:
        """True when the entry passes every part of the filter."""
        if self.method and entry.method != self.method:
            return False
        code = str(entry.status)
        if self.status and not (
            code == self.status or (self.status.endswith("xx") and code[0] == self.status[0])
        ):
            return False
        if self.text:
            needle = self.text.casefold()
            haystack = f"{entry.path}?{entry.query}\n{entry.body}\n{entry.response_body}".casefold()
            return needle in haystack
        return True

    def query(self) -> dict[str, str]:
        """The filter as query parameters (only the parts set)."""
        pairs = {"method": self.method, "status": self.status, "q": self.text}
        return {key: value for key, value in pairs.items() if value}


def status_tone(status: int) -> str:
    """The badge tone of a response status."""
    if status == 0:
        return "bad"
    return {2: "ok", 3: "info", 4: "warn"}.get(status // 100, "bad")


def entry_curl(request: web.Request, entry: JournalEntry) -> str:
    """``curl`` that sends the journaled request again."""
    host = entry.headers.get("Host") or request.host
    url = f"{request.scheme}://{host}{entry.path}" + (f"?{entry.query}" if entry.query else "")
    return curl_command(entry.method, url, entry.headers, entry.body)


def is_text(headers: Mapping[str, str]) -> bool:
    """True when a body of this content type can be shown as text."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return not content_type or any(kind in content_type.lower() for kind in TEXT_TYPES)


async def request_log(request: web.Request) -> web.StreamResponse:
    """``GET /requests``: the journal, newest first, filtered; the first page updates itself live."""
    journal = runtime_of(request).journal
    entries = journal.entries()
    where = RequestFilter.from_query(request.query)
    found = [entry for entry in reversed(entries) if where.matches(entry)]
    window, pager = paginate(request, len(found), PAGE_SIZE)
    after = entries[-1].id if entries else 0
    live = request.rel_url.with_path("/requests/events").with_query({**where.query(), "after": str(after)})
    return page(
        request,
        "requests.html",
        section="requests",
        title="Request log",
        entries=found[window],
        where=where,
        methods=METHODS,
        statuses=STATUSES,
        pager=pager,
        live=str(live) if pager.number == 1 else None,
        dropped=journal.dropped,
        tone=status_tone,
    )


async def request_detail(request: web.Request) -> web.StreamResponse:
    """``GET /requests/{id}``: one request's headers and body, the answer, and a curl that repeats it."""
    wanted = filter_int(request.match_info["id"])
    entry = next((e for e in runtime_of(request).journal.entries() if e.id == wanted), None)
    if entry is None:
        return error_page(request, 404, "Not found", "There is no request with this id in the journal.")
    return page(
        request,
        "request.html",
        section="requests",
        title=f"{entry.method} {entry.path}",
        entry=entry,
        curl=entry_curl(request, entry),
        tone=status_tone,
        request_text=is_text(entry.headers),
        response_text=is_text(entry.response_headers),
    )


def _event(name: str, entry_id: int | None, html: str) -> bytes:
    lines = [f"event: {name}"]
    if entry_id is not None:
        lines.append(f"id: {entry_id}")
    lines.extend(f"data: {line}" for line in html.splitlines() or [""])
    return ("\n".join(lines) + "\n\n").encode()


async def request_events(request: web.Request) -> web.StreamResponse:
    """``GET /requests/events``: server-sent events, one ``request`` event per new matching entry.

    ``?after=`` (or the ``Last-Event-ID`` a reconnecting browser sends) is the last entry the page has;
    a ``cleared`` event says the journal was emptied (a reset).
    """
    journal = runtime_of(request).journal
    where = RequestFilter.from_query(request.query)
    after = filter_int(request.headers.get("Last-Event-ID") or request.query.get("after") or "0") or 0
    closing = request.app[streams_closing_key]
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
    response.headers["Content-Security-Policy"] = HEADERS["Content-Security-Policy"]
    if request.method == "HEAD":
        return response
    await response.prepare(request)
    try:
        await response.write(b"retry: 2000\n\n")
        while not closing.is_set():
            entries = journal.entries()
            if not entries and after and journal.dropped == 0:
                await response.write(_event("cleared", None, ""))
                after = 0
            for entry in entries:
                if entry.id > after:
                    after = entry.id
                    if where.matches(entry):
                        row = render_text(request, "_request_row.html", entry=entry, tone=status_tone)
                        await response.write(_event("request", entry.id, row))
            if not await _wait(journal, _mark(entries), closing):
                await response.write(b": keep-alive\n\n")
    except ConnectionResetError:  # the page was closed: nobody is listening any more
        pass
    return response


def _mark(entries: list[JournalEntry]) -> tuple[int, int]:
    """What identifies a state of the journal: its newest id and its length."""
    return (entries[-1].id if entries else 0, len(entries))


async def _wait(journal: Journal, seen: tuple[int, int], closing: asyncio.Event) -> bool:
    """Wait for the journal to differ from ``seen``, or for shutdown; False after ``KEEPALIVE_SECONDS``."""
    changed = journal.changed()
    stopping = asyncio.ensure_future(closing.wait())
    waits: set[asyncio.Future[Any]] = {changed, stopping}
    # The journal may have changed before the waiter was registered (while events were being
    # written): that change has no notification left to wake it, so look once more.
    woke = _mark(journal.entries()) != seen
    if not woke:
        done, _ = await asyncio.wait(waits, timeout=KEEPALIVE_SECONDS, return_when="FIRST_COMPLETED")
        woke = bool(done)
    for task in (changed, stopping):
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    return woke
