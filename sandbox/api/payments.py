"""``/api/v1/payments`` (PaymentApiController)."""

from __future__ import annotations

import re

from aiohttp import web

from sandbox.api.actions import run_action
from sandbox.api.call import Call, get_call
from sandbox.api.resource import Resource, entity_or_forbidden, list_handler, show_handler
from sandbox.api.respond import item_response
from sandbox.api.routing import ApiRoute, resource_routes
from sandbox.errors import RouteNotFoundError, ValidationError
from sandbox.models import emails
from sandbox.models import invoices as inv
from sandbox.models import payments as pay
from sandbox.models.credits import credit_balance
from sandbox.models.php import leading_number, mysql_int, parse_float, route_id, truthy
from sandbox.models.trash import delete_entity
from sandbox.store import Record
from sandbox.transform.payments import PAYMENT

PAYMENTS = Resource(segment="payments", entity="payment", table="payments", transformer=PAYMENT)

list_payments = list_handler(PAYMENTS, "PaymentApiController")
get_payment = show_handler(PAYMENTS, "PaymentApiController")


#: PHP 7's ``is_numeric`` for text: leading whitespace, a sign, digits, a fraction, an exponent. Not
#: ``NaN``, ``INF``, ``1_000`` or trailing blanks, all of which Python's ``float()`` would take.
_PHP_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _numeric(value: object) -> bool:
    """Laravel's ``numeric`` rule (``is_numeric``)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _PHP_NUMERIC.fullmatch(value) is not None


def _payable_invoice(call: Call) -> Record:
    """``CreatePaymentAPIRequest::rules``: validation, then the standard invoice being paid."""
    data = call.input
    invoice_id, amount = data.get("invoice_id"), data.get("amount")
    if not truthy(invoice_id) or not truthy(amount):
        errors: dict[str, list[str]] = {}
        if not truthy(invoice_id) and invoice_id not in (0, "0"):
            errors["invoice_id"] = ["The invoice id field is required."]
        elif not _numeric(invoice_id):
            errors["invoice_id"] = ["The invoice id must be a number."]
        elif leading_number(str(invoice_id)) < 1:
            errors["invoice_id"] = ["The invoice id must be at least 1."]
        if amount is None or amount == "":
            errors["amount"] = ["The amount field is required."]
        elif not _numeric(amount):
            errors["amount"] = ["The amount must be a number."]
        if errors:
            raise ValidationError(errors)
        # An amount of 0 passes v4's rules and then crashes it; the sandbox asks for a positive amount.
        raise ValidationError({"amount": ["The amount must be greater than zero."]})
    assert call.actor is not None
    public_id = route_id(data.get("invoice_public_id") or invoice_id)
    invoice = None
    if public_id is not None:
        invoice = call.runtime.store.get_public("invoices", call.actor.account_id, public_id)
    if invoice is None or not inv.is_standard(invoice) or invoice.get("is_deleted"):
        raise RouteNotFoundError()
    if not _numeric(amount):
        raise ValidationError({"amount": ["The amount must be a number."]})
    if mysql_int(data.get("payment_type_id")) == pay.CREDIT_TYPE:
        env = call.env()
        if credit_balance(env, inv.client_of(env, invoice)) < parse_float(amount):
            raise ValidationError({"payment_type_id": ["The client does not have enough credit."]})
    return invoice


async def create_payment(request: web.Request) -> web.Response:
    """``POST /api/v1/payments`` (PaymentApiController@store)."""
    call = get_call(request)
    invoice = _payable_invoice(call)
    with call.write() as env:
        invoice = inv.mark_sent_if_unsent(env, invoice)
        payment = pay.create_payment(env, call.input, invoice)
        if truthy(call.input.get("email_receipt")):
            emails.send_payment_receipt(env, payment)
    return item_response(call, PAYMENT, env.store.get("payments", payment["doc_id"]), created=True)


async def update_payment(request: web.Request) -> web.Response:
    """``PUT|PATCH /api/v1/payments/{id}``: only the notes, reference, type and date change."""
    call = get_call(request)
    payment = entity_or_forbidden(call, PAYMENTS)
    if truthy(call.input.get("action")):
        return run_action(call, PAYMENTS, payment)
    with call.write() as env:
        data = {**call.input, "public_id": request.match_info["payments"]}
        saved = pay.save_payment(env, data, pay.invoice_of(env, payment), payment)
        if truthy(call.input.get("email_receipt")):
            emails.send_payment_receipt(env, saved)
    return item_response(call, PAYMENT, saved)


async def delete_payment(request: web.Request) -> web.Response:
    """``DELETE /api/v1/payments/{id}``: the invoice and client get the money back."""
    call = get_call(request)
    payment = entity_or_forbidden(call, PAYMENTS)
    with call.write() as env:
        payment = delete_entity(env, "payments", payment)
    return item_response(call, PAYMENT, payment)


ROUTES: list[ApiRoute] = resource_routes(
    "payments",
    {
        "index": list_payments,
        "store": create_payment,
        "show": get_payment,
        "update": update_payment,
        "destroy": delete_payment,
    },
)
