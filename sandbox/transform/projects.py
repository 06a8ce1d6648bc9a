"""Transformer for projects (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

PROJECT = Transformer("project", lambda ctx, record: {})
