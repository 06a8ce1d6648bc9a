"""The dashboard at ``/``: the offline demo's HTML pages, read through the same store and models."""

from __future__ import annotations

from aiohttp import web


def add_dashboard_routes(app: web.Application) -> None:
    """Register the dashboard's pages and assets on the app."""
