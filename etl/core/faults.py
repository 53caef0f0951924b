"""Fault injection for the crash tests: the process kills itself (SIGKILL) at a named point.

``VCAR_KILL_AT=point`` or ``point@n`` kills the process the n-th time (default the first) it reaches
``reach(point)``. The crash tests in tests/ingest/test_crash.py use it to stop a load exactly during parsing, loading,
the aggregate rebuild, retention or a commit, then check that the warehouse is as it was before and that the
next run completes the work. Unset (always, outside those tests) a point costs one environment look-up.

This is a test hook, not a setting: it is read here and nowhere else, and it has no effect on output.

Points: ``logs.batch`` (a batch parsed and staged), ``logs.load`` (events inserted, aggregates not yet
rebuilt), ``logs.rebuild`` (aggregates rebuilt, not yet committed), ``retention`` (expired rows deleted, not
yet committed), ``inquiries.upsert`` (inquiries written, withdrawn consent not yet applied), ``rights.saved``
(one request written), ``commit`` (any write transaction, just before COMMIT).

``VCAR_STALL_AT=read`` makes every warehouse read start with a query that runs for minutes, as a page stuck
on a huge period would: the page-timeout and shutdown tests (tests/dashboard/test_concurrency.py) use it.
"""

from __future__ import annotations

import os
import signal

ENV = "VCAR_KILL_AT"
STALL_ENV = "VCAR_STALL_AT"
# A query that keeps DuckDB busy for minutes (and releases the GIL while it runs, as real queries do).
_STALL_SQL = "SELECT count(*) FROM range(1000000000000) a WHERE hash(a.range) = 0"
_reached: dict[str, int] = {}


def reach(point: str) -> None:
    target = os.environ.get(ENV)
    if not target:
        return
    name, _, nth = target.partition("@")
    if name != point:
        return
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def stall(con, point: str) -> None:
    """Run a minutes-long query on ``con`` when ``VCAR_STALL_AT`` names ``point``."""
    if os.environ.get(STALL_ENV) == point:
        con.execute(_STALL_SQL)
