"""Known answers for every metric definition, on small hand-written logs."""

from __future__ import annotations

import datetime as dt

from etl.reporting.reports import usage_report
from tests.helpers import DAY, FIREFOX, GOOGLEBOT, line, run


def test_one_ip_with_two_browsers_is_two_visitors(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/"),
        line("1.2.2.10", "10/Nov/2026:10:01:00 +0800", "/", ua=FIREFOX),
    ])
    assert report["visitors"] == 2
    assert report["visits"] == 2


def test_one_browser_on_two_ips_is_two_visitors(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/"),
        line("1.2.2.11", "10/Nov/2026:10:01:00 +0800", "/about"),
    ])
    assert report["visitors"] == 2


def test_a_gap_of_30_minutes_starts_a_new_visit(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/"),
        line("1.2.2.10", "10/Nov/2026:10:29:59 +0800", "/products/"),
        line("1.2.2.10", "10/Nov/2026:10:59:59 +0800", "/contact"),
    ])
    assert report["visitors"] == 1
    assert report["visits"] == 2
    assert report["pageviews"] == 3
    assert report["bounce_rate"] == 0.5  # the second visit has one pageview
    assert {p["path"]: p["visits"] for p in report["entry_pages"]} == {"/": 1, "/contact": 1}


def test_reporting_day_follows_the_configured_time_zone(settings_env, tmp_path):
    # 23:30 UTC on the 9th is 07:30 on the 10th in Shanghai
    report = run(settings_env, tmp_path, [line("1.2.2.10", "09/Nov/2026:23:30:00 +0000", "/")])
    assert [d["day"] for d in report["by_day"]] == ["2026-11-10"]


def test_304_counts_and_static_assets_and_errors_do_not(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/", status=304),
        line("1.2.2.10", "10/Nov/2026:10:00:01 +0800", "/static/site.css"),
        line("1.2.2.10", "10/Nov/2026:10:00:02 +0800", "/logo.PNG"),
        line("1.2.2.10", "10/Nov/2026:10:00:03 +0800", "/missing", status=404),
        line("1.2.2.10", "10/Nov/2026:10:00:04 +0800", "/contact", method="POST", status=303),
        line("1.2.2.10", "10/Nov/2026:10:00:05 +0800", "/products/", status=301),
    ])
    assert report["requests"] == 6
    assert report["pageviews"] == 1


def test_bots_are_kept_out_and_reported_with_a_reason(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("66.249.66.1", "10/Nov/2026:10:00:00 +0800", "/", ua=GOOGLEBOT),
        line("45.155.205.9", "10/Nov/2026:10:00:00 +0800", "/", ua="curl/8.5.0"),
        line("45.155.205.8", "10/Nov/2026:10:00:00 +0800", "/", ua="-"),
        line("1.2.2.50", "10/Nov/2026:10:00:00 +0800", "/robots.txt"),
        line("1.2.2.50", "10/Nov/2026:10:00:09 +0800", "/products/"),
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/"),
    ])
    assert report["pageviews"] == 1
    assert report["visitors"] == 1
    assert report["bot_requests"] == 5
    reasons = {b["bot_reason"] for b in report["bots"]}
    assert {"crawler_list", "automation_client", "empty_user_agent", "fetched_robots_txt"} <= reasons
    assert any(b["bot_name"] == "Googlebot" for b in report["bots"])


def test_query_strings_and_personal_data_never_reach_paths(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/contact?email=a%40b.cn&mobile=%2B8613800138000"),
        line("1.2.2.11", "10/Nov/2026:10:00:00 +0800", "/?utm_source=wechat&utm_campaign=autumn&x=secret"),
    ])
    paths = {p["path"] for p in report["top_pages"]}
    assert paths == {"/contact", "/"}
    assert report["campaigns"][0]["campaign"] == "autumn"
    assert {s["source"] for s in report["sources"]} == {"Direct", "WeChat"}  # utm_source=wechat, the same label


