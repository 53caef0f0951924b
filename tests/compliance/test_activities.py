"""The record of processing by activity: every Art. 30(1) field, every warehouse table in some activity."""

from __future__ import annotations

import json

import pytest

from etl.compliance.activities import ACTIVITIES, HEADINGS, activities_of, html_record, record, transfers
from etl.compliance.inventory import INVENTORY
from etl.core.settings import load_settings


def test_every_table_of_the_inventory_belongs_to_an_activity():
    assert [t.name for t in INVENTORY if not activities_of(t.name)] == []


def test_every_table_an_activity_names_is_in_the_inventory():
    declared = {t.name for t in INVENTORY}
    assert [(a.key, name) for a in ACTIVITIES for name in a.tables if name not in declared] == []


def test_each_activity_answers_every_field_of_article_30(settings_env):
    rows = record(settings_env)
    assert [r["activity"] for r in rows] == [
        "Web analytics from server logs", "Contact-form inquiries", "Data-subject requests",
        "Staff accounts and audit"]
    for row in rows:
        assert all(row[key].strip() for key in HEADINGS), row["activity"]
    assert "90 days" in rows[0]["retention"] and "730 days" in rows[1]["retention"]


@pytest.mark.parametrize(
    ("location", "safeguard", "says"),
    [(None, None, "not stated: set processing_location"), ("DE", None, "none: processed in DE, inside the EU/EEA"),
     ("GB", None, "adequacy decision (Art. 45)"), ("CN", "SCC", "EU data processed in CN under SCC (Art. 46)"),
     ("CN", None, "with no safeguard set: Art. 46 requires one")],
)
def test_transfers_follow_where_the_warehouse_runs_and_its_safeguard(settings_env, monkeypatch, location, safeguard,
                                                                     says):
    for key, value in (("VCAR_PROCESSING_LOCATION", location), ("VCAR_TRANSFER_SAFEGUARD", safeguard)):
        if value:
            monkeypatch.setenv(key, value)
    cfg = load_settings()
    assert says in transfers(cfg)
    assert all(says in row["transfers"] for row in record(cfg))


def test_the_printable_page_holds_every_activity_and_table_as_escaped_text(settings_env):
    page = html_record(settings_env, "2026-11-25<script>")
    assert page.count("<section>") == len(ACTIVITIES)
    for activity in ACTIVITIES:
        assert f"<h2>{activity.name}</h2>" in page
        assert all(f"<b>{name}</b>" in page for name in activity.tables)
    assert "<script>" not in page and "2026-11-25&lt;script&gt;" in page
    assert "Transfers to third countries and safeguards" in page


@pytest.mark.slow
def test_the_command_prints_the_record_by_activity(settings_env, tmp_path):
    from tests.helpers import vcar

    env = {"VCAR_WAREHOUSE": str(settings_env.warehouse), "VCAR_SECRETS_DIR": str(settings_env.secrets_dir),
           "VCAR_PROCESSING_LOCATION": "CN", "VCAR_TRANSFER_SAFEGUARD": "SCC"}
    page = tmp_path / "record.html"
    out = vcar("inventory", "--by-activity", "--json", "--html", str(page), env=env)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["activities"]
    assert len(rows) == len(ACTIVITIES) and rows[2]["tables"] == "rights_requests, erased_subjects"
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")
    wrong = vcar("inventory", "--html", str(page), env=env)
    assert wrong.returncode == 2 and "--html: only with --by-activity" in wrong.stderr


@pytest.mark.slow
def test_the_privacy_page_shows_the_record_by_activity(loaded_env):
    from tests.helpers import app_as

    at = app_as("compliance").run()
    at.switch_page("views/privacy.py").run()
    assert not at.exception
    frames = [f.value for f in at.table if "Activity" in f.value.columns]
    assert len(frames) == 1 and list(frames[0]["Activity"]) == [a.name for a in ACTIVITIES]
    assert "Transfers to third countries and safeguards" in frames[0].columns
