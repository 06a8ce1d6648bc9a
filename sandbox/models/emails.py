"""Emailing invoices and quotes (``ContactMailer::sendInvoice``): messages go to the outbox, not out.

Each invitation gets one message with the invoice's PDF; the invitation is marked sent, the invoice
becomes public and Sent (which moves the client balance), and ``last_sent_date`` becomes today.
The result is v4's: ``True`` when sent, else the error text ``POST /email_invoice`` answers 500 with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sandbox.mail.templates import EmailVariables, RenderedEmail, email_footer, render_email
from sandbox.models import invoices as inv
from sandbox.models.accounts import Env
from sandbox.models.activities import Activity, record_activity
from sandbox.models.clients import active_contacts, contact_display_name, display_name
from sandbox.models.dates import account_date_format, format_date
from sandbox.models.invitations import invitations_of, mark_invitation_sent
from sandbox.models.money import currency_for, format_money
from sandbox.models.php import valid_email
from sandbox.store import Record

REMINDERS = ("reminder1", "reminder2", "reminder3")
FROM_EMAIL = "sandbox@invoiceninja.test"

INACTIVE_CLIENT = "Emails can not be sent to inactive clients"
INACTIVE_INVOICE = "Emails can not be sent to inactive invoices"
INACTIVE_CONTACT = "Emails can not be sent to inactive contacts"
INVALID_EMAIL = "Invalid contact email"


def _variables(
    env: Env, invoice: Record, client: Record, contact: Record, invitation: Record
) -> EmailVariables:
    account = env.account
    currency = currency_for(env.static, account, client)
    date_format = account_date_format(env.static, account)
    partial = float(invoice.get("partial") or 0)
    requested = partial if partial > 0 else float(invoice.get("balance") or 0)
    due = (
        invoice.get("partial_due_date")
        if partial > 0 and invoice.get("partial_due_date")
        else invoice.get("due_date")
    )
    return EmailVariables(
        account=str(account.get("name") or ""),
        client=display_name(client, active_contacts(env.store, client)),
        contact=contact_display_name(contact) or str(contact.get("email") or ""),
        first_name=str(contact.get("first_name") or ""),
        invoice_number=str(invoice.get("invoice_number") or ""),
        amount=format_money(requested, currency),
        total=format_money(invoice.get("amount"), currency),
        balance=format_money(invoice.get("balance"), currency),
        partial=format_money(partial, currency),
        site_url=env.base_url,
        invitation_key=str(invitation.get("invitation_key") or ""),
        contact_key=str(contact.get("contact_key") or ""),
        entity_type="quote" if inv.is_quote(invoice) else "invoice",
        due_date=format_date(due, date_format),
        invoice_date=format_date(invoice.get("invoice_date"), date_format),
        footer=email_footer(account.get("email_footer")),
        id_number=str(client.get("id_number") or ""),
        vat_number=str(client.get("vat_number") or ""),
        po_number=str(invoice.get("po_number") or ""),
        terms=str(invoice.get("terms") or ""),
        notes=str(invoice.get("public_notes") or ""),
    )


def send_invoice(
    env: Env, invoice: Record, *, reminder: Any = None, template: Mapping[str, Any] | None = None
) -> bool | str | None:
    """Email an invoice or quote to its invitations' contacts."""
    if invoice.get("is_recurring"):
        return False
    client = inv.client_of(env, invoice)
    if client.get("deleted_at") is not None:
        return INACTIVE_CLIENT
    if invoice.get("deleted_at") is not None:
        return INACTIVE_INVOICE
    kind = reminder if reminder in REMINDERS else ("quote" if inv.is_quote(invoice) else "invoice")
    custom = template or {}
    result: bool | str | None = None
    sent = False
    first = True
    for invitation in invitations_of(env, invoice):
        contact = env.store.get_public("contacts", env.account_id, int(invitation["contact_id"]))
        if contact is None or contact.get("deleted_at") is not None:
            result = INACTIVE_CONTACT
            continue
        email = str(contact.get("email") or "")
        if not valid_email(email):
            result = INVALID_EMAIL
            continue
        rendered = render_email(
            kind,
            _variables(env, invoice, client, contact, invitation),
            subject=_text_or_none(custom.get("subject")),
            body=_text_or_none(custom.get("body")),
        )
        _queue(env, invoice, invitation, email, rendered, kind, with_bcc=first)
        first = False
        invoice = _mark_emailed(env, invoice, invitation, contact)
        result = True
        sent = True
    if sent:
        inv.save_fields(env, invoice, {"last_sent_date": env.today.isoformat()})
    return result


def _queue(
    env: Env,
    invoice: Record,
    invitation: Mapping[str, Any],
    to: str,
    rendered: RenderedEmail,
    template: str,
    *,
    with_bcc: bool,
) -> None:
    """Hand one message to the request's effects; it reaches the outbox once the writes are durable."""
    account = env.account
    bcc = str(account.get("bcc_email") or "")
    env.effects.emails.append(
        {
            "from_name": str(account.get("name") or ""),
            "from_email": FROM_EMAIL,
            "to": (to,),
            "cc": (),
            "bcc": (bcc,) if bcc and with_bcc else (),
            "subject": rendered.subject,
            "html": rendered.html,
            "text": rendered.text,
            "template": template,
            "invoice_doc_id": invoice["doc_id"],
            "invitation_key": invitation.get("invitation_key"),
        }
    )


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _mark_emailed(env: Env, invoice: Record, invitation: Record, contact: Record) -> Record:
    """``Invoice::markInvitationSent`` with notification: public, Sent, and an ``EMAIL_*`` activity."""
    if invoice.get("is_deleted"):
        return invoice
    if not inv.is_sent(invoice):
        invoice = inv.save_fields(env, invoice, {"is_public": True, "invoice_status_id": inv.SENT})
    mark_invitation_sent(env, invitation)
    kind = Activity.EMAIL_QUOTE if inv.is_quote(invoice) else Activity.EMAIL_INVOICE
    record_activity(env, kind, inv.client_of(env, invoice), invoice=invoice, contact_id=contact["public_id"])
    return invoice


def send_payment_receipt(env: Env, payment: Record) -> bool | str:
    """``sendPaymentConfirmation``: one receipt to the payment's contact, else the client's first."""
    invoice = env.store.get_public("invoices", env.account_id, int(payment["invoice_id"]))
    if invoice is None:
        return INACTIVE_INVOICE
    client = inv.client_of(env, invoice)
    contacts = active_contacts(env.store, client)
    contact = None
    if payment.get("contact_id") is not None:
        contact = env.store.get_public("contacts", env.account_id, int(payment["contact_id"]))
    contact = contact or (contacts[0] if contacts else None)
    if contact is None or not valid_email(str(contact.get("email") or "")):
        return INVALID_EMAIL
    invitations = invitations_of(env, invoice)
    invitation = next(
        (i for i in invitations if i["contact_id"] == contact["public_id"]),
        invitations[0] if invitations else {},
    )
    variables = _variables(env, invoice, client, contact, invitation)
    currency = currency_for(env.static, env.account, client)
    variables = dataclasses.replace(variables, amount=format_money(payment.get("amount"), currency))
    rendered = render_email("payment", variables)
    _queue(env, invoice, invitation, str(contact["email"]), rendered, "payment", with_bcc=True)
    return True
