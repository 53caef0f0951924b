"""The one run recorder: every load (logs, inquiries, a rights register) leaves a row in ``ingest_runs`` with its
counts, written inside the load's own transaction or right after it."""

from __future__ import annotations

import datetime as dt

import queries
from etl.core import clock


def record_run(
    con, run_id: str, kind: str, started_at: dt.datetime, *, files: int, read: int, loaded: int, rejected: int,
    skipped: int, status: str,
) -> None:
    """Record (or finish) the run ``run_id`` of ``kind`` (logs, inquiries, rights): lines or rows read, loaded,
    rejected and skipped; ``status`` ok or failed. It finished now, on the product's clock."""
    queries.run(con, "status/record_run.sql", run_id=run_id, kind=kind, started_at=started_at, files=files,
                lines_read=read, lines_loaded=loaded, lines_rejected=rejected, lines_skipped=skipped, status=status,
                now=clock.now())
