"""``/__admin/outbox``: the emails the API sent (nothing leaves the machine), searched like Mailpit.

The list, ``latest`` and ``wait`` take the same filters: ``to``, ``from`` (address or name),
``subject`` and ``text`` (in the text or HTML body), all case-insensitive substrings; ``template``
(``invoice``, ``quote``, ``payment``, ``reminder1``...) and ``account_key`` exactly; ``invoice_id``
(the invoice's public id); ``since`` (a unix time: messages at or after it). The list and ``latest``
read them from the query string, ``wait`` from its JSON body. Every message shown carries its
rendered text and HTML and, per attachment, the ``url`` of the file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from sandbox.admin.inputs import (
    answers_400,
    describe,
    integer,
    json_object,
    number,
    page,
    reject_unknown,
    text,
    wait_options,
)
from sandbox.admin.replies import admin_error, json_response
from sandbox.admin.table import PREFIX, AdminRoute
from sandbox.changes import wait_for
from sandbox.models.php import filter_int
from sandbox.namespaces import runtime_of
from sandbox.outbox import Message, MessageFilter, Outbox

FILTERS = ("to", "from", "subject", "text", "invoice_id", "template", "account_key", "since")


def message_filter(source: Mapping[str, Any]) -> MessageFilter:
    """The outbox filters found in a query string or a JSON body."""
    return MessageFilter(
        to=text(source, "to"),
        sender=text(source, "from"),
        subject=text(source, "subject"),
        text=text(source, "text"),
        invoice_id=integer(source, "invoice_id"),
        template=text(source, "template"),
        account_key=text(source, "account_key"),
        since=number(source, "since"),
    )


def shown(message: Message) -> dict[str, Any]:
    """A message as the admin API shows it, each attachment with the URL of its file."""
    data = message.to_json()
    for index, attachment in enumerate(data["attachments"]):
        attachment["url"] = f"{PREFIX}/outbox/{message.id}/attachments/{index}"
    return data


def _outbox(request: web.Request) -> Outbox:
    return runtime_of(request).outbox


def _message(request: web.Request) -> Message | None:
    message_id = filter_int(request.match_info["id"])
    return None if message_id is None else _outbox(request).get(message_id)


def _no_message(request: web.Request) -> web.Response:
    return admin_error(404, f"no message {request.match_info['id']} in the outbox")


@answers_400
async def list_outbox(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/outbox``: the emails the API "sent", oldest first; filters and paging in the query.

    ``total`` counts the matching messages before paging; ``dropped`` those the outbox's bound evicted.
    """
    outbox = _outbox(request)
    messages = outbox.messages(message_filter(request.query))
    return json_response(
        {
            "messages": [shown(m) for m in page(request, messages)],
            "total": len(messages),
            "dropped": outbox.dropped,
        }
    )


async def clear_outbox(request: web.Request) -> web.StreamResponse:
    """``DELETE /__admin/outbox``: forget every email."""
    _outbox(request).clear()
    return json_response({"cleared": True})


@answers_400
async def latest_message(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/outbox/latest``: the newest message matching the query's filters; 404 if none."""
    messages = _outbox(request).messages(message_filter(request.query))
    if not messages:
        return admin_error(404, f"no message matches {describe(request.query, FILTERS)}")
    return json_response(shown(messages[-1]))


@answers_400
async def wait_outbox(request: web.Request) -> web.StreamResponse:
    """``POST /__admin/outbox/wait``: wait until ``count`` messages match the body's filters.

    Body: the filters plus ``count`` (default 1) and ``timeout_ms`` (default 5000, at most 30000).
    Messages already in the outbox count too (add ``since``, or empty the outbox first, to wait for
    new ones only). The wait wakes on each new message, no polling. 200 ``{"messages": [...every
    match, oldest first], "total": n, "waited_ms": t}`` once enough match; 408 ``{"error": ...,
    "total": n, "waited_ms": t}`` when the time is up first.
    """
    body = await json_object(request)
    reject_unknown(body, (*FILTERS, "count", "timeout_ms"))
    where = message_filter(body)
    count, timeout_ms = wait_options(body)
    outbox = _outbox(request)
    loop = asyncio.get_running_loop()
    started = loop.time()
    found = await wait_for(outbox.changes, lambda: outbox.messages(where), count, timeout_ms / 1000)
    waited_ms = round((loop.time() - started) * 1000, 3)
    if len(found) >= count:
        return json_response(
            {"messages": [shown(m) for m in found], "total": len(found), "waited_ms": waited_ms}
        )
    plural = "s" * (count != 1)
    error = (
        f"timed out after {timeout_ms} ms waiting for {count} message{plural} matching "
        f"{describe(body, FILTERS)}; {len(found)} matched"
    )
    return json_response({"error": error, "total": len(found), "waited_ms": waited_ms}, 408)


async def get_message(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/outbox/{id}``: one message with its text, HTML and attachment metadata."""
    message = _message(request)
    return _no_message(request) if message is None else json_response(shown(message))


async def delete_message(request: web.Request) -> web.StreamResponse:
    """``DELETE /__admin/outbox/{id}``: forget one message."""
    message = _message(request)
    if message is None or not _outbox(request).remove(message.id):
        return _no_message(request)
    return json_response({"deleted": True, "id": message.id})


async def message_html(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/outbox/{id}/html``: the rendered HTML body, as a page."""
    message = _message(request)
    if message is None:
        return _no_message(request)
    return web.Response(text=message.html, content_type="text/html", charset="utf-8")


async def message_text(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/outbox/{id}/text``: the plain-text body."""
    message = _message(request)
    if message is None:
        return _no_message(request)
    return web.Response(text=message.text, content_type="text/plain", charset="utf-8")


async def get_attachment(request: web.Request) -> web.StreamResponse:
    """``GET /__admin/outbox/{id}/attachments/{index}``: an attachment's bytes (the invoice PDF)."""
    message = _message(request)
    index = filter_int(request.match_info["index"])
    if message is None or index is None or not 0 <= index < len(message.attachments):
        return admin_error(404, "no such message or attachment")
    attachment = message.attachments[index]
    disposition = f'attachment; filename="{attachment.filename.replace(chr(34), "")}"'
    return web.Response(
        body=attachment.content,
        content_type=attachment.content_type,
        headers={"Content-Disposition": disposition},
    )


# ``latest`` and ``wait`` come before ``{id}`` so that they are not read as ids.
ROUTES: tuple[AdminRoute, ...] = (
    AdminRoute("GET", "/outbox", list_outbox, "list_outbox", "emails the API sent, oldest first; search"),
    AdminRoute("DELETE", "/outbox", clear_outbox, "clear_outbox", "empty the outbox"),
    AdminRoute("GET", "/outbox/latest", latest_message, "latest_message", "the newest matching email"),
    AdminRoute("POST", "/outbox/wait", wait_outbox, "wait_outbox", "wait until matching emails arrive"),
    AdminRoute("GET", "/outbox/{id}", get_message, "get_message", "one email with its bodies"),
    AdminRoute("DELETE", "/outbox/{id}", delete_message, "delete_message", "delete one email"),
    AdminRoute("GET", "/outbox/{id}/html", message_html, "message_html", "an email's HTML body as a page"),
    AdminRoute("GET", "/outbox/{id}/text", message_text, "message_text", "an email's text body"),
    AdminRoute(
        "GET",
        "/outbox/{id}/attachments/{index}",
        get_attachment,
        "get_attachment",
        "one attachment of an email, as a file",
    ),
)
