"""Transformer for expenses (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

EXPENSE = Transformer("expense", lambda ctx, record: {})
