"""``/__admin/webhooks``: the delivery log, redelivery, waits, and per-subscription test settings.

The list and ``wait`` take the same filters: ``event`` and ``account_key`` exactly;
``subscription_id`` (the public id ``POST /api/v1/hooks`` answered); ``status``, an HTTP status or
``error`` (finished without one) or ``pending`` (not finished); ``target_url``, a substring. The list
reads them from the query string, ``wait`` from its JSON body.

A subscription's id is public per account, so the settings routes take ``?account_key=`` when
two accounts have a subscription with the same id.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Literal

from aiohttp import web

from sandbox.admin.inputs import (
    MAX_WAIT_MS,
    answers_400,
    describe,
    integer,
    json_object,
    page,
    reject_unknown,
    text,
    wait_options,
)
from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.requests import AdminInputError
from sandbox.admin.table import AdminRoute
from sandbox.changes import wait_for
from sandbox.models.php import filter_int
from sandbox.namespaces import runtime_of
from sandbox.store import Record, Store
from sandbox.webhooks import DROP, Delivery, DeliveryFilter, Failure, SubscriptionSettings, Webhooks

FILTERS = ("event", "subscription_id", "status", "target_url", "account_key")


def delivery_filter(source: Mapping[str, Any]) -> DeliveryFilter:
    """The delivery filters found in a query string or a JSON body."""
    status: int | Literal["error", "pending"] | None
    raw = source.get("status")
    if raw in ("error", "pending"):
        status = "error" if raw == "error" else "pending"
    else:
        try:
            status = integer(source, "status")
        except AdminInputError:
            raise AdminInputError("status must be an HTTP status, error or pending") from None
    return DeliveryFilter(
        event=text(source, "event"),
        subscription_id=integer(source, "subscription_id"),
        status=status,
        target_url=text(source, "target_url"),
        account_key=text(source, "account_key"),
    )


def _webhooks(request: web.Request) -> Webhooks:
    return runtime_of(request).webhooks


@answers_400
async def list_webhooks(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/webhooks``: webhook deliveries, oldest first; filters and paging in the query.

    ``total`` counts the matching deliveries before paging; ``dropped`` those the log's bound evicted.
    """
    webhooks = _webhooks(request)
    deliveries = webhooks.deliveries(delivery_filter(request.query))
    return json_response(
        {
            "deliveries": [d.to_json() for d in page(request, deliveries)],
            "total": len(deliveries),
            "dropped": webhooks.dropped,
        }
    )


async def clear_webhooks(request: web.Request) -> web.StreamResponse:
    """``DELETE /__admin/webhooks``: forget the delivery log (subscription settings stay)."""
    _webhooks(request).clear_log()
    return json_response({"cleared": True})


def _delivery(request: web.Request) -> Delivery | None:
    delivery_id = filter_int(request.match_info["id"])
    return None if delivery_id is None else _webhooks(request).get(delivery_id)


def _no_delivery(request: web.Request) -> web.Response:
    return admin_error(404, f"no delivery {request.match_info['id']} in the log")


