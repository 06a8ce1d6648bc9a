"""``/api/v1/documents`` (DocumentAPIController): upload, list, download and delete attached files.

``GET /documents/{id}`` answers with the file itself, not JSON. Documents have no trash: DELETE
removes the row and, once no other document of the account shares them, the bytes.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from aiohttp import web

from sandbox.api.call import Call, get_call
from sandbox.api.multipart import UploadedFile, is_multipart, parse_multipart
from sandbox.api.resource import Resource, entity_or_forbidden, find_entity, list_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.documents_store import record_key
from sandbox.errors import (
    ControllerError,
    EmptyIdError,
    MethodNotAllowedError,
    RecordNotFoundError,
    RouteNotFoundError,
)
from sandbox.keys import body_key
from sandbox.models.documents import Upload, delete_document, mime_type, new_document
from sandbox.models.php import mysql_bool, route_id, truthy
from sandbox.store import Record
from sandbox.transform.documents import DOCUMENT

CONTROLLER = "DocumentAPIController"
NO_FILE = "No file was uploaded."
_UNSAFE_IN_QUOTES = re.compile(r'[^\x20-\x7e]|["\\]')


def _database_order(call: Call, rows: list[Record]) -> list[Record]:
    """``Document::scope()`` has no ``orderBy``: rows come in the database's order, oldest first."""
    return sorted(rows, key=lambda row: int(row["doc_id"]))


# ``client_id`` is ignored: a document has no client (v4's ``whereHas('client')`` fails with a 500).
DOCUMENTS = Resource(
    segment="documents",
    entity="document",
    table="documents",
    transformer=DOCUMENT,
    client_field=None,
    filters=(_database_order,),
    has_deleted_flag=False,
)

list_documents = list_handler(DOCUMENTS, CONTROLLER)


def content_disposition(name: str) -> str:
    """``attachment`` with the client's file name, safe to put in a header whatever the name holds."""
    fallback = _UNSAFE_IN_QUOTES.sub("_", name) or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


async def get_document(request: web.Request) -> web.Response:
    """``GET /api/v1/documents/{id}`` (DocumentAPIController@show): the file itself, with its MIME type."""
    call = get_call(request)
    document = find_entity(call, DOCUMENTS)
    if document is None:
        raise EmptyIdError()
    mime = mime_type(str(document.get("type")))
    if mime is None:
        raise ControllerError({"error": "Invalid mime type"}, 400)
    key = record_key(document)
    data = call.runtime.documents.read(key) if key is not None else None
    if data is None:
        # The row outlived its file (a dataset loaded without the files): v4's storage would throw.
        raise RouteNotFoundError()
    headers = {
        # Symfony adds the charset to every text type it sends.
        "Content-Type": f"{mime}; charset=UTF-8" if mime.startswith("text/") else mime,
        "Content-Disposition": content_disposition(str(document.get("name") or "")),
        "Cache-Control": "no-cache, private",
    }
    return web.Response(body=data, headers=headers)


def _autoload(call: Call, entity: str, table: str) -> Record | None:
    """``Request::$autoload``: ``<entity>_public_id`` or ``<entity>_id`` names a live record, or 404."""
    assert call.actor is not None
    raw = call.input.get(f"{entity}_public_id")
    if not truthy(raw):
        raw = call.input.get(f"{entity}_id")
    if not truthy(raw):
        return None
    public_id = route_id(raw)
    record = call.runtime.store.get_public(table, call.actor.account_id, public_id) if public_id else None
    # ``scope($id)->firstOrFail()`` without ``withTrashed``: archived and deleted records are not found.
    if record is None or record.get("deleted_at") is not None:
        raise RecordNotFoundError()
    return record


def _uploaded_file(request: web.Request) -> UploadedFile | None:
    content_type = request.headers.get("Content-Type", "")
    if not is_multipart(content_type):
        return None
    return parse_multipart(request.get(body_key, b""), content_type).files.get("file")


async def create_document(request: web.Request) -> web.Response:
    """``POST /api/v1/documents`` (DocumentAPIController@store): a multipart upload in the field ``file``."""
    call = get_call(request)
    assert call.actor is not None
    invoice = _autoload(call, "invoice", "invoices")
    expense = _autoload(call, "expense", "expenses")
    uploaded = _uploaded_file(request)
    if uploaded is None:
        raise ControllerError(NO_FILE, 400)
    files = call.runtime.documents
    written: list[str] = []

    def keep(key: str, data: bytes) -> None:
        if not files.exists(key):
            written.append(key)
        files.write(key, data)

    try:
        with call.write() as env:
            document = new_document(
                env,
                Upload(uploaded.name, uploaded.data),
                keep,
                invoice=invoice,
                expense=expense,
                is_default=mysql_bool(call.input.get("is_default")),
            )
    except BaseException:
        # The row was not committed: a file written for it alone must not stay behind.
        for key in written:
            files.release(call.runtime.store, call.actor.account_id, key)
        raise
    # v4 answers with the unsaved model, whose ``preview`` is still null when no preview was made.
    shown: dict[str, Any] = {**document, "preview": document.get("preview") or None}
    return item_response(call, DOCUMENT, shown, created=True)


async def update_document(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/documents/{id}``: DocumentAPIController has no ``update``; answered as a 405."""
    raise MethodNotAllowedError(request.method, ["GET", "HEAD", "DELETE"])


async def destroy_document(request: web.Request) -> web.Response:
    """``DELETE /api/v1/documents/{id}`` (DocumentAPIController@destroy): gone for good, and returned."""
    call = get_call(request)
    assert call.actor is not None
    document = entity_or_forbidden(call, DOCUMENTS)
    with call.write() as env:
        delete_document(env, document)
    # Only once the removal is durable: a crash before this leaves a spare file, never a missing one.
    call.runtime.documents.release(call.runtime.store, call.actor.account_id, record_key(document))
    return item_response(call, DOCUMENT, document)


ROUTES: list[ApiRoute] = resource_routes(
    "documents",
    {
        "index": list_documents,
        "store": create_document,
        "show": get_document,
        "update": update_document,
        "destroy": destroy_document,
    },
)
