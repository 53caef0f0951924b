"""Benchmark: placing 100,000 contact-form rows (country, province/city, district) with the gazetteer.

The rows are drawn with a fixed seed from the gazetteer's own names, typed the ways people type them (with and
without suffixes, pinyin with and without spaces, both provinces and districts, European towns and regions) plus
values that name no place, so about a tenth of the row values are distinct, as in a real export. Prints the time
to load the gazetteer (once per process), then the time for the rows: cold (every distinct value resolved) and
warm (a second import in the same process), and for as many rows of which no two are alike (the worst case).
Usage: python benchmarks/normalize_regions.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.ingest.inquiries import regions  # noqa: E402


def typed_rows(count: int, rnd: random.Random) -> list[tuple[str, str, str]]:
    text = resources.files("etl.ingest.inquiries").joinpath("data/cn_divisions.tsv").read_text(encoding="utf-8")
    divisions = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    provinces = {d["adcode"][:2]: d["name"] for d in divisions if d["adcode"].endswith("0000")}
    counties = [d for d in divisions if not d["adcode"].endswith("00")]
    europe = [("Deutschland", "München"), ("Deutschland", "Bayern"), ("France", "Lyon"), ("France", "Île-de-France"),
              ("Polska", "Kraków"), ("Polska", "Mazowieckie"), ("España", "Valencia"), ("Italia", "Milano"),
              ("Nederland", "Noord-Holland"), ("UK", "Manchester"), ("Deutschland", "Frankfurt")]
    pool: list[tuple[str, str, str]] = []
    for d in rnd.sample(counties, 2000):
        province = provinces.get(d["adcode"][:2], "")
        pool.append(rnd.choice([("中国", province, d["name"]), ("", province.rstrip("省市"), d["name"].rstrip("区县")),
                                ("China", province, d["name"])]))
    pool += [(c, p, "") for c, p in europe] * 20
    pool += [("中国", f"其他{i}", "") for i in range(500)] + [("", "N/A", ""), ("China", "my city", "")] * 50
    return [rnd.choice(pool) for _ in range(count)]


def distinct_rows(count: int, rnd: random.Random) -> list[tuple[str, str, str]]:
    """Worst case: no two rows alike (a province with a district, most of them of another province)."""
    text = resources.files("etl.ingest.inquiries").joinpath("data/cn_divisions.tsv").read_text(encoding="utf-8")
    names = [d["name"] for d in csv.DictReader(text.splitlines(), delimiter="\t")]
    provinces = [n for n in names if n.endswith(("省", "自治区"))]
    pairs = list({(p, d) for p in provinces for d in names})
    return [("中国", p, d) for p, d in rnd.sample(pairs, min(count, len(pairs)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    rows = typed_rows(args.rows, random.Random(42))
    started = time.perf_counter()
    regions.normalize_place("中国", "浙江", "鹿城区")
    loaded = time.perf_counter() - started
    times, cpu_times = [], []
    for _ in range(2):
        started, cpu_started = time.perf_counter(), time.process_time()
        placed = sum(regions.normalize_place(*row)[0].region != regions.UNKNOWN for row in rows)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    worst = distinct_rows(args.rows, random.Random(7))
    regions.normalize_place.cache_clear()
    started, cpu_started = time.perf_counter(), time.process_time()
    for row in worst:
        regions.normalize_place(*row)
    times.append(time.perf_counter() - started)
    cpu_times.append(time.process_time() - cpu_started)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"machine: {os.cpu_count()} cores (nproc), {cpu}, Python {platform.python_version()}")
    print(f"gazetteer loaded in {loaded:.2f} s ({len(regions._index()):,} lookup keys)")
    print(f"{len(rows):,} rows ({len(set(rows)):,} distinct), {placed:,} placed in a region:")
    print(f"  cold (every distinct value resolved): {times[0]:.2f} s ({cpu_times[0]:.2f} s CPU)")
    print(f"  warm (a second import in the same process): {times[1]:.2f} s ({cpu_times[1]:.2f} s CPU)")
    print(f"{len(worst):,} rows, every one distinct (worst case): {times[2]:.2f} s ({cpu_times[2]:.2f} s CPU)")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} (other work on the machine slows wall time)")


if __name__ == "__main__":
    main()
