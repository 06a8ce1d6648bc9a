"""Admin routes, declared once as data (the admin client and docs read the same table)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from sandbox import __version__
from sandbox.keys import runtime_key
from sandbox.models.php import filter_int
from sandbox.seed import DatasetError

PREFIX = "/__admin"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(payload: Any, status: int = 200) -> web.Response:
    """An admin answer: compact JSON."""
    return web.Response(body=orjson.dumps(payload), status=status, content_type="application/json")


def admin_error(status: int, message: str) -> web.Response:
    """An admin error: ``{"error": message}``."""
    return json_response({"error": message}, status)


async def health(request: web.Request) -> web.Response:
    """``GET /__admin/health``: liveness, version and the data file in use."""
    runtime = request.app[runtime_key]
    return json_response(
        {
            "status": "ok",
            "version": __version__,
            "ninja_version": "4.5.50",
            "data": runtime.settings.data,
            "fixtures": runtime.fixtures,
            "seed": runtime.seed,
        }
    )


async def list_requests(request: web.Request) -> web.Response:
    """``GET /__admin/requests``: journaled requests, oldest first, filtered by method, path, status."""
    runtime = request.app[runtime_key]
    query = request.query
    status = filter_int(query["status"]) if "status" in query else None
    if "status" in query and status is None:
        return admin_error(400, "status must be an integer")
    entries = runtime.journal.find(method=query.get("method"), path=query.get("path"), status=status)
    requests = [entry.to_json() for entry in entries]
    return json_response({"requests": requests, "total": len(requests), "dropped": runtime.journal.dropped})


async def clear_requests(request: web.Request) -> web.Response:
    """``DELETE /__admin/requests``: forget every journaled request."""
    request.app[runtime_key].journal.clear()
    return json_response({"cleared": True})


async def reset(request: web.Request) -> web.Response:
    """``POST /__admin/reset``: back to the seeded state (optionally ``{"seed": n, "fixtures": name}``)."""
    runtime = request.app[runtime_key]
    options: Any = {}
    body = await request.read()
    if body.strip():
        try:
            options = orjson.loads(body)
        except orjson.JSONDecodeError:
            return admin_error(400, "the body must be a JSON object")
        if not isinstance(options, dict):
            return admin_error(400, "the body must be a JSON object")
    seed = options.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        return admin_error(400, "seed must be an integer")
    fixtures = options.get("fixtures")
    if fixtures is not None and not isinstance(fixtures, str):
        return admin_error(400, "fixtures must be a dataset name or path")
    try:
        runtime.reset(fixtures=fixtures, seed=seed)
    except DatasetError as exc:
        return admin_error(400, str(exc))
    return json_response({"reset": True, "fixtures": runtime.fixtures, "seed": runtime.seed})


async def get_clock(request: web.Request) -> web.Response:
    """``GET /__admin/clock``: the sandbox's time and whether it is frozen."""
    clock = request.app[runtime_key].clock
    return json_response({"now": clock.now(), "frozen": clock.frozen})


async def set_clock(request: web.Request) -> web.Response:
    """``POST /__admin/clock``: ``{"advance": seconds}``, ``{"freeze": true|unix}``, ``{"freeze": false}``."""
    clock = request.app[runtime_key].clock
    try:
        options = orjson.loads(await request.read() or b"{}")
    except orjson.JSONDecodeError:
        return admin_error(400, "the body must be a JSON object")
    if not isinstance(options, dict):
        return admin_error(400, "the body must be a JSON object")
    advance = options.get("advance")
    freeze = options.get("freeze")
    if advance is not None and (isinstance(advance, bool) or not isinstance(advance, int | float)):
        return admin_error(400, "advance must be a number of seconds")
    if freeze is not None and not isinstance(freeze, bool | int | float):
        return admin_error(400, "freeze must be true, false or a unix time")
    if freeze is True:
        clock.freeze()
    elif freeze is False:
        clock.unfreeze()
    elif freeze is not None:
        clock.freeze(float(freeze))
    if advance is not None:
        clock.advance(float(advance))
    return json_response({"now": clock.now(), "frozen": clock.frozen})


