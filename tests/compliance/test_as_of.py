"""History replayed as it stood: the register "as of" a past day shows each request as it was at that day's end,
in the CLI, the Rights page, the promises and the compliance digest alike (etl/compliance/history.py).

The clock is moved with VCAR_NOW to the day of each change, as a person would have made them on those days, so the
audit log carries their real order; the test reads the same on any real date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from etl.access.accounts import add_user
from etl.compliance import promises, rights
from etl.core import clock
from etl.core.settings import cached_settings

D = dt.date
RECEIVED = D(2026, 3, 2)  # a Monday; under the CN calendar its 15th business day is 2026-03-23
DAY_X = D(2026, 3, 20)  # the Friday before: one business day left, at risk
ASKED, VERIFIED, EXTENDED = D(2026, 3, 21), D(2026, 3, 25), D(2026, 3, 30)
TODAY = D(2026, 4, 10)


def at(monkeypatch, day: dt.date) -> None:
    """Move the product's clock to 10:00 of ``day`` (reporting time zone)."""
    monkeypatch.setenv(clock.ENV, f"{day.isoformat()}T10:00")
    cached_settings.cache_clear()


@pytest.fixture
def story(settings_env, monkeypatch):
    """One access request: received, then after day X its identity asked for and verified, an owner given and the
    deadline extended. Returns the request id."""
    add_user(settings_env.secrets_dir, "li.wei", "compliance", "a long enough password")
    at(monkeypatch, RECEIVED)
    request_id = rights.add(
        settings_env, type_="access", received=RECEIVED, email="z@example.cn", country="DE"
    ).request_id  # under the GDPR alone, whose extension it gets
    at(monkeypatch, ASKED)
    rights.update(settings_env, request_id, status="awaiting_identity")
    at(monkeypatch, VERIFIED)
    rights.update(settings_env, request_id, identity_verified=VERIFIED)
    at(monkeypatch, EXTENDED)
    rights.update(settings_env, request_id, extend=True, reason="many records", owner="li.wei", note="called back")
    at(monkeypatch, TODAY)
    return request_id


def row(cfg, request_id: str, day: dt.date) -> dict:
    return next(r for r in rights.listing(cfg, as_of=day) if r["request_id"] == request_id)


def test_as_of_day_x_a_request_is_as_it_stood_that_day(settings_env, story):
    then, now = row(settings_env, story, DAY_X), row(settings_env, story, TODAY)
    assert (now["status"], now["owner"], now["note"]) == ("extended", "li.wei", "called back")
    assert now["extension_notified_on"] == EXTENDED and now["clock_start"] == VERIFIED
    assert now["deadline"] == now["extended_deadline"] > D(2026, 6, 1)
    # on day X nothing of that had happened: received, nobody's, one business day before its promised date
    assert (then["status"], then["owner"], then["note"]) == ("received", None, None)
    assert then["paused_from"] is None and then["identity_verified_on"] is None
    assert then["extension_notified_on"] is None and then["extension_reason"] is None
    assert then["clock_start"] == RECEIVED and then["deadline"] == D(2026, 3, 23)
    assert (then["sla_state"], then["business_days_left"]) == ("at_risk", 1)
    # between the two: identity asked for on the 21st and not yet verified on the 23rd, so no deadline runs
    waiting = row(settings_env, story, D(2026, 3, 23))
    assert (waiting["status"], waiting["sla_state"], waiting["paused_from"]) == ("awaiting_identity", "paused", ASKED)
    assert all(r["request_id"] != story for r in rights.listing(settings_env, as_of=RECEIVED - dt.timedelta(days=1)))


def test_the_timeline_as_of_day_x_ends_that_day(settings_env, story):
    events = [(r["day"], r["event"]) for r in rights.timeline(settings_env, story, DAY_X)]
    assert all(day <= DAY_X for day, _ in events)
    assert ("Open: at risk" in {e for _, e in events}) and not any("Identity" in e for _, e in events)
    later = {r["event"] for r in rights.timeline(settings_env, story, TODAY)}
    assert {"Identity asked for", "Identity verified", "Extension told to the subject"} <= later


def test_the_promise_and_the_digest_judge_day_x_as_it_stood(settings_env, story):
    from etl.reporting.digest import build

    evidence = next(p["evidence"] for p in promises.evaluate(settings_env, DAY_X)["promises"]
                    if p["id"] == "respond_15_business_days")
    assert story in evidence["due_within_3_business_days"] and story not in evidence["past_promise_now"]
    mail = build(settings_env, "compliance", DAY_X, clock.local_now(settings_env.tz)).as_dict()
    attention = next(s for s in mail["sections"] if s["title"] == "Past or near a deadline, most urgent first")
    assert [[str(v).lower() for v in r[:5] + r[7:]] for r in attention["rows"]] == [
        [story.lower(), "access", "received", "promise at risk, legally on track", "2026-03-23", "nobody"]
    ]
    today = build(settings_env, "compliance", TODAY, clock.local_now(settings_env.tz)).as_dict()
    assert all(story not in r for s in today["sections"] for r in s.get("rows", []))  # extended: on track


@pytest.mark.slow
def test_the_cli_and_the_page_agree_with_the_register_as_of_day_x(settings_env, story, monkeypatch):
    from tests.helpers import app_as, vcar

    env = {"VCAR_WAREHOUSE": str(settings_env.warehouse), "VCAR_SECRETS_DIR": str(settings_env.secrets_dir),
           "VCAR_TIMEZONE": settings_env.timezone, clock.ENV: f"{TODAY}T10:00"}
    listed = json.loads(vcar("rights", "list", "--as-of", DAY_X.isoformat(), "--json", env=env).stdout)
    cli = next(r for r in listed["requests"] if r["request_id"] == story)
    assert (cli["status"], cli["sla_state"], cli["deadline"], cli["owner"]) == (
        "received",
        "at_risk",
        "2026-03-23",
        None,
    )
    digest = json.loads(vcar("digest", "--role", "compliance", "--as-of", DAY_X.isoformat(), "--dry-run", "--json",
                             env=env).stdout)
    assert f"{story}  access  received  promise at risk, legally on track  2026-03-23" in digest["text"]
    page = app_as("compliance").run()
    page.switch_page("views/rights.py").run()
    page.date_input(key="rights-as-of").set_value(DAY_X).run()
    assert not page.exception
    table = page.dataframe[0].value
    shown = table[table.iloc[:, 0] == story].iloc[0].tolist()
    assert "Received" in shown or "received" in shown
    assert any("2026-03-23" in str(value) for value in shown) and any(f"`{story}`" in w.value for w in page.warning)
