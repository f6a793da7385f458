"""The web page in a real browser: Playwright driving Debian's Chromium against the real stack.

The stack is the session's one, shared with the end-to-end tests (tests/support/stack.py: query,
recommender and gateway as processes on the session's real data). Every page runs with the network cut
off: any request that does not go to the loopback stack is aborted and recorded, and the test fails if
there was one. On a failure the page's screenshot is saved as ``failure.png`` under the test's ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

from tests.support.stack import Stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so the page fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# Module scope, not session: while Playwright's sync API is open it holds the thread's running event
# loop, and any later test that runs one (TestClient, asyncio.run) would fail.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"the browser tests need Debian's Chromium at {CHROMIUM} "
            "(apt-get install -y chromium; .ci/run installs it)"
        )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def page(
    browser: Browser, healthy_stack: Stack, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Page]:
    """A fresh browser context (own localStorage) at desktop size, offline but for the stack."""
    context = browser.new_context(
        base_url=healthy_stack.url, viewport={"width": 1280, "height": 900}, locale="es-ES"
    )
    context.set_default_timeout(15_000)
    outside: list[str] = []
    errors: list[str] = []

    def cut_off(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", cut_off)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        yield page
    finally:
        call = getattr(request.node, "report_call", None)
        if call is not None and call.failed:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        context.close()
    assert not outside, f"the page tried to reach the network: {outside}"
    assert not errors, f"uncaught JavaScript errors or blocked content: {errors}"
