"""The billing sections: clients, invoices, quotes and payments."""

from __future__ import annotations

from typing import Any

from sandbox.api.clients import CLIENTS
from sandbox.api.invoices import INVOICES
from sandbox.api.payments import PAYMENTS
from sandbox.dashboard.cells import (
    Cell,
    Column,
    Related,
    Section,
    client_cell,
    linked,
    num,
    status_cell,
    text,
)
from sandbox.dashboard.company import Company, Row
from sandbox.dashboard.statuses import invoice_status, payment_status, plain_status, quote_status
from sandbox.models.clients import contact_display_name

STANDARD = {"invoice_type_id": 1, "is_recurring": 0}
QUOTES = {"invoice_type_id": 2, "is_recurring": 0}


# -- clients --------------------------------------------------------------------------------------


def _primary_contact(row: Row) -> Row:
    contacts = row.get("contacts") or []
    return next((c for c in contacts if c.get("is_primary")), contacts[0] if contacts else {})


def _client_facts(company: Company, row: Row) -> list[tuple[str, Cell]]:
    place = " ".join(str(row.get(k) or "") for k in ("postal_code", "city")).strip()
    address = ", ".join(part for part in (row.get("address1"), row.get("address2"), place) if part)
    currency = company.currency(row["id"])
    return [
        ("Balance", Cell(company.money(row.get("balance"), row["id"]), kind="strong")),
        ("Paid to date", text(company.money(row.get("paid_to_date"), row["id"]))),
        ("Address", text(address)),
        ("Phone", text(row.get("work_phone"))),
        ("Website", text(row.get("website"))),
        ("VAT number", text(row.get("vat_number"))),
        ("ID number", text(row.get("id_number"))),
        ("Currency", text(f"{currency.get('name')} ({currency.get('code')})")),
        ("Payment terms", text(f"{row.get('payment_terms')} days" if row.get("payment_terms") else "")),
        ("Public notes", text(row.get("public_notes"))),
        ("Private notes", text(row.get("private_notes"))),
    ]


CONTACT_COLUMNS = (
    Column("name", "Name", lambda c, row: text(contact_display_name(row) or "—")),
    Column("email", "Email", lambda c, row: text(row.get("email"))),
    Column("phone", "Phone", lambda c, row: text(row.get("phone")), optional=True),
    Column("primary", "Primary", lambda c, row: text("Yes" if row.get("is_primary") else "")),
)

CLIENT_SECTION = Section(
    slug="clients",
    title="Clients",
    singular="client",
    resource=CLIENTS,
    columns=(
        Column("name", "Name", linked("clients", "display_name")),
        Column("contact", "Contact", lambda c, row: text(_primary_contact(row).get("email")), optional=True),
        Column("city", "City", lambda c, row: text(row.get("city")), optional=True),
        Column("balance", "Balance", lambda c, row: num(c.money(row.get("balance"), row["id"])), True),
        Column(
            "paid",
            "Paid to date",
            lambda c, row: num(c.money(row.get("paid_to_date"), row["id"])),
            True,
            True,
        ),
        Column("status", "Status", status_cell(plain_status)),
    ),
    label=lambda c, row: str(row.get("display_name") or row.get("name") or f"Client {row['id']}"),
    search=lambda c, row: " ".join(
        [str(row.get(k) or "") for k in ("display_name", "city", "vat_number", "id_number", "work_phone")]
        + [f"{contact.get('email')} {contact_display_name(contact)}" for contact in row.get("contacts") or []]
    ),
    facts=_client_facts,
    status=plain_status,
    related=(
        Related("Contacts", lambda c, row: list(row.get("contacts") or []), columns=CONTACT_COLUMNS),
        Related(
            "Invoices",
            lambda c, row: c.listed(INVOICES, client_id=row["id"], **STANDARD),
            "invoices",
            hide=("client",),
        ),
        Related(
            "Quotes",
            lambda c, row: c.listed(INVOICES, client_id=row["id"], **QUOTES),
            "quotes",
            hide=("client",),
        ),
        Related(
            "Payments", lambda c, row: c.listed(PAYMENTS, client_id=row["id"]), "payments", hide=("client",)
        ),
    ),
)

# -- invoices and quotes --------------------------------------------------------------------------


def _document_facts(company: Company, row: Row) -> list[tuple[str, Cell]]:
    quote = row.get("invoice_type_id") == 2
    client_id = row.get("client_id")
    facts = [
        ("Client", client_cell(company, client_id)),
        ("Amount", Cell(company.money(row.get("amount"), client_id), kind="strong")),
        ("Balance", text(company.money(row.get("balance"), client_id))),
        ("Quote date" if quote else "Invoice date", text(company.date(row.get("invoice_date")))),
        ("Valid until" if quote else "Due date", text(company.date(row.get("due_date")))),
        ("PO number", text(row.get("po_number"))),
    ]
    if row.get("partial"):
        facts.append(("Partial due", text(company.money(row.get("partial"), client_id))))
    if row.get("quote_invoice_id"):
        invoice_id = row["quote_invoice_id"]
        facts.append(("Converted to", text(f"Invoice #{invoice_id}", f"/invoices/{invoice_id}")))
    return facts


