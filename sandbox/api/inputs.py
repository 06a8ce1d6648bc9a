"""Reading a request's input the way Laravel does.

Input is the query string plus the body, and body values win on equal keys. A body is JSON only if
the ``Content-Type`` contains ``json``; otherwise it is a form (a multipart one only on POST, the one
method PHP parses it for). Malformed JSON reads as no input at all, because PHP's ``json_decode``
returns null for it. Query and form keys use PHP's bracket syntax (``a[]=1``, ``a[b]=2``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

import orjson
from aiohttp import web

from sandbox.api.multipart import is_multipart, parse_multipart

_BRACKETS = re.compile(r"\[([^\]]*)\]")


def _assign(target: dict[str, Any], key: str, value: Any) -> None:
    """Store ``value`` under a PHP-style key such as ``contacts[0][email]``."""
    head, _, rest = key.partition("[")
    if not rest or not head:
        target[key] = value
        return
    parts = [head, *_BRACKETS.findall("[" + rest)]
    node: Any = target
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(node, list):
            node = {str(i): item for i, item in enumerate(node)}
        if part == "":
            part = str(sum(1 for k in node if k.isdigit()))
        if last:
            node[part] = value
        else:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child


def _listify(value: Any) -> Any:
    """Turn ``{"0": a, "1": b}`` (PHP's list as a dict) back into ``[a, b]``."""
    if isinstance(value, dict):
        converted = {k: _listify(v) for k, v in value.items()}
        if converted and all(k.isdigit() for k in converted):
            keys = sorted(converted, key=int)
            if keys == [str(i) for i in range(len(keys))]:
                return [converted[k] for k in keys]
        return converted
    return value


def php_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Form or query pairs as PHP's ``$_GET``/``$_POST`` would hold them."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        _assign(result, key, value)
    return {k: _listify(v) for k, v in result.items()}


def json_input(body: bytes) -> dict[str, Any]:
    """A JSON body as PHP's ``(array) json_decode($body, true)`` sees it."""
    try:
        decoded = orjson.loads(body) if body.strip() else None
    except orjson.JSONDecodeError:
        return {}
    if decoded is None:
        return {}
    if isinstance(decoded, dict):
        return decoded
    if isinstance(decoded, list):
        return {str(i): item for i, item in enumerate(decoded)}
    return {"0": decoded}


async def read_input(request: web.Request, body: bytes) -> dict[str, Any]:
    """The request's input: query string merged with the body, the body winning."""
    query = php_pairs(parse_qsl(request.query_string, keep_blank_values=True))
    content_type = request.headers.get("Content-Type", "").lower()
    body_input: dict[str, Any]
    if not body:
        body_input = {}
    elif "json" in content_type:
        body_input = json_input(body)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        text = body.decode("utf-8", errors="replace")
        body_input = php_pairs(parse_qsl(text, keep_blank_values=True))
    elif request.method == "POST" and is_multipart(content_type):
        # Only the form fields: the handlers that take files read them from the body themselves.
        body_input = php_pairs(parse_multipart(body, request.headers.get("Content-Type", "")).fields)
    else:
        body_input = {}
    return {**query, **body_input}
