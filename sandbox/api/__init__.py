"""The v4 API under ``/api/v1``: one module per upstream resource, collected here."""

from __future__ import annotations

from sandbox.api import (
    clients,
    contacts,
    credits,
    downloads,
    email_invoice,
    hooks,
    invoices,
    payments,
    ping,
    quotes,
)
from sandbox.api.routing import ApiRoute


def api_routes() -> list[ApiRoute]:
    """Every API route of the sandbox, in registration order."""
    return [
        *ping.ROUTES,
        *clients.ROUTES,
        *contacts.ROUTES,
        *quotes.ROUTES,
        *downloads.ROUTES,
        *invoices.ROUTES,
        *payments.ROUTES,
        *credits.ROUTES,
        *hooks.ROUTES,
        *email_invoice.ROUTES,
    ]
