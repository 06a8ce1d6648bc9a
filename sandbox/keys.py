"""Every typed key of the application and of a request, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from sandbox.api.call import Call
    from sandbox.runtime import Runtime
    from sandbox.settings import Settings

settings_key: web.AppKey[Settings] = web.AppKey("sandbox_settings")
runtime_key: web.AppKey[Runtime] = web.AppKey("sandbox_runtime")
call_key: web.RequestKey[Call] = web.RequestKey("sandbox_call")
body_key: web.RequestKey[bytes] = web.RequestKey("sandbox_body")
