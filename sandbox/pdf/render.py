"""Draw a :class:`PdfDocument` as an A4 invoice or quote with fpdf2."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from operator import attrgetter
from typing import cast

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from sandbox.pdf.document import PdfDocument, PdfLine, PdfParty
from sandbox.pdf.style import INK, MUTED, RGB, RULE, WHITE, accent_color, tint
from sandbox.pdf.text import FAMILY, FONT_DIR, FONT_FILES, clean_text

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 16.0
CONTENT_W = PAGE_W - 2 * MARGIN
BOTTOM = 20.0  # space kept free for the page footer
RIGHT_COL_W = 80.0
RIGHT_COL_X = PAGE_W - MARGIN - RIGHT_COL_W
PAD_X, PAD_Y = 2.0, 1.8
LINE_H = 4.2
MAX_HEADER_H = 95.0  # the top blocks stay on page one, whatever the caller sends
MAX_CELL_LINES = 4  # for captions and totals, so that no row can outgrow a page

# Stands for the page count until the document is closed; private-use characters never survive
# ``clean_text``, so no caller text can be mistaken for it. Its length reserves room for four digits.
PAGES_ALIAS = "\ue000\ue001\ue002\ue003"


@dataclass(frozen=True, slots=True)
class _Column:
    """A table column: caption, width in mm, alignment and weight of its cells."""

    caption: str
    width: float
    align: Align
    bold: bool = False


class _Canvas(FPDF):
    """An FPDF page with the invoice's running footer."""

    def __init__(self, page_caption: str, reference: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.page_caption = page_caption
        self.reference = reference

    def footer(self) -> None:
        """Rule, "Page n of N" and the document reference at the bottom of every page."""
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, PAGE_H - 14, PAGE_W - MARGIN, PAGE_H - 14)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*MUTED)
        label = self.page_caption.replace("{page}", str(self.page_no())).replace("{pages}", PAGES_ALIAS)
        half = CONTENT_W / 2
        self.set_xy(MARGIN, PAGE_H - 12.5)
        self.cell(half, 4, text=_fit(self, label, half), align=Align.L)
        self.cell(half, 4, text=_fit(self, self.reference, half), align=Align.R)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits on one line of ``width``."""
    if pdf.get_string_width(text) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits, found by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if pdf.get_string_width(text[:middle] + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken into the lines that fit ``width`` in the current font."""
    if not text:
        return []
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if pdf.get_string_width(paragraph) <= width:
            lines.append(paragraph)
        else:
            result = pdf.multi_cell(width, text=paragraph, dry_run=True, output=MethodReturnValue.LINES)
            lines.extend(cast(list[str], result))
    return lines


