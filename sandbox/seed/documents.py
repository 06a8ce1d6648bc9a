"""Seed factory: a few documents attached to each account's invoices and expenses.

The files are generated here, byte for byte the same for the same data: a one-page PDF and a PNG
per parent. Their bytes are handed to ``remember_seed_file``, from which the document store writes
them at start-up and after every reset, so seeded documents download like uploaded ones.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from sandbox.documents_store import remember_seed_file
from sandbox.models.accounts import Actor, Env
from sandbox.models.documents import Upload, new_document
from sandbox.models.static_data import StaticData
from sandbox.seed.builder import SeedBuilder
from sandbox.store import Record, Store

#: How long after its parent a document was attached, in seconds.
ATTACHED_AFTER = 600
PAPER = (250, 248, 240)
INK = (60, 64, 72)


def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def one_page_pdf(title: str, lines: Iterable[str]) -> bytes:
    """A small, valid PDF: a title and some lines of Helvetica text on an A5 page."""
    ops = [b"BT /F1 18 Tf 40 540 Td (%s) Tj ET" % _pdf_text(title)]
    for index, line in enumerate(lines):
        ops.append(b"BT /F1 11 Tf 40 %d Td (%s) Tj ET" % (500 - 18 * index, _pdf_text(line)))
    content = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def ruled_png(width: int, height: int, accent: tuple[int, int, int]) -> bytes:
    """A PNG of a ruled sheet under a coloured band: enough to look like a scanned slip."""
    paper = bytes(PAPER) * width
    band = bytes(accent) * width
    margin = max(width // 10, 1)
    ruled = bytes(PAPER) * margin + bytes(INK) * (width - 2 * margin) + bytes(PAPER) * margin
    rows = []
    for y in range(height):
        if y < height // 6:
            row = band
        elif y % 16 == 0 and y < height - margin:
            row = ruled
        else:
            row = paper
        rows.append(b"\x00" + row)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)),
            _chunk(b"IEND", b""),
        )
    )


def _accent(account: Record) -> tuple[int, int, int]:
    key = int(account["doc_id"])
    return (40 + 50 * key % 180, 90 + 30 * key % 120, 160 - 20 * key % 100)


@dataclass
class _Seeding:
    store: Store
    static: StaticData
    builder: SeedBuilder
    actor: Actor

    def attach(
        self, parent: Record, upload: Upload, *, invoice: Record | None = None, expense: Record | None = None
    ) -> None:
        when = min(int(parent.get("created_at") or 0) + ATTACHED_AFTER, self.builder.anchor_ts)
        env = Env(self.store, self.static, self.actor, when, self.builder.rng)  # no random choice is made
        new_document(env, upload, remember_seed_file, invoice=invoice, expense=expense)


def _name_of(store: Store, table: str, account_id: int, public_id: object) -> str:
    if not isinstance(public_id, int) or not public_id:
        return ""
    record = store.get_public(table, account_id, public_id)
    return str(record.get("name") or "") if record else ""


def seed_documents(
    store: Store, static: StaticData, builder: SeedBuilder, account: Record, owner: Record
) -> None:
    """A purchase order (PDF) and a delivery photo (PNG) on the first two live invoices, and a
    receipt (PDF) and a receipt photo (PNG) on the first two live expenses, if there are any."""
    seeding = _Seeding(store, static, builder, Actor(account, owner))
    account_id = int(account["doc_id"])
    invoices = [
        row
        for row in store.rows("invoices", account_id)
        if row.get("invoice_type_id") == 1 and not row.get("is_recurring") and row.get("deleted_at") is None
    ][:2]
    if invoices:
        invoice = invoices[0]
        number = str(invoice.get("invoice_number") or invoice["public_id"])
        order = one_page_pdf(
            f"Purchase order for invoice {number}",
            (
                f"Client: {_name_of(store, 'clients', account_id, invoice.get('client_id'))}",
                f"Ordered by: {account.get('name') or ''}",
                f"Invoice date: {invoice.get('invoice_date') or ''}",
                f"Amount: {float(invoice.get('amount') or 0):.2f}",
            ),
        )
        seeding.attach(invoice, Upload(f"purchase-order-{number}.pdf", order), invoice=invoice)
    if len(invoices) > 1:
        photo = ruled_png(480, 320, _accent(account))
        seeding.attach(invoices[1], Upload("delivery-photo.png", photo), invoice=invoices[1])
    expenses = [row for row in store.rows("expenses", account_id) if row.get("deleted_at") is None][:2]
    if expenses:
        expense = expenses[0]
        when = str(expense.get("expense_date") or "")
        receipt = one_page_pdf(
            "Receipt",
            (
                f"Vendor: {_name_of(store, 'vendors', account_id, expense.get('vendor_id'))}",
                f"Date: {when}",
                f"Amount: {float(expense.get('amount') or 0):.2f}",
                str(expense.get("public_notes") or ""),
            ),
        )
        name = f"receipt-{when}.pdf" if when else "receipt.pdf"
        seeding.attach(expense, Upload(name, receipt), expense=expense)
    if len(expenses) > 1:
        photo = ruled_png(200, 280, _accent(account))
        seeding.attach(expenses[1], Upload("receipt-photo.png", photo), expense=expenses[1])