def _document_search(company: Company, row: Row) -> str:
    return f"{row.get('invoice_number')} {company.client_name(row.get('client_id'))} {row.get('po_number')}"


def _document_columns(section: str, quote: bool) -> tuple[Column, ...]:
    columns = [
        Column("number", "Number", linked(section, "invoice_number")),
        Column("client", "Client", lambda c, row: client_cell(c, row.get("client_id"))),
        Column(
            "date", "Date", lambda c, row: text(c.date(row.get("invoice_date")), kind="nowrap"), optional=True
        ),
        Column(
            "due",
            "Valid until" if quote else "Due",
            lambda c, row: text(c.date(row.get("due_date")), kind="nowrap"),
            optional=True,
        ),
        Column(
            "amount", "Amount", lambda c, row: num(c.money(row.get("amount"), row.get("client_id"))), True
        ),
    ]
    if not quote:
        columns.append(
            Column(
                "balance",
                "Balance",
                lambda c, row: num(c.money(row.get("balance"), row.get("client_id"))),
                True,
                True,
            )
        )
    columns.append(Column("status", "Status", status_cell(quote_status if quote else invoice_status)))
    return tuple(columns)


INVOICE_SECTION = Section(
    slug="invoices",
    title="Invoices",
    singular="invoice",
    resource=INVOICES,
    columns=_document_columns("invoices", quote=False),
    label=lambda c, row: f"Invoice {row.get('invoice_number') or row['id']}",
    search=_document_search,
    facts=_document_facts,
    status=invoice_status,
    filters=STANDARD,
)

QUOTE_SECTION = Section(
    slug="quotes",
    title="Quotes",
    singular="quote",
    resource=INVOICES,
    columns=_document_columns("quotes", quote=True),
    label=lambda c, row: f"Quote {row.get('invoice_number') or row['id']}",
    search=_document_search,
    facts=_document_facts,
    status=quote_status,
    filters=QUOTES,
    api_segment="invoices",
)

# -- payments -------------------------------------------------------------------------------------


def _payment_client(company: Company, row: Row) -> Any:
    return company.invoices.get(int(row.get("invoice_id") or 0), {}).get("client_id")


def _payment_amount(company: Company, row: Row) -> str:
    return company.money(row.get("amount"), _payment_client(company, row))


def _payment_facts(company: Company, row: Row) -> list[tuple[str, Cell]]:
    client_id = _payment_client(company, row)
    return [
        ("Amount", Cell(_payment_amount(company, row), kind="strong")),
        ("Refunded", text(company.money(row.get("refunded"), client_id) if row.get("refunded") else "")),
        ("Date", text(company.date(row.get("payment_date")))),
        ("Invoice", Cell(str(row.get("invoice_number") or ""), f"/invoices/{row.get('invoice_id')}")),
        ("Client", client_cell(company, client_id) if client_id else Cell("")),
        ("Type", text(company.static_name("paymentTypes", row.get("payment_type_id")))),
        ("Reference", Cell(str(row.get("transaction_reference") or ""), kind="mono")),
        ("Private notes", text(row.get("private_notes"))),
    ]


PAYMENT_SECTION = Section(
    slug="payments",
    title="Payments",
    singular="payment",
    resource=PAYMENTS,
    columns=(
        Column(
            "date",
            "Date",
            lambda c, row: Cell(
                c.date(row.get("payment_date")) or "—", f"/payments/{row['id']}", "strong nowrap"
            ),
        ),
        Column(
            "invoice",
            "Invoice",
            lambda c, row: text(row.get("invoice_number"), f"/invoices/{row.get('invoice_id')}"),
            optional=True,
        ),
        Column("client", "Client", lambda c, row: client_cell(c, _payment_client(c, row)), optional=True),
        Column(
            "type",
            "Type",
            lambda c, row: text(c.static_name("paymentTypes", row.get("payment_type_id"))),
            optional=True,
        ),
        Column("amount", "Amount", lambda c, row: num(_payment_amount(c, row)), True),
        Column("status", "Status", status_cell(payment_status)),
    ),
    label=lambda c, row: f"Payment of {_payment_amount(c, row)}",
    search=lambda c, row: " ".join(
        str(v or "")
        for v in (
            row.get("invoice_number"),
            row.get("transaction_reference"),
            c.client_name(_payment_client(c, row)),
        )
    ),
    facts=_payment_facts,
    status=payment_status,
)
