"""The dashboard's pages over plain HTTP: status, content, 404s, the PDF, the event stream, the reset."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from sandbox import SandboxServer, Settings

PAGES = {
    "/": "Demo Company",
    "/clients": "Clients",
    "/clients/1": "Roskoth e.V.",
    "/invoices": "Invoices",
    "/invoices/1": "Invoice 0001",
    "/quotes": "Quotes",
    "/quotes/35": "Quote 0035",
    "/payments": "Payments",
    "/payments/1": "Payment of €5.825,00",
    "/products": "Products",
    "/products/1": "CONSULT",
    "/tasks": "Tasks",
    "/tasks/1": "Performance tuning",
    "/expenses": "Expenses",
    "/expenses/1": "Expense of $1,411.97",
    "/requests": "Request log",
    "/outbox": "Outbox",
    "/webhooks": "Webhooks",
}


@pytest.fixture
def web(base_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for the dashboard (no token: the pages need none)."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


def _h1(html: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert match, html[:500]
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_page_answers_html_with_its_heading(web: httpx.Client, path: str, heading: str) -> None:
    response = web.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert _h1(response.text).startswith(heading)
    assert '<main id="main"' in response.text
    # Every asset is the sandbox's own: no absolute URL in a src or href.
    assert not re.search(r'(?:src|href)="(?:https?:)?//', response.text)


def test_dashboard_pages_are_not_journaled(web: httpx.Client, admin: httpx.Client) -> None:
    for path in ("/", "/clients", "/requests", "/invoices/1/pdf", "/assets/dashboard.css"):
        assert web.get(path).status_code == 200
    assert admin.get("/requests").json()["total"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "/clients/999",
        "/invoices/abc",
        "/invoices/999/pdf",
        "/quotes/0",
        "/payments/999",
        "/products/-1",
        "/tasks/999",
        "/expenses/999",
        "/requests/999",
        "/outbox/999",
        "/outbox/999/body",
        "/outbox/999/attachments/0",
        "/webhooks/999",
        "/no/such/page",
        "/assets/nothing.css",
    ],
)
def test_unknown_id_or_path_answers_the_html_404_page(web: httpx.Client, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert _h1(response.text) == "Not found"
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/invoices?page=%C2%B2&status=%00&q=%ff",
        "/requests?status=%C2%B2%C2%B2%C2%B2&method=x&page=-1",
        "/?currency=XXX",
        "/clients?page=99999999999999999999",
    ],
)
def test_odd_queries_still_answer_the_page(web: httpx.Client, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 200
    assert "<h1>" in response.text


def test_api_and_admin_keep_their_own_404_shapes(web: httpx.Client) -> None:
    api = web.get("/api/v1/nothing", headers={"X-Ninja-Token": "TOKEN"})
    assert api.status_code == 404
    assert "text/html" not in api.headers["Content-Type"] or "<h1>Not found</h1>" not in api.text
    assert web.get("/__admin/nothing").status_code == 404


def test_wrong_method_answers_an_html_405(web: httpx.Client) -> None:
    response = web.post("/clients")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET,HEAD"
    assert _h1(response.text) == "Method not allowed"


def test_head_answers_like_get_without_a_body(web: httpx.Client) -> None:
    response = web.head("/")
    assert response.status_code == 200
    assert response.content == b""


def test_invoice_page_shows_the_pdf_document_and_api_curl(web: httpx.Client) -> None:
    html = web.get("/invoices/1").text
    assert '<p class="doc-title">Invoice</p>' in html
    assert "Roskoth e.V." in html
    assert "TRAINING" in html
    assert "On-site training day" in html
    assert "€5.825,00" in html
    assert 'href="/invoices/1/pdf"' in html
    assert "-H &#39;X-Ninja-Token: TOKEN&#39;" in html
    assert "/api/v1/invoices/1" in html


def test_pdf_is_the_bytes_the_api_downloads(web: httpx.Client, api: httpx.Client) -> None:
    mine = web.get("/invoices/1/pdf")
    theirs = api.get("/download/1")
    assert mine.status_code == theirs.status_code == 200
    assert mine.headers["Content-Type"] == "application/pdf"
    assert mine.headers["Content-Disposition"] == 'attachment; filename="Invoice_0001.pdf"'
    assert mine.content.startswith(b"%PDF")
    assert mine.content == theirs.content


def test_quote_and_invoice_paths_redirect_to_their_kind(web: httpx.Client) -> None:
    to_quote = web.get("/invoices/35", follow_redirects=False)
    assert (to_quote.status_code, to_quote.headers["Location"]) == (302, "/quotes/35")
    to_invoice = web.get("/quotes/1/pdf", follow_redirects=False)
    assert (to_invoice.status_code, to_invoice.headers["Location"]) == (302, "/invoices/1/pdf")


def test_deleted_invoice_has_no_pdf(web: httpx.Client, api: httpx.Client) -> None:
    assert api.delete("/invoices/4").status_code == 200
    page = web.get("/invoices/4")
    assert page.status_code == 200
    assert "Deleted" in page.text
    assert 'href="/invoices/4/pdf"' not in page.text
    assert web.get("/invoices/4/pdf").status_code == 404


def test_lists_search_filter_and_page(web: httpx.Client) -> None:
    found = web.get("/clients", params={"q": "roskoth"}).text
    assert "Roskoth e.V." in found
    assert "Weimer GmbH" not in found
    paid = web.get("/invoices", params={"status": "paid"}).text
    badges = set(re.findall(r'<span class="badge \w+">([^<]+)</span>', paid))
    assert badges == {"Paid"}
    second = web.get("/invoices", params={"page": "2"}).text
    assert "page 2 of" in second
    nothing = web.get("/products", params={"q": "no such product"}).text
    assert "Nothing matches these filters." in nothing


def test_the_list_reads_what_the_api_writes(web: httpx.Client, api: httpx.Client) -> None:
    created = api.post("/products", json={"product_key": "DASHBOARD-WIDGET", "notes": "Shown", "cost": 12.5})
    assert created.status_code == 200
    html = web.get("/products").text
    assert "DASHBOARD-WIDGET" in html
    assert "$12.50" in html


def test_request_log_and_detail_show_the_request(web: httpx.Client, api: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Logged Ltd"}).status_code == 200
    log = web.get("/requests").text.replace("<wbr>", "")
    assert "/api/v1/clients" in log
    entry = re.search(r'href="/requests/(\d+)"', log)
    assert entry
    detail = web.get(f"/requests/{entry.group(1)}").text
    assert "Logged Ltd" in detail
    assert "curl \\\n  -X POST \\\n  http://127.0.0.1:" in detail
    assert "--data-raw &#39;{&#34;name&#34;:&#34;Logged Ltd&#34;}&#39;" in detail
    filtered = web.get("/requests", params={"method": "GET"}).text.replace("<wbr>", "")
    assert "/api/v1/clients" not in filtered


def _next_event(lines: Iterator[str]) -> dict[str, str]:
    """The next server-sent event's fields (``data`` lines joined), skipping keep-alive comments."""
    event: dict[str, str] = {}
    for line in lines:
        if not line:
            if event:
                return event
            continue
        name, _, value = line.partition(": ")
        if name and name != "retry":
            event[name] = f"{event[name]}\n{value}" if name in event else value
    raise AssertionError("the stream ended")


