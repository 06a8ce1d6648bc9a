"""The request pipeline: journal, then errors, then ``ApiCheck``, then the handler.

Only ``/api/v1`` requests are journaled, authenticated and rendered in v4's error shapes; the
admin API and the dashboard answer plain JSON errors of their own.
"""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox import phpjson
from sandbox.api.auth import authenticate
from sandbox.api.call import Call, request_traits
from sandbox.api.inputs import read_input
from sandbox.api.routing import PREFIX, Auth, allowed_methods
from sandbox.errors import (
    MethodNotAllowedError,
    RouteNotFoundError,
    SandboxError,
    ServerError,
    StorageError,
    api_response,
)
from sandbox.journal import JournalEntry
from sandbox.keys import body_key, call_key, route_auth_key, runtime_key
from sandbox.store import StorageFailure

log = logging.getLogger("sandbox")


def is_api(request: web.Request) -> bool:
    """True for requests under ``/api/v1``."""
    path = request.path
    return path == PREFIX or path.startswith(PREFIX + "/")


def _route_template(request: web.Request) -> str | None:
    info = request.match_info
    if info.http_exception is not None:
        return None
    resource = info.route.resource
    return resource.canonical if resource is not None else None


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


@web.middleware
async def journal_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record every ``/api/v1`` request with its response in the journal."""
    if not is_api(request):
        return await handler(request)
    runtime = request.app[runtime_key]
    started = time.perf_counter()
    response = await handler(request)
    body = request.get(body_key, b"")
    call = request.get(call_key)
    account_key = call.actor.account["account_key"] if call is not None and call.actor else None
    response_body = response.body if isinstance(response, web.Response) else b""
    journal = runtime.journal
    journal.record(
        JournalEntry(
            id=journal.next_id(),
            time=runtime.clock.now(),
            method=request.method,
            path=request.path,
            query=request.query_string,
            headers={str(k): v for k, v in request.headers.items()},
            body=_text(body),
            status=response.status,
            response_headers={str(k): v for k, v in response.headers.items()},
            response_body=_text(response_body if isinstance(response_body, bytes) else b""),
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
            account_key=account_key,
            route=_route_template(request),
        )
    )
    return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Render every failure of an API request in the shape v4 gives it."""
    if not is_api(request):
        return await handler(request)
    try:
        return await handler(request)
    except SandboxError as error:
        return error.render(_traits(request))
    except StorageFailure as failure:
        log.error("storage failure: %s", failure)
        return StorageError(str(failure)).render(_traits(request))
    except web.HTTPMethodNotAllowed as exc:
        allowed = allowed_methods(set(exc.allowed_methods))
        if request.method == "OPTIONS":
            return web.Response(status=200, headers={"Allow": ",".join(allowed)})
        return MethodNotAllowedError(request.method, allowed).render(_traits(request))
    except web.HTTPNotFound:
        return RouteNotFoundError().render(_traits(request))
    except web.HTTPRequestEntityTooLarge as exc:
        body = {"error": {"message": f"The request body is larger than the sandbox accepts ({exc.text})"}}
        return api_response(phpjson.dumps(body), 413)
    except web.HTTPException:
        raise
    except Exception:
        runtime = request.app[runtime_key]
        runtime.server_errors.append(traceback.format_exc())
        log.exception("unhandled error on %s %s", request.method, request.path)
        return ServerError().render(_traits(request))


def _traits(request: web.Request) -> Any:
    call = request.get(call_key)
    return request_traits(request, call.input if call is not None else None)


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """``ApiCheck`` for matched API routes; unmatched ones fail in the router first (404/405)."""
    if not is_api(request):
        return await handler(request)
    body = await request.read()
    request[body_key] = body
    if request.match_info.http_exception is not None:
        return await handler(request)
    runtime = request.app[runtime_key]
    input_data = await read_input(request, body)
    auth = request.app[route_auth_key].get(request.match_info.route.name or "", Auth.TOKEN)
    call = Call(request=request, runtime=runtime, input=input_data, actor=None)
    request[call_key] = call
    call.actor = await authenticate(runtime, request, auth, input_data)
    return await handler(request)
