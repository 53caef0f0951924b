"""Where the Spark job's tables land: hive-partitioned Parquet (``day=YYYY-MM-DD/``) under its --out folder, each
touched day's partition swapped in by rename, and the pseudonymized tables' days past retention deleted."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pyarrow as pa

from etl.ingest.logs.spark_tables import spark_schema


def publish(spark, outputs: dict[str, Any], out: str, days: list[str], tables: dict[str, pa.Schema]) -> _FileSystem:
    """Write every table under a staging folder, then swap each touched day's partition in by rename.

    A day with no rows in a table still gets a partition (one empty file), so a re-run that finds nothing
    for it replaces the old rows, and a reader always finds every table."""
    from pyspark.sql import functions as F

    run = uuid.uuid4().hex[:12]
    staging, trash = f"{out}/_staging-{run}", f"{out}/_replaced-{run}"
    fs = _FileSystem(spark, out)
    try:
        for name, frame in outputs.items():
            target = f"{staging}/{name}"
            frame.repartition(F.col("day")).write.mode("overwrite").partitionBy("day").parquet(target)
            empty = spark.createDataFrame([], spark_schema(tables[name].remove(tables[name].get_field_index("day"))))
            for day in days:
                if not fs.exists(f"{target}/day={day}"):
                    empty.coalesce(1).write.mode("overwrite").parquet(f"{target}/day={day}")
        for name in outputs:
            for day in days:
                live, new = f"{out}/{name}/day={day}", f"{staging}/{name}/day={day}"
                fs.mkdirs(f"{out}/{name}")
                if fs.exists(live):
                    fs.mkdirs(f"{trash}/{name}")
                    fs.rename(live, f"{trash}/{name}/day={day}")
                fs.rename(new, live)
    finally:
        fs.delete(staging)
        fs.delete(trash)
    return fs


class _FileSystem:
    """The few Hadoop FileSystem calls the swap needs, through the driver's JVM (local, hdfs://, s3a://)."""

    def __init__(self, spark, root: str) -> None:
        self._jvm = spark.sparkContext._jvm
        self._fs = self._path(root).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())

    def _path(self, path: str):
        return self._jvm.org.apache.hadoop.fs.Path(path)

    def exists(self, path: str) -> bool:
        return bool(self._fs.exists(self._path(path)))

    def mkdirs(self, path: str) -> None:
        self._fs.mkdirs(self._path(path))

    def rename(self, src: str, dst: str) -> None:
        if not self._fs.rename(self._path(src), self._path(dst)):
            raise OSError(f"could not move {src} to {dst}")

    def delete(self, path: str) -> None:
        self._fs.delete(self._path(path), True)

    def children(self, path: str) -> list[str]:
        if not self.exists(path):
            return []
        return [str(status.getPath().getName()) for status in self._fs.listStatus(self._path(path))]


# The pseudonymized tables keep event_retention_days of days, as in the warehouse (etl/compliance/retention.py).
PSEUDONYMIZED_TABLES = ("events", "visits")


def expire_partitions(fs: _FileSystem, out: str, cutoff: dt.date) -> list[str]:
    """Delete the events and visits partitions of days before ``cutoff``; returns the days deleted."""
    gone = set()
    for table in PSEUDONYMIZED_TABLES:
        for name in fs.children(f"{out}/{table}"):
            found = re.fullmatch(r"day=(\d{4}-\d{2}-\d{2})", name)
            if found and dt.date.fromisoformat(found.group(1)) < cutoff:
                fs.delete(f"{out}/{table}/{name}")
                gone.add(found.group(1))
    return sorted(gone)
