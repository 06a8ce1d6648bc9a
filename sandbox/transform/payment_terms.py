"""Transformer for payment_terms (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

PAYMENT_TERM = Transformer("payment_term", lambda ctx, record: {})
