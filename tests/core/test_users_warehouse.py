"""Accounts, secrets permissions, migrations, lock handling and the SQL parameter contract."""

from __future__ import annotations

import stat
import threading
import time

import duckdb
import pytest

import queries
from etl.access.accounts import add_user, authenticate
from etl.core import keystore, warehouse
from etl.core.errors import ConfigError


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_passwords_are_hashed_and_files_are_private(tmp_path):
    secrets = tmp_path / "secrets"
    add_user(secrets, "mia", "marketing", "a long password")
    text = (secrets / "users.json").read_text()
    assert "a long password" not in text and "$argon2" in text
    assert mode(secrets) == 0o700 and mode(secrets / "users.json") == 0o600


def test_login_locks_after_repeated_failures(tmp_path):
    secrets = tmp_path / "secrets"
    add_user(secrets, "mia", "marketing", "a long password")
    assert authenticate(secrets, "mia", "a long password", max_failures=3, lock_minutes=5).user.role == "marketing"
    for _ in range(3):
        assert authenticate(secrets, "mia", "wrong", max_failures=3, lock_minutes=5).user is None
    locked = authenticate(secrets, "mia", "a long password", max_failures=3, lock_minutes=5)
    assert locked.user is None and "locked" in locked.message


def test_a_world_readable_secrets_dir_is_refused(tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir(mode=0o755)
    secrets.chmod(0o755)
    with pytest.raises(ConfigError, match="chmod 700"):
        keystore.ensure_secrets_dir(secrets)


def test_migrations_build_and_upgrade_an_old_warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMPTZ)")
    con.execute(queries.sql_text("migrations/0001_core.sql"))
    con.execute("INSERT INTO schema_version VALUES (1, '0001_core.sql', now())")
    con.close()
    with warehouse.read(path) as ro:
        assert warehouse.schema_version(ro) == warehouse.latest_version() > 1
        assert "events" in warehouse.tables(ro)


def test_a_reader_waits_for_a_writer_instead_of_failing(tmp_path):
    path = tmp_path / "w.duckdb"
    with warehouse.write(path):
        pass
    holding = threading.Event()

    def writer():
        with warehouse.write(path):
            holding.set()
            time.sleep(0.8)

    thread = threading.Thread(target=writer)
    thread.start()
    holding.wait()
    with warehouse.read(path, wait_seconds=20) as con:
        assert con.execute("SELECT count(*) FROM ingest_runs").fetchone()[0] == 0
    thread.join()
