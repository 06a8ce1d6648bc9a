"""``/api/v1/projects`` (being built)."""

from __future__ import annotations

from sandbox.api.routing import ApiRoute

ROUTES: list[ApiRoute] = []
