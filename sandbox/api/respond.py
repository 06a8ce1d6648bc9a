"""Building v4's response bodies: single items, paginated lists, the ``index`` parameter.

``BaseAPIController::response`` wraps the serialized payload in ``{"data": ...}`` (or the key named
by ``?index=``; ``index=none`` drops the wrapper and the meta) and moves fractal's ``meta`` beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from aiohttp import web

from sandbox import phpjson
from sandbox.api.call import Call
from sandbox.errors import EmptyIdError, api_response
from sandbox.keys import body_key
from sandbox.models.php import filter_int, int_cast, leading_number, truthy
from sandbox.store import Record
from sandbox.transform.fractal import Transformer, to_array, to_jsonapi

DEFAULT_PAGE_SIZE = 15


def _cache_key(call: Call) -> Hashable | None:
    """Everything besides the data that a read's answer depends on, or None for an uncacheable call."""
    request = call.request
    if call.actor is None or request.method not in ("GET", "HEAD"):
        return None
    return (
        request.raw_path,
        request.headers.get("Content-Type", ""),
        request.get(body_key, b""),
        request.scheme,
        request.host,
        call.actor.user["doc_id"],
        call.runtime.clock.timestamp(),
    )


def cached(call: Call, answer: Callable[[], web.Response]) -> web.Response:
    """A read's answer from the store's read cache, else ``answer()`` (kept when it is a 200).

    The store empties the cache on every change to the data; the key holds the rest (the request
    as sent, the caller and the clock's second), so a cached answer is the one ``answer()`` gives.
    """
    key = _cache_key(call)
    if key is None:
        return answer()
    store = call.runtime.store
    body = store.read_cache.get(key)
    if body is not None:
        return api_response(body)
    version = store.version
    response = answer()
    if response.status == 200 and isinstance(response.body, bytes) and store.version == version:
        store.read_cache.put(key, response.body)
    return response


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
    size = int_cast(leading_number(str(raw)))
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
    rows: Sequence[Record],
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
    records = [load(row) for row in chunk] if load else list(chunk)
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
