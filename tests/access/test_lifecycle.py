"""Issue 31: an account's life (vcar users disable|enable|remove|role|reset|unlock|list), its sessions, its rights
requests, and two-factor sign-in (RFC 6238 codes, recovery codes, the lock-out)."""

from __future__ import annotations

import base64
import datetime as dt
import json

import duckdb
import pytest

from etl.access import sessions, totp
from etl.access.accounts import add_user, authenticate
from etl.access.lockout import is_locked
from etl.access.users import User
from etl.admin import lifecycle
from etl.core.errors import FieldError, InputError
from tests.helpers import vcar

PASSWORD = "a-long-password-1"


def audit_rows(cfg) -> list[tuple[str, str, str, str]]:
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        return con.execute("SELECT actor, action, object, detail FROM audit_log ORDER BY seq").fetchall()


@pytest.mark.slow
def test_each_users_command_prints_json_does_its_change_and_is_audited(tmp_path):
    env = {"VCAR_SECRETS_DIR": str(tmp_path / "s"), "VCAR_WAREHOUSE": str(tmp_path / "w.duckdb")}
    for name, role in (("root", "admin"), ("ana", "compliance")):
        assert vcar("users", "add", name, "--role", role, env=env, stdin=PASSWORD + "\n").returncode == 0

    def run(*args: str) -> dict:
        out = vcar("users", *args, "--json", env=env)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    assert [(u["name"], u["role"], u["status"]) for u in run("list")["users"]] == [
        ("ana", "compliance", "active"), ("root", "admin", "active")]
    assert run("disable", "ana")["status"] == "disabled"
    assert run("list")["users"][0]["status"] == "disabled"
    assert run("enable", "ana")["status"] == "active"
    assert run("role", "ana", "manager")["role"] == "manager"
    assert run("unlock", "ana")["status"] == "active"
    reset = run("reset", "ana")
    assert reset["code"] and dt.datetime.fromisoformat(reset["expires"]) > dt.datetime.now(dt.UTC)
    assert run("list")["users"][0]["reset_pending"] is True
    users_file = (tmp_path / "s" / "users.json").read_text()
    assert reset["code"] not in users_file and reset["code"].replace("-", "") not in users_file  # only a hash
    assert run("remove", "ana")["status"] == "removed"
    assert [u["name"] for u in run("list")["users"]] == ["root"]
    human = vcar("users", "list", env=env)
    assert human.returncode == 0 and "root" in human.stderr and "admin" in human.stderr

    from etl.core.settings import load_settings

    actions = [(actor.startswith("cli:"), action, obj) for actor, action, obj, _ in
               audit_rows(load_settings(warehouse=tmp_path / "w.duckdb"))]
    assert actions[2:] == [(True, f"user.{a}", "ana") for a in ("disable", "enable", "role", "reset", "remove")]
    # unlock of an account that was not locked changes nothing and writes nothing
    everything = json.dumps(audit_rows(load_settings(warehouse=tmp_path / "w.duckdb")))
    assert reset["code"] not in everything and PASSWORD not in everything


@pytest.mark.slow
@pytest.mark.parametrize(
    "args", [["disable", "nobody"], ["enable", "nobody"], ["remove", "nobody"], ["role", "nobody", "admin"],
             ["reset", "nobody"], ["unlock", "nobody"]],
)
def test_a_wrong_name_is_one_line_and_exit_1(tmp_path, args):
    env = {"VCAR_SECRETS_DIR": str(tmp_path / "s"), "VCAR_WAREHOUSE": str(tmp_path / "w.duckdb")}
    assert vcar("users", "add", "root", "--role", "admin", env=env, stdin=PASSWORD + "\n").returncode == 0
    out = vcar("users", *args, env=env)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == ["vcar: error: user 'nobody' does not exist (see vcar users list)"]
    as_json = vcar("users", *args, "--json", env=env)
    assert json.loads(as_json.stdout) == {"error": "user 'nobody' does not exist (see vcar users list)",
                                          "exit_code": 1}


@pytest.mark.slow
@pytest.mark.parametrize("args", [["disable", "root"], ["remove", "root"], ["role", "root", "compliance"]])
def test_the_last_admin_cannot_be_disabled_removed_or_demoted(tmp_path, args):
    env = {"VCAR_SECRETS_DIR": str(tmp_path / "s"), "VCAR_WAREHOUSE": str(tmp_path / "w.duckdb")}
    for name, role in (("root", "admin"), ("ana", "compliance")):
        assert vcar("users", "add", name, "--role", role, env=env, stdin=PASSWORD + "\n").returncode == 0
    out = vcar("users", *args, "--json", env=env)
    assert out.returncode == 1
    assert out.stderr.strip() == "vcar: error: root is the last admin; make another account admin first"
    assert json.loads(out.stdout)["exit_code"] == 1
    assert vcar("users", "role", "ana", "admin", env=env).returncode == 0  # with a second admin it is allowed
    assert vcar("users", *args, env=env).returncode == 0


