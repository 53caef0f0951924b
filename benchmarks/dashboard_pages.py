"""Benchmark: script-run time of every dashboard page, cold (empty cache) and warm, on a year of aggregates.

Builds a warehouse holding 365 days of aggregates at about 100,000 pageviews a day (the aggregate tables are
filled directly with synthetic rows of realistic cardinality: loading 36 million log lines first would measure
the ETL, not the pages), 50 inquiries a day and 600 rights requests, then runs each page as the admin in
Streamlit's AppTest and prints the timings. Usage: python benchmarks/dashboard_pages.py [--days N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FILL = """
INSERT INTO agg_daily
SELECT d::DATE, ['CN', 'CN', 'CN', 'CN', 'CN', 'DE', 'FR', 'GB'][1 + (i % 8)],
       ['CN-GD', 'CN-ZJ', 'CN-JS', 'CN-SH', 'CN-BJ', 'DE-BY', 'FR-IDF', 'GB-ENG'][1 + (i % 8)],
       ['desktop', 'mobile', 'tablet'][1 + (i % 3)],
       ['Chrome', 'Safari', 'Edge', 'Firefox', 'WeChat', 'Samsung Internet'][1 + (i % 6)],
       ['Windows', 'Android', 'iOS', 'Mac OS X', 'Linux'][1 + (i % 5)],
       ['Direct', 'Baidu', 'Google', 'WeChat', 'Bing', 'LinkedIn', 'Zhihu', 'forum.example'][1 + (i % 7)],
       ['direct', 'search', 'search', 'social', 'search', 'social', 'social', 'referral'][1 + (i % 7)],
       CASE WHEN i % 11 = 0 THEN 'campaign_' || (i % 13) END,
       8, 10, 4, 25, 1200, 'www.vcar.example'
FROM generate_series(CAST($first AS DATE), CAST($last AS DATE), INTERVAL 1 DAY) t(d), range(4000) r(i);
INSERT INTO agg_pages (day, path, country, region, device, browser, os, source, source_kind, utm_campaign,
                       pageviews, visitors, visits, entries, bounces, site, visit_pageviews, visit_duration_s)
SELECT day, '/page/' || (h % 120), country, region, device, browser, os, source, source_kind, utm_campaign,
       4, 3, 3, 1, 1, site, 9, 360
FROM (SELECT *, hash(day, country, device, browser, source) AS h FROM agg_daily), range(2) r(k);
INSERT INTO agg_hourly (day, hour, requests, bot_requests, pageviews, visits) SELECT d::DATE, h, 6000, 1500, 4200, 1700
FROM generate_series(CAST($first AS DATE), CAST($last AS DATE), INTERVAL 1 DAY) t(d), range(24) r(h);
INSERT INTO agg_status SELECT d::DATE, s, b, 30000, 'www.vcar.example'
FROM generate_series(CAST($first AS DATE), CAST($last AS DATE), INTERVAL 1 DAY) t(d),
     (VALUES ('2xx'), ('3xx'), ('4xx')) v(s), (VALUES (true), (false)) w(b);
INSERT INTO agg_bots SELECT d::DATE, 'Bot' || (i % 40), 'crawler_list', 900, 12, 'www.vcar.example'
FROM generate_series(CAST($first AS DATE), CAST($last AS DATE), INTERVAL 1 DAY) t(d), range(40) r(i);
INSERT INTO agg_contact SELECT day, country, region, sum(visitors) // 20 FROM agg_daily GROUP BY ALL;
INSERT INTO inquiries (inquiry_key, subject_email, subject_phone, submitted_at, day, country, region, district,
                       support_type, status, first_response_at, closed_at, policy_version, message_chars, email_kind,
                       has_company, run_id, updated_at, consent)
