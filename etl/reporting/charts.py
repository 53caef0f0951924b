"""What the dashboard's charts draw, decided here so that pages only hand it to plotly: one colour per series
whatever the view, a period that is not complete drawn dotted (never read as a dip), the funnel's labels and the
district breakdown's bars.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from etl.compliance.deadlines import urgency
from etl.core.metrics import label
from etl.core.words import percent
from etl.reporting.formatting import display

# Streamlit's own categorical colours, given to each series for good: visits are light blue in the hourly view
# as in the daily one (a chart's default colours go by the order of its series, and the hourly one has no visitors)
PALETTE = ("#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0",
           "#d5dae5")
SERIES_COLOURS = {"visitors": PALETTE[0], "visits": PALETTE[1], "pageviews": PALETTE[2], "requests": PALETTE[4],
                  "bot_requests": PALETTE[6], "inquiries_per_1000_visitors": PALETTE[4],
                  "overdue": PALETTE[2]}
PARTIAL_DASH, PARTIAL_COLOUR, PARTIAL_OPACITY = "dot", "#808495", 0.35


def colours(values: Iterable[str | None] = (), known: Sequence[str] = ()) -> dict[str, str]:
    """A colour for each value (and each of ``known``) that stays the same in every chart and view: by its place in
    ``known`` (a fixed set, such as the request types), else by a hash of the value itself."""
    out = {}
    for value in [*known, *values]:
        if value is None:
            continue
        place = known.index(value) if value in known else zlib.crc32(value.encode("utf-8"))
        out[value] = PALETTE[place % len(PALETTE)]
    return out


# A request's bar by the worse of its two clocks (etl/compliance/deadlines.py ``urgency``): only a legally overdue
# one is red; past the promise orange, at risk yellow, on track green, paused grey.
URGENCY_COLOURS = (PALETTE[2], PALETTE[6], PALETTE[7], PALETTE[4], PALETTE[9])
# The same order as row tints of a table; a closed request is left untinted-grey.
URGENCY_TINTS = ("#f8d0d0", "#fde2c4", "#fdf3c4", "#d8f0dc", "#e4e4ec", "#f4f4f6")


def clock_colours(rows: Iterable[dict[str, Any]], palette: Sequence[str] = URGENCY_COLOURS) -> dict[str, str]:
    """The colour of each request's "both clocks" words (``clocks`` of a register row) by its urgency."""
    return {r["clocks"]: palette[min(urgency(r["promise_state"], r["legal_state"]), len(palette) - 1)] for r in rows}


def series_lines(rows: list[dict[str, Any]], measures: Sequence[str]) -> list[dict[str, Any]]:
    """The lines of a series chart (rows of ``etl.reporting.reports.usage_series``, each with ``partial``): per measure,
    its complete periods as a solid line in the measure's colour, and each run of partial periods at either end as a
    dotted line joined to its complete neighbour. Traces: name, colour, dash, x, y, legend (shown once per measure)."""
    traces: list[dict[str, Any]] = []
    full = [i for i, r in enumerate(rows) if not r["partial"]]
    first, last = (full[0], full[-1]) if full else (len(rows), len(rows) - 1)
    pieces = [("solid", range(first, last + 1))] if full else []
    if first > 0:  # partial periods before the first complete one (a week the chosen dates cut)
        pieces.append((PARTIAL_DASH, range(0, min(first + 1, len(rows)))))
    if last < len(rows) - 1:  # the current day, week or month, still going
        pieces.append((PARTIAL_DASH, range(max(last, 0), len(rows))))
    for measure in measures:
        shown = False
        for dash, span in pieces:
            traces.append({"name": label(measure), "colour": SERIES_COLOURS[measure], "dash": dash,
                           "x": [rows[i]["period"] for i in span], "y": [rows[i][measure] for i in span],
                           "legend": not shown})
            shown = True
    if any(dash == PARTIAL_DASH for dash, _ in pieces):  # last: the legend says what dotted means
        traces.append({"name": "Partial period", "colour": PARTIAL_COLOUR, "dash": PARTIAL_DASH,
                       "x": [rows[0]["period"]], "y": [None], "legend": True})
    return traces


