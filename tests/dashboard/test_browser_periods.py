"""Issue 28, item 1, in Chromium: the same question gets the same figure on the Overview, on the page and from the
CLI, per role; a period that includes today shows no change against whole days, and says why."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from etl.core import clock
from etl.reporting.formatting import display
from tests.dashboard.test_browser import overview_in_the_browser, pytestmark, recent  # noqa: F401 (fixture, marks)
from tests.helpers import browser_page, log_in, settle

# the Overview's tile, the page and its tile, the report and its figure: one question each
QUESTIONS = {
    "marketing": ("Visitors, last 7 days", "usage", "Usage trends", "Visitors", "usage", "visitors"),
    "manager": ("Inquiries, last 7 days", "inquiries", "Inquiry funnel", "Inquiries", "inquiries", "inquiries"),
}
ROLE_QUESTIONS = {"marketing": ("marketing",), "manager": ("manager",), "admin": ("marketing", "manager")}


def page_tiles(base: str, login: tuple[str, str], path: str, heading: str) -> tuple[dict[str, str], str]:
    """Open ``path`` signed in and read each tile, label -> change as shown ("" when none), with the page's text."""
    with browser_page(base) as (_, page):
        page.goto(f"{base}/{path}", wait_until="networkidle")
        log_in(page, *login)
        page.wait_for_selector(f'h1:has-text("{heading}")', timeout=60_000)
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        settle(page)
        tiles = {}
        for tile in page.locator('[data-testid="stMetric"]').all():
            delta = tile.locator('[data-testid="stMetricDelta"]')
            tiles[tile.locator('[data-testid="stMetricLabel"]').inner_text().strip()] = (
                tile.locator('[data-testid="stMetricValue"]').inner_text().strip()
                + "|" + (delta.inner_text().strip() if delta.count() else "")
            )
        assert page.locator('[data-testid="stException"]').count() == 0
        return tiles, page.locator("body").inner_text()


def cli_figure(env: dict[str, str], report: str, key: str, start: dt.date, end: dt.date) -> int:
    done = subprocess.run([sys.executable, "-m", "etl.cli", "report", report, "--from", start.isoformat(), "--to",
                           end.isoformat(), "--json"], env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)[key]


@pytest.mark.parametrize("role", list(ROLE_QUESTIONS))
def test_the_last_7_days_are_the_same_on_the_overview_the_page_and_the_cli(recent, role):  # noqa: F811
    base, logins, env = recent
    yesterday = clock.today(ZoneInfo("Asia/Shanghai")) - dt.timedelta(days=1)
    start = yesterday - dt.timedelta(days=6)  # seven whole days to yesterday, counted here, not asked of the product
    overview, _ = overview_in_the_browser(base, *logins[role])
    for name in ROLE_QUESTIONS[role]:
        tile, path, heading, page_label, report, key = QUESTIONS[name]
        figure = display(key, cli_figure(env, report, key, start, yesterday))
        shown, text = page_tiles(base, logins[role], f"{path}?range=last7&compare=previous", heading)
        value, change = shown[page_label].split("|")
        before = (start - dt.timedelta(days=7), start - dt.timedelta(days=1))
        assert f"Changes against {before[0]} – {before[1]}" in text  # against the seven days before, whole
        assert overview[tile][0] == value == figure, (overview[tile], shown[page_label], figure)
        assert overview[tile][1] == change and change  # both against the seven days before, so one change


@pytest.mark.parametrize("role", list(ROLE_QUESTIONS))
def test_a_period_that_includes_today_shows_no_change_and_says_why(recent, role):  # noqa: F811
    base, logins, _ = recent
    for name in ROLE_QUESTIONS[role]:
        _, path, heading, _, _, _ = QUESTIONS[name]
        for period in ("today", "month"):
            shown, text = page_tiles(base, logins[role], f"{path}?range={period}&compare=previous", heading)
            changes = {label: tile.split("|")[1] for label, tile in shown.items()}
            assert not any(changes.values()), (period, changes)
            assert "includes today" in text and "not over" in text
