"""Transfers out of China counted per individual and per year, raw logs under both laws, impact assessments, and
the promises and record of both regimes (etl/compliance/transfers.py, log_retention.py, assessments.py)."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from typer.testing import CliRunner

from etl.compliance import assessments, log_retention, promises, transfers
from etl.compliance.deadlines import add_months
from etl.core import clock, warehouse
from etl.core.errors import ConfigError
from etl.core.settings import cached_settings, load_settings

NOW = "2026-12-21T09:00"
D = dt.date
# n individuals from China, two inquiries each (so rows are not individuals), all on one day
INSERT = """
INSERT INTO inquiries (inquiry_key, subject_email, submitted_at, day, country, region, support_type, status,
                       policy_version, message_chars, email_kind, has_company, run_id, updated_at)
SELECT 'k' || $tag || i || '-' || j, 'e' || i, $day::TIMESTAMP + INTERVAL 4 HOUR, $day, 'CN', 'CN-GD', 'Other',
       'new', '2025-11-15', 10, 'corporate', false, 'test', $day::TIMESTAMPTZ
FROM range($n) AS a(i), range(2) AS b(j)
"""


def settings(monkeypatch, **env: str):
    monkeypatch.setenv("VCAR_NOW", NOW)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    cached_settings.cache_clear()
    return load_settings()


def held(cfg, n: int, day: dt.date, tag: str = "x") -> None:
    with warehouse.write(cfg.warehouse) as con:
        con.execute(INSERT, {"n": n, "day": day, "tag": tag})


def volume(cfg, as_of: dt.date) -> promises.Finding:
    with warehouse.read(cfg.warehouse) as con:
        return transfers.cross_border_volume(promises.Context(cfg, as_of, con))


@pytest.mark.parametrize(
    ("individuals", "status"), [(80_000, promises.KEPT), (80_001, promises.AT_RISK), (100_000, promises.BROKEN)]
)
def test_the_counter_crosses_80_and_100_percent_of_100000_individuals(settings_env, monkeypatch, individuals, status):
    cfg = settings(monkeypatch, VCAR_PROCESSING_LOCATION="DE")
    held(cfg, individuals, D(2026, 6, 1))
    held(cfg, 30_000, D(2025, 12, 31), tag="old")  # last year's: the count starts again on 1 January
    found = volume(cfg, D(2026, 12, 21))
    assert (found.status, found.evidence["individuals"], found.evidence["non_sensitive"]) == (status, individuals,
                                                                                             individuals)
    assert found.evidence["required"] == (["standard_contract", "certification"] if status == promises.BROKEN
                                          else ["exempt"])


def test_the_count_resets_on_1_january_and_a_mechanism_in_use_covers_it(settings_env, monkeypatch):
    cfg = settings(monkeypatch, VCAR_PROCESSING_LOCATION="DE", VCAR_PIPL_TRANSFER_MECHANISM="standard_contract",
                   VCAR_PIPL_STANDARD_CONTRACT_FILED="2026-03-01")
    held(cfg, 100_000, D(2026, 12, 20))
    assert volume(cfg, D(2026, 12, 21)).status == promises.KEPT
    assert volume(cfg, D(2027, 1, 1)).evidence["individuals"] == 0
    sensitive = settings(monkeypatch, VCAR_PIPL_SENSITIVE_DATA="true")
    assert volume(sensitive, D(2026, 12, 21)).evidence["required"] == ["security_assessment"]
    assert volume(sensitive, D(2026, 12, 21)).status == promises.BROKEN


def test_separate_consent_is_missing_while_the_form_bundles_it(settings_env, monkeypatch, tmp_path):
    from etl.ingest.inquiries.ingest import ingest_inquiries

    cfg = settings(monkeypatch, VCAR_PROCESSING_LOCATION="DE")
    export = tmp_path / "inquiries.csv"
    header = "submitted_at,email,mobile,support_type,country,province_city,district,consent,separate_consent\n"
    export.write_text(header + "2026-12-01T10:00,a@example.cn,,Other,CN,Guangdong,,yes,yes\n"
                      "2026-12-02T10:00,b@example.cn,,Other,CN,Guangdong,,yes,\n", encoding="utf-8")
    ingest_inquiries(cfg, export)
    with warehouse.read(cfg.warehouse) as con:
        found = transfers.separate_transfer_consent(promises.Context(cfg, D(2026, 12, 21), con))
    assert found.status == promises.BROKEN and "1 of 2 inquiries" in found.summary
    assert (found.evidence["separate_consent"], found.evidence["not_asked"]) == (1, 1)


def aged(folder, months: int) -> None:
    folder.mkdir(parents=True)
    for name, when in (("access.log", clock.now()), ("access.log.1.gz", None)):
        path = folder / name
        path.write_text("line\n", encoding="utf-8")
        if when is None:  # the oldest file: ``months`` before now on the product's clock
            now = clock.now()
            then = dt.datetime.combine(add_months(now.date(), -months), now.timetz())
            os.utime(path, (then.timestamp(), then.timestamp()))


def test_raw_logs_are_kept_six_months_in_china_and_no_longer_than_allowed(settings_env, monkeypatch, tmp_path):
    folders = {str(tmp_path / "cn5"): "pipl", str(tmp_path / "cn7"): "pipl", str(tmp_path / "eu7"): "gdpr"}
    cfg = settings(monkeypatch, VCAR_LOG_FOLDERS=json.dumps(folders), VCAR_RAW_LOG_MAX_DAYS="240")
    for name, months in (("cn5", 5), ("cn7", 7), ("eu7", 7)):
        aged(tmp_path / name, months)
    rows = {r["folder"].rsplit("/", 1)[1]: r for r in log_retention.folders(cfg, clock.now())}
    assert {k: r["status"] for k, r in rows.items()} == {"cn5": "broken", "cn7": "kept", "eu7": "kept"}
    assert "Cybersecurity Law" in rows["cn5"]["reason"] and 150 <= rows["cn5"]["oldest_age_days"] <= 153
    strict = settings(monkeypatch, VCAR_RAW_LOG_MAX_DAYS="200")
    rows = {r["folder"].rsplit("/", 1)[1]: r for r in log_retention.folders(strict, clock.now())}
    assert (rows["eu7"]["status"], rows["cn7"]["status"]) == ("broken", "broken")  # 7 months > 200 days


def test_assessments_are_registered_and_outlive_retention(settings_env, monkeypatch):
    from etl.compliance.retention import apply_retention

    cfg = settings(monkeypatch, VCAR_PROCESSING_LOCATION="DE")
    row = assessments.add(cfg, activity="inquiries", assessed_on=D(2024, 12, 1), conclusion="approved",
                          next_review=D(2027, 12, 1), summary="transfer to DE under a standard contract")
    assert row["assessment_id"] == "PIA-2024-0001"
    apply_retention(cfg)
    assert [r["assessment_id"] for r in assessments.listing(cfg)] == ["PIA-2024-0001"]
    record = assessments.pipl_record(cfg, D(2026, 12, 21))
    assert (
        record["inquiries"]["assessment"].startswith("PIA-2024-0001")
        and record["web_analytics"]["assessment"] == "none"
    )
    assert record["inquiries"]["assessment_required"].startswith("yes")


def test_the_promises_and_the_record_show_both_regimes_in_json(settings_env, monkeypatch):
    from etl.cli import app

    cfg = settings(monkeypatch, VCAR_PROCESSING_LOCATION="DE")
    with warehouse.write(cfg.warehouse):  # a new, empty warehouse
        pass
    runner = CliRunner()
    by_regime = {}
    for regime in ("gdpr", "pipl", "all"):
        result = runner.invoke(app, ["promises", "--regime", regime, "--json"])
        assert result.exit_code == 0, result.output
        by_regime[regime] = {p["id"]: p["regime"] for p in json.loads(result.stdout)["promises"]}
    assert "cross_border_volume" in by_regime["pipl"] and "cross_border_volume" not in by_regime["gdpr"]
    assert "no_third_country_transfer" in by_regime["gdpr"] and "no_third_country_transfer" not in by_regime["pipl"]
    assert set(by_regime["all"].values()) == {"gdpr", "pipl", "both"}
    assert by_regime["all"]["impact_assessments"] == "pipl" and by_regime["all"]["raw_log_retention"] == "both"
    assert isinstance(runner.invoke(app, ["promises", "--regime", "ccpa"]).exception, ConfigError)  # exit 2 in main
    record = json.loads(runner.invoke(app, ["inventory", "--by-activity", "--json"]).stdout)["activities"]
    web = next(a for a in record if a["activity"].startswith("Web analytics"))
    assert web["legal_basis"].startswith("Art. 6(1)(f)") and "no legitimate-interests basis" in web["pipl_legal_basis"]
    assert web["processed_in"] == "DE" and web["assessment_required"].startswith("yes")


def test_every_activity_of_the_record_has_its_pipl_basis_and_no_other():
    """An assessment names an activity of the record: the PIPL's bases are given for exactly those."""
    from etl.compliance.activities import ACTIVITIES
    from etl.compliance.assessments import PIPL_BASIS

    assert list(PIPL_BASIS) == [a.key for a in ACTIVITIES]
