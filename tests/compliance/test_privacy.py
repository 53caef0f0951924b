"""No raw identifier from the input survives anywhere in the warehouse or outside secrets_dir."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.ingest.logs.ingest import ingest_paths
from tests.conftest import outside_env

pytestmark = pytest.mark.slow

IP_RE = re.compile(r"^(\S+) ")
UA_RE = re.compile(r'"([^"]*)"$')


def identifiers_in_logs(log_dir: Path) -> tuple[set[str], set[str]]:
    ips, uas = set(), set()
    for path in log_dir.iterdir():
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                ips.add(IP_RE.match(line).group(1))
                ua = UA_RE.search(line.rstrip("\n")).group(1)
                if len(ua) > 8:
                    uas.add(ua)
    return ips, uas


def all_text_in_warehouse(path: Path) -> str:
    chunks = []
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}"').fetchall():
                chunks.append("\x1f".join(str(v) for v in row))
    return "\n".join(chunks)


def test_generated_identifiers_never_reach_the_warehouse(loaded, sample):
    env, _ = loaded
    ips, uas = identifiers_in_logs(sample / "logs")
    text = all_text_in_warehouse(Path(env["VCAR_WAREHOUSE"]))
    assert len(ips) > 50 and len(uas) > 10
    leaked_ips = [ip for ip in ips if re.search(rf"(?<![\d.:a-f]){re.escape(ip)}(?![\d.:a-f])", text)]
    assert leaked_ips == []
    assert [ua for ua in uas if ua in text] == []
    with open(sample / "inquiries.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert row["email"].strip().lower() not in text.lower()


def identifiers_in_forms(sample: Path) -> set[str]:
    """Every name, e-mail, phone number (as typed and as digits), company and message of the two CSV inputs."""
    found: set[str] = set()
    for name in ("inquiries.csv", "rights_requests.csv"):
        with open(sample / name, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for column in ("name", "email", "mobile", "company", "message"):
                    value = (row.get(column) or "").strip()
                    if len(value) >= 5:
                        found |= {value, value.lower()}
                    if column == "mobile" and len(digits := re.sub(r"\D", "", value)) >= 8:
                        found.add(digits[-9:])  # the subscriber number, however it is written
    return found


def test_a_whole_run_of_the_product_leaves_no_identifier_outside_secrets_dir(tmp_path, mmdb, sample):
    """Every command that reads personal data, run as an operator would, with HOME and the caches pointed into
    the test folder: the warehouse, every file written outside secrets_dir (exports, staging, caches) and
    everything printed hold no IP, user agent, e-mail, phone number, name, company or message of the input."""
    import json
    import stat
    import subprocess
    import sys

    root = tmp_path / "run"
    secrets = root / "secrets"
    home = root / "home"
    home.mkdir(parents=True)
    env = outside_env() | {
        "VCAR_WAREHOUSE": str(root / "data" / "warehouse.duckdb"), "VCAR_SECRETS_DIR": str(secrets),
        "VCAR_GEOIP_DB": str(mmdb), "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
    }
    with open(sample / "inquiries.csv", encoding="utf-8") as fh:
        person = next(row for row in csv.DictReader(fh) if row["consent"] == "true")
    printed = []

    def vcar(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "etl.cli", *args], env=env, cwd=root, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        printed.append(done.stdout + done.stderr)

    day, last = "2026-11-02", "2026-11-04"
    vcar("ingest", "logs", str(sample / "logs"), "--json")
    vcar("ingest", "inquiries", str(sample / "inquiries.csv"))
    vcar("rights", "import", str(sample / "rights_requests.csv"))
    vcar("report", "usage", "--from", day, "--to", last, "--json")
    vcar("report", "inquiries", "--from", day, "--to", last, "--json")
    vcar("rights", "list", "--json")
    vcar("rights", "add", "--type", "access", "--received", last, "--email", person["email"])
    vcar("subject", "export", "--email", person["email"], "--out", str(root / "export.json"))
    vcar("subject", "erase", "--email", person["email"], "--yes", "--json")
    vcar("retention", "--json")
    vcar("inventory")
    vcar("inventory", "--by-activity", "--html", str(root / "record.html"))
    for role in ("compliance", "manager", "marketing"):  # the e-mail digest, as it would be sent
        vcar("digest", "--role", role, "--as-of", last, "--dry-run", "--json")
    vcar("audit", "verify")
    assert json.loads((root / "export.json").read_text())["inquiries"], "the export found the subject"
    for path in [secrets, *secrets.rglob("*"), root / "export.json"]:  # secrets and exports: owner only
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path

    ips, uas = identifiers_in_logs(sample / "logs")
    personal = identifiers_in_forms(sample)
    assert len(ips) > 50 and len(uas) > 10 and len(personal) > 50
    written = [p for p in root.rglob("*") if p.is_file() and secrets not in p.parents]
    assert {p.name for p in written} >= {"warehouse.duckdb", "export.json"}
    texts = {p.name: p.read_bytes().decode("utf-8", "replace") for p in written if p.suffix != ".duckdb"}
    texts |= {"warehouse": all_text_in_warehouse(root / "data" / "warehouse.duckdb"), "output": "\n".join(printed)}
    for where, text in texts.items():
        assert not [ip for ip in ips if re.search(rf"(?<![\d.:a-f]){re.escape(ip)}(?![\d.:a-f])", text)], where
        assert not [ua for ua in uas if ua in text], where
        assert not [value for value in personal if value in text], where


octet = st.integers(min_value=1, max_value=254)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    a=octet, b=octet, c=octet, d=octet,
    ua=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126, exclude_characters='"\\'), min_size=12,
               max_size=60).filter(lambda s: s.strip() == s and "  " not in s),
    user=st.from_regex(r"[a-z]{4,10}", fullmatch=True),
    mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
)
def test_property_no_raw_identifier_survives(settings_env, tmp_path_factory, a, b, c, d, ua, user, mobile):
    folder = tmp_path_factory.mktemp("prop")
    ip = f"{a}.{b}.{c}.{d}"
    email = f"{user}@example.cn"
    target = f"/contact/{email}?email={email}&mobile=%2B86{mobile}&utm_source=x"
    lines = [
        f'{ip} - - [10/Nov/2026:10:00:00 +0800] "GET {target} HTTP/1.1" 200 1 "https://ref.example/?q={email}" "{ua}"',
        f'{ip} - - [10/Nov/2026:10:00:01 +0800] "BROKEN {email} {ua}',
        f'{ip} - - [10/Nov/2026:10:00:02 +0800] "GET /call/+86{mobile} HTTP/1.1" 200 1 "-" "{ua}"',
    ]
    (folder / "access.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_paths(settings_env, [folder / "access.log"])
    text = all_text_in_warehouse(settings_env.warehouse)
    assert ip not in text
    assert ua not in text
    assert email not in text
    assert mobile not in text


@settings(max_examples=300, deadline=None)
@given(ua=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=4, max_size=40))
def test_no_user_agent_field_repeats_the_raw_string(ua):
    from etl.ingest.logs.enrich import classify_user_agent

    info = classify_user_agent(ua)
    stored = [info.browser, info.os, info.bot_name or "", info.device]
    # a fixed label the classifier gives whatever the input ("Other" holds the typed "Othe") is not a copy
    assert not [value for value in stored if ua.strip() and ua.strip() in value and value not in FIXED_LABELS]


FIXED_LABELS = {"Other", "unknown", "(unnamed bot)", "(empty user agent)", "(automation client)", "(not logged)",
                "bot", "desktop", "mobile", "tablet", "other"}


def test_addresses_in_reject_text_are_cut_to_their_network_and_times_stay_readable():
    from etl.ingest.logs.pseudonymize import mask_ip_text

    assert mask_ip_text("203.0.113.77 x") == "203.0.113.0 x"
    assert mask_ip_text("2001:db8:85a3:1:2:3:4:5 x") == "2001:db8:85a3:: x"
    assert mask_ip_text("fe80::1:2:3 x") == "fe80:: x"  # compressed: the /48 network, not the first groups typed
    assert mask_ip_text("2001:db8:85a3:1:2") == "2001:db8:85a3::"  # a cut address keeps no more than 3 groups
    assert mask_ip_text("[04/Nov/2026:10:00:00 +0800]") == "[04/Nov/2026:10:00:00 +0800]"
