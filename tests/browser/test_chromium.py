"""The dashboard in headless Chromium: every page, the click path to a PDF, the live log, the reset."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.helpers.receiver import webhook_receiver

PATHS = [
    "/",
    "/clients",
    "/clients/1",
    "/invoices",
    "/invoices/1",
    "/quotes",
    "/quotes/35",
    "/payments",
    "/payments/1",
    "/products",
    "/products/1",
    "/tasks",
    "/tasks/1",
    "/expenses",
    "/expenses/1",
    "/requests",
    "/outbox",
    "/webhooks",
]


def _fill_the_logs(api: httpx.Client) -> None:
    """An email in the outbox, a webhook delivery, and some requests in the journal."""
    with webhook_receiver() as receiver:
        hook = api.post("/hooks", json={"event": "create_client", "target_url": receiver.url + "/hook"})
        assert hook.status_code == 201
        assert api.post("/clients", json={"name": "Hooked Ltd"}).status_code == 200
        assert len(receiver.wait_for(1)) == 1
    assert api.post("/email_invoice", json={"id": 1}).status_code == 200


def test_every_page_loads_cleanly(page: Page, base_url: str, api: httpx.Client) -> None:
    _fill_the_logs(api)
    for path in PATHS:
        response = page.goto(base_url + path)
        assert response is not None
        assert response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        expect(page.locator("main")).to_be_visible()
        expect(page.get_by_role("navigation", name="Dashboard")).to_be_visible()
        # Every form control carries a label.
        unlabelled = page.evaluate(
            "[...document.querySelectorAll('input, select')].filter(e => e.labels.length === 0).length"
        )
        assert unlabelled == 0, path
    page.goto(base_url + "/outbox")
    page.get_by_role("link", name="New invoice 0001 from Demo Company").first.click()
    expect(page.locator("h1")).to_have_text("New invoice 0001 from Demo Company")
    expect(page.frame_locator("iframe.mail").locator("body")).to_contain_text("To view your invoice")
    page.goto(base_url + "/webhooks")
    page.get_by_role("link", name="create_client").click()
    expect(page.locator("h1")).to_contain_text("create_client")
    expect(page.locator("pre.json").first).to_contain_text("Hooked Ltd")


def test_click_from_a_client_to_an_invoice_and_its_pdf(page: Page, base_url: str, api: httpx.Client) -> None:
    page.goto(base_url + "/clients")
    page.get_by_role("link", name="Roskoth e.V.").click()
    expect(page.locator("h1")).to_contain_text("Roskoth e.V.")
    invoices = page.locator("section", has=page.get_by_role("heading", name="Invoices"))
    invoices.get_by_role("link", name="0001", exact=True).click()
    expect(page).to_have_url(base_url + "/invoices/1")
    paper = page.locator("article.paper")
    expect(paper.locator(".doc-title")).to_have_text("Invoice")
    expect(paper).to_contain_text("On-site training day")
    expect(paper.locator("tr.strong")).to_contain_text("Balance Due")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "Invoice_0001.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf == api.get("/download/1").content


def test_request_log_shows_a_new_api_request_live(page: Page, base_url: str, api: httpx.Client) -> None:
    page.goto(base_url + "/requests")
    expect(page.locator("#log-rows tr.empty")).to_be_visible()
    assert api.get("/products", params={"per_page": 2}).status_code == 200
    row = page.locator("#log-rows tr", has_text="/api/v1/products?per_page=2")
    expect(row).to_be_visible()
    expect(row.locator(".badge")).to_have_text("200")
    expect(page.locator("#live-status")).to_contain_text("New request: GET")
    row.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("/api/v1/products")
    expect(page.locator("pre[data-copy]")).to_contain_text("per_page=2")


def test_request_log_filter_applies_to_live_rows(page: Page, base_url: str, api: httpx.Client) -> None:
    page.goto(base_url + "/requests")
    page.get_by_label("Method").select_option("POST")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"method=POST"))
    assert api.get("/clients").status_code == 200
    assert api.post("/clients", json={"name": "Live Filter Ltd"}).status_code == 200
    expect(page.locator("#log-rows tr", has_text="POST")).to_have_count(1)
    expect(page.locator("#log-rows tr", has_text="GET")).to_have_count(0)


def test_copy_as_curl_copies_the_command(page: Page, base_url: str, api: httpx.Client) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    assert api.get("/ping").status_code == 200
    page.goto(base_url + "/requests")
    page.locator("#log-rows a").first.click()
    page.get_by_role("button", name="Copy as curl").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("curl \\\n  " + base_url + "/api/v1/ping")
    assert "X-Ninja-Token: TOKEN" in copied


def test_reset_button_restores_the_demo(page: Page, base_url: str, api: httpx.Client) -> None:
    assert api.post("/clients", json={"name": "Reset Me Ltd"}).status_code == 200
    page.goto(base_url + "/clients?q=reset+me")
    expect(page.get_by_role("link", name="Reset Me Ltd")).to_be_visible()
    page.goto(base_url + "/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset the demo").click()
    expect(page).to_have_url(base_url + "/?reset=1")
    expect(page.get_by_role("status")).to_contain_text("The demo was reset")
    page.goto(base_url + "/clients?q=reset+me")
    expect(page.locator("tbody tr.empty")).to_have_text("Nothing matches these filters.")


def test_skip_link_is_the_first_stop_of_the_keyboard(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_pages_fit_a_phone_screen(phone: Page, base_url: str, api: httpx.Client) -> None:
    assert api.get("/ping").status_code == 200
    lists = ["/clients", "/invoices", "/quotes", "/payments", "/products", "/tasks", "/expenses", "/requests"]
    for path in ["/", "/invoices/1", *lists]:
        phone.goto(base_url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} pixels wide"
        # Tables may scroll sideways, but a list's columns are chosen to fit without it.
        wide = phone.evaluate(
            "[...document.querySelectorAll('.table-wrap')].filter(e => e.scrollWidth > e.clientWidth).length"
        )
        assert path not in lists or wide == 0, f"a table of {path} is wider than the screen"
    phone.goto(base_url + "/")
    expect(phone.locator(".chart.narrow")).to_be_visible()
    expect(phone.locator(".chart.wide")).to_be_hidden()
