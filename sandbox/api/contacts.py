"""``/api/v1/contacts`` (ContactApiController)."""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, find_entity, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.errors import ForbiddenError
from sandbox.models import contacts as rules
from sandbox.models import lifecycle
from sandbox.models.php import truthy
from sandbox.store import Record
from sandbox.transform.contacts import CONTACT

CONTACTS = Resource(
    segment="contacts",
    entity="contact",
    table="contacts",
    transformer=CONTACT,
    order_by="created_at",
    has_deleted_flag=False,
)


list_contacts = list_handler(CONTACTS, "ContactApiController")


get_contact = show_handler(CONTACTS, "ContactApiController")


async def create_contact(request: web.Request) -> web.Response:
    """``POST /api/v1/contacts`` (ContactApiController@store)."""
    call = get_call(request)
    rules.validate(call.input, rules.CREATE_REQUIRED)
    env = call.env()
    with env.store.transaction():
        contact = rules.save_contact(env, call.input)
    return item_response(call, CONTACT, contact, created=True)


def _entity_for_update(call: Call) -> Record:
    contact = find_entity(call, CONTACTS)
    if contact is None:
        raise ForbiddenError()
    rules.validate(call.input, rules.UPDATE_REQUIRED)
    return contact


async def update_contact(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/contacts/{id}`` (ContactApiController@update), including ``?action=``."""
    call = get_call(request)
    contact = _entity_for_update(call)
    if truthy(call.input.get("action")):
        return run_action(call, CONTACTS, contact)
    env = call.env()
    with env.store.transaction():
        contact = rules.save_contact(env, call.input, contact)
    return item_response(call, CONTACT, contact)


async def delete_contact(request: web.Request) -> web.Response:
    """``DELETE /api/v1/contacts/{id}`` (ContactApiController@destroy); v4 crashes here (FIDELITY.md)."""
    call = get_call(request)
    contact = _entity_for_update(call)
    env = call.env()
    with env.store.transaction():
        contact = lifecycle.delete(env.store, "contacts", contact, env.now, has_flag=False)
    return item_response(call, CONTACT, contact)


ROUTES: list[ApiRoute] = resource_routes(
    "contacts",
    {
        "index": list_contacts,
        "store": create_contact,
        "show": get_contact,
        "update": update_contact,
        "destroy": delete_contact,
    },
)
