"""Bot detection measured on real user agents: the share of crawlers flagged and of browsers flagged.

The agents come from the public test data of the detection projects as their packages ship it (see
tests/data/README.md); each flagged agent is credited to the source that decided (its ``bot_reason``).
Usage: python benchmarks/bot_accuracy.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from etl.logs.bots import sources
    from etl.logs.enrich import classify_user_agents
    from tests.bot_fixtures import browsers, crawlers

    print("sources: " + ", ".join(f"{s.reason} ({s.package} {s.version})" for s in sources()))
    sets = {f"crawlers from {name}": uas for name, uas in crawlers().items()} | {"browsers and in-app browsers":
                                                                                 browsers(every=1)}  # fmt: skip
    for label, uas in sets.items():
        started = time.perf_counter()
        infos = classify_user_agents(uas)
        seconds = time.perf_counter() - started
        flagged = [info.bot_reason for info in infos if info.is_bot]
        by = ", ".join(f"{reason} {count}" for reason, count in Counter(flagged).most_common())
        print(f"{label}: {len(uas):,} agents, {len(flagged) / len(uas):.1%} flagged ({by}); "
              f"{seconds / len(uas) * 1000:.3f} ms an agent")  # fmt: skip


if __name__ == "__main__":
    main()
