"""No raw identifier from the input survives anywhere in the warehouse or outside secrets_dir."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.ingest_logs import ingest_paths

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


def test_nothing_outside_secrets_dir_holds_an_ip(loaded):
    env, _ = loaded
    root = Path(env["VCAR_WAREHOUSE"]).parent
    secrets = Path(env["VCAR_SECRETS_DIR"])
    for path in root.rglob("*"):
        if path.is_file() and secrets not in path.parents and path.suffix not in (".duckdb", ".wal"):
            raise AssertionError(f"unexpected file outside secrets_dir: {path.name}")


octet = st.integers(min_value=1, max_value=254)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    a=octet, b=octet, c=octet, d=octet,
    ua=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126, exclude_characters='"\\'), min_size=12,
               max_size=60).filter(lambda s: s.strip() == s and "  " not in s),
    user=st.from_regex(r"[a-z]{4,10}", fullmatch=True),
    mobile=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
)  # fmt: skip
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
    from etl.enrich import classify_user_agent

    info = classify_user_agent(ua)
    stored = [info.browser, info.os, info.bot_name or "", info.device]
    assert not [value for value in stored if ua.strip() and ua.strip() in value]
