"""The request pipeline of the API: namespace, journal, errors, then ``ApiCheck``, then the handler.

Only ``/api/v1`` requests are journaled, authenticated and rendered in v4's error shapes; the
admin API and the dashboard answer plain JSON errors of their own. Inside ``ApiCheck`` come the
throttle (when switched on) and the injected fault, if any (:mod:`sandbox.faults`); a fault that
breaks the answer is applied last, to whatever the request was answered, and journaled as status 0.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox import injection, phpjson
from sandbox.admin.replies import admin_error
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
    ThrottledError,
    api_response,
)
from sandbox.faults import FAULT_HEADER, Fault, header_fault
from sandbox.journal import JournalEntry, SentHeaders
from sandbox.keys import body_key, call_key, route_auth_key
from sandbox.namespaces import NamespaceError, runtime_of
from sandbox.runtime import Runtime
from sandbox.store import StorageFailure

log = logging.getLogger("sandbox")
#: The fault chosen for a request, kept for the step that breaks the answer.
fault_key: web.RequestKey[Fault] = web.RequestKey("sandbox_fault")
NO_HEADERS: dict[str, str] = {}


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


def _entry(
    request: web.Request,
    runtime: Runtime,
    response: web.StreamResponse | None,
    account_key: str | None,
    duration_ms: float,
) -> JournalEntry:
    """The journal's view of a request and of what its client got (status 0: no complete answer)."""
    status, body = 0, b""
    headers: Mapping[str, str] = NO_HEADERS
    if isinstance(response, injection.BrokenResponse):
        headers, body = response.sent_headers, response.sent_body
    elif response is not None:
        status = response.status
        # A copy of the pairs now: aiohttp adds its own headers when it sends the response.
        headers = SentHeaders.of(tuple(response.headers.items()))
        response_body = response.body if isinstance(response, web.Response) else b""
        body = response_body if isinstance(response_body, bytes) else b""
    return JournalEntry(
        id=runtime.journal.next_id() if response is not None else 0,
        time=runtime.clock.now(),
        method=request.method,
        path=request.path,
        query=request.query_string,
        headers=SentHeaders.of(request.raw_headers),
        raw_body=request.get(body_key, b""),
        status=status,
        response_headers=headers,
        raw_response_body=body,
        duration_ms=duration_ms,
        account_key=account_key,
        route=_route_template(request),
    )


@web.middleware
async def namespace_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Pick the namespace of an admin or dashboard request (see :mod:`sandbox.namespaces`)."""
    try:
        runtime_of(request)
    except NamespaceError as exc:
        return admin_error(400, str(exc))
    return await handler(request)


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every ``/api/v1`` request: its namespace, then the journal, v4's error shapes and ``ApiCheck``.

    An API request goes straight from here to its route's handler: the rest of the chain (the
    admin guard, the dashboard's error pages) never applies to it, and one layer instead of four
    is a good part of what a cached read costs.
    """
    if not is_api(request):
        return await handler(request)
    try:
        runtime = runtime_of(request)
    except NamespaceError as exc:
        return admin_error(400, str(exc))
    started = time.perf_counter()
    response = await _answer(request, runtime)
    response = injection.finish(request.get(fault_key), request, response)
    # The call refers to the request and the request to the call: dropping it here keeps every
    # request from staying in memory as a reference cycle until the cyclic collector finds it.
    call = request.pop(call_key, None)
    account_key = call.actor.account["account_key"] if call is not None and call.actor else None
    duration_ms = round((time.perf_counter() - started) * 1000, 3)
    entry = _entry(request, runtime, response, account_key, duration_ms)
    runtime.journal.record(entry)
    runtime.coverage.add(entry)
    return response


async def _answer(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """The request's answer, with every failure rendered in the shape v4 gives it."""
    try:
        return await _checked(request, runtime)
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
    except ConnectionResetError as exc:
        # The client hung up before its whole body arrived: no one is left to answer, and it is no
        # fault of the server's, so it is neither a recorded server error nor a traceback in the log.
        raise web.HTTPBadRequest(text="the client closed the connection before its body arrived") from exc
    except Exception:
        seen = {"method": request.method, "path": request.path_qs, "traceback": traceback.format_exc()}
        runtime.server_errors.add(
            {"id": runtime.server_errors.next_id(), "time": runtime.clock.now(), **seen}
        )
        log.exception("unhandled error on %s %s", request.method, request.path)
        return ServerError().render(_traits(request))


def _traits(request: web.Request) -> Any:
    call = request.get(call_key)
    return request_traits(request, call.input if call is not None else None)


async def _checked(request: web.Request, runtime: Runtime) -> web.StreamResponse:
    """``ApiCheck`` for matched API routes, then v4's throttle, any injected fault and the handler.

    Unmatched routes fail in the router first (404/405), before any of these.
    """
    body = await request.read()
    request[body_key] = body
    info = request.match_info
    if info.http_exception is not None:
        return await info.handler(request)
    asked = header_fault(request.headers.get(FAULT_HEADER))
    input_data = await read_input(request, body)
    auth = request.app[route_auth_key].get(info.route.name or "", Auth.TOKEN)
    call = Call(request=request, runtime=runtime, input=input_data, actor=None)
    request[call_key] = call
    call.actor = await authenticate(runtime, request, auth, input_data)
    if auth is not Auth.SECRET:  # the login-type routes throttle themselves, by address
        await _throttle(request, call)
    fault = asked
    if fault is None and runtime.faults.rules:  # the request's journal view is built only to match rules
        account_key = call.actor.account["account_key"] if call.actor else None
        fault = runtime.faults.pick(_entry(request, runtime, None, account_key, 0.0))
    if fault is None:
        return await info.handler(request)
    request[fault_key] = fault
    site = injection.Site(_traits(request), request.method, _other_methods(request))
    answer = await injection.inject(fault, site, runtime.settings.error_delay)
    return answer if answer is not None else await info.handler(request)


async def _throttle(request: web.Request, call: Call) -> None:
    """``ApiCheck``'s throttle as a hosted v4 runs it: per account, else per client address."""
    runtime = call.runtime
    if call.actor is not None:
        key = f"account:{call.actor.account['account_key']}"
    else:
        key = f"address:{request.remote or ''}"
    wait = runtime.faults.throttle.wait(key, runtime.clock.timestamp())
    if wait is not None:
        await asyncio.sleep(min(1.0, runtime.settings.error_delay))
        raise ThrottledError(wait)


def _other_methods(request: web.Request) -> list[str]:
    """The path's methods other than this request's (all of them if it has no other), for an injected 405."""
    resource = request.match_info.route.resource
    path = resource.canonical if resource is not None else request.path
    same_path = (each for each in request.app.router.resources() if each.canonical == path)
    methods = allowed_methods({route.method for each in same_path for route in each})
    mine = {"GET", "HEAD"} if request.method in ("GET", "HEAD") else {request.method}
    others = [method for method in methods if method not in mine]
    return others or methods
