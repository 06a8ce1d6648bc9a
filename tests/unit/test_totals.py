"""Invoice totals against figures worked out by hand from v4-entities.md §5 (steps 1-10).

Every expected value is a literal derived on paper from the reference algorithm; the comment on each
case shows the arithmetic. ``r2(x)`` means PHP ``round(x, 2)`` (half away from zero), ``r4`` the same
at 4 places; "share" is a line's part of the invoice discount used for its item taxes (step 3).
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.totals_cases import CASES, invoice_input, line

from sandbox.models.php import php_round
from sandbox.models.totals import InvoiceTotalsInput, LineItem, Totals, compute_totals


@pytest.mark.parametrize(("invoice", "subtotal", "item_tax", "amount"), CASES)
def test_amount(invoice: InvoiceTotalsInput, subtotal: float, item_tax: float, amount: float) -> None:
    totals = compute_totals(invoice)
    assert totals.amount == amount
    assert totals.subtotal == subtotal
    assert totals.item_tax == item_tax
    assert totals.balance == amount
    assert totals.partial is None


def test_case_count() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("items", "old_amount", "old_balance", "balance"),
    [
        # 100 - (80 - 30) = 50: the 50 paid is kept
        pytest.param((line(100),), 80.0, 30.0, 50.0, id="partly-paid"),
        # 120 - (100 - 0) = 20
        pytest.param((line(120),), 100.0, 0.0, 20.0, id="paid-then-raised"),
        # 60 - (100 - 0) = -40: lowering below what was paid goes negative
        pytest.param((line(60),), 100.0, 0.0, -40.0, id="lowered-below-paid"),
        # unpaid: 75 - (50 - 50) = 75
        pytest.param((line(75),), 50.0, 50.0, 75.0, id="unpaid"),
        # 0.30000000000000004 - (0.3 - 0.1) = 0.10000000000000006 -> r2 = 0.1
        pytest.param((line(0.1), line(0.2)), 0.3, 0.1, 0.1, id="float-noise"),
    ],
)
def test_balance_on_update(
    items: tuple[LineItem, ...], old_amount: float, old_balance: float, balance: float
) -> None:
    totals = compute_totals(invoice_input(*items), old_amount=old_amount, old_balance=old_balance)
    assert totals.balance == balance


def test_new_invoice_balance_is_amount() -> None:
    # 2 x 12.5 = 25
    assert compute_totals(invoice_input(line(12.5, 2))) == Totals(25.0, 0.0, 25.0, 25.0, None)


@pytest.mark.parametrize(
    ("partial", "amount", "expected"),
    [
        pytest.param(30, 100, 30.0, id="within"),
        pytest.param(-5, 100, 0.0, id="negative-to-zero"),
        pytest.param(150, 100, 100.0, id="above-balance"),
        pytest.param("25.555", 100, 25.56, id="rounded-tie"),  # r2(25.555) = 25.56
        pytest.param(0, 100, 0.0, id="zero"),
        pytest.param(10, -50, 0.0, id="negative-balance"),  # max(0, min(10, -50)) = 0
    ],
)
def test_partial_clamped(partial: Any, amount: float, expected: float) -> None:
    assert compute_totals(invoice_input(line(amount), partial=partial)).partial == expected


def test_partial_clamped_to_updated_balance() -> None:
    # balance 100 - (100 - 40) = 40; partial 60 -> 40
    totals = compute_totals(invoice_input(line(100), partial=60), old_amount=100.0, old_balance=40.0)
    assert totals.balance == 40.0
    assert totals.partial == 40.0


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        pytest.param(1.005, 2, 1.01, id="1.005"),  # Python round gives 1.0
        pytest.param(2.675, 2, 2.68, id="2.675"),  # Python round gives 2.67
        pytest.param(0.125, 2, 0.13, id="0.125"),  # Python round gives 0.12
        pytest.param(0.285, 2, 0.29, id="0.285"),
        pytest.param(-1.005, 2, -1.01, id="negative"),
        pytest.param(2.5, 0, 3.0, id="2.5-to-int"),  # Python round gives 2
        pytest.param(-2.5, 0, -3.0, id="minus-2.5-to-int"),
        pytest.param(4.9995, 2, 5.0, id="4.9995"),
        pytest.param(1.0049999, 2, 1.0, id="below-tie"),
        pytest.param(0.00005, 4, 0.0001, id="4-places"),
    ],
)
def test_php_round_ties(value: float, places: int, expected: float) -> None:
    assert php_round(value, places) == expected