def test_a_role_that_does_not_exist_is_bad_usage(settings_env):
    add_user(settings_env.secrets_dir, "root", "admin", PASSWORD)
    with pytest.raises(FieldError, match="'boss' is not one of"):
        lifecycle.set_role(settings_env, "root", "boss", actor="t")


def test_disable_remove_role_change_and_reset_end_the_sessions_enable_and_unlock_do_not(settings_env):
    cfg = settings_env
    add_user(cfg.secrets_dir, "root", "admin", PASSWORD)
    ana = add_user(cfg.secrets_dir, "ana", "compliance", PASSWORD)
    keeps = sessions.issue(cfg.secrets_dir, add_user(cfg.secrets_dir, "bo", "manager", PASSWORD))
    for change in (lambda: lifecycle.set_role(cfg, "ana", "admin", actor="root"),
                   lambda: lifecycle.reset(cfg, "ana", actor="root").change,
                   lambda: lifecycle.disable(cfg, "ana", actor="root")):
        ana = User("ana", next(a["role"] for a in lifecycle.accounts(cfg) if a["name"] == "ana"))
        token = sessions.issue(cfg.secrets_dir, ana)
        assert sessions.resolve(cfg.secrets_dir, token, 30) == ana
        assert change().sessions_ended >= 1
        assert sessions.resolve(cfg.secrets_dir, token, 30) is None
    lifecycle.enable(cfg, "ana", actor="root")
    lifecycle.unlock(cfg, "bo", actor="root")
    assert sessions.resolve(cfg.secrets_dir, keeps, 30) is not None  # other people's sessions stay
    token = sessions.issue(cfg.secrets_dir, ana)
    assert lifecycle.remove(cfg, "ana", actor="root").sessions_ended == 1
    assert sessions.resolve(cfg.secrets_dir, token, 30) is None


def test_a_disabled_account_cannot_sign_in_until_enabled(settings_env):
    cfg = settings_env
    add_user(cfg.secrets_dir, "root", "admin", PASSWORD)
    add_user(cfg.secrets_dir, "bo", "manager", PASSWORD)
    lifecycle.disable(cfg, "bo", actor="root")
    refused = authenticate(cfg.secrets_dir, "bo", PASSWORD, max_failures=5, lock_minutes=15)
    assert refused.user is None and "disabled" in refused.message
    lifecycle.enable(cfg, "bo", actor="root")
    assert authenticate(cfg.secrets_dir, "bo", PASSWORD, max_failures=5, lock_minutes=15).user is not None


def test_a_demoted_or_disabled_owner_hands_over_or_flags_their_requests(loaded_env):
    from etl.compliance import rights
    from etl.core.settings import load_settings

    cfg = load_settings()
    add_user(cfg.secrets_dir, "root", "admin", PASSWORD)
    add_user(cfg.secrets_dir, "ana", "compliance", PASSWORD)
    add_user(cfg.secrets_dir, "bo", "compliance", PASSWORD)
    today = rights.clock.today(cfg.tz)
    open_ids = [r["request_id"] for r in rights.listing(cfg, as_of=today, open_only=True)][:2]
    assert len(open_ids) == 2
    for request_id in open_ids:
        rights.update(cfg, request_id, owner="ana", actor="root")
    with pytest.raises(FieldError, match="reassign-to"):
        lifecycle.set_role(cfg, "ana", "manager", actor="root", reassign_to="nobody")
    moved = lifecycle.set_role(cfg, "ana", "manager", actor="root", reassign_to="bo")
    assert moved.reassigned == open_ids and moved.flagged == []
    owners = {r["request_id"]: r["owner"] for r in rights.listing(cfg, as_of=today, open_only=True)}
    assert [owners[i] for i in open_ids] == ["bo", "bo"]

    flagged = lifecycle.disable(cfg, "bo", actor="root")
    assert flagged.flagged == open_ids and flagged.reassigned == []
    rows = rights.listing(cfg, as_of=today, open_only=True)
    assert lifecycle.owner_lost_right(cfg, rows) == open_ids
    lifecycle.enable(cfg, "bo", actor="root")
    assert lifecycle.owner_lost_right(cfg, rows) == []


def test_a_reset_code_works_once_and_expires(settings_env):
    cfg = settings_env
    add_user(cfg.secrets_dir, "root", "admin", PASSWORD)
    add_user(cfg.secrets_dir, "ana", "manager", PASSWORD)
    done = lifecycle.reset(cfg, "ana", actor="root")
    assert authenticate(cfg.secrets_dir, "ana", PASSWORD, max_failures=9, lock_minutes=15).user is None  # old one
    assert lifecycle.redeem(cfg, "ana", done.code.upper(), "new-password-123").name == "ana"
    assert authenticate(cfg.secrets_dir, "ana", "new-password-123", max_failures=9, lock_minutes=15).user
    with pytest.raises(InputError, match="wrong or has expired"):
        lifecycle.redeem(cfg, "ana", done.code, "other-password-123")  # spent

    late = lifecycle.reset(cfg, "ana", actor="root")
    users = json.loads((cfg.secrets_dir / "users.json").read_text())
    users["ana"]["reset"]["expires"] = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    (cfg.secrets_dir / "users.json").write_text(json.dumps(users))
    with pytest.raises(InputError, match="wrong or has expired"):
        lifecycle.redeem(cfg, "ana", late.code, "other-password-123")


