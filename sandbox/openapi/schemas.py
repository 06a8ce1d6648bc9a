"""JSON Schemas (OpenAPI 3.1 dialect) for v4's bodies: entities from the shipped fields, envelopes, errors.

Every entity schema lists the transformer's fields with their JSON types, requires each of them
(``int|optional`` ones such as ``user_id`` excepted), declares the includes as optional properties
and allows nothing else, so a response with a missing, extra or mistyped field does not conform.
"""

from __future__ import annotations

from typing import Any

from sandbox.openapi import reference

Schema = dict[str, Any]

DATE = r"^\d{4}-\d\d-\d\d$"
DATETIME = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"
DECIMAL = r"^-?\d+\.\d+$"

#: Entities that get a component schema (``account_token`` has no route; ``subscription`` no body).
ENTITIES = (
    "account",
    "account_email_settings",
    "user",
    "user_account",
    "client",
    "contact",
    "invoice",
    "invoice_item",
    "invitation",
    "payment",
    "credit",
    "task",
    "project",
    "product",
    "tax_rate",
    "expense",
    "expense_category",
    "vendor",
    "vendor_contact",
    "document",
    "payment_term",
    "activity",
    "task_status",
)


def component_name(entity: str) -> str:
    """``expense_category`` -> ``ExpenseCategory``."""
    return "".join(part.capitalize() for part in entity.split("_"))


