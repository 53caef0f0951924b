"""``vcar ingest logs``: files in, warehouse out. All I/O of the log pipeline lives here.

Per file: read new lines in batches -> ``transform`` (pure) -> stage the batch as Parquet -> one short write
transaction that loads the staged events, records rejects, advances the manifest and rebuilds the touched
days' aggregates. A run killed at any point leaves the warehouse as it was before that file; the next run
picks up where the manifest says.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import secrets
import shutil
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TypeVar

import polars as pl

import queries
from etl.compliance import audit
from etl.core import clock, faults, keystore, warehouse
from etl.core.errors import ConfigError
from etl.core.settings import Settings
from etl.ingest.logs import FORMATS
from etl.ingest.logs.enrich import GeoLocator, UserAgentInfo, classify_user_agents
from etl.ingest.logs.files import (
    PREFIX_BYTES,
    Progress,
    decode_lines,
    expand_paths,
    identify,
    is_gzip,
    last_fields_directive,
    open_binary,
    prefix_hash,
    read_lines,
)
from etl.ingest.logs.parse import NOT_A_REQUEST
from etl.ingest.logs.plan import SAMPLE_LINES, UA_KEY_NAME, IngestStats, LoadPlan
from etl.ingest.logs.pseudonymize import keyed_id
from etl.ingest.logs.transform import transform
from etl.ingest.runs import record_run

T = TypeVar("T")
U = TypeVar("U")


# Declared, not inferred: the first hundred new user agents may all be humans, with no bot name yet.
PENDING_SCHEMA = {"ua_key": pl.UInt64} | {
    f.name: pl.Boolean if f.name == "is_bot" else pl.String for f in fields(UserAgentInfo)
}


class UserAgentCatalog:
    """Each distinct user agent is parsed once ever: known keys come from the warehouse."""

    def __init__(self, key: bytes, known: dict[int, tuple[bool, str | None]]) -> None:
        self._key = key
        self._known = known
        self._by_text: dict[str, tuple[int, bool, str | None]] = {}
        self.pending: list[dict] = []

    def pending_frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.pending, schema=PENDING_SCHEMA)

    def frame(self, uas: list[str]) -> pl.DataFrame:
        fresh = [ua for ua in uas if ua not in self._by_text]
        keys = [keyed_id(self._key, ua) for ua in fresh]
        unknown = [(ua, key) for ua, key in zip(fresh, keys, strict=True) if key not in self._known]
        for (_, key), info in zip(unknown, classify_user_agents([ua for ua, _ in unknown]), strict=True):
            self._known[key] = (info.is_bot, info.bot_reason)
            self.pending.append({"ua_key": key, **asdict(info)})
        for ua, key in zip(fresh, keys, strict=True):
            self._by_text[ua] = (key, *self._known[key])
        return pl.DataFrame(
            [(ua, *self._by_text[ua]) for ua in uas],
            schema={"ua": pl.String, "ua_key": pl.UInt64, "is_bot": pl.Boolean, "bot_reason": pl.String},
            orient="row",
        )


def ingest_paths(
    cfg: Settings,
    paths: list[Path],
    *,
    fmt: str = "auto",
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> IngestStats:
    """Load every new line of ``paths``; returns the run's counts (also recorded in ``ingest_runs``).
    ``progress(file name, lines)`` hears of each batch read (the CLI's bar)."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "custom" and not cfg.log_regex:
        raise ConfigError("--format custom needs the log_regex setting (VCAR_LOG_REGEX)")
    plan = LoadPlan.of(cfg, fmt)
    files = expand_paths(paths)
    for path in files:  # every file readable before any is loaded: a wrong file in the list loads nothing
        if path.stat().st_size:
            file_format(plan, path)
    started = time.monotonic()
    run_id = uuid.uuid4().hex[:12]
    stats = IngestStats()
    keystore.ensure_secrets_dir(cfg.secrets_dir)
    remove_stale_stages(cfg.warehouse.parent)
    from etl.compliance.retention import apply_retention, run_clock

    now = now or run_clock(cfg, today)
    started_at = now  # one clock per run: retention, sealing and the run record agree on when it happened
    # Days due to be sealed are sealed before reading: a late run must not extend a salt past its time.
    apply_retention(cfg, now=now)
    with warehouse.read(cfg.warehouse) as con:
        known = {k: (b, r) for k, b, r in queries.run(con, "logs/known_user_agents.sql").fetchall()}
        manifest = {row[0]: Progress(*row[1:]) for row in queries.run(con, "logs/manifest.sql").fetchall()}
        sealed = {row[0] for row in queries.run(con, "logs/sealed_days.sql").fetchall()}
    catalog = UserAgentCatalog(keystore.key(cfg.secrets_dir, UA_KEY_NAME), known)
    locator = GeoLocator(cfg.geoip_db)
    salts: dict[dt.date, bytes] = {}

    def salt_for(day: dt.date) -> bytes:
        """The day's salt; for a sealed day a one-off salt of this run, never stored, so that its late lines
        make visits among themselves but cannot be linked to the day's earlier visitors (nor re-open it)."""
        if day not in salts:
            kept = secrets.token_bytes(32) if day in sealed else keystore.daily_salt(cfg.secrets_dir, day)
            if kept is None:  # destroyed although the warehouse does not call the day sealed
                raise ConfigError(
                    f"the visitor salt of {day} is gone from {cfg.secrets_dir} but the day is not "
                    "sealed in the warehouse: restore secrets_dir from the same backup as the warehouse"
                )
            salts[day] = kept
        return salts[day]

    load = LoadContext(run_id, now, frozenset(sealed), plan, progress)
    stats.lap("start", started)
    try:
        for path in files:
            stats.files += 1
            _ingest_file(cfg, path, load, catalog, locator, salt_for, manifest, stats)
    except BaseException:
        with contextlib.suppress(Exception):  # the original error matters more than its record
            _record_run(cfg, run_id, started_at, stats, "failed")
        raise
    finally:
        locator.close()
    since = time.monotonic()
    if stats.lines_read > stats.lines_skipped_already_loaded:  # lines loaded may already be past retention
        apply_retention(cfg, now=now)
    stats.lap("retention", since)
    stats.seconds = time.monotonic() - started
    _record_run(cfg, run_id, started_at, stats, "ok")
    return stats


def _record_run(cfg: Settings, run_id: str, started_at: dt.datetime, stats: IngestStats, status: str) -> None:
    with warehouse.write(cfg.warehouse) as con:
        record_run(con, run_id, "logs", started_at, files=stats.files, read=stats.lines_read,
                   loaded=stats.lines_loaded, rejected=stats.lines_rejected,
                   skipped=stats.lines_skipped_already_loaded, status=status)


def remove_stale_stages(folder: Path) -> None:
    """Staging folders left by a killed run (its process is gone) are removed; a running ingest keeps its own."""
    for stage in folder.glob(".vcar-stage-*"):
        pid = stage.name.split("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_SHARED_STATE = threading.Lock()


def _locked(fn: Callable[[T], U]) -> Callable[[T], U]:
    """The catalogue, the GeoIP cache and the salt store are shared by the batch threads: one caller at a time."""

    def call(arg: T) -> U:
        with _SHARED_STATE:
            return fn(arg)

    return call


@dataclass(frozen=True)
class LoadContext:
    """What every file's load of one run shares: the run, its clock and the days sealed when it started."""

    run_id: str
    now: dt.datetime
    sealed: frozenset[dt.date]
    plan: LoadPlan
    progress: Callable[[str, int], None] | None = None


def file_format(plan: LoadPlan, path: Path) -> str:
    """The format to read ``path`` with (the plan decides, from its first lines); InputError if none fits."""
    if plan.fmt != "auto":
        return plan.fmt
    with open_binary(path) as fh:
        return plan.log_format(str(path), decode_lines(fh.read(64 * 1024))[:SAMPLE_LINES])


@dataclass(frozen=True)
class BatchCounts:
    loaded: int
    rejected: int
    not_requests: int
    ignored: int
    bots: int
    per_day: dict[dt.date, int]

    def plus(self, other: BatchCounts) -> BatchCounts:
        return BatchCounts(self.loaded + other.loaded, self.rejected + other.rejected,
                           self.not_requests + other.not_requests, self.ignored + other.ignored,
                           self.bots + other.bots, {})


@dataclass(frozen=True)
class NewLines:
    """Where a file's unread lines start: its key in the manifest, lines and bytes already loaded, its size."""

    file_key: str
    lines_done: int
    bytes_done: int
    disk_size: int


@dataclass
class Staged:
    """What staging a file's new lines produced: their counts, events per reporting day, the manifest entry."""

    lines: int = 0
    counts: BatchCounts = field(default_factory=lambda: BatchCounts(0, 0, 0, 0, 0, {}))
    days: dict[dt.date, int] = field(default_factory=dict)
    progress: Progress | None = None


def _ingest_file(cfg, path: Path, load: LoadContext, catalog, locator, salt_for, manifest: dict, stats) -> None:
    """Read, stage and commit one file's new lines; ``manifest`` (file_key -> progress) is updated as files load."""
    start = _new_lines(path, manifest, stats)
    if start is None:
        return
    stage = Path(tempfile.mkdtemp(prefix=f".vcar-stage-{os.getpid()}-", dir=cfg.warehouse.parent))
    try:
        since = time.monotonic()
        staged = _stage(cfg, path, start, load, stage, _locked(salt_for), _locked(catalog.frame),
                        _locked(locator.frame))
        stats.lap("transform", since)
        assert staged.progress is not None
        late = {day: count for day, count in staged.days.items() if day in load.sealed}
        bots = _load_file(cfg, stage, load, start.file_key, staged.progress, catalog, sorted(staged.days), late,
                          start.lines_done + 1, stats)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    manifest[start.file_key] = staged.progress
    stats.lines_into_sealed_days += sum(late.values())
    stats.sealed_days = sorted(set(stats.sealed_days) | {day.isoformat() for day in late})
    stats.lines_read += start.lines_done + staged.lines
    stats.lines_skipped_already_loaded += start.lines_done
    stats.lines_loaded += staged.counts.loaded
    stats.lines_rejected += staged.counts.rejected
    stats.lines_not_requests += staged.counts.not_requests
    stats.lines_ignored += staged.counts.ignored
    stats.bot_requests += bots


def _new_lines(path: Path, manifest: dict, stats: IngestStats) -> NewLines | None:
    """Where ``path``'s unread lines start, or None when it has none (empty, or unchanged since its last load)."""
    found = identify(path, manifest)
    if found is None:
        return None  # an empty file has no lines to read
    file_key, done = found
    disk_size = path.stat().st_size
    lines_done, bytes_done = (done.lines_done, done.bytes_done) if done else (0, 0)
    if done and done.disk_size == disk_size and done.file_name == path.name:
        stats.lines_read += lines_done
        stats.lines_skipped_already_loaded += lines_done
        return None
    return NewLines(file_key, lines_done, bytes_done, disk_size)


def _stage(cfg, path: Path, start: NewLines, load: LoadContext, stage: Path, salt_for, user_agents, geo) -> Staged:
    """Read the new lines in batches, transform each and write its events and rejects to ``stage`` as Parquet."""
    file_fmt = file_format(load.plan, path)
    ctx = load.plan.context(file_fmt, salt_for, user_agents, geo, str(path))

    def stage_batch(n: int, first: int, lines: pl.DataFrame, directive: str | None) -> BatchCounts:
        batch = lines.with_columns(pl.int_range(first, first + lines.height, eager=True).alias("line_no"))
        events, rejects = transform(batch, dataclasses.replace(ctx, w3c_fields=directive))
        events.with_columns(pl.lit(start.file_key).alias("file_key")).write_parquet(
            stage / f"e{n:06d}.parquet", compression="uncompressed", statistics=False
        )  # read once, a moment later: compressing costs more than it saves
        if rejects.height:
            rejects.write_parquet(stage / f"r{n:06d}.parquet")
        per_day = dict(events.group_by("day").len().iter_rows())
        not_requests = int((rejects["reason"] == NOT_A_REQUEST).sum())
        ignored = batch.height - events.height - rejects.height
        return BatchCounts(events.height, rejects.height - not_requests, not_requests, ignored,
                           int(events["is_bot"].sum() or 0), per_day)

    staged = Staged()
    new_bytes = 0
    directive = last_fields_directive(path, start.bytes_done) if file_fmt == "w3c" else None

    def absorb(future: Future) -> None:
        counts = future.result()
        staged.counts = staged.counts.plus(counts)
        for day, events in counts.per_day.items():
            staged.days[day] = staged.days.get(day, 0) + events
        faults.reach("logs.batch")

    # Two batches in flight: polars releases the GIL, so the second core works on the next batch.
    with open_binary(path) as fh, ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque[Future] = deque()
        batches = read_lines(fh, start.bytes_done, cfg.batch_lines, take_unterminated=is_gzip(path))
        for n, (lines, consumed) in enumerate(batches):
            pending.append(pool.submit(stage_batch, n, start.lines_done + staged.lines + 1, lines, directive))
            if file_fmt == "w3c":  # the directive in force for the next batch
                fields_lines = lines["line"].filter(lines["line"].str.starts_with("#Fields:"))
                directive = (fields_lines.to_list() or [directive])[-1]
            staged.lines += lines.height
            new_bytes += consumed
            if load.progress is not None:
                load.progress(path.name, lines.height)
            while len(pending) >= 2 or (pending and pending[0].done()):
                absorb(pending.popleft())
        while pending:
            absorb(pending.popleft())
    total = start.bytes_done + new_bytes
    prefix_len = min(total, PREFIX_BYTES)
    staged.progress = Progress(start.lines_done + staged.lines, total, start.disk_size, path.name,
                               start.file_key.split("-")[0], prefix_len, prefix_hash(path, prefix_len))
    return staged


def _load_file(cfg, stage: Path, load: LoadContext, file_key: str, progress: Progress, catalog, days: list[dt.date],
               late: dict[dt.date, int], first_new_line: int, stats: IngestStats) -> int:
    """Commit a staged file in one transaction: events, rejects, new user agents, the manifest and the touched
    days' aggregates.

    An open day is rebuilt from all its events. A sealed day (``late``: its lines of this file) keeps what it
    has and gains what the new lines add: its old rows are set aside, the rebuild counts the new lines alone,
    and the old rows come back beside them. ``stats`` hears how long the load and the rebuild (to the commit) took."""
    run_id = load.run_id
    since = time.monotonic()
    with warehouse.write(cfg.warehouse, memory_mb=cfg.warehouse_memory_mb) as con:
        if catalog.pending:
            con.register("new_user_agents", catalog.pending_frame().to_arrow())
            queries.run(con, "logs/insert_user_agents.sql")
            con.unregister("new_user_agents")
        if any(stage.glob("e*.parquet")):
            queries.run(con, "logs/insert_events.sql", files=str(stage / "e*.parquet"))
        if any(stage.glob("r*.parquet")):
            queries.run(con, "logs/insert_rejects.sql", files=str(stage / "r*.parquet"), run_id=run_id,
                        file_key=file_key, file_name=progress.file_name)
        queries.run(con, "logs/upsert_manifest.sql", now=clock.now(), file_key=file_key, **asdict(progress))
        faults.reach("logs.load")
        since = stats.lap("load", since)
        rebuild = load.plan.rebuild
        open_days = [day for day in days if day not in late]
        if open_days:
            queries.run_folder(con, "logs/rebuild", days=open_days, file_key=None, from_line=None, **rebuild)
        if late:
            sealed = sorted(late)
            queries.run_all(con, "logs/set_aside_days.sql", days=sealed)
            queries.run_folder(con, "logs/rebuild", days=sealed, file_key=file_key, from_line=first_new_line,
                            **rebuild)
            queries.run_all(con, "logs/restore_days.sql")
            queries.run(con, "logs/record_sealed_merges.sql", run_id=run_id, days=sealed,
                        lines=[late[day] for day in sealed], merged_at=load.now)
            audit.append(con, "system:ingest", "logs.sealed_merge", progress.file_name or file_key,
                         {"run_id": run_id, "lines": {day.isoformat(): late[day] for day in sealed}})
        if days:
            queries.run(con, "logs/touch_days.sql", days=days, loaded_at=load.now)
        # bots of this load, those the rebuild found by their behaviour included
        bots = queries.run(con, "logs/bots_of_load.sql", file_key=file_key, from_line=first_new_line).fetchone()[0]
        faults.reach("logs.rebuild")
    stats.lap("rebuild", since)
    catalog.pending.clear()
    return bots
