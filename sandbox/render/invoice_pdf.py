"""An invoice or quote as a PDF: the records turned into a ``PdfDocument``, then rendered.

The figures printed are the stored ones (amount, balance) and the same totals algorithm the API
uses for the breakdown (subtotal, discount, taxes), so the PDF always agrees with the JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.models.clients import active_contacts, display_name
from sandbox.models.dates import account_date_format, format_date
from sandbox.models.invoice_items import totals_lines
from sandbox.models.money import currency_for, format_money
from sandbox.models.php import php_round
from sandbox.models.static_data import StaticData
from sandbox.models.totals import InvoiceTotalsInput, compute_totals, line_base
from sandbox.pdf import PdfDocument, PdfLine, PdfParty, PdfTotal, render_pdf
from sandbox.store import Record, Store


def _address(static: StaticData, record: Record) -> list[str]:
    lines = [str(record.get(name) or "") for name in ("address1", "address2")]
    place = " ".join(str(record.get(name) or "") for name in ("city", "state", "postal_code")).strip()
    lines.append(place)
    country_id = record.get("country_id")
    country = next((row for row in static.tables["countries"] if row["id"] == country_id), None)
    if country is not None:
        lines.append(str(country["name"]))
    return [line for line in lines if line.strip()]


def _number(value: Any) -> str:
    text = f"{float(value or 0):.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _taxes(item: Record) -> str:
    parts = []
    for index in (1, 2):
        rate = float(item.get(f"tax_rate{index}") or 0)
        if rate:
            parts.append(f"{item.get(f'tax_name{index}') or ''} {_number(rate)}%".strip())
    return ", ".join(parts)


def _items(store: Store, invoice: Record) -> list[Record]:
    found = store.find("invoice_items", "invoice_id", invoice["public_id"], invoice["account_id"])
    return sorted(found, key=lambda row: row["doc_id"])


def _breakdown(invoice: Record, items: list[Record], money: Any, inclusive: bool) -> list[PdfTotal]:
    amount_mode = bool(invoice.get("is_amount_discount"))
    totals = compute_totals(
        InvoiceTotalsInput(
            items=totals_lines(items),
            discount=invoice.get("discount"),
            is_amount_discount=amount_mode,
            custom_taxes1=bool(invoice.get("custom_taxes1")),
            custom_taxes2=bool(invoice.get("custom_taxes2")),
            custom_value1=invoice.get("custom_value1") or 0,
            custom_value2=invoice.get("custom_value2") or 0,
        )
    )
    rows = [PdfTotal("Subtotal", money(totals.subtotal))]
    base = totals.subtotal
    discount = float(invoice.get("discount") or 0)
    if discount:
        value = discount if amount_mode else php_round(totals.subtotal * discount / 100, 2)
        rows.append(PdfTotal("Discount" if amount_mode else f"Discount {_number(discount)}%", money(-value)))
        base -= value
    for index in (1, 2):
        surcharge = float(invoice.get(f"custom_value{index}") or 0)
        if surcharge and invoice.get(f"custom_taxes{index}"):
            rows.append(PdfTotal("Surcharge", money(surcharge)))
            base += surcharge
    if not inclusive:
        for index in (1, 2):
            rate = float(invoice.get(f"tax_rate{index}") or 0)
            if rate:
                label = f"{invoice.get(f'tax_name{index}') or 'Tax'} {_number(rate)}%"
                rows.append(PdfTotal(label, money(php_round(base * rate / 100, 2))))
        if totals.item_tax:
            rows.append(PdfTotal("Item Tax", money(totals.item_tax)))
    for index in (1, 2):
        surcharge = float(invoice.get(f"custom_value{index}") or 0)
        if surcharge and not invoice.get(f"custom_taxes{index}"):
            rows.append(PdfTotal("Surcharge", money(surcharge)))
    amount = float(invoice.get("amount") or 0)
    balance = float(invoice.get("balance") or 0)
    rows.append(PdfTotal("Total", money(amount)))
    if amount != balance:
        rows.append(PdfTotal("Paid to Date", money(amount - balance)))
    partial = float(invoice.get("partial") or 0)
    if partial > 0:
        rows.append(PdfTotal("Partial Due", money(partial)))
    rows.append(PdfTotal("Balance Due", money(balance), strong=True))
    return rows


def invoice_document(store: Store, static: StaticData, invoice: Record) -> PdfDocument:
    """What the PDF of this invoice or quote shows."""
    account = store.get("accounts", int(invoice["account_id"])) or {}
    client = store.get_public("clients", int(invoice["account_id"]), int(invoice["client_id"])) or {}
    contacts = active_contacts(store, client) if client else []
    currency = currency_for(static, account, client)

    def money(value: Any) -> str:
        return format_money(value, currency)

    date_format = account_date_format(static, account)
    quote = invoice.get("invoice_type_id") == 2
    details = [
        ("Quote Date" if quote else "Invoice Date", format_date(invoice.get("invoice_date"), date_format)),
        ("Valid Until" if quote else "Due Date", format_date(invoice.get("due_date"), date_format)),
        ("PO Number", str(invoice.get("po_number") or "")),
    ]
    items = _items(store, invoice)
    lines = tuple(
        PdfLine(
            product_key=str(item.get("product_key") or ""),
            notes=str(item.get("notes") or ""),
            unit_cost=money(item.get("cost")),
            qty=_number(item.get("qty")),
            discount=_number(item.get("discount")) if float(item.get("discount") or 0) else "",
            taxes=_taxes(item),
            line_total=money(
                php_round(line_base(totals_lines([item])[0], bool(invoice.get("is_amount_discount"))), 2)
            ),
        )
        for item in items
    )
    company_lines = _address(static, account) + [
        str(account.get(k) or "") for k in ("work_email", "work_phone", "vat_number")
    ]
    primary = next((c for c in contacts if c.get("is_primary")), contacts[0] if contacts else {})
    client_lines = [*_address(static, client), str(primary.get("email") or "")]
    client_lines.append(str(client.get("vat_number") or ""))
    return PdfDocument(
        title="Quote" if quote else "Invoice",
        number=str(invoice.get("invoice_number") or ""),
        details=tuple((label, value) for label, value in details if value),
        company=PdfParty(str(account.get("name") or ""), tuple(line for line in company_lines if line)),
        client=PdfParty(
            display_name(client, contacts) if client else "", tuple(line for line in client_lines if line)
        ),
        lines=lines,
        totals=tuple(_breakdown(invoice, items, money, bool(account.get("inclusive_taxes")))),
        public_notes=str(invoice.get("public_notes") or ""),
        terms=str(invoice.get("terms") or ""),
        footer=str(invoice.get("invoice_footer") or ""),
        created=datetime.fromtimestamp(int(invoice.get("updated_at") or 0), UTC),
    )


def invoice_pdf(store: Store, static: StaticData, invoice: Record) -> bytes:
    """The PDF bytes of an invoice or quote."""
    return render_pdf(invoice_document(store, static, invoice))
