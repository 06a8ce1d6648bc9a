"""The admin API under ``/__admin``: never journaled, never asks for the API token."""

from sandbox.admin.routes import ADMIN_ROUTES, add_admin_routes
from sandbox.admin.table import AdminRoute

__all__ = ["ADMIN_ROUTES", "AdminRoute", "add_admin_routes"]
