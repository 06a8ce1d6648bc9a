"""PDF rendering of invoices and quotes from a plain description of what to draw."""

from __future__ import annotations

from sandbox.pdf.document import PdfDocument, PdfLabels, PdfLine, PdfParty, PdfTotal
from sandbox.pdf.render import render_pdf

__all__ = ["PdfDocument", "PdfLabels", "PdfLine", "PdfParty", "PdfTotal", "render_pdf"]
