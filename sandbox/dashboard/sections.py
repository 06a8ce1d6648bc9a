"""Every record section of the dashboard, by the URL segment of its pages."""

from __future__ import annotations

from sandbox.dashboard.billing import CLIENT_SECTION, INVOICE_SECTION, PAYMENT_SECTION, QUOTE_SECTION
from sandbox.dashboard.cells import Section
from sandbox.dashboard.work import EXPENSE_SECTION, PRODUCT_SECTION, TASK_SECTION

SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        CLIENT_SECTION,
        INVOICE_SECTION,
        QUOTE_SECTION,
        PAYMENT_SECTION,
        PRODUCT_SECTION,
        TASK_SECTION,
        EXPENSE_SECTION,
    )
}
