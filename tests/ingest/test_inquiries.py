"""Inquiries: minimized on the way in, regions as ISO codes, consent respected, idempotent, the funnel adds up."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from etl.compliance.subject_rights import erase, export
from etl.core.errors import InputError
from etl.ingest.inquiries.ingest import ingest_inquiries
from etl.ingest.inquiries.regions import normalize_country, normalize_place, normalize_region
from etl.reporting.reports import inquiries_report
from etl.sample.forms import INQUIRY_COLUMNS
from tests.helpers import line, row, run, warehouse_text

DAY = dt.date(2026, 11, 10)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("广东省", "CN-GD"), ("广东", "CN-GD"), ("Guangdong", "CN-GD"), ("guangdong sheng", "CN-GD"),
        ("Guangdong Province", "CN-GD"), ("广东省深圳市", "CN-GD"), ("深圳", "CN-GD"), ("上海市", "CN-SH"),
        ("Shanghai", "CN-SH"), ("shanghai shi", "CN-SH"), ("北京", "CN-BJ"), ("Peking", "CN-BJ"),
        ("广西壮族自治区", "CN-GX"), ("内蒙古自治区", "CN-NM"), ("新疆维吾尔自治区", "CN-XJ"),
        ("香港特别行政区", "CN-HK"),
        ("Bavaria", "DE-BY"), ("Bayern", "DE-BY"), ("bayern", "DE-BY"), ("England", "GB-ENG"),
        ("Île-de-France", "FR-IDF"), ("Ile de France", "FR-IDF"), ("Noord-Holland", "NL-NH"),
        ("Comunidad de Madrid", "ES-MD"), ("Mazowieckie", "PL-MZ"),
        ("N/A", "unknown"), ("不知道", "unknown"), ("-", "unknown"), ("my city", "unknown"), ("", "unknown"),
    ],
)
def test_typed_regions_become_iso_3166_2(typed, code):
    assert normalize_region(typed) == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [("中国", "CN"), ("P.R. China", "CN"), ("china", "CN"), ("Deutschland", "DE"), ("UK", "GB"), ("England", "GB"),
     ("Holland", "NL"), ("España", "ES"), ("Polska", "PL"), ("France", "FR"), ("Atlantis", "unknown")],
)
def test_typed_countries_become_iso_3166_1(typed, code):
    assert normalize_country(typed) == code


def test_a_region_of_another_country_is_not_guessed():
    place, findings = normalize_place("Germany", "广东", "南山区")
    assert (place.country, place.region, place.district) == ("DE", "unknown", None)
    assert [(f.field, f.issue, f.candidates) for f in findings] == [("province_city", "region_mismatch", ("CN-GD",))]
    place, findings = normalize_place("", "广东省", "南山区")
    assert (place.country, place.region, place.district, place.adcode, findings) == (
        "CN",
        "CN-GD",
        "南山区",
        "440305",
        (),
    )


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=INQUIRY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def one(cfg, sql: str, *params):
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchone()[0]


def test_nothing_personal_reaches_the_warehouse(settings_env, sample):
    ingest_inquiries(settings_env, sample / "inquiries.csv")
    text = warehouse_text(settings_env).lower()
    with open(sample / "inquiries.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for r in rows:
        for column in ("name", "email", "company", "message"):
            assert r[column].strip().lower() not in text, column
        digits = "".join(ch for ch in r["mobile"] if ch.isdigit())[-11:]
        assert digits not in text


def test_a_row_is_minimized_to_codes_keys_and_derived_facts(settings_env, tmp_path):
    stats = ingest_inquiries(settings_env, write_csv(tmp_path / "i.csv", [row()]))
    assert (stats.rows_read, stats.rows_loaded) == (1, 1)
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        sql = ("SELECT country, region, district, email_kind, message_chars, has_company, status, policy_version, "
               "length(subject_email), length(subject_phone) FROM inquiries")
        got = con.execute(sql).fetchone()
    assert got == ("CN", "CN-GD", "南山区", "corporate", 13, True, "responded", "2025-11-15", 64, 64)


def test_reimport_updates_and_never_duplicates(settings_env, tmp_path):
    path = write_csv(tmp_path / "i.csv", [row(), row(submitted_at="2026-11-10T11:00:00+08:00", email="b@qq.com")])
    ingest_inquiries(settings_env, path)
    ingest_inquiries(settings_env, path)
    assert one(settings_env, "SELECT count(*) FROM inquiries") == 2
    write_csv(path, [row(status="closed", closed_at="2026-11-12T09:00:00+08:00"),
                     row(submitted_at="2026-11-10T11:00:00+08:00", email="b@qq.com")])
    ingest_inquiries(settings_env, path)
    assert one(settings_env, "SELECT count(*) FROM inquiries") == 2
    assert one(settings_env, "SELECT count(*) FROM inquiries WHERE status = 'closed'") == 1


def test_rows_without_consent_are_not_loaded_and_are_reported(settings_env, tmp_path):
    path = write_csv(tmp_path / "i.csv", [row(), row(submitted_at="2026-11-10T11:00:00+08:00", consent="false")])
    stats = ingest_inquiries(settings_env, path)
    assert (stats.rows_loaded, stats.no_consent) == (1, 1)
    assert one(settings_env, "SELECT sum(rows) FROM data_quality WHERE issue = 'no_consent'") == 1
    write_csv(path, [row(consent="no")])  # consent now missing for the row loaded before: it goes
    ingest_inquiries(settings_env, path)
    assert one(settings_env, "SELECT count(*) FROM inquiries") == 0


def test_unknown_regions_are_counted_not_guessed(settings_env, tmp_path):
    path = write_csv(tmp_path / "i.csv", [row(province_city="my city"), row(submitted_at="2026-11-10T11:00:00+08:00",
                                          province_city="13800138000"), row(submitted_at="2026-11-10T12:00:00+08:00",
                                          province_city="my city"), row(submitted_at="2026-11-10T13:00:00+08:00",
                                          province_city="only typed once")])
    stats = ingest_inquiries(settings_env, path)
    assert stats.unknown_region == 4
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        found = con.execute("SELECT raw_value, rows FROM data_quality WHERE issue = 'unknown_region' "
                            "ORDER BY raw_value NULLS LAST").fetchall()
    # typed by two: kept as typed; a phone number, or a value one person typed, is counted but not kept
    assert found == [("my city", 2), (None, 2)]


def test_bad_rows_are_rejected_with_their_row_number_and_the_rest_loads(settings_env, tmp_path):
    path = tmp_path / "i.csv"
    good = write_csv(tmp_path / "g.csv", [row()]).read_text(encoding="utf-8")
    path.write_text(good + "only,three,fields\n" + good.splitlines()[1].replace("2026-11-10T10", "yesterday") + "\n",
                    encoding="utf-8")
    stats = ingest_inquiries(settings_env, path)
    assert (stats.rows_loaded, stats.rows_rejected) == (1, 2)
    assert stats.rejects[0].startswith("row 3: has 3 fields") and stats.rejects[1].startswith("row 4: a time")
    assert "王" not in " ".join(stats.rejects)


def test_a_missing_column_stops_with_one_line(settings_env, tmp_path):
    path = tmp_path / "i.csv"
    path.write_text("submitted_at,email\n2026-11-10T10:00:00,a@b.cn\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"i.csv: missing column\(s\) mobile"):
        ingest_inquiries(settings_env, path)
    assert not settings_env.warehouse.exists()  # nothing was written


def test_json_lines_are_read_too(settings_env, tmp_path):
    path = tmp_path / "i.jsonl"
    path.write_text(json.dumps(row()) + "\n" + "{broken\n", encoding="utf-8")
    stats = ingest_inquiries(settings_env, path)
    assert (stats.rows_loaded, stats.rows_rejected) == (1, 1)


def test_a_json_record_holding_a_unicode_line_separator_stays_one_record(settings_env, tmp_path):
    path = tmp_path / "i.jsonl"
    text = json.dumps(row(message="第一行\u2028第二行\x85第三行"), ensure_ascii=False) + "\r\n"
    path.write_text(text, encoding="utf-8", newline="")
    stats = ingest_inquiries(settings_env, path)
    assert (stats.rows_loaded, stats.rows_rejected) == (1, 0)


def test_funnel_joins_web_steps_and_form_steps(settings_env, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    run(settings_env, logs, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/"),
        line("1.2.2.10", "10/Nov/2026:10:01:00 +0800", "/contact"),
        line("1.2.2.11", "10/Nov/2026:10:02:00 +0800", "/products/"),
        line("1.2.2.12", "10/Nov/2026:10:03:00 +0800", "/contact?email=x@y.cn"),
    ])
    ingest_inquiries(settings_env, write_csv(tmp_path / "i.csv", [
        row(), row(submitted_at="2026-11-10T11:00:00+08:00", email="b@qq.com", first_response_at="",
                   status="new", country="Germany", province_city="Bayern"),
    ]))
    report = inquiries_report(settings_env, DAY, DAY)
    assert report["funnel"] == {"visitors": 3, "contact_page_visitors": 2, "submissions": 2, "responded": 1,
                                "closed": 0}
    assert report["inquiries"] == 2
    regions = {(r["country"], r["region"], r["inquiries"]) for r in report["by_region"]}
    assert regions == {("CN", "CN-GD", 1), ("DE", "DE-BY", 1)}
    assert report["first_response"]["median_hours"] == 2.5
    assert report["first_response"]["within_sla_share"] == 0.5  # the other one is long past 24 h unanswered


def test_erasure_unlinks_the_subject_keeps_counts_and_survives_reimport(settings_env, tmp_path):
    path = write_csv(tmp_path / "i.csv", [row(), row(submitted_at="2026-11-10T11:00:00+08:00", email="b@qq.com",
                                                     mobile="13900139000")])
    ingest_inquiries(settings_env, path)
    before = inquiries_report(settings_env, DAY, DAY)
    held = export(settings_env, email="wang.xm@example-auto.cn")
    assert len(held["inquiries"]) == 1 and held["inquiries"][0]["region"] == "CN-GD"
    result = erase(settings_env, email="WANG.XM@example-auto.cn")
    assert result["inquiries_anonymized"] == 1
    keys = one(settings_env, "SELECT count(*) FROM inquiries WHERE subject_email IS NOT NULL OR subject_phone IS "
                             "NOT NULL")
    assert keys == 1  # only the other subject is still linked
    after = inquiries_report(settings_env, DAY, DAY)
    assert after["inquiries"] == before["inquiries"] and after["by_region"] == before["by_region"]
    assert export(settings_env, email="wang.xm@example-auto.cn")["inquiries"] == []
    again = ingest_inquiries(settings_env, path)  # an old export re-imported must not bring the subject back
    assert again.erased_subjects_skipped == 1
    assert one(settings_env, "SELECT count(*) FROM inquiries") == 2
    assert export(settings_env, phone="+86 138 0013 8000")["inquiries"] == []


def test_a_subject_export_gives_times_with_their_offset_beside_the_local_day(settings_env, tmp_path):
    """Submitted at 00:30 in Shanghai is 16:30 UTC the day before: the export says the local time with its offset,
    so it reads beside the local ``day``, and every time in it carries an offset."""
    ingest_inquiries(settings_env, write_csv(tmp_path / "i.csv", [row(submitted_at="2026-11-10T00:30:00+08:00")]))
    held = export(settings_env, email="wang.xm@example-auto.cn")
    (inquiry,) = held["inquiries"]
    submitted = dt.datetime.fromisoformat(inquiry["submitted_at"])
    assert submitted.utcoffset() == dt.timedelta(hours=8) and submitted.date().isoformat() == inquiry["day"]
    assert submitted == dt.datetime(2026, 11, 9, 16, 30, tzinfo=dt.UTC)
    times = [v for r in held["inquiries"] + held["audit"] for k, v in r.items() if k.endswith("_at") and v]
    assert times and all(dt.datetime.fromisoformat(t).utcoffset() is not None for t in times)
    assert dt.datetime.fromisoformat(held["exported_at"]).utcoffset() is not None


def test_every_section_of_the_inquiry_report_follows_the_place_filters(loaded_env):
    """Issue 28, item 2: with Country CN and a region, conversion by region, inquiries by country and by region
    hold that place only, with the figures it has without the filter; the gazetteer's panel follows the country."""
    from etl.core.settings import load_settings
    from etl.ingest.inquiries.quality import place_quality
    from tests.conftest import START, TODAY

    cfg = load_settings()
    whole = inquiries_report(cfg, START, TODAY)
    region = next(r["region"] for r in whole["by_region"] if r["country"] == "CN" and r["region"] != "unknown")
    narrowed = inquiries_report(cfg, START, TODAY, country="CN", region=region)
    assert len({r["region"] for r in whole["conversion_by_region"]}) > 1  # the filter has something to remove
    for key in ("conversion_by_region", "by_region", "by_district"):
        assert narrowed[key] and {(r["country"], r["region"]) for r in narrowed[key]} == {("CN", region)}, key
    assert narrowed["by_country"] == [{"country": "CN", "inquiries": narrowed["inquiries"]}]
    own = [r for r in whole["conversion_by_region"] if r["region"] == region]
    assert narrowed["conversion_by_region"] == own
    everywhere = place_quality(cfg, START, TODAY)
    assert {s.country for s in everywhere.shares} - {"CN"}  # other countries to leave out
    china = place_quality(cfg, START, TODAY, country="CN")
    assert china.shares and {s.country for s in china.shares} == {"CN"}
    assert {v.country for v in china.unplaced} <= {"CN"}
