"""The audit log: append-only and hash-chained, written in the same transaction as the change it records.

hash(n) = SHA-256 over hash(n-1) and entry n's fields, so editing, deleting or reordering any entry breaks
every later link; ``verify`` recomputes the chain and names the first broken entry. Details never hold an
e-mail, phone number or name: subjects appear only as keyed hashes.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

import duckdb

import queries
from etl.core import clock, keystore

GENESIS = "0" * 64
QUEUE_FILE = "audit_queue.jsonl"
LOCK_FILE = "audit_queue.lock"
CONFLICT_RETRIES = 5


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def entry_hash(prev_hash: str, seq: int, at: dt.datetime, actor: str, action: str, obj: str, detail: str) -> str:
    fields = [prev_hash, str(seq), at.astimezone(dt.UTC).isoformat(timespec="microseconds"), actor, action, obj, detail]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def append(con, actor: str, action: str, obj: str, detail: dict[str, Any] | None = None) -> int:
    """Add one entry inside the caller's transaction; returns its sequence number."""
    last = queries.run(con, "audit/last.sql").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = clock.now()
    text = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, default=str)
    digest = entry_hash(prev, seq, at, actor, action, obj, text)
    queries.run(con, "audit/append.sql", seq=seq, logged_at=at, actor=actor, action=action, object=obj, detail=text,
                prev_hash=prev, hash=digest)
    return seq


@dataclass(frozen=True)
class Verification:
    entries: int
    first_broken: int | None  # sequence number of the first entry whose link does not hold
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify(con) -> Verification:
    prev, expected_seq = GENESIS, 1
    rows = queries.run(con, "audit/chain.sql").fetchall()
    for seq, at, actor, action, obj, detail, prev_hash, digest in rows:
        if seq != expected_seq:
            return Verification(len(rows), seq, f"entry {expected_seq} is missing")
        if prev_hash != prev:
            return Verification(len(rows), seq, "its previous-hash does not match the entry before it")
        if entry_hash(prev, seq, at, actor, action, obj, detail) != digest:
            return Verification(len(rows), seq, "its content does not match its hash")
        prev, expected_seq = digest, seq + 1
    return Verification(len(rows), None, None)


def recent(cfg, limit: int = 50, obj: str | None = None) -> list[dict[str, Any]]:
    """The latest entries, newest first (only those about ``obj`` when given), their details as readable
    "field: value" pairs with times in the reporting time zone (etl/reporting/formatting.py)."""
    from etl.core import warehouse
    from etl.core.words import details

    with warehouse.read(cfg.warehouse) as con:
        rows = queries.rows(con, "audit/recent.sql", limit=limit, object=obj)
    return [row | {"detail": details(row["detail"], cfg, sep="; ")} for row in rows]


def record(cfg, actor: str, action: str, obj: str, detail: dict[str, Any] | None = None) -> None:
    """Append an entry in its own short transaction (for events outside any other write: logins, new users).

    When the warehouse stays locked (a long ingest), the entry waits in secrets_dir and is written, with the
    time it happened, by the next ``record`` that gets through, so no entry is lost. The queue is read,
    flushed and rewritten under an exclusive file lock, so threads and processes recording at once neither
    lose nor repeat a queued entry; a write conflict is retried, so none of them sees an error."""
    from etl.core import warehouse
    from etl.core.errors import WarehouseBusy

    occurred = clock.now().isoformat(timespec="seconds")
    entry = {"actor": actor, "action": action, "object": obj, "detail": (detail or {}) | {"occurred_at": occurred}}
    keystore.ensure_secrets_dir(cfg.secrets_dir)
    queue = cfg.secrets_dir / QUEUE_FILE
    with keystore.exclusive(cfg.secrets_dir / LOCK_FILE):
        pending = []
        if queue.exists():
            pending = [json.loads(line) for line in keystore.read_private(queue).decode("utf-8").splitlines() if line]
        for attempt in range(CONFLICT_RETRIES):
            try:
                with warehouse.write(cfg.warehouse, wait_seconds=5) as con:
                    for item in [*pending, entry]:
                        append(con, item["actor"], item["action"], item["object"], item["detail"])
                break
            except WarehouseBusy:
                lines = "".join(json.dumps(item, sort_keys=True) + "\n" for item in [*pending, entry])
                keystore.write_private(queue, lines.encode("utf-8"))
                return
            except (duckdb.TransactionException, duckdb.ConstraintException):
                if attempt == CONFLICT_RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        queue.unlink(missing_ok=True)
