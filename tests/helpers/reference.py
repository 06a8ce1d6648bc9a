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


def type_matches(value: Any, kind: str) -> bool:
    """Whether a JSON value has the reference type (integral floats print as ints)."""
    if kind == "string":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("int", "int|optional"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "timestamp|null":
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    if kind == "datetime|empty":
        return value == "" or bool(
            isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", value)
        )
    raise AssertionError(f"unknown type {kind}")


def wrong_types(record: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The fields of ``record`` whose JSON type is not the reference's, with their values."""
    return {
        name: record[name] for name, kind in fields if name in record and not type_matches(record[name], kind)
    }
