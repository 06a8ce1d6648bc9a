"""The invoice PDF: what a reader extracts from it, its pagination, determinism and odd input."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2
import pytest
from faker import Faker

from sandbox.pdf import PdfDocument, PdfLine, PdfParty, PdfTotal, render_pdf
from sandbox.pdf.document import PdfLabels

CREATED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
PREVIEW = Path(__file__).resolve().parents[2] / "docs" / "images" / "invoice.png"

LINES = (
    PdfLine(
        "DESIGN-01",
        "Brand identity workshop (two days, on site) including preparation, facilitation and a "
        "written summary of the outcomes",
        "$1,200.00",
        "2",
        "10%",
        "VAT 20%",
        "$2,160.00",
    ),
    PdfLine(
        "LOGO",
        "Logo design, three concepts and two rounds of revisions",
        "$850.00",
        "1",
        "",
        "VAT 20%",
        "$850.00",
    ),
    PdfLine("HOSTING", "Website hosting, 12 months", "$15.00", "12", "", "VAT 20%", "$180.00"),
    PdfLine("SUPPORT", "Priority support hours", "$95.00", "3.5", "", "", "$332.50"),
)


def sample(**changes: Any) -> PdfDocument:
    """A realistic invoice; keyword arguments replace its fields."""
    doc = PdfDocument(
        title="Invoice",
        number="INV-0042",
        details=(("Invoice Date", "Jan 5, 2026"), ("Due Date", "Feb 4, 2026"), ("PO Number", "PO-7781")),
        company=PdfParty(
            "Northwind Traders Ltd",
            (
                "12 Harbour Street",
                "Suite 400",
                "Bristol BS1 4RN",
                "United Kingdom",
                "billing@northwind.example",
                "+44 117 496 0123",
                "VAT GB 123 4567 89",
            ),
        ),
        client=PdfParty(
            "Émilie Dubois-Laurent",
            (
                "Atelier Lumière SARL",
                "8 rue des Lilas",
                "75011 Paris",
                "France",
                "emilie@atelier-lumiere.example",
            ),
        ),
        lines=LINES,
        totals=(
            PdfTotal("Subtotal", "$3,522.50"),
            PdfTotal("Discount", "-$240.00"),
            PdfTotal("VAT 20%", "$638.00"),
            PdfTotal("Total", "$3,920.50"),
            PdfTotal("Paid to Date", "$1,000.00"),
            PdfTotal("Balance Due", "$2,920.50", strong=True),
        ),
        public_notes="Thank you for your business! Please include the invoice number with your payment.",
        terms="Payment is due within 30 days. Late payments are subject to a 1.5% monthly fee.\n"
        "Bank: Example Bank, IBAN GB29 NWBK 6016 1331 9268 19",
        footer="Northwind Traders Ltd · Registered in England and Wales No. 01234567",
        created=CREATED,
    )
    return replace(doc, **changes)


def pages_text(data: bytes) -> list[str]:
    """Each page's extracted text, whitespace collapsed so wrapped lines read as one."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def many_lines(count: int) -> tuple[PdfLine, ...]:
    """``count`` numbered lines, every fifth with a note long enough to wrap."""
    return tuple(
        PdfLine(
            f"SKU-{i:03}",
            f"Line note {i:03}"
            + (" with extra words to wrap over several lines of the column" * 2) * (i % 5 == 0),
            "$10.00",
            "1",
            "",
            "",
            f"${10 * i:,}.00",
        )
        for i in range(1, count + 1)
    )


def test_output_is_a_pdf_that_opens_with_one_page() -> None:
    data = render_pdf(sample())
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait in points


def test_extracted_text_has_number_client_lines_and_totals() -> None:
    (text,) = pages_text(render_pdf(sample()))
    assert "INV-0042" in text
    assert "Émilie Dubois-Laurent" in text
    for line in LINES:
        assert line.notes in text
        assert line.product_key in text
        assert line.line_total in text
    for amount in ("$3,522.50", "-$240.00", "$638.00", "$3,920.50", "$1,000.00", "$2,920.50"):
        assert amount in text
    assert "Number INV-0042" in text
    assert "Due Date Feb 4, 2026" in text
    assert "Registered in England and Wales" in text
    assert "Bank: Example Bank" in text


def test_table_header_lists_every_column_and_discount_only_when_used() -> None:
    (text,) = pages_text(render_pdf(sample()))
    assert "Item Description Unit Cost Qty Discount Tax Line Total" in text
    no_discount = tuple(replace(line, discount="") for line in LINES)
    (text,) = pages_text(render_pdf(sample(lines=no_discount)))
    assert "Item Description Unit Cost Qty Tax Line Total" in text
    assert "Discount" not in text.replace("Discount -$240.00", "")


