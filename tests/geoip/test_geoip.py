"""vcar geoip: the update swaps a checked database in and leaves the old one on any failure; status tells its age
and what it placed; DB-IP's attribution shows wherever its places do. Downloads come from a server on 127.0.0.1."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from etl.core.errors import ConfigError, InputError
from etl.core.settings import load_settings
from etl.geoip.database import DBIP_ATTRIBUTION, describe
from etl.geoip.update import update
from etl.sample.networks import NETWORKS
from tests.conftest import TODAY

OLD, NEW = dt.date(2026, 1, 5), dt.date(2026, 11, 3)
SERVER_LIFETIME_SECONDS = 120  # the server shuts itself down after this, should a test never stop it


class _Writer(MMDBWriter):
    """mmdb-writer stamps the time of writing; a test needs a build date it chose."""

    built: dt.date = OLD

    def _build_meta(self) -> dict:
        epoch = int(dt.datetime.combine(self.built, dt.time(12), dt.UTC).timestamp())
        return super()._build_meta() | {"build_epoch": epoch}


def city_db(path: Path, built: dt.date, *, database_type: str = "GeoIP2-City", regions: bool = True,
            description: str = "test database") -> Path:
    """The sample networks placed as etl/sample/geodb.py's build_mmdb places them; without regions on request."""
    writer = _Writer(ip_version=6, ipv4_compatible=True, database_type=database_type, languages=["en"],
                     description={"en": description})
    writer.built = built
    for net in NETWORKS:
        record: dict = {"country": {"iso_code": net.country, "names": {"en": net.country}}}
        if regions:
            record["subdivisions"] = [{"iso_code": net.region.split("-", 1)[1], "names": {"en": net.region_name}}]
        writer.insert_network(IPSet([net.cidr]), record)
    writer.to_db_file(str(path))
    return path


