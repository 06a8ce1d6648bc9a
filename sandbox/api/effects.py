"""What a request does once its writes are durable: outbox messages and webhook deliveries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sandbox import phpjson
from sandbox.models.accounts import Env, Event
from sandbox.models.clients import active_contacts, display_name
from sandbox.outbox import Attachment, Message
from sandbox.store import Record
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer, parse_includes, to_array
from sandbox.transform.invoices import INVOICE, file_name
from sandbox.webhooks import EVENT_IDS

if TYPE_CHECKING:
    from sandbox.api.call import Call
    from sandbox.runtime import Runtime

#: Includes v4 adds to webhook payloads, per table.
_PAYLOAD_INCLUDES = {"invoices": "client", "payments": "client,invoice"}


def _transformer(table: str) -> Transformer:
    from sandbox.transform.clients import CLIENT
    from sandbox.transform.expenses import EXPENSE
    from sandbox.transform.payments import PAYMENT
    from sandbox.transform.tasks import TASK
    from sandbox.transform.vendors import VENDOR

    return {
        "clients": CLIENT,
        "invoices": INVOICE,
        "payments": PAYMENT,
        "vendors": VENDOR,
        "expenses": EXPENSE,
        "tasks": TASK,
    }[table]


def webhook_payload(env: Env, event: Event, record: Record) -> bytes:
    """``SubscriptionListener::checkSubscriptions``: the array-serialized entity, ``client_name`` added."""
    ctx = Context(
        store=env.store,
        account=env.account,
        user=env.actor.user,
        includes=parse_includes(_PAYLOAD_INCLUDES.get(event.table, "")),
        show_user_id=event.name.startswith("create_"),
        base_url=env.base_url,
        now=env.now,
    )
    transformer = _transformer(event.table)
    data = to_array(ctx, transformer, record)
    for include in transformer.default_includes:
        if include.name in event.includes:
            child = include.transformer()
            rows = event.includes[include.name]
            data[include.name] = [to_array(ctx, child, row, include.name) for row in rows]
    client_id = data.get("client_id")
    if client_id:
        client = env.store.get_public("clients", env.account_id, int(client_id))
        if client is not None:
            data["client_name"] = display_name(client, active_contacts(env.store, client))
    return phpjson.dumps(data, pretty=False)


def _deliver_events(runtime: Runtime, env: Env, at: float) -> None:
    store = env.store
    for event in env.effects.events:
        event_id = EVENT_IDS.get(event.name)
        subscriptions = [
            row
            for row in store.find("subscriptions", "event_id", event_id, env.account_id)
            if row.get("deleted_at") is None
        ]
        record = store.get(event.table, event.doc_id)
        if not subscriptions or record is None:
            continue
        body = webhook_payload(env, event, record)
        for subscription in sorted(subscriptions, key=lambda row: row["doc_id"]):
            runtime.webhooks.send(
                account_key=str(env.account["account_key"]),
                subscription_id=int(subscription["public_id"]),
                event=event.name,
                target_url=str(subscription.get("target_url") or ""),
                body=body,
                on_gone=_unsubscriber(runtime, subscription["doc_id"]),
                at=at,
            )


def _unsubscriber(runtime: Runtime, doc_id: int) -> Callable[[], None]:
    store = runtime.store
    clock = runtime.clock

    def unsubscribe() -> None:
        # A 410 soft-deletes the subscription (``Subscription`` is soft-deletable in v4).
        if store.get("subscriptions", doc_id) is None:
            return
        now = clock.timestamp()
        with store.transaction():
            store.update("subscriptions", doc_id, {"deleted_at": now, "updated_at": now})

    return unsubscribe


def _post_emails(runtime: Runtime, env: Env, at: float) -> None:
    from sandbox.render.invoice_pdf import invoice_pdf

    # One PDF per invoice, however many contacts it goes to.
    pdfs: dict[int, tuple[Attachment, ...]] = {}
    for email in env.effects.emails:
        invoice = env.store.get("invoices", int(email["invoice_doc_id"]))
        attachments: tuple[Attachment, ...] = ()
        if invoice is not None:
            if invoice["doc_id"] not in pdfs:
                pdf = invoice_pdf(env.store, env.static, invoice)
                pdfs[invoice["doc_id"]] = (Attachment(file_name(invoice), "application/pdf", pdf),)
            attachments = pdfs[invoice["doc_id"]]
        runtime.outbox.add(
            Message(
                id=runtime.outbox.next_id(),
                time=at,
                account_key=str(env.account["account_key"]),
                from_name=email["from_name"],
                from_email=email["from_email"],
                to=tuple(email["to"]),
                cc=tuple(email["cc"]),
                bcc=tuple(email["bcc"]),
                subject=email["subject"],
                html=email["html"],
                text=email["text"],
                template=email["template"],
                invoice_id=None if invoice is None else int(invoice["public_id"]),
                invitation_key=email.get("invitation_key"),
                attachments=attachments,
            )
        )


def carry_out(call: Call, env: Env) -> None:
    """Send the request's emails to the outbox and its events to their subscribers."""
    deliver(call.runtime, env)


def deliver(runtime: Runtime, env: Env, at: float | None = None) -> None:
    """Send emails to the outbox and events to their subscribers, logged at ``at`` (default: now)."""
    moment = runtime.clock.now() if at is None else at
    if env.effects.emails:
        _post_emails(runtime, env, moment)
    if env.effects.events:
        _deliver_events(runtime, env, moment)
