"""Benchmark: N people using the dashboard at once for a while, each in headless Chromium.

Builds a sample warehouse of two months (generated data), starts ``vcar dashboard``, logs in N users spread over
the four roles, and has each open every page of their role by its sidebar link, round after round, for the given
time. Prints page times (median, 95th percentile), errors, and the longest time the server's health endpoint did
not answer. Usage: python benchmarks/dashboard_load.py [--users 10] [--seconds 120] [--days 60]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from dashboard.navigation import pages_for
    from etl.core.roles import ROLES
    from etl.sample.geodb import build_mmdb
    from scripts.browser_load import drive, summary
    from scripts.browser_tour import CHROMIUM, add_users, build_sample, free_port, serve

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit("chromium is not installed (make browser installs it as root)")
    with tempfile.TemporaryDirectory(prefix="vcar-load-") as tmp:
        root = Path(tmp)
        env = build_sample(root, build_mmdb(root / "city.mmdb"), days=args.days)
        logins = add_users(env, list(ROLES))
        users = []
        for i in range(args.users):
            role = ROLES[i % len(ROLES)]
            users.append((*logins[role], [p.title for p in pages_for(role)]))
        with serve(env, free_port()) as base:
            loads, silence = drive(base, users, seconds=args.seconds)
    figures = summary(loads)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{args.users} users for {args.seconds:.0f} s on {args.days} days of sample data")
    print(f"page loads: {figures['pages']}, errors: {figures['errors']}")
    print(f"page time: median {figures['median_s']:.2f} s, p95 {figures['p95_s']:.2f} s")
    print(f"longest health-endpoint silence: {silence:.1f} s")
    for title in sorted({load.title for load in loads}):
        times = sorted(load.seconds for load in loads if load.title == title and load.error is None)
        if times:
            print(f"  {title}: {len(times)} loads, median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s")


if __name__ == "__main__":
    main()
