"""Browser tests: Debian's Chromium driven by Playwright against a real server and database
(the pattern of ``tests.features.api_steps``: one server per module, its clock in this
process). Every test here carries the ``browser`` marker; all of them are skipped, with the
reason, when /usr/bin/chromium is missing."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.features.api_steps import ApiOffice, running_api

CHROMIUM = Path(os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 768}
MISSING = f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)"

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extra installs it
    sync_playwright = None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists() or sync_playwright is None:
                item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert sync_playwright is not None
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def web() -> Iterator[ApiOffice]:
    """A server of its own per module, on a fresh SQLite database."""
    with tempfile.TemporaryDirectory() as folder, \
            running_api(f"sqlite:///{folder}/motcua.db") as running:
        yield running


@pytest.fixture
def context(browser: Browser, web: ApiOffice) -> Iterator[BrowserContext]:
    made = browser.new_context(base_url=web.url, viewport=DESKTOP, locale="vi-VN",
                               timezone_id="Asia/Ho_Chi_Minh")
    made.set_default_timeout(15_000)
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A tab; every test fails if the pages' Content-Security-Policy blocked anything."""
    opened = context.new_page()
    errors: list[str] = []
    blocked: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("console", lambda message: blocked.append(message.text)
              if "Content Security Policy" in message.text else None)
    opened.script_errors = errors  # type: ignore[attr-defined]
    yield opened
    assert blocked == [], "the pages' Content-Security-Policy blocked something"


def sign_in(page: Page, username: str, password: str = "demo") -> None:
    page.goto("/dang-nhap")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/dang-nhap'] button[type=submit]")
    page.wait_for_load_state()
    assert "/dang-nhap" not in page.url, page.content()[:500]


def numbers(page: Page, selector: str) -> dict[str, int]:
    """The integer cells of a table row, by their data-key (Vietnamese grouping dots)."""
    cells = page.eval_on_selector_all(
        f"{selector} td[data-key]", "cells => cells.map(c => [c.dataset.key, c.innerText])")
    found: dict[str, int] = {}
    for key, text in cells:
        cleaned = text.replace(".", "").strip()
        if cleaned.isdigit():
            found[key] = int(cleaned)
    return found
