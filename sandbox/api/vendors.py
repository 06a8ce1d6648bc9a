"""``/api/v1/vendors`` (being built)."""

from __future__ import annotations

from sandbox.api.routing import ApiRoute

ROUTES: list[ApiRoute] = []
