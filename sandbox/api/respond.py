"""Building v4's response bodies: single items, paginated lists, the ``index`` parameter.

``BaseAPIController::response`` wraps the serialized payload in ``{"data": ...}`` (or the key named
by ``?index=``; ``index=none`` drops the wrapper and the meta) and moves fractal's ``meta`` beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from sandbox import phpjson
from sandbox.api.call import Call
from sandbox.errors import EmptyIdError, api_response
from sandbox.models.php import filter_int, leading_number, truthy
from sandbox.store import Record
from sandbox.transform.fractal import Transformer, to_array, to_jsonapi

DEFAULT_PAGE_SIZE = 15


def envelope(call: Call, payload: Any, meta: dict[str, Any] | None = None) -> web.Response:
    """Wrap ``payload`` as ``response()`` does and answer with the API headers."""
    index = call.input.get("index")
    key = index if truthy(index) and isinstance(index, str) else "data"
    if key == "none":
        body: Any = payload
    else:
        body = {key: payload}
        if meta:
            body["meta"] = meta
    return api_response(phpjson.dumps(body))


def serialize_item(call: Call, transformer: Transformer, record: Record, *, created: bool = False) -> Any:
    """One record through the requested serializer."""
    ctx = call.context(created=created)
    if ctx.json_api:
        return to_jsonapi(ctx, transformer, record)
    return to_array(ctx, transformer, record)


def item_response(
    call: Call, transformer: Transformer, record: Record | None, *, created: bool = False
) -> web.Response:
    """``itemResponse``: the record, or 404 ``Record not found`` when there is none."""
    if record is None:
        raise EmptyIdError()
    return envelope(call, serialize_item(call, transformer, record, created=created))


def page_size(raw: Any) -> int:
    """``per_page``: 15 by default or when 0/empty; negative means "no limit" (echoed as given)."""
    if raw is None or isinstance(raw, list | dict):
        return DEFAULT_PAGE_SIZE
    size = int(leading_number(str(raw)))
    return size if size != 0 else DEFAULT_PAGE_SIZE


def current_page(raw: Any) -> int:
    """``page``: an integer of at least 1 (``FILTER_VALIDATE_INT``), else 1."""
    page = filter_int(raw)
    return page if page is not None and page >= 1 else 1


def _page_url(call: Call, page: int) -> str:
    request = call.request
    path = request.raw_path.split("?", 1)[0].rstrip("/")
    return f"{request.scheme}://{request.host}{path}?page={page}"


def list_response(
    call: Call,
    transformer: Transformer,
    rows: list[Record],
    load: Callable[[Record], Record] | None = None,
) -> web.Response:
    """``listResponse``: one page of ``rows`` (already filtered and ordered) with fractal's pagination."""
    per_page = page_size(call.input.get("per_page"))
    page = current_page(call.input.get("page"))
    total = len(rows)
    if per_page < 0:
        chunk = rows
        last_page = 1
    else:
        start = (page - 1) * per_page
        chunk = rows[start : start + per_page]
        last_page = max(-(-total // per_page), 1)
    records = [load(row) for row in chunk] if load else chunk
    links: dict[str, str] = {}
    if page > 1:
        links["previous"] = _page_url(call, page - 1)
    if page < last_page:
        links["next"] = _page_url(call, page + 1)
    meta: dict[str, Any] = {
        "pagination": {
            "total": total,
            "count": len(records),
            "per_page": per_page,
            "current_page": page,
            "total_pages": last_page,
            "links": links or [],
        }
    }
    ctx = call.context()
    if ctx.json_api:
        payload: Any = to_jsonapi(ctx, transformer, records)
    else:
        payload = [to_array(ctx, transformer, record) for record in records]
    return envelope(call, payload, meta)
