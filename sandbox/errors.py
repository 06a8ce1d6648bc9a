"""One error hierarchy, rendered in the exact shapes v4.5.50 answers with.

v4 has several error bodies, and which one a client sees depends on where the failure happened and
on the request (reference §2.9):

* ``ApiCheck`` (token, secret): compact ``{"error":{"message":...}}`` with the API headers;
* a failed record lookup: pretty ``{"message": "record does not exist"}`` with the API headers;
* ``BaseAPIController::errorResponse``: pretty ``{"error": <value>}`` with the API headers;
* a failed validation: 400 with ``api_secret`` in the input, else 422 JSON when the client
  "expects JSON", else a 302 redirect to the ``Referer`` or the app root;
* Laravel's own 403/404/405/500: JSON ``{"message": ...}`` when the client expects JSON, HTML otherwise.

Domain code raises these classes; ``middlewares.api_middleware`` renders them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox import phpjson

VERSION = "4.5.50"
API_HEADERS = {"X-Total-Count": "0", "X-Ninja-Version": VERSION}
JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=UTF-8"

INVALID_TOKEN = "Invalid token"
INVALID_SECRET = "Invalid value for API_SECRET"
RECORD_DOES_NOT_EXIST = "record does not exist"
RECORD_NOT_FOUND = "Record not found"
ROUTE_DOES_NOT_EXIST = "Route does not exist"
UNAUTHORIZED = "This action is unauthorized."
GIVEN_DATA_INVALID = "The given data was invalid."
SERVER_ERROR = "Server Error"


@dataclass(frozen=True)
class RequestTraits:
    """What of the request decides how an error is rendered."""

    expects_json: bool
    has_token_header: bool
    has_api_secret: bool
    referer: str | None
    app_root: str


def api_response(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A response with v4's API headers and JSON content type."""
    all_headers = {**API_HEADERS, **(headers or {})}
    return web.Response(body=body, status=status, headers=all_headers, content_type=JSON_TYPE)


def laravel_json(status: int, payload: Any, headers: dict[str, str] | None = None) -> web.Response:
    """Laravel's own JSON error: pretty, slashes unescaped, no API headers."""
    body = phpjson.dumps(payload, escape_slashes=False)
    return web.Response(body=body, status=status, content_type=JSON_TYPE, headers=headers)


def laravel_html(
    status: int, title: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    """Laravel's minimal HTML error page (``errors::minimal``)."""
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n    <meta charset="utf-8">\n'
        f"    <title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f'    <div class="code">{status}</div>\n    <div class="message">{html.escape(message)}</div>\n'
        "</body>\n</html>\n"
    )
    response = web.Response(text=page, status=status, headers=headers)
    response.headers["Content-Type"] = HTML_TYPE
    return response


def redirect_page(url: str) -> web.Response:
    """Symfony's ``RedirectResponse``: a 302 with its small "Redirecting to" page."""
    target = html.escape(url, quote=True)
    page = (
        '<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset="UTF-8" />\n'
        f'        <meta http-equiv="refresh" content="0;url=\'{target}\'" />\n\n'
        f"        <title>Redirecting to {target}</title>\n    </head>\n    <body>\n"
        f'        Redirecting to <a href="{target}">{target}</a>.\n    </body>\n</html>'
    )
    response = web.Response(text=page, status=302, headers={"Location": url})
    response.headers["Content-Type"] = HTML_TYPE
    return response


class SandboxError(Exception):
    """Base of every error the sandbox answers with."""

    status = 500

    def render(self, traits: RequestTraits) -> web.Response:
        """The response v4 gives for this error to this request."""
        raise NotImplementedError


class InvalidTokenError(SandboxError):
    """``ApiCheck``: missing, unknown or revoked ``X-Ninja-Token`` (after the error delay)."""

    status = 403

    def __init__(self, hint: str | None = None) -> None:
        super().__init__(INVALID_TOKEN)
        self.hint = hint

    def render(self, traits: RequestTraits) -> web.Response:
        headers = {"X-Sandbox-Hint": self.hint} if self.hint else None
        body = phpjson.dumps({"error": {"message": INVALID_TOKEN}}, pretty=False)
        return api_response(body, self.status, headers)


class InvalidSecretError(SandboxError):
    """``ApiCheck``: the API secret is wrong or missing on a login-type route."""

    status = 403

    def render(self, traits: RequestTraits) -> web.Response:
        body = phpjson.dumps({"error": {"message": INVALID_SECRET}}, pretty=False)
        return api_response(body, self.status)


