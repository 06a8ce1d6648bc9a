"""Checks on a whole database handed in from outside (``PUT`` and ``PATCH /__admin/state``).

A database is ``{table: {doc_id: document}}``: the TinyDB layout of the data file. Beyond that shape
only what the store's indexes rely on is checked (integer ``account_id``/``public_id``, scalar values
in indexed fields), so that any state accepted here can be loaded, listed and written to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.store.wal import META_TABLE

#: A TinyDB document id: a positive integer written as a string, without leading zeros.
_DOC_ID = re.compile(r"[1-9][0-9]{0,17}")


class StateError(ValueError):
    """A state that cannot become the sandbox's database; the message starts with a JSON pointer."""


def pointer(*parts: str) -> str:
    """The RFC 6901 JSON pointer of a location in the database."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_state(state: Any, indexed: Mapping[str, Sequence[str]]) -> None:
    """Raise ``StateError`` unless ``state`` is a database the store can load and index."""
    if not isinstance(state, dict):
        raise StateError("the state must be a JSON object of tables: {table: {id: document}}")
    for table, docs in state.items():
        if table == META_TABLE:
            raise StateError(f"{pointer(table)}: the table name {table!r} is reserved for the data file")
        if table == "":
            raise StateError("a table name must not be empty")
        if not isinstance(docs, dict):
            raise StateError(f"{pointer(table)}: a table must be a JSON object of documents keyed by id")
        fields = indexed.get(table, ())
        for key, doc in docs.items():
            if not _DOC_ID.fullmatch(key):
                raise StateError(
                    f"{pointer(table, key)}: a document id must be a positive integer written as a string"
                )
            if not isinstance(doc, dict):
                raise StateError(f"{pointer(table, key)}: a document must be a JSON object")
            _check_document(table, key, doc, fields)


def _check_document(table: str, key: str, doc: dict[str, Any], fields: Sequence[str]) -> None:
    for name in ("account_id", "public_id"):
        value = doc.get(name)
        if value is not None and not _is_int(value):
            raise StateError(f"{pointer(table, key, name)}: must be an integer or null")
    for name in fields:
        if isinstance(doc.get(name), dict | list):
            raise StateError(f"{pointer(table, key, name)}: an indexed field must not be an object or array")
