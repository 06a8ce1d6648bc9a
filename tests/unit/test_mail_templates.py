"""Client email templates: v4.5.50's default wording, ``processVariables`` filling and the text part.

The expected subjects and bodies are v4's English defaults (``Account::getDefaultEmailSubject`` and
``getDefaultEmailTemplate`` with the ``texts.php`` strings), written out literally.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sandbox.mail import (
    DEFAULT_SIGNATURE,
    TEMPLATE_KINDS,
    EmailVariables,
    default_body,
    default_subject,
    email_footer,
    html_to_text,
    render_email,
    render_template,
)

VIEW = "https://sandbox.test/view/inv123"


def _vars(**changes: Any) -> EmailVariables:
    base = EmailVariables(
        account="Acme Ltd",
        client="Bob's Garage",
        contact="Bob Smith",
        first_name="Bob",
        invoice_number="0007",
        amount="$1,234.50",
        total="$1,500.00",
        balance="$1,234.50",
        partial="$0.00",
        due_date="Mar 5, 2024",
        invoice_date="Feb 4, 2024",
        site_url="https://sandbox.test/",
        invitation_key="inv123",
        contact_key="con456",
    )
    return dataclasses.replace(base, **changes)


# --- defaults --------------------------------------------------------------------------------------


def test_template_kinds() -> None:
    assert TEMPLATE_KINDS == ("invoice", "quote", "payment", "reminder1", "reminder2", "reminder3")


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("invoice", "New invoice $number from $account"),
        ("quote", "New quote $number from $account"),
        ("payment", "Payment Received"),
        ("reminder1", "Reminder: Invoice $invoice from $account"),
        ("reminder2", "Reminder: Invoice $invoice from $account"),
        ("reminder3", "Reminder: Invoice $invoice from $account"),
    ],
)
def test_default_subject(kind: str, subject: str) -> None:
    assert default_subject(kind) == subject


INVOICE_BODY = (
    "<div>$client,</div><br />"
    "<div>To view your invoice for $amount, click the link below.</div><br />"
    "<div>$viewLink</div><br />"
    "$emailSignature"
)


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("invoice", INVOICE_BODY),
        (
            "quote",
            "<div>$client,</div><br />"
            "<div>To view your quote for $amount, click the link below.</div><br />"
            "<div>$viewLink</div><br />"
            "$emailSignature",
        ),
        (
            "payment",
            "<div>$client,</div><br />"
            "<div>Thank you for your payment of $amount.</div><br />"
            "<div>$viewLink</div><br />"
            "$emailSignature",
        ),
        ("reminder1", INVOICE_BODY),
        ("reminder2", INVOICE_BODY),
        ("reminder3", INVOICE_BODY),
    ],
)
def test_default_body(kind: str, body: str) -> None:
    assert default_body(kind) == body


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("invoice", "To view your invoice for $amount, click the button below."),
        ("quote", "To view your quote for $amount, click the button below."),
        ("payment", "Thank you for your payment of $amount."),
        ("reminder2", "To view your invoice for $amount, click the button below."),
    ],
)
def test_default_body_with_buttons(kind: str, message: str) -> None:
    assert default_body(kind, buttons=True) == (
        f"<div>$client,</div><br /><div>{message}</div><br />"
        '<div style="text-align:center;">$viewButton</div><br />$emailSignature'
    )


@pytest.mark.parametrize("kind", ["proposal", "reminder", "reminder4", "credit", ""])
def test_unknown_kind_is_rejected(kind: str) -> None:
    with pytest.raises(ValueError, match="unknown email template kind"):
        default_subject(kind)
    with pytest.raises(ValueError, match="unknown email template kind"):
        default_body(kind)
    with pytest.raises(ValueError, match="unknown email template kind"):
        render_email(kind, _vars())


def test_default_signature() -> None:
    assert DEFAULT_SIGNATURE == "<p><div>Regards,\n<br>$account</div></p>"
    assert email_footer() == DEFAULT_SIGNATURE
    assert email_footer("") == DEFAULT_SIGNATURE


def test_custom_footer_plain_text_gets_line_breaks() -> None:
    assert email_footer("Thanks,\nThe Acme team") == "Thanks,<br />\nThe Acme team"
    assert email_footer("a\r\nb") == "a<br />\r\nb"


def test_custom_footer_html_is_kept() -> None:
    assert email_footer("<b>Thanks</b>\nAcme") == "<b>Thanks</b>\nAcme"


# --- substitution ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("invoice", "New invoice 0007 from Acme Ltd"),
        ("quote", "New quote 0007 from Acme Ltd"),
        ("payment", "Payment Received"),
        ("reminder1", "Reminder: Invoice 0007 from Acme Ltd"),
        ("reminder3", "Reminder: Invoice 0007 from Acme Ltd"),
    ],
)
def test_rendered_subject(kind: str, subject: str) -> None:
    assert render_email(kind, _vars()).subject == subject


def test_rendered_default_invoice_body() -> None:
    assert render_template(default_body("invoice"), _vars()) == (
        "<div>Bob's Garage,</div><br />"
        "<div>To view your invoice for $1,234.50, click the link below.</div><br />"
        f'<div><a href="{VIEW}">{VIEW}</a></div><br />'
        "<p><div>Regards,\n<br>Acme Ltd</div></p>"
    )


def test_scalar_variables() -> None:
    template = (
        "$client|$contact|$firstName|$account|$invoice|$quote|$number|$amount|$total|$balance|$partial|"
        "$dueDate|$invoiceDate"
    )
    assert render_template(template, _vars()) == (
        "Bob's Garage|Bob Smith|Bob|Acme Ltd|0007|0007|0007|$1,234.50|$1,500.00|$1,234.50|$0.00|"
        "Mar 5, 2024|Feb 4, 2024"
    )


def test_optional_variables() -> None:
    filled = _vars(
        id_number="ID-1",
        vat_number="VAT-2",
        po_number="PO-3",
        terms="Net 30",
        notes="Thanks!",
        custom_client1="cc1",
        custom_client2="cc2",
        custom_contact1="ct1",
        custom_contact2="ct2",
        custom_invoice1="ci1",
        custom_invoice2="ci2",
        auto_bill="Billed automatically.",
        documents="<ul><li>a.pdf</li></ul>",
    )
    template = (
        "$idNumber $vatNumber $poNumber $terms $notes $customClient1 $customClient2 $customContact1 "
        "$customContact2 $customInvoice1 $customInvoice2 $autoBill $documents"
    )
    assert render_template(template, filled) == (
        "ID-1 VAT-2 PO-3 Net 30 Thanks! cc1 cc2 ct1 ct2 ci1 ci2 Billed automatically. <ul><li>a.pdf</li></ul>"
    )
    assert render_template(template, _vars()) == " " * 12


def test_amounts_in_other_currencies() -> None:
    euro = _vars(amount="1.234,50 €", total="€1.500,00", balance="1 234,50 kr")
    assert render_template("$amount / $total / $balance", euro) == "1.234,50 € / €1.500,00 / 1 234,50 kr"


def test_amount_with_dollar_sign_is_not_read_as_a_variable() -> None:
    # "$1" and "$5" are not variable names, so they survive the later replacements.
    assert render_template("Pay $amount by $dueDate", _vars(amount="$5.00")) == "Pay $5.00 by Mar 5, 2024"


def test_unknown_variables_are_left_alone() -> None:
    assert render_template("$foo and $bar_baz $ $", _vars()) == "$foo and $bar_baz $ $"


def test_names_are_not_matched_on_word_boundaries() -> None:
    # A plain str_replace: an unknown name that starts with a known one is partly filled.
    assert render_template("$invoiceNumber $clientName", _vars()) == "0007Number Bob's GarageName"


def test_variables_are_case_sensitive() -> None:
    assert render_template("$Client $AMOUNT $viewlink", _vars()) == "$Client $AMOUNT $viewlink"


def test_footer_is_filled_before_account() -> None:
    rendered = render_template("$footer", _vars(footer=email_footer("Regards, $account ($contact)")))
    assert rendered == "Regards, Acme Ltd (Bob Smith)"


def test_values_are_filled_again_by_later_variables() -> None:
    # $client is replaced before $amount, so a client name holding "$amount" ends up with the amount.
    assert render_template("$client", _vars(client="The $amount Club")) == "The $1,234.50 Club"
    # $amount comes after $client, so an amount holding "$client" is left as written.
    assert render_template("$amount", _vars(amount="$client")) == "$client"


def test_view_link_is_autolinked() -> None:
    assert render_template("<div>$viewLink</div>", _vars()) == f'<div><a href="{VIEW}">{VIEW}</a></div>'
    assert render_template("$link", _vars()) == f'<a href="{VIEW}">{VIEW}</a>'


def test_view_link_in_an_attribute_is_not_autolinked() -> None:
    assert render_template('<a href="$viewLink">here</a>', _vars()) == f'<a href="{VIEW}">here</a>'


def test_view_button_is_a_link_to_the_invitation() -> None:
    rendered = render_template("$viewButton", _vars())
    assert rendered.startswith(f'<a href="{VIEW}" ')
    assert rendered.endswith(">View Invoice</a>")
    assert "background-color:#0b4d78" in rendered
    assert rendered.count("<a ") == 1


def test_view_button_of_a_quote() -> None:
    assert render_template("$viewButton", _vars(entity_type="quote")).endswith(">View Quote</a>")


def test_payment_and_approve_links_and_buttons() -> None:
    template = "$paymentLink $approveLink"
    assert render_template(template, _vars()) == (
        '<a href="https://sandbox.test/payment/inv123">https://sandbox.test/payment/inv123</a> '
        '<a href="https://sandbox.test/approve/inv123">https://sandbox.test/approve/inv123</a>'
    )
    pay = render_template("$paymentButton", _vars())
    assert pay.startswith('<a href="https://sandbox.test/payment/inv123" ')
    assert pay.endswith(">Pay Now</a>")
    assert "background-color:#36c157" in pay
    assert render_template("$approveButton", _vars()).endswith(">Approve</a>")


def test_gateway_type_links() -> None:
    template = (
        "[$creditCardLink] [$bankTransferLink] [$paypalLink] [$bitcoinLink] [$dwollaLink] [$gocardlessLink]"
    )
    rendered = render_template(template, _vars())
    for path in ("credit_card", "bank_transfer", "paypal", "bitcoin", "dwolla", "gocardless"):
        url = f"https://sandbox.test/payment/inv123/{path}"
        assert f'[<a href="{url}">{url}</a>]' in rendered
    assert render_template("$creditCardButton", _vars()).endswith(">Pay Now</a>")


def test_portal_link_and_button() -> None:
    url = "https://sandbox.test/client/dashboard/con456"
    assert render_template("$portalLink", _vars()) == f'<a href="{url}">{url}</a>'
    assert render_template("$portalButton", _vars()).endswith(">View Portal</a>")


def test_invitation_links() -> None:
    variables = _vars(site_url="http://localhost:8000")
    assert variables.view_link == "http://localhost:8000/view/inv123"
    assert variables.payment_link == "http://localhost:8000/payment/inv123"
    assert variables.approve_link == "http://localhost:8000/approve/inv123"
    assert variables.portal_link == "http://localhost:8000/client/dashboard/con456"


def test_password_goes_after_the_last_link() -> None:
    rendered = render_template("<div>$viewLink</div><div>$paymentLink</div>", _vars(password="Xy7kP"))
    assert rendered == (
        f'<div><a href="{VIEW}">{VIEW}</a></div>'
        '<div><a href="https://sandbox.test/payment/inv123">https://sandbox.test/payment/inv123</a>'
        "<p>Password: Xy7kP<p></div>"
    )


def test_password_goes_where_the_template_asks() -> None:
    rendered = render_template("<div>$viewLink</div>$password", _vars(password="Xy7kP"))
    assert rendered == f'<div><a href="{VIEW}">{VIEW}</a></div><p>Password: Xy7kP<p>'


def test_password_without_any_link_is_not_added() -> None:
    assert render_template("Hello $client", _vars(password="Xy7kP")) == "Hello Bob's Garage"


def test_password_marker_is_dropped_without_a_password() -> None:
    assert render_template("a$passwordb", _vars()) == "ab"


# --- autolinking -----------------------------------------------------------------------------------


def test_bare_urls_are_autolinked() -> None:
    assert render_template("See https://example.org/x.", _vars()) == (
        'See <a href="https://example.org/x">https://example.org/x</a>.'
    )
    assert render_template("See www.example.org today", _vars()) == (
        'See <a href="http://www.example.org">www.example.org</a> today'
    )
    assert render_template("(https://example.org/x)", _vars()) == (
        '(<a href="https://example.org/x">https://example.org/x</a>)'
    )


def test_urls_glued_to_text_are_not_autolinked() -> None:
    assert render_template("id=https://example.org", _vars()) == "id=https://example.org"


def test_long_urls_get_a_shortened_label() -> None:
    url = "https://example.org/" + "a" * 100
    rendered = render_template(url, _vars())
    assert rendered == f'<a href="{url}" title="{url}">{url[:97]}...</a>'


def test_subject_is_filled_and_autolinked_too() -> None:
    rendered = render_email("invoice", _vars(account="www.acme.test"))
    assert rendered.subject == 'New invoice 0007 from <a href="http://www.acme.test">www.acme.test</a>'


# --- whole emails ----------------------------------------------------------------------------------


def test_render_email_html_document() -> None:
    rendered = render_email("invoice", _vars())
    assert rendered.html == (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n</head>\n<body>\n'
        "<div>Bob's Garage,</div><br />"
        "<div>To view your invoice for $1,234.50, click the link below.</div><br />"
        f'<div><a href="{VIEW}">{VIEW}</a></div><br />'
        "<p><div>Regards,\n<br>Acme Ltd</div></p>\n"
        "</body>\n</html>\n"
    )


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("invoice", "To view your invoice for $1,234.50, click the link below."),
        ("quote", "To view your quote for $1,234.50, click the link below."),
        ("payment", "Thank you for your payment of $1,234.50."),
        ("reminder1", "To view your invoice for $1,234.50, click the link below."),
    ],
)
def test_render_email_text_part(kind: str, message: str) -> None:
    assert render_email(kind, _vars()).text == f"Bob's Garage,\n\n{message}\n\n{VIEW}\n\nRegards,\nAcme Ltd"


def test_text_part_of_a_button_keeps_the_url() -> None:
    rendered = render_email("invoice", _vars(), body=default_body("invoice", buttons=True))
    assert rendered.text == (
        "Bob's Garage,\n\n"
        "To view your invoice for $1,234.50, click the button below.\n\n"
        f"View Invoice ({VIEW})\n\n"
        "Regards,\nAcme Ltd"
    )


def test_text_part_with_a_password() -> None:
    rendered = render_email("invoice", _vars(password="Xy7kP"))
    assert rendered.text == (
        "Bob's Garage,\n\n"
        "To view your invoice for $1,234.50, click the link below.\n\n"
        f"{VIEW}\n\n"
        "Password: Xy7kP\n\n"
        "Regards,\nAcme Ltd"
    )


def test_html_to_text() -> None:
    text = html_to_text("<p>Tom &amp; Jerry&nbsp;Ltd</p><p>a\n   b<br>c</p>")
    assert text == "Tom & Jerry\xa0Ltd\n\na b\nc"
    assert html_to_text('<a href="https://x.test/p">the portal</a>') == "the portal (https://x.test/p)"
    assert html_to_text('<a href="mailto:a@x.test">a@x.test</a>') == "a@x.test"
    assert html_to_text("<ul><li>one</li><li>two</li></ul>") == "one\ntwo"
    assert html_to_text("<head><style>p {}</style></head><div>hi</div><!-- note -->") == "hi"


def test_custom_subject_and_body_override_the_defaults() -> None:
    rendered = render_email(
        "invoice",
        _vars(),
        subject="Invoice $invoice is due $dueDate",
        body="<p>Hi $firstName, please pay $balance: $paymentLink</p>",
    )
    assert rendered.subject == "Invoice 0007 is due Mar 5, 2024"
    payment = "https://sandbox.test/payment/inv123"
    assert f'<body>\n<p>Hi Bob, please pay $1,234.50: <a href="{payment}">{payment}</a></p>\n</body>' in (
        rendered.html
    )
    assert rendered.text == f"Hi Bob, please pay $1,234.50: {payment}"


def test_custom_subject_only_keeps_the_default_body() -> None:
    rendered = render_email("quote", _vars(), subject="Your quote")
    assert rendered.subject == "Your quote"
    assert "To view your quote for $1,234.50, click the link below." in rendered.html


@pytest.mark.parametrize("empty", [None, "", "0"])
def test_empty_overrides_fall_back_to_the_defaults(empty: str | None) -> None:
    rendered = render_email("reminder2", _vars(), subject=empty, body=empty)
    assert rendered == render_email("reminder2", _vars())
    assert rendered.subject == "Reminder: Invoice 0007 from Acme Ltd"


def test_ninja_footer() -> None:
    rendered = render_email("payment", _vars(), ninja_footer=True)
    assert rendered.html.endswith(
        '<br/>\nCreated by <a href="https://www.invoiceninja.com?utm_source=email_footer">Invoice Ninja</a>'
        " | Create. Send. Get Paid.\n</body>\n</html>\n"
    )
    assert rendered.text.endswith(
        "Regards,\nAcme Ltd\n\n"
        "Created by https://www.invoiceninja.com?utm_source=email_footer | Create. Send. Get Paid."
    )


def test_rendered_email_is_frozen() -> None:
    rendered = render_email("invoice", _vars())
    with pytest.raises(dataclasses.FrozenInstanceError):
        rendered.subject = "x"  # type: ignore[misc]