class ThrottledError(SandboxError):
    """``ApiCheck``'s throttle: a bare JSON string, compact, with the API headers."""

    status = 403

    def __init__(self, wait: int) -> None:
        super().__init__(f"Please wait {wait} second(s)")
        self.wait = wait

    def render(self, traits: RequestTraits) -> web.Response:
        return api_response(phpjson.dumps(f"Please wait {self.wait} second(s)", pretty=False), self.status)


class RecordNotFoundError(SandboxError):
    """A lookup by id failed (``ModelNotFoundException``): ``{"message": "record does not exist"}``."""

    status = 404

    def render(self, traits: RequestTraits) -> web.Response:
        if not traits.has_token_header:
            return RouteNotFoundError().render(traits)
        return api_response(phpjson.dumps({"message": RECORD_DOES_NOT_EXIST}), self.status)


class ControllerError(SandboxError):
    """``BaseAPIController::errorResponse``: pretty ``{"error": value}`` with the API headers."""

    def __init__(self, value: Any, status: int = 400) -> None:
        super().__init__(str(value))
        self.value = value
        self.status = status

    def render(self, traits: RequestTraits) -> web.Response:
        return api_response(phpjson.dumps({"error": self.value}), self.status)


class EmptyIdError(ControllerError):
    """``itemResponse(null)``: the id was empty or 0."""

    def __init__(self) -> None:
        super().__init__(RECORD_NOT_FOUND, 404)


class UnsupportedActionError(ControllerError):
    """``handleAction``: an ``action`` v4 does not know."""

    def __init__(self, action: str) -> None:
        super().__init__(f"Action [{action}] is not supported", 400)


class RouteNotFoundError(SandboxError):
    """No such route, or ``abort(404)``: the body depends on the token header and ``Accept``."""

    status = 404

    def render(self, traits: RequestTraits) -> web.Response:
        if traits.has_token_header:
            return api_response(phpjson.dumps({"error": {"message": ROUTE_DOES_NOT_EXIST}}), 404)
        if traits.expects_json:
            return laravel_json(404, {"message": ""})
        return laravel_html(404, "Not Found", "Not Found")


class MethodNotAllowedError(SandboxError):
    """A known path with the wrong method (raised by the router, before authentication)."""

    status = 405

    def __init__(self, method: str, allowed: list[str]) -> None:
        super().__init__(method)
        self.method = method
        self.allowed = allowed

    def render(self, traits: RequestTraits) -> web.Response:
        headers = {"Allow": ", ".join(self.allowed)}
        if traits.expects_json:
            message = (
                f"The {self.method} method is not supported for this route. "
                f"Supported methods: {', '.join(self.allowed)}."
            )
            return laravel_json(405, {"message": message}, headers)
        return laravel_html(405, "Error", "Whoops, looks like something went wrong.", headers)


class ForbiddenError(SandboxError):
    """A policy denial in a FormRequest's ``authorize()``."""

    status = 403

    def render(self, traits: RequestTraits) -> web.Response:
        if traits.expects_json:
            return laravel_json(403, {"message": UNAUTHORIZED})
        return laravel_html(403, "Forbidden", UNAUTHORIZED)


class ValidationError(SandboxError):
    """A FormRequest's rules failed; ``errors`` maps each field to its messages, in rule order."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(next(iter(errors.values()))[0] if errors else GIVEN_DATA_INVALID)
        self.errors = errors

    def render(self, traits: RequestTraits) -> web.Response:
        first = next(iter(self.errors.values()))[0]
        if traits.has_api_secret:
            return api_response(phpjson.dumps({"error": {"message": first}}), 400)
        if traits.expects_json:
            payload = {"message": GIVEN_DATA_INVALID, "errors": self.errors}
            return web.Response(
                body=phpjson.dumps(payload, pretty=False, escape_slashes=False),
                status=422,
                content_type=JSON_TYPE,
            )
        return redirect_page(traits.referer or traits.app_root)


class ServerError(SandboxError):
    """Laravel's generic 500: ``{"message": "Server Error"}`` or its HTML page."""

    status = 500

    def render(self, traits: RequestTraits) -> web.Response:
        if traits.expects_json:
            return laravel_json(500, {"message": SERVER_ERROR})
        return laravel_html(500, SERVER_ERROR, SERVER_ERROR)


class StorageError(SandboxError):
    """The data file could not be written: a 500 in v4's controller shape, state unchanged."""

    status = 500

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def render(self, traits: RequestTraits) -> web.Response:
        body = phpjson.dumps({"error": {"message": "Internal Server Error"}})
        return api_response(body, 500, {"X-Sandbox-Error": self.detail[:200]})


def plain_html(text: str, status: int = 200) -> web.Response:
    """A controller that returns a bare string: Laravel sends it as ``text/html``."""
    return web.Response(body=text.encode(), status=status, content_type="text/html", charset="UTF-8")
