"""China and Europe, both regimes: each subject's law, its rights and clock, refusals with reasons, the legal hold
on a China site's raw logs (etl/compliance/regimes.py, rights.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.compliance import regimes, rights
from etl.core.errors import FieldError, InputError
from etl.core.settings import cached_settings, load_settings
from etl.ingest.rights import import_requests

D = dt.date


def moved(monkeypatch, **env: str):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    cached_settings.cache_clear()
    return load_settings()


def test_the_policy_reading_places_each_subject_under_its_law(settings_env, monkeypatch):
    assert [regimes.regime_of(settings_env, c) for c in ("CN", "de", None, "US")] == ["pipl", "gdpr", "both", "gdpr"]
    cfg = moved(monkeypatch, VCAR_REGIMES='{"CN": "pipl", "EEA": "gdpr", "unknown": "both", "channel:phone": "pipl"}')
    assert regimes.regime_of(cfg, "CN", "phone") == "pipl"
    assert regimes.regime_of(cfg, "FR", "phone") == "both"  # the country's law and the channel's differ
    assert regimes.regime_of(cfg, "FR", "email") == "gdpr"


def test_a_chinese_customer_under_the_pipl_has_15_working_days_on_chinas_calendar(settings_env, on_day):
    # received Tuesday 10 Feb 2026: make-up Saturdays 14 and 28 Feb count, the Spring Festival 15-23 Feb does not
    r = rights.add(settings_env, type_="access", received=D(2026, 2, 10), email="li@example.cn", country="CN")
    row = rights.listing(settings_env, as_of=D(2026, 3, 2))[0]
    assert (row["regime"], row["country"], row["pipl_deadline"], row["deadline"]) == ("pipl", "CN", D(2026, 3, 9),
                                                                                     D(2026, 3, 9))
    assert row["statutory_deadline"] is None  # no GDPR month under the PIPL alone
    later = rights.listing(settings_env, as_of=D(2026, 3, 10))[0]
    assert (row["sla_state"], later["sla_state"]) == ("on_track", "overdue")
    with pytest.raises(InputError, match="no extension under the PIPL"):
        on_day(D(2026, 2, 20))
        rights.update(settings_env, r.request_id, extend=True, reason="many records")


def test_under_both_laws_the_earlier_date_is_acted_on_even_after_a_gdpr_extension(settings_env, monkeypatch, on_day):
    cfg = moved(monkeypatch, VCAR_BUSINESS_CALENDAR='["GB-ENG"]')
    r = rights.add(cfg, type_="access", received=D(2026, 2, 10), email="who@example.com")  # no country: both
    on_day(D(2026, 2, 20))
    rights.update(cfg, r.request_id, extend=True, reason="many records")
    row = rights.listing(cfg, as_of=D(2026, 2, 20))[0]
    assert row["regime"] == "both"
    assert row["extended_deadline"] == D(2026, 5, 11) and row["deadline"] == row["pipl_deadline"] == D(2026, 3, 9)


def test_an_explanation_of_the_processing_rules_is_a_pipl_right_only(settings_env, tmp_path):
    r = rights.add(settings_env, type_="explanation", received=D(2026, 11, 2), email="wang@example.cn", country="CN")
    assert rights.get(settings_env, r.request_id).type == "explanation"
    with pytest.raises(FieldError, match="explanation is a PIPL right .Art. 48. and this subject is under the GDPR"):
        rights.add(settings_env, type_="explanation", received=D(2026, 11, 2), email="jo@example.de", country="DE")
    export = tmp_path / "register.csv"
    export.write_text("request_id,received_at,type,status,country,email\n"
                      "R-1,2026-11-03T10:00,explanation,received,CN,a@example.cn\n"
                      "R-2,2026-11-03T10:00,explanation,received,DE,b@example.de\n", encoding="utf-8")
    stats = import_requests(settings_env, export)
    assert (stats.added, stats.rejected) == (1, 1) and "PIPL right" in stats.rejects[0]


def test_a_refusal_needs_its_reason_and_keeps_it(settings_env):
    r = rights.add(settings_env, type_="erasure", received=D(2026, 11, 2), email="a@example.de", country="DE")
    with pytest.raises(FieldError, match="--reason: a refusal needs a reason"):
        rights.update(settings_env, r.request_id, status="rejected")
    rights.update(settings_env, r.request_id, status="rejected", reason="manifestly unfounded: call 13800138000")
    row = rights.listing(settings_env, as_of=D(2026, 12, 31))[0]
    assert row["refusal_reason"] == "manifestly unfounded: call [number]"


def test_an_erasure_under_a_legal_hold_is_restricted_until_six_months_on(settings_env, monkeypatch, tmp_path):
    rights.add(settings_env, type_="erasure", received=D(2026, 11, 2), email="a@example.cn", country="CN")
    assert rights.listing(settings_env, as_of=D(2026, 11, 3))[0]["restricted_until"] is None  # no raw logs kept
    cfg = moved(monkeypatch, VCAR_LOG_FOLDERS=f'{{"{tmp_path}": "pipl"}}')
    rights.add(cfg, type_="erasure", received=D(2026, 11, 2), email="b@example.de", country="DE")
    by_country = {r["country"]: r for r in rights.listing(cfg, as_of=D(2026, 11, 3))}
    assert by_country["CN"]["restricted_until"] == D(2027, 5, 2)
    assert by_country["DE"]["restricted_until"] is None  # a GDPR subject: nothing of it in the China site's logs


@pytest.mark.slow
def test_the_privacy_page_shows_each_promises_law_and_the_raw_log_folders(loaded_env, monkeypatch, tmp_path):
    from tests.helpers import app_as

    (tmp_path / "cn").mkdir()
    (tmp_path / "cn" / "access.log").write_text("line\n", encoding="utf-8")  # written now: younger than six months
    monkeypatch.setenv("VCAR_LOG_FOLDERS", f'{{"{tmp_path / "cn"}": "pipl"}}')
    cached_settings.cache_clear()
    at = app_as("compliance").run()
    at.switch_page("views/privacy.py").run()
    assert not at.exception
    assert {"GDPR", "PIPL", "BOTH"} <= set(at.table[0].value["Law"])
    folders = next(d.value for d in at.dataframe if "Folder" in d.value.columns)
    assert (folders["Folder"].to_list(), folders["Status"].to_list()) == ([str(tmp_path / "cn")], ["broken"])
