"""End to end: `veille demo --no-serve`, then `veille serve`, driven in Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from veille.demo.run import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"veille serve exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VEILLE_", "DJANGO_"))
    }
    env["VEILLE_DATA_DIR"] = str(tmp_path_factory.mktemp("demo-data"))
    prepared = subprocess.run(
        [sys.executable, "-m", "veille", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    assert "Demo workspace 'Brûlerie Azur'" in prepared.stdout
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "veille", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR")
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert dialogs == [], f"a script from the data ran: {dialogs}"


def _log_in(page: Page, site: str) -> None:
    page.goto(site + "/")
    expect(page).to_have_url(f"{site}/login/?next=/")
    page.fill("input[name=username]", DEMO_USERNAME)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    expect(page).to_have_url(f"{site}/")


def test_the_demo_user_logs_in_reads_mentions_and_logs_out(demo_site: str, page: Page):
    _log_in(page, demo_site)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert "Brûlerie Azur" in page.content()
    rows = page.locator("[data-mention]")
    expect(rows).to_have_count(50)
    # Hostile text from the sample data is shown as text, never run (see the dialog check).
    page.goto(demo_site + "/?q=script")
    expect(page.get_by_text("<script>", exact=False).first).to_be_visible()
    assert page.locator("a[href^='javascript:']").count() == 0

    page.click("form[action='/logout/'] button[type=submit]")
    expect(page).to_have_url(f"{demo_site}/login/")
    page.goto(demo_site + "/")
    expect(page).to_have_url(f"{demo_site}/login/?next=/")


def test_wrong_password_stays_on_the_login_page(demo_site: str, page: Page):
    page.goto(demo_site + "/login/")
    page.fill("input[name=username]", DEMO_USERNAME)
    page.fill("input[name=password]", "not-the-password")
    page.click("form[action='/login/'] button[type=submit]")
    expect(page).to_have_url(f"{demo_site}/login/")
    expect(page.locator("form[action='/login/']")).to_be_visible()


def test_static_css_is_served(demo_site: str, page: Page):
    response = page.request.get(demo_site + "/static/veille/veille.css")
    assert response.status == 200
    assert "text/css" in response.headers["content-type"]


def test_the_insights_charts_render_in_chromium(demo_site: str, page: Page, tmp_path: Path):
    from PIL import Image

    _log_in(page, demo_site)
    page.goto(demo_site + "/insights/?since=2025-10-01&until=2026-10-31&granularity=week")
    for panel in ("volume", "voice", "places", "media", "community", "network", "team"):
        expect(page.locator(f"#{panel}")).to_be_visible()
    chart = page.locator("#volume img.chart").first
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    shot = tmp_path / "volume.png"
    chart.screenshot(path=str(shot))
    pixels = list(Image.open(shot).convert("RGB").get_flattened_data())
    inked = sum(1 for r, g, b in pixels if r + g + b < 600)
    blue = sum(1 for r, g, b in pixels if b > 150 and r < 100)
    assert inked / len(pixels) > 0.01, "the chart is blank"
    assert blue > 200, "the volume line is missing"
    rows = page.locator("#voice tbody tr")
    expect(rows).to_have_count(2)