def test_labels_can_be_translated() -> None:
    labels = PdfLabels(bill_to="Facturer à", description="Désignation", page_of="{page}/{pages}")
    (text,) = pages_text(render_pdf(sample(labels=labels, title="Facture")))
    assert "FACTURER À" in text
    assert "Désignation" in text
    assert "1/1" in text
    assert "Facture" in text


def test_same_document_gives_the_same_bytes() -> None:
    first, second = render_pdf(sample()), render_pdf(sample())
    assert first == second
    assert render_pdf(sample(created=CREATED + timedelta(seconds=1))) != first


def test_same_bytes_in_a_fresh_interpreter_with_another_hash_seed() -> None:
    code = (
        "import sys, tests.unit.test_pdf as t; from sandbox.pdf import render_pdf; "
        "sys.stdout.buffer.write(render_pdf(t.sample(lines=t.many_lines(30))))"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed, "TZ": zone},
            capture_output=True,
            check=True,
        ).stdout
        for seed, zone in (("1", "UTC"), ("2", "Asia/Tokyo"))
    ]
    assert outputs[0] == outputs[1] == render_pdf(sample(lines=many_lines(30)))


def test_creation_date_is_the_documents_and_a_naive_one_is_utc() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(sample())))
    assert reader.metadata is not None
    assert reader.metadata.creation_date == CREATED
    assert reader.metadata.title == "Invoice INV-0042"
    naive = render_pdf(sample(created=CREATED.replace(tzinfo=None)))
    assert naive == render_pdf(sample())
    shifted = CREATED.astimezone(timezone(timedelta(hours=-5)))
    assert render_pdf(sample(created=shifted)) == render_pdf(sample())


def test_long_invoice_spans_pages_with_the_header_on_each() -> None:
    lines = many_lines(200)
    pages = pages_text(render_pdf(sample(lines=lines)))
    count = len(pages)
    assert count >= 4
    with_lines = [text for text in pages if "SKU-" in text]
    assert len(with_lines) >= 4
    for text in with_lines:
        assert "Item Description Unit Cost Qty Tax Line Total" in text
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in text
        assert "Invoice INV-0042" in text
    everything = " ".join(pages)
    for line in lines:
        assert f"{line.product_key} {line.notes}" in everything
    assert everything.count("SKU-") == 200
    assert everything.count("Item Description") == len(with_lines)
    assert "Balance Due $2,920.50" in everything
    assert "Registered in England and Wales" in pages[-1]


def test_page_count_on_a_single_page() -> None:
    (text,) = pages_text(render_pdf(sample()))
    assert "Page 1 of 1" in text
    assert "Page 2" not in text


def test_a_note_taller_than_a_page_is_split_across_pages() -> None:
    paragraphs = "\n".join(f"Paragraph {i:03} of a very long description." for i in range(150))
    line = PdfLine("HUGE", paragraphs, "$1.00", "1", "", "", "$1.00")
    pages = pages_text(render_pdf(sample(lines=(line,))))
    assert len(pages) >= 3
    everything = " ".join(pages)
    for i in range(150):
        assert f"Paragraph {i:03} of a very long description." in everything
    assert all("Line Total" in text for text in pages[:-1])


def test_accent_colour_is_used_and_a_bad_one_falls_back() -> None:
    def contents(doc: PdfDocument) -> bytes:
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(doc)))
        stream = reader.pages[0].get_contents()
        assert stream is not None
        return stream.get_data()

    assert b"1 0 0 rg" in contents(sample(accent="#ff0000"))
    assert b"1 0 0 rg" in contents(sample(accent="#f00"))
    assert b"0.2157 0.6392 0.7765 rg" in contents(sample(accent="not a colour"))
    assert b"0.2157 0.6392 0.7765 rg" in contents(sample(accent="#12345z"))


HOSTILE = (
    "山田 太郎",  # CJK: not in the font
    "김민준",
    "สมชาย ใจดี",
    "Zoë 👩‍👩‍👧‍👦 🚀🇫🇷",  # emoji with joiners, flags
    "שלום עולם (בע״מ) 42",  # Hebrew
    "مرحبا بالعالم",  # Arabic
    "Ελληνικά Ωμέγα",
    "Ёлка Пётр",
    "Հայերեն",
    "ქართული",
    "Nguyễn Văn Hoà",
    "Z̴̡̢a̵l̶g̷o̸ ̵t̶e̴x̸t̷",  # stacked combining marks
    "tab\there\x00nul\x07bell\x1bescape\x7fdel",
    "\u202eevil override\u202c and \u200bzero\u200dwidth\ufeff",
    "lone \ud800 surrogate \udfff",
    "private \ue000\ue001\ue002\ue003 use, the page alias",
    "{nb} {page} {pages} %s {0} \\ ( ) <<>> endstream",
    "x" * 400,  # one unbreakable word wider than any column
    "",
    "   ",
    "\n\n\n",
    "line\r\nbreaks\rand\u2028separators\u2029here",
)


