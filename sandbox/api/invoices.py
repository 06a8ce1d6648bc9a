"""``/api/v1/invoices`` (InvoiceApiController): invoices, quotes and recurring templates together."""

from __future__ import annotations

from aiohttp import web

from sandbox.api.actions import ActionFn, run_action
from sandbox.api.call import Call, get_call
from sandbox.api.downloads import pdf_response
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.errors import EmptyIdError, plain_html
from sandbox.models import emails
from sandbox.models import invoice_input as prep
from sandbox.models import invoices as inv
from sandbox.models import payments as pay
from sandbox.models.accounts import Env
from sandbox.models.auto_bill import auto_bill
from sandbox.models.invoice_actions import convert_quote, create_recurring_child
from sandbox.models.invoice_save import save_invoice
from sandbox.models.php import leading_number, mysql_int, truthy
from sandbox.models.trash import delete_entity
from sandbox.store import Record
from sandbox.transform.invoices import INVOICE


def _invoice_filters(call: Call, rows: list[Record]) -> list[Record]:
    """``invoice_number`` (exact), ``status_id`` (at least), ``is_recurring`` and ``invoice_type_id``."""
    data = call.input
    number = data.get("invoice_number")
    if truthy(number) and isinstance(number, str | int | float):
        wanted = str(number).lower()
        rows = [row for row in rows if str(row.get("invoice_number") or "").lower() == wanted]
    status = data.get("status_id")
    if truthy(status) and isinstance(status, str | int | float):
        floor = leading_number(str(status))
        rows = [row for row in rows if int(row.get("invoice_status_id") or 1) >= floor]
    recurring = data.get("is_recurring")
    if recurring is not None and recurring != "" and not isinstance(recurring, list | dict):
        flag = mysql_int(recurring) or 0
        rows = [row for row in rows if int(bool(row.get("is_recurring"))) == flag]
    kind = data.get("invoice_type_id")
    if kind is not None and kind != "" and not isinstance(kind, list | dict):
        wanted_type = mysql_int(kind) or 0
        rows = [row for row in rows if int(row.get("invoice_type_id") or 1) == wanted_type]
    return rows


INVOICES = Resource(
    segment="invoices",
    entity="invoice",
    table="invoices",
    transformer=INVOICE,
    filters=(_invoice_filters,),
)

list_invoices = list_handler(INVOICES, "InvoiceApiController")
get_invoice = show_handler(INVOICES, "InvoiceApiController")


def _after_create(
    env: Env, invoice: Record, data: dict[str, object], flags: tuple[bool, bool, bool]
) -> Record:
    """Step 7 of ``store``: auto-bill or ``paid``, then the email (a receipt when a payment was made)."""
    is_auto_bill, is_paid, is_email = flags
    payment = None
    if inv.is_standard(invoice):
        if is_auto_bill:
            payment = auto_bill(env, invoice)
        elif is_paid:
            payment = pay.save_payment(env, {"amount": prep.paid_amount(data["paid"])}, invoice)
    if is_email:
        if payment is not None:
            emails.send_payment_receipt(env, payment)
        else:
            target = env.store.get("invoices", invoice["doc_id"]) or invoice
            if target.get("is_recurring"):
                target = create_recurring_child(env, target) or target
            emails.send_invoice(env, target, reminder=data.get("email_type"))
    return env.store.get("invoices", invoice["doc_id"]) or invoice


async def create_invoice(request: web.Request) -> web.StreamResponse:
    """``POST /api/v1/invoices`` (InvoiceApiController@store)."""
    call = get_call(request)
    prep.validate(call.env(), call.input, None)
    try:
        with call.write() as env:
            client = prep.resolve_client(env, call.input)
            data = prep.prepare_data(env, call.input)
            flags = prep.public_flags(data)
            if any(flags):
                data["is_public"] = True
            client = prep.nested_client(env, data, client) or client
            invoice, _ = save_invoice(env, data, client)
            invoice = _after_create(env, invoice, data, flags)
    except prep.InvalidEmailAnswer as answer:
        return plain_html(str(answer))
    if invoice.get("deleted_at") is not None:
        raise EmptyIdError()
    if truthy(call.input.get("download_invoice")):
        return pdf_response(call, invoice)
    return item_response(call, INVOICE, invoice, created=True)


def _mark_sent(env: Env, resource: Resource, record: Record) -> Record:
    return inv.mark_sent(env, record)


def _mark_paid(env: Env, resource: Resource, record: Record) -> Record:
    return pay.mark_paid(env, record)


def _email(env: Env, resource: Resource, record: Record) -> Record:
    emails.send_invoice(env, record)  # v4 ignores the result here
    return env.store.get("invoices", record["doc_id"]) or record


INVOICE_ACTIONS: dict[str, ActionFn] = {
    "markSent": _mark_sent,
    "markPaid": _mark_paid,
    "emailInvoice": _email,
}


async def update_invoice(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/invoices/{id}`` (InvoiceApiController@update), ``action=convert`` included."""
    call = get_call(request)
    invoice = entity_or_forbidden(call, INVOICES)
    action = call.input.get("action")
    if action != "archive":
        prep.validate(call.env(), call.input, invoice)
    if action == "convert":
        with call.write() as env:
            converted = convert_quote(env, invoice)
        return item_response(call, INVOICE, converted)
    if truthy(action):
        return run_action(call, INVOICES, invoice, INVOICE_ACTIONS)
    with call.write() as env:
        data = {**call.input, "public_id": request.match_info["invoices"]}
        prep.nested_client(env, data, None)
        saved, _ = save_invoice(env, data, inv.client_of(env, invoice), invoice)
    return item_response(call, INVOICE, saved)


async def delete_invoice(request: web.Request) -> web.Response:
    """``DELETE /api/v1/invoices/{id}`` (InvoiceApiController@destroy)."""
    call = get_call(request)
    invoice = entity_or_forbidden(call, INVOICES)
    prep.validate(call.env(), call.input, invoice)
    with call.write() as env:
        invoice = delete_entity(env, "invoices", invoice)
    return item_response(call, INVOICE, invoice)


ROUTES: list[ApiRoute] = resource_routes(
    "invoices",
    {
        "index": list_invoices,
        "store": create_invoice,
        "show": get_invoice,
        "update": update_invoice,
        "destroy": delete_invoice,
    },
)
