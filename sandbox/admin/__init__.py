"""The admin API under ``/__admin``: never journaled, never asks for the API token."""

from sandbox.admin.routes import ADMIN_ROUTES, AdminRoute, add_admin_routes

__all__ = ["ADMIN_ROUTES", "AdminRoute", "add_admin_routes"]
