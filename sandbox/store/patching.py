"""RFC 6902 JSON Patch over the whole database, one operation at a time so a failure names its index.

Status codes follow RFC 5789 §2.2: a malformed patch is 400, an operation whose target does not exist
(or otherwise cannot apply to the current state) is 409, and a failed ``test`` operation, or a patch
that would leave something that is not a database, is 422.
"""

from __future__ import annotations

from typing import Any

import jsonpatch
import orjson
from jsonpointer import JsonPointer, JsonPointerException

_VALUE_PREVIEW = 200


class PatchFailure(Exception):
    """A patch that was not applied; nothing changed. Carries the HTTP status and the failing op."""

    def __init__(self, status: int, message: str, index: int | None = None, op: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.index = index
        self.op = op if isinstance(op, dict) else {}

    def to_json(self) -> dict[str, Any]:
        """The admin error body: the message, then the failing operation's index, name and path."""
        body: dict[str, Any] = {"error": self.message}
        if self.index is not None:
            body["index"] = self.index
            body["op"] = self.op.get("op")
            body["path"] = self.op.get("path")
        return body


def _preview(value: Any) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= _VALUE_PREVIEW else text[:_VALUE_PREVIEW] + "..."


def _describe(index: int, op: Any) -> str:
    if not isinstance(op, dict):
        return f"operation {index}"
    name = op.get("op")
    path = op.get("path")
    label = f"{name} operation {index}" if isinstance(name, str) else f"operation {index}"
    return f"{label} at {path!r}" if isinstance(path, str) else label


def _test_failure(document: Any, index: int, op: dict[str, Any]) -> str:
    path = op.get("path")
    try:
        actual = JsonPointer(str(path)).resolve(document)
    except (JsonPointerException, LookupError, TypeError):
        return f"test operation {index} failed: there is no value at {path!r}"
    return (
        f"test operation {index} failed: the value at {path!r} is {_preview(actual)}, "
        f"not {_preview(op.get('value'))}"
    )


def _invalid(index: int, op: Any, exc: Exception) -> PatchFailure:
    return PatchFailure(400, f"{_describe(index, op)} is not a valid operation: {exc}", index, op)


def parse_patch(ops: Any) -> list[jsonpatch.JsonPatch]:
    """One ``JsonPatch`` per operation, or ``PatchFailure`` (400) naming the first malformed one."""
    if not isinstance(ops, list):
        raise PatchFailure(400, "a JSON Patch must be a JSON array of operations")
    parsed = []
    for index, op in enumerate(ops):
        if not isinstance(op, dict):
            raise PatchFailure(400, f"operation {index} must be a JSON object with op and path", index)
        try:
            parsed.append(jsonpatch.JsonPatch([op]))
        except (jsonpatch.JsonPatchException, JsonPointerException) as exc:
            raise _invalid(index, op, exc) from exc
    return parsed


def apply_json_patch(document: dict[str, Any], ops: Any) -> Any:
    """Apply ``ops`` to ``document`` (changed in place; use the result) or raise ``PatchFailure``."""
    parsed = parse_patch(ops)
    result: Any = document
    for index, (op, patch) in enumerate(zip(ops, parsed, strict=True)):
        try:
            result = patch.apply(result, in_place=True)
        except jsonpatch.JsonPatchTestFailed as exc:
            raise PatchFailure(422, _test_failure(result, index, op), index, op) from exc
        except jsonpatch.InvalidJsonPatch as exc:
            raise _invalid(index, op, exc) from exc
        except (jsonpatch.JsonPatchException, JsonPointerException, LookupError, TypeError) as exc:
            reason = str(exc)
            if "does not support indexing" in reason:
                reason = "the path goes through a value that is neither an object nor an array"
            raise PatchFailure(409, f"{_describe(index, op)} cannot be applied: {reason}", index, op) from exc
    return result