def test_totp_gives_the_codes_of_rfc_6238():
    secret = base64.b32encode(b"12345678901234567890").decode()
    vectors = {59: "94287082", 1111111109: "07081804", 1111111111: "14050471", 1234567890: "89005924",
               2000000000: "69279037", 20000000000: "65353130"}
    assert {t: totp.hotp(secret, totp.step_at(t), digits=8) for t in vectors} == vectors
    assert totp.code_at(secret, 59) == "287082"


def enrol(cfg, name: str) -> totp.Enrolment:
    enrolment = totp.start_enrolment(name)
    now = dt.datetime.now(dt.UTC).timestamp()
    assert not totp.confirm_enrolment(cfg.secrets_dir, name, enrolment, "000000" if totp.code_at(
        enrolment.secret, now) != "000000" else "111111")
    assert totp.confirm_enrolment(cfg.secrets_dir, name, enrolment, totp.code_at(enrolment.secret, now - 30))
    return enrolment


def test_a_code_is_good_once_and_a_wrong_one_counts_toward_the_lock_out(settings_env):
    cfg = settings_env
    add_user(cfg.secrets_dir, "ana", "compliance", PASSWORD)
    enrolment = enrol(cfg, "ana")
    code = totp.code_at(enrolment.secret, dt.datetime.now(dt.UTC).timestamp())
    assert totp.check(cfg.secrets_dir, "ana", code, max_failures=3, lock_minutes=15).ok
    assert not totp.check(cfg.secrets_dir, "ana", code, max_failures=3, lock_minutes=15).ok  # replayed
    # a right password does not clear the count of wrong codes: password, wrong code, password, wrong code...
    assert authenticate(cfg.secrets_dir, "ana", PASSWORD, max_failures=3, lock_minutes=15).user is not None
    assert totp.check(cfg.secrets_dir, "ana", "12345", max_failures=3, lock_minutes=15).message == totp.WRONG
    assert authenticate(cfg.secrets_dir, "ana", PASSWORD, max_failures=3, lock_minutes=15).user is not None
    locked = totp.check(cfg.secrets_dir, "ana", "54321", max_failures=3, lock_minutes=15)
    assert not locked.ok and "locked" in locked.message and is_locked(cfg.secrets_dir, "ana")
    fresh = totp.code_at(enrolment.secret, dt.datetime.now(dt.UTC).timestamp() + 30)
    assert not totp.check(cfg.secrets_dir, "ana", fresh, max_failures=3, lock_minutes=15).ok  # locked: refused


def test_a_recovery_code_works_once_and_the_secret_stays_in_secrets_dir(settings_env):
    cfg = settings_env
    add_user(cfg.secrets_dir, "ana", "admin", PASSWORD)
    enrolment = enrol(cfg, "ana")
    assert len(set(enrolment.recovery_codes)) == 10
    first = enrolment.recovery_codes[0]
    used = totp.check(cfg.secrets_dir, "ana", first.upper(), max_failures=5, lock_minutes=15)
    assert used.ok and used.recovery_used and totp.recovery_left(cfg.secrets_dir, "ana") == 9
    assert not totp.check(cfg.secrets_dir, "ana", first, max_failures=5, lock_minutes=15).ok
    stored = cfg.secrets_dir / totp.TOTP_FILE
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    assert not any(code in stored.read_text() for code in enrolment.recovery_codes)  # hashes only
    lifecycle.signed_in(cfg, "ana")
    lifecycle.reset(cfg, "ana", actor="t", two_factor=True)
    assert not totp.enrolled(cfg.secrets_dir, "ana")
    everything = json.dumps(audit_rows(cfg), default=str)
    assert enrolment.secret not in everything and first not in everything


def test_a_person_ends_their_other_sessions_and_an_admin_any_one(settings_env):
    cfg = settings_env
    ana = add_user(cfg.secrets_dir, "ana", "manager", PASSWORD)
    here, there = sessions.issue(cfg.secrets_dir, ana), sessions.issue(cfg.secrets_dir, ana)
    listed = sessions.listing(cfg.secrets_dir, 30)
    assert len(listed) == 2 and not any(here in json.dumps(s) or there in json.dumps(s) for s in listed)
    assert not lifecycle.end_session(cfg, sessions.short_id(there), actor="bo", own="bo")  # not bo's session
    assert sessions.revoke_user(cfg.secrets_dir, "ana", keep=here) == 1
    assert sessions.resolve(cfg.secrets_dir, here, 30) == ana and sessions.resolve(cfg.secrets_dir, there, 30) is None
    assert lifecycle.end_session(cfg, sessions.short_id(here), actor="root")
    assert sessions.resolve(cfg.secrets_dir, here, 30) is None
