"""``POST /api/v1/email_invoice`` (InvoiceApiController@emailInvoice): the mail lands in the outbox."""

from __future__ import annotations

from aiohttp import web

from sandbox import phpjson
from sandbox.api.call import get_call
from sandbox.api.invoices import INVOICES
from sandbox.api.resource import find_entity
from sandbox.api.routing import ApiRoute
from sandbox.errors import ControllerError, RouteNotFoundError, api_response
from sandbox.models import emails
from sandbox.models.invoice_actions import create_recurring_child
from sandbox.models.php import truthy


async def email_invoice(request: web.Request) -> web.Response:
    """``POST /api/v1/email_invoice``: ``{"id": n}`` (or ``invoice_id``, ``invoice_number``)."""
    call = get_call(request)
    assert call.actor is not None
    data = call.input
    invoice = None
    number = data.get("invoice_number")
    if truthy(number) and isinstance(number, str | int | float):
        found = call.runtime.store.find("invoices", "invoice_number", str(number), call.actor.account_id)
        if not found:
            raise RouteNotFoundError()
        invoice = min(found, key=lambda row: row["doc_id"])
    else:
        invoice = find_entity(call, INVOICES)
    if invoice is None:
        # v4 goes on with no invoice and fails with a 500; the sandbox names the problem.
        raise ControllerError("Record not found", 404)
    template = data.get("template") if isinstance(data.get("template"), dict) else None
    with call.write() as env:
        target = invoice
        if invoice.get("is_recurring"):
            target = create_recurring_child(env, invoice) or invoice
        result = emails.send_invoice(env, target, reminder=data.get("reminder"), template=template)
    if result is not True:
        return api_response(phpjson.dumps({"error": result}), 500)
    return api_response(phpjson.dumps({"message": "success"}))


ROUTES = [ApiRoute("POST", "/email_invoice", email_invoice, "email_invoice")]
