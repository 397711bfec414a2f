"""A served suite (`tanso serve` on a free port, embedded database with data) and a browser page."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, TANSO, free_port
from tests.requirements import CHROMIUM_ARGS, chromium


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"tanso serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/liveness", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up in {timeout} s")


@pytest.fixture(scope="session")
def suite_log(tmp_path_factory) -> Path:
    """Where the browser suite's server writes its log (tests read it: no password in it)."""
    return tmp_path_factory.mktemp("serve") / "serve.log"


@pytest.fixture(scope="session")
def suite_url(loaded_embedded, suite_log):
    port = free_port()
    log = suite_log
    with open(log, "w") as out:
        proc = subprocess.Popen([*TANSO, "serve", "--port", str(port)], env=loaded_embedded.env,
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")  # Playwright's sync API holds an event loop while open
def browser():
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


# The two screens every app's screenshots are taken at.
SCREEN_SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@contextmanager
def sized_page(browser, size: str):
    """A page in a new context with the viewport of SCREEN_SIZES[size], closed afterwards."""
    width, height = SCREEN_SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()


def in_shadow_roots(body: str) -> str:
    """A function for page.evaluate whose body can call all(root, selector): every match under root,
    inside shadow roots too. Panel renders each widget in one, and scripts (unlike locators) don't
    pierce them."""
    return ("() => {\n  const all = (root, selector) => [...root.querySelectorAll(selector),\n"
            "    ...[...root.querySelectorAll('*')].filter(e => e.shadowRoot)"
            ".flatMap(e => all(e.shadowRoot, selector))];" + body + "\n}")


def settled_screenshot(page, path: Path, *, full_page: bool = True) -> None:
    """A screenshot once BokehJS has had time to draw (the text a test waits for comes first)."""
    page.wait_for_timeout(1500)
    page.screenshot(path=path, full_page=full_page)


def confined_page(browser, allowed: tuple[str, ...], viewport: dict):
    """A page in a new context that can reach URLs starting with `allowed` (plus data: and blob:)
    only: every other request is refused and listed in `page.outside`; page errors in `page.js_errors`."""
    context = browser.new_context(viewport=viewport)
    outside: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith((*allowed, "data:", "blob:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.outside, page.js_errors = outside, errors
    return page
