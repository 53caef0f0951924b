"""``vcar ingest logs --engine spark``: the log ETL on Apache Spark, for sites past one machine.

No second implementation: every executor runs the same pure ``transform`` as the embedded path (through
``mapInArrow``) and the same rebuild SQL (``queries/logs/rebuild/``) in an in-memory DuckDB per group of
visitors. The steps:

1. ``survey``: the distinct user agents and reporting days of the input (one cheap parse).
2. On the driver: each distinct user agent classified once per job (the classification itself runs on the
   executors), its keyed id computed with the key from ``secrets_dir``; the days' salts read from
   ``secrets_dir``. Both reach the executors by broadcast only, never a closure, a plan or the output.
3. ``transform``: each file block's lines -> pseudonymized events (and rejects, and a count of its lines, from
   which exact line numbers within each file follow).
4. ``rebuild``: events repartitioned by (day, visitor bucket); each group runs the rebuild SQL over its
   visitors. Every aggregate is a sum over visitors, and a visitor lives in one bucket, so the partial
   aggregates of the buckets add up to the embedded path's figures (visitor counts included).
5. ``publish``: every table written as hive-partitioned Parquet (``day=YYYY-MM-DD/``) under a staging folder,
   then each touched day's partition swapped in by rename: a re-run over the same input changes nothing.

Local files Spark writes while it works (shuffle and spill) are encrypted (``spark.io.encryption.enabled``):
the survey's shuffle carries raw user agents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import polars as pl
import pyarrow as pa

import queries
from etl.core import clock, keystore
from etl.core.errors import ConfigError, InputError
from etl.core.settings import Settings
from etl.ingest.logs import FORMATS
from etl.ingest.logs.enrich import NOT_LOGGED, GeoLocator, UserAgentInfo, classify_user_agents
from etl.ingest.logs.parse import parse_lines
from etl.ingest.logs.plan import SAMPLE_LINES, UA_KEY_NAME, LoadPlan, SparkIngestStats
from etl.ingest.logs.pseudonymize import keyed_id
from etl.ingest.logs.spark_output import expire_partitions, publish
from etl.ingest.logs.spark_tables import (
    TABLES,
    arrow_schema,
    decode_partition,
    ipc,
    spark_schema,
    stage_batch,
    stage_schema,
    warehouse_ddl,
)
from etl.ingest.logs.transform import put_day, transform

INPUT_ERROR = "vcar-input-error: "
DEFAULT_MASTER = "local[2]"


@dataclass(frozen=True)
class JobConfig:
    """What the executors need: the run's load plan (no secrets: those travel by broadcast), the GeoIP file's name
    on the executors and the number of visitor buckets."""

    plan: LoadPlan
    geoip_name: str | None
    buckets: int

    @classmethod
    def of(cls, cfg: Settings, fmt: str, buckets: int) -> JobConfig:
        return cls(LoadPlan.of(cfg, fmt), cfg.geoip_db.name if cfg.geoip_db else None, buckets)


# ------------------------------------------------------------------------------------- executor-side steps


def file_blocks(batches: Iterator[pa.RecordBatch]) -> Iterator[tuple[str, int, int, pl.Series]]:
    """(file, block start, ordinal of the first line, lines) runs of a partition, in file order.

    Spark's text reader gives each task whole blocks of a file, lines in order; the ordinal within the block
    and the blocks' line counts give every line its number within its file."""
    seen: dict[tuple[str, int], int] = {}
    for batch in batches:
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        runs = frame.with_columns(
            ((pl.col("file") != pl.col("file").shift()) | (pl.col("block") != pl.col("block").shift()))
            .fill_null(True)
            .cum_sum()
            .alias("_run")
        )
        for part in runs.partition_by("_run", maintain_order=True):
            file, block = part["file"][0], part["block"][0]
            first = seen.get((file, block), 0) + 1
            seen[(file, block)] = first - 1 + part.height
            yield file, block, first, part["line"]


def block_format(job: JobConfig, file: str, lines: pl.Series, known: dict[tuple[str, int], str], block: int) -> str:
    """The format of a block: the plan decides from its first lines, as for a file of the embedded engine."""
    if (file, block) not in known:
        try:
            found = job.plan.log_format(file, lines.head(SAMPLE_LINES).to_list())
        except InputError as exc:
            raise ValueError(f"{INPUT_ERROR}{exc}") from None
        if found == "w3c":
            raise ValueError(f"{INPUT_ERROR}{file}: W3C logs are not read by --engine spark (use the embedded engine)")
        known[(file, block)] = found
    return known[(file, block)]


