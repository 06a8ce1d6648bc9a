"""``GET /api/v1/download/{invoice_id}`` (InvoiceApiController@download): the invoice as a PDF."""

from __future__ import annotations

from email.utils import formatdate

from aiohttp import web

from sandbox.api.call import Call, get_call
from sandbox.api.routing import ApiRoute
from sandbox.errors import RecordNotFoundError, RouteNotFoundError
from sandbox.models.php import route_id
from sandbox.render.invoice_pdf import invoice_pdf
from sandbox.store import Record
from sandbox.transform.invoices import file_name


def pdf_response(call: Call, invoice: Record) -> web.Response:
    """``fileReponse``: the PDF bytes, as an attachment named like the invoice."""
    pdf = invoice_pdf(call.runtime.store, call.runtime.static, invoice)
    name = file_name(invoice).replace('"', "")
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "public, must-revalidate, max-age=0",
        "Last-Modified": formatdate(float(invoice.get("updated_at") or 0), usegmt=True),
        "X-Ninja-Version": "4.5.50",
    }
    return web.Response(body=pdf, headers=headers, content_type="application/pdf")


async def download_invoice(request: web.Request) -> web.Response:
    """``GET /api/v1/download/{invoice_id}``: 404 "Route does not exist" for a deleted or unknown invoice."""
    call = get_call(request)
    assert call.actor is not None
    public_id = route_id(request.match_info["invoice_id"])
    if public_id is None:
        raise RouteNotFoundError()
    invoice = call.runtime.store.get_public("invoices", call.actor.account_id, public_id)
    if invoice is None:
        raise RecordNotFoundError()
    if invoice.get("is_deleted"):
        raise RouteNotFoundError()
    return pdf_response(call, invoice)


ROUTES = [ApiRoute("GET", "/download/{invoice_id}", download_invoice, "download")]
