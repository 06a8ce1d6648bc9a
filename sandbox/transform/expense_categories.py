"""Transformer for expense_categories (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

EXPENSE_CATEGORY = Transformer("expense_category", lambda ctx, record: {})
