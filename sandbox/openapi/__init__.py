"""OpenAPI 3 documents built from the route declarations: the v4 API's and the admin API's."""

from __future__ import annotations

from aiohttp import web


def add_api_docs_routes(app: web.Application) -> None:
    """Register ``/api-docs``: the v4 API's OpenAPI document, as v4 served its Swagger docs there."""
