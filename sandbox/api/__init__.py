"""The v4 API under ``/api/v1``: one module per upstream resource, collected here."""

from __future__ import annotations

from sandbox.api import (
    accounts,
    clients,
    contacts,
    credits,
    dashboard,
    devices,
    documents,
    downloads,
    email_invoice,
    expense_categories,
    expenses,
    hooks,
    invoices,
    login,
    payment_terms,
    payments,
    ping,
    products,
    projects,
    quotes,
    static,
    subscriptions,
    tasks,
    tax_rates,
    users,
    vendors,
)
from sandbox.api.routing import ApiRoute


def api_routes() -> list[ApiRoute]:
    """Every API route of the sandbox, in ``routes/api.php`` order."""
    return [
        *ping.ROUTES,
        *login.ROUTES,
        *static.ROUTES,
        *accounts.ROUTES,
        *subscriptions.ROUTES,
        *clients.ROUTES,
        *contacts.ROUTES,
        *quotes.ROUTES,
        *downloads.ROUTES,
        *invoices.ROUTES,
        *payments.ROUTES,
        *tasks.ROUTES,
        *credits.ROUTES,
        *hooks.ROUTES,
        *email_invoice.ROUTES,
        *products.ROUTES,
        *projects.ROUTES,
        *tax_rates.ROUTES,
        *users.ROUTES,
        *expenses.ROUTES,
        *devices.ROUTES,
        *dashboard.ROUTES,
        *documents.ROUTES,
        *vendors.ROUTES,
        *expense_categories.ROUTES,
        *payment_terms.ROUTES,
    ]
