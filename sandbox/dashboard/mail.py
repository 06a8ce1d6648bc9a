"""The outbox (every email the API "sent", with its attachments) and the webhook deliveries."""

from __future__ import annotations

from aiohttp import web

from sandbox.dashboard.company import company_of
from sandbox.dashboard.documents import QUOTE_TYPE
from sandbox.dashboard.lists import paginate
from sandbox.dashboard.pages import error_page, page
from sandbox.dashboard.requests import status_tone
from sandbox.models.php import filter_int
from sandbox.namespaces import runtime_of
from sandbox.outbox import Message
from sandbox.webhooks import Delivery

#: The email's own HTML is shown in a sandboxed frame: its inline styles apply, nothing else loads.
BODY_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def _message(request: web.Request) -> Message | None:
    message_id = filter_int(request.match_info["id"])
    return None if message_id is None else runtime_of(request).outbox.get(message_id)


def _no_message(request: web.Request) -> web.Response:
    return error_page(request, 404, "Not found", "There is no message with this id in the outbox.")


def _searchable(message: Message) -> str:
    return " ".join((*message.to, *message.cc, message.from_email, message.subject, message.text)).casefold()


async def outbox(request: web.Request) -> web.StreamResponse:
    """``GET /outbox``: the emails sent, newest first; ``?q=`` searches addresses, subjects and text."""
    runtime = runtime_of(request)
    query = request.query.get("q", "").strip()
    messages = [m for m in reversed(runtime.outbox.messages()) if query.casefold() in _searchable(m)]
    window, pager = paginate(request, len(messages))
    return page(
        request,
        "outbox.html",
        section="outbox",
        title="Outbox",
        messages=messages[window],
        query=query,
        pager=pager,
        dropped=runtime.outbox.dropped,
    )


async def message_detail(request: web.Request) -> web.StreamResponse:
    """``GET /outbox/{id}``: one email, rendered, with its attachments."""
    message = _message(request)
    if message is None:
        return _no_message(request)
    document = None
    company = company_of(request)
    if company is not None and message.invoice_id and message.account_key == company.account["account_key"]:
        row = company.invoices.get(message.invoice_id)
        if row is not None:
            quote = row.get("invoice_type_id") == QUOTE_TYPE
            label = f"{'Quote' if quote else 'Invoice'} {row.get('invoice_number') or row['id']}"
            document = (label, f"/{'quotes' if quote else 'invoices'}/{row['id']}")
    return page(
        request,
        "message.html",
        section="outbox",
        title=message.subject or "(no subject)",
        message=message,
        document=document,
    )


async def message_body(request: web.Request) -> web.StreamResponse:
    """``GET /outbox/{id}/body``: the email's HTML document, for the sandboxed frame of its page."""
    message = _message(request)
    if message is None:
        return _no_message(request)
    headers = {"Content-Security-Policy": BODY_CSP, "X-Content-Type-Options": "nosniff"}
    return web.Response(text=message.html, content_type="text/html", headers=headers)


async def message_attachment(request: web.Request) -> web.StreamResponse:
    """``GET /outbox/{id}/attachments/{index}``: an attached file, as it was attached."""
    message = _message(request)
    index = filter_int(request.match_info["index"])
    if message is None or index is None or not 0 <= index < len(message.attachments):
        return error_page(request, 404, "Not found", "There is no such attachment in the outbox.")
    attachment = message.attachments[index]
    name = attachment.filename.replace('"', "")
    return web.Response(
        body=attachment.content,
        content_type=attachment.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


def _delivery(request: web.Request) -> Delivery | None:
    delivery_id = filter_int(request.match_info["id"])
    return None if delivery_id is None else runtime_of(request).webhooks.get(delivery_id)


def delivery_state(delivery: Delivery) -> tuple[str, str]:
    """A delivery's badge: its answer's status, ``error``, or ``pending``."""
    if not delivery.done:
        return "pending", "info"
    if delivery.status is None:
        return "error", "bad"
    return str(delivery.status), status_tone(delivery.status)


async def webhooks(request: web.Request) -> web.StreamResponse:
    """``GET /webhooks``: every webhook delivery, newest first; ``?q=`` searches events and targets."""
    runtime = runtime_of(request)
    query = request.query.get("q", "").strip().casefold()
    deliveries = [
        d for d in reversed(runtime.webhooks.deliveries()) if query in f"{d.event} {d.target_url}".casefold()
    ]
    window, pager = paginate(request, len(deliveries))
    return page(
        request,
        "webhooks.html",
        section="webhooks",
        title="Webhooks",
        deliveries=deliveries[window],
        query=request.query.get("q", "").strip(),
        pager=pager,
        state=delivery_state,
        dropped=runtime.webhooks.dropped,
    )


async def delivery_detail(request: web.Request) -> web.StreamResponse:
    """``GET /webhooks/{id}``: one delivery: the payload sent and what the receiver answered."""
    delivery = _delivery(request)
    if delivery is None:
        return error_page(request, 404, "Not found", "There is no webhook delivery with this id.")
    return page(
        request,
        "delivery.html",
        section="webhooks",
        title=f"Webhook {delivery.event}",
        delivery=delivery,
        state=delivery_state(delivery),
    )