def test_event_stream_sends_new_requests_and_a_reset(
    base_url: str, api: httpx.Client, admin: httpx.Client
) -> None:
    with (
        httpx.Client(base_url=base_url, timeout=10) as client,
        client.stream("GET", "/requests/events", params={"after": "0", "method": "GET"}) as stream,
    ):
        assert stream.headers["Content-Type"] == "text/event-stream"
        lines = stream.iter_lines()
        assert next(lines) == "retry: 2000"
        assert api.post("/clients", json={"name": "Not shown"}).status_code == 200
        assert api.get("/ping").status_code == 200
        event = _next_event(lines)
        assert event["event"] == "request"
        assert event["data"].startswith(f'<tr data-id="{event["id"]}">')
        assert "/api/v1/ping" in event["data"].replace("<wbr>", "")
        assert admin.post("/reset").status_code == 200
        assert _next_event(lines) == {"event": "cleared", "data": ""}


def test_reset_brings_the_seed_back(web: httpx.Client, api: httpx.Client, admin: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Gone Soon"}).status_code == 200
    response = web.post("/reset", follow_redirects=False)
    assert (response.status_code, response.headers["Location"]) == (303, "/?reset=1")
    assert "Gone Soon" not in web.get("/clients", params={"q": "gone"}).text
    assert api.get("/clients").json()["meta"]["pagination"]["total"] == 12
    assert admin.get("/requests").json()["total"] == 1  # the client list just above
    assert "The demo was reset" in web.get("/?reset=1").text


def test_reset_from_another_site_is_refused(web: httpx.Client, api: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Stays"}).status_code == 200
    response = web.post("/reset", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 403
    assert "Stays" in web.get("/clients", params={"q": "stays"}).text


def test_dashboard_works_behind_the_admin_token() -> None:
    settings = Settings(port=0, data=":memory:", error_delay=0, admin_token="s3cret")
    with SandboxServer(settings) as server:
        with httpx.Client(base_url=server.url, timeout=10) as stranger:
            assert stranger.get("/").status_code == 401
            assert stranger.post("/reset").status_code == 401
            assert stranger.get("/assets/dashboard.css").status_code == 200
        with httpx.Client(base_url=server.url, auth=("admin", "s3cret"), timeout=10) as owner:
            assert _h1(owner.get("/").text) == "Demo Company"
            reset = owner.post("/reset", follow_redirects=False)
            assert (reset.status_code, reset.headers["Location"]) == (303, "/?reset=1")


def test_outbox_and_webhook_pages_show_what_the_api_sent(web: httpx.Client, api: httpx.Client) -> None:
    assert api.post("/email_invoice", json={"id": 1}).status_code == 200
    outbox = web.get("/outbox").text
    assert "New invoice 0001 from Demo Company" in outbox
    found = re.search(r'href="/outbox/(\d+)"', outbox)
    assert found
    message_id = found.group(1)
    message = web.get(f"/outbox/{message_id}")
    assert "Invoice_0001.pdf" in message.text
    assert 'href="/invoices/1"' in message.text
    body = web.get(f"/outbox/{message_id}/body")
    assert body.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "To view your invoice" in body.text
    attachment = web.get(f"/outbox/{message_id}/attachments/0")
    assert attachment.headers["Content-Type"] == "application/pdf"
    assert attachment.content.startswith(b"%PDF")
    assert "No deliveries yet" in web.get("/webhooks").text


def test_assets_are_served_with_types_and_etags(web: httpx.Client) -> None:
    for name, kind in (
        ("dashboard.css", "text/css"),
        ("dashboard.js", "text/javascript"),
        ("favicon.svg", "image/svg+xml"),
    ):
        response = web.get(f"/assets/{name}")
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith(kind)
        again = web.get(f"/assets/{name}", headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    assert web.get("/favicon.ico").headers["Content-Type"] == "image/svg+xml"
