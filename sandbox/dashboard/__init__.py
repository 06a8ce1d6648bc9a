"""The dashboard at ``/``: the offline demo's HTML pages, read through the same store and models.

Pages are rendered on the server (Jinja2), assets come from the package, and nothing is fetched
from elsewhere. The dashboard's own requests are not journaled: only ``/api/v1`` is.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox.dashboard import documents, lists, mail, overview, requests
from sandbox.dashboard.assets import assets_key, favicon, get_asset, load_assets
from sandbox.dashboard.pages import Templates, error_page, not_found, templates_key
from sandbox.dashboard.requests import streams_closing_key
from sandbox.dashboard.sections import SECTIONS

log = logging.getLogger("sandbox")
#: Paths that belong to the API, the admin API or the API docs, which answer errors in their own shapes.
FOREIGN_PREFIXES = ("/api", "/__admin")


def is_dashboard(request: web.Request) -> bool:
    """True for requests the dashboard answers (everything outside the API and admin prefixes)."""
    return not request.path.startswith(FOREIGN_PREFIXES)


@web.middleware
async def dashboard_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Unknown dashboard paths answer the HTML 404 page, and a failure a plain 500 page (no traceback)."""
    if not is_dashboard(request):
        return await handler(request)
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return not_found(request)
    except web.HTTPMethodNotAllowed as exc:
        response = error_page(request, 405, "Method not allowed", f"{request.method} is not allowed here.")
        response.headers["Allow"] = ",".join(sorted(exc.allowed_methods))
        return response
    except web.HTTPException:
        raise
    except Exception:
        log.exception("dashboard error on %s %s", request.method, request.path)
        return error_page(
            request, 500, "Something went wrong", "This page failed; the sandbox's log has the details."
        )


async def _close_streams(app: web.Application) -> None:
    app[streams_closing_key].set()


def add_dashboard_routes(app: web.Application) -> None:
    """Register the dashboard's pages and assets on the app."""
    app[templates_key] = Templates()
    app[assets_key] = load_assets()
    app[streams_closing_key] = asyncio.Event()
    app.on_shutdown.append(_close_streams)
    app.middlewares.append(dashboard_errors)
    router = app.router
    router.add_get("/", overview.overview, name="dashboard.overview")
    router.add_post("/reset", overview.reset_demo, name="dashboard.reset")
    for slug, section in SECTIONS.items():
        router.add_get(f"/{slug}", lists.list_handler(section), name=f"dashboard.{slug}")
        if slug in ("invoices", "quotes"):
            router.add_get(
                f"/{slug}/{{id}}", documents.document_handler(section), name=f"dashboard.{slug}.item"
            )
            router.add_get(
                f"/{slug}/{{id}}/pdf", documents.pdf_handler(section), name=f"dashboard.{slug}.pdf"
            )
        else:
            router.add_get(f"/{slug}/{{id}}", lists.detail_handler(section), name=f"dashboard.{slug}.item")
    router.add_get("/requests", requests.request_log, name="dashboard.requests")
    router.add_get("/requests/events", requests.request_events, name="dashboard.requests.events")
    router.add_get("/requests/{id}", requests.request_detail, name="dashboard.requests.item")
    router.add_get("/outbox", mail.outbox, name="dashboard.outbox")
    router.add_get("/outbox/{id}", mail.message_detail, name="dashboard.outbox.item")
    router.add_get("/outbox/{id}/body", mail.message_body, name="dashboard.outbox.body")
    router.add_get("/outbox/{id}/attachments/{index}", mail.message_attachment, name="dashboard.outbox.file")
    router.add_get("/webhooks", mail.webhooks, name="dashboard.webhooks")
    router.add_get("/webhooks/{id}", mail.delivery_detail, name="dashboard.webhooks.item")
    router.add_get("/assets/{name}", get_asset, name="dashboard.asset")
    router.add_get("/favicon.ico", favicon, name="dashboard.favicon")
