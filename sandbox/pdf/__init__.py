"""PDF rendering of invoices and quotes from a plain description of what to draw."""

from __future__ import annotations

from sandbox.pdf.document import PdfDocument, PdfLabels, PdfLine, PdfParty, PdfTotal


def render_pdf(doc: PdfDocument) -> bytes:
    """The PDF file of ``doc`` (the renderer and its fonts load on first use, not at start-up)."""
    from sandbox.pdf.render import render_pdf as render

    return render(doc)


__all__ = ["PdfDocument", "PdfLabels", "PdfLine", "PdfParty", "PdfTotal", "render_pdf"]
