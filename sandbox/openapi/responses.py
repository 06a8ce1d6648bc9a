"""The responses of the v4 document: success bodies with the API headers, and v4's error answers (§2.9).

Which error body a client gets depends on the request: Laravel's own errors are JSON only when the
client "expects JSON" (``X-Requested-With: XMLHttpRequest`` or a JSON ``Accept``), HTML otherwise;
a failed validation is a 302 to the web root without either, 400 when ``api_secret`` is in the input.
"""

from __future__ import annotations

from typing import Any

from sandbox.openapi.schemas import Schema, ref

Response = dict[str, Any]

HTML = "text/html"
JSON = "application/json"

HEADERS: dict[str, Any] = {
    "X-Ninja-Version": {
        "description": "v4's version; on API answers, not on Laravel's own errors.",
        "schema": {"type": "string", "const": "4.5.50"},
    },
    "X-Total-Count": {
        "description": "Always 0 in v4.5.50: use `meta.pagination.total`.",
        "schema": {"type": "string", "const": "0"},
    },
}
API_HEADERS = {name: {"$ref": f"#/components/headers/{name}"} for name in HEADERS}


def json_body(description: str, schema: Schema | None, *, headers: bool = True) -> Response:
    """A JSON response (a ``None`` schema leaves the body undescribed)."""
    media: dict[str, Any] = {"schema": schema} if schema is not None else {}
    response: Response = {"description": description, "content": {JSON: media}}
    if headers:
        response["headers"] = API_HEADERS
    return response


def any_of(*names: str) -> Schema:
    """One of several named component schemas."""
    return ref(names[0]) if len(names) == 1 else {"anyOf": [ref(name) for name in names]}


def _json_or_html(description: str, schema: Schema, headers: dict[str, Any] | None = None) -> Response:
    response: Response = {"description": description, "content": {JSON: {"schema": schema}, HTML: {}}}
    if headers:
        response["headers"] = headers
    return response


#: Every error answer of the v4 API, by status.
ERRORS: dict[str, Response] = {
    "302": {
        "description": "Validation failed and the client neither sent `X-Requested-With: XMLHttpRequest` nor "
        "accepts JSON: Laravel redirects to the `Referer` or the web root (the errors are lost).",
        "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
        "content": {HTML: {}},
    },
    "400": json_body(
        'A controller error (`{"error": ...}`, e.g. `Action [x] is not supported`), or a validation failure '
        'of a request carrying `api_secret` (`{"error": {"message": ...}}`).',
        any_of("ErrorValue", "ErrorMessage"),
    ),
    "401": json_body(
        "Login failed: `Invalid credentials`, `OTP_REQUIRED` or a wrong one-time password.",
        ref("ErrorMessage"),
    ),
    "403": _json_or_html(
        "`Invalid token` (missing, unknown or revoked `X-Ninja-Token`; compact JSON, API headers), "
        '`Invalid value for API_SECRET`, the throttle\'s `"Please wait N second(s)"`, or a policy denial '
        "(`This action is unauthorized.`, JSON or HTML).",
        any_of("ErrorMessage", "Message", "Throttled"),
    ),
    "404": _json_or_html(
        '`{"message": "record does not exist"}` (no such record), `{"error": "Record not found"}` '
        '(an empty or zero id) or `{"error": {"message": "Route does not exist"}}` (abort(404)).',
        any_of("Message", "ErrorValue", "ErrorMessage"),
    ),
    "405": _json_or_html(
        "The resource has no such method (Laravel's 405, JSON or HTML, with `Allow`).",
        ref("Message"),
        {"Allow": {"required": True, "schema": {"type": "string"}}},
    ),
    "422": {
        "description": "Validation failed and the client expects JSON: compact, without the API headers.",
        "content": {JSON: {"schema": ref("ValidationErrors")}},
    },
    "500": _json_or_html(
        'v4\'s 500 (documented upstream behaviour): `{"message": "Server Error"}` or Laravel\'s HTML page.',
        ref("Message"),
    ),
}

READ = ("403",)
ITEM = ("403", "404")
WRITE = ("302", "400", "403", "404", "422")


def errors(*statuses: str) -> dict[str, Response]:
    """References to the shared error responses with these statuses."""
    return {status: {"$ref": f"#/components/responses/Error{status}"} for status in statuses}


def components() -> dict[str, Response]:
    """The shared error responses, by component name."""
    return {f"Error{status}": response for status, response in ERRORS.items()}
