"""Two clocks, each decided once and shown as two (issue 28): a request is judged against the promise of 15
business days and against the legal deadline in force, and the promises report, the Rights page, the Overview, the
digest and the CLI all say both, in the same words, most urgent request first."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.compliance import promises, rights
from etl.core import clock
from etl.reporting.digest import build
from tests.conftest import clear_dashboard_cache
from tests.helpers import app_as, vcar

D = dt.date
MISSED_ON_TRACK = "promise missed, legally on track"
LEGALLY_OVERDUE = "legally overdue"


def five_surfaces(cfg, day: dt.date) -> dict[str, str]:
    """What each of the five places says on ``day`` (the clock moved there), as text."""
    clear_dashboard_cache()
    found = promises.evaluate(cfg, day)["promises"]
    page = app_as("compliance").run()
    page.switch_page("views/rights.py").run()
    overview = app_as("compliance").run()
    overview.switch_page("views/overview.py").run()
    assert not page.exception and not overview.exception
    env = {"VCAR_WAREHOUSE": str(cfg.warehouse), "VCAR_SECRETS_DIR": str(cfg.secrets_dir),
           "VCAR_TIMEZONE": cfg.timezone, clock.ENV: f"{day}T10:00"}
    return {
        "promises report": next(p["summary"] for p in found if p["id"] == "respond_15_business_days"),
        "Rights page": tables_text(page),
        "Overview": tables_text(overview),
        "digest": digest_requests(cfg, day),
        "CLI": vcar("rights", "list", "--open", env=env).stderr,  # human text goes to stderr
    }


def digest_requests(cfg, day: dt.date) -> str:
    """The digest's list of requests (its section on promises may name them too, and is not what is checked)."""
    mail = build(cfg, "compliance", day, clock.now())
    listed = next(s for s in mail.sections if s.title.startswith("Past or near a deadline"))
    return "\n".join("  ".join(row) for row in listed.rows)


def tables_text(at) -> str:
    return "\n".join(frame.value.to_string() for frame in at.dataframe)


@pytest.mark.slow
def test_an_extended_request_past_its_promise_is_missed_on_one_clock_and_on_track_on_the_other(settings_env, on_day):
    cfg = settings_env
    on_day(D(2026, 9, 1))
    late = rights.add(cfg, type_="access", received=D(2026, 9, 1), email="anna@example.de", country="DE")
    on_day(D(2026, 9, 10))  # within the first month: the extension counts (Art. 12(3))
    rights.update(cfg, late.request_id, extend=True, reason="many records")
    row = next(r for r in rights.listing(cfg, as_of=D(2026, 9, 10)) if r["request_id"] == late.request_id)
    assert row["regime"] == "gdpr" and row["legal_deadline"] == row["extended_deadline"] > row["due_date"]

    past_promise = row["due_date"] + dt.timedelta(days=1)
    on_day(past_promise)
    for place, text in five_surfaces(cfg, past_promise).items():
        assert late.request_id in text and MISSED_ON_TRACK in text, place

    past_law = row["legal_deadline"] + dt.timedelta(days=1)
    on_day(past_law)
    for place, text in five_surfaces(cfg, past_law).items():
        assert late.request_id in text and LEGALLY_OVERDUE in text and MISSED_ON_TRACK not in text, place


def test_every_list_puts_the_legally_overdue_request_first_and_the_promise_missed_next(settings_env, on_day):
    cfg = settings_env
    on_day(D(2026, 9, 10))
    on_track = rights.add(cfg, type_="access", received=D(2026, 9, 10), email="c@example.de", country="DE")
    on_day(D(2026, 11, 20))
    fresh = rights.add(cfg, type_="access", received=D(2026, 11, 20), email="a@example.de", country="DE")
    on_day(D(2026, 9, 11))
    rights.update(cfg, on_track.request_id, extend=True, reason="many records")
    on_day(D(2026, 12, 1))
    overdue = rights.add(cfg, type_="erasure", received=D(2026, 10, 1), email="b@example.de", country="DE")
    rows = rights.listing(cfg, as_of=D(2026, 12, 1), open_only=True)
    assert [(r["request_id"], r["clocks"]) for r in rows] == [
        (overdue.request_id, "promise missed, legally overdue"),
        (on_track.request_id, MISSED_ON_TRACK),
        (fresh.request_id, "promise on track, legally on track"),
    ]
    listed = CliRunner().invoke(app, ["rights", "list", "--open"]).output  # the CLI's table, in the same order
    assert listed.index(overdue.request_id) < listed.index(on_track.request_id) < listed.index(fresh.request_id)
