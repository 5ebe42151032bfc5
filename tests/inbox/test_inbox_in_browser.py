"""Two agents on the same inbox in Debian's Chromium: live rows, presence, collision, reply."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.test_demo_in_browser import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_for_port
from veille.demo.run import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.browser

SECOND_AGENT = "bruno"
SECOND_PASSWORD = "bruno-agent-2025"
LIVE_MS = 2000  # the promise: each agent sees the other's change within 2 seconds

ADD_AGENT = f"""
from django.contrib.auth import get_user_model
from veille.core.models import Membership, Role, Workspace
user = get_user_model().objects.create_user({SECOND_AGENT!r}, password={SECOND_PASSWORD!r})
space = Workspace.objects.get(name="Brûlerie Azur")
Membership.objects.create(user=user, workspace=space, role=Role.AGENT)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DJANGO_"))}
    env["VEILLE_DATA_DIR"] = str(tmp_path_factory.mktemp("inbox-live-data"))
    for command in (
        [sys.executable, "-m", "veille", "demo", "--no-serve"],
        [sys.executable, "-m", "django", "shell", "--settings", "veille.settings", "-c", ADD_AGENT],
    ):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "veille", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Agent:
    """One person in a browser context of their own, with what went wrong on the page."""

    def __init__(self, context: BrowserContext, site: str) -> None:
        self.site = site
        self.context = context
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def log_in(self, username: str, password: str) -> None:
        self.page.goto(self.site + "/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("form[action='/login/'] button[type=submit]")
        expect(self.page).to_have_url(f"{self.site}/")


@pytest.fixture
def agents(browser: Browser, site: str) -> Iterator[tuple[Agent, Agent]]:
    first = Agent(browser.new_context(locale="fr-FR"), site)
    second = Agent(browser.new_context(locale="fr-FR"), site)
    first.log_in(DEMO_USERNAME, DEMO_PASSWORD)
    second.log_in(SECOND_AGENT, SECOND_PASSWORD)
    yield first, second
    for agent in (first, second):
        agent.context.close()
        assert agent.errors == [], f"JavaScript errors: {agent.errors}"
        assert agent.dialogs == [], f"unexpected dialogs: {agent.dialogs}"


def test_two_agents_see_each_other_assign_draft_reply_and_close(
    site: str, agents: tuple[Agent, Agent]
):
    alice, bruno = agents
    alice.page.goto(site + "/inbox/")
    bruno.page.goto(site + "/inbox/")
    first_row = alice.page.locator("[data-case]").first
    case_id = first_row.get_attribute("data-case-id")
    assert case_id
    row_seen_by_bruno = bruno.page.locator(f'[data-case][data-case-id="{case_id}"]')
    expect(row_seen_by_bruno.locator('[data-field="assignee"]')).not_to_have_text(DEMO_USERNAME)

    # Alice takes the case; Bruno's row says so without a reload.
    with alice.page.expect_navigation():
        first_row.locator("form[data-shortcut='a'] button").click()
    assignee = row_seen_by_bruno.locator('[data-field="assignee"]')
    expect(assignee).to_have_text(DEMO_USERNAME, timeout=LIVE_MS)
    expect(row_seen_by_bruno.locator("[data-live-mark]")).to_contain_text(DEMO_USERNAME)

    # Bruno opens the case and starts an answer; Alice is warned before marking it replied.
    bruno.page.goto(f"{site}/inbox/{case_id}/")
    # One composer: one answer box, whatever the buttons under it.
    expect(bruno.page.locator("form[data-composer] textarea")).to_have_count(1)
    expect(bruno.page.locator("textarea[name=reply_text]")).to_have_count(1)
    bruno.page.fill("#reply-text", "Bonjour, nous regardons cela.")
    alice.page.goto(f"{site}/inbox/{case_id}/")
    collision = alice.page.locator("[data-collision]")
    expect(collision).to_be_visible(timeout=6000)
    expect(collision).to_contain_text(SECOND_AGENT)
    expect(alice.page.locator("[data-presence]")).to_contain_text(SECOND_AGENT)

    alice.page.fill("#reply-text", "Merci, c'est réglé.")
    alice.page.fill("#reply-url", "https://mastodon.example/@azur/1")
    mark_replied = alice.page.locator("form[data-composer] button[data-mark-replied]")
    mark_replied.click()  # the first click only asks to confirm, on the page
    expect(alice.page).to_have_url(f"{site}/inbox/{case_id}/")
    expect(collision).to_have_attribute("data-confirm-pending", "shown")
    with alice.page.expect_navigation():
        mark_replied.click()
    case_of_alice = alice.page.locator(f'.page-head[data-case-id="{case_id}"]')
    expect(case_of_alice).to_have_attribute("data-status", "replied")

    case_of_bruno = bruno.page.locator(f'.page-head[data-case-id="{case_id}"]')
    expect(case_of_bruno).to_have_attribute("data-status", "replied", timeout=LIVE_MS)
    expect(bruno.page.locator("[data-live-events] a[href^='https://mastodon']")).to_have_count(1)

    # Alice closes it; Bruno sees the new status and who did it.
    with alice.page.expect_navigation():
        alice.page.locator("form[data-shortcut='e'] button").click()
    expect(case_of_alice).to_have_attribute("data-status", "closed")
    expect(case_of_bruno).to_have_attribute("data-status", "closed", timeout=LIVE_MS)
    expect(case_of_bruno.locator("[data-live-mark]")).to_contain_text(DEMO_USERNAME)


def test_keys_move_select_and_act_and_bulk_ignores_the_selection(
    site: str, agents: tuple[Agent, Agent]
):
    alice, _bruno = agents
    page = alice.page
    page.goto(site + "/inbox/")
    rows = page.locator("[data-case]")
    ids = [rows.nth(n).get_attribute("data-case-id") for n in range(3)]

    # j/k move the selection; x ticks the current case for a bulk action.
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_attribute("aria-current", "true")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_attribute("aria-current", "true")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(rows.nth(1)).to_have_attribute("aria-current", "true")
    expect(page.locator("[data-select]:checked")).to_have_count(2)

    page.select_option("#bulk-action", "ignore")
    with page.expect_navigation():
        page.locator("#bulk-form button[type=submit]").click()
    listed = page.locator("[data-case]")
    for case_id in ids[:2]:
        expect(page.locator(f'[data-case][data-case-id="{case_id}"]')).to_have_count(0)

    # The keys act on the selected row: a assigns it to me, i ignores it.
    page.keyboard.press("j")
    third = listed.first.get_attribute("data-case-id")
    with page.expect_navigation():
        page.keyboard.press("a")
    row = page.locator(f'[data-case][data-case-id="{third}"]')
    expect(row.locator('[data-field="assignee"]')).to_have_text(DEMO_USERNAME)
    page.keyboard.press("j")
    expect(page.locator("[data-case]").first).to_have_attribute("aria-current", "true")
    with page.expect_navigation():
        page.keyboard.press("i")
    expect(page.locator(f'[data-case][data-case-id="{third}"]')).to_have_count(0)

    # "Select all on this page" ticks every box.
    page.locator("[data-select-all]").check()
    expect(page.locator("[data-select]:not(:checked)")).to_have_count(0)
