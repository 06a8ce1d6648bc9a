"""Headless Chromium (Debian's, driven by Playwright) against the session's sandbox.

Every page a test opens is watched: a console error, an uncaught script error, a failed request or
an asset answered with an error fails the test. The tests are plain sync functions: Playwright's
sync API runs its own event loop and must not run inside another one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per module.

    Not per session: while Playwright runs, its event loop counts as running in this thread, and the
    async tests of other modules could not start theirs.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watch:
    """What went wrong on a page: console errors, script errors, failed or refused asset requests."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request: Request) -> None:
        # Leaving a page cancels what it still loads (the request log's event stream, the icon):
        # the browser reports those as aborted. Errors and refusals have other codes.
        if request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} for {response.request.resource_type} {response.url}")


def open_page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    """A fresh page at a viewport size; fails the test on anything the watch saw."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    watch = Watch(page)
    yield page
    context.close()
    if watch.problems:
        pytest.fail("the page had problems:\n" + "\n".join(watch.problems))


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A desktop-sized page (1280 wide) on a freshly reset sandbox."""
    del base_url  # requested for the reset
    yield from open_page(browser, DESKTOP)


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    """A phone-sized page (390 wide) on a freshly reset sandbox."""
    del base_url
    yield from open_page(browser, PHONE)
