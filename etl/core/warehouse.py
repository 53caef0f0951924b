"""The DuckDB warehouse: connections, lock handling and ordered migrations.

DuckDB lets one process write and, while it writes, nobody else open the file. So writers hold a connection
only for one short transaction, readers open read-only, and both retry with backoff while the other holds
the lock: neither the dashboard nor the ETL fails because the other is running.
"""

from __future__ import annotations

import contextlib
import contextvars
import random
import re
import threading
import time
from collections.abc import Generator
from pathlib import Path

import duckdb

import queries
from etl.core import clock, faults
from etl.core.errors import ConfigError, PageTimeout, WarehouseBusy
from queries import sql_text

MIGRATIONS = "migrations"
_LOCK_WORDS = ("lock", "Conflicting", "being used by another process", "different configuration")


_writers: dict[Path, threading.Lock] = {}
_writers_guard = threading.Lock()


@contextlib.contextmanager
def _one_writer_here(path: Path, wait_seconds: float) -> Generator[None, None, None]:
    """One write transaction per warehouse at a time in this process.

    DuckDB's file lock keeps other processes out, but threads of one process (the dashboard's sessions, the
    ingest's batch threads) share one database instance, where two transactions that both read the audit
    chain's tail and append to it conflict. Writers here queue instead."""
    with _writers_guard:
        lock = _writers.setdefault(path.resolve(), threading.Lock())
    if not lock.acquire(timeout=wait_seconds):
        raise WarehouseBusy(f"warehouse {path} stayed busy with another write for {wait_seconds:.0f} s; try again")
    try:
        yield
    finally:
        lock.release()


def _is_lock_error(exc: Exception) -> bool:
    return any(word in str(exc) for word in _LOCK_WORDS)


def _open(path: Path, *, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_seconds
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise WarehouseBusy(
                        f"warehouse {path} stayed locked by another process for {wait_seconds:.0f} s; try again"
                    ) from None
                raise
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 0.5)


@contextlib.contextmanager
def write(
    path: Path, *, wait_seconds: float = 60.0, memory_mb: int | None = None
) -> Generator[duckdb.DuckDBPyConnection, None, None]:
    """One short write transaction: committed when the block ends, rolled back on any error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"setting warehouse (VCAR_WAREHOUSE): cannot create the folder {path.parent} "
                          f"({exc.strerror or type(exc).__name__})") from None
    with _one_writer_here(path, wait_seconds):
        con = _open(path, read_only=False, wait_seconds=wait_seconds)
        try:
            if memory_mb:
                queries.run_all(con, "warehouse_memory.sql", limit=f"{memory_mb}MB")
            migrate(con)
            _define_macros(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            faults.reach("commit")
            con.execute("COMMIT")
        finally:
            con.close()


_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("deadline", default=None)


@contextlib.contextmanager
def deadline(seconds: float) -> Generator[None, None, None]:
    """Reads made inside the block (in this thread) stop with PageTimeout once ``seconds`` have passed.

    The dashboard wraps each page run in one, so a page over a huge period or a stuck query shows a message
    instead of holding its session, and its share of the two cores, forever."""
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def _timed_out(seconds: float) -> PageTimeout:
    return PageTimeout(f"the page's queries took longer than {seconds:g} s (page_timeout_seconds) and were stopped")


@contextlib.contextmanager
def read(
    path: Path, *, wait_seconds: float = 30.0, parquet: str | None = None
) -> Generator[duckdb.DuckDBPyConnection, None, None]:
    """A read-only connection; creates and migrates the warehouse first if it does not exist yet.

    With ``parquet`` (setting warehouse_parquet), the web aggregates are read from the Spark job's output there.

    Inside ``deadline``, waiting for the lock and every query on the connection end at the deadline: a timer
    interrupts the connection's running query from another thread."""
    limit = _deadline.get()
    remaining = None
    if limit is not None:
        remaining = limit[0] - time.monotonic()
        if remaining <= 0:
            raise _timed_out(limit[1])
        wait_seconds = min(wait_seconds, remaining)
    if not path.exists():
        with write(path, wait_seconds=wait_seconds):
            pass
    con = _open(path, read_only=True, wait_seconds=wait_seconds)
    timer = None
    try:
        if schema_version(con) < latest_version():
            con.close()
            with write(path, wait_seconds=wait_seconds):
                pass
            con = _open(path, read_only=True, wait_seconds=wait_seconds)
        _define_macros(con)
        if parquet:
            read_parquet_aggregates(con, parquet)
        if limit is not None:
            timer = threading.Timer(max(limit[0] - time.monotonic(), 0), con.interrupt)
            timer.daemon = True
            timer.start()
        faults.stall(con, "read")
        yield con
    except duckdb.InterruptException:
        if limit is None:
            raise
        raise _timed_out(limit[1]) from None
    finally:
        if timer is not None:
            timer.cancel()
        con.close()


def _define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The table macros the usage queries read through (temporary: defined on each connection, read-only too)."""
    queries.run_all(con, "usage/filtered_rows.sql")


PARQUET_AGGREGATES = ("agg_daily", "agg_pages", "agg_hourly", "agg_status", "agg_bots", "agg_contact")


def read_parquet_aggregates(con: duckdb.DuckDBPyConnection, folder: str) -> None:
    """Shadow the web aggregates on this connection with views over the Spark job's Parquet under ``folder``."""
    folder = folder.rstrip("/")
    for table in PARQUET_AGGREGATES:
        try:
            found = queries.run(con, "usage/parquet_files.sql", pattern=f"{folder}/{table}/*/*.parquet").fetchone()
        except duckdb.Error as exc:
            raise ConfigError(f"setting warehouse_parquet (VCAR_WAREHOUSE_PARQUET): cannot list {folder}: "
                              f"{str(exc).splitlines()[0]}") from None
        if not found or not found[0]:
            raise ConfigError(
                f"setting warehouse_parquet (VCAR_WAREHOUSE_PARQUET): no {table} Parquet files under {folder}; "
                "point it at the --out folder of `vcar ingest logs --engine spark` after a run"
            )
    queries.run_all(con, "usage/parquet_aggregates.sql", dir=folder)


def migration_files() -> list[tuple[int, str]]:
    """(version, name) of every migration, in order. File names are ``NNNN_what.sql``."""
    from importlib.resources import files

    found = []
    for entry in files("queries").joinpath(MIGRATIONS).iterdir():
        match = re.fullmatch(r"(\d{4})_[a-z0-9_]+\.sql", entry.name)
        if match:
            found.append((int(match.group(1)), entry.name))
    return sorted(found)


def latest_version() -> int:
    files = migration_files()
    return files[-1][0] if files else 0


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    version = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(version[0]) if version else 0


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations newer than the warehouse, each in its own transaction; returns those applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMPTZ NOT NULL)"
    )
    current = schema_version(con)
    applied = []
    for version, name in migration_files():
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            _apply(con, f"{MIGRATIONS}/{name}")
            con.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $at)",
                {"v": version, "n": name, "at": clock.now()},
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def _apply(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run one migration; one that names ``$default_site`` (0014) gets the setting site_host."""
    if "default_site" in queries.parameters(name):
        from etl.core.settings import cached_settings

        queries.run_all(con, name, default_site=cached_settings().site_host)
    else:
        con.execute(sql_text(name))


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every base table of the warehouse and its columns (for the inventory check)."""
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out
