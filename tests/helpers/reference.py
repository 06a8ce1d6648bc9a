"""The v4 reference shipped beside the repository (../shared/reference), read by the tests."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


@cache
def _fields_document() -> dict[str, dict[str, object]]:
    document: dict[str, dict[str, object]] = json.loads((REFERENCE / "v4-fields.json").read_text())
    return document


def entity_fields(entity: str) -> tuple[tuple[str, str], ...]:
    """An entity's output fields in transformer order, with their JSON types, from v4-fields.json."""
    fields = _fields_document()[entity]["fields"]
    assert isinstance(fields, dict)
    return tuple((str(name), str(kind)) for name, kind in fields.items())


def includes_of(entity: str) -> tuple[str, ...]:
    """An entity's include names: the default ones first, then the available ones, in transformer order."""
    spec = _fields_document()[entity]
    defaults = spec["includes_default"]
    available = spec["includes_available"]
    assert isinstance(defaults, list)
    assert isinstance(available, dict)
    return (*map(str, defaults), *map(str, available))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value) is not None


def type_matches(value: Any, kind: str) -> bool:
    """Whether a JSON value has the reference type (integral floats print as ints)."""
    nullable = kind.endswith("|null")
    if nullable and value is None:
        return True
    base = kind.removesuffix("|null").removesuffix("|optional")
    if base == "string":
        return isinstance(value, str)
    if base == "bool":
        return isinstance(value, bool)
    if base in ("int", "timestamp"):
        return _is_int(value)
    if base == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if base == "date":
        return _is_date(value)
    if kind == "date|empty":
        return value == "" or _is_date(value)
    if kind == "datetime|empty":
        return value == "" or bool(
            isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", value)
        )
    if base == "decimal-string":
        return isinstance(value, str) and re.fullmatch(r"-?\d+\.\d+", value) is not None
    if base == "array":
        return isinstance(value, list)
    if base == "object":
        return isinstance(value, dict)
    if kind == "array|object":
        return value == [] or (isinstance(value, dict) and bool(value))
    raise AssertionError(f"unknown type {kind}")


def wrong_types(record: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The fields of ``record`` whose JSON type is not the reference's, with their values."""
    return {
        name: record[name] for name, kind in fields if name in record and not type_matches(record[name], kind)
    }
