"""Parameters of the v4 document: path ids, the list parameters of reference §3, and per-resource filters."""

from __future__ import annotations

from typing import Any

from sandbox.openapi import reference
from sandbox.openapi.schemas import Schema

Parameter = dict[str, Any]

#: The URL segment of each resource and the entity its transformer shows.
SEGMENT_ENTITY = {
    "clients": "client",
    "contacts": "contact",
    "quotes": "invoice",
    "invoices": "invoice",
    "payments": "payment",
    "tasks": "task",
    "credits": "credit",
    "products": "product",
    "projects": "project",
    "tax_rates": "tax_rate",
    "users": "user",
    "expenses": "expense",
    "documents": "document",
    "vendors": "vendor",
    "expense_categories": "expense_category",
    "payment_terms": "payment_term",
}
#: Lists whose rows have a client: ``client_id`` filters them (§3.4); the others ignore it.
CLIENT_FILTERED = frozenset(
    {"clients", "contacts", "invoices", "quotes", "payments", "credits", "tasks", "expenses", "projects"}
)


def query(name: str, schema: Schema, description: str) -> Parameter:
    """An optional query parameter."""
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def path_parameter(name: str, description: str) -> Parameter:
    """A path id (v4 reads any text; a number names a record)."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer"},
    }


XHR: Parameter = {
    "name": "X-Requested-With",
    "in": "header",
    "required": False,
    "description": "`XMLHttpRequest` makes validation errors 422 JSON instead of a 302 (docs/api.rst).",
    "schema": {"type": "string", "enum": ["XMLHttpRequest"]},
}
SERIALIZER = query(
    "serializer",
    {"type": "string", "enum": ["json"]},
    "`json` (lower case only) switches to fractal's JSON-API serializer, nested once more under `data`.",
)
PAGE = query("page", {"type": "integer", "minimum": 1}, "Page number; anything but an integer >= 1 means 1.")
PER_PAGE = query(
    "per_page",
    {"type": "integer"},
    "Page size, 15 by default (0 or empty too); negative: no limit; no maximum self-hosted.",
)
UPDATED_AT = query(
    "updated_at",
    {"type": "integer", "minimum": 0},
    "Unix seconds: only rows with `updated_at` at or after it (inclusive); 0 means no filter.",
)
FILTER_ACTIVE = query(
    "filter_active", {"type": "integer", "enum": [0, 1]}, "Truthy: leave out archived and deleted rows."
)
CLIENT_ID = query(
    "client_id", {"type": "integer", "minimum": 0}, "Only rows of the client with this public id."
)


def include(entity: str) -> Parameter | None:
    """``include``: a comma list of the transformer's includes (unknown names are ignored)."""
    spec = reference.entity(entity)
    names = [*spec["includes_default"], *spec["includes_available"]]
    if not names:
        return None
    choice = "|".join(names)
    return query(
        "include",
        {"type": "string", "pattern": f"^({choice})(,({choice}))*$"},
        f"Includes, comma-separated ({', '.join(names)}); dot-nesting such as "
        "`invoices.invitations` works too.",
    )


def _filters(segment: str) -> list[Parameter]:
    if segment == "clients":
        return [
            query(
                "email", {"type": "string"}, "A non-deleted contact's email, exact (wins over `id_number`)."
            ),
            query("id_number", {"type": "string"}, "The client's `id_number`, exact."),
        ]
    if segment == "invoices":
        statuses = [int(key) for key in reference.enum_keys("invoice_status")]
        return [
            query("invoice_number", {"type": "string"}, "Exact invoice number."),
            query("status_id", {"type": "integer", "enum": statuses}, "`invoice_status_id >= status_id`."),
            query("is_recurring", {"type": "integer", "enum": [0, 1]}, "Recurring templates (1) or not (0)."),
            query("invoice_type_id", {"type": "integer", "enum": [1, 2]}, "1 invoices, 2 quotes."),
        ]
    return []


#: The parameters shared by many operations, by component name.
SHARED: dict[str, Parameter] = {
    "XRequestedWith": XHR,
    "Serializer": SERIALIZER,
    "Page": PAGE,
    "PerPage": PER_PAGE,
    "UpdatedAt": UPDATED_AT,
    "FilterActive": FILTER_ACTIVE,
    "ClientId": CLIENT_ID,
}


def shared(name: str) -> Parameter:
    """A reference to a shared parameter."""
    assert name in SHARED
    return {"$ref": f"#/components/parameters/{name}"}


def list_parameters(segment: str) -> list[Parameter]:
    """Every query parameter a list takes (§3.2-3.5)."""
    entity = SEGMENT_ENTITY[segment]
    names = ["Page", "PerPage", "UpdatedAt", "FilterActive"]
    if segment in CLIENT_FILTERED:
        names.append("ClientId")
    found = [shared(name) for name in names]
    wanted = include(entity)
    if wanted is not None:
        found.append(wanted)
    return [*found, shared("Serializer"), *_filters(segment)]


def item_parameters(segment: str) -> list[Parameter]:
    """The query parameters of a single-item answer."""
    wanted = include(SEGMENT_ENTITY[segment])
    return [wanted, shared("Serializer")] if wanted is not None else [shared("Serializer")]
