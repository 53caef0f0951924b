"""Every page, for every role that may open it, renders without an exception box in the states users meet:
an empty warehouse, a period with no data, a single day, a filter that matches nothing, and data that ended
long ago; and says what is missing (issue 20)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES, pages_for
from etl.core import clock
from tests.conftest import START, TODAY
from tests.helpers import run_page

pytestmark = pytest.mark.slow

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
STATES = {
    "period without data": {"range": "custom", "from": "2020-01-01", "to": "2020-01-31"},
    "single day": {"range": "custom", "from": START.isoformat(), "to": START.isoformat()},
    "filter matching nothing": {
        "range": "custom",
        "from": START.isoformat(),
        "to": TODAY.isoformat(),
        "country": "ZZ",
        "region": "ZZ-00",
    },
    "default view, data ended long ago": {},  # the sample data ends in November 2026; "today" is later
}
CASES = [(page.file, role) for page in PAGES for role in sorted(page.roles)]


@pytest.mark.parametrize(("file", "role"), CASES)
def test_every_page_renders_on_an_empty_warehouse(settings_env, file, role):
    at = run_page(file, role, {})
    assert not at.exception, at.exception
    assert not [e.value for e in at.error if "access" in str(e.value)]
    assert len(at.sidebar.get("page_link")) == len(pages_for(role))  # a page with nothing to show keeps its links


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize(("file", "role"), CASES)
def test_every_page_renders_in_every_state(loaded_env, file, role, state):
    at = run_page(file, role, STATES[state])
    assert not at.exception, at.exception


def test_a_period_without_data_says_where_data_is_and_jumps_there(loaded_env):
    for file, key, what in (("views/usage.py", "usage", "visits"), ("views/inquiries.py", "inquiries", "inquiries")):
        at = run_page(file, "admin", STATES["period without data"])
        notice = next(i.value for i in at.info if "No " in i.value)
        assert notice.startswith(f"No {what} between 2020-01-01 and 2020-01-31; data exists from {START}")
        at.button(key=f"{key}-jump").click().run()
        assert not at.exception
        assert not any(i.value.startswith(f"No {what}") for i in at.info)
        assert at.query_params["range"] == "custom" and at.query_params["from"] == START.isoformat()


def test_a_filter_matching_nothing_says_so_and_can_be_cleared(loaded_env):
    at = run_page("views/usage.py", "admin", STATES["filter matching nothing"])
    assert any(i.value.startswith("No visits match Country ZZ") for i in at.info)
    at.button(key="usage-clear").click().run()
    assert not at.exception
    assert "country" not in at.query_params
    assert int(next(m for m in at.metric if m.label == "Visitors").value.replace(",", "")) > 0


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def test_deltas_only_against_a_covered_period_and_rates_in_points(loaded_env):
    day2 = START + dt.timedelta(days=1)
    covered = run_page("views/usage.py", "admin", {"range": "custom", "from": day2.isoformat(),
                                                     "to": day2.isoformat(), "compare": "previous"})
    assert metric(covered, "Visitors").delta  # the day before is covered by data
    assert metric(covered, "Bounce rate").delta.endswith(" pts")  # as the Overview and the digest say it
    assert any(c.value.startswith(f"Changes against {START} – {START}") for c in covered.caption)
    uncovered = run_page("views/usage.py", "admin", {"range": "custom", "from": START.isoformat(),
                                                       "to": START.isoformat(), "compare": "previous"})
    assert not metric(uncovered, "Visitors").delta  # the day before START has no data: no "+100%", no "new"
    assert any(c.value.startswith("No data to compare") for c in uncovered.caption)


def test_the_dates_box_follows_the_period(loaded_env):
    at = run_page("views/usage.py", "admin", {"range": "last30"})
    before = next(t.value for t in at.text_input if t.label == "Dates")
    at.selectbox(key="usage-preset").set_value("last7").run()
    after = next(t.value for t in at.text_input if t.label == "Dates")
    from etl.core.settings import load_settings

    yesterday = clock.today(load_settings().tz) - dt.timedelta(days=1)  # "last N days": whole days to yesterday
    assert before == f"{yesterday - dt.timedelta(days=29)} – {yesterday}"
    assert after == f"{yesterday - dt.timedelta(days=6)} – {yesterday}"


def test_the_region_choices_follow_the_country(loaded_env):
    at = run_page("views/inquiries.py", "admin", {"range": "custom", "from": START.isoformat(),
                                                  "to": TODAY.isoformat()})
    countries = [c for c in at.selectbox(key="inquiries-country").options if c != "All"]
    assert "Germany (DE)" in countries  # choices read by name, with the code
    at.selectbox(key="inquiries-country").set_value("DE").run()
    regions = [r for r in at.selectbox(key="inquiries-region").options if r != "All"]
    assert regions and all("(DE-" in r for r in regions)


def test_a_partly_covered_period_says_which_part_has_data(loaded_env):
    early = (START - dt.timedelta(days=5)).isoformat()
    at = run_page("views/usage.py", "admin", {"range": "custom", "from": early, "to": TODAY.isoformat()})
    assert any(c.value == f"Data covers only {START} – {TODAY} of this period." for c in at.caption)


def test_a_load_shows_on_the_next_page_run_not_after_the_cache_expires(settings_env, tmp_path):
    """The cached figures are dropped once the warehouse file changes: a page refreshed after vcar ingest shows the
    new data, although cache_ttl_seconds (minutes) has not passed."""
    from etl.ingest.logs.ingest import ingest_paths
    from tests.helpers import CHROME, line

    at = run_page("views/usage.py", "marketing", {"range": "last30"})
    assert any("No web-log data yet" in i.value for i in at.info)
    log = tmp_path / "access.log"
    today = clock.local_now(settings_env.tz)
    stamp = today.strftime("%d/%b/%Y:%H:%M:%S %z")
    log.write_text("".join(line(f"1.2.2.{n}", stamp, "/", ua=CHROME) + "\n" for n in range(10, 15)))
    assert ingest_paths(settings_env, [log]).lines_loaded == 5
    at.run()
    assert not at.exception, at.exception
    assert not any("No web-log data yet" in i.value for i in at.info)
