"""The baseline: a bare aiohttp app answering the bench's requests with pre-serialized bytes.

The bench records the sandbox's answer to each request (``POST /__bare/answers``); from then on this
app answers that request (method, path and query, minus the bench's ``nocache`` parameter) with the
same status, headers and body, after reading the request body. That is about the most any aiohttp
application can do for the same requests on this machine and Python.

Usage: ``python bench/bare.py PORT``.
"""

from __future__ import annotations

import base64
import json
import sys
from urllib.parse import parse_qsl, urlencode

from aiohttp import web

Key = tuple[str, str]
Answer = tuple[int, dict[str, str], bytes]


def request_key(method: str, path: str, query: str) -> Key:
    """The lookup key of a request: its method and its path with the query, ``nocache`` dropped."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "nocache"]
    return method, path + ("?" + urlencode(pairs) if pairs else "")


def make_app() -> web.Application:
    """The app: one catch-all handler, plus routes to record answers and to check health."""
    answers: dict[Key, Answer] = {}

    async def answer(request: web.Request) -> web.Response:
        await request.read()
        found = answers.get(request_key(request.method, request.path, request.query_string))
        if found is None:
            return web.Response(status=404)
        status, headers, body = found
        return web.Response(status=status, headers=headers, body=body)

    async def record(request: web.Request) -> web.Response:
        entry = json.loads(await request.read())
        key = request_key(entry["method"], entry["path"], entry["query"])
        answers[key] = (entry["status"], entry["headers"], base64.b64decode(entry["body"]))
        return web.Response(status=204)

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/__bare/health", health)
    app.router.add_post("/__bare/answers", record)
    app.router.add_route("*", "/{tail:.*}", answer)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
