"""The v4 API under ``/api/v1``: one module per upstream resource, collected here."""

from __future__ import annotations

from sandbox.api import clients, contacts, ping
from sandbox.api.routing import ApiRoute


def api_routes() -> list[ApiRoute]:
    """Every API route of the sandbox, in registration order."""
    return [*ping.ROUTES, *clients.ROUTES, *contacts.ROUTES]