async def get_delivery(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/webhooks/{id}``: one delivery."""
    delivery = _delivery(request)
    return _no_delivery(request) if delivery is None else json_response(delivery.to_json())


async def redeliver(request: web.Request) -> web.StreamResponse:
    """``POST /__admin/webhooks/{id}/redeliver``: POST the same body to the same target again, now.

    The attempt is a new log entry whose ``redelivery_of`` names the original. The answer waits for
    it to finish: 200 with the new, ``done`` delivery, whatever the receiver answered. A simulated
    failure set for the subscription applies; its delay does not. A 410 unsubscribes, as always.
    """
    original = _delivery(request)
    if original is None:
        return _no_delivery(request)
    delivery, task = _webhooks(request).redeliver(original)
    # Shielded: a client that hangs up does not cancel the delivery, which is logged either way.
    await asyncio.shield(task)
    return json_response(delivery.to_json())


@answers_400
async def wait_webhooks(request: web.Request) -> web.StreamResponse:
    """``POST /__admin/webhooks/wait``: wait until ``count`` finished deliveries match the body's filters.

    Body: the filters plus ``count`` (default 1) and ``timeout_ms`` (default 5000, at most 30000).
    Only finished deliveries (``done``) count, already logged ones too; the wait wakes on each
    delivery that finishes, no polling. 200 ``{"deliveries": [...every match, oldest first],
    "total": n, "waited_ms": t}`` once enough match; 408 ``{"error": ..., "total": n, "waited_ms": t}``
    when the time is up first.
    """
    body = await json_object(request)
    reject_unknown(body, (*FILTERS, "count", "timeout_ms"))
    where = delivery_filter(body)
    count, timeout_ms = wait_options(body)
    webhooks = _webhooks(request)
    loop = asyncio.get_running_loop()
    started = loop.time()

    def finished() -> list[Delivery]:
        return [d for d in webhooks.deliveries(where) if d.done]

    found = await wait_for(webhooks.changes, finished, count, timeout_ms / 1000)
    waited_ms = round((loop.time() - started) * 1000, 3)
    if len(found) >= count:
        return json_response(
            {"deliveries": [d.to_json() for d in found], "total": len(found), "waited_ms": waited_ms}
        )
    plural = "ies" if count != 1 else "y"
    error = (
        f"timed out after {timeout_ms} ms waiting for {count} finished deliver{plural} matching "
        f"{describe(body, FILTERS)}; {len(found)} matched"
    )
    return json_response({"error": error, "total": len(found), "waited_ms": waited_ms}, 408)


# --- subscriptions and their settings ---------------------------------------------------------------------


def _account_keys(store: Store) -> dict[int, str]:
    return {int(row["doc_id"]): str(row.get("account_key") or "") for row in store.all("accounts")}


def _subscription_json(row: Record, account_key: str, settings: SubscriptionSettings) -> dict[str, Any]:
    return {
        "account_key": account_key,
        "id": row["public_id"],
        "event_id": row.get("event_id"),
        "event": row.get("event"),
        "target_url": row.get("target_url"),
        "format": row.get("format"),
        "created_at": row.get("created_at"),
        "updated_at": row.get("updated_at"),
        "deleted_at": row.get("deleted_at"),
        "settings": settings.to_json(),
    }


@answers_400
async def list_subscriptions(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/webhooks/subscriptions``: every account's subscriptions (unsubscribed ones too)
    with their settings; ``?account_key=`` and ``?event=`` filter."""
    runtime = runtime_of(request)
    keys = _account_keys(runtime.store)
    account_key, event = text(request.query, "account_key"), text(request.query, "event")
    rows = sorted(runtime.store.all("subscriptions"), key=lambda row: (row["account_id"], row["public_id"]))
    listed = []
    for row in rows:
        key = keys.get(int(row["account_id"]), "")
        if (account_key is None or key == account_key) and (event is None or row.get("event") == event):
            settings = runtime.webhooks.settings_for(key, int(row["public_id"]))
            listed.append(_subscription_json(row, key, settings))
    return json_response({"subscriptions": listed, "total": len(listed)})


def _subscription(request: web.Request) -> tuple[str, int] | web.Response:
    """The ``(account_key, id)`` the path and ``?account_key=`` name, or the error answer."""
    store = runtime_of(request).store
    raw_id = request.match_info["subscription_id"]
    public_id = filter_int(raw_id)
    account_key = text(request.query, "account_key")
    keys = _account_keys(store)
    found = [
        keys.get(int(row["account_id"]), "")
        for row in store.all("subscriptions")
        if row["public_id"] == public_id
    ]
    found = [key for key in found if account_key is None or key == account_key]
    if not found:
        return admin_error(404, f"no subscription {raw_id}")
    if len(found) > 1:
        return admin_error(
            400, f"subscription {public_id} exists in {len(found)} accounts; add ?account_key= to choose"
        )
    assert public_id is not None
    return found[0], public_id


def _settings_json(account_key: str, subscription_id: int, settings: SubscriptionSettings) -> dict[str, Any]:
    return {"account_key": account_key, "subscription_id": subscription_id, **settings.to_json()}


@answers_400
async def get_settings(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/webhooks/subscriptions/{subscription_id}/settings``: its delay and simulated failure."""
    found = _subscription(request)
    if isinstance(found, web.Response):
        return found
    settings = _webhooks(request).settings_for(*found)
    return json_response(_settings_json(*found, settings))


def parse_settings(body: Mapping[str, Any]) -> SubscriptionSettings:
    """``{"delay_ms": n, "fail": null | {"status": 400..599} | "drop"}``; a missing key is its default."""
    reject_unknown(body, ("delay_ms", "fail"))
    delay_ms = body.get("delay_ms", 0)
    if isinstance(delay_ms, bool) or not isinstance(delay_ms, int) or not 0 <= delay_ms <= MAX_WAIT_MS:
        raise AdminInputError(f"delay_ms must be an integer from 0 to {MAX_WAIT_MS}")
    raw = body.get("fail")
    fail: Failure
    if raw is None:
        fail = None
    elif raw == DROP:
        fail = "drop"
    elif isinstance(raw, dict) and set(raw) == {"status"}:
        status = raw["status"]
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            raise AdminInputError("fail.status must be an HTTP error status from 400 to 599")
        fail = status
    else:
        raise AdminInputError('fail must be null, {"status": 400..599} or "drop"')
    return SubscriptionSettings(delay_ms=delay_ms, fail=fail)


@answers_400
async def put_settings(request: web.Request) -> web.StreamResponse:
    """``PUT /__admin/webhooks/subscriptions/{subscription_id}/settings``: replace its delay and failure.

    ``delay_ms`` waits before each delivery; ``fail`` logs a delivery with that status (a 410 also
    unsubscribes) or, with ``"drop"``, as a failed connection, without contacting the receiver.
    Deliveries started from now on use them; a reset clears them.
    """
    found = _subscription(request)
    if isinstance(found, web.Response):
        return found
    settings = parse_settings(await json_object(request))
    _webhooks(request).configure(*found, settings)
    return json_response(_settings_json(*found, settings))


# ``subscriptions`` and ``wait`` come before ``{id}`` so that they are not read as delivery ids.
ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/webhooks", list_webhooks, "list_webhooks", "webhook deliveries, oldest first"),
    AdminRoute("DELETE", "/webhooks", clear_webhooks, "clear_webhooks", "empty the delivery log"),
    AdminRoute(
        "GET",
        "/webhooks/subscriptions",
        list_subscriptions,
        "list_subscriptions",
        "every account's webhook subscriptions with their settings",
    ),
    AdminRoute(
        "GET",
        "/webhooks/subscriptions/{subscription_id}/settings",
        get_settings,
        "get_subscription_settings",
        "a subscription's delivery delay and simulated failure",
    ),
    AdminRoute(
        "PUT",
        "/webhooks/subscriptions/{subscription_id}/settings",
        put_settings,
        "put_subscription_settings",
        "delay a subscription's deliveries or simulate a failing receiver",
    ),
    AdminRoute(
        "POST", "/webhooks/wait", wait_webhooks, "wait_webhooks", "wait until matching deliveries finish"
    ),
    AdminRoute("GET", "/webhooks/{id}", get_delivery, "get_delivery", "one webhook delivery"),
    AdminRoute(
        "POST",
        "/webhooks/{id}/redeliver",
        redeliver,
        "redeliver",
        "send a delivery's body to its target again and answer the new delivery",
    ),
)
