"""v4's default client email templates and the way ``TemplateService::processVariables`` fills them.

A template is a subject or an HTML body holding ``$variables``. v4 fills both with one ordered
``str_replace`` over every variable (so a value holding ``$account`` is filled by a later step),
appends the portal password, drops leftover ``$password`` markers and then autolinks bare URLs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from sandbox.mail.markup import autolink, html_to_text

TEMPLATE_KINDS = ("invoice", "quote", "payment", "reminder1", "reminder2", "reminder3")

#: ``$footer`` / ``$emailSignature`` when the account has no custom email footer.
DEFAULT_SIGNATURE = "<p><div>Regards,\n<br>$account</div></p>"

_SUBJECTS = {
    "invoice": "New invoice $number from $account",
    "quote": "New quote $number from $account",
    "payment": "Payment Received",
    "reminder": "Reminder: Invoice $invoice from $account",
}

_LINK_MESSAGES = {
    "invoice": "To view your invoice for $amount, click the link below.",
    "quote": "To view your quote for $amount, click the link below.",
    "payment": "Thank you for your payment of $amount.",
}

_BUTTON_MESSAGES = {
    "invoice": "To view your invoice for $amount, click the button below.",
    "quote": "To view your quote for $amount, click the button below.",
    "payment": "Thank you for your payment of $amount.",
}

_BUTTON_LABELS = {
    "invoice": "View Invoice",
    "quote": "View Quote",
    "portal": "View Portal",
    "pay_now": "Pay Now",
    "approve": "Approve",
}

_VIEW_COLOR = "#0b4d78"
_PAY_COLOR = "#36c157"

#: Online payment types that get ``$<type>Link`` / ``$<type>Button`` variables, as (camelCase, path).
_GATEWAY_TYPES = (
    ("creditCard", "credit_card"),
    ("bankTransfer", "bank_transfer"),
    ("paypal", "paypal"),
    ("bitcoin", "bitcoin"),
    ("dwolla", "dwolla"),
    ("gocardless", "gocardless"),
)

_AUTOLINK_LIMIT = 100
_NINJA_FOOTER_URL = "https://www.invoiceninja.com?utm_source=email_footer"
_NINJA_FOOTER_HTML = f'Created by <a href="{_NINJA_FOOTER_URL}">Invoice Ninja</a> | Create. Send. Get Paid.'
_NINJA_FOOTER_TEXT = f"Created by {_NINJA_FOOTER_URL} | Create. Send. Get Paid."


def _check_kind(kind: str) -> None:
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"unknown email template kind {kind!r}; expected one of {', '.join(TEMPLATE_KINDS)}")


def _base_kind(kind: str) -> str:
    return "invoice" if kind.startswith("reminder") else kind


def default_subject(kind: str) -> str:
    """The default subject of ``kind`` (``Account::getDefaultEmailSubject``); reminders share one."""
    _check_kind(kind)
    return _SUBJECTS["reminder" if kind.startswith("reminder") else kind]


def default_body(kind: str, *, buttons: bool = False) -> str:
    """The default body of ``kind`` (``Account::getDefaultEmailTemplate``); reminders use the invoice body.

    ``buttons`` selects the variant v4 uses when the account's email design is not "Plain".
    """
    _check_kind(kind)
    base = _base_kind(kind)
    if buttons:
        message = _BUTTON_MESSAGES[base]
        action = '<div style="text-align:center;">$viewButton</div><br />'
    else:
        message = _LINK_MESSAGES[base]
        action = "<div>$viewLink</div><br />"
    return f"<div>$client,</div><br /><div>{message}</div><br />{action}$emailSignature"


def email_footer(custom: str | None = None) -> str:
    """The ``$footer`` value (``Account::getEmailFooter``): the custom footer, else the default signature."""
    if not custom:
        return DEFAULT_SIGNATURE
    if re.search(r"<[a-zA-Z/!?]", custom):
        return custom
    # Plain text gets PHP nl2br: a "<br />" before every line break, the break itself kept.
    return re.sub(r"(\r\n|\n\r|\n|\r)", r"<br />\1", custom)


@dataclass(frozen=True, kw_only=True)
class EmailVariables:
    """The already-formatted values v4's ``$variables`` stand for, for one invitation."""

    account: str
    client: str
    contact: str
    first_name: str
    invoice_number: str
    amount: str
    total: str
    balance: str
    site_url: str
    invitation_key: str
    entity_type: str = "invoice"
    partial: str = ""
    due_date: str = ""
    invoice_date: str = ""
    contact_key: str = ""
    footer: str = DEFAULT_SIGNATURE
    id_number: str = ""
    vat_number: str = ""
    po_number: str = ""
    terms: str = ""
    notes: str = ""
    custom_client1: str = ""
    custom_client2: str = ""
    custom_contact1: str = ""
    custom_contact2: str = ""
    custom_invoice1: str = ""
    custom_invoice2: str = ""
    password: str | None = None
    documents: str = ""
    auto_bill: str = ""

    def link(self, action: str = "view") -> str:
        """The ``Invitation::getLink`` link for ``action``: ``view``, ``payment`` or ``approve``."""
        return f"{self.site_url.strip('/')}/{action}/{self.invitation_key}"

    @property
    def view_link(self) -> str:
        """The link that opens the invoice or quote in the client portal."""
        return self.link("view")

    @property
    def payment_link(self) -> str:
        """The link that starts an online payment."""
        return self.link("payment")

    @property
    def approve_link(self) -> str:
        """The link that approves a quote."""
        return self.link("approve")

    @property
    def portal_link(self) -> str:
        """The contact's client portal dashboard link, as ``Contact::getLinkAttribute``."""
        return f"{self.site_url.strip('/')}/client/dashboard/{self.contact_key}"


