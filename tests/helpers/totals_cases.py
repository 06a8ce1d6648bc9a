"""Invoices with totals worked out by hand from v4-entities.md §5 (steps 1-10), shared by the unit
and API tests.

Every expected value is a literal derived on paper from the reference algorithm; the comment on each
case shows the arithmetic. ``r2(x)`` means PHP ``round(x, 2)`` (half away from zero), ``r4`` the same
at 4 places; "share" is a line's part of the invoice discount used for its item taxes (step 3).
"""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.models.totals import InvoiceTotalsInput, LineItem


def line(cost: Any, qty: Any = 1, **extra: Any) -> LineItem:
    return LineItem(cost=cost, qty=qty, **extra)


def invoice_input(*items: LineItem, **extra: Any) -> InvoiceTotalsInput:
    return InvoiceTotalsInput(items=items, **extra)


AMT = {"is_amount_discount": True}

# (invoice, subtotal, item_tax, amount); None means "not asserted for this case".
CASES = [
    # --- plain lines ---
    # 1 x 10 = 10
    pytest.param(invoice_input(line(10)), 10.0, 0.0, 10.0, id="plain-single"),
    # 2 x 10 = 20; 3 x 5.5 = 16.5; 20 + 16.5 = 36.5
    pytest.param(invoice_input(line(10, 2), line(5.5, 3)), 36.5, 0.0, 36.5, id="plain-two-lines"),
    # 0.1 + 0.2 + 0.3 = 0.6 (binary noise removed by the final r2)
    pytest.param(invoice_input(line(0.1), line(0.2), line(0.3)), 0.6, 0.0, 0.6, id="plain-binary-noise"),
    # --- qty fractions and 4-decimal inputs ---
    # 1.5 x 20 = 30
    pytest.param(invoice_input(line(20, 1.5)), 30.0, 0.0, 30.0, id="qty-fraction"),
    # 0.333 x 10 = 3.33
    pytest.param(invoice_input(line(10, 0.333)), 3.33, 0.0, 3.33, id="qty-three-decimals"),
    # qty r4(0.12345) = 0.1235 (tie up); 0.1235 x 1000 = 123.5 (unrounded qty would give 123.45)
    pytest.param(invoice_input(line(1000, 0.12345)), 123.5, 0.0, 123.5, id="qty-rounded-to-4"),
    # 5.555 x 3 = 16.665 -> r2 = 16.67
    pytest.param(invoice_input(line(5.555, 3)), 16.67, 0.0, 16.67, id="cost-3-decimals-line-tie"),
    # cost r4(1.00004) = 1.0; 1.0 x 1000 = 1000 (unrounded cost would give 1000.04)
    pytest.param(invoice_input(line(1.00004, 1000)), 1000.0, 0.0, 1000.0, id="cost-5-decimals-cut-to-4"),
    # cost r4(0.00005) = 0.0001; x 1000 = 0.1 (unrounded 0.05)
    pytest.param(invoice_input(line(0.00005, 1000)), 0.1, 0.0, 0.1, id="cost-tiny-rounded-up-to-4"),
    # 3 lines of 0.3333: each r2 = 0.33; 0.99 (not r2(0.9999) = 1.00)
    pytest.param(
        invoice_input(line(0.3333), line(0.3333), line(0.3333)),
        0.99,
        0.0,
        0.99,
        id="cost-4-decimals-lines-rounded",
    ),
    # --- item discounts ---
    # 100 - r4(100 x 10%) = 90
    pytest.param(invoice_input(line(100, discount=10)), 90.0, 0.0, 90.0, id="item-percent-discount"),
    # 3 x 3.33 = 9.99; r4(9.99 x 15%) = 1.4985; 8.4915 -> r2 = 8.49
    pytest.param(
        invoice_input(line(3.33, 3, discount=15)), 8.49, 0.0, 8.49, id="item-percent-discount-rounding"
    ),
    # cost r4(1.11111) = 1.1111; r4(1.1111 x 33.33%) = r4(0.37032963) = 0.3703; 0.7408 -> 0.74
    pytest.param(
        invoice_input(line(1.11111, discount=33.33)), 0.74, 0.0, 0.74, id="item-percent-discount-4dp"
    ),
    # discount r2(10.005) = 10.01; 100 - 10.01 = 89.99
    pytest.param(
        invoice_input(line(100, discount=10.005)), 89.99, 0.0, 89.99, id="item-discount-rounded-to-2"
    ),
    # r4(0.0499 x 50%) = r4(0.02495) = 0.025 (4-place tie, up); 0.0499 - 0.025 = 0.0249 -> 0.02
    pytest.param(
        invoice_input(line(0.0499, discount=50)), 0.02, 0.0, 0.02, id="item-percent-discount-4-place-tie"
    ),
    # amount mode: 2 x 25 = 50; 50 - 7.5 = 42.5
    pytest.param(invoice_input(line(25, 2, discount=7.5), **AMT), 42.5, 0.0, 42.5, id="item-amount-discount"),
    # amount mode: (10 - 1) + (20 - 2.5) = 9 + 17.5 = 26.5
    pytest.param(
        invoice_input(line(10, discount=1), line(20, discount=2.5), **AMT),
        26.5,
        0.0,
        26.5,
        id="item-amount-two-lines",
    ),
    # --- invoice discounts ---
    # 40 + 60 = 100; 100 - r2(100 x 12.5%) = 87.5
    pytest.param(
        invoice_input(line(40), line(60), discount=12.5), 100.0, 0.0, 87.5, id="invoice-percent-discount"
    ),
    # 33.33; r2(33.33 x 15%) = r2(4.9995) = 5.00; 28.33
    pytest.param(
        invoice_input(line(33.33), discount=15), 33.33, 0.0, 28.33, id="invoice-percent-discount-tie"
    ),
    # amount mode: 100 - 15.25 = 84.75
    pytest.param(
        invoice_input(line(100), discount=15.25, **AMT), 100.0, 0.0, 84.75, id="invoice-amount-discount"
    ),
    # amount mode: discount r2(10.555) = 10.56; 100 - 10.56 = 89.44
    pytest.param(
        invoice_input(line(100), discount=10.555, **AMT),
        100.0,
        0.0,
        89.44,
        id="invoice-discount-rounded-to-2",
    ),
    # --- item and invoice discounts together ---
    # percent: 200 - 20 = 180; 180 - r2(180 x 10%) = 162
    pytest.param(
        invoice_input(line(200, discount=10), discount=10), 180.0, 0.0, 162.0, id="both-discounts-percent"
    ),
    # amount: (200 - 20) + 50 = 230; 230 - 30 = 200
    pytest.param(
        invoice_input(line(200, discount=20), line(50), discount=30, **AMT),
        230.0,
        0.0,
        200.0,
        id="both-discounts-amount",
    ),
    # --- reference worked examples ---
    # 20 + r2(5.555)=5.56 -> 25.56; item tax 10% of (20 - r4(20 x 10%)) = 1.80;
    # 25.56 - 2.56 = 23.00; + S1 3 = 26.00; + 5% 1.30 = 27.30; + 1.80 = 29.10; + S2 2 = 31.10
    pytest.param(
        invoice_input(
            line(10, 2, tax_rate1=10),
            line(5.555),
            discount=10,
            tax_rate1=5,
            custom_value1=3,
            custom_taxes1=True,
            custom_value2=2,
        ),
        25.56,
        1.80,
        31.10,
        id="example-1",
    ),
    # amount: 95 + 100 = 195; share r4(95 / 195 x 15) = 7.3077; r2(87.6923 x 20%) = r2(17.53846) = 17.54;
    # 195 - 15 + 17.54 = 197.54
    pytest.param(
        invoice_input(line(100, discount=5, tax_rate1=20), line(50, 2), discount=15, **AMT),
        195.0,
        17.54,
        197.54,
        id="example-2",
    ),
    # inclusive: 119 stays 119; step 3 still sums r2(119 x 19%) = 22.61, but it is not added
    pytest.param(
        invoice_input(line(119, tax_rate1=19), inclusive_taxes=True),
        119.0,
        22.61,
        119.0,
        id="example-3-inclusive",
    ),
    # --- item taxes ---
    # 50 + r2(50 x 8%) = 50 + 4 = 54
    pytest.param(invoice_input(line(50, tax_rate1=8)), 50.0, 4.0, 54.0, id="one-item-tax"),
    # 50 + 4 + r2(50 x 5%) 2.5 = 56.5
    pytest.param(invoice_input(line(50, tax_rate1=8, tax_rate2=5)), 50.0, 6.5, 56.5, id="two-item-taxes"),
    # each line r2(0.05 x 10%) = r2(0.005) = 0.01, two lines 0.02 (not r2(0.01) once); 0.10 + 0.02
    pytest.param(
        invoice_input(line(0.05, tax_rate1=10), line(0.05, tax_rate1=10)),
        0.1,
        0.02,
        0.12,
        id="item-tax-rounded-per-line",
    ),
    # r2(10.1 x 5%) = r2(0.505) = 0.51; 10.1 + 0.51 = 10.61
    pytest.param(invoice_input(line(10.1, tax_rate1=5)), 10.1, 0.51, 10.61, id="item-tax-tie"),
    # percent share: r4(33.33 x 15%) = 4.9995 -> 28.3305; r2(2.83305) = 2.83;
    # total 33.33 - 5.00 = 28.33 + 2.83 = 31.16
    pytest.param(
        invoice_input(line(33.33, tax_rate1=10), discount=15),
        33.33,
        2.83,
        31.16,
        id="item-tax-after-percent-share",
    ),
    # share r4(0.0499 x 50%) = 0.025 (tie, up) -> 0.0249; tax r2(0.0249 x 100%) = 0.02;
    # subtotal r2(0.0499) = 0.05; 0.05 - r2(0.025) = 0.05 - 0.03 = 0.02; + 0.02 = 0.04
    pytest.param(
        invoice_input(line(0.0499, tax_rate1=100), discount=50),
        0.05,
        0.02,
        0.04,
        id="item-tax-share-4-place-tie",
    ),
    # amount shares of 6 over 60: 10 -> 1 (9, tax 0.9), 20 -> 2 (18, tax 1.8); 60 - 6 + 2.7 = 56.7
    pytest.param(
        invoice_input(line(10, tax_rate1=10), line(20, tax_rate1=10), line(30), discount=6, **AMT),
        60.0,
        2.7,
        56.7,
        id="item-tax-after-amount-shares",
    ),
    # amount: T = 101; share r4(50 / 101 x 1) = r4(0.49504950) = 0.495; r2(49.505 x 100%) = 49.51
    # (an unrounded share would leave 49.50495 -> 49.50); 101 - 1 + 49.51 = 149.51
    pytest.param(
        invoice_input(line(50, tax_rate1=100), line(51), discount=1, **AMT),
        101.0,
        49.51,
        149.51,
        id="amount-share-4dp",
    ),
    # amount mode with subtotal 0: no share taken; tax r2(10 x 10%) = 1; 0 - 5 + 1 = -4
    pytest.param(
        invoice_input(line(10, tax_rate1=10), line(-10), discount=5, **AMT),
        0.0,
        1.0,
        -4.0,
        id="amount-share-zero-subtotal",
    ),
    # --- invoice taxes ---
    # 100 + r2(100 x 7.5%) = 107.5
    pytest.param(invoice_input(line(100), tax_rate1=7.5), 100.0, 0.0, 107.5, id="invoice-tax1"),
    # 100 + 10 + 5 (both on the same base, not compounded) = 115
    pytest.param(
        invoice_input(line(100), tax_rate1=10, tax_rate2=5), 100.0, 0.0, 115.0, id="invoice-tax1-and-tax2"
    ),
    # r2(19.99 x 7.25%) = r2(1.449275) = 1.45; r2(19.99 x 3%) = r2(0.5997) = 0.60; 22.04
    pytest.param(
        invoice_input(line(19.99), tax_rate1=7.25, tax_rate2=3),
        19.99,
        0.0,
        22.04,
        id="invoice-taxes-rounding",
    ),
    # r2(20.5 x 7%) = r2(1.435) = 1.44; 21.94
    pytest.param(invoice_input(line(20.5), tax_rate1=7), 20.5, 0.0, 21.94, id="invoice-tax-tie"),
    # --- both levels ---
    # item tax 10; invoice tax 5% of 100 only = 5; 100 + 5 + 10 = 115
    pytest.param(
        invoice_input(line(100, tax_rate1=10), tax_rate1=5), 100.0, 10.0, 115.0, id="item-and-invoice-tax"
    ),
    # 20% discount: item tax 10% of 80 = 8; 80 + 5% 4 = 84 + 8 = 92
    pytest.param(
        invoice_input(line(100, tax_rate1=10), discount=20, tax_rate1=5),
        100.0,
        8.0,
        92.0,
        id="item-and-invoice-tax-with-discount",
    ),
    # --- inclusive taxes ---
    # inclusive: 100, taxes not added
    pytest.param(
        invoice_input(line(100), tax_rate1=20, tax_rate2=5, inclusive_taxes=True),
        100.0,
        0.0,
        100.0,
        id="inclusive-invoice",
    ),
    # inclusive: 100 - 10% = 90; item tax of 90 at 10% = 9 computed but not added
    pytest.param(
        invoice_input(line(100, tax_rate1=10), discount=10, inclusive_taxes=True),
        100.0,
        9.0,
        90.0,
        id="inclusive-with-discount",
    ),
    # inclusive: 100 + S1 5 (taxed) + S2 3 (untaxed) = 108, no tax
    pytest.param(
        invoice_input(
            line(100),
            tax_rate1=10,
            custom_value1=5,
            custom_taxes1=True,
            custom_value2=3,
            inclusive_taxes=True,
        ),
        100.0,
        0.0,
        108.0,
        id="inclusive-with-surcharges",
    ),
    # --- surcharges ---
    # taxed S1 10: (100 + 10) x 10% = 11; 121
    pytest.param(
        invoice_input(line(100), custom_value1=10, custom_taxes1=True, tax_rate1=10),
        100.0,
        0.0,
        121.0,
        id="surcharge-taxed",
    ),
    # untaxed S1 10: 100 + 10 tax = 110, + 10 = 120
    pytest.param(
        invoice_input(line(100), custom_value1=10, tax_rate1=10), 100.0, 0.0, 120.0, id="surcharge-untaxed"
    ),
    # no invoice tax: 100 + 2.5 + 1.25 = 103.75
    pytest.param(
        invoice_input(line(100), custom_value1=2.5, custom_taxes1=True, custom_value2=1.25),
        100.0,
        0.0,
        103.75,
        id="surcharges-without-invoice-tax",
    ),
    # S2 r2(1.005) = 1.01; 10 + 1.01 = 11.01
    pytest.param(invoice_input(line(10), custom_value2=1.005), 10.0, 0.0, 11.01, id="surcharge-rounded-to-2"),
    # 100 + 20 + 5 (both taxed) = 125; tax2 10% = 12.5 -> 137.5; + item tax 10 = 147.5
    pytest.param(
        invoice_input(
            line(100, tax_rate1=10),
            custom_value1=20,
            custom_taxes1=True,
            custom_value2=5,
            custom_taxes2=True,
            tax_rate2=10,
        ),
        100.0,
        10.0,
        147.5,
        id="surcharges-taxed-with-item-tax",
    ),
    # --- rounding ties ---
    # r2(1.005) = 1.01
    pytest.param(invoice_input(line(1.005)), 1.01, 0.0, 1.01, id="tie-1.005"),
    # r2(2.675) = 2.68
    pytest.param(invoice_input(line(2.675)), 2.68, 0.0, 2.68, id="tie-2.675"),
    # r2(0.125) = 0.13
    pytest.param(invoice_input(line(0.125)), 0.13, 0.0, 0.13, id="tie-0.125"),
    # 0.5 x 2.25 = 1.125 -> 1.13
    pytest.param(invoice_input(line(2.25, 0.5)), 1.13, 0.0, 1.13, id="tie-from-qty"),
    # --- negative lines (credits) ---
    # -50
    pytest.param(invoice_input(line(-50)), -50.0, 0.0, -50.0, id="credit-line"),
    # 60 - 15.5 = 44.5
    pytest.param(invoice_input(line(30, 2), line(-15.5)), 44.5, 0.0, 44.5, id="mixed-credit"),
    # -2 x 10 = -20; tax r2(-20 x 10%) = -2; -22
    pytest.param(invoice_input(line(10, -2, tax_rate1=10)), -20.0, -2.0, -22.0, id="negative-qty-with-tax"),
    # r2(-1.005) = -1.01 (half away from zero)
    pytest.param(invoice_input(line(-1.005)), -1.01, 0.0, -1.01, id="negative-tie"),
    # --- empty rows and zero qty ---
    # blank row (cost "", no key, no notes) with qty 3 adds nothing: 10
    pytest.param(invoice_input(line(10), line("", 3)), 10.0, 0.0, 10.0, id="empty-row-skipped"),
    # amount mode: blank row skipped in subtotal (100) but not in item tax: (0 - 5) x 10% = -0.5; 99.5
    pytest.param(
        invoice_input(line(100), line("", discount=5, tax_rate1=10), **AMT),
        100.0,
        -0.5,
        99.5,
        id="empty-row-taxed-not-summed",
    ),
    # amount mode: cost 0 with notes is not blank: 100 + (0 - 5) = 95
    pytest.param(
        invoice_input(line(100), line(0, notes="Credit", discount=5), **AMT),
        95.0,
        0.0,
        95.0,
        id="zero-cost-row-with-notes",
    ),
    # 0 x 100 (taxed 10%) + 10 = 10; tax on 0 is 0
    pytest.param(invoice_input(line(100, 0, tax_rate1=10), line(10)), 10.0, 0.0, 10.0, id="zero-qty-line"),
    # amount mode: 0 x 100 - 5 = -5; + 20 = 15
    pytest.param(
        invoice_input(line(100, 0, notes="x", discount=5), line(20), **AMT),
        15.0,
        0.0,
        15.0,
        id="zero-qty-amount-discount",
    ),
    # --- large amounts ---
    # 1000 x 9,999,999.99 = 9,999,999,990; + 10% = 999,999,999 -> 10,999,999,989
    pytest.param(
        invoice_input(line(9999999.99, 1000, tax_rate1=10)),
        9999999990.0,
        999999999.0,
        10999999989.0,
        id="large-with-item-tax",
    ),
    # 3 x 1,234,567.89 = 3,703,703.67; r2(x 8.25%) = r2(305,555.552775) = 305,555.55; 4,009,259.22
    pytest.param(
        invoice_input(line(1234567.89, 3), tax_rate1=8.25),
        3703703.67,
        0.0,
        4009259.22,
        id="large-invoice-tax",
    ),
    # --- raw request values (Utils::parseFloat) ---
    # "$1,000.50" -> 1000.5; "1,50" (decimal comma) x "2" = 3; 1003.5
    pytest.param(
        invoice_input(line("$1,000.50"), line("1,50", "2")), 1003.5, 0.0, 1003.5, id="parse-float-strings"
    ),
]
