"""Transformer for users (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

USER = Transformer("user", lambda ctx, record: {})
