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
from dataclasses import dataclass
from typing import Any

import queries

GENESIS = "0" * 64


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
    at = dt.datetime.now(dt.UTC)
    text = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, default=str)
    digest = entry_hash(prev, seq, at, actor, action, obj, text)
    queries.run(con, "audit/append.sql", seq=seq, logged_at=at, actor=actor, action=action, object=obj, detail=text,
                prev_hash=prev, hash=digest)  # fmt: skip
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
