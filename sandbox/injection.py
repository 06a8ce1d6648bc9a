"""What an injected fault answers: v4's own errors (the table in :mod:`sandbox.faults`), a dropped
connection, or an answer cut off after its first bytes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.web_request import BaseRequest

from sandbox import phpjson
from sandbox.errors import (
    EmptyIdError,
    ForbiddenError,
    InvalidSecretError,
    InvalidTokenError,
    MethodNotAllowedError,
    RecordNotFoundError,
    RequestTraits,
    RouteNotFoundError,
    ServerError,
    ThrottledError,
    ValidationError,
    api_response,
    laravel_json,
)

if TYPE_CHECKING:
    from sandbox.faults import Fault

_INVALID = {"id": ["The selected id is invalid."]}
_MAINTENANCE = "We're currently undergoing a brief maintenance, we'll be right back."


@dataclass(frozen=True)
class Site:
    """What of the request an injected error's shape depends on."""

    traits: RequestTraits
    method: str
    allowed: list[str]


def _maintenance(site: Site) -> web.Response:
    # ``CheckForMaintenanceMode`` throws before routing; v4 overrides Laravel's 503 view with its own.
    if site.traits.expects_json:
        return laravel_json(503, {"message": ""})
    return web.Response(text=_MAINTENANCE, status=503, headers={"Content-Type": "text/html; charset=UTF-8"})


def _validation(site: Site, *, with_secret: bool) -> web.Response:
    traits = replace(site.traits, has_api_secret=with_secret, expects_json=True)
    return ValidationError(_INVALID).render(traits)


def compact_error(status: int, message: str) -> web.Response:
    """``{"error":{"message":...}}``, compact, with the API headers (as ``ApiCheck`` answers)."""
    return api_response(phpjson.dumps({"error": {"message": message}}, pretty=False), status)


def _pretty(status: int, message: str) -> web.Response:
    return api_response(phpjson.dumps({"error": {"message": message}}), status)


ERRORS: dict[str, Callable[[Site], web.Response]] = {
    "400": lambda site: _validation(site, with_secret=True),
    "401": lambda site: _pretty(401, "Invalid credentials"),
    "403": lambda site: InvalidTokenError().render(site.traits),
    "403-token": lambda site: InvalidTokenError().render(site.traits),
    "403-secret": lambda site: InvalidSecretError().render(site.traits),
    "403-throttle": lambda site: ThrottledError(1).render(site.traits),
    "403-plan": lambda site: compact_error(403, "API requires pro plan"),
    "403-forbidden": lambda site: ForbiddenError().render(site.traits),
    "404": lambda site: RecordNotFoundError().render(site.traits),
    "404-record": lambda site: RecordNotFoundError().render(site.traits),
    "404-empty": lambda site: EmptyIdError().render(site.traits),
    "404-route": lambda site: RouteNotFoundError().render(site.traits),
    "405": lambda site: MethodNotAllowedError(site.method, site.allowed).render(site.traits),
    "422": lambda site: _validation(site, with_secret=False),
    "500": lambda site: ServerError().render(site.traits),
    "500-internal": lambda site: _pretty(500, "Internal Server Error"),
    "503": _maintenance,
}


# --- injection --------------------------------------------------------------------------------------------


async def inject(fault: Fault, site: Site, error_delay: float) -> web.StreamResponse | None:
    """Apply the fault before the handler: the latency, then an error or an early drop (None: go on)."""
    if fault.latency_ms:
        await asyncio.sleep(fault.latency_ms / 1000)
    if fault.error is not None:
        delay = {"token": error_delay, "throttle": min(1.0, error_delay)}.get(fault.delay or "", 0.0)
        if delay:
            await asyncio.sleep(delay)
        if fault.has_body:
            return api_response(phpjson.dumps(fault.body), int(fault.error.split("-")[0]))
        return ERRORS[fault.error](site)
    if fault.drop == "before":
        return BrokenResponse()
    return None


def finish(fault: Fault | None, request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    """Apply the fault to the answer: drop it, or cut its body short."""
    if fault is None or isinstance(response, BrokenResponse):
        return response
    if fault.drop == "after":
        return BrokenResponse()
    cut = fault.truncate
    if cut is not None and isinstance(response, web.Response) and request.method != "HEAD":
        body = response.body
        if isinstance(body, bytes) and cut < len(body):
            return BrokenResponse(response, body, cut)
    return response


class BrokenResponse(web.StreamResponse):
    """An answer that never completes: nothing at all, or the headers and the first bytes of the body."""

    def __init__(self, source: web.Response | None = None, body: bytes = b"", keep: int = 0) -> None:
        super().__init__(
            status=source.status if source else 200,
            reason=source.reason if source else None,
            headers=source.headers if source else None,
        )
        self.full_body = body
        self.sent_body = body[:keep]
        self.sent_headers = {str(k): v for k, v in source.headers.items()} if source else {}
        if source is not None:
            self.sent_headers["Content-Length"] = str(len(body))

    async def prepare(self, request: BaseRequest) -> AbstractStreamWriter | None:
        """Send what the fault lets through, then hang up."""
        if self.sent_headers:
            self.content_length = len(self.full_body)
            await super().prepare(request)
            await self.write(self.sent_body)
        if request.transport is not None:
            request.transport.close()  # flushes what was written, then closes
        # aiohttp's server treats this as the client going away: no further write is attempted.
        raise ConnectionResetError("the answer was cut off by an injected fault")
