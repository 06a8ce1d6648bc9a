"""What an invoice or quote PDF shows, as plain text already formatted by the caller.

Nothing here knows about the store or about money: amounts, dates and quantities arrive as the
strings to print, so the renderer only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class PdfParty:
    """A company or client block: a name and the lines under it (address, email, phone, VAT...)."""

    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PdfLine:
    """One row of the line-item table, each cell as it should be printed."""

    product_key: str
    notes: str
    unit_cost: str
    qty: str
    discount: str
    taxes: str
    line_total: str


@dataclass(frozen=True, slots=True)
class PdfTotal:
    """One row of the totals block; ``strong`` rows (the balance due) are emphasised."""

    label: str
    amount: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class PdfLabels:
    """The fixed captions of the layout, so a caller can print them in another language."""

    number: str = "Number"
    bill_to: str = "Bill To"
    item: str = "Item"
    description: str = "Description"
    unit_cost: str = "Unit Cost"
    qty: str = "Qty"
    discount: str = "Discount"
    tax: str = "Tax"
    line_total: str = "Line Total"
    notes: str = "Notes"
    terms: str = "Terms"
    # ``{page}`` and ``{pages}`` are replaced by the page number and the page count.
    page_of: str = "Page {page} of {pages}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PdfDocument:
    """Everything drawn on an invoice or quote PDF."""

    title: str  # "Invoice" or "Quote"
    number: str
    details: tuple[tuple[str, str], ...] = ()  # (label, value) pairs under the number
    company: PdfParty
    client: PdfParty
    lines: tuple[PdfLine, ...] = ()
    totals: tuple[PdfTotal, ...] = ()  # in print order; the balance due is the strong one
    public_notes: str = ""
    terms: str = ""
    footer: str = ""
    created: datetime  # the PDF's creation date; a naive value is taken as UTC
    accent: str = "#37a3c6"  # "#rrggbb"; anything unparsable falls back to this default
    labels: PdfLabels = field(default_factory=PdfLabels)
