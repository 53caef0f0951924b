"""Real access logs from public repositories (tests/data/logs/, sources and licences in tests/data/README.md), each
with its known answer: what loads, what is no request, what is rejected, what is ignored, and the pageviews
(counted independently of the product: GET, 2xx or 304, not a static asset, not a bot)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.ingest.logs.ingest import ingest_paths
from etl.ingest.logs.parse import detect_format
from etl.reporting.reports import usage_report

DATA = Path(__file__).parents[1] / "data" / "logs"
EVER = (dt.date(1990, 1, 1), dt.date(2030, 1, 1))
TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("name", "fmt", "read", "loaded", "rejected", "not_requests", "ignored", "pageviews"),
    [
        # host names as clients; six HTTP/0.9 requests without protocol
        ("nasa-http.log", "common", 60, 60, 0, 0, 0, 21),
        # a client named with an underscore (ppp3_069.bekkoame.or.jp), as DNS wrote it in 1995: 7 of the 65 lines
        ("nasa-http-underscores.log", "common", 65, 65, 0, 0, 0, 20),
        # three spaces before the protocol, HTTP/V1.0, a stray quote inside the request; two without a method
        ("nasa-http-odd-lines.log", "common", 26, 24, 2, 0, 0, 12),
        # IIS 7.0, CRLF, the directive block repeated ten times; search-engine crawlers
        ("iis-w3c.log", "w3c", 56, 16, 0, 0, 40, 2),
        # CloudFront: tabs, percent-encoded agents, a line shorter than its #Fields; no GET answered 2xx
        ("aws-cloudfront.log", "w3c", 6, 4, 0, 0, 2, 0),
        ("traefik-json.log", "traefik-json", 50, 50, 0, 0, 0, 26),
        # curl through an ALB (statuses 460 and 504, timings -1) and a trailing blank line
        ("aws-alb.log", "alb", 11, 10, 0, 0, 1, 0),
        ("caddy-json-lnav.log", "caddy-json", 4, 4, 0, 0, 0, 0),
        # Debian's other_vhosts_access.log: nine "-" 408 and six TLS handshakes sent to port 80 are no requests
        ("apache-vhost-combined.log", "vcombined", 60, 45, 0, 15, 0, 15),
        # ingress-nginx: request length and time, upstream name, address, length, time, status and id after the agent;
        # the methods PATCHp and geti (answered 400) are rejected, GoAccess would read them as PATCH and GET by prefix
        ("nginx-ingress-combined.log", "combined", 22, 20, 2, 0, 0, 8),
        # Traefik's CLF: request count, quoted router and backend, duration after the agent; Nikto; a status "-"
        ("traefik-clf.log", "combined", 5, 4, 1, 0, 0, 0),
        # Caddy 2 JSON written on three dates: status 0 (no route handled the request), client_ip apart from remote_ip,
        # basic-auth 401s, a reverse-proxy debug line (no request), a trailing blank line; GoAccess (1.9.2 and later)
        # counts status 0
        ("caddy-json-crowdsec.log", "caddy-json", 12, 10, 0, 1, 1, 0),
    ],
)
def test_a_real_log_loads_as_goaccess_reads_it(settings_env, name, fmt, read, loaded, rejected, not_requests, ignored,
                                               pageviews):
    path = DATA / name
    assert detect_format(path.read_text(encoding="utf-8").splitlines()[:50]) == fmt
    stats = ingest_paths(settings_env, [path], today=TODAY)
    assert (stats.lines_read, stats.lines_loaded, stats.lines_rejected, stats.lines_not_requests,
            stats.lines_ignored) == (read, loaded, rejected, not_requests, ignored)
    report = usage_report(settings_env, *EVER)
    assert report["requests"] == loaded and report["pageviews"] == pageviews


def test_a_client_named_by_dns_loads_and_is_stored_only_pseudonymized(settings_env):
    """NASA's trace names clients by host name, one with an underscore: every line loads, and no table holds the
    name (nor the documentation addresses that stand for the trace's IPs): they only key the visitor id."""
    path = DATA / "nasa-http-underscores.log"
    stats = ingest_paths(settings_env, [path], today=TODAY)
    assert (stats.lines_loaded, stats.lines_rejected) == (65, 0)
    clients = {line.split(" ")[0] for line in path.read_text(encoding="utf-8").splitlines()}
    assert "ppp3_069.bekkoame.or.jp" in clients and len(clients) == 17
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        tables = [row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        stored = " ".join(str(con.execute(f'SELECT * FROM "{name}"').fetchall()) for name in tables)  # noqa: S608
    assert "log_rejects" in tables and "events" in tables
    assert [client for client in clients if client in stored] == []
    assert usage_report(settings_env, *EVER)["visitors"] == 15  # the clients that viewed a page, each its own


def w3c_with_new_fields(tmp_path: Path) -> Path:
    """The real IIS log, then a second block whose #Fields puts the columns in another order (IIS writes one
    when its logging settings change) and whose pages differ."""
    lines = (DATA / "iis-w3c.log").read_text(encoding="utf-8").splitlines()
    first = next(line for line in lines if line.startswith("2010-"))
    cells = first.split(" ")
    fields = next(line for line in lines if line.startswith("#Fields:")).split(" ")[1:]
    order = ["c-ip", "date", "time", "cs-method", "cs-uri-stem", "sc-status", "cs(User-Agent)", "cs-uri-query"]
    browser = "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64;+rv:131.0)+Gecko/20100101+Firefox/131.0"
    swap = {"cs(User-Agent)": browser, "sc-status": "200"}
    own = {"cs-uri-stem": "/moved/{n}.aspx", "c-ip": "198.51.100.{m}"}  # many readers, a page each
    moved = [" ".join(swap.get(f) or own.get(f, cells[fields.index(f)]).format(n=n, m=n % 250 + 1) for f in order)
             for n in range(1_500)]
    out = tmp_path / "u_ex100815.log"
    out.write_text("\n".join([*lines, "#Fields: " + " ".join(order), *moved]) + "\n", encoding="utf-8")
    return out


def test_w3c_columns_follow_each_fields_directive_across_batches_and_runs(settings_env, tmp_path, monkeypatch):
    log = w3c_with_new_fields(tmp_path)
    monkeypatch.setattr("etl.ingest.logs.files.READ_BLOCK", 16_384)  # small reads, so the batches end near 1,000 lines
    cfg = settings_env.model_copy(update={"batch_lines": 1_000})  # and the new block straddles two batches
    stats = ingest_paths(cfg, [log], today=TODAY)
    assert (stats.lines_loaded, stats.lines_rejected) == (16 + 1_500, 0)
    top = {row["path"] for row in usage_report(cfg, *EVER, limit=2_000)["top_pages"]}
    assert {f"/moved/{n}.aspx" for n in range(1_500)} <= top

    # appended later: a new run resumes after the loaded bytes and still knows the columns in force
    with log.open("a", encoding="utf-8") as fh:
        fh.write(log.read_text(encoding="utf-8").splitlines()[-1].replace("/moved/1499.aspx", "/appended.aspx") + "\n")
    again = ingest_paths(cfg, [log], today=TODAY)
    assert (again.lines_loaded, again.lines_rejected) == (1, 0)
    assert "/appended.aspx" in {row["path"] for row in usage_report(cfg, *EVER, limit=2_000)["top_pages"]}


def test_lines_without_a_request_and_blank_lines_are_not_rejects(settings_env, tmp_path):
    head = "vcar.example:443 198.51.100.7 - - [10/Nov/2026:10:00:00 +0800]"
    log = tmp_path / "other_vhosts_access.log"
    log.write_text("\n".join([
        f'{head} "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0"',
        f'{head} "-" 408 0 "-" "-"',
        f'{head} "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03" 400 0 "-" "-"',
        f'{head} "\\n" 400 0 "-" "-"',
        "",
        f'{head} "GET /cut HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64) Fire',
        f'{head} "GET /x HTTP/1.1" 999 512 "-" "-"',
        "",
    ]) + "\n", encoding="utf-8")
    stats = ingest_paths(settings_env, [log], today=TODAY)
    assert (stats.lines_read, stats.lines_loaded, stats.lines_not_requests, stats.lines_rejected,
            stats.lines_ignored) == (8, 2, 3, 1, 2)
    assert stats.lines_read == (stats.lines_loaded + stats.lines_rejected + stats.lines_not_requests
                                + stats.lines_ignored + stats.lines_skipped_already_loaded)


def test_an_unknown_format_stops_with_what_it_looks_like(settings_env, tmp_path):
    from etl.core.errors import InputError

    log = tmp_path / "app.log"
    shutil.copy(DATA / "nasa-http.log", log)
    log.write_text("".join(f"{line.split(' ', 1)[1]}" for line in log.read_text().splitlines(keepends=True)))
    with pytest.raises(InputError, match="no known log format.*--format"):
        ingest_paths(settings_env, [log], today=TODAY)


@pytest.mark.parametrize(
    "lines",
    [['198.51.100.7 - - [2026-11-10T10:00:00Z] "GET / HTTP/1.1" 200 1 "-" "curl/8"'] * 20,  # the look, not the time
     ['{"foo": 1}'] * 20, ['{"remote_addr": "198.51.100.7", "msg": "hello"}'] * 20],
)
def test_lines_that_only_look_like_a_format_stop_the_run_instead_of_loading_as_rejects(settings_env, tmp_path, lines):
    from etl.core.errors import InputError

    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="they start like .* but do not parse as it"):
        ingest_paths(settings_env, [log], today=TODAY)


def visits_that_included(con, gap_s: float) -> dict[str, list[tuple[str, int, float]]]:
    """Independently of the product's SQL: the pageviews of each visitor and day, cut into visits at a gap of
    ``gap_s`` or more; for each page, the (day and visitor, pageviews, seconds) of every visit that included it."""
    rows = con.execute("SELECT day, visitor_id, epoch(ts), path FROM events WHERE is_pageview "
                       "ORDER BY day, visitor_id, ts, line_no").fetchall()
    visits: list[list[tuple]] = []
    for row in rows:
        last = visits[-1][-1] if visits else None
        if last is not None and last[:2] == row[:2] and row[2] - last[2] < gap_s:
            visits[-1].append(row)
        else:
            visits.append([row])
    by_page: dict[str, list[tuple[str, int, float]]] = {}
    for visit in visits:
        seen = (f"{visit[0][0]} {visit[0][1]}", len(visit), visit[-1][2] - visit[0][2])
        for path in {r[3] for r in visit}:
            by_page.setdefault(path, []).append(seen)
    return by_page


@pytest.mark.parametrize("name", ["nasa-http.log", "traefik-json.log", "apache-vhost-combined.log"])
def test_a_page_filter_gives_the_figures_of_the_visits_that_included_the_page(settings_env, name):
    """Issue 28: with a page filter, visits, visitors, bounce rate, views per visit and visit duration are those of
    the visits that included the page, as counted from the events here; the page's own views stay in Top pages."""
    ingest_paths(settings_env, [DATA / name], today=TODAY)
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        by_page = visits_that_included(con, settings_env.visit_gap_minutes * 60)
        own = dict(con.execute("SELECT path, count(*) FROM events WHERE is_pageview GROUP BY path").fetchall())
    assert any(len({v[0] for v in visits}) < len(visits) or any(v[1] > 1 for v in visits)
               for visits in by_page.values()), "the log has a visit of more than one page"
    for path, visits in sorted(by_page.items(), key=lambda kv: -len(kv[1]))[:12]:
        report = usage_report(settings_env, *EVER, filters={"page": path})
        views, seconds = sum(v[1] for v in visits), sum(v[2] for v in visits)
        assert report["visits"] == len(visits), path
        assert report["visitors"] == len({v[0] for v in visits}), path
        assert report["views_per_visit"] == pytest.approx(views / len(visits)), path
        assert report["visit_duration_s"] == pytest.approx(seconds / len(visits), abs=1), path
        assert report["bounce_rate"] == pytest.approx(sum(v[1] == 1 for v in visits) / len(visits)), path
        assert report["top_pages"][0]["path"] == path and report["page_pageviews"] == own[path], path


def test_a_warehouse_loaded_before_migration_15_gets_the_visit_figures_of_its_pages(settings_env):
    """Days loaded before agg_pages kept the visits' pageviews and duration get them from their events when the
    warehouse migrates, so a page filter on old days gives the same figures as on new ones."""
    from etl.core import warehouse

    ingest_paths(settings_env, [DATA / "nasa-http.log"], today=TODAY)
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        by_page = visits_that_included(con, settings_env.visit_gap_minutes * 60)
    path = max(by_page, key=lambda p: len(by_page[p]))
    fresh = usage_report(settings_env, *EVER, filters={"page": path})
    with duckdb.connect(str(settings_env.warehouse)) as con:
        con.execute("ALTER TABLE agg_pages DROP COLUMN visit_pageviews")
        con.execute("ALTER TABLE agg_pages DROP COLUMN visit_duration_s")
        con.execute("DELETE FROM schema_version WHERE version >= 15")
    with warehouse.write(settings_env.warehouse) as con:
        assert con.execute("SELECT count(*) FROM agg_pages WHERE visit_pageviews IS NULL").fetchone() == (0,)
    migrated = usage_report(settings_env, *EVER, filters={"page": path})
    assert (migrated["views_per_visit"], migrated["visit_duration_s"]) == (fresh["views_per_visit"],
                                                                         fresh["visit_duration_s"])
    assert fresh["views_per_visit"] > 1
