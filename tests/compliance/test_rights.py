"""The rights register: lifecycle, deadlines per request, idempotent import, every change in a verifiable chain."""

from __future__ import annotations

import csv
import datetime as dt
import json

import duckdb
import pytest

from etl.compliance import audit, rights
from etl.compliance.inventory import INVENTORY
from etl.core import warehouse
from etl.core.errors import FieldError, InputError
from etl.ingest.rights import import_requests
from etl.sample.forms import RIGHTS_COLUMNS
from tests.helpers import vcar

D = dt.date


def entries(cfg) -> list[tuple]:
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        return con.execute("SELECT action, object, detail FROM audit_log ORDER BY seq").fetchall()


def test_lifecycle_and_deadlines_of_a_new_request(settings_env, on_day):
    r = rights.add(settings_env, type_="access", received=D(2026, 11, 2), email="A.Person@Example.cn")
    assert r.request_id == "DSR-2026-0001" and r.status == "received"
    row = rights.listing(settings_env, as_of=D(2026, 11, 10))[0]
    assert (row["due_date"], row["statutory_deadline"], row["days_left"], row["sla_state"]) == (
        D(2026, 11, 23), D(2026, 12, 2), 13, "on_track")
    on_day(D(2026, 11, 3))
    rights.update(settings_env, r.request_id, status="awaiting_identity")
    assert rights.listing(settings_env, as_of=D(2026, 11, 5))[0]["sla_state"] == "paused"
    on_day(D(2026, 11, 10))
    rights.update(settings_env, r.request_id, identity_verified=D(2026, 11, 10))
    row = rights.listing(settings_env, as_of=D(2026, 11, 11))[0]
    assert row["status"] == "in_progress"
    assert (row["paused_from"], row["paused_until"], row["due_date"]) == (D(2026, 11, 3), D(2026, 11, 10),
                                                                          D(2026, 12, 1))
    on_day(D(2026, 11, 20))
    rights.update(settings_env, r.request_id, status="completed")
    assert rights.listing(settings_env, as_of=D(2026, 12, 20))[0]["sla_state"] == "done_on_time"
    assert rights.listing(settings_env, as_of=D(2026, 12, 20), open_only=True) == []


def test_invalid_transitions_and_late_extensions_are_refused(settings_env, on_day):
    # an extension is the GDPR's (Art. 12(3)): a subject in Germany, under the GDPR alone
    r = rights.add(settings_env, type_="erasure", received=D(2026, 11, 2), phone="+86 138 0013 8000", country="DE")
    with pytest.raises(FieldError, match="--status: 'nonsense' is not one of"):
        rights.update(settings_env, r.request_id, status="nonsense")
    with pytest.raises(FieldError, match="--reason: an extension needs a reason"):
        rights.update(settings_env, r.request_id, extend=True)
    with pytest.raises(FieldError, match="--reason: an extension needs a reason"):  # the status alone is one too
        on_day(D(2026, 11, 30))
        rights.update(settings_env, r.request_id, status="extended")
    with pytest.raises(InputError, match="had to be notified by 2026-12-02"):
        on_day(D(2026, 12, 3))
        rights.update(settings_env, r.request_id, extend=True, reason="complex")
    on_day(D(2026, 11, 30))
    rights.update(settings_env, r.request_id, extend=True, reason="numerous requests")
    row = rights.listing(settings_env, as_of=D(2026, 12, 20))[0]
    assert (row["status"], row["extended_deadline"], row["sla_state"]) == ("extended", D(2027, 2, 2), "on_track")
    on_day(D(2026, 12, 21))
    rights.update(settings_env, r.request_id, status="completed")
    with pytest.raises(InputError, match="cannot go from completed to in progress"):
        rights.update(settings_env, r.request_id, status="in_progress")


def test_every_change_is_audited_without_the_subject(settings_env):
    r = rights.add(settings_env, type_="access", received=D(2026, 11, 2), email="a.person@example.cn")
    rights.update(settings_env, r.request_id, status="in_progress", note="called a.person@example.cn on 13800138000")
    actions = entries(settings_env)
    assert [a for a, _, _ in actions] == ["rights.add", "rights.update"]
    text = json.dumps(actions) + str(rights.listing(settings_env, as_of=D(2026, 11, 3)))
    assert "a.person@example.cn" not in text and "13800138000" not in text


