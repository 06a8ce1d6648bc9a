"""Reading a request's input the way Laravel does.

Input is the query string plus the body, and body values win on equal keys. A body is JSON only if
the ``Content-Type`` contains ``json``; otherwise it is a form (a multipart one only on POST, the one
method PHP parses it for). Malformed JSON reads as no input at all, because PHP's ``json_decode``
returns null for it. Query and form keys use PHP's bracket syntax (``a[]=1``, ``a[b]=2``).

PHP's limits on hostile input are kept, which also keeps every input shallow enough to walk safely:
JSON nested deeper than ``json_decode``'s 512 levels is no input, a query or form key with more than
``max_input_nesting_level`` (64) brackets drops its whole variable, and a JSON integer beyond PHP's
64-bit range becomes a float, as ``json_decode`` makes it.
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
#: PHP's ``max_input_nesting_level`` default: a deeper key drops its whole variable.
MAX_INPUT_NESTING = 64
#: ``json_decode``'s default depth: a deeper document decodes to null (no input).
MAX_JSON_DEPTH = 512
#: A run of this many digits may be an integer beyond PHP's range (``2**63`` has 19 digits). The body
#: is searched for one with every digit turned into ``0``: several times faster than a regex.
_LONG_DIGITS = b"0" * 19
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_PHP_INT_MIN, _PHP_INT_MAX = -(2**63), 2**63 - 1


def _assign(target: dict[str, Any], key: str, value: Any) -> None:
    """Store ``value`` under a PHP-style key such as ``contacts[0][email]``."""
    head, _, rest = key.partition("[")
    if not rest or not head:
        target[key] = value
        return
    parts = [head, *_BRACKETS.findall("[" + rest)]
    if len(parts) - 1 > MAX_INPUT_NESTING:
        target.pop(head, None)  # ``php_register_variable_ex`` unsets the variable and drops the value
        return
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


def _too_deep(value: Any, limit: int) -> bool:
    """True when arrays and objects nest more than ``limit`` levels (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _php_numbers(value: Any) -> Any:
    """Integers beyond PHP's 64-bit range as floats, the way ``json_decode`` reads them (in place)."""

    def fix(item: Any) -> Any:
        if isinstance(item, int) and not isinstance(item, bool) and not _PHP_INT_MIN <= item <= _PHP_INT_MAX:
            return float(item)
        if isinstance(item, dict | list):
            stack.append(item)
        return item

    stack: list[Any] = []
    value = fix(value)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                node[key] = fix(item)
        else:
            node[:] = [fix(item) for item in node]
    return value


def json_input(body: bytes) -> dict[str, Any]:
    """A JSON body as PHP's ``(array) json_decode($body, true)`` sees it."""
    try:
        decoded = orjson.loads(body) if body.strip() else None
    except orjson.JSONDecodeError:
        return {}
    if decoded is None:
        return {}
    # Nesting never goes deeper than the text has opening brackets: most bodies need no walk.
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH and _too_deep(decoded, MAX_JSON_DEPTH):
        return {}
    if _LONG_DIGITS in body.translate(_DIGITS_AS_ZERO):
        decoded = _php_numbers(decoded)
    if isinstance(decoded, dict):
        return decoded
    if isinstance(decoded, list):
        return {str(i): item for i, item in enumerate(decoded)}
    return {"0": decoded}


async def read_input(request: web.Request, body: bytes) -> dict[str, Any]:
    """The request's input: query string merged with the body, the body winning."""
    if not body and not request.query_string:
        return {}
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
