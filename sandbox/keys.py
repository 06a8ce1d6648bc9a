"""Every typed key of the application and of a request, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from sandbox.api.call import Call
    from sandbox.api.routing import Auth
    from sandbox.namespaces import Namespaces, Selection
    from sandbox.runtime import Runtime
    from sandbox.settings import Settings

settings_key: web.AppKey[Settings] = web.AppKey("sandbox_settings")
runtime_key: web.AppKey[Runtime] = web.AppKey("sandbox_runtime")
call_key: web.RequestKey[Call] = web.RequestKey("sandbox_call")
body_key: web.RequestKey[bytes] = web.RequestKey("sandbox_body")
#: The ``ApiCheck`` mode of every named API route.
route_auth_key: web.AppKey[dict[str, Auth]] = web.AppKey("sandbox_route_auth")
#: The default runtime and every namespace's.
namespaces_key: web.AppKey[Namespaces] = web.AppKey("sandbox_namespaces")
#: The runtime of the namespace a request names (set by the first middleware).
request_runtime_key: web.RequestKey[Runtime] = web.RequestKey("sandbox_request_runtime")
#: The namespace and plain token a request names (worked out once per request).
request_selection_key: web.RequestKey[Selection] = web.RequestKey("sandbox_request_selection")
