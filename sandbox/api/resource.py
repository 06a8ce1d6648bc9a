"""What every v4 resource shares: finding the record a request names, and listing an account's rows.

``EntityRequest::entity()`` looks for the id in this order: the input ``<entity>_id``, the input or
route parameter ``<plural>``, then the input ``public_id`` or ``id``. Lookups include archived and
deleted rows. A falsy id means "no record" (the caller then answers 404 ``Record not found`` or
403), an id with no record answers 404 ``record does not exist``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from sandbox.api.call import Call, get_call
from sandbox.api.respond import cached, item_response, list_response
from sandbox.api.routing import Handler
from sandbox.errors import ForbiddenError, RecordNotFoundError
from sandbox.models.php import leading_number, mysql_int, route_id, truthy
from sandbox.store import Record
from sandbox.transform.fractal import Transformer

#: A resource's own list filter. It must hand back the very list it was given when the request asks
#: it to filter nothing: ``list_rows`` probes each filter with an empty list and copies a table's rows
#: out of the store only for the filters that answer the probe with a list of their own.
RowFilter = Callable[[Call, list[Record]], list[Record]]


@dataclass(frozen=True)
class Resource:
    """One v4 resource: its URL segment, table, transformer and list behaviour."""

    segment: str
    entity: str
    table: str
    transformer: Transformer
    order_by: str = "updated_at"
    #: The list filter ``client_id`` (v4: ``whereHas('client')``); clients filter on their own id.
    client_field: str | None = "client_id"
    filters: tuple[RowFilter, ...] = field(default_factory=tuple)
    #: False for tables without an ``is_deleted`` column (contacts, tax rates).
    has_deleted_flag: bool = True


def requested_id(call: Call, resource: Resource) -> Any:
    """The raw id a request names, in ``EntityRequest::entity()``'s order of places."""
    data = call.input
    for key in (f"{resource.entity}_id", resource.segment):
        value = data.get(key)
        if truthy(value):
            return value
        if key == resource.segment:
            value = call.request.match_info.get(resource.segment)
            if truthy(value):
                return value
    return data.get("public_id") or data.get("id")


def find_entity(call: Call, resource: Resource) -> Record | None:
    """The record the request names (archived and deleted included), None when it names none."""
    assert call.actor is not None
    public_id = route_id(requested_id(call, resource))
    if public_id is None:
        return None
    record = call.runtime.store.get_public(resource.table, call.actor.account_id, public_id)
    if record is None:
        raise RecordNotFoundError()
    return record


def entity_or_forbidden(call: Call, resource: Resource) -> Record:
    """The record an update or delete names; naming none fails the policy check (403), as in v4."""
    record = find_entity(call, resource)
    if record is None:
        raise ForbiddenError()
    return record


def _number_above_zero(value: Any) -> int | None:
    """PHP 7's ``$value > 0`` for a query value, as the number the query then uses."""
    if value is None or isinstance(value, list | dict):
        return None
    number = leading_number(str(value))
    return int(number) if number > 0 else None


def list_rows(call: Call, resource: Resource) -> list[Record]:
    """The account's rows after the common filters and the resource's own, in v4's order."""
    return list(ordered_rows(call, resource))


def ordered_rows(call: Call, resource: Resource) -> Sequence[Record]:
    """``list_rows`` as a sequence that copies a record out of the store only when it is read.

    The rows come from a sorted index (newest ``order_by`` first, then highest id), scoped to the
    client when ``client_id`` is given; they are copied out of the store only when a filter needs
    them all, so a plain page of a large table costs the page.
    """
    assert call.actor is not None
    data = call.input
    scope = None
    client_id = _number_above_zero(data.get("client_id"))
    if client_id is not None and resource.client_field is not None:
        scope = (resource.client_field, mysql_int(data.get("client_id")))
    index, newest = call.runtime.store.newest_first(
        resource.table, call.actor.account_id, resource.order_by, scope
    )
    rows: Sequence[Record] = newest
    since = _number_above_zero(data.get("updated_at"))
    if since is not None:
        if resource.order_by == "updated_at":
            rows = newest.from_position(index.first_at_least(since))
        else:
            rows = [row for row in rows if (row.get("updated_at") or 0) >= since]
    if truthy(data.get("filter_active")):
        rows = [row for row in rows if row.get("deleted_at") is None]
    for row_filter in resource.filters:
        probe: list[Record] = []
        if row_filter(call, probe) is probe:
            continue
        rows = row_filter(call, list(rows))
    return rows


def list_handler(resource: Resource, controller: str) -> Handler:
    """The ``index`` handler every resource shares: the account's rows, filtered and paged."""

    async def handler(request: web.Request) -> web.Response:
        call = get_call(request)
        return cached(call, lambda: list_response(call, resource.transformer, ordered_rows(call, resource)))

    handler.__name__ = f"list_{resource.segment}"
    handler.__doc__ = f"``GET /api/v1/{resource.segment}`` ({controller}@index)."
    return handler


def show_handler(resource: Resource, controller: str) -> Handler:
    """The ``show`` handler every resource shares: one record by id, archived and deleted included."""

    async def handler(request: web.Request) -> web.Response:
        call = get_call(request)
        return cached(call, lambda: item_response(call, resource.transformer, find_entity(call, resource)))

    handler.__name__ = f"get_{resource.entity}"
    handler.__doc__ = f"``GET /api/v1/{resource.segment}/{{id}}`` ({controller}@show)."
    return handler
