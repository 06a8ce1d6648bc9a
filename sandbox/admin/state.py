"""``/__admin/state`` and ``/__admin/snapshots``: the whole database, read, replaced, patched, saved.

Every change here is durable like an API write: it reaches the write-ahead log before the answer, so
it survives ``kill -9``, and the data file stays valid JSON throughout. Only the data changes: the
journal, outbox, webhook log, clock and admin settings are kept.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import AdminRoute
from sandbox.namespaces import runtime_of
from sandbox.snapshots import SNAPSHOT_NAME
from sandbox.store import PatchFailure, StateError, StorageFailure
from sandbox.store.wal import META_TABLE

JSON_PATCH = "application/json-patch+json"
_PATCH_HEADERS = {"Accept-Patch": JSON_PATCH}


class _BadBody(Exception):
    """A request body that is not the JSON the route expects: 400, or 413 when too large."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.response = admin_error(status, message)


async def _read_json(request: web.Request, what: str) -> Any:
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise _BadBody(413, f"the body is larger than the sandbox accepts ({exc.text})") from exc
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise _BadBody(400, f"the body must be {what} ({exc})") from exc


def _storage_error(exc: StorageFailure) -> web.Response:
    return admin_error(500, f"the data file could not be written, nothing changed: {exc}")


def _tables(request: web.Request) -> dict[str, int]:
    state = runtime_of(request).store.state
    return {table: len(docs) for table, docs in state.items()}


async def get_state(request: web.Request) -> web.Response:
    """``GET /__admin/state``: the whole database, ``{table: {doc_id: document}}``."""
    body = runtime_of(request).store.dump()
    return web.Response(body=body, content_type="application/json", headers=_PATCH_HEADERS)


async def put_state(request: web.Request) -> web.Response:
    """``PUT /__admin/state``: replace the whole database (a data file's ``_sandbox`` table is ignored)."""
    try:
        state = await _read_json(request, "a JSON object of tables: {table: {id: document}}")
    except _BadBody as exc:
        return exc.response
    if isinstance(state, dict):
        state.pop(META_TABLE, None)  # the log's bookkeeping in a data file, not data
    try:
        runtime_of(request).replace_state(state)
    except StateError as exc:
        return admin_error(400, f"not a sandbox state: {exc}")
    except StorageFailure as exc:
        return _storage_error(exc)
    return json_response({"replaced": True, "tables": _tables(request)})


async def patch_state(request: web.Request) -> web.Response:
    """``PATCH /__admin/state``: apply an RFC 6902 JSON Patch to the database, all or nothing."""
    if request.content_type != JSON_PATCH:
        response = admin_error(415, f"send the patch as Content-Type: {JSON_PATCH} (RFC 6902)")
        response.headers.update(_PATCH_HEADERS)
        return response
    try:
        ops = await _read_json(request, "a JSON Patch: a JSON array of operations")
    except _BadBody as exc:
        return exc.response
    try:
        count = runtime_of(request).patch_state(ops)
    except PatchFailure as failure:
        return json_response(failure.to_json(), failure.status)
    except StorageFailure as exc:
        return _storage_error(exc)
    return json_response({"patched": True, "operations": count})


async def list_snapshots(request: web.Request) -> web.Response:
    """``GET /__admin/snapshots``: the saved snapshots, oldest first."""
    snapshots = runtime_of(request).snapshots.all()
    return json_response({"snapshots": [s.to_json() for s in snapshots], "total": len(snapshots)})


async def save_snapshot(request: web.Request) -> web.Response:
    """``POST /__admin/snapshots``: save the data as ``{"name": ...}``, replacing a namesake."""
    try:
        options = await _read_json(request, 'a JSON object such as {"name": "before-test"}')
    except _BadBody as exc:
        return exc.response
    name = options.get("name") if isinstance(options, dict) else None
    if not isinstance(name, str) or not SNAPSHOT_NAME.fullmatch(name):
        return admin_error(
            400, "name must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    snapshot, replaced = runtime_of(request).save_snapshot(name)
    return json_response({**snapshot.to_json(), "replaced": replaced}, 201)


async def restore_snapshot(request: web.Request) -> web.Response:
    """``POST /__admin/snapshots/{name}/restore``: bring the saved data back (journal, outbox kept)."""
    runtime = runtime_of(request)
    name = request.match_info["name"]
    snapshot = runtime.snapshots.get(name)
    if snapshot is None:
        return admin_error(404, f"no snapshot named {name!r}")
    try:
        runtime.restore_snapshot(snapshot)
    except StorageFailure as exc:
        return _storage_error(exc)
    return json_response({"restored": name, "fixtures": runtime.fixtures, "seed": runtime.seed})


async def delete_snapshot(request: web.Request) -> web.Response:
    """``DELETE /__admin/snapshots/{name}``: forget a snapshot."""
    name = request.match_info["name"]
    if not runtime_of(request).snapshots.delete(name):
        return admin_error(404, f"no snapshot named {name!r}")
    return json_response({"deleted": name})


ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/state", get_state, "get_state", "the whole database as JSON"),
    AdminRoute("PUT", "/state", put_state, "put_state", "replace the whole database"),
    AdminRoute("PATCH", "/state", patch_state, "patch_state", "apply an RFC 6902 JSON Patch to the database"),
    AdminRoute("GET", "/snapshots", list_snapshots, "list_snapshots", "saved snapshots, oldest first"),
    AdminRoute("POST", "/snapshots", save_snapshot, "save_snapshot", "save the data under a name"),
    AdminRoute(
        "POST",
        "/snapshots/{name}/restore",
        restore_snapshot,
        "restore_snapshot",
        "bring a snapshot's data back",
    ),
    AdminRoute("DELETE", "/snapshots/{name}", delete_snapshot, "delete_snapshot", "forget a snapshot"),
)