def write_export(path, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=RIGHTS_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


EXPORTED = {
    "request_id": "DSR-2026-0100", "received_at": "2026-11-02T09:30:00+08:00", "type": "access", "channel": "email",
    "email": "x@example.cn", "status": "in_progress", "identity_verified_at": "", "extended": "false",
    "extension_notified_at": "", "completed_at": "",
}


def test_import_is_idempotent_by_request_id_and_rejects_bad_rows(settings_env, tmp_path):
    path = tmp_path / "r.csv"
    write_export(path, [EXPORTED, EXPORTED | {"request_id": "DSR-2026-0101", "type": "complaint"}])
    first = import_requests(settings_env, path)
    assert (first.added, first.rejected) == (1, 1) and "type 'complaint'" in first.rejects[0]
    second = import_requests(settings_env, path)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 1)
    write_export(path, [EXPORTED | {"status": "completed", "completed_at": "2026-11-20T10:00:00+08:00"}])
    third = import_requests(settings_env, path)
    assert third.updated == 1
    row = rights.listing(settings_env, as_of=D(2026, 11, 25))[0]
    assert (row["status"], row["closed_on"], row["sla_state"]) == ("completed", D(2026, 11, 20), "done_on_time")
    assert len(rights.listing(settings_env, as_of=D(2026, 11, 25))) == 1


def test_a_hand_edited_audit_chain_fails_verify(settings_env):
    r = rights.add(settings_env, type_="access", received=D(2026, 11, 2), email="a@example.cn")
    rights.update(settings_env, r.request_id, status="in_progress")
    rights.update(settings_env, r.request_id, status="completed")
    with warehouse.read(settings_env.warehouse) as con:
        assert audit.verify(con).ok
    with duckdb.connect(str(settings_env.warehouse)) as con:
        con.execute('UPDATE audit_log SET detail = \'{"status": "rejected"}\' WHERE seq = 2')
    with warehouse.read(settings_env.warehouse) as con:
        result = audit.verify(con)
    assert (result.ok, result.first_broken) == (False, 2)
    with duckdb.connect(str(settings_env.warehouse)) as con:  # deleting an entry breaks the next link
        con.execute("DELETE FROM audit_log WHERE seq = 1")
    with warehouse.read(settings_env.warehouse) as con:
        assert audit.verify(con).first_broken == 2


@pytest.mark.slow
def test_cli_list_json_contract_and_verify_exit_code(tmp_path, mmdb):
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s")}
    added = vcar("rights", "add", "--type", "portability", "--received", "2026-11-02", "--email", "p@example.cn",
                 "--json", env=env)
    assert added.returncode == 0, added.stderr
    listed = vcar("rights", "list", "--open", "--as-of", "2026-11-20", "--json", env=env)
    doc = json.loads(listed.stdout)
    assert doc["as_of"] == "2026-11-20"
    request = doc["requests"][0]
    for key in ("request_id", "type", "status", "received_at", "due_date", "statutory_deadline", "extended_deadline",
                "days_left", "sla_state"):
        assert key in request
    assert (request["due_date"], request["days_left"], request["sla_state"]) == ("2026-11-23", 3, "at_risk")
    bad = vcar("rights", "update", request["request_id"], "--status", "completed", "--extend", "--reason", "x",
               env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "cannot be combined" in bad.stderr
    wrong = vcar("rights", "update", request["request_id"], "--status", "nonsense", env=env)
    assert wrong.returncode == 2 and "is not one of" in wrong.stderr  # a bad value, like a bad date
    assert vcar("audit", "verify", env=env).returncode == 0
    with duckdb.connect(env["VCAR_WAREHOUSE"]) as con:
        con.execute("UPDATE audit_log SET actor = 'someone-else'")
    broken = vcar("audit", "verify", "--json", env=env)
    assert broken.returncode == 1 and json.loads(broken.stdout)["first_broken"] == 1


def test_every_table_and_column_has_an_inventory_entry(loaded_env):
    with duckdb.connect(loaded_env["VCAR_WAREHOUSE"], read_only=True) as con:
        live = {
            (t, c)
            for t, c in con.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
            ).fetchall()
        }
    declared = {(t.name, c) for t in INVENTORY for c in t.columns}
    assert live - declared == set(), "undeclared columns"
    assert declared - live == set(), "declared columns that do not exist"
    for table in INVENTORY:
        assert table.purpose and table.retention and table.legal_basis.startswith("Art. 6(1)(")