def _button(link: str, label: str, color: str) -> str:
    return (
        f'<a href="{html.escape(link)}" style="display:inline-block;padding:12px 40px;border-radius:5px;'
        f"background-color:{color};color:#ffffff;font-family:sans-serif;font-size:16px;font-weight:bold;"
        f'text-decoration:none;">{label}</a>'
    )


def _replacements(variables: EmailVariables, password_html: str) -> list[tuple[str, str]]:
    """The variables in the order v4 replaces them; the order matters when a value holds a variable."""
    view_label = _BUTTON_LABELS.get(variables.entity_type, f"View {variables.entity_type.title()}")
    pay_now, approve = _BUTTON_LABELS["pay_now"], _BUTTON_LABELS["approve"]
    pairs = [
        ("$footer", variables.footer),
        ("$emailSignature", variables.footer),
        ("$client", variables.client),
        ("$idNumber", variables.id_number),
        ("$vatNumber", variables.vat_number),
        ("$account", variables.account),
        ("$dueDate", variables.due_date),
        ("$invoiceDate", variables.invoice_date),
        ("$contact", variables.contact),
        ("$firstName", variables.first_name),
        ("$amount", variables.amount),
        ("$total", variables.total),
        ("$balance", variables.balance),
        ("$invoice", variables.invoice_number),
        ("$quote", variables.invoice_number),
        ("$number", variables.invoice_number),
        ("$partial", variables.partial),
        ("$poNumber", variables.po_number),
        ("$terms", variables.terms),
        ("$notes", variables.notes),
        ("$link", variables.view_link),
        ("$password", password_html),
        # These values end in a "$password" marker, filled or dropped after the loop.
        ("$viewLink", variables.view_link + "$password"),
        ("$viewButton", _button(variables.view_link, view_label, _VIEW_COLOR) + "$password"),
        ("$paymentLink", variables.payment_link + "$password"),
        ("$paymentButton", _button(variables.payment_link, pay_now, _PAY_COLOR) + "$password"),
        ("$approveLink", variables.approve_link + "$password"),
        ("$approveButton", _button(variables.approve_link, approve, _PAY_COLOR) + "$password"),
        ("$customClient1", variables.custom_client1),
        ("$customClient2", variables.custom_client2),
        ("$customContact1", variables.custom_contact1),
        ("$customContact2", variables.custom_contact2),
        ("$customInvoice1", variables.custom_invoice1),
        ("$customInvoice2", variables.custom_invoice2),
        ("$documents", variables.documents),
        ("$autoBill", variables.auto_bill),
        ("$portalLink", variables.portal_link),
        ("$portalButton", _button(variables.portal_link, _BUTTON_LABELS["portal"], _VIEW_COLOR)),
    ]
    for camel, path in _GATEWAY_TYPES:
        link = f"{variables.payment_link}/{path}"
        pairs.append((f"${camel}Link", link))
        pairs.append((f"${camel}Button", _button(link, pay_now, _PAY_COLOR)))
    return pairs


def render_template(template: str, variables: EmailVariables) -> str:
    """Fill a subject or body the way ``TemplateService::processVariables`` does; unknown names stay."""
    password_html = "" if variables.password is None else f"<p>Password: {variables.password}<p>"
    names_password = "$password" in template
    text = template
    for name, value in _replacements(variables, password_html):
        text = text.replace(name, value)
    if password_html and not names_password:
        # The password goes after the last link or button instead.
        at = text.rfind("$password")
        if at != -1:
            text = text[:at] + password_html + text[at + len("$password") :]
    text = text.replace("$password", "")
    return autolink(text, _AUTOLINK_LIMIT)


@dataclass(frozen=True)
class RenderedEmail:
    """A filled-in email: the subject, an HTML document and its plain-text part."""

    subject: str
    html: str
    text: str


def _php_empty(value: str | None) -> bool:
    # PHP's empty() is also true for the string "0".
    return not value or value == "0"


def render_email(
    kind: str,
    variables: EmailVariables,
    *,
    subject: str | None = None,
    body: str | None = None,
    ninja_footer: bool = False,
) -> RenderedEmail:
    """Render the ``kind`` email; a non-empty ``subject`` or ``body`` replaces the default (``sendInvoice``).

    ``ninja_footer`` adds the "Created by Invoice Ninja" line v4 appends for accounts that are not paid
    (or, when self-hosted, not white-labelled).
    """
    _check_kind(kind)
    subject_template = default_subject(kind) if _php_empty(subject) else str(subject)
    body_template = default_body(kind) if _php_empty(body) else str(body)
    filled_subject = render_template(subject_template, variables)
    filled_body = render_template(body_template, variables)
    text = html_to_text(filled_body)
    extra_html = ""
    if ninja_footer:
        extra_html = f"\n<br/>\n{_NINJA_FOOTER_HTML}"
        text = f"{text}\n\n{_NINJA_FOOTER_TEXT}"
    document = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n</head>\n<body>\n'
        f"{filled_body}{extra_html}\n</body>\n</html>\n"
    )
    return RenderedEmail(subject=filled_subject, html=document, text=text)
