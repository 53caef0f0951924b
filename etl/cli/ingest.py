"""vcar ingest: access logs and the contact form's exports into the warehouse."""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, emit, settings
from etl.core.errors import ConfigError
from etl.ingest.logs import FORMATS as LOG_FORMATS

ingest_app = typer.Typer(help="Load data into the warehouse.", no_args_is_help=True)


@ingest_app.command("logs")
def ingest_logs_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Log files, folders or glob patterns (plain or .gz); spark: any Spark path.")
    ],
    fmt: Annotated[str, typer.Option("--format", help=" | ".join(LOG_FORMATS))] = "auto",
    engine: Annotated[str, typer.Option(help="embedded (DuckDB warehouse) | spark (Parquet under --out)")] = "embedded",
    master: Annotated[str | None, typer.Option(help="spark: the master URL, e.g. local[2] or yarn")] = None,
    out: Annotated[str | None, typer.Option(help="spark: the output folder (local, hdfs://, s3a://)")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Parse, pseudonymize and load web access logs; only lines not loaded before are read."""
    if engine == "spark":
        if not out:
            raise ConfigError("--engine spark needs --out DIR (the folder the Parquet tables go to)")
        from etl.ingest.logs.spark_job import DEFAULT_MASTER, run_job

        job = run_job(settings(), paths, out, master=master or DEFAULT_MASTER, fmt=fmt)
        emit(job.as_dict(), as_json, job.summary())
        return
    if engine != "embedded":
        raise ConfigError(f"--engine: {engine!r} is not embedded or spark")
    if master or out:
        raise ConfigError("--master and --out go with --engine spark")
    from etl.ingest.logs.ingest import ingest_paths

    with _progress_bar() as progress:
        stats = ingest_paths(settings(), [Path(p) for p in paths], fmt=fmt, progress=progress)
    emit(stats.as_dict(), as_json, stats.summary())


@contextlib.contextmanager
def _progress_bar(after_seconds: float = 1.0):
    """A progress line on stderr (Rich) for a run longer than ``after_seconds``, only when stderr is a terminal:
    a cron job or a pipe gets none. Yields the callback ``progress(file name, lines)``, or None."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} lines read"),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("reading", total=None)
    started = time.monotonic()

    def progress(name: str, lines: int) -> None:
        if not bar.live.is_started and time.monotonic() - started >= after_seconds:
            bar.start()
        bar.update(task, advance=lines, description=f"reading {name}")

    try:
        yield progress
    finally:
        if bar.live.is_started:
            bar.stop()


@ingest_app.command("inquiries")
def ingest_inquiries_cmd(
    path: Annotated[Path, typer.Argument(help="The contact form's export: CSV or JSON Lines (.jsonl).")],
    as_json: JsonFlag = False,
) -> None:
    """Load the contact-form export, minimized: no names, e-mails, phones or message text reach the warehouse."""
    from etl.ingest.inquiries.ingest import ingest_inquiries

    stats = ingest_inquiries(settings(), path)
    emit(stats.as_dict(), as_json, stats.summary())