def clock_change_note(rows: list[dict[str, Any]]) -> str | None:
    """The words under an hourly chart when the clocks went back in it: that hour has two points at one time."""
    twice = [r["period"] for r in rows if r.get("fold")]
    if not twice:
        return None
    hours = ", ".join(f"{p:%Y-%m-%d %H:00}" for p in twice)
    return f"The clocks went back: {hours} happened twice (summer time, then standard time), drawn at one time."


_TICKS = {"hour": "%Y-%m-%d %H:%M", "day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%b %Y"}
_STEP = {"hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1), "week": dt.timedelta(days=7),
         "month": dt.timedelta(days=31)}


def time_axis(rows: list[dict[str, Any]], grain: str, key: str = "period") -> dict[str, Any]:
    """Layout of a series chart's time axis: ticks that name the grain's periods, and, when the series has one
    period (a single day chosen, a first day of data), a range of a period either side of it, where plotly would
    zoom to milliseconds around the lone point. The series are counts, so the y-axis starts at zero: a small
    dip does not fill the chart."""
    axis: dict[str, Any] = {"xaxis_type": "date", "xaxis_tickformat": _TICKS.get(grain, "%Y-%m-%d"),
                            "yaxis_rangemode": "tozero"}
    periods = {r[key] for r in rows}
    if len(periods) == 1:
        (only,) = periods
        if isinstance(only, str):  # a report's rows for JSON carry ISO text
            only = dt.datetime.fromisoformat(only)
        moment = only if isinstance(only, dt.datetime) else dt.datetime.combine(only, dt.time())
        step = _STEP.get(grain, dt.timedelta(days=1))
        tick = "M1" if grain == "month" else step.total_seconds() * 1000  # plotly: months by name, else ms
        axis |= {"xaxis_range": [moment - step, moment + step], "xaxis_dtick": tick}
    return axis


def partial_note(rows: list[dict[str, Any]], grain: str, drawn: str = "Dotted", key: str = "period") -> str | None:
    """The words under a series chart when a period is drawn apart (``drawn``: how)."""
    partial = [r[key] for r in rows if r["partial"]]
    if not partial:
        return None
    formats = {"hour": "{:%Y-%m-%d %H:00}", "day": "{:%Y-%m-%d}", "week": "the week of {:%Y-%m-%d}",
               "month": "{:%B %Y}"}
    named = ", ".join(str(p) if isinstance(p, str) else formats[grain].format(p) for p in partial)
    return f"{drawn}: {named}, not over yet or only partly inside the chosen dates, so not comparable with the rest."


def partial_opacity(rows: list[dict[str, Any]]) -> list[float]:
    """Each bar's opacity: a partial period is drawn pale."""
    return [PARTIAL_OPACITY if r["partial"] else 1.0 for r in rows]


def funnel_texts(steps: list[dict[str, Any]]) -> list[str]:
    """Each funnel step's label on the chart: its count, and from the second step on its share of the previous
    step, said in words ("2,373 (27.3% of the previous step)")."""
    return [display(s["metric"], s["value"]) + ("" if s["of_previous"] is None else
            f" ({percent(s['of_previous'])} of the previous step)") for s in steps]


def district_bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The district breakdown (``etl.reporting.reports.district_breakdown``) as horizontal bars grouped by region,
    biggest first from the top: the two levels of the axis, the values, the labels and a colour per region. The other
    regions, one sum bigger than any district, are left out of the bars and named in ``note``."""
    drawn = [r for r in rows if r["district"] is not None]
    rest = [r for r in rows if r["district"] is None]
    ordered = list(reversed(drawn))  # plotly draws the first bar at the bottom
    regions = colours(known=list(dict.fromkeys(r["region_name"] for r in drawn)))  # one colour each, by rank
    return {
        "y": [[r["region_name"] for r in ordered], [r["district"] for r in ordered]],
        "x": [r["inquiries"] for r in ordered],
        "text": [
            f"{display('inquiries', r['inquiries'])} ({percent(r['share_of_region'])} of the region)" for r in ordered
        ],
        "colours": [regions[r["region_name"]] for r in ordered],
        "height": 80 + 22 * len(ordered),
        "note": "; ".join(
            f"{r['region_name']}: {display('inquiries', r['inquiries'])} inquiries, not drawn" for r in rest
        ),
    }