def test_hostile_unicode_renders_and_keeps_what_the_font_can_draw(caplog: pytest.LogCaptureFixture) -> None:
    party = PdfParty(" / ".join(HOSTILE[:4]), HOSTILE)
    lines = tuple(PdfLine(text, text, text, text, text, text, text) for text in HOSTILE)
    doc = sample(
        title=HOSTILE[4],
        number=HOSTILE[12],
        details=tuple((text, text) for text in HOSTILE),
        company=party,
        client=party,
        lines=lines,
        totals=tuple(PdfTotal(text, text, strong=i % 3 == 0) for i, text in enumerate(HOSTILE)),
        public_notes="\n".join(HOSTILE),
        terms="\n".join(HOSTILE),
        footer="\n".join(HOSTILE[:6]),
        accent="\u202e#zz",
        labels=PdfLabels(*HOSTILE[:12]),
    )
    with caplog.at_level(logging.WARNING):
        data = render_pdf(doc)
    assert data == render_pdf(doc)
    assert [record for record in caplog.records if record.name.startswith("fpdf")] == []
    text = " ".join(pages_text(data))
    assert "\ufffd" in text  # CJK, Thai and emoji are replaced, not dropped silently
    for kept in ("Zoë", "Ελληνικά Ωμέγα", "Ёлка Пётр", "Nguyễn Văn Hoà", "Հայերեն", "ქართული"):
        assert kept in text
    assert "tab here" in text
    assert "nulbellescapedel" in text
    assert "evil override and zerowidth" in text
    assert "{nb} {page} {pages} %s {0}" in text
    # Right-to-left runs are drawn in visual order, which extraction turns back into reading order.
    assert "שלום עולם" in text
    assert "بالعالم" in text


def test_oversized_captions_and_totals_are_cut_short() -> None:
    huge = "W" * 2000
    lines = (replace(LINES[0], discount=huge, taxes=huge),)
    labels = PdfLabels(*[huge] * 11)
    totals = (PdfTotal(huge, huge), PdfTotal("Balance Due", huge, strong=True))
    data = render_pdf(sample(lines=lines, labels=labels, totals=totals, title=huge, number=huge))
    pages = pages_text(data)
    assert 2 <= len(pages) < 20
    everything = " ".join(pages)
    assert everything.count("W" * 10) > 0
    assert LINES[0].notes in everything
    assert "Registered in England and Wales" in pages[-1]


def test_faker_parties_in_many_locales_render() -> None:
    locales = ["ar_AA", "bg_BG", "el_GR", "fa_IR", "he_IL", "hi_IN", "hy_AM", "ja_JP", "ka_GE", "ko_KR"]
    locales += ["ru_RU", "th_TH", "tr_TR", "uk_UA", "vi_VN", "zh_CN", "zh_TW", "de_DE", "pl_PL", "cs_CZ"]
    for locale in locales:
        fake = Faker(locale)
        fake.seed_instance(7)
        client = PdfParty(fake.name(), (fake.address(), fake.email(), fake.phone_number()))
        company = PdfParty(fake.company(), (fake.address(),))
        note = fake.sentence()
        data = render_pdf(sample(client=client, company=company, lines=(replace(LINES[0], notes=note),)))
        (text,) = pages_text(data)
        assert "INV-0042" in text, locale
        assert "$2,920.50" in text, locale


def test_preview_png(tmp_path: Path) -> None:
    """Page one as a picture; ``SANDBOX_WRITE_PREVIEW=1`` refreshes the image in the docs."""
    target = PREVIEW if os.environ.get("SANDBOX_WRITE_PREVIEW") == "1" else tmp_path / "invoice.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(render_pdf(sample()))
    try:
        image = document[0].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()
    image.save(target, format="PNG", optimize=True)
    width, height = image.size
    assert (width, height) == (1191, 1684)  # A4 at 144 dpi
    assert image.getpixel((width // 2, 4)) == (55, 163, 198)  # the accent band across the top
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None
    white = sum(count for count, colour in colours if colour == (255, 255, 255))
    assert 0.5 < white / (width * height) < 0.97
    assert target.read_bytes().startswith(b"\x89PNG")
