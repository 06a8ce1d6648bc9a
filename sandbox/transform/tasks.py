"""Transformer for tasks (being built)."""

from __future__ import annotations

from sandbox.transform.fractal import Transformer

TASK = Transformer("task", lambda ctx, record: {})
