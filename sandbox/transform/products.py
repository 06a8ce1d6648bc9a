"""Transformer for products (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

PRODUCT = Transformer("product", lambda ctx, record: {})
