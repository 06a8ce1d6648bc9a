"""``/api/v1/products`` (ProductApiController)."""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.models.php import truthy
from sandbox.models.products import product_named_by, save_product, validate_product
from sandbox.models.trash import delete_entity
from sandbox.store import Record
from sandbox.transform.products import PRODUCT

#: ``client_id`` is not a filter here: v4 answers it with a 500 (no ``client`` relation), see FIDELITY.md.
PRODUCTS = Resource(
    segment="products", entity="product", table="products", transformer=PRODUCT, client_field=None
)

list_products = list_handler(PRODUCTS, "ProductApiController")
get_product = show_handler(PRODUCTS, "ProductApiController")


def _validated_entity(call: Call) -> Record:
    """``UpdateProductRequest``: the policy check on the named product, then the rules."""
    product = entity_or_forbidden(call, PRODUCTS)
    validate_product(call.input)
    return product


async def create_product(request: web.Request) -> web.Response:
    """``POST /api/v1/products`` (ProductApiController@store); a ``public_id`` updates that product."""
    call = get_call(request)
    validate_product(call.input)
    with call.write() as env:
        existing = product_named_by(env, call.input.get("public_id"))
        product = save_product(env, call.input, existing)
    return item_response(call, PRODUCT, product, created=existing is None)


async def update_product(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/products/{id}`` (ProductApiController@update), including ``?action=``."""
    call = get_call(request)
    product = _validated_entity(call)
    if truthy(call.input.get("action")):
        return run_action(call, PRODUCTS, product)
    with call.write() as env:
        product = save_product(env, call.input, product)
    return item_response(call, PRODUCT, product)


async def delete_product(request: web.Request) -> web.Response:
    """``DELETE /api/v1/products/{id}`` (ProductApiController@destroy); validates like an update."""
    call = get_call(request)
    product = _validated_entity(call)
    with call.write() as env:
        product = delete_entity(env, "products", product)
    return item_response(call, PRODUCT, product)


ROUTES: list[ApiRoute] = resource_routes(
    "products",
    {
        "index": list_products,
        "store": create_product,
        "show": get_product,
        "update": update_product,
        "destroy": delete_product,
    },
)