def tar_gz(mmdb: bytes, name: str = "GeoLite2-City_20261103/GeoLite2-City.mmdb") -> bytes:
    """MaxMind's edition archive: a folder with the licence, a readme and the .mmdb."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for member, data in (("GeoLite2-City_20261103/LICENSE.txt", b"licence"), (name, mmdb)):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class Site:
    """Files served on 127.0.0.1 (path -> bytes; anything else is 404) and the requests' headers seen."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.needs_auth: str | None = None
        self.seen: list[dict[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            timeout = 10

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.seen.append(dict(self.headers))
                if site.needs_auth and self.headers.get("Authorization") != site.needs_auth:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="geoip"')
                    self.end_headers()
                    return
                body = site.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.watchdog = threading.Timer(SERVER_LIFETIME_SECONDS, self.server.shutdown)

    def serve(self, path: str, body: bytes, *, sha256: bool = True) -> str:
        self.files[path] = body
        if sha256:
            self.files[path + ".sha256"] = f"{hashlib.sha256(body).hexdigest()}  {path.rsplit('/', 1)[-1]}\n".encode()
        return self.url + path


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    served.thread.start()
    served.watchdog.start()
    try:
        yield served
    finally:
        served.watchdog.cancel()
        served.server.shutdown()
        served.server.server_close()
        served.thread.join(timeout=10)


@pytest.fixture
def geo(tmp_path, settings_env, monkeypatch) -> Path:
    """The database in use: the sample networks, built on OLD, in a folder of its own."""
    folder = tmp_path / "geo"
    folder.mkdir()
    path = city_db(folder / "city.mmdb", OLD)
    monkeypatch.setenv("VCAR_GEOIP_DB", str(path))
    return path


def new_db(tmp_path: Path, **kwargs) -> bytes:
    return city_db(tmp_path / "new.mmdb", NEW, **kwargs).read_bytes()


def run_update(monkeypatch, url: str, **env: str) -> dict:
    monkeypatch.setenv("VCAR_GEOIP_UPDATE_URL", url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return update(load_settings(), NEW)


@pytest.mark.parametrize("form", ["mmdb", "mmdb.gz", "tar.gz"])
def test_the_update_swaps_the_served_database_in(tmp_path, geo, site, monkeypatch, form):
    raw = new_db(tmp_path)
    body = {"mmdb": raw, "mmdb.gz": gzip.compress(raw), "tar.gz": tar_gz(raw)}[form]
    result = run_update(monkeypatch, site.serve(f"/GeoLite2-City.{form}", body))
    assert describe(geo).built == NEW and geo.read_bytes() == raw
    assert result["replaced"] and result["form"] == form and result["checksum"] == "served .sha256"
    assert result["previous"] == {"database_type": "GeoIP2-City", "build_date": OLD.isoformat()}
    assert result["coverage"]["dropped"] == [] and result["coverage"]["region"]["after"] == 1.0
    assert sorted(p.name for p in geo.parent.iterdir()) == ["city.mmdb"]  # no temporary file left behind


def test_maxminds_download_address_gets_its_checksum_and_the_key_goes_only_as_basic_auth(
    tmp_path, geo, site, monkeypatch, capsys
):
    raw = new_db(tmp_path)
    archive = tar_gz(raw)
    site.serve("/geoip/databases/GeoLite2-City/download?suffix=tar.gz", archive, sha256=False)
    site.files["/geoip/databases/GeoLite2-City/download?suffix=tar.gz.sha256"] = (
        hashlib.sha256(archive).hexdigest().encode() + b"  GeoLite2-City_20261103.tar.gz\n"
    )
    secret = "s3cr3t-licence-key"
    site.needs_auth = "Basic " + base64.b64encode(f"123456:{secret}".encode()).decode()
    monkeypatch.setenv("VCAR_GEOIP_LICENSE_KEY", secret)
    result = run_update(monkeypatch, site.url + "/geoip/databases/GeoLite2-City/download?suffix=tar.gz",
                        VCAR_GEOIP_ACCOUNT_ID="123456")
    assert describe(geo).built == NEW and result["checksum"] == "served .sha256"
    assert all(seen.get("Authorization") == site.needs_auth for seen in site.seen)
    assert secret not in json.dumps(result) and "suffix" not in result["url"]
    monkeypatch.delenv("VCAR_GEOIP_LICENSE_KEY")
    with pytest.raises(ConfigError, match="geoip_license_key") as missing:
        update(load_settings(), NEW)
    assert secret not in str(missing.value)


def test_the_key_in_secrets_dir_is_used_and_never_printed(tmp_path, geo, site, monkeypatch):
    from etl.core.keystore import ensure_secrets_dir, write_private

    cfg = load_settings()
    ensure_secrets_dir(cfg.secrets_dir)
    write_private(cfg.secrets_dir / "geoip_license_key", b"file-kept-key\n")
    site.needs_auth = "Basic " + base64.b64encode(b"77:file-kept-key").decode()
    result = run_update(monkeypatch, site.serve("/city.mmdb", new_db(tmp_path)), VCAR_GEOIP_ACCOUNT_ID="77")
    assert result["replaced"] and "file-kept-key" not in json.dumps(result)


def truncated(tmp_path: Path) -> bytes:
    packed = gzip.compress(new_db(tmp_path))
    return packed[: len(packed) // 2]


@pytest.mark.parametrize(
    ("case", "words"),
    [("truncated gz", "broken or cut short"), ("wrong checksum", "does not match"), ("404", "HTTP 404"),
     ("not a database", "not a MaxMind database"), ("wrong type", "GeoLite2-ASN database, not the City"),
     ("unreachable", "could not be reached"), ("cut mmdb", "not a MaxMind database"),
     ("tar without mmdb", "holds no .mmdb")],
)
def test_a_broken_download_leaves_the_old_database_in_use(tmp_path, geo, site, monkeypatch, case, words):
    before = geo.read_bytes()
    raw = new_db(tmp_path)
    if case == "truncated gz":
        url = site.serve("/city.mmdb.gz", truncated(tmp_path))
    elif case == "wrong checksum":
        url = site.serve("/city.mmdb", raw, sha256=False)
        site.files["/city.mmdb.sha256"] = hashlib.sha256(b"another file").hexdigest().encode()
    elif case == "404":
        url = site.url + "/moved-away.mmdb"
    elif case == "not a database":
        url = site.serve("/city.mmdb", b"<html><body>Please log in</body></html>")
    elif case == "wrong type":
        url = site.serve("/asn.mmdb", city_db(tmp_path / "asn.mmdb", NEW, database_type="GeoLite2-ASN").read_bytes())
    elif case == "unreachable":
        url = site.url + "/city.mmdb"
        site.server.shutdown()
        site.server.server_close()
    elif case == "cut mmdb":
        url = site.serve("/city.mmdb", raw[: len(raw) - 200])
    else:
        url = site.serve("/city.tar.gz", tar_gz(b"readme", name="GeoLite2-City_20261103/README.txt"))
    with pytest.raises(InputError) as err:
        run_update(monkeypatch, url)
    assert words in str(err.value) and "\n" not in str(err.value)
    assert geo.read_bytes() == before
    assert sorted(p.name for p in geo.parent.iterdir()) == ["city.mmdb"]


def test_a_configured_checksum_wins_over_the_served_one(tmp_path, geo, site, monkeypatch):
    raw = new_db(tmp_path)
    url = site.serve("/city.mmdb", raw)  # the served .sha256 matches ...
    with pytest.raises(InputError, match="from geoip_update_sha256"):  # ... but the configured one does not
        run_update(monkeypatch, url, VCAR_GEOIP_UPDATE_SHA256="0" * 64)
    assert describe(geo).built == OLD
    result = run_update(monkeypatch, url, VCAR_GEOIP_UPDATE_SHA256=hashlib.sha256(raw).hexdigest())
    assert result["checksum"] == "geoip_update_sha256" and describe(geo).built == NEW


def test_without_a_served_checksum_the_file_is_still_checked_and_says_so(tmp_path, geo, site, monkeypatch):
    result = run_update(monkeypatch, site.serve("/city.mmdb", new_db(tmp_path), sha256=False))
    assert result["checksum"] == "none served" and describe(geo).built == NEW


def test_a_database_that_places_fewer_regions_is_swapped_in_and_the_drop_is_reported(tmp_path, geo, site, monkeypatch):
    from etl.geoip.update import update_text

    result = run_update(monkeypatch, site.serve("/city.mmdb", new_db(tmp_path, regions=False)))
    cover = result["coverage"]
    assert cover["dropped"] == ["region"] and cover["region"] == {"before": 1.0, "after": 0.0}
    assert cover["country"] == {"before": 1.0, "after": 1.0} and cover["weighted_by"] == "grid addresses"
    assert "estimated region coverage dropped from 100.0% to 0.0%" in update_text(result)


def test_the_same_database_again_is_not_swapped(tmp_path, geo, site, monkeypatch):
    inode = geo.stat().st_ino
    result = run_update(monkeypatch, site.serve("/city.mmdb", geo.read_bytes()))
    assert not result["replaced"] and result["coverage"] is None and geo.stat().st_ino == inode


def test_the_demo_file_is_never_overwritten_and_the_url_takes_the_month(tmp_path, geo, site, monkeypatch):
    from etl.geoip.update import source

    # a stand-in for the package's file: were the guard broken, this test must not overwrite the installed one
    monkeypatch.setattr("etl.geoip.update.demo_geoip_db", lambda: geo)
    with pytest.raises(ConfigError, match="demo file"):
        run_update(monkeypatch, site.serve("/city.mmdb", new_db(tmp_path)))
    assert describe(geo).built == OLD
    monkeypatch.setenv("VCAR_GEOIP_UPDATE_URL", "https://download.db-ip.com/free/dbip-city-lite-{year}-{month}.mmdb.gz")
    assert source(load_settings(), dt.date(2026, 3, 9)).url.endswith("dbip-city-lite-2026-03.mmdb.gz")
    monkeypatch.setenv("VCAR_GEOIP_UPDATE_URL", "https://example.org/{day}.mmdb")
    with pytest.raises(ConfigError, match="geoip_update_url.*{day}"):
        load_settings()


def test_status_tells_build_date_age_and_the_last_days_coverage(loaded_env, tmp_path, monkeypatch):
    from etl.geoip.database import status, status_text

    morning = TODAY + dt.timedelta(days=1)  # the morning after the sample's last day
    built = morning - dt.timedelta(days=304)
    monkeypatch.setenv("VCAR_GEOIP_DB", str(city_db(tmp_path / "city.mmdb", built)))
    result = status(load_settings(), morning)
    assert (result["build_date"], result["age_days"], result["stale"]) == (built.isoformat(), 304, True)
    cover = result["coverage"]
    assert cover["day"] == TODAY.isoformat() and cover["requests"] > cover["visitors"] > 0
    # every human comes from a sample network (all placed, with a region); bots come from crawler networks the
    # test database does not hold
    assert cover["country"]["visitors"] == cover["region"]["visitors"] == 1.0
    assert 0 < cover["country"]["requests"] == cover["region"]["requests"] < 1
    yesterday = TODAY - dt.timedelta(days=1)
    assert status(load_settings(), yesterday)["coverage"]["day"] == yesterday.isoformat()
    assert f"built {built}, 304 days old (over six months" in status_text(result)


FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def test_coverage_counts_requests_and_visitors_with_a_known_country_and_region(tmp_path, geo, monkeypatch):
    """Four visitors of one page each: Beijing (region known), London in a database without England (country
    only), two addresses the database does not hold; and a bot from Beijing, a request but no visitor."""
    from etl.geoip.database import last_day_coverage
    from etl.ingest.logs.ingest import ingest_paths

    writer = _Writer(ip_version=6, ipv4_compatible=True, database_type="GeoIP2-City", languages=["en"])
    writer.insert_network(IPSet(["1.2.2.0/24"]), {"country": {"iso_code": "CN"}, "subdivisions": [{"iso_code": "BJ"}]})
    writer.insert_network(IPSet(["2.16.37.0/24"]), {"country": {"iso_code": "GB"}})
    writer.to_db_file(str(geo))
    ips = ["1.2.2.1", "2.16.37.5", "192.0.2.1", "198.51.100.7"]
    lines = [
        f'{ip} - - [04/Nov/2026:10:0{n}:00 +0800] "GET / HTTP/1.1" 200 1 "-" "{FIREFOX}"' for n, ip in enumerate(ips)
    ]
    lines.append('1.2.2.9 - - [04/Nov/2026:11:00:00 +0800] "GET / HTTP/1.1" 200 1 "-" "curl/8.5"')
    (tmp_path / "access.log").write_text("\n".join(lines) + "\n")
    cfg = load_settings()
    ingest_paths(cfg, [tmp_path / "access.log"], today=dt.date(2026, 11, 5))
    assert last_day_coverage(cfg, dt.date(2026, 11, 5)) == {
        "day": "2026-11-04", "requests": 5, "visitors": 4,
        "country": {"requests": 0.6, "visitors": 0.5}, "region": {"requests": 0.4, "visitors": 0.25}}
    assert last_day_coverage(cfg, dt.date(2026, 11, 3)) is None  # nothing loaded on or before that day


def test_a_dbip_database_asks_for_its_attribution_in_status_and_reports(loaded_env, tmp_path, monkeypatch):
    from etl.geoip.database import status
    from etl.reporting.reports import inquiries_report, usage_report

    plain = load_settings()
    assert usage_report(plain, dt.date(2026, 11, 2), dt.date(2026, 11, 4))["geoip_attribution"] is None
    dbip = city_db(tmp_path / "dbip.mmdb", OLD, database_type="DBIP-City-Lite", description="dbip-city-lite-2026-01")
    monkeypatch.setenv("VCAR_GEOIP_DB", str(dbip))
    cfg = load_settings()
    assert status(cfg, NEW)["attribution"] == DBIP_ATTRIBUTION
    assert usage_report(cfg, dt.date(2026, 11, 2), dt.date(2026, 11, 4))["geoip_attribution"] == DBIP_ATTRIBUTION
    assert inquiries_report(cfg, dt.date(2026, 11, 2), dt.date(2026, 11, 4))["geoip_attribution"] == DBIP_ATTRIBUTION
    assert "db-ip.com" in DBIP_ATTRIBUTION and "CC BY 4.0" in DBIP_ATTRIBUTION
    from etl.reporting.overview import overview

    manager = overview(cfg, "manager", dt.datetime(2026, 11, 5, 1, tzinfo=dt.UTC))["sections"][0]
    assert manager["note"].endswith(DBIP_ATTRIBUTION)  # its chart is conversion by region
    from typer.testing import CliRunner

    from etl.cli import app

    for report in ("usage", "inquiries"):
        said = CliRunner().invoke(app, ["report", report, "--from", "2026-11-02", "--to", "2026-11-04"])
        assert said.exit_code == 0 and said.stderr.rstrip().endswith(DBIP_ATTRIBUTION), said.output


def vcar(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("VCAR_")} | env
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, env=full,
                          timeout=120)


@pytest.mark.slow
def test_the_commands_print_one_json_document_on_success_and_on_failure(tmp_path, site):
    folder = tmp_path / "geo"
    folder.mkdir()
    target = city_db(folder / "city.mmdb", OLD)
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s"),
           "VCAR_GEOIP_DB": str(target), "VCAR_GEOIP_UPDATE_URL": site.url + "/nothing-here.mmdb"}
    failed = vcar("geoip", "update", "--json", env=env)
    assert failed.returncode == 1 and json.loads(failed.stdout) == {
        "error": f"{site.url}/nothing-here.mmdb answered HTTP 404 Not Found", "exit_code": 1}
    env["VCAR_GEOIP_UPDATE_URL"] = site.serve("/city.mmdb.gz", gzip.compress(new_db(tmp_path)))
    done = vcar("geoip", "update", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["build_date"] == NEW.isoformat()
    status = vcar("geoip", "status", "--as-of", "2026-12-03", "--json", env=env)
    assert json.loads(status.stdout) | {"file": ""} == {
        "file": "", "database_type": "GeoIP2-City", "description": "test database", "build_date": "2026-11-03",
        "age_days": 30, "stale": False, "attribution": None, "coverage": None}
    assert not (tmp_path / "w.duckdb").exists()  # status creates no warehouse to answer
    del env["VCAR_GEOIP_UPDATE_URL"]
    unset = vcar("geoip", "update", "--json", env=env)
    assert unset.returncode == 2 and "geoip_update_url" in json.loads(unset.stdout)["error"]


@pytest.mark.slow
@pytest.mark.parametrize("page", ["views/usage.py", "views/inquiries.py"])
def test_the_pages_that_show_places_credit_a_dbip_database(loaded_env, tmp_path, monkeypatch, page):
    import time

    from streamlit.testing.v1 import AppTest

    from etl.core.settings import cached_settings
    from tests.conftest import clear_dashboard_cache

    def captions(database: Path) -> list[str]:
        monkeypatch.setenv("VCAR_GEOIP_DB", str(database))
        cached_settings.cache_clear()
        clear_dashboard_cache()
        at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py"), default_timeout=60)
        at.session_state["auth_user"] = {"name": "t-admin", "role": "admin", "last_seen": time.time()}
        at.run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return [c.value for c in at.caption]

    dbip = city_db(tmp_path / "dbip.mmdb", OLD, database_type="DBIP-City-Lite", description="dbip-city-lite-2026-01")
    assert DBIP_ATTRIBUTION in captions(dbip)
    assert DBIP_ATTRIBUTION not in captions(city_db(tmp_path / "city.mmdb", OLD))