class _Layout:
    """Places the parts of one document on the canvas, top to bottom."""

    def __init__(self, doc: PdfDocument) -> None:
        self.doc = doc
        self.labels = doc.labels
        self.accent = accent_color(doc.accent)
        self.pdf = pdf = _Canvas(clean_text(doc.labels.page_of), clean_text(f"{doc.title} {doc.number}"))
        created = doc.created if doc.created.tzinfo else doc.created.replace(tzinfo=UTC)
        pdf.set_creation_date(created.astimezone(UTC))
        pdf.set_title(clean_text(f"{doc.title} {doc.number}"))
        pdf.set_author(clean_text(doc.company.name))
        pdf.set_creator("ninja-sandbox")
        for style, name in FONT_FILES.items():
            pdf.add_font(FAMILY, style, FONT_DIR / name)
        pdf.alias_nb_pages(PAGES_ALIAS)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=BOTTOM)
        pdf.c_margin = 0
        pdf.add_page()

    def font(self, size: float, bold: bool = False, color: RGB = INK) -> None:
        """Select the face, size and colour of the next text."""
        self.pdf.set_font(FAMILY, "B" if bold else "", size)
        self.pdf.set_text_color(*color)

    def lines_at(
        self, x: float, y: float, width: float, lines: Sequence[str], height: float, align: Align
    ) -> None:
        """Draw already wrapped ``lines`` from ``(x, y)`` downwards, each centred in its ``height``."""
        pdf = self.pdf
        # The same baseline as ``cell()``; ``text()`` is used because it is twice as fast.
        baseline = y + height / 2 + 0.3 * pdf.font_size
        for i, line in enumerate(lines):
            if not line:
                continue
            left = x
            if align is not Align.L:
                spare = width - pdf.get_string_width(line)
                left += spare if align is Align.R else spare / 2
            pdf.text(left, baseline + i * height, line)

    def render(self) -> bytes:
        """Every part in order, then the finished file."""
        self.pdf.set_fill_color(*self.accent)
        self.pdf.rect(0, 0, PAGE_W, 3, style="F")
        # The top blocks are placed side by side by hand, so they must not trigger page breaks.
        self.pdf.set_auto_page_break(False)
        left = self.party(self.doc.company, MARGIN, MARGIN, 13)
        right = self.heading()
        y = max(left, right) + 9
        left = self.bill_to(y)
        right = self.balance_box(y)
        self.pdf.set_auto_page_break(True, margin=BOTTOM)
        self.pdf.set_y(max(left, right) + 8)
        self.table()
        self.totals()
        self.notes()
        self.closing_footer()
        return bytes(self.pdf.output())

    def party(self, party: PdfParty, x: float, y: float, name_size: float) -> float:
        """A name in bold over its muted lines; return the y under the block."""
        width = RIGHT_COL_X - MARGIN - 8
        limit = y + MAX_HEADER_H / 2
        self.font(name_size, bold=True)
        name_lines = _wrap(self.pdf, clean_text(party.name), width)[:3]
        self.lines_at(x, y, width, name_lines, name_size * 0.45, Align.L)
        y += len(name_lines) * name_size * 0.45 + 1.5
        self.font(8.5, color=MUTED)
        for raw in party.lines:
            lines = _wrap(self.pdf, clean_text(raw), width)
            room = int((limit - y) // LINE_H)
            if room <= 0:
                break
            self.lines_at(x, y, width, lines[:room], LINE_H, Align.L)
            y += len(lines[:room]) * LINE_H
        return y

    def heading(self) -> float:
        """Title, number and detail pairs in the top-right corner; return the y under them."""
        x, width, y = RIGHT_COL_X, RIGHT_COL_W, MARGIN - 2
        self.font(22, bold=True, color=self.accent)
        title = _wrap(self.pdf, clean_text(self.doc.title), width)[:2]
        self.lines_at(x, y, width, title, 10, Align.R)
        y += len(title) * 10 + 3
        pairs = ((self.labels.number, self.doc.number), *self.doc.details)
        label_w = 34.0
        value_w = width - label_w - 2
        for index, (label, value) in enumerate(pairs):
            if y > MARGIN + MAX_HEADER_H:
                break
            self.font(8.5, color=MUTED)
            label_lines = _wrap(self.pdf, clean_text(label), label_w)[:3]
            self.lines_at(x, y, label_w, label_lines, LINE_H + 0.6, Align.L)
            self.font(8.5, bold=index == 0)
            value_lines = _wrap(self.pdf, clean_text(value), value_w)[:3]
            self.lines_at(x + width - value_w, y, value_w, value_lines, LINE_H + 0.6, Align.R)
            y += max(len(label_lines), len(value_lines), 1) * (LINE_H + 0.6)
        return y

    def bill_to(self, y: float) -> float:
        """The client block under its caption; return the y under it."""
        self.font(7.5, bold=True, color=self.accent)
        self.pdf.set_xy(MARGIN, y)
        self.pdf.cell(
            RIGHT_COL_X - MARGIN, 4, text=_fit(self.pdf, clean_text(self.labels.bill_to.upper()), 90)
        )
        return self.party(self.doc.client, MARGIN, y + 5.5, 11)

    def balance_box(self, y: float) -> float:
        """The emphasised total (the balance due) in a tinted box; return the y under it."""
        strong = [total for total in self.doc.totals if total.strong]
        if not strong:
            return y
        total = strong[-1]
        inner = RIGHT_COL_W - 10
        self.font(16, bold=True)
        amount = _wrap(self.pdf, clean_text(total.amount), inner)[:2]
        height = 14 + len(amount) * 7
        self.pdf.set_fill_color(*tint(self.accent, 0.12))
        self.pdf.rect(RIGHT_COL_X, y, RIGHT_COL_W, height, style="F")
        self.pdf.set_fill_color(*self.accent)
        self.pdf.rect(RIGHT_COL_X, y, 1.2, height, style="F")
        self.font(8, bold=True, color=MUTED)
        self.pdf.set_xy(RIGHT_COL_X + 5, y + 4.5)
        self.pdf.cell(inner, 4, text=_fit(self.pdf, clean_text(total.label), inner))
        self.font(16, bold=True)
        self.lines_at(RIGHT_COL_X + 5, y + 10, inner, amount, 7, Align.L)
        return y + height

    def columns(self) -> list[tuple[_Column, Callable[[PdfLine], str]]]:
        """The table's columns and what each shows; discount only when some line has one."""
        labels = self.labels
        with_discount = any(line.discount.strip() for line in self.doc.lines)
        item = (_Column(labels.item, 27, Align.L, bold=True), attrgetter("product_key"))
        fixed = [
            (_Column(labels.unit_cost, 23, Align.R), attrgetter("unit_cost")),
            (_Column(labels.qty, 13, Align.R), attrgetter("qty")),
            *([(_Column(labels.discount, 19, Align.R), attrgetter("discount"))] if with_discount else []),
            (_Column(labels.tax, 21, Align.R), attrgetter("taxes")),
            (_Column(labels.line_total, 26, Align.R), attrgetter("line_total")),
        ]
        rest = CONTENT_W - item[0].width - sum(column.width for column, _ in fixed)
        return [item, (_Column(labels.description, rest, Align.L), attrgetter("notes")), *fixed]

    def cells(self, columns: Sequence[_Column], texts: Sequence[str], header: bool) -> list[list[str]]:
        """Each cell's text wrapped to its column; header captions are cut short."""
        wrapped = []
        for column, text in zip(columns, texts, strict=True):
            self.font(8 if header else 8.5, bold=header or column.bold)
            lines = _wrap(self.pdf, clean_text(text, multiline=not header), column.width - 2 * PAD_X)
            wrapped.append(lines[:MAX_CELL_LINES] if header else lines)
        return wrapped

    def draw_row(self, columns: Sequence[_Column], cells: Sequence[Sequence[str]], header: bool) -> None:
        """One row (or the part of one that fits) at the current y."""
        pdf = self.pdf
        count = max((len(lines) for lines in cells), default=0)
        height = max(count, 1) * LINE_H + 2 * PAD_Y
        y = pdf.y
        if header:
            pdf.set_fill_color(*self.accent)
            pdf.rect(MARGIN, y, CONTENT_W, height, style="F")
        x = MARGIN
        for column, lines in zip(columns, cells, strict=True):
            if header:
                self.font(8, bold=True, color=WHITE)
            else:
                self.font(8.5, bold=column.bold)
            self.lines_at(x + PAD_X, y + PAD_Y, column.width - 2 * PAD_X, lines, LINE_H, column.align)
            x += column.width
        if not header:
            pdf.set_draw_color(*RULE)
            pdf.set_line_width(0.2)
            pdf.line(MARGIN, y + height, PAGE_W - MARGIN, y + height)
        pdf.set_xy(MARGIN, y + height)

    def table(self) -> None:
        """The line items under a header row that is repeated on every page the table spans."""
        pdf = self.pdf
        spec = self.columns()
        columns = [column for column, _ in spec]
        header = self.cells(columns, [column.caption for column in columns], header=True)
        header_h = max(len(lines) for lines in header) * LINE_H + 2 * PAD_Y
        body_h = pdf.page_break_trigger - pdf.t_margin - header_h
        full_room = int((body_h - 2 * PAD_Y) // LINE_H)
        if pdf.will_page_break(header_h + LINE_H + 2 * PAD_Y):
            pdf.add_page()
        self.draw_row(columns, header, header=True)
        for line in self.doc.lines:
            cells = self.cells(columns, [text_of(line) for _, text_of in spec], header=False)
            count = max(1, *(len(lines) for lines in cells))
            start = 0
            while start < count:
                room = int((pdf.page_break_trigger - pdf.y - 2 * PAD_Y) // LINE_H)
                rest = count - start
                # A row moves whole to the next page when it fits there; only taller rows are split.
                if rest > room and (rest <= full_room or room < 2):
                    pdf.add_page()
                    self.draw_row(columns, header, header=True)
                    continue
                end = start + min(rest, room)
                self.draw_row(columns, [lines[start:end] for lines in cells], header=False)
                start = end

    def totals(self) -> None:
        """Totals right-aligned under the table, the strong ones on an accent band."""
        pdf = self.pdf
        if not self.doc.totals:
            return
        x, width = RIGHT_COL_X, RIGHT_COL_W
        label_w, amount_w = 42.0, width - 42.0 - 3 * PAD_X
        rows = []
        for total in self.doc.totals:
            size = 10.0 if total.strong else 9.0
            self.font(size, bold=total.strong)
            label = _wrap(pdf, clean_text(total.label), label_w)[:MAX_CELL_LINES]
            amount = _wrap(pdf, clean_text(total.amount), amount_w)[:MAX_CELL_LINES]
            row_h = max(len(label), len(amount), 1) * (size * 0.45) + (5.0 if total.strong else 2.6)
            rows.append((total, size, label, amount, row_h))
        block_h = sum(row[-1] for row in rows) + 4
        if pdf.will_page_break(block_h) and block_h < pdf.page_break_trigger - pdf.t_margin:
            pdf.add_page()
        y = pdf.y + 4
        for total, size, label, amount, row_h in rows:
            if y + row_h > pdf.page_break_trigger:
                pdf.add_page()
                y = pdf.y
            line_h = size * 0.45
            text_y = y + (row_h - max(len(label), len(amount), 1) * line_h) / 2
            if total.strong:
                pdf.set_fill_color(*self.accent)
                pdf.rect(x, y + 1, width, row_h - 1, style="F")
                text_y += 0.5
                self.font(size, bold=True, color=WHITE)
            else:
                self.font(size, color=MUTED)
            self.lines_at(x + PAD_X, text_y, label_w, label, line_h, Align.L)
            self.font(size, bold=total.strong, color=WHITE if total.strong else INK)
            self.lines_at(x + width - PAD_X - amount_w, text_y, amount_w, amount, line_h, Align.R)
            y += row_h
        pdf.set_xy(MARGIN, y)

    def notes(self) -> None:
        """Public notes and terms, each under a small heading, across the full width."""
        pdf = self.pdf
        for caption, raw in ((self.labels.notes, self.doc.public_notes), (self.labels.terms, self.doc.terms)):
            text = clean_text(raw, multiline=True)
            if not text:
                continue
            pdf.set_y(pdf.y + 7)
            if pdf.will_page_break(5 + 3 * LINE_H):
                pdf.add_page()
            self.font(9, bold=True)
            pdf.set_x(MARGIN)
            pdf.cell(CONTENT_W, 5, text=_fit(pdf, clean_text(caption), CONTENT_W))
            pdf.set_xy(MARGIN, pdf.y + 5.5)
            self.font(8.5, color=MUTED)
            for line in _wrap(pdf, text, CONTENT_W):
                pdf.cell(CONTENT_W, LINE_H, text=line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def closing_footer(self) -> None:
        """The document footer, centred at the bottom of the last page."""
        pdf = self.pdf
        text = clean_text(self.doc.footer, multiline=True)
        if not text:
            return
        self.font(8, color=MUTED)
        lines = _wrap(pdf, text, CONTENT_W)
        height = len(lines) * 3.8
        top = pdf.page_break_trigger - height - 2
        if height > pdf.page_break_trigger - pdf.t_margin - 10:
            top = pdf.y + 8  # taller than a page: it simply flows on
        elif pdf.y + 8 > top:
            pdf.add_page()
        pdf.set_y(top)
        for line in lines:
            pdf.cell(CONTENT_W, 3.8, text=line, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_pdf(doc: PdfDocument) -> bytes:
    """The PDF file of ``doc``: the same document always gives the same bytes."""
    return _Layout(doc).render()
