"""One rights request in detail: its owner (a dashboard account), its timeline, and the page's banner."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from etl.access.accounts import add_user
from etl.compliance import rights
from etl.core import clock
from etl.core.errors import FieldError
from etl.ingest.rights import import_requests

D = dt.date


def owner_account(cfg, name: str = "li.wei") -> str:
    add_user(cfg.secrets_dir, name, "compliance", "a long enough password")
    return name


def test_an_owner_is_a_dashboard_account_and_survives_a_reimport(settings_env, tmp_path, on_day):
    owner = owner_account(settings_env)
    on_day(D(2026, 11, 2))
    r = rights.add(settings_env, type_="access", received=D(2026, 11, 2), email="someone@example.cn")
    on_day(D(2026, 11, 3))
    rights.update(settings_env, r.request_id, owner=owner)
    assert rights.listing(settings_env, as_of=D(2026, 11, 3))[0]["owner"] == owner
    with pytest.raises(FieldError, match="--owner: 'Zhang San' is not a dashboard account"):
        rights.update(settings_env, r.request_id, owner="Zhang San")
    add_user(settings_env.secrets_dir, "wang.fang", "marketing", "a long enough password")
    with pytest.raises(FieldError, match="'wang.fang' \\(marketing\\) cannot open the rights requests"):
        rights.update(settings_env, r.request_id, owner="wang.fang")  # the Rights page is not theirs
    export = tmp_path / "register.csv"
    row = f"{r.request_id},2026-11-02T12:00:00+08:00,access,email,someone@example.cn,in_progress"
    export.write_text(f"request_id,received_at,type,channel,email,status\n{row}\n")
    stats = import_requests(settings_env, export)
    assert stats.updated == 1
    row = rights.listing(settings_env, as_of=D(2026, 11, 3))[0]
    assert (row["status"], row["owner"]) == ("in_progress", owner)  # an export knows no owners: kept
    rights.update(settings_env, r.request_id, owner="")
    assert rights.listing(settings_env, as_of=D(2026, 11, 3))[0]["owner"] is None


def test_the_timeline_has_each_milestone_with_the_days_identity_was_pending(settings_env, on_day):
    on_day(D(2026, 10, 1))  # a subject in Germany: the GDPR's month and its extension
    r = rights.add(settings_env, type_="access", received=D(2026, 10, 1), email="someone@example.cn", country="DE")
    on_day(D(2026, 10, 3))
    rights.update(settings_env, r.request_id, status="awaiting_identity")
    paused = rights.timeline(settings_env, r.request_id, D(2026, 10, 8))
    assert [(e["day"], e["event"], e["detail"]) for e in paused if e["by"] is None] == [
        (D(2026, 10, 1), "Received", "access request by email"),
        (D(2026, 10, 3), "Identity asked for", "pending for 5 days on 2026-10-08"),
    ]
    on_day(D(2026, 10, 13))
    rights.update(settings_env, r.request_id, identity_verified=D(2026, 10, 13))
    on_day(D(2026, 10, 20))
    rights.update(settings_env, r.request_id, extend=True, reason="many systems")
    on_day(D(2026, 12, 1))
    rights.update(settings_env, r.request_id, status="completed")
    events = rights.timeline(settings_env, r.request_id, D(2026, 12, 5))
    assert [(e["day"], e["event"], e["detail"]) for e in events if e["by"] is None] == [
        (D(2026, 10, 1), "Received", "access request by email"),
        (D(2026, 10, 3), "Identity asked for", "verified after 10 days"),
        (D(2026, 10, 13), "Identity verified",
         "after 10 days; the clock starts: due 2026-11-03, legal deadline 2026-11-13"),
        (D(2026, 10, 20), "Extension told to the subject", "new deadline 2027-01-13; reason: many systems"),
        (D(2026, 12, 1), "Closed: completed", "on time; deadline 2027-01-13"),
    ]
    changes = [e for e in events if e["by"] is not None]
    assert [e["event"] for e in changes] == ["Registered", "Changed", "Changed", "Changed", "Changed"]
    assert all(e["by"].startswith("cli:") for e in changes)
    assert "status: extended" in changes[3]["detail"] and "someone@example.cn" not in json.dumps(events, default=str)


def test_the_rights_report_names_late_requests_with_their_owner(settings_env, on_day):
    from etl.reporting.reports import rights_report

    owner = owner_account(settings_env)
    on_day(D(2026, 11, 24))
    late = rights.add(settings_env, type_="erasure", received=D(2026, 10, 1), email="one@example.cn")
    rights.update(settings_env, late.request_id, owner=owner)
    rights.add(settings_env, type_="access", received=D(2026, 11, 20), email="two@example.cn")  # on track
    report = rights_report(settings_env, D(2026, 11, 25))
    assert report["attention"] == [{
        "request_id": late.request_id, "type": "erasure", "status": "received", "sla_state": "overdue",
        "days_left": -29, "business_days_left": -21, "owner": owner, "deadline_provisional": None,
        "deadline": "2026-10-27", "standing": "29 days overdue", "promise_state": "missed", "legal_state": "overdue",
        "clocks": "promise missed, legally overdue", "legal_days_left": -29, "legal_standing": "29 days overdue",
        "due_date": "2026-10-27", "legal_deadline": "2026-10-27",
    }]


@pytest.mark.slow
def test_the_rights_page_shows_the_banner_and_gives_a_request_an_owner(settings_env):
    from tests.helpers import app_as

    owner = owner_account(settings_env)
    today = clock.today(settings_env.tz)
    late = rights.add(settings_env, type_="erasure", received=today - dt.timedelta(days=60), email="a@example.cn")
    at = app_as("compliance").run()
    at.switch_page("views/rights.py").run()
    assert not at.exception
    assert any(late.request_id in e.value and "days overdue" in e.value and "owner nobody" in e.value
               for e in at.error)
    add_user(settings_env.secrets_dir, "wang.fang", "marketing", "a long enough password")
    at.selectbox(key="upd-id").set_value(late.request_id).run()
    assert owner in at.selectbox(key=f"upd-owner-{late.request_id}").options
    assert "wang.fang" not in at.selectbox(key=f"upd-owner-{late.request_id}").options  # no Rights page: no owner
    at.selectbox(key=f"upd-owner-{late.request_id}").set_value(owner)
    [b for b in at.button if b.label == "Save"][0].click().run()
    assert not at.exception
    assert rights.get(settings_env, late.request_id).owner == owner
    at.run()  # the page's next run (any interaction) shows the new owner in the banner
    assert any(f"owner {owner}" in e.value for e in at.error)
    timeline = at.dataframe[-1].value
    assert "Received" in list(timeline["Event"]) and "Changed" in list(timeline["Event"])
