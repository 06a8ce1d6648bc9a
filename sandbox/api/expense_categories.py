"""``/api/v1/expense_categories`` (being built)."""

from __future__ import annotations

from sandbox.api.routing import ApiRoute

ROUTES: list[ApiRoute] = []
