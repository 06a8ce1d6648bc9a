"""``/api/v1/payment_terms`` (PaymentTermApiController).

The list holds the account's live terms and the global defaults, by ``num_days``. ``show`` takes
the public id (which the list never shows); ``destroy`` takes ``num_days``. v4 has no ``update``
method, so ``PUT`` is a 500 there; the sandbox answers the 405 Laravel gives a resource without an
update route (FIDELITY.md).
"""

from __future__ import annotations

from aiohttp import web

from sandbox.api.call import get_call
from sandbox.api.resource import Resource, show_handler
from sandbox.api.respond import item_response, list_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.errors import ControllerError, MethodNotAllowedError
from sandbox.models import lifecycle
from sandbox.models import payment_terms as terms
from sandbox.models.php import leading_number
from sandbox.transform.payment_terms import PAYMENT_TERM

PAYMENT_TERMS = Resource(
    segment="payment_terms",
    entity="payment_term",
    table="payment_terms",
    transformer=PAYMENT_TERM,
    client_field=None,
)
CANNOT_DELETE = {"message": "Cannot delete a default or non existent Payment Term"}

get_payment_term = show_handler(PAYMENT_TERMS, "PaymentTermApiController")


async def list_payment_terms(request: web.Request) -> web.Response:
    """``GET /api/v1/payment_terms`` (PaymentTermApiController@index)."""
    call = get_call(request)
    assert call.actor is not None
    defaults = terms.default_terms(call.runtime.static)
    # ``scope()->orWhere('account_id', 0)`` leaves the OR ungrouped, so the list's ``updated_at``
    # filter binds to the defaults only: the account's own terms are always listed.
    since = call.input.get("updated_at")
    if since is not None and not isinstance(since, list | dict) and leading_number(str(since)) > 0:
        threshold = int(leading_number(str(since)))
        defaults = [term for term in defaults if term["updated_at"] >= threshold]
    rows = [*defaults, *terms.account_terms(call.runtime.store, call.actor.account_id)]
    rows.sort(key=lambda term: (int(term["num_days"]), term["doc_id"]))
    return list_response(call, PAYMENT_TERM, rows)


async def create_payment_term(request: web.Request) -> web.Response:
    """``POST /api/v1/payment_terms`` (PaymentTermApiController@store)."""
    call = get_call(request)
    with call.write() as env:
        terms.validate_new_term(env, call.input)
        term = terms.create_term(env, call.input)
    return item_response(call, PAYMENT_TERM, term, created=True)


async def update_payment_term(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/payment_terms/{id}``: v4 has no ``update`` method; answered as a missing route."""
    raise MethodNotAllowedError(request.method, ["GET", "HEAD", "DELETE"])


async def delete_payment_term(request: web.Request) -> web.Response:
    """``DELETE /api/v1/payment_terms/{num_days}`` (PaymentTermApiController@destroy): archives the term."""
    call = get_call(request)
    with call.write() as env:
        term = terms.term_for_days(env, request.match_info["payment_terms"])
        if term is None or term["account_id"] == 0:
            raise ControllerError(CANNOT_DELETE, 400)
        term = lifecycle.archive(env.store, "payment_terms", term, env.now)
    return item_response(call, PAYMENT_TERM, term)


ROUTES: list[ApiRoute] = resource_routes(
    "payment_terms",
    {
        "index": list_payment_terms,
        "store": create_payment_term,
        "show": get_payment_term,
        "update": update_payment_term,
        "destroy": delete_payment_term,
    },
)
