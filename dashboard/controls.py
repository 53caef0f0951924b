"""Global controls of the analytics pages: date range with presets, comparison period, filters; kept in the URL.

The periods themselves (presets, comparison periods, when a change is shown) are etl/reporting/periods.py's. The
pure half (``from_query``, ``to_query``) is tested without Streamlit; ``view_controls``
draws the widgets and writes the state back to ``st.query_params`` so a view can be shared as a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from dashboard.tables import literal
from etl.core.metrics import FILTERS, INQUIRY_FILTERS, label, normalize_filter
from etl.reporting import periods
from etl.reporting.formatting import choice
from etl.reporting.periods import COMPARISONS, PRESETS, comparison_range, preset_range

SHARED_VIEW = "shared_view"  # session key: the last analytics view, for the next analytics page
SERIES = {"hour": "Hour", "day": "Day", "week": "Week", "month": "Month"}  # the usage chart's grains


@dataclass(frozen=True)
class View:
    preset: str
    start: dt.date
    end: dt.date
    compare: str
    filters: dict[str, str] = field(default_factory=dict)
    series: str = "day"  # the grain of the usage chart (its "Series by" control)
    unusable: str | None = None  # why the link's own dates were not used (the default period is shown instead)

    @property
    def comparison(self) -> tuple[dt.date, dt.date] | None:
        return comparison_range(self.start, self.end, self.compare)


def choices_start(first_day: dt.date, today: dt.date) -> dt.date:
    """Where the filters' choices are collected from: every day with data, and at least the 400 days that a
    preset and its comparison with the same period last year can reach."""
    return min(first_day, today - dt.timedelta(days=400))


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def from_query(query: Mapping[str, str], today: dt.date, filters: tuple[str, ...]) -> View:
    """The view a URL describes; anything malformed falls back to the default (last 30 days, previous period)."""
    preset = query.get("range", "last30")
    preset = preset if preset in PRESETS else "last30"
    if preset == "custom":
        asked_start, asked_end = _date(query.get("from")), _date(query.get("to"))
        unusable = ("they are not dates (YYYY-MM-DD)" if asked_start is None or asked_end is None
                    else "the end is before the start" if asked_end < asked_start
                    else "they are all in the future" if asked_start > today else None)
        if unusable or asked_start is None or asked_end is None:
            preset, (start, end) = "last30", preset_range("last30", today)
        else:  # a link made with a later end (or in another time zone) asks for days yet to come
            start, end = asked_start, min(asked_end, today)
    else:
        start, end = preset_range(preset, today)
        unusable = None
    compare = query.get("compare", "previous")
    compare = compare if compare in COMPARISONS else "previous"
    typed = {name: normalize_filter(name, query[name][:200]) for name in filters if query.get(name)}
    chosen = {name: value for name, value in typed.items() if value}
    series = query.get("series", "day")
    return View(preset, start, end, compare, chosen, series if series in SERIES else "day", unusable)


def to_query(view: View) -> dict[str, str]:
    out = {"range": view.preset, "compare": view.compare}
    if view.preset == "custom":
        out |= {"from": view.start.isoformat(), "to": view.end.isoformat()}
    if view.series != "day":
        out["series"] = view.series
    return out | view.filters


def comparable(view: View, first: dt.date | None, last: dt.date | None, today: dt.date) -> bool:
    """Whether the view's tiles show a change: whole periods, the comparison period covered by data
    (etl/reporting/periods.py decides, for every page, the Overview and the CLI alike)."""
    return periods.comparable(view.start, view.end, view.compare, today, first, last)


def comparison_note(view: View, first: dt.date | None, last: dt.date | None, today: dt.date) -> str | None:
    """The words under the tiles: against which dates the changes are, or why there are none."""
    return periods.comparison_note(view.start, view.end, view.compare, today, first, last)


def coverage_note(view: View, first: dt.date | None, last: dt.date | None) -> str | None:
    """When only part of the period has data: which part (so a low count is not read as a drop)."""
    if first is None or last is None or (first <= view.start and view.end <= last):
        return None
    if view.end < first or view.start > last:
        return None  # nothing at all: empty_notice says so
    return f"Data covers only {max(first, view.start)} – {min(last, view.end)} of this period."


def empty_notice(page_key: str, view: View, what: str, first: dt.date | None, last: dt.date | None) -> None:
    """Say that the view holds no data and why, with a button to where data is: the whole range that has data,
    or the period without the filters."""
    import streamlit as st

    if view.filters:
        chosen = ", ".join(f"{label(k)} {literal(choice(k, v))}" for k, v in view.filters.items())
        st.info(f"No {what} match {chosen} between {view.start} and {view.end}.")
        st.button("Clear the filters", key=f"{page_key}-clear", on_click=_clear_filters, args=(page_key, view))
    elif first is not None and last is not None:
        st.info(f"No {what} between {view.start} and {view.end}; data exists from {first} to {last}.")
        st.button(f"Show {first} – {last}", key=f"{page_key}-jump", on_click=_jump, args=(page_key, first, last))


def _jump(page_key: str, start: dt.date, end: dt.date) -> None:
    import streamlit as st

    st.session_state[f"{page_key}-preset"] = "custom"
    st.session_state[f"{page_key}-dates"] = (start, end)
    st.query_params.update({"range": "custom", "from": start.isoformat(), "to": end.isoformat()})


def _clear_filters(page_key: str, view: View) -> None:
    import streamlit as st

    for name in view.filters:
        st.session_state[f"{page_key}-{name}"] = "All"
        del st.query_params[name]


def carried_view(url_path: str) -> dict[str, str] | None:
    """The query a sidebar link to an analytics page carries: the last analytics view (or the default one), cut to
    what that page reads. The page then finds its view in the URL and writes none, so the link makes one history
    entry and one Back returns from it. None for the other pages."""
    import streamlit as st

    keys = {"usage": (*FILTERS, "series"), "inquiries": INQUIRY_FILTERS}.get(url_path)
    if keys is None:
        return None
    shared = st.session_state.get(SHARED_VIEW) or {"range": "last30", "compare": "previous"}
    return {key: value for key, value in shared.items() if key in ("range", "compare", "from", "to", *keys)}


def view_controls(page_key: str, today: dt.date, options: Mapping[str, list[str]]) -> View:
    """Draw the range, comparison and filter widgets (state from and back to the URL); return the chosen view."""
    import streamlit as st

    filters = tuple(options)
    # The URL wins (a shared link, a refresh); a sidebar link carries no query, so the view chosen on the last
    # analytics page (period, comparison, the filters both pages have) comes along instead.
    query = st.query_params.to_dict() or st.session_state.get(SHARED_VIEW, {})
    initial = from_query(query, today, filters)
    if initial.unusable:  # said in our words: the link's own text is not repeated on the page
        st.warning(f"The dates in this link could not be used ({initial.unusable}): showing the last 30 days.")
    written = st.session_state.get(f"{page_key}-written")
    if written is not None and st.query_params.to_dict() and st.query_params.to_dict() != written:
        # The address changed under the page (Back, Forward, a link): its view, not the widgets' last values. Set,
        # not removed, so that the browser is told too (it keeps a removed widget's value).
        st.session_state[f"{page_key}-preset"] = initial.preset
        st.session_state[f"{page_key}-compare"] = initial.compare
        st.session_state[f"{page_key}-grain"] = SERIES[initial.series]
        if initial.preset == "custom":
            st.session_state[f"{page_key}-dates"] = (initial.start, initial.end)
        for name in filters:
            st.session_state[f"{page_key}-{name}"] = initial.filters.get(name, "All")
    top = st.columns([2, 3, 2])
    keys = list(PRESETS)
    preset = top[0].selectbox("Period", keys, index=keys.index(initial.preset), format_func=PRESETS.__getitem__,
                              key=f"{page_key}-preset")
    preset = preset or initial.preset
    if preset == "custom":
        chosen = top[1].date_input("Dates", (initial.start, initial.end), max_value=today, key=f"{page_key}-dates")
        start, end = chosen if isinstance(chosen, tuple) and len(chosen) == 2 else (initial.start, initial.end)
    else:
        start, end = preset_range(preset, today)
        # keyed by the range itself: a widget with a fixed key keeps its first value, whatever the preset says
        top[1].text_input("Dates", f"{start} – {end}", disabled=True, key=f"{page_key}-shown-{start}-{end}")
    modes = list(COMPARISONS)
    compare = top[2].selectbox("Compare with", modes, index=modes.index(initial.compare),
                               format_func=COMPARISONS.__getitem__, key=f"{page_key}-compare")
    compare = compare or initial.compare
    chosen_filters: dict[str, str] = {}
    row = st.columns(len(filters)) if filters else []
    for col, name in zip(row, filters, strict=True):
        values = ["All", *options[name]]
        current = initial.filters.get(name)
        country = chosen_filters.get("country")
        if name == "region" and country:  # the regions of the chosen country only (ISO 3166-2: CN-GD in CN)
            values = ["All", *(v for v in options[name] if v.startswith(f"{country}-"))]
            if current and not current.startswith(f"{country}-"):
                current = None
                st.session_state[f"{page_key}-region"] = "All"  # told to the browser too (a pop was not)
        if current and current not in values:
            values.append(current)  # a shared link may name a value outside this range's top list
        picked = col.selectbox(label(name), values, index=values.index(current) if current else 0,
                               key=f"{page_key}-{name}", format_func=partial(_choice_shown, name))
        if picked != "All":
            chosen_filters[name] = picked
    view = View(preset, start, end, compare, chosen_filters, initial.series)
    wanted = to_query(view)
    st.session_state[SHARED_VIEW] = wanted
    st.session_state[f"{page_key}-written"] = wanted
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    return view


def _choice_shown(name: str, value: str) -> str:
    """A filter's choice as the tables show it ("China (CN)", "Mobile"); "All" as it is."""
    return value if value == "All" else choice(name, value)


def series_control(page_key: str, view: View) -> str:
    """The "Series by" control of a chart, its grain kept in the URL with the rest of the view (``series``)."""
    import streamlit as st

    labels = list(SERIES.values())
    picked = st.segmented_control("Series by", labels, default=SERIES[view.series], key=f"{page_key}-grain",
                                  on_change=_series_changed, args=(page_key,))
    return next((key for key, shown in SERIES.items() if shown == picked), view.series)


def _series_changed(page_key: str) -> None:
    """Before the rerun: the new grain goes into the URL, so ``view_controls`` reads it and writes it back."""
    import streamlit as st

    picked = st.session_state.get(f"{page_key}-grain")
    grain = next((key for key, shown in SERIES.items() if shown == picked), "day")
    if grain == "day":
        st.query_params.pop("series", None)
    else:
        st.query_params["series"] = grain
    st.session_state[f"{page_key}-written"] = st.query_params.to_dict()  # our change, not the browser's
    shared = dict(st.session_state.get(SHARED_VIEW, {}))
    shared.pop("series", None)
    st.session_state[SHARED_VIEW] = shared | ({"series": grain} if grain != "day" else {})