def survey_partition(job: JobConfig, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Distinct (day, user agent) of each run of lines."""
    formats: dict[tuple[str, int], str] = {}
    for file, block, first, lines in file_blocks(batches):
        fmt = block_format(job, file, lines, formats, block)
        batch = pl.DataFrame({"line_no": pl.int_range(first, first + len(lines), eager=True), "line": lines})
        parsed = parse_lines(batch, fmt, job.plan.custom_regex).filter(pl.col("reject_reason").is_null())
        if parsed.is_empty():
            continue
        found = put_day(parsed, job.plan.timezone).select("day", pl.col("ua").fill_null(NOT_LOGGED)).unique()
        yield from found.to_arrow().to_batches()


def classify_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Each distinct user agent's device, browser, OS and bot verdict (the keyed id is the driver's)."""
    for batch in batches:
        uas = batch.column("ua").to_pylist()
        infos = classify_user_agents(uas)
        rows = [{"ua": ua, **dataclasses.asdict(info)} for ua, info in zip(uas, infos, strict=True)]
        yield pa.RecordBatch.from_pylist(rows, schema=UA_INFO_SCHEMA)


UA_INFO_SCHEMA = pa.schema(
    [pa.field("ua", pa.string())]
    + [pa.field(f.name, pa.bool_() if f.name == "is_bot" else pa.string()) for f in dataclasses.fields(UserAgentInfo)]
)


_GEO: dict[str, GeoLocator] = {}


def _locator(job: JobConfig) -> GeoLocator:
    """One GeoIP reader per Python worker, opened on the copy ``SparkContext.addFile`` shipped."""
    if job.geoip_name is None:
        return GeoLocator(None)
    from pyspark import SparkFiles

    path = SparkFiles.get(job.geoip_name)
    if path not in _GEO:
        _GEO[path] = GeoLocator(Path(path))
    return _GEO[path]


def transform_partition(job: JobConfig, secrets, agents, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The embedded path's ``transform`` over each run of lines; ``secrets`` and ``agents`` are broadcasts."""
    salts: dict[dt.date, bytes] = secrets.value
    ua_frame: pl.DataFrame = agents.value
    schema = stage_schema()
    locator = _locator(job)

    def salt_for(day: dt.date) -> bytes:
        return salts[day]

    def user_agents(uas: list[str]) -> pl.DataFrame:
        return pl.DataFrame({"ua": uas}, schema={"ua": pl.String}).join(ua_frame, on="ua", how="left")

    formats: dict[tuple[str, int], str] = {}
    counts: dict[tuple[str, int], int] = {}
    for file, block, first, lines in file_blocks(batches):
        fmt = block_format(job, file, lines, formats, block)
        ctx = job.plan.context(fmt, salt_for, user_agents, locator.frame, file)
        batch = pl.DataFrame({"line_no": pl.int_range(first, first + len(lines), eager=True), "line": lines})
        events, rejects = transform(batch, ctx)
        counts[(file, block)] = first - 1 + len(lines)
        where = {"file": pl.lit(file), "block": pl.lit(block, dtype=pl.Int64)}
        out = [
            events.with_columns(**where, rel=pl.col("line_no"), kind=pl.lit("e")).drop("line_no"),
            rejects.select(**where, rel="line_no", kind=pl.lit("r"), reason="reason", excerpt="excerpt"),
        ]
        for part in out:
            if part.height:
                yield stage_batch(part, schema)
    if counts:
        totals = pl.DataFrame(
            {"file": [k[0] for k in counts], "block": [k[1] for k in counts], "rel": list(counts.values())},
            schema={"file": pl.String, "block": pl.Int64, "rel": pl.Int64},
        ).with_columns(kind=pl.lit("n"))
        yield stage_batch(totals, schema)


def rebuild_group(job: JobConfig, ddl: dict[str, str], agents, events: pa.Table) -> pa.Table:
    """The rebuild SQL over one (day, visitor bucket): every table's rows of these visitors, as Arrow IPC."""
    con = duckdb.connect()
    try:
        for statement in ddl.values():
            con.execute(statement)
        con.register("new_user_agents", agents.value)
        queries.run(con, "logs/insert_user_agents.sql")
        con.register("staged_events", events.drop_columns(["bucket"]))
        queries.run(con, "logs/spark/insert_staged_events.sql")
        day = events.column("day")[0].as_py()
        queries.run_folder(con, "logs/rebuild", days=[day], file_key=None, from_line=None, **job.plan.rebuild)
        names, blobs = [], []
        for name in TABLES:
            table = con.table(name).to_arrow_table()
            for batch in table.to_batches(max_chunksize=100_000):
                names.append(name)
                blobs.append(ipc(batch))
    finally:
        con.close()
    return pa.table({"table": pa.array(names, pa.string()), "data": pa.array(blobs, pa.binary())})


# ------------------------------------------------------------------------------------------------ the driver


def spark_session(master: str | None, conf: dict[str, str] | None = None):
    """A session for the job: the given master (spark-submit's own when None), encrypted local files."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("vcar-ingest-logs")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # local workers run this interpreter (the one with vcar's packages), not whatever python3 is first on PATH
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        cores = re.fullmatch(r"local\[(\d+)\]", master)
        # a few shuffle partitions per core, not Spark's 200: each one is a Python task
        parts = str(2 * int(cores.group(1))) if cores else str(2 * (os.cpu_count() or 1))
        builder = builder.config("spark.sql.shuffle.partitions", parts).config("spark.default.parallelism", parts)
    settings = {
        "spark.io.encryption.enabled": "true",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.sources.partitionOverwriteMode": "static",
    } | (conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def run_job(
    cfg: Settings,
    paths: list[str],
    out: str,
    *,
    master: str | None = DEFAULT_MASTER,
    fmt: str = "auto",
    conf: dict[str, str] | None = None,
    today: dt.date | None = None,
) -> SparkIngestStats:
    """Read ``paths`` (anything Spark reads: folders, globs, s3a://, hdfs://), write every table under ``out``."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "w3c":
        raise ConfigError("--format w3c: W3C logs carry their columns in #Fields lines, file state a Spark block "
                          "cannot see; load them with the embedded engine")
    if fmt == "custom" and not cfg.log_regex:
        raise ConfigError("--format custom needs the log_regex setting (VCAR_LOG_REGEX)")
    started = time.monotonic()
    keystore.ensure_secrets_dir(cfg.secrets_dir)
    spark = spark_session(master, conf)
    try:
        return _run(spark, cfg, paths, out, fmt, started, today)
    except Exception as exc:  # noqa: BLE001 - an executor's input error becomes one line; the rest is re-raised
        message = _input_error(exc)
        if message:
            raise InputError(message) from None
        raise
    finally:
        if conf is None or conf.get("vcar.keep_session") != "true":
            spark.stop()


def _input_error(exc: BaseException) -> str | None:
    text = str(exc)
    found = re.search(re.escape(INPUT_ERROR) + r"([^\n]*)", text)
    if found:
        return found.group(1).strip()
    if "PATH_NOT_FOUND" in text or "Path does not exist" in text:
        path = re.search(r"Path does not exist: (\S+)", text)
        where = path.group(1).rstrip(".").removeprefix("file:") if path else "an input path"
        return f"{where}: no such file or folder"
    return None


def _run(
    spark, cfg: Settings, paths: list[str], out: str, fmt: str, started: float, today: dt.date | None
) -> SparkIngestStats:
    from pyspark.sql import functions as F

    stats = SparkIngestStats(out=out)
    lap = stats.lap("start", started)
    sc = spark.sparkContext
    job = JobConfig.of(cfg, fmt, buckets=max(1, sc.defaultParallelism))
    if cfg.geoip_db is not None:
        sc.addFile(str(cfg.geoip_db))
    lines = spark.read.text(paths).select(
        F.col("value").alias("line"),
        F.col("_metadata.file_path").alias("file"),
        F.col("_metadata.file_block_start").alias("block"),
    )

    # 1-2: distinct user agents and days; classification on the executors, keys and salts on the driver
    survey = lines.mapInArrow(lambda it: survey_partition(job, it), "day date, ua string").persist()
    days = sorted(row.day for row in survey.select("day").distinct().collect())
    uas = survey.select("ua").distinct().repartition(max(1, sc.defaultParallelism))
    infos = uas.mapInArrow(classify_partition, spark_schema(UA_INFO_SCHEMA)).toArrow()
    survey.unpersist()
    agents_frame, catalog = user_agent_tables(cfg, infos)
    stats.user_agents = agents_frame.height
    salts = {day: keystore.daily_salt(cfg.secrets_dir, day) for day in days}
    secrets = sc.broadcast(salts)
    agents = sc.broadcast(agents_frame.select("ua", "ua_key", "is_bot", "bot_reason"))
    catalog_bc = sc.broadcast(catalog)
    lap = stats.lap("survey", lap)

    # 3: the transform, then exact line numbers from the blocks' line counts
    schema = stage_schema()
    staged = lines.mapInArrow(lambda it: transform_partition(job, secrets, agents, it), spark_schema(schema)).persist()
    counts = staged.where("kind = 'n'").groupBy("file", "block").agg(F.sum("rel").alias("n")).collect()
    offsets = block_offsets([(r.file, r.block, r.n) for r in counts])
    stats.files = len({r.file for r in counts})
    stats.lines_read = sum(r.n for r in counts)
    offset_df = spark.createDataFrame(offsets, "file string, block long, offset long, file_key string")
    events = (
        staged.where("kind = 'e'")
        .join(F.broadcast(offset_df), ["file", "block"])
        .withColumn("line_no", F.col("offset") + F.col("rel"))
        .withColumn("bucket", F.pmod(F.xxhash64("visitor_id"), F.lit(job.buckets)).cast("int"))
    )
    stats.lines_rejected = staged.where("kind = 'r'").count()
    stats.lines_loaded = staged.where("kind = 'e'").count()
    lap = stats.lap("transform", lap)

    # 4: the rebuild SQL per (day, visitor bucket)
    ddl = warehouse_ddl()
    tables = {name: arrow_schema(ddl[name]) for name in TABLES}
    event_cols = [f.name for f in tables["events"]]
    grouped = events.select(*event_cols, "bucket").groupBy("day", "bucket")
    blobs = grouped.applyInArrow(
        lambda table: rebuild_group(job, ddl, catalog_bc, table), "table string, data binary"
    ).persist()
    outputs = {}
    for name, measures in TABLES.items():
        frame = blobs.where(F.col("table") == name).mapInArrow(
            lambda it, s=tables[name]: decode_partition(s, it), spark_schema(tables[name])
        )
        if measures:
            keys = [c for c in tables[name].names if c not in measures]
            sums = [F.sum(c).cast(spark_schema(tables[name])[c].dataType).alias(c) for c in measures]
            frame = frame.groupBy(*keys).agg(*sums).select(*tables[name].names)
        outputs[name] = frame
    blobs.count()
    lap = stats.lap("rebuild", lap)

    # 5: publish
    touched = [d.isoformat() for d in days]
    fs = publish(spark, outputs, out, touched, tables)
    cutoff = (today or clock.today(ZoneInfo(cfg.timezone))) - dt.timedelta(days=cfg.event_retention_days)
    stats.expired_days = expire_partitions(fs, out, cutoff)
    status = spark.read.parquet(*[f"{out}/agg_status/day={d}" for d in touched]) if touched else None
    stats.bot_requests = int(status.where("is_bot").agg(F.sum("requests")).first()[0] or 0) if status else 0
    stats.lap("publish", lap)
    stats.days = touched
    for handle in (staged, blobs):
        handle.unpersist()
    for bc in (secrets, agents, catalog_bc):
        bc.destroy()
    stats.seconds = time.monotonic() - started
    return stats


def user_agent_tables(cfg: Settings, infos: pa.Table) -> tuple[pl.DataFrame, pa.Table]:
    """(ua, ua_key, verdict) for the transform, and the ``user_agents`` rows for the rebuild (keyed, no text)."""
    key = keystore.key(cfg.secrets_dir, UA_KEY_NAME)
    frame = pl.from_arrow(infos)
    assert isinstance(frame, pl.DataFrame)
    frame = frame.with_columns(
        pl.Series("ua_key", [keyed_id(key, ua) for ua in frame["ua"].to_list()], dtype=pl.UInt64)
    )
    catalog = frame.drop("ua").unique("ua_key").to_arrow()
    return frame, catalog


def block_offsets(counts: list[tuple[str, int, int]]) -> list[tuple[str, int, int, str]]:
    """(file, block, lines before the block in its file, file key) from each block's line count."""
    import hashlib

    out = []
    done: dict[str, int] = {}
    for file, block, n in sorted(counts):
        out.append((file, block, done.get(file, 0), hashlib.sha256(file.encode()).hexdigest()[:16]))
        done[file] = done.get(file, 0) + n
    return out


def main(argv: list[str] | None = None) -> int:
    """spark-submit's entry: ``spark-submit .../etl/ingest/logs/spark_job.py PATH... --out DIR [--format F]``."""
    import argparse
    import json

    from etl.core.settings import load_settings

    parser = argparse.ArgumentParser(prog="spark_job.py", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--format", dest="fmt", default="auto")
    args = parser.parse_args(argv)
    try:
        stats = run_job(load_settings(), args.paths, args.out, master=None, fmt=args.fmt)
    except (ConfigError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ConfigError) else 1
    print(json.dumps(stats.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