@pytest.mark.slow
def test_an_entry_that_meets_a_locked_warehouse_waits_and_is_written_later(settings_env):
    import subprocess
    import sys
    import time

    with warehouse.write(settings_env.warehouse):
        pass
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(7)", str(settings_env.warehouse)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    started = time.monotonic()
    audit.record(settings_env, "dashboard", "login.failure", "mia")
    assert time.monotonic() - started < 7 and (settings_env.secrets_dir / audit.QUEUE_FILE).exists()
    holder.wait()
    audit.record(settings_env, "dashboard", "login.success", "mia")
    assert [a for a, _, _ in entries(settings_env)] == ["login.failure", "login.success"]
    assert not (settings_env.secrets_dir / audit.QUEUE_FILE).exists()


@pytest.mark.slow
def test_cli_subject_export_and_erase(tmp_path, sample):
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s")}
    loaded = vcar("ingest", "inquiries", str(sample / "inquiries.csv"), "--json", env=env)
    stats = json.loads(loaded.stdout)
    assert stats["rows_read"] == stats["rows_loaded"] + stats["rows_rejected"] + stats["no_consent"]
    with open(sample / "inquiries.csv", encoding="utf-8") as fh:
        consenting = next(r for r in csv.DictReader(fh) if r["consent"] == "true")
    email = consenting["email"].strip()
    out = tmp_path / "export.json"
    assert vcar("subject", "export", "--email", email, "--out", str(out), env=env).returncode == 0
    held = json.loads(out.read_text(encoding="utf-8"))
    assert set(held) >= {"subject", "inquiries", "rights_requests", "audit", "notes"} and held["inquiries"]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    refused = vcar("subject", "erase", "--email", email, env=env)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    erased = json.loads(vcar("subject", "erase", "--email", email, "--yes", "--json", env=env).stdout)
    assert erased["inquiries_anonymized"] == len(held["inquiries"])
    after = json.loads(vcar("subject", "export", "--email", email, "--json", env=env).stdout)
    assert after["inquiries"] == [] and after["rights_requests"] == []
    assert email.lower() not in json.dumps(after).lower()
    bad = vcar("subject", "export", "--email", "not-an-address", env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "not-an-address" not in bad.stderr


def test_the_register_as_of_a_day_holds_what_it_held_then(settings_env, on_day):
    on_day(D(2026, 10, 1))
    early = rights.add(settings_env, type_="access", received=D(2026, 10, 1), email="a@example.cn")
    on_day(D(2026, 10, 20))
    rights.update(settings_env, early.request_id, status="completed")
    on_day(D(2026, 11, 2))
    rights.add(settings_env, type_="erasure", received=D(2026, 11, 2), email="b@example.cn")
    then = {r["request_id"]: r for r in rights.listing(settings_env, as_of=D(2026, 10, 10))}
    assert list(then) == [early.request_id]  # the November request had not come in
    assert then[early.request_id]["closed_on"] is None and then[early.request_id]["sla_state"] != "done_on_time"
    now = {r["request_id"]: r for r in rights.listing(settings_env, as_of=D(2026, 11, 20))}
    assert len(now) == 2 and now[early.request_id]["closed_on"] == D(2026, 10, 20)


def test_the_rights_report_counts_open_at_risk_overdue_and_closures_of_the_window(settings_env, on_day):
    from etl.reporting.reports import rights_report

    on_day(D(2026, 9, 1))
    early = rights.add(settings_env, type_="access", received=D(2026, 9, 1), email="one@example.cn")
    on_day(D(2026, 9, 11))
    rights.update(settings_env, early.request_id, status="completed")  # on time, 10 days
    on_day(D(2026, 10, 1))
    rights.add(settings_env, type_="erasure", received=D(2026, 10, 1), email="two@example.cn")
    on_day(D(2026, 11, 2))
    late = rights.add(settings_env, type_="access", received=D(2026, 11, 2), email="three@example.cn")
    on_day(D(2026, 11, 20))
    rights.update(settings_env, late.request_id, status="completed")  # on time, 18 days
    report = rights_report(settings_env, D(2026, 11, 25), window_days=90)
    # the October request: due 15 business days on (company), statutory a month on: overdue on 25 November
    assert (report["open_requests"], report["at_risk"], report["overdue"]) == (1, 0, 1)
    assert report["on_time_share"] == 1.0 and report["median_days_to_close"] == 14
    assert {(r["month"], r["type"]): r["requests"] for r in report["received_by_month"]} == {
        ("2026-09", "access"): 1, ("2026-10", "erasure"): 1, ("2026-11", "access"): 1}
    narrow = rights_report(settings_env, D(2026, 11, 25), window_days=30)
    assert narrow["median_days_to_close"] == 18  # the September closure is outside the window
    before = rights_report(settings_env, D(2026, 9, 5))
    assert (before["open_requests"], before["on_time_share"]) == (1, None)  # the register as it stood that day
