"""Transformer for tax_rates (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

TAX_RATE = Transformer("tax_rate", lambda ctx, record: {})
