"""The entity shapes the API documents are built from, shipped with the package as ``fields.json``.

``fields.json`` is the part of the v4 reference (``v4-fields.json``) that the OpenAPI document needs:
every entity's output fields in transformer order with their JSON types, its includes, and a few
enums. It is regenerated with ``python -m sandbox.openapi.reference <path/to/v4-fields.json>``; the
test suite checks that the shipped copy equals what the reference gives.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).with_name("fields.json")

#: The enums the document names in parameter and body schemas.
ENUMS = (
    "invoice_status",
    "invoice_type",
    "invoice_item_type",
    "payment_status",
    "payment_type",
    "frequency",
    "auto_bill",
    "webhook_event",
    "document_types",
)
_ENTITY_KEYS = ("fields", "includes_default", "includes_available", "include_targets", "include_cardinality")


def extract(reference: dict[str, Any]) -> dict[str, Any]:
    """The part of ``v4-fields.json`` the documents use, in the reference's own order."""
    entities = {
        name: {key: spec[key] for key in _ENTITY_KEYS}
        for name, spec in reference.items()
        if name != "enums" and isinstance(spec, dict)
    }
    enums = reference["enums"]
    return {"entities": entities, "enums": {name: enums[name] for name in ENUMS}}


@cache
def shipped() -> dict[str, Any]:
    """The shipped extract (read once)."""
    document: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return document


def entity(name: str) -> dict[str, Any]:
    """One entity's fields and includes."""
    spec: dict[str, Any] = shipped()["entities"][name]
    return spec


def enum_keys(name: str) -> list[str]:
    """The keys of one shipped enum (ids as text, or names), reference order, private keys left out."""
    return [key for key in shipped()["enums"][name] if not key.startswith("_")]


def enum_values(name: str) -> list[Any]:
    """The values of one shipped enum."""
    return [value for key, value in shipped()["enums"][name].items() if not key.startswith("_")]


def write(reference_path: Path, target: Path = SHIPPED) -> None:
    """Regenerate ``fields.json`` from a ``v4-fields.json``."""
    reference = json.loads(reference_path.read_text(encoding="utf-8"))
    text = json.dumps(extract(reference), indent=1, ensure_ascii=False) + "\n"
    target.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python -m sandbox.openapi.reference <v4-fields.json>``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m sandbox.openapi.reference <path/to/v4-fields.json>", file=sys.stderr)
        return 2
    write(Path(args[0]))
    print(f"wrote {SHIPPED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
