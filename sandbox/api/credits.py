"""``/api/v1/credits`` (CreditApiController)."""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.errors import ControllerError, ValidationError
from sandbox.models.credits import save_credit
from sandbox.models.php import parse_float, route_id
from sandbox.models.trash import delete_entity
from sandbox.transform.payments import CREDIT

CREDITS = Resource(segment="credits", entity="credit", table="credits", transformer=CREDIT)

list_credits = list_handler(CREDITS, "CreditApiController")
get_credit = show_handler(CREDITS, "CreditApiController")


def _positive_amount(call: Call, *, required: bool) -> dict[str, list[str]]:
    amount = call.input.get("amount")
    if amount is None or amount == "":
        return {"amount": ["The amount field is required."]} if required else {}
    if parse_float(amount) < 0:
        return {"amount": ["The amount must be greater than zero."]}
    return {}


async def create_credit(request: web.Request) -> web.Response:
    """``POST /api/v1/credits`` (CreditApiController@store)."""
    call = get_call(request)
    errors: dict[str, list[str]] = {}
    client_id = call.input.get("client_id")
    if client_id is None or (isinstance(client_id, str) and not client_id.strip()):
        errors["client_id"] = ["The client id field is required."]
    errors.update(_positive_amount(call, required=True))
    if errors:
        raise ValidationError(errors)
    assert call.actor is not None
    public_id = route_id(client_id)
    client = (
        None
        if public_id is None
        else call.runtime.store.get_public("clients", call.actor.account_id, public_id)
    )
    if client is None:
        # v4 fails on the foreign key with a 500; the sandbox says which client is missing.
        raise ControllerError("Client not found", 404)
    with call.write() as env:
        credit = save_credit(env, call.input, client)
    return item_response(call, CREDIT, credit, created=True)


async def update_credit(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/credits/{id}``: date, amount, balance and notes."""
    call = get_call(request)
    credit = entity_or_forbidden(call, CREDITS)
    errors = _positive_amount(call, required=False)
    if errors:
        raise ValidationError(errors)
    if call.input.get("action"):
        return run_action(call, CREDITS, credit)
    with call.write() as env:
        saved = save_credit(env, call.input, None, credit)
    return item_response(call, CREDIT, saved)


async def delete_credit(request: web.Request) -> web.Response:
    """``DELETE /api/v1/credits/{id}``."""
    call = get_call(request)
    credit = entity_or_forbidden(call, CREDITS)
    errors = _positive_amount(call, required=False)
    if errors:
        raise ValidationError(errors)
    with call.write() as env:
        credit = delete_entity(env, "credits", credit)
    return item_response(call, CREDIT, credit)


ROUTES: list[ApiRoute] = resource_routes(
    "credits",
    {
        "index": list_credits,
        "store": create_credit,
        "show": get_credit,
        "update": update_credit,
        "destroy": delete_credit,
    },
)
