"""``AdminClient``: the ``/__admin`` API from Python, over plain HTTP with the standard library only.

It works the same against an in-process server, a subprocess or a container. Each method is one
admin route and is named after it (``AdminRoute.name``); the method and path are looked up in the
route table by that name, so the client and the server cannot disagree about them. JSON answers come
back decoded; any 4xx or 5xx raises :class:`AdminError`. The methods live with their noun, one
module each.
"""

from __future__ import annotations

from sandbox.client.clock import ClockMethods
from sandbox.client.errors import ErrorMethods
from sandbox.client.faults import FaultMethods
from sandbox.client.journal import JournalMethods
from sandbox.client.meta import MetaMethods
from sandbox.client.outbox import OutboxMethods
from sandbox.client.state import StateMethods
from sandbox.client.transport import AdminError, Query, read_answer, request_headers
from sandbox.client.webhooks import WebhookMethods

__all__ = ["AdminClient", "AdminError", "Query", "read_answer", "request_headers"]


class AdminClient(
    StateMethods,
    JournalMethods,
    ClockMethods,
    FaultMethods,
    OutboxMethods,
    WebhookMethods,
    ErrorMethods,
    MetaMethods,
):
    """A client for ``BASE_URL/__admin``, e.g. ``AdminClient("http://127.0.0.1:8000")``."""