SELECT 'k' || d || '-' || i, 'e' || d || '-' || i, NULL, d::TIMESTAMP + INTERVAL (i * 13) MINUTE, d::DATE,
       ['CN', 'CN', 'CN', 'DE', 'FR'][1 + (i % 5)], ['CN-GD', 'CN-ZJ', 'CN-SH', 'DE-BY', 'FR-IDF'][1 + (i % 5)],
       'District ' || (i % 9), ['Product inquiry', 'Technical support', 'Other'][1 + (i % 3)],
       ['new', 'responded', 'closed'][1 + (i % 3)],
       CASE WHEN i % 3 > 0 THEN d::TIMESTAMP + INTERVAL (i * 13 + 300) MINUTE END,
       CASE WHEN i % 3 = 2 THEN d::TIMESTAMP + INTERVAL 3 DAY END, '2025-11-15', 120, 'corporate', true, 'bench',
       $now, true
FROM generate_series(CAST($first AS DATE), CAST($last AS DATE), INTERVAL 1 DAY) t(d), range(50) r(i);
INSERT INTO rights_requests (request_id, type, channel, status, subject_email, subject_phone, received_at,
                             identity_requested_on, identity_verified_on, extension_notified_on, extension_reason,
                             closed_on, note, updated_at)
SELECT 'DSR-B-' || i, ['access', 'erasure', 'rectification'][1 + (i % 3)], 'email',
       CASE WHEN i < 560 THEN 'completed' ELSE 'in_progress' END, 'e' || i, NULL,
       CAST($last AS DATE) - INTERVAL (i // 2) DAY, NULL, NULL, NULL, NULL,
       CASE WHEN i < 560 THEN CAST($last AS DATE) - INTERVAL (i // 2 - 10) DAY END, NULL, $now
FROM range(600) r(i);
"""


def build(path: Path, days: int) -> None:
    from etl.core import clock, warehouse
    from etl.core.settings import cached_settings

    last = clock.today(cached_settings().tz)
    first = last - dt.timedelta(days=days - 1)
    values = {"first": first, "last": last, "now": clock.now()}
    with warehouse.write(path) as con:
        for statement in [part.strip() for part in FILL.split(";\n") if part.strip()]:
            con.execute(statement, {k: v for k, v in values.items() if f"${k}" in statement})
        pageviews = con.execute("SELECT sum(pageviews) / count(DISTINCT day) FROM agg_daily").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM agg_daily").fetchone()[0]
        page_rows = con.execute("SELECT count(*) FROM agg_pages").fetchone()[0]
    print(f"warehouse: {days} days, {rows:,} agg_daily rows, {page_rows:,} agg_pages rows, "
          f"{pageviews:,.0f} pageviews a day")


def time_pages(runs: int, query: dict[str, str], label: str) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.navigation import pages_for

    app = str(ROOT / "dashboard" / "app.py")
    for page in pages_for("admin"):
        cold, warm = [], []
        for _ in range(runs):
            st.cache_data.clear()
            at = AppTest.from_file(app, default_timeout=120)
            at.session_state["auth_user"] = {"name": "bench", "role": "admin", "last_seen": time.monotonic()}
            at.query_params.update(query)
            at.run()
            t0 = time.perf_counter()
            at.switch_page(page.file).run()
            cold.append(time.perf_counter() - t0)
            if at.exception:
                raise SystemExit(f"{page.title}: {at.exception[0].message}")
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        cold_s, warm_s = statistics.median(cold), statistics.median(warm)
        print(f"{label:<14} {page.title:<16} cold {cold_s:.2f} s   warm {warm_s:.2f} s   (median of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vcar-bench-pages-") as tmp:
        os.environ["VCAR_WAREHOUSE"] = str(Path(tmp) / "warehouse.duckdb")
        os.environ["VCAR_SECRETS_DIR"] = str(Path(tmp) / "secrets")
        from etl.core import clock
        from etl.core.settings import cached_settings

        cached_settings.cache_clear()
        build(Path(os.environ["VCAR_WAREHOUSE"]), args.days)
        last = clock.today(cached_settings().tz)
        first = last - dt.timedelta(days=args.days - 1)
        time_pages(args.runs, {}, "last 30 days")
        year = {"range": "custom", "from": first.isoformat(), "to": last.isoformat(), "compare": "previous"}
        time_pages(args.runs, year, f"all {args.days} d")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
