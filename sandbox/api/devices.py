"""The mobile app's push registrations (AccountApiController@addDeviceToken, @removeDeviceToken,
@updatePushNotifications), kept in the account's ``devices`` list.

An account that never registered a device has no list at all; v4.5.50 then fails with a 500
(PHP's ``count(null)``), the sandbox reads it as an empty list (FIDELITY.md).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.api.call import Call, get_call
from sandbox.api.respond import envelope
from sandbox.api.routing import ApiRoute
from sandbox.errors import ControllerError, plain_html
from sandbox.store import Record

Device = dict[str, Any]
NOTIFICATIONS = ("notify_sent", "notify_viewed", "notify_approved", "notify_paid")


def loose_equals(left: Any, right: Any) -> bool:
    """PHP's ``==`` for the scalars these lists hold (null equals "", 0 and false)."""
    if left is None or right is None:
        other = right if left is None else left
        return other in (None, "", 0, False) and not isinstance(other, float | list | dict)
    return bool(left == right)


def _devices(account: Record) -> list[Device]:
    raw = account.get("devices")
    return [dict(device) for device in raw if isinstance(device, dict)] if isinstance(raw, list) else []


def _save(call: Call, devices: list[Device]) -> Record:
    """``$account->devices = json_encode($devices); $account->save()`` (a no-op when nothing changed)."""
    with call.write() as env:
        account = env.account
        if account.get("devices") != devices:
            account = env.store.update(
                "accounts", account["doc_id"], {"devices": devices, "updated_at": env.now}
            )
    return account


async def add_token(request: web.Request) -> web.Response:
    """``POST /api/v1/add_token``: register (or re-register, by email) a device for push messages."""
    call = get_call(request)
    assert call.actor is not None
    data = call.input
    account_key = call.actor.account["account_key"]
    devices = _devices(call.actor.account)
    for device in devices:
        if loose_equals(device.get("email"), data.get("email")):
            device["token"] = data.get("token")
            device["device"] = data.get("device")
            _save(call, devices)
            return envelope(call, {**device, "account_key": account_key})
    new: Device = {
        "token": data.get("token"),
        "email": data.get("email"),
        "device": data.get("device"),
        "account_key": account_key,
        **dict.fromkeys(NOTIFICATIONS, True),
    }
    _save(call, [*devices, new])
    return envelope(call, new)


async def remove_token(request: web.Request) -> web.Response:
    """``POST /api/v1/remove_token``: drop the devices with this token.

    v4 removes entries while counting the shrinking list, so the last of several matches can stay;
    the sandbox walks the list the same way.
    """
    call = get_call(request)
    assert call.actor is not None
    token = call.input.get("token")
    remaining = dict(enumerate(_devices(call.actor.account)))
    index = 0
    while index < len(remaining):
        if loose_equals(token, remaining[index].get("token")):
            del remaining[index]
        index += 1
    _save(call, list(remaining.values()))
    return envelope(call, ["success"])


async def update_notifications(request: web.Request) -> web.Response:
    """``POST /api/v1/update_notifications``: the notify flags of the caller's own device."""
    call = get_call(request)
    assert call.actor is not None
    devices = _devices(call.actor.account)
    if not devices:
        raise ControllerError({"message": "No registered devices."}, 400)
    user = call.actor.user
    username = user.get("username", user.get("email"))
    for index, device in enumerate(devices):
        if loose_equals(device.get("email"), username):
            new: Device = {
                "token": device.get("token"),
                "email": device.get("email"),
                "device": device.get("device"),
                "account_key": call.actor.account["account_key"],
                **{name: call.input.get(name) for name in NOTIFICATIONS},
            }
            devices[index] = new
            _save(call, devices)
            return envelope(call, new)
    return plain_html("")  # no device of this user: the controller returns nothing


ROUTES = [
    ApiRoute("POST", "/add_token", add_token, "add_token"),
    ApiRoute("POST", "/remove_token", remove_token, "remove_token"),
    ApiRoute("POST", "/update_notifications", update_notifications, "update_notifications"),
]
