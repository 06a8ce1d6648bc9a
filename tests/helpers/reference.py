"""The v4 reference shipped beside the repository (../shared/reference), read by the tests."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

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
