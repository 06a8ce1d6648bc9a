"""Transformer for documents (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

DOCUMENT = Transformer("document", lambda ctx, record: {})
