"""Sites (README, Sites): each request's site from its virtual host, its folder or the default; reports, the
digest and the Usage page narrowed to a site add up to the all-sites figures; old warehouses migrate under the
default site."""

from __future__ import annotations

import datetime as dt
import json
import os

import duckdb
import polars as pl
import pytest

from etl.core import clock, warehouse
from etl.core.keystore import daily_salt
from etl.core.settings import cached_settings, load_settings
from etl.ingest.logs.ingest import ingest_paths
from etl.ingest.logs.pseudonymize import visitor_id
from etl.ingest.logs.sites import folder_site, put_site
from etl.reporting.reports import usage_report
from tests.helpers import CHROME, DAY, FIREFOX, line, open_page, run_page, vcar

# A vhost_combined log of three sites, one host written three ways; site i has i + 2 visitors on DAY.
HOSTS = {"www.vcar.example": "www.vcar.example", "shop.vcar.cn": "Shop.Vcar.CN:443",
         "eu.vcar.example": "eu.vcar.example."}
NOON = DAY.strftime("%d/%b/%Y") + ":12:00:00 +0800"


def three_sites() -> list[str]:
    return [f"{written} " + line(f"10.0.{i}.{v}", NOON, page, ua=CHROME if v % 2 else FIREFOX)
            for i, written in enumerate(HOSTS.values()) for v in range(i + 2) for page in ("/", "/products")]


def settings_of_this_test() -> dict[str, str]:
    """The settings the fixtures put in this process's environment, for a command run as a child process."""
    return {key: value for key, value in os.environ.items() if key.startswith("VCAR_") and key != clock.ENV}


@pytest.fixture
def sites_loaded(settings_env, tmp_path, monkeypatch):
    log = tmp_path / "logs" / "access.log"
    log.parent.mkdir()
    log.write_text("\n".join(three_sites()) + "\n", encoding="utf-8")
    ingest_paths(settings_env, [log], today=DAY)
    monkeypatch.setenv("VCAR_K_MIN", "1")  # the marketing role is shown counts under k_min as "< k"
    cached_settings.cache_clear()
    return settings_env


def test_site_is_the_host_as_dns_compares_it_else_the_fallback():
    frame = pl.DataFrame({"host": ["Shop.Vcar.CN:443", "eu.vcar.example.", " ", None, "www.vcar.example"]})
    assert put_site(frame, "default.example")["site"].to_list() == [
        "shop.vcar.cn", "eu.vcar.example", "default.example", "default.example", "www.vcar.example"]


def test_a_folder_gives_its_site_to_the_files_under_it(tmp_path):
    folders = {str(tmp_path / "cn"): "www.vcar.cn", str(tmp_path / "cn" / "shop"): "shop.vcar.cn"}
    assert folder_site(str(tmp_path / "cn" / "access.log"), folders, "d") == "www.vcar.cn"
    assert folder_site(str(tmp_path / "cn" / "shop" / "a.log.gz"), folders, "d") == "shop.vcar.cn"  # the deepest
    assert folder_site(str(tmp_path / "cnx" / "access.log"), folders, "d") == "d"  # a name's prefix is no folder


def test_three_vhosts_load_into_three_sites_that_add_up(sites_loaded):
    everything = usage_report(sites_loaded, DAY, DAY)
    per_site = {s: usage_report(sites_loaded, DAY, DAY, filters={"site": s}) for s in HOSTS}
    assert sorted(r["site"] for r in everything["sites"]) == sorted(HOSTS)
    assert [per_site[s]["visitors"] for s in HOSTS] == [2, 3, 4]
    for key in ("visitors", "visits", "pageviews", "requests"):
        assert sum(r[key] for r in per_site.values()) == everything[key], key


def test_a_line_without_a_host_is_of_its_folders_site(settings_env, tmp_path, monkeypatch):
    monkeypatch.setenv("VCAR_SITE_FOLDERS", json.dumps({str(tmp_path / "cn"): "www.vcar.cn"}))
    cfg = load_settings()
    for folder in ("cn", "other"):
        log = tmp_path / folder / "access.log"
        log.parent.mkdir()
        log.write_text(line(f"10.1.0.{len(folder)}", NOON, "/") + "\n", encoding="utf-8")
        ingest_paths(cfg, [log], today=DAY)
    sites = {r["site"]: r["visitors"] for r in usage_report(cfg, DAY, DAY)["sites"]}
    assert sites == {"www.vcar.cn": 1, cfg.site_host: 1}


def test_the_default_sites_visitor_ids_are_what_they_were(settings_env, tmp_path):
    """Before sites, a line without a host hashed the setting site_host in: the default site keeps those ids."""
    log = tmp_path / "access.log"
    log.write_text(line("10.2.0.1", NOON, "/", ua=CHROME) + "\n", encoding="utf-8")
    ingest_paths(settings_env, [log], today=DAY)
    salt = daily_salt(settings_env.secrets_dir, DAY, create=False)
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        stored = con.execute("SELECT visitor_id, site FROM events").fetchall()
    assert stored == [(visitor_id(salt, "10.2.0.1", CHROME, settings_env.site_host), settings_env.site_host)]


