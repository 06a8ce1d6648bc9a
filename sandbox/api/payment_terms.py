"""``/api/v1/payment_terms`` (being built)."""

from __future__ import annotations

from sandbox.api.routing import ApiRoute

ROUTES: list[ApiRoute] = []
