"""``POST /email_invoice``, the ``email_invoice`` option, the outbox, and ``GET /download/{id}``."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import httpx
import pypdfium2
import pytest
from pypdf import PdfReader

DEMO_PREVIEW = Path(__file__).resolve().parents[2] / "docs" / "images" / "demo-invoice.png"


def _invoice(api: httpx.Client, **body: Any) -> dict[str, Any]:
    items = [
        {"product_key": "A1", "notes": "Espresso machine service", "cost": 120, "qty": 2},
        {
            "product_key": "B2",
            "notes": "Descaling kit",
            "cost": 15.5,
            "qty": 3,
            "tax_rate1": 10,
            "tax_name1": "GST",
        },
    ]
    response = api.post("/invoices", json={"client_id": 1, "invoice_items": items, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _outbox(admin: httpx.Client) -> list[dict[str, Any]]:
    response = admin.get("/outbox")
    assert response.status_code == 200
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def test_email_invoice_puts_a_message_in_the_outbox(api: httpx.Client, admin: httpx.Client) -> None:
    invoice = _invoice(api)
    client = api.get("/clients/1").json()["data"]
    before = client["balance"]
    response = api.post("/email_invoice", json={"id": invoice["id"]})
    assert response.status_code == 200
    assert response.json() == {"message": "success"}
    messages = _outbox(admin)
    recipients = sorted(c["email"] for c in client["contacts"] if c["send_invoice"])
    assert sorted(m["to"][0] for m in messages) == recipients
    first = messages[0]
    assert first["subject"] == f"New invoice {invoice['invoice_number']} from Demo Company"
    assert "To view your invoice for" in first["text"]
    assert "/view/" in first["html"]
    assert first["attachments"][0]["filename"] == f"Invoice_{invoice['invoice_number']}.pdf"
    shown = api.get(f"/invoices/{invoice['id']}?include=invitations").json()["data"]
    assert shown["invoice_status_id"] == 2
    assert shown["last_sent_date"]
    assert all(i["sent_date"] for i in shown["invitations"])
    assert api.get("/clients/1").json()["data"]["balance"] == pytest.approx(before + invoice["amount"])
    pdf = admin.get(f"/outbox/{first['id']}/attachments/0")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")


def test_email_option_with_reminder_template(api: httpx.Client, admin: httpx.Client) -> None:
    invoice = _invoice(api, email_invoice=True, email_type="reminder2")
    assert invoice["invoice_status_id"] == 2
    messages = _outbox(admin)
    assert messages
    assert all(m["template"] == "reminder2" for m in messages)
    assert messages[0]["subject"] == f"Reminder: Invoice {invoice['invoice_number']} from Demo Company"


def test_quote_email_and_custom_template(api: httpx.Client, admin: httpx.Client) -> None:
    quote = _invoice(api, is_quote=True)
    body = {"id": quote["id"], "template": {"subject": "Your quote $number", "body": "Hi $firstName"}}
    assert api.post("/email_invoice", json=body).status_code == 200
    message = _outbox(admin)[0]
    assert message["subject"] == f"Your quote {quote['invoice_number']}"
    assert message["text"].startswith("Hi ")


def test_email_errors(api: httpx.Client, admin: httpx.Client) -> None:
    unknown = api.post("/email_invoice", json={"id": 9999})
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "record does not exist"}
    by_number = api.post("/email_invoice", json={"invoice_number": "no-such"})
    assert by_number.status_code == 404
    assert by_number.json() == {"error": {"message": "Route does not exist"}}
    invoice = _invoice(api)
    api.put(f"/invoices/{invoice['id']}?action=archive")
    inactive = api.post("/email_invoice", json={"id": invoice["id"]})
    assert inactive.status_code == 500
    assert inactive.json() == {"error": "Emails can not be sent to inactive invoices"}
    assert _outbox(admin) == []
    assert admin.delete("/outbox").json() == {"cleared": True}


def test_paid_with_email_sends_a_receipt(api: httpx.Client, admin: httpx.Client) -> None:
    _invoice(api, paid=10, email_invoice=True)
    messages = _outbox(admin)
    assert len(messages) == 1
    assert messages[0]["subject"] == "Payment Received"


def test_download_is_a_pdf_with_the_invoice_in_it(api: httpx.Client) -> None:
    invoice = _invoice(api, tax_name1="VAT", tax_rate1=20, po_number="PO-77")
    client = api.get("/clients/1").json()["data"]
    response = api.get(f"/download/{invoice['id']}")
    assert response.status_code == 200
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="Invoice_{invoice["invoice_number"]}.pdf"'
    )
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        invoice["invoice_number"],
        client["name"],
        "Espresso machine service",
        "Descaling kit",
        "PO-77",
    ):
        assert expected in text
    total = (
        f"{invoice['amount']:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    )  # the client pays in EUR
    assert total in text
    again = api.get(f"/download/{invoice['id']}")
    assert again.content == response.content  # the same data renders the same bytes


def test_download_errors(api: httpx.Client) -> None:
    unknown = api.get("/download/9999")
    assert unknown.status_code == 404
    invoice = _invoice(api)
    api.delete(f"/invoices/{invoice['id']}")
    deleted = api.get(f"/download/{invoice['id']}")
    assert deleted.status_code == 404
    assert deleted.json() == {"error": {"message": "Route does not exist"}}


def test_download_invoice_option_answers_the_pdf(api: httpx.Client) -> None:
    response = api.post(
        "/invoices",
        json={"client_id": 1, "download_invoice": True, "invoice_items": [{"notes": "x", "cost": 1}]},
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_demo_invoice_preview(api: httpx.Client, tmp_path: Path) -> None:
    """The README's picture: page one of ``/download/1``; ``SANDBOX_WRITE_PREVIEW=1`` refreshes it."""
    wanted = os.environ.get("SANDBOX_WRITE_PREVIEW") == "1"
    target = DEMO_PREVIEW if wanted else tmp_path / "demo-invoice.png"
    response = api.get("/download/1")
    assert response.status_code == 200
    document = pypdfium2.PdfDocument(response.content)
    try:
        image = document[0].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()
    image.save(target, format="PNG", optimize=True)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None
    white = sum(count for count, colour in colours if colour == (255, 255, 255))
    assert 0.5 < white / (image.size[0] * image.size[1]) < 0.97
    assert DEMO_PREVIEW.is_file(), "docs/images/demo-invoice.png is missing: run with SANDBOX_WRITE_PREVIEW=1"
