"""The overview page (``/``) with its quick start, and the form that resets the demo."""

from __future__ import annotations

import logging

from aiohttp import web

from sandbox.dashboard.company import Company, company_of
from sandbox.dashboard.curl import curl_command
from sandbox.dashboard.figures import activity, by_status, monthly, outstanding, paid_in, this_month
from sandbox.dashboard.lists import no_company
from sandbox.dashboard.pages import error_page, page
from sandbox.namespaces import TOKEN_HEADER, runtime_of
from sandbox.seed import DatasetError
from sandbox.store import StorageFailure

log = logging.getLogger("sandbox")
DEMO_PASSWORD = "password"  # what the seed gives every demo user (printed by ``serve`` too)


def quick_start(company: Company) -> list[tuple[str, str]]:
    """A few ``curl`` lines to try, each with what it does."""
    api = f"{company.base_url}/api/v1"
    token = {TOKEN_HEADER: company.runtime.settings.token}
    json_token = {**token, "Content-Type": "application/json"}
    body = '{"client_id": 1, "invoice_items": [{"product_key": "CONSULT", "cost": 150, "qty": 2}]}'
    return [
        ("List the clients", curl_command("GET", f"{api}/clients", token)),
        ("Create an invoice", curl_command("POST", f"{api}/invoices", json_token, body)),
        (
            "Email invoice 1 (it lands in the outbox)",
            curl_command("POST", f"{api}/email_invoice", json_token, '{"id": 1}'),
        ),
        ("See what the sandbox recorded", curl_command("GET", f"{company.base_url}/__admin/requests")),
    ]


async def overview(request: web.Request) -> web.StreamResponse:
    """``GET /``: the demo company at a glance."""
    company = company_of(request)
    if company is None:
        return no_company(request)
    month, month_name = this_month(company)
    return page(
        request,
        "overview.html",
        section="overview",
        company=company.name,
        title="Overview",
        outstanding=outstanding(company),
        paid=paid_in(company, month),
        month_name=month_name,
        statuses=by_status(company),
        monthly=monthly(company, request.query.get("currency")),
        activity=activity(company),
        base_url=company.base_url,
        token=company.runtime.settings.token,
        secret=company.runtime.settings.api_secret,
        login=str(company.actor.user.get("email") or ""),
        password=DEMO_PASSWORD,
        examples=quick_start(company),
        was_reset="reset" in request.query,
    )


def _same_origin(request: web.Request) -> bool:
    """False for a form posted from another site (the browser names it in ``Origin``)."""
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.host}"


async def reset_demo(request: web.Request) -> web.StreamResponse:
    """``POST /reset``: back to the seeded data, with an empty journal and outbox (as ``/__admin/reset``)."""
    if not _same_origin(request):
        return error_page(
            request, 403, "Forbidden", "The demo can only be reset from the sandbox's own pages."
        )
    runtime = runtime_of(request)
    try:
        runtime.reset()
    except (DatasetError, StorageFailure) as exc:
        log.error("dashboard reset failed: %s", exc)
        return error_page(request, 500, "The reset failed", f"The data could not be reset: {exc}")
    raise web.HTTPSeeOther("/?reset=1")
