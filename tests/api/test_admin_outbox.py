"""The outbox's admin API: search filters, paging, latest, one message and its bodies, delete, wait."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

ITEMS = [{"product_key": "OUT", "notes": "Outbox test", "cost": 5, "qty": 1}]
CLIENT_1 = ["andrej.seip@roskothev.example", "birgitt.heintze@roskothev.example"]  # seed 1, client 1
CLIENT_2 = ["michael.rhodes@carrollinc.example", "kevin.matthews@carrollinc.example"]  # seed 1, client 2


def _invoice(api: httpx.Client, client_id: int = 1, **body: Any) -> dict[str, Any]:
    response = api.post("/invoices", json={"client_id": client_id, "invoice_items": ITEMS, **body})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _email(api: httpx.Client, invoice: dict[str, Any]) -> None:
    response = api.post("/email_invoice", json={"id": invoice["id"]})
    assert response.status_code == 200
    assert response.json() == {"message": "success"}


def _listed(admin: httpx.Client, **params: Any) -> dict[str, Any]:
    response = admin.get("/outbox", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert list(body) == ["messages", "total", "dropped"]
    return body


def _ids(body: dict[str, Any]) -> list[int]:
    return [message["id"] for message in body["messages"]]


@pytest.fixture
def mailed(api: httpx.Client, admin: httpx.Client) -> dict[str, Any]:
    """An invoice for client 1 and a quote for client 2, each emailed: four messages.

    Message ids keep counting across resets, so tests name messages by position: ``ids[0]`` to ``ids[3]``.
    """
    invoice = _invoice(api)
    quote = _invoice(api, client_id=2, is_quote=True)
    _email(api, invoice)
    _email(api, quote)
    return {"invoice": invoice, "quote": quote, "ids": _ids(_listed(admin))}


# --- list, filters and paging -----------------------------------------------------------------------------


def test_list_shows_every_message_with_attachment_urls(admin: httpx.Client, mailed: dict[str, Any]) -> None:
    body = _listed(admin)
    ids = mailed["ids"]
    assert (len(ids), body["total"], body["dropped"]) == (4, 4, 0)
    assert ids == sorted(ids)
    first = body["messages"][0]
    assert list(first) == [
        "id", "time", "account_key", "from", "to", "cc", "bcc", "subject", "html", "text",
        "template", "invoice_id", "invitation_key", "attachments",
    ]  # fmt: skip
    assert first["from"] == {"name": "Demo Company", "email": "sandbox@invoiceninja.test"}
    assert first["to"] == [CLIENT_1[0]]
    assert first["template"] == "invoice"
    assert first["invoice_id"] == mailed["invoice"]["id"]
    number = mailed["invoice"]["invoice_number"]
    assert first["attachments"] == [
        {
            "filename": f"Invoice_{number}.pdf",
            "content_type": "application/pdf",
            "size": first["attachments"][0]["size"],
            "url": f"/__admin/outbox/{ids[0]}/attachments/0",
        }
    ]
    pdf = admin.get(f"/outbox/{ids[0]}/attachments/0")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert len(pdf.content) == first["attachments"][0]["size"]


@pytest.mark.parametrize(
    ("params", "positions"),
    [
        ({"to": CLIENT_1[1].upper()}, [1]),
        ({"to": "carrollinc"}, [2, 3]),
        ({"from": "DEMO company"}, [0, 1, 2, 3]),
        ({"from": "sandbox@invoiceninja"}, [0, 1, 2, 3]),
        ({"from": "someone else"}, []),
        ({"subject": "new QUOTE"}, [2, 3]),
        ({"text": "to view your invoice"}, [0, 1]),
        ({"text": "/view/"}, [0, 1, 2, 3]),
        ({"template": "quote"}, [2, 3]),
        ({"template": "reminder1"}, []),
        ({"since": "0"}, [0, 1, 2, 3]),
        ({"since": "99999999999"}, []),
        ({"template": "invoice", "to": "andrej"}, [0]),
    ],
)
def test_list_filters(
    admin: httpx.Client, mailed: dict[str, Any], params: dict[str, str], positions: list[int]
) -> None:
    body = _listed(admin, **params)
    ids = [mailed["ids"][position] for position in positions]
    assert (_ids(body), body["total"]) == (ids, len(ids))


def test_list_filters_by_invoice_and_account(admin: httpx.Client, mailed: dict[str, Any]) -> None:
    ids = mailed["ids"]
    assert _ids(_listed(admin, invoice_id=mailed["quote"]["id"])) == ids[2:]
    assert _ids(_listed(admin, invoice_id=9999)) == []
    account_key = _listed(admin)["messages"][0]["account_key"]
    assert _ids(_listed(admin, account_key=account_key)) == ids
    assert _ids(_listed(admin, account_key="nope")) == []
    since = _listed(admin)["messages"][2]["time"]
    assert _ids(_listed(admin, since=since)) == ids[2:]


def test_list_pages_after_filtering(admin: httpx.Client, mailed: dict[str, Any]) -> None:
    ids = mailed["ids"]
    body = _listed(admin, limit=2, offset=1)
    assert (_ids(body), body["total"]) == (ids[1:3], 4)
    body = _listed(admin, template="quote", limit=1, offset=1)
    assert (_ids(body), body["total"]) == (ids[3:], 2)
    body = _listed(admin, offset=10)
    assert (_ids(body), body["total"]) == ([], 4)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"invoice_id": "x"}, "invoice_id must be an integer of at least 0"),
        ({"since": "yesterday"}, "since must be a number"),
        ({"limit": "-1"}, "limit must be an integer of at least 0"),
        ({"offset": "1.5"}, "offset must be an integer of at least 0"),
    ],
)
def test_list_rejects_bad_filters(admin: httpx.Client, params: dict[str, str], message: str) -> None:
    response = admin.get("/outbox", params=params)
    assert response.status_code == 400
    assert response.json() == {"error": message}


# --- latest, one message, its bodies, delete --------------------------------------------------------------


def test_latest_is_the_newest_match(admin: httpx.Client, mailed: dict[str, Any]) -> None:
    newest = admin.get("/outbox/latest")
    assert newest.status_code == 200
    assert newest.json() == _listed(admin)["messages"][3]
    for_andrej = admin.get("/outbox/latest", params={"to": "andrej"})
    assert for_andrej.status_code == 200
    assert (for_andrej.json()["id"], for_andrej.json()["to"]) == (mailed["ids"][0], [CLIENT_1[0]])
    none = admin.get("/outbox/latest", params={"to": "nobody", "template": "quote"})
    assert none.status_code == 404
    assert none.json() == {"error": 'no message matches {"to":"nobody","template":"quote"}'}


def test_latest_of_an_empty_outbox_is_404(admin: httpx.Client) -> None:
    response = admin.get("/outbox/latest")
    assert response.status_code == 404
    assert response.json() == {"error": "no message matches {}"}


def test_one_message_and_its_bodies(admin: httpx.Client, mailed: dict[str, Any]) -> None:
    listed = _listed(admin)["messages"][2]
    message_id = mailed["ids"][2]
    response = admin.get(f"/outbox/{message_id}")
    assert response.status_code == 200
    assert response.json() == listed
    assert response.json()["subject"] == f"New quote {mailed['quote']['invoice_number']} from Demo Company"
    html = admin.get(f"/outbox/{message_id}/html")
    assert html.status_code == 200
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert html.text == listed["html"]
    assert html.text.startswith("<!DOCTYPE html>")
    text = admin.get(f"/outbox/{message_id}/text")
    assert text.status_code == 200
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert text.text == listed["text"]
    assert "/view/" in text.text


@pytest.mark.parametrize("path", ["/outbox/{id}", "/outbox/x", "/outbox/{id}/html", "/outbox/{id}/text"])
def test_unknown_message_is_404(admin: httpx.Client, mailed: dict[str, Any], path: str) -> None:
    unknown = str(mailed["ids"][-1] + 1)
    response = admin.get(path.replace("{id}", unknown))
    assert response.status_code == 404
    name = "x" if "/x" in path else unknown
    assert response.json() == {"error": f"no message {name} in the outbox"}


def test_delete_one_message(admin: httpx.Client, mailed: dict[str, Any]) -> None:
    ids = mailed["ids"]
    response = admin.delete(f"/outbox/{ids[1]}")
    assert response.status_code == 200
    assert response.json() == {"deleted": True, "id": ids[1]}
    assert _ids(_listed(admin)) == [ids[0], *ids[2:]]
    gone = admin.get(f"/outbox/{ids[1]}")
    assert gone.status_code == 404
    assert gone.json() == {"error": f"no message {ids[1]} in the outbox"}
    again = admin.delete(f"/outbox/{ids[1]}")
    assert again.status_code == 404
    assert again.json() == {"error": f"no message {ids[1]} in the outbox"}
    assert admin.delete("/outbox").json() == {"cleared": True}
    assert _listed(admin) == {"messages": [], "total": 0, "dropped": 0}


# --- wait -------------------------------------------------------------------------------------------------


def test_wait_answers_at_once_when_enough_messages_match(admin: httpx.Client, mailed: dict[str, Any]) -> None:
    response = admin.post("/outbox/wait", json={"template": "quote", "count": 2, "timeout_ms": 5000})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["messages", "total", "waited_ms"]
    assert (_ids(body), body["total"]) == (mailed["ids"][2:], 2)
    assert body["waited_ms"] < 1000


def test_wait_is_satisfied_by_a_concurrent_api_request(api: httpx.Client, base_url: str) -> None:
    invoice = _invoice(api)
    answer: dict[str, httpx.Response] = {}

    def wait() -> None:
        body = {"invoice_id": invoice["id"], "to": CLIENT_1[1], "timeout_ms": 10_000}
        answer["wait"] = httpx.post(f"{base_url}/__admin/outbox/wait", json=body, timeout=20)

    waiter = threading.Thread(target=wait)
    started = time.monotonic()
    waiter.start()
    _email(api, _invoice(api))  # another invoice: does not match, the wait goes on
    _email(api, invoice)
    waiter.join(20)
    assert not waiter.is_alive()
    assert time.monotonic() - started < 10
    response = answer["wait"]
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    message = body["messages"][0]
    assert (message["invoice_id"], message["to"]) == (invoice["id"], [CLIENT_1[1]])
    assert message["subject"] == f"New invoice {invoice['invoice_number']} from Demo Company"


def test_wait_times_out_with_408(admin: httpx.Client, mailed: dict[str, Any]) -> None:
    started = time.monotonic()
    response = admin.post("/outbox/wait", json={"template": "quote", "count": 3, "timeout_ms": 250})
    assert time.monotonic() - started >= 0.25
    assert response.status_code == 408
    body = response.json()
    assert body == {
        "error": 'timed out after 250 ms waiting for 3 messages matching {"template":"quote"}; 2 matched',
        "total": 2,
        "waited_ms": body["waited_ms"],
    }
    assert body["waited_ms"] >= 250


def test_wait_for_nothing_yet_times_out(admin: httpx.Client) -> None:
    response = admin.post("/outbox/wait", json={"timeout_ms": 0})
    assert response.status_code == 408
    assert response.json()["error"] == "timed out after 0 ms waiting for 1 message matching {}; 0 matched"
    assert response.json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([1], "the body must be a JSON object"),
        (
            {"subjet": "typo"},
            "unknown field subjet; known fields: account_key, count, from, invoice_id, since, subject, "
            "template, text, timeout_ms, to",
        ),
        ({"count": 0}, "count must be an integer of at least 1"),
        ({"timeout_ms": 30_001}, "timeout_ms must be a number of milliseconds from 0 to 30000"),
        ({"timeout_ms": True}, "timeout_ms must be a number of milliseconds from 0 to 30000"),
        ({"to": 5}, "to must be a string"),
    ],
)
def test_wait_rejects_bad_bodies(admin: httpx.Client, body: Any, message: str) -> None:
    response = admin.post("/outbox/wait", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": message}
