"""Provisional deadlines: a deadline counted over a year whose Chinese holidays the installed calendar only
estimates says so, with the reason, in the register, the CLI, the Overview and the digest; with the official
schedule it is final. Both kinds of calendar are built here, so the test does not depend on the holidays
release installed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from holidays.calendars.gregorian import FEB, JAN
from holidays.countries.china import China, ChinaStaticHolidays

from etl.compliance import deadlines, regimes, rights
from etl.core import clock
from etl.core.settings import cached_settings, calendar_for

D = dt.date
RECEIVED = D(2026, 12, 20)
OFFICIAL_2026 = {y: days for y, days in ChinaStaticHolidays.special_public_holidays.items() if y <= 2026}


class EstimatedChina(China):
    """China as a holidays release that has the decrees up to 2026 only: 2027 is estimated."""

    decrees = OFFICIAL_2026

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.special_public_holidays = self.decrees  # the package sets its decrees on the instance; years fill later


class OfficialChina(EstimatedChina):
    """China as a later release with the 2027 decree: the holidays and a make-up working day of that year."""

    decrees = OFFICIAL_2026 | {2027: ((FEB, 11, JAN, 31),)}


def test_a_deadline_over_estimated_holidays_is_provisional_and_final_with_the_decree():
    estimated = deadlines.compute(received=RECEIVED, status="received", as_of=RECEIVED, calendars=[EstimatedChina()])
    assert estimated.due_date.year == 2027 and estimated.provisional is not None
    assert "CN holidays of 2027 are estimates" in estimated.provisional and "official to 2026" in estimated.provisional
    official = deadlines.compute(received=RECEIVED, status="received", as_of=RECEIVED, calendars=[OfficialChina()])
    assert official.provisional is None
    # the decree moved a day: 31 Jan 2027 (a Sunday) is worked and 11 Feb is off, and the count follows it
    assert deadlines.is_business_day(D(2027, 1, 31), [OfficialChina()])
    assert not deadlines.is_business_day(D(2027, 1, 31), [EstimatedChina()])


@pytest.mark.parametrize(
    ("received", "calendar", "provisional"),
    [(D(2026, 11, 2), EstimatedChina(), False),  # counted within 2026: final
     (D(2026, 12, 20), calendar_for("GB-ENG"), False),  # England's holidays are set by standing law
     (D(2026, 12, 20), calendar_for("DE-BY"), False),
     (D(2026, 12, 20), EstimatedChina(), True)],
)
def test_only_a_yearly_decree_not_yet_carried_makes_a_deadline_provisional(received, calendar, provisional):
    found = deadlines.compute(received=received, status="received", as_of=received, calendars=[calendar])
    assert (found.provisional is not None) is provisional


@pytest.fixture(params=[EstimatedChina, OfficialChina], ids=["estimated", "official"])
def register(request, settings_env, monkeypatch):
    """A register with one China request received on 2026-12-20, its calendar of either kind, and the clock the
    next morning."""
    monkeypatch.setenv(clock.ENV, "2026-12-21T09:00")
    cached_settings.cache_clear()
    monkeypatch.setattr(rights, "_calendars", lambda codes: [request.param()])  # the business calendar ...
    monkeypatch.setattr(regimes, "china_calendar", lambda: [request.param()])  # ... and the PIPL's
    request_id = rights.add(settings_env, type_="erasure", received=RECEIVED, email="p@example.cn").request_id
    return request.param is EstimatedChina, request_id


def test_the_register_cli_overview_and_digest_say_provisional_or_not(settings_env, register):
    from typer.testing import CliRunner

    from etl.cli import app
    from etl.reporting.digest import build
    from etl.reporting.overview import overview

    provisional, request_id = register
    today = clock.today(ZoneInfo(settings_env.timezone))
    row = next(r for r in rights.listing(settings_env, as_of=today) if r["request_id"] == request_id)
    assert (row["deadline_provisional"] is not None) is provisional
    assert ("provisional" in rights.standing(row)) is provisional
    listed = CliRunner().invoke(app, ["rights", "list", "--open"])
    assert listed.exit_code == 0 and (f"Provisional deadlines ({request_id})" in listed.output) is provisional
    shown = overview(settings_env, "compliance", clock.now())["sections"][0]
    assert (request_id in shown["note"] and "2027" in shown["note"]) is provisional
    assert shown["note"] == "" or provisional
    next_rows = next(t["rows"] for t in shown["tables"] if t["name"] == "next_deadlines")
    assert ("provisional" in next(r["Legally"] for r in next_rows if r["Request"] == request_id)) is provisional
    mail = build(settings_env, "compliance", today, clock.local_now(settings_env.tz))
    assert ("Provisional deadlines" in mail.text()) is provisional