async def list_outbox(request: web.Request) -> web.Response:
    """``GET /__admin/outbox``: every email the API "sent", oldest first (``?to=`` filters by recipient)."""
    outbox = request.app[runtime_key].outbox
    to = request.query.get("to")
    messages = [m for m in outbox.messages() if to is None or to.lower() in (a.lower() for a in m.to)]
    return json_response(
        {"messages": [m.to_json() for m in messages], "total": len(messages), "dropped": outbox.dropped}
    )


async def clear_outbox(request: web.Request) -> web.Response:
    """``DELETE /__admin/outbox``: forget every email."""
    request.app[runtime_key].outbox.clear()
    return json_response({"cleared": True})


async def get_attachment(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/outbox/{id}/attachments/{index}``: an attachment's bytes (the invoice PDF)."""
    outbox = request.app[runtime_key].outbox
    message_id = filter_int(request.match_info["id"])
    index = filter_int(request.match_info["index"])
    message = None if message_id is None else outbox.get(message_id)
    if message is None or index is None or not 0 <= index < len(message.attachments):
        return admin_error(404, "no such message or attachment")
    attachment = message.attachments[index]
    disposition = f'attachment; filename="{attachment.filename.replace(chr(34), "")}"'
    return web.Response(
        body=attachment.content,
        content_type=attachment.content_type,
        headers={"Content-Disposition": disposition},
    )


async def list_webhooks(request: web.Request) -> web.Response:
    """``GET /__admin/webhooks``: every webhook delivery attempt, oldest first (``?event=`` filters)."""
    webhooks = request.app[runtime_key].webhooks
    event = request.query.get("event")
    deliveries = [d for d in webhooks.deliveries() if event is None or d.event == event]
    return json_response(
        {
            "deliveries": [d.to_json() for d in deliveries],
            "total": len(deliveries),
            "dropped": webhooks.dropped,
        }
    )


async def clear_webhooks(request: web.Request) -> web.Response:
    """``DELETE /__admin/webhooks``: forget the delivery log."""
    request.app[runtime_key].webhooks.clear()
    return json_response({"cleared": True})


@dataclass(frozen=True)
class AdminRoute:
    """One admin route: method, path under ``/__admin``, handler, and a one-line summary."""

    method: str
    path: str
    handler: Handler
    name: str
    summary: str


ADMIN_ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/health", health, "health", "liveness, version and data file"),
    AdminRoute("GET", "/requests", list_requests, "list_requests", "journaled API requests, oldest first"),
    AdminRoute("DELETE", "/requests", clear_requests, "clear_requests", "empty the journal"),
    AdminRoute("POST", "/reset", reset, "reset", "back to the seeded state, journal emptied"),
    AdminRoute("GET", "/clock", get_clock, "get_clock", "the sandbox's time"),
    AdminRoute("POST", "/clock", set_clock, "set_clock", "advance, freeze or unfreeze the sandbox's time"),
    AdminRoute("GET", "/outbox", list_outbox, "list_outbox", "emails the API sent, oldest first"),
    AdminRoute("DELETE", "/outbox", clear_outbox, "clear_outbox", "empty the outbox"),
    AdminRoute(
        "GET",
        "/outbox/{id}/attachments/{index}",
        get_attachment,
        "get_attachment",
        "one attachment of an email, as a file",
    ),
    AdminRoute("GET", "/webhooks", list_webhooks, "list_webhooks", "webhook deliveries, oldest first"),
    AdminRoute("DELETE", "/webhooks", clear_webhooks, "clear_webhooks", "empty the delivery log"),
)


def add_admin_routes(app: web.Application) -> None:
    """Register the admin routes on the app."""
    for route in ADMIN_ROUTES:
        app.router.add_route(route.method, PREFIX + route.path, route.handler, name=f"admin.{route.name}")