def test_a_campaign_source_and_a_referrer_of_the_same_network_share_one_label(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/?utm_source=weixin&utm_campaign=autumn"),
        line("1.2.2.11", "10/Nov/2026:10:00:00 +0800", "/", ref="https://mp.weixin.qq.com/s/abc"),
        line("1.2.2.12", "10/Nov/2026:10:00:00 +0800", "/?utm_source=MyNewsletter"),
    ])
    assert {s["source"]: s["visits"] for s in report["sources"]} == {"WeChat": 2, "mynewsletter": 1}


def test_referrers_become_host_and_source(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/", ref="https://www.baidu.com/link?url=abc&wd=secret"),
        line("1.2.2.11", "10/Nov/2026:10:00:00 +0800", "/", ref="https://www.linkedin.com/feed/"),
        line("1.2.2.11", "10/Nov/2026:10:00:05 +0800", "/about", ref="https://www.vcar.example/"),
    ])
    assert {s["source"]: s["visits"] for s in report["sources"]} == {"Baidu": 1, "LinkedIn": 1}


def test_visitors_over_a_range_are_the_sum_of_daily_visitors(settings_env, tmp_path):
    report = run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/"),
        line("1.2.2.10", "11/Nov/2026:10:00:00 +0800", "/"),
    ], day=DAY + dt.timedelta(days=1), end=DAY + dt.timedelta(days=1))
    both = usage_report(settings_env, DAY, DAY + dt.timedelta(days=1))
    assert report["visitors"] == 1
    assert both["visitors"] == 2  # ids are not linkable across days, by design


def test_allow_listed_query_parameters_stay_in_the_path(settings_env, tmp_path, monkeypatch):
    from etl.core.settings import load_settings

    monkeypatch.setenv("VCAR_QUERY_ALLOWLIST", '["lang"]')
    report = run(load_settings(), tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/products/?lang=de&email=a%40b.cn&session=abc"),
    ])
    assert [p["path"] for p in report["top_pages"]] == ["/products/?lang=de"]


def test_filters_narrow_every_visitor_figure(settings_env, tmp_path):
    """Beijing on Chrome from Baidu views / and /contact; Guangdong on Firefox views /products/ (two visits)."""
    run(settings_env, tmp_path, [
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/", ref="https://www.baidu.com/s?wd=x"),
        line("1.2.2.10", "10/Nov/2026:10:01:00 +0800", "/contact", ref="https://www.vcar.example/"),
        line("1.0.8.10", "10/Nov/2026:10:00:00 +0800", "/products/", ua=FIREFOX),
        line("1.0.8.10", "10/Nov/2026:11:00:00 +0800", "/products/", ua=FIREFOX),
    ])

    def report(**filters):
        return usage_report(settings_env, DAY, DAY, filters=filters)

    everyone = report()
    assert (everyone["visitors"], everyone["visits"], everyone["pageviews"]) == (2, 3, 4)
    firefox = report(browser="Firefox")
    assert (firefox["visitors"], firefox["visits"], firefox["pageviews"], firefox["bounce_rate"]) == (1, 2, 2, 1.0)
    assert [c["country"] for c in firefox["countries"]] == ["CN"]
    assert [(r["region"], r["region_name"]) for r in report(region="CN-BJ")["regions"]] == [("CN-BJ", "Beijing Shi")]
    assert report(region="CN-BJ")["visitors"] == 1
    baidu = report(source="Baidu")
    assert (baidu["visitors"], baidu["pageviews"], baidu["top_pages"][0]["path"]) == (1, 2, "/")
    contact = report(page="/contact")  # visits that included the page
    # the one visit that included /contact viewed two pages, one of them /contact
    assert (contact["visitors"], contact["visits"], contact["pageviews"], contact["bounce_rate"]) == (1, 1, 2, 0.0)
    assert (contact["views_per_visit"], contact["page_pageviews"]) == (2.0, 1)
    assert [p["path"] for p in contact["top_pages"]] == ["/contact"]
    assert report(page="/products/", device="mobile")["visitors"] == 0
    assert report(country="CN")["visitors"] == everyone["visitors"]
