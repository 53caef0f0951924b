"""Bot detection measured on real user agents, per source: the share of its crawlers, monitors and fetchers that
are flagged (recall) and the share of its browsers that are flagged (false alarms).

The agents come from public test data (scripts/agent_fixtures.py; sources in tests/data/README.md). Each figure is
against the source's own label; ``decided otherwise`` counts the agents a row of the table of decisions
(etl/ingest/logs/agent_classes.py) puts on the other side on purpose (an Office link check or a download manager in a
crawler list, a podcast app or WhatsApp's link preview in a browser list), and the last column leaves them out.
Prints a markdown table (README's bot section holds it). Usage: python benchmarks/bot_accuracy.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rows() -> list[tuple[str, str, int, int, int, str]]:
    """(side, source, agents, flagged, decided otherwise, reasons) for every source."""
    from etl.ingest.logs.agent_classes import bot_rows, people_pattern
    from etl.ingest.logs.enrich import classify_user_agents
    from scripts.agent_fixtures import browsers, crawlers

    automated = "|".join(f"(?:{row.pattern})" for row in bot_rows())
    out = []
    for side, sets in (("bots", crawlers()), ("people", browsers(every=1))):
        for source, uas in sets.items():
            infos = classify_user_agents(uas)
            flagged = [info.bot_reason for info in infos if info.is_bot]
            wrong = [ua for ua, info in zip(uas, infos, strict=True) if info.is_bot != (side == "bots")]
            other = people_pattern() if side == "bots" else automated
            decided = sum(bool(re.search(other, ua)) for ua in wrong)
            reasons = ", ".join(f"{reason} {n}" for reason, n in Counter(flagged).most_common(4))
            out.append((side, source, len(uas), len(flagged), decided, reasons))
    return out


def table(measured: list[tuple[str, str, int, int, int, str]]) -> str:
    lines = ["| source | agents | flagged | decided otherwise | without those | flagged by (first four) |",
             "|---|---:|---:|---:|---:|---|"]
    for side, source, n, flagged, decided, reasons in measured:
        if side == "bots":
            kept = n - decided
            figure, rest = f"recall {flagged / n:.1%}", f"recall {flagged / kept:.1%}" if kept else "-"
        else:
            kept = n - decided
            figure = f"false alarms {flagged / n:.2%}"
            rest = f"false alarms {(flagged - decided) / kept:.2%}" if kept else "-"
        lines.append(f"| {side}: {source} | {n:,} | {figure} | {decided} | {rest} | {reasons} |")
    return "\n".join(lines)


def main() -> None:
    from etl.ingest.logs.bots import sources

    print("sources: " + ", ".join(f"{s.reason} ({s.package} {s.version})" for s in sources()))
    print(table(rows()))


if __name__ == "__main__":
    main()
