"""Invoice and quote pages, laid out like their PDF, and the PDF itself.

The page shows the same ``PdfDocument`` the PDF renderer draws (``sandbox.render.invoice_pdf``), and
the download serves the bytes ``GET /api/v1/download/{id}`` answers, without asking for the token.
"""

from __future__ import annotations

from aiohttp import web

from sandbox.api.downloads import pdf_response
from sandbox.api.payments import PAYMENTS
from sandbox.dashboard.billing import PAYMENT_SECTION
from sandbox.dashboard.cells import Section
from sandbox.dashboard.company import Company, company_of
from sandbox.dashboard.lists import Handler, api_curl, no_company, table
from sandbox.dashboard.pages import error_page, page
from sandbox.outbox import MessageFilter
from sandbox.render.invoice_pdf import invoice_document
from sandbox.store import Record

QUOTE_TYPE = 2


def _document(request: web.Request, company: Company, section: Section) -> Record | web.StreamResponse:
    """The invoice or quote the path names; a redirect when it is the other kind, a 404 when none."""
    record = company.find(section.resource, request.match_info["id"])
    if record is None:
        return error_page(request, 404, "Not found", f"There is no {section.singular} with this id.")
    quote = record.get("invoice_type_id") == QUOTE_TYPE
    if quote != (section.slug == "quotes"):
        target = request.path.replace(f"/{section.slug}/", "/quotes/" if quote else "/invoices/", 1)
        raise web.HTTPFound(target)
    return record


def document_handler(section: Section) -> Handler:
    """An invoice or quote page: the document as its PDF shows it, its payments and its emails."""

    async def handler(request: web.Request) -> web.StreamResponse:
        company = company_of(request)
        if company is None:
            return no_company(request)
        found = _document(request, company, section)
        if not isinstance(found, dict):
            return found
        row = company.show(section.transformer, found)
        document = invoice_document(company.store, company.static, found)
        balance = next((total for total in document.totals if total.strong), None)
        payments = [
            payment
            for payment in company.listed(PAYMENTS, client_id=row["client_id"])
            if payment.get("invoice_id") == row["id"]
        ]
        columns = [
            column for column in PAYMENT_SECTION.columns if column.key not in ("invoice", "client", "type")
        ]
        messages = company.runtime.outbox.messages(
            MessageFilter(invoice_id=row["id"], account_key=str(company.account["account_key"]))
        )
        return page(
            request,
            "document.html",
            section=section.slug,
            company=company.name,
            title=section.label(company, row),
            kind=section.singular,
            status=section.status(company, row),
            document=document,
            balance=balance,
            facts=[(label, cell) for label, cell in section.facts(company, row) if cell.text],
            payments=table(company, columns, payments, "No payments."),
            messages=list(reversed(messages)),
            pdf=None if row.get("is_deleted") else f"{request.path}/pdf",
            api_path=section.api_path(row["id"]),
            api_json=row,
            curl=api_curl(company, section.api_path(row["id"])),
        )

    handler.__name__ = f"get_{section.singular}"
    handler.__doc__ = f"``GET /{section.slug}/{{id}}``: one {section.singular}, laid out like its PDF."
    return handler


def pdf_handler(section: Section) -> Handler:
    """The PDF of an invoice or quote, as ``GET /api/v1/download/{id}`` serves it."""

    async def handler(request: web.Request) -> web.StreamResponse:
        company = company_of(request)
        if company is None:
            return no_company(request)
        found = _document(request, company, section)
        if not isinstance(found, dict):
            return found
        if found.get("is_deleted"):
            return error_page(
                request, 404, "Not found", f"This {section.singular} is deleted: it has no PDF."
            )
        return pdf_response(company.call(), found)

    handler.__name__ = f"download_{section.singular}"
    handler.__doc__ = f"``GET /{section.slug}/{{id}}/pdf``: the {section.singular}'s PDF."
    return handler
