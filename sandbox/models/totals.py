"""Invoice totals: subtotal, item tax, amount, balance and partial, computed the way v4 saves them.

This follows the block of ``InvoiceRepository::save`` that runs from ``$total = 0`` to
``$invoice->amount = $total`` (reference: v4-entities.md §5, checked against that PHP block on 3,000
random invoices): cost and qty are cut to 4 decimals, each line loses its item discount (an amount or
a percent, as the *invoice's* ``is_amount_discount`` says), the lines are summed at 2 decimals, item
taxes are taken on each line less its share of the invoice discount, then the invoice discount,
taxed surcharges, invoice taxes (unless the account's taxes are inclusive), item taxes and untaxed
surcharges follow. Every rounding uses ``php_round`` rather than Python's ``round``: PHP rounds half
away from zero after pre-rounding to 15 significant digits (``1.005`` gives ``1.01``), while Python
rounds the exact binary value half to even, and the two disagree on exactly the ties invoices hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sandbox.models.php import parse_float, php_round, truthy

# A raw numeric input as the request carries it; ``parse_float`` reads it the way v4 does.
Number = float | int | str | None


@dataclass(frozen=True)
class LineItem:
    """One invoice item as sent (after ``prepareItem`` defaults); only the numbers count for totals."""

    cost: Number = 0
    qty: Number = 1
    discount: Number = 0
    tax_rate1: Number = 0
    tax_rate2: Number = 0
    product_key: str | None = ""
    notes: str | None = ""
    custom_value1: str | None = ""
    custom_value2: str | None = ""


@dataclass(frozen=True)
class InvoiceTotalsInput:
    """What the totals depend on.

    ``custom_taxes1/2`` must be the account's ``custom_invoice_taxes1/2`` for a new invoice (the
    request's values are not fillable), and ``inclusive_taxes`` the account's setting. ``partial`` is
    None when the request did not send one.
    """

    items: Sequence[LineItem] = ()
    discount: Number = 0
    is_amount_discount: bool = False
    tax_rate1: Number = 0
    tax_rate2: Number = 0
    custom_value1: Number = 0
    custom_value2: Number = 0
    custom_taxes1: bool = False
    custom_taxes2: bool = False
    inclusive_taxes: bool = False
    partial: Number = None


@dataclass(frozen=True)
class Totals:
    """The computed figures.

    ``item_tax`` is step 3's sum, which is added to the amount only when taxes are exclusive.
    ``partial`` is None when no partial was sent (the stored one is kept).
    """

    subtotal: float
    item_tax: float
    amount: float
    balance: float
    partial: float | None


def _round4(value: Number) -> float:
    """``Utils::roundSignificant`` on a parsed number: at most 4 decimals."""
    return php_round(parse_float(value), 4)


def _is_blank(item: LineItem) -> bool:
    """The subtotal's skip test: cost, product_key and notes all empty (PHP truthiness)."""
    return not truthy(item.cost) and not truthy(item.product_key) and not truthy(item.notes)


def line_base(item: LineItem, is_amount_discount: bool) -> float:
    """Step 1: cost x qty less the item discount, unrounded."""
    line = _round4(item.cost) * _round4(item.qty)
    discount = php_round(parse_float(item.discount), 2)
    if discount != 0:
        if is_amount_discount:
            line -= discount
        else:
            line -= php_round(line * discount / 100, 4)
    return line


def compute_totals(
    invoice: InvoiceTotalsInput, *, old_amount: float | None = None, old_balance: float | None = None
) -> Totals:
    """Steps 1-10 of v4's save: amount, balance (new, or update when old values are given) and partial."""
    amount_mode = invoice.is_amount_discount
    discount = php_round(parse_float(invoice.discount), 2)
    surcharge1 = php_round(parse_float(invoice.custom_value1), 2)
    surcharge2 = php_round(parse_float(invoice.custom_value2), 2)

    # Step 2: subtotal of the rounded lines, skipping blank rows.
    total = 0.0
    for item in invoice.items:
        if _is_blank(item):
            continue
        total += php_round(line_base(item, amount_mode), 2)
    subtotal = total

    # Step 3: item taxes on every row, each line less its share of the invoice discount.
    item_tax = 0.0
    for item in invoice.items:
        line = line_base(item, amount_mode)
        if discount > 0:
            if amount_mode:
                if total != 0:
                    line -= php_round(line / total * discount, 4)
            else:
                line -= php_round(line * discount / 100, 4)
        for raw_rate in (item.tax_rate1, item.tax_rate2):
            rate = parse_float(raw_rate)
            if rate != 0:
                item_tax += php_round(line * rate / 100, 2)

    # Step 4: invoice discount.
    if discount != 0:
        if amount_mode:
            total -= discount
        else:
            total -= php_round(total * discount / 100, 2)

    # Step 5: taxed surcharges.
    if surcharge1 != 0 and invoice.custom_taxes1:
        total += surcharge1
    if surcharge2 != 0 and invoice.custom_taxes2:
        total += surcharge2

    # Step 6: invoice and item taxes, unless prices already include them.
    if not invoice.inclusive_taxes:
        tax1 = php_round(total * parse_float(invoice.tax_rate1) / 100, 2)
        tax2 = php_round(total * parse_float(invoice.tax_rate2) / 100, 2)
        total = php_round(total + tax1 + tax2, 2)
        total += item_tax

    # Step 7: untaxed surcharges.
    if surcharge1 != 0 and not invoice.custom_taxes1:
        total += surcharge1
    if surcharge2 != 0 and not invoice.custom_taxes2:
        total += surcharge2

    # Steps 8-10: the stored amount, the balance and the clamped partial.
    amount = php_round(total, 2)
    if old_amount is None or old_balance is None:
        balance = amount
    else:
        balance = php_round(total - (old_amount - old_balance), 2)
    partial = None
    if invoice.partial is not None:
        partial = max(0.0, min(php_round(parse_float(invoice.partial), 2), balance))
    return Totals(
        subtotal=php_round(subtotal, 2),
        item_tax=php_round(item_tax, 2),
        amount=amount,
        balance=balance,
        partial=partial,
    )
