"""Transformer for vendors (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

VENDOR = Transformer("vendor", lambda ctx, record: {})
