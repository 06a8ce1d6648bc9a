"""``POST /api/v1/hooks`` and ``DELETE /api/v1/hooks/{id}`` (IntegrationController): webhook subscriptions."""

from __future__ import annotations

import orjson
from aiohttp import web

from sandbox import phpjson
from sandbox.api.call import get_call
from sandbox.api.routing import ApiRoute
from sandbox.errors import RecordNotFoundError, api_response
from sandbox.models.php import route_id
from sandbox.webhooks import EVENT_IDS


async def subscribe(request: web.Request) -> web.Response:
    """``POST /api/v1/hooks``: 201 ``{"id": n}``; an unknown event is a 500 with ``"Event is invalid"``."""
    call = get_call(request)
    assert call.actor is not None
    event = str(call.input.get("event") or "").strip()
    if event not in EVENT_IDS:
        return web.Response(
            body=orjson.dumps("Event is invalid"), status=500, content_type="application/json"
        )
    with call.write() as env:
        subscription = env.store.insert(
            "subscriptions",
            {
                "account_id": env.account_id,
                "user_id": env.actor.user_id,
                "public_id": env.store.next_public_id("subscriptions", env.account_id),
                "event_id": EVENT_IDS[event],
                "event": event,
                "target_url": str(call.input.get("target_url") or "").strip(),
                "format": "JSON",
                "created_at": env.now,
                "updated_at": env.now,
                "deleted_at": None,
            },
        )
    return web.Response(
        body=orjson.dumps({"id": subscription["public_id"]}), status=201, content_type="application/json"
    )


async def unsubscribe(request: web.Request) -> web.Response:
    """``DELETE /api/v1/hooks/{subscription_id}``: ``{"data": "success"}``."""
    call = get_call(request)
    assert call.actor is not None
    public_id = route_id(request.match_info["subscription_id"])
    store = call.runtime.store
    subscription = (
        None if public_id is None else store.get_public("subscriptions", call.actor.account_id, public_id)
    )
    if subscription is None or subscription.get("deleted_at") is not None:
        raise RecordNotFoundError()
    with call.write() as env:
        env.store.update(
            "subscriptions", subscription["doc_id"], {"deleted_at": env.now, "updated_at": env.now}
        )
    return api_response(phpjson.dumps({"data": "success"}))


ROUTES = [
    ApiRoute("POST", "/hooks", subscribe, "hooks.subscribe"),
    ApiRoute("DELETE", "/hooks/{subscription_id}", unsubscribe, "hooks.unsubscribe"),
]
