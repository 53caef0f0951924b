"""The sample-data generator (etl/sample/): deterministic, and it never writes over logs already there."""

from __future__ import annotations

import json

import pytest

from etl.core import clock
from tests.helpers import vcar

pytestmark = pytest.mark.slow


def test_generate_is_deterministic_and_json_is_one_document(tmp_path):
    args = ["generate", "--days", "2", "--start", "2026-11-01", "--visitors-per-day", "30", "--json"]
    first = vcar(*args, "--out", str(tmp_path / "a"))
    assert vcar(*args, "--out", str(tmp_path / "b")).returncode == 0
    assert vcar(*args, "--seed", "7", "--out", str(tmp_path / "c")).returncode == 0
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["log_files"] == 2
    for name in ("inquiries.csv", "rights_requests.csv", "logs/access.log", "logs/access.log-20261101"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a/logs/access.log").read_bytes() != (tmp_path / "c/logs/access.log").read_bytes()


def test_generate_refuses_a_file_as_its_folder_in_one_line(tmp_path):
    (tmp_path / "taken").write_text("not a folder\n")
    run = vcar("generate", "--out", str(tmp_path / "taken"), "--days", "1", "--json")
    error = json.loads(run.stdout)["error"]
    assert run.returncode == 1 and error.startswith(f"--out: {tmp_path / 'taken'} is a file, not a folder")
    assert (tmp_path / "taken").read_text() == "not a folder\n"


def test_generate_refuses_a_folder_that_already_holds_logs(tmp_path):
    (tmp_path / "g" / "logs").mkdir(parents=True)
    (tmp_path / "g" / "logs" / "access.log-20250101").write_text("an older run's log\n")
    run = vcar("generate", "--out", str(tmp_path / "g"), "--days", "2", "--start", "2026-11-01", "--json")
    assert run.returncode == 1 and "already holds 1 files" in json.loads(run.stdout)["error"]
    assert sorted(p.name for p in (tmp_path / "g" / "logs").iterdir()) == ["access.log-20250101"]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])  # UTC+14 and UTC-11
def test_the_sample_reaches_now_whatever_the_reporting_time_zone(tmp_path, zone):
    """At any hour one of these zones is on another date than the sample server (Shanghai): the data still runs
    up to the moment it was generated, so the demo's "Today" holds what has happened today, and never more."""
    import datetime as dt
    import re

    from etl.sample.generate import SERVER_TZ

    before = clock.now()
    run = vcar("generate", "--out", str(tmp_path / "g"), "--days", "2", "--visitors-per-day", "200", "--json",
               env={"VCAR_TIMEZONE": zone, "VCAR_SECRETS_DIR": str(tmp_path / "s")})
    after = clock.now()
    assert run.returncode == 0, run.stderr
    logs = tmp_path / "g" / "logs"
    rotated = sorted(p.name for p in logs.iterdir())
    server_days = {(moment.astimezone(SERVER_TZ).date() - dt.timedelta(days=1)) for moment in (before, after)}
    assert rotated[0] == "access.log" and set(rotated[1:]) & {f"access.log-{d:%Y%m%d}" for d in server_days}
    stamps = [dt.datetime.strptime(m, "%d/%b/%Y:%H:%M:%S %z")
              for name in rotated if not name.endswith(".gz")
              for m in re.findall(r"\[([^\]]+)\]", (logs / name).read_text())]
    assert max(stamps) <= after and max(stamps) > before - dt.timedelta(hours=6)  # up to now, not a day stale


def test_sample_data_ends_when_it_is_taken(tmp_path):
    """Generated now, the sample holds nothing after now: no log line, inquiry or rights step in the future, and
    no extension notified after its request was done."""
    import csv
    import datetime as dt
    import re

    from etl.sample.generate import generate

    start = dt.date(2026, 10, 1)
    until = dt.datetime(2026, 10, 30, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai on the last day
    generate(tmp_path, days=30, start=start, visitors_per_day=40, until=until)
    stamps = [
        dt.datetime.strptime(m, "%d/%b/%Y:%H:%M:%S %z")
        for m in re.findall(r"\[([^\]]+)\]", (tmp_path / "logs" / "access.log").read_text())
    ]
    assert stamps and max(stamps) <= until and max(stamps) > until - dt.timedelta(hours=3)
    with open(tmp_path / "inquiries.csv", encoding="utf-8") as fh:
        inquiries = list(csv.DictReader(fh))
    with open(tmp_path / "rights_requests.csv", encoding="utf-8") as fh:
        rights = list(csv.DictReader(fh))
    columns = ("submitted_at", "first_response_at", "closed_at", "received_at", "identity_verified_at",
               "extension_notified_at", "completed_at")
    moments = [dt.datetime.fromisoformat(row[c]) for row in inquiries + rights for c in columns if row.get(c)]
    assert moments and max(moments) <= until
    for row in rights:
        if row["extension_notified_at"] and row["completed_at"]:
            assert row["extension_notified_at"] < row["completed_at"], row["request_id"]
    assert any(row["extended"] == "true" for row in rights)
