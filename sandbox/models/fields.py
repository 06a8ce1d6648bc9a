"""Input fields: which ones an entity accepts, and how each is coerced into its column.

A field's kind says how v4's MySQL column would store the value. Values that PHP or MySQL could not
store at all (an object where text is expected) answer a Laravel-style validation error instead of
v4's 500; FIDELITY.md lists this.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from sandbox.models.php import mysql_bool, mysql_int, parse_float, php_string

Kind = Literal["string", "int", "decimal", "bool", "json"]

_TYPE_MESSAGES: dict[Kind, str] = {
    "string": "The {attr} must be a string.",
    "int": "The {attr} must be an integer.",
    "decimal": "The {attr} must be a number.",
    "bool": "The {attr} field must be true or false.",
    "json": "The {attr} must be an array.",
}


def attribute_name(field: str) -> str:
    """Laravel's attribute text in messages: ``first_name`` is "first name"."""
    return field.replace("_", " ")


def coerce(kind: Kind, value: Any) -> Any:
    """The value the column would hold; raises ``TypeError`` for values it could not hold."""
    if kind == "json":
        return value
    if isinstance(value, list | dict):
        raise TypeError(kind)
    if kind == "string":
        return php_string(value)
    if kind == "int":
        return mysql_int(value)
    if kind == "decimal":
        return None if value is None else parse_float(value)
    return mysql_bool(value)


def type_errors(
    schema: Mapping[str, Kind], data: Mapping[str, Any], prefix: str = ""
) -> dict[str, list[str]]:
    """Messages for every accepted field whose value has a type no column could store."""
    errors: dict[str, list[str]] = {}
    for field, kind in schema.items():
        if field in data:
            try:
                coerce(kind, data[field])
            except TypeError:
                name = f"{prefix}{field}"
                errors[name] = [_TYPE_MESSAGES[kind].format(attr=attribute_name(name))]
    return errors


def fill(schema: Mapping[str, Kind], data: Mapping[str, Any]) -> dict[str, Any]:
    """Eloquent's ``fill()``: the accepted fields of ``data``, coerced."""
    return {field: coerce(kind, data[field]) for field, kind in schema.items() if field in data}


def required_errors(data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, list[str]]:
    """Laravel's ``required`` rule for each field."""
    errors: dict[str, list[str]] = {}
    for field in fields:
        value = data.get(field)
        missing = value is None or (isinstance(value, str) and value.strip() == "")
        missing = missing or (isinstance(value, list | dict) and len(value) == 0)
        if missing:
            errors[field] = [f"The {attribute_name(field)} field is required."]
    return errors
