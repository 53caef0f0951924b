"""Benchmark: lines/s per core of the Spark job (local[1], local[2]) against the embedded path, on the same files.

Each run is a fresh `vcar ingest logs` process (warehouse or --out folder new each time). A Spark run pays a
fixed start (JVM, session, a dozen small jobs); it is measured on a 2,000-line file and subtracted to give the
steady rate, which is what a cluster's long jobs see. docs/scale.md keeps the figures and the plan derived from
them. Usage: python benchmarks/spark_scale.py [--lines N] (default 1,000,000, cut into 4 files: rotated logs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_logs import write_log  # noqa: E402

FILES = 4


def split(log: Path, folder: Path, files: int = FILES) -> int:
    """Cut ``log`` into ``files`` consecutive pieces (a day's rotated logs); returns the line count."""
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    folder.mkdir()
    size = -(-len(lines) // files)
    for n in range(files):
        (folder / f"access-{n}.log").write_text("".join(lines[n * size : (n + 1) * size]), encoding="utf-8")
    return len(lines)


def timed(args: list[str], env: dict[str, str]) -> tuple[float, dict]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "etl.cli", "ingest", "logs", *args, "--json"], env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"vcar ingest logs {' '.join(args)} failed: {done.stdout}{done.stderr[-2000:]}")
    return seconds, json.loads(done.stdout)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vcar-spark-bench-"))
    try:
        write_log(work / "big.log", args.lines)
        write_log(work / "small.log", 2_000, seed=2)
        n = split(work / "big.log", work / "big")
        split(work / "small.log", work / "small", files=1)
        size = sum(p.stat().st_size for p in (work / "big").iterdir())
        print(f"input: {n:,} combined lines in {FILES} files, {size / 1e6:.0f} MB")
        print(f"machine: {os.cpu_count()} cores ({cpu_model()}), Python {sys.version.split()[0]}")

        def env(name: str) -> dict[str, str]:
            return os.environ | {"VCAR_WAREHOUSE": str(work / name / "w.duckdb"),
                                 "VCAR_SECRETS_DIR": str(work / "secrets")}

        seconds, _ = timed([str(work / "big")], env("embedded"))
        embedded = n / seconds
        print(f"embedded (DuckDB, 2 batch threads): {seconds:.1f} s, {embedded:,.0f} lines/s")
        for cores in (1, 2):
            master = f"local[{cores}]"
            start, _ = timed([str(work / "small"), "--engine", "spark", "--master", master,
                              "--out", str(work / f"small-{cores}")], env(f"s{cores}"))
            seconds, stats = timed([str(work / "big"), "--engine", "spark", "--master", master,
                                    "--out", str(work / f"out-{cores}")], env(f"b{cores}"))
            assert stats["lines_read"] == n, stats
            steady = n / max(seconds - start, 1e-9)
            print(f"spark {master}: {seconds:.1f} s wall ({n / seconds:,.0f} lines/s); fixed start {start:.1f} s; "
                  f"steady {steady:,.0f} lines/s = {steady / cores:,.0f} lines/s per core")
            print(f"  stages (s): {stats['stage_seconds']}")
        out = work / "out-2"
        sizes = {t.name: sum(p.stat().st_size for p in t.rglob("*.parquet")) for t in sorted(out.iterdir())}
        print("output Parquet bytes per table (local[2] run): " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        print(f"events Parquet: {sizes['events'] / n:.1f} bytes per line")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
