"""``/api/v1/clients`` (ClientApiController)."""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.errors import ValidationError
from sandbox.models import clients as rules
from sandbox.models import trash
from sandbox.models.php import truthy
from sandbox.store import Record
from sandbox.transform.clients import CLIENT


def _email_or_id_number(call: Call, rows: list[Record]) -> list[Record]:
    """``email`` (a non-archived contact's, exact) wins over ``id_number`` (exact)."""
    email = call.input.get("email")
    if truthy(email) and isinstance(email, str):
        store = call.runtime.store
        owners = {
            contact["client_id"]
            for contact in store.find(
                "contacts", "email", email, call.actor.account_id if call.actor else None
            )
            if contact.get("deleted_at") is None
        }
        return [row for row in rows if row["public_id"] in owners]
    id_number = call.input.get("id_number")
    if truthy(id_number) and isinstance(id_number, str):
        wanted = id_number.lower()
        return [row for row in rows if str(row.get("id_number") or "").lower() == wanted]
    return rows


CLIENTS = Resource(
    segment="clients",
    entity="client",
    table="clients",
    transformer=CLIENT,
    client_field="public_id",
    filters=(_email_or_id_number,),
)


list_clients = list_handler(CLIENTS, "ClientApiController")


get_client = show_handler(CLIENTS, "ClientApiController")


def _uniqueness(call: Call, client: Record | None) -> None:
    """``id_number`` must be unique in the account, only while client numbering is on."""
    assert call.actor is not None
    if not call.actor.account.get("client_number_counter"):
        return
    value = call.input.get("id_number")
    if not truthy(value) or not isinstance(value, str):
        return
    taken = call.runtime.store.find("clients", "id_number", value, call.actor.account_id)
    if any(client is None or row["doc_id"] != client["doc_id"] for row in taken):
        raise ValidationError({"id_number": ["The id number has already been taken."]})


async def create_client(request: web.Request) -> web.Response:
    """``POST /api/v1/clients`` (ClientApiController@store)."""
    call = get_call(request)
    _uniqueness(call, None)
    with call.write() as env:
        client, created = rules.save_client(env, call.input)
    return item_response(call, CLIENT, env.store.get("clients", client["doc_id"]), created=created)


async def update_client(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/clients/{id}`` (ClientApiController@update), including ``?action=``."""
    call = get_call(request)
    client = entity_or_forbidden(call, CLIENTS)
    _uniqueness(call, client)
    if truthy(call.input.get("action")):
        return run_action(call, CLIENTS, client)
    data = {**call.input, "public_id": request.match_info["clients"]}
    with call.write() as env:
        saved, _ = rules.save_client(env, data, client)
    return item_response(call, CLIENT, env.store.get("clients", saved["doc_id"]))


async def delete_client(request: web.Request) -> web.Response:
    """``DELETE /api/v1/clients/{id}`` (ClientApiController@destroy)."""
    call = get_call(request)
    client = entity_or_forbidden(call, CLIENTS)
    _uniqueness(call, client)
    with call.write() as env:
        client = trash.delete_entity(env, "clients", client)
    return item_response(call, CLIENT, client)


ROUTES: list[ApiRoute] = resource_routes(
    "clients",
    {
        "index": list_clients,
        "store": create_client,
        "show": get_client,
        "update": update_client,
        "destroy": delete_client,
    },
)
