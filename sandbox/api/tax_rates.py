"""``/api/v1/tax_rates`` (TaxRateApiController).

``tax_rates`` has no ``is_deleted`` column, so v4 answers ``DELETE`` and ``action=delete`` with a
500. The sandbox does what the routes document instead: the rate is soft-deleted (it then shows
``archived_at``), as for contacts (FIDELITY.md).
"""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.models.php import truthy
from sandbox.models.tax_rates import save_tax_rate, tax_rate_named_by, validate_tax_rate
from sandbox.models.trash import delete_entity
from sandbox.store import Record
from sandbox.transform.tax_rates import TAX_RATE

TAX_RATES = Resource(
    segment="tax_rates",
    entity="tax_rate",
    table="tax_rates",
    transformer=TAX_RATE,
    order_by="created_at",
    client_field=None,
    has_deleted_flag=False,
)

list_tax_rates = list_handler(TAX_RATES, "TaxRateApiController")
get_tax_rate = show_handler(TAX_RATES, "TaxRateApiController")


def _validated_entity(call: Call) -> Record:
    """``UpdateTaxRateRequest``: the policy check on the named rate, then the rules."""
    tax_rate = entity_or_forbidden(call, TAX_RATES)
    validate_tax_rate(call.input)
    return tax_rate


async def create_tax_rate(request: web.Request) -> web.Response:
    """``POST /api/v1/tax_rates`` (TaxRateApiController@store); a ``public_id`` updates that rate."""
    call = get_call(request)
    validate_tax_rate(call.input)
    with call.write() as env:
        existing = tax_rate_named_by(env, call.input)
        tax_rate = save_tax_rate(env, call.input, existing)
    return item_response(call, TAX_RATE, tax_rate, created=existing is None)


async def update_tax_rate(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/tax_rates/{id}`` (TaxRateApiController@update), including ``?action=``."""
    call = get_call(request)
    tax_rate = _validated_entity(call)
    if truthy(call.input.get("action")):
        return run_action(call, TAX_RATES, tax_rate)
    with call.write() as env:
        tax_rate = save_tax_rate(env, call.input, tax_rate)
    return item_response(call, TAX_RATE, tax_rate)


async def delete_tax_rate(request: web.Request) -> web.Response:
    """``DELETE /api/v1/tax_rates/{id}`` (TaxRateApiController@destroy); validates like an update."""
    call = get_call(request)
    tax_rate = _validated_entity(call)
    with call.write() as env:
        tax_rate = delete_entity(env, "tax_rates", tax_rate, has_flag=False)
    return item_response(call, TAX_RATE, tax_rate)


ROUTES: list[ApiRoute] = resource_routes(
    "tax_rates",
    {
        "index": list_tax_rates,
        "store": create_tax_rate,
        "show": get_tax_rate,
        "update": update_tax_rate,
        "destroy": delete_tax_rate,
    },
)
