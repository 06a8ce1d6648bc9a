"""``/api/v1/static`` (being built)."""

from __future__ import annotations

from sandbox.api.routing import ApiRoute

ROUTES: list[ApiRoute] = []
