"""``/api/v1/vendors`` (VendorApiController)."""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.models import trash
from sandbox.models import vendors as rules
from sandbox.models.php import truthy
from sandbox.transform.vendors import VENDOR

VENDORS = Resource(segment="vendors", entity="vendor", table="vendors", transformer=VENDOR, client_field=None)


list_vendors = list_handler(VENDORS, "VendorApiController")


get_vendor = show_handler(VENDORS, "VendorApiController")


async def create_vendor(request: web.Request) -> web.Response:
    """``POST /api/v1/vendors`` (VendorApiController@store)."""
    call = get_call(request)
    rules.validate_vendor(call.input)
    with call.write() as env:
        vendor, _ = rules.save_vendor(env, call.input)
    # v4 loads the vendor again before answering, so ``user_id`` is not shown.
    return item_response(call, VENDOR, env.store.get("vendors", vendor["doc_id"]))


async def update_vendor(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/vendors/{id}`` (VendorApiController@update), including ``?action=``."""
    call = get_call(request)
    vendor = entity_or_forbidden(call, VENDORS)
    rules.validate_vendor(call.input)
    if truthy(call.input.get("action")):
        return run_action(call, VENDORS, vendor)
    data = {**call.input, "public_id": request.match_info["vendors"]}
    with call.write() as env:
        saved, _ = rules.save_vendor(env, data, vendor)
    return item_response(call, VENDOR, env.store.get("vendors", saved["doc_id"]))


async def delete_vendor(request: web.Request) -> web.Response:
    """``DELETE /api/v1/vendors/{id}`` (VendorApiController@destroy); no validation rules."""
    call = get_call(request)
    vendor = entity_or_forbidden(call, VENDORS)
    with call.write() as env:
        vendor = trash.delete_entity(env, "vendors", vendor)
    return item_response(call, VENDOR, vendor)


ROUTES: list[ApiRoute] = resource_routes(
    "vendors",
    {
        "index": list_vendors,
        "store": create_vendor,
        "show": get_vendor,
        "update": update_vendor,
        "destroy": delete_vendor,
    },
)
