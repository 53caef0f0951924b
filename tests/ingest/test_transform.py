"""Known-answer tests of the pure steps of the log transform (etl/ingest/logs/transform.py), a few rows each, checked
with polars' own frame comparison: the steps Spark runs too, without files, clock, warehouse or GeoIP."""

from __future__ import annotations

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from etl.ingest.logs.pseudonymize import visitor_id
from etl.ingest.logs.transform import drop_unparsed, mark_pageviews, put_day, put_visitor_id, scrub

UTC = dt.UTC


def test_put_day_is_the_reporting_days_date_and_keeps_utc():
    frame = pl.DataFrame({"ts": [dt.datetime(2026, 11, 24, 15, 59, tzinfo=UTC), dt.datetime(2026, 11, 24, 16, 0,
                                                                                             tzinfo=UTC)]})
    got = put_day(frame, "Asia/Shanghai")
    expected = pl.DataFrame({
        "ts": [dt.datetime(2026, 11, 24, 15, 59), dt.datetime(2026, 11, 24, 16, 0)],
        "day": [dt.date(2026, 11, 24), dt.date(2026, 11, 25)],  # 16:00 UTC is midnight in Shanghai
    }).with_columns(pl.col("ts").dt.cast_time_unit(frame["ts"].dtype.time_unit))  # type: ignore[union-attr]
    assert_frame_equal(got, expected, check_column_order=False)


def test_mark_pageviews_counts_human_gets_of_pages_answered_2xx_or_304():
    frame = pl.DataFrame({
        "path": ["/", "/p", "/style.CSS", "/robots.txt", "/q", "/r", "/s"],
        "status": [200, 304, 200, 200, 404, 200, 200],
        "method": ["GET", "GET", "GET", "GET", "GET", "POST", "GET"],
        "is_bot": [False, False, False, False, False, False, True],
    })
    got = mark_pageviews(frame, ("css", "js"), ("/robots.txt",))
    expected = frame.with_columns(pl.Series("is_pageview", [True, True, False, False, False, False, False]))
    assert_frame_equal(got, expected)


def test_drop_unparsed_keeps_line_numbers_and_masks_the_excerpt():
    batch = pl.DataFrame({"line_no": [1, 2, 3], "line": ["ok", "garbage from 203.0.113.9 a@b.cn", "ok"]})
    parsed = pl.DataFrame({"line_no": [1, 2, 3], "reject_reason": [None, "unparsed", None], "path": ["/", None, "/x"]})
    good, rejects = drop_unparsed(parsed, batch)
    assert_frame_equal(good, pl.DataFrame({"line_no": [1, 3], "path": ["/", "/x"]}))
    assert rejects["line_no"].to_list() == [2] and rejects["reason"].to_list() == ["unparsed"]
    excerpt = rejects["excerpt"][0]
    assert "203.0.113.9" not in excerpt and "a@b.cn" not in excerpt


def test_put_visitor_id_is_one_keyed_hash_per_day_ip_agent_and_host():
    day, other = dt.date(2026, 11, 24), dt.date(2026, 11, 25)
    salts = {day: b"s" * 32, other: b"t" * 32}
    frame = pl.DataFrame({
        "day": [day, day, other, day], "ip": ["198.51.100.1"] * 3 + ["198.51.100.2"],
        "ua": ["A"] * 4, "host": ["example.cn"] * 4,
    })
    got = put_visitor_id(frame, salts)
    expected_ids = [visitor_id(salts[d], ip, "A", "example.cn") for d, ip in zip(frame["day"], frame["ip"],
                                                                                   strict=True)]
    assert_frame_equal(got, frame.with_columns(pl.Series("visitor_id", expected_ids, dtype=pl.UInt64)))
    ids = got["visitor_id"].to_list()
    assert ids[0] == ids[1] and len(set(ids)) == 3  # same client same day; a new day or address is someone new


def test_scrub_removes_personal_data_from_paths_and_classifies_sources():
    frame = pl.DataFrame({
        "target": ["/contact?email=a@b.cn", "/p?utm_source=newsletter&utm_campaign=nov", "/x/13812345678"],
        "referrer": ["https://www.baidu.com/s?wd=x", None, "https://example.cn/home"],
        "host": ["example.cn"] * 3,
    })
    got = scrub(frame, "example.cn").select("path", "utm_source", "utm_campaign", "referrer_host", "source_kind")
    expected = pl.DataFrame({
        "path": ["/contact", "/p", "/x/[phone]"], "utm_source": [None, "newsletter", None],
        "utm_campaign": [None, "nov", None], "referrer_host": ["baidu.com", None, "example.cn"],
        "source_kind": ["search", "campaign", "internal"],
    })
    assert_frame_equal(got, expected)
