"""Rendering dashboard pages: the Jinja2 environment, its filters and the HTML responses.

Templates receive values already formatted by the views (money, dates), so they only lay them out.
Every page carries a Content-Security-Policy that allows nothing but the sandbox's own assets.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web
from markupsafe import Markup, escape

from sandbox.dashboard.company import company_of

if TYPE_CHECKING:
    from jinja2 import Environment

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "frame-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

#: The sections of the navigation: key, path and label.
NAV: tuple[tuple[str, str, str], ...] = (
    ("overview", "/", "Overview"),
    ("clients", "/clients", "Clients"),
    ("invoices", "/invoices", "Invoices"),
    ("quotes", "/quotes", "Quotes"),
    ("payments", "/payments", "Payments"),
    ("products", "/products", "Products"),
    ("tasks", "/tasks", "Tasks"),
    ("expenses", "/expenses", "Expenses"),
    ("requests", "/requests", "Request log"),
    ("outbox", "/outbox", "Outbox"),
    ("webhooks", "/webhooks", "Webhooks"),
)


def when(value: float | int | None) -> str:
    """A unix time as ``2025-12-31 14:03:22 UTC`` ("" for none)."""
    if not value:
        return ""
    return datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def iso(value: float | int | None) -> str:
    """A unix time as ``2025-12-31T14:03:22Z``, for ``<time datetime>``."""
    if not value:
        return ""
    return datetime.fromtimestamp(float(value), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def clock(value: float | int | None) -> str:
    """A unix time as ``14:03:22`` (UTC)."""
    if not value:
        return ""
    return datetime.fromtimestamp(float(value), UTC).strftime("%H:%M:%S")


def pretty(text: str | None) -> str:
    """A body as indented JSON when it is JSON, else as it is."""
    if not text:
        return ""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


def breakable(text: str) -> Markup:
    """Text (escaped) that may wrap after ``/``, ``?`` and ``&``: long paths break at their separators."""
    escaped = str(escape(text))
    for mark in ("/", "?", "&amp;"):
        escaped = escaped.replace(mark, mark + "<wbr>")
    return Markup(escaped)


def as_json(value: Any) -> str:
    """A value as indented JSON."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def make_environment() -> Environment:
    """The Jinja2 environment over the package's templates (autoescaped, strict about names)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("sandbox.dashboard", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=when, iso=iso, clock=clock, pretty=pretty, as_json=as_json, breakable=breakable)
    return env


class Templates:
    """The dashboard's templates, with Jinja2 loaded on the first page rendered.

    Most sandboxes never serve a page (they answer API calls in CI), so they never pay for Jinja2:
    about 10 MB of resident memory and some start-up time.
    """

    def __init__(self) -> None:
        self._environment: Environment | None = None

    def render(self, template: str, **context: Any) -> str:
        """``template`` rendered with ``context``."""
        if self._environment is None:
            self._environment = make_environment()
        return self._environment.get_template(template).render(**context)


templates_key = web.AppKey("sandbox_dashboard_templates", Templates)


def render_text(request: web.Request, template: str, **context: Any) -> str:
    """A template rendered to text with the page-wide values (navigation, current path)."""
    return request.app[templates_key].render(template, nav=NAV, path=request.path, **context)


def page(request: web.Request, template: str, *, status_code: int = 200, **context: Any) -> web.Response:
    """A whole HTML page."""
    context.setdefault("section", "")
    if "company" not in context:
        company = company_of(request)
        context["company"] = company.name if company is not None else ""
    html = render_text(request, template, **context)
    return web.Response(text=html, status=status_code, content_type="text/html", headers=HEADERS)


def error_page(request: web.Request, status: int, title: str, message: str) -> web.Response:
    """An HTML error page (404 for an unknown id or path, never a traceback)."""
    return page(request, "error.html", status_code=status, title=title, message=message)


def not_found(request: web.Request, what: str = "page") -> web.Response:
    """The 404 page for an id or path the sandbox does not know."""
    return error_page(request, 404, "Not found", f"There is no {what} at {request.path}.")
