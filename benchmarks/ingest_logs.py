"""Benchmark: end-to-end `vcar ingest logs` on large generated combined logs, against GoAccess if installed.

For each size: lines/s, peak RSS and the time of each stage of vcar's run, the ratio to GoAccess (given the same
GeoIP database as vcar, so both geolocate) with the load average beside it, and the time of a second run over the
unchanged file. Usage: python benchmarks/ingest_logs.py [--lines N[,N...]] [--rounds R] (default 2,000,000 and
10,000,000 lines: ~10 requests per visitor-day, a few thousand distinct user agents, 100k-170k distinct IPs; one
round, R rounds run vcar and GoAccess in turn).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from etl.sample.generate import clf_time, random_host
from etl.sample.networks import NETWORKS
from etl.sample.site import BROWSERS, CRAWLERS, PAGES


def write_log(path: Path, lines: int, seed: int = 1) -> None:
    """~10 requests per visitor-day; UAs varied by version number to reach a few thousand distinct strings."""
    rng = random.Random(seed)
    # each browser in 240 builds (the last number of the string varies): about 3,400 distinct user agents
    uas = [re.sub(r"\d+(?=\D*$)", str(build), b[0]) for b in BROWSERS for build in range(240)]
    uas += [c[1] for c in CRAWLERS]
    ips = [random_host(rng, rng.choice(NETWORKS).cidr) for _ in range(250_000)]  # ~100k of them get used
    paths = [p for p, _ in PAGES] + ["/static/css/site.css", "/static/js/app.js", "/static/img/logo.svg"]
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    seconds = 7 * 86_400
    with open(path, "w", encoding="utf-8") as fh:
        written = 0
        while written < lines:
            ip, ua = rng.choice(ips), rng.choice(uas)
            t = start + dt.timedelta(seconds=rng.randrange(seconds))
            for _ in range(min(10, lines - written)):
                t += dt.timedelta(seconds=rng.randint(1, 120))
                fh.write(f'{ip} - - [{clf_time(t)}] "GET {rng.choice(paths)} HTTP/1.1" 200 {rng.randint(100, 90_000)} '
                         f'"https://www.baidu.com/s?wd=obd" "{ua}"\n')
                written += 1


def distinct(log: Path, field: int) -> int:
    """Distinct values of one field (0: IP, 2: user agent) of the generated log, counted with polars."""
    import polars as pl

    lines = pl.scan_csv(log, has_header=False, separator="\x1f", quote_char=None, new_columns=["line"])
    column = pl.col("line").str.split(" ").list.first() if field == 0 else pl.col("line").str.split('"').list.get(5)
    return lines.select(column.n_unique()).collect().item()


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes) and standard output of one child process (its own rusage, from wait4)."""
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()  # to its end before waiting: a full pipe would stall the child
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{cmd[0]} failed with exit code {child.returncode}")
    return seconds, usage.ru_maxrss * 1024, out


def load_average() -> str:
    """The 1-minute load average beside a ratio: the machine is shared, and a ratio means most on a quiet one."""
    return f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def stage_times(stats_json: str) -> str:
    """The stages of a `vcar ingest logs --json` run, in its order: "start 0.41 s, transform 5.30 s, ..."."""
    stages = json.loads(stats_json)["stage_seconds"]
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items())


def bench_size(lines: int, work: Path, geoip: Path | None, rounds: int) -> None:
    """``rounds`` times in turn: vcar on a fresh warehouse, vcar again on the unchanged file, then GoAccess, so
    that both tools meet the same load; each round prints its ratio with the load average beside it."""
    log = work / f"access-{lines}.log"
    t0 = time.perf_counter()
    write_log(log, lines)
    print(f"\n== {lines:,} lines ({log.stat().st_size / 1e6:.0f} MB), generated in {time.perf_counter() - t0:.1f} s")
    print(f"distinct user agents {distinct(log, 2):,}, distinct IPs {distinct(log, 0):,}")
    goaccess = shutil.which("goaccess")
    if not goaccess:
        print("goaccess not installed (apt-get install goaccess): no comparison")
    for n in range(1, rounds + 1):
        warehouse = work / f"w-{lines}"
        env = os.environ | {"VCAR_WAREHOUSE": str(warehouse / "w.duckdb"),
                            "VCAR_SECRETS_DIR": str(warehouse / "secrets")}
        vcar = [sys.executable, "-m", "etl.cli", "ingest", "logs", str(log), "--json"]
        seconds, rss, stats = run_measured(vcar, env)
        ours = lines / seconds
        print(f"round {n}: vcar ingest: {seconds:.1f} s, {ours:,.0f} lines/s, peak RSS {rss / 2**20:.0f} MiB "
              f"({load_average()})")
        print(f"  stages: {stage_times(stats)}")
        again, _, _ = run_measured(vcar, env)
        print(f"  vcar ingest again, file unchanged: {again:.2f} s")
        shutil.rmtree(warehouse, ignore_errors=True)
        if goaccess:
            cmd = [goaccess, str(log), "--log-format=COMBINED", "--no-progress", "-o", str(work / "report.json")]
            if geoip is not None:
                cmd.append(f"--geoip-database={geoip}")
            g_seconds, g_rss, _ = run_measured(cmd, env)
            theirs = lines / g_seconds
            print(f"  goaccess{' (same GeoIP database)' if geoip else ''}: {g_seconds:.1f} s, {theirs:,.0f} lines/s, "
                  f"peak RSS {g_rss / 2**20:.0f} MiB ({load_average()})")
            print(f"  ratio vcar/goaccess at {lines:,} lines: {ours / theirs:.2f}x")
    log.unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", default="2000000,10000000", help="sizes, comma-separated")
    parser.add_argument("--rounds", type=int, default=1, help="vcar and GoAccess in turn, this many times per size")
    args = parser.parse_args()
    from etl.core.settings import Settings

    geoip = Settings().geoip_db
    print(f"GeoIP database (vcar and GoAccess): {geoip or 'none'}")
    work = Path(tempfile.mkdtemp(prefix="vcar-bench-"))
    try:
        for lines in (int(n.replace("_", "")) for n in args.lines.split(",")):
            bench_size(lines, work, geoip, args.rounds)
        print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
