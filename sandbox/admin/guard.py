"""``--admin-token``: when set, everything but the v4 API, the health check and static assets needs it.

The admin API can replace the whole state, inject faults and read every journaled request (tokens and
bodies included); the dashboard shows the same journal, the outbox and the API token, and can reset.
So with an admin token configured, every route outside ``/api/v1`` asks for it, except:

* ``GET /__admin/health``, so container health checks work without the secret;
* the dashboard's static assets (``/assets/...``, ``/favicon.ico``), which hold nothing private.

The token is accepted in the ``X-Sandbox-Admin-Token`` header, as ``Authorization: Bearer <token>``, or
as the password of HTTP Basic authentication (any user name), which is what a browser prompts for when
it meets the ``WWW-Authenticate`` challenge of the 401. Comparisons take constant time.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox.admin.replies import json_response
from sandbox.api.routing import PREFIX
from sandbox.client.transport import ADMIN_TOKEN_HEADER
from sandbox.keys import route_auth_key, settings_key

#: Routes that stay open whatever the settings (by route name).
OPEN_ROUTES = frozenset(
    {
        "admin.health",
        "dashboard.asset",
        "dashboard.favicon",
    }
)
CHALLENGE = 'Basic realm="ninja-sandbox admin", charset="UTF-8"'


def _is_api_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def needs_admin_token(request: web.Request) -> bool:
    """True when the request reaches a guarded route (decided by the matched route, not the raw path)."""
    info = request.match_info
    if info.http_exception is None:
        name = info.route.name or ""
        if name in request.app[route_auth_key]:
            return False  # a v4 API route: ``ApiCheck`` guards it with the API token
        return name not in OPEN_ROUTES
    # Nothing matched: API paths keep v4's 404/405 answers; anything else is answered only with the token.
    return not _is_api_path(request.path)


def offered_tokens(request: web.Request) -> list[str]:
    """Every admin token the request carries: the header, a Bearer token or a Basic password."""
    offered: list[str] = []
    header = request.headers.get(ADMIN_TOKEN_HEADER)
    if header is not None:
        offered.append(header.strip())
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer" and credentials:
        offered.append(credentials)
    elif scheme.lower() == "basic" and credentials:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        _, colon, password = decoded.partition(":")
        if colon:
            offered.append(password)
    return offered


def token_matches(expected: str, offered: list[str]) -> bool:
    """True when one of the offered tokens is the expected one (each compared in constant time)."""
    wanted = expected.encode("utf-8")
    matched = False
    for token in offered:
        # No early exit: the time taken does not say which offer (if any) matched.
        matched |= hmac.compare_digest(token.encode("utf-8", errors="surrogateescape"), wanted)
    return matched


def refusal(offered: list[str]) -> web.Response:
    """The 401: a JSON ``{"error": ...}`` body and a Basic challenge, so browsers ask for the token."""
    if offered:
        message = "the admin token given does not match this sandbox's --admin-token"
    else:
        message = (
            f"this sandbox was started with --admin-token: send it in the {ADMIN_TOKEN_HEADER} header, "
            "as Authorization: Bearer <token>, or as the password of HTTP Basic authentication"
        )
    response = json_response({"error": message}, 401)
    response.headers["WWW-Authenticate"] = CHALLENGE
    return response


@web.middleware
async def admin_guard_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse admin and dashboard requests without the admin token (when one is configured)."""
    expected = request.app[settings_key].admin_token
    if not expected or not needs_admin_token(request):
        return await handler(request)
    offered = offered_tokens(request)
    if not token_matches(expected, offered):
        return refusal(offered)
    return await handler(request)