def ref(name: str) -> Schema:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """The schema, or null."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


_BASE_TYPES: dict[str, Schema] = {
    "int": {"type": "integer"},
    "timestamp": {"type": "integer", "description": "unix seconds"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "string": {"type": "string"},
    "date": {"type": "string", "pattern": DATE},
    "decimal-string": {"type": "string", "pattern": DECIMAL},
    "array": {"type": "array"},
    "object": {"type": "object"},
}


def field_schema(kind: str) -> Schema:
    """The JSON Schema of one reference field type (see ``enums._type_legend`` in the reference)."""
    if kind == "date|empty":
        return {"type": "string", "pattern": r"^(\d{4}-\d\d-\d\d)?$", "description": "'Y-m-d' or ''"}
    if kind == "datetime|empty":
        return {"type": "string", "pattern": r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)?$"}
    if kind == "array|object":
        return {"anyOf": [{"type": "array", "maxItems": 0}, {"type": "object", "minProperties": 1}]}
    base = kind.removesuffix("|optional").removesuffix("|null")
    schema = dict(_BASE_TYPES[base])
    return nullable(schema) if kind.endswith("|null") else schema


def entity_schema(entity: str) -> Schema:
    """One entity as its transformer shows it, includes as optional properties."""
    spec = reference.entity(entity)
    properties: dict[str, Schema] = {}
    required: list[str] = []
    for name, kind in spec["fields"].items():
        properties[name] = field_schema(kind)
        if not kind.endswith("|optional"):
            required.append(name)
    for include in (*spec["includes_default"], *spec["includes_available"]):
        target = component_name(spec["include_targets"][include])
        one = spec["include_cardinality"][include] == "one"
        properties[include] = ref(target) if one else {"type": "array", "items": ref(target)}
    return {
        "type": "object",
        "description": f"v4's {component_name(entity)}Transformer output, fields in transformer order.",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def dashboard_schema() -> Schema:
    """``GET /dashboard``: the figures and the latest activities, or only ``{id, activities}``."""
    spec = reference.entity("dashboard")["fields"]
    properties = {name: field_schema(kind) for name, kind in spec.items()}
    properties["activities"] = {
        "anyOf": [{"type": "array", "items": ref("Activity")}, ref("JsonApiDocument")]
    }
    full = {"type": "object", "properties": properties, "required": list(spec), "additionalProperties": False}
    only = {
        "type": "object",
        "properties": {"id": properties["id"], "activities": properties["activities"]},
        "required": ["id", "activities"],
        "additionalProperties": False,
    }
    return {"anyOf": [full, only]}


PAGINATION: Schema = {
    "type": "object",
    "properties": {
        "total": {"type": "integer"},
        "count": {"type": "integer"},
        "per_page": {"type": "integer"},
        "current_page": {"type": "integer"},
        "total_pages": {"type": "integer"},
        "links": {
            "description": "`[]` when there is one page; URLs keep only `page` of the query.",
            "anyOf": [
                {"type": "array", "maxItems": 0},
                {
                    "type": "object",
                    "properties": {"previous": {"type": "string"}, "next": {"type": "string"}},
                    "additionalProperties": False,
                },
            ],
        },
    },
    "required": ["total", "count", "per_page", "current_page", "total_pages", "links"],
    "additionalProperties": False,
}

JSONAPI_RESOURCE: Schema = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "id": {"type": "string"},
        "attributes": {"type": "object"},
        "relationships": {"type": "object"},
    },
    "required": ["type", "id", "attributes"],
    "additionalProperties": False,
}

JSONAPI_DOCUMENT: Schema = {
    "type": "object",
    "description": "fractal's JsonApiSerializer output (`serializer=json`).",
    "properties": {
        "data": {"anyOf": [ref("JsonApiResource"), {"type": "array", "items": ref("JsonApiResource")}]},
        "included": {"type": "array", "items": ref("JsonApiResource")},
    },
    "required": ["data"],
    "additionalProperties": False,
}


def item_envelope(body: Schema) -> Schema:
    """``{"data": item}``; with ``serializer=json`` the item is a JSON-API document."""
    return {
        "type": "object",
        "properties": {"data": {"anyOf": [body, ref("JsonApiDocument")]}},
        "required": ["data"],
        "additionalProperties": False,
    }


def list_envelope(body: Schema) -> Schema:
    """``{"data": [items], "meta": {"pagination": ...}}``; JSON-API nests the list once more."""
    return {
        "type": "object",
        "properties": {
            "data": {"anyOf": [{"type": "array", "items": body}, ref("JsonApiDocument")]},
            "meta": {
                "type": "object",
                "properties": {"pagination": ref("Pagination")},
                "required": ["pagination"],
                "additionalProperties": False,
            },
        },
        "required": ["data", "meta"],
        "additionalProperties": False,
    }


def _message(text: Schema | None = None) -> Schema:
    return {
        "type": "object",
        "properties": {"message": text or {"type": "string"}},
        "required": ["message"],
        "additionalProperties": False,
    }


#: The error bodies of reference §2.9, by name.
ERRORS: dict[str, Schema] = {
    "ErrorMessage": {
        "description": '`{"error": {"message": ...}}`: ApiCheck (compact), abort(404) and some '
        "controller errors.",
        "type": "object",
        "properties": {"error": _message()},
        "required": ["error"],
        "additionalProperties": False,
    },
    "ErrorValue": {
        "description": '`{"error": value}`: BaseAPIController::errorResponse; the value is often a string.',
        "type": "object",
        "properties": {"error": {}},
        "required": ["error"],
        "additionalProperties": False,
    },
    "Message": {
        "description": '`{"message": ...}`: a failed record lookup, or one of Laravel\'s own JSON errors.',
        **_message(),
    },
    "ValidationErrors": {
        "description": "Laravel's 422 for a client that expects JSON (compact, no API headers).",
        "type": "object",
        "properties": {
            "message": {"const": "The given data was invalid."},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            },
        },
        "required": ["message", "errors"],
        "additionalProperties": False,
    },
    "Throttled": {
        "description": 'The throttle\'s bare JSON string "Please wait N second(s)".',
        "type": "string",
    },
}


def components() -> dict[str, Schema]:
    """Every shared schema of the v4 document."""
    schemas: dict[str, Schema] = {component_name(name): entity_schema(name) for name in ENTITIES}
    schemas["Dashboard"] = dashboard_schema()
    schemas["Pagination"] = PAGINATION
    schemas["JsonApiResource"] = JSONAPI_RESOURCE
    schemas["JsonApiDocument"] = JSONAPI_DOCUMENT
    schemas.update(ERRORS)
    return schemas