@pytest.mark.slow
def test_cli_digest_and_overview_per_site_add_up_and_an_unknown_site_is_refused(sites_loaded, on_day):
    on_day(DAY + dt.timedelta(days=1))  # the Overview's last 7 days end yesterday
    env = settings_of_this_test()
    window = ("--from", DAY.isoformat(), "--to", DAY.isoformat(), "--json")
    everything = json.loads(vcar("report", "usage", *window, env=env).stdout)
    per_site = {s: json.loads(vcar("report", "usage", *window, "--site", s, env=env).stdout) for s in HOSTS}
    assert sum(r["visitors"] for r in per_site.values()) == everything["visitors"] == 9
    assert {s: r["visitors"] for s, r in per_site.items()} == {r["site"]: r["visitors"] for r in everything["sites"]}

    def digest_visitors(*site: str) -> int:
        done = vcar("digest", "--role", "marketing", "--as-of", (DAY + dt.timedelta(days=1)).isoformat(),
                    "--dry-run", "--json", *site, env=env)
        assert done.returncode == 0, done.stderr
        week = json.loads(done.stdout)["sections"][0]
        return int(next(row[1] for row in week["rows"] if row[0] == "Visitors"))

    assert sum(digest_visitors("--site", s) for s in HOSTS) == digest_visitors() == 9

    def overview_visitors(*site: str) -> int:
        done = vcar("overview", "--role", "marketing", "--json", *site, env=env)
        assert done.returncode == 0, done.stderr
        website = json.loads(done.stdout)["sections"][0]
        assert website["title"] == " – ".join(["Website", *site[1:]])
        return int(next(tile["value"] for row in website["tiles"] for tile in row
                        if tile["label"] == "Visitors, last 7 days"))

    assert sum(overview_visitors("--site", s) for s in HOSTS) == overview_visitors() == 9

    wrong = vcar("report", "usage", *window, "--site", "www.vcar.exmaple", env=env)
    said = "--site: 'www.vcar.exmaple' is not a known site; known: eu.vcar.example, shop.vcar.cn, www.vcar.example"
    assert (wrong.returncode, json.loads(wrong.stdout)) == (2, {"error": said, "exit_code": 2})


@pytest.mark.slow
def test_the_usage_page_per_site_adds_up(sites_loaded, on_day):
    on_day(DAY + dt.timedelta(days=1))

    def visitors(**site: str) -> int:
        page = open_page("marketing", "views/usage.py", DAY, DAY, **site)
        return int(next(m for m in page.metric if m.label == "Visitors").value.replace(",", ""))

    assert sum(visitors(site=s) for s in HOSTS) == visitors() == 9


def test_an_old_warehouse_migrates_under_the_default_site(settings_env):
    """A warehouse at migration 0013 (main's schema before sites) with a loaded day: 0014 puts it all under the
    default site, and the usage report reads it as that site's."""
    old = [(v, n) for v, n in warehouse.migration_files() if v < 14]
    path = settings_env.warehouse
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                    "applied_at TIMESTAMPTZ NOT NULL)")
        for version, name in old:
            con.execute(warehouse.sql_text(f"migrations/{name}"))
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
        con.execute("INSERT INTO agg_daily (day, device, visitors, visits, bounces, pageviews, duration_s) "
                    "VALUES (?, 'desktop', 7, 8, 2, 20, 300)", [DAY])
        con.execute("INSERT INTO agg_status (day, status_class, is_bot, requests) VALUES (?, '2xx', false, 30)", [DAY])
    with warehouse.write(path) as con:
        assert con.execute("SELECT DISTINCT site FROM agg_daily").fetchall() == [(settings_env.site_host,)]
    mine = usage_report(settings_env, DAY, DAY, filters={"site": settings_env.site_host})
    assert (mine["visitors"], mine["requests"]) == (7, 30)
    assert usage_report(settings_env, DAY, DAY, filters={"site": "other.example"})["visitors"] == 0


@pytest.mark.slow
def test_the_overview_narrows_its_website_section_to_the_picked_site(sites_loaded, on_day):
    on_day(DAY + dt.timedelta(days=1))  # yesterday is DAY
    page = run_page("views/overview.py", "marketing", {})
    assert not page.exception

    def visitors() -> int:
        return int(next(m for m in page.metric if m.label == "Visitors, last 7 days").value.replace(",", ""))

    everything = visitors()
    per_site = {}
    for site in HOSTS:
        next(box for box in page.selectbox if box.label == "Site").set_value(site).run()
        assert not page.exception
        per_site[site] = visitors()
    assert per_site == {"www.vcar.example": 2, "shop.vcar.cn": 3, "eu.vcar.example": 4}
    assert sum(per_site.values()) == everything
