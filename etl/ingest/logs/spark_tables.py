"""The tables of the Spark job (etl/ingest/logs/spark_job.py) as Arrow and Spark schemas, from the warehouse's
own migrations, and the Arrow batches that carry staged rows and rebuilt tables between executors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import duckdb
import polars as pl
import pyarrow as pa

import queries
from etl.core import warehouse
from etl.ingest.logs.transform import EVENT_SCHEMA

# The tables the job writes, with the columns that are summed when the buckets' partial rows are combined
# (every other column is part of the table's grain). events and visits have one row per request or visit.
TABLES: dict[str, tuple[str, ...]] = {
    "events": (),
    "visits": (),
    "agg_daily": ("visitors", "visits", "bounces", "pageviews", "duration_s"),
    "agg_pages": ("pageviews", "visitors", "entries", "bounces", "visits", "visit_pageviews", "visit_duration_s"),
    "agg_hourly": ("requests", "bot_requests", "pageviews", "visits"),
    "agg_status": ("requests",),
    "agg_bots": ("requests", "clients"),
    "agg_contact": ("visitors",),
}
WEB_AGGREGATES = tuple(name for name, measures in TABLES.items() if measures)


def warehouse_ddl() -> dict[str, str]:
    """CREATE TABLE statements of the tables the rebuild touches, from the warehouse's own migrations."""
    con = duckdb.connect()
    try:
        warehouse.migrate(con)
        rows = queries.run(con, "logs/spark/table_ddl.sql", tables=[*TABLES, "user_agents"]).fetchall()
    finally:
        con.close()
    return dict(rows)


def arrow_schema(ddl: str) -> pa.Schema:
    """The Arrow schema DuckDB gives a table, with UBIGINT as DECIMAL(20, 0): Spark has no unsigned integer."""
    con = duckdb.connect()
    try:
        con.execute(ddl)
        name = re.match(r"CREATE TABLE (\w+)", ddl)
        assert name, ddl
        schema = con.table(name.group(1)).limit(0).to_arrow_table().schema
    finally:
        con.close()
    return pa.schema([_sparkable(f) for f in schema])


def _sparkable(f: pa.Field) -> pa.Field:
    return pa.field(f.name, pa.decimal128(20, 0)) if pa.types.is_uint64(f.type) else f


def spark_schema(schema: pa.Schema):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def to_spark_arrow(table: pa.Table, schema: pa.Schema) -> pa.RecordBatch:
    """Cast a batch to the job's Arrow schema (unsigned ids -> DECIMAL(20, 0))."""
    return pa.RecordBatch.from_arrays(
        [table.column(f.name).combine_chunks().cast(f.type) for f in schema], schema=schema
    )


# Stage 3's output: events (pseudonymized) plus the file, block and line ordinal that give the line number,
# rejects, and one row per block with its line count.
STAGE_FIELDS = [
    pa.field("file", pa.string()),
    pa.field("block", pa.int64()),
    pa.field("rel", pa.int64()),
    pa.field("kind", pa.string()),  # e: event, r: reject, n: the block's line count (in rel)
    pa.field("reason", pa.string()),
    pa.field("excerpt", pa.string()),
]
EVENT_COLUMNS = [name for name in EVENT_SCHEMA if name != "line_no"]


def stage_schema() -> pa.Schema:
    events = pl.DataFrame(schema={k: EVENT_SCHEMA[k] for k in EVENT_COLUMNS}).to_arrow().schema
    return pa.schema([_sparkable(f) for f in events] + STAGE_FIELDS)


def stage_batch(part: pl.DataFrame, schema: pa.Schema) -> pa.RecordBatch:
    missing = [name for name in schema.names if name not in part.columns]
    table = part.to_arrow()
    for name in missing:
        table = table.append_column(name, pa.nulls(table.num_rows, schema.field(name).type))
    return to_spark_arrow(table, schema)


def ipc(batch: pa.RecordBatch) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def decode_partition(schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        for blob in batch.column("data").to_pylist():
            table = pa.ipc.open_stream(blob).read_all()
            if table.num_rows:
                yield to_spark_arrow(table, schema)
