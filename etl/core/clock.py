"""The product's one clock: every "now" and "today" of pages, the CLI, digests, promises, retention and sample
data comes from here, so the whole product can be run as of another moment.

``VCAR_NOW`` moves it, read by every process (the CLI, the dashboard server, a scheduled digest):

- an offset from the real clock: ``+400d``, ``-3h``, ``+2w``, ``+1d12h`` (units w, d, h, m, s); the clock goes on
  running, shifted;
- an ISO date-time: ``2027-01-05T09:00+08:00`` (with an offset or ``Z``), or without an offset in the reporting
  time zone (the ``timezone`` setting), or a bare date ``2027-01-05`` for that day's first moment there; the
  clock then stands still at that moment.

Security times are not the product's: sessions and lock-outs compare real moments (``wall``), so a dashboard run
as of last year neither keeps a session alive for ever nor locks a person out for good. Durations and timeouts
use ``time.monotonic``. ``tests/core/test_clock.py`` fails on any other read of the calendar in product code or SQL.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache

from etl.core.errors import ConfigError

ENV = "VCAR_NOW"
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_OFFSET = re.compile(r"^([+-])((?:\d+[wdhms])+)$")
_PART = re.compile(r"(\d+)([wdhms])")


def wall() -> dt.datetime:
    """The real moment, in UTC: only for security (sessions, lock-outs), never for what a report shows."""
    return dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The product's moment, in UTC: the real one, or the one ``VCAR_NOW`` sets."""
    shift, fixed = _setting(os.environ.get(ENV, "").strip())
    if fixed is None:
        return wall() + shift
    if fixed.tzinfo is None:
        fixed = fixed.replace(tzinfo=_zone[0])
    return fixed.astimezone(dt.UTC)


def local_now(tz: dt.tzinfo) -> dt.datetime:
    """The product's moment in the reporting time zone ``tz``."""
    return now().astimezone(tz)


def today(tz: dt.tzinfo) -> dt.date:
    """The product's day in the reporting time zone ``tz``."""
    return local_now(tz).date()


def naive_utc() -> dt.datetime:
    """The product's moment as the warehouse stores times: naive UTC."""
    return now().replace(tzinfo=None)


def moved() -> str | None:
    """What ``VCAR_NOW`` says, for a banner that tells the reader the clock is not the real one; None when unset."""
    raw = os.environ.get(ENV, "").strip()
    return raw or None


def check() -> None:
    """Fail at start, with one line, when ``VCAR_NOW`` cannot be read (ConfigError, exit 2)."""
    _setting(os.environ.get(ENV, "").strip())


@lru_cache(maxsize=16)
def _setting(raw: str) -> tuple[dt.timedelta, dt.datetime | None]:
    """(shift, fixed moment) for a ``VCAR_NOW`` value: an offset shifts the real clock, a date-time fixes it (naive
    when it names no offset: it is then read in the reporting time zone)."""
    if not raw:
        return dt.timedelta(0), None
    offset = _OFFSET.match(raw.replace(" ", ""))
    if offset:
        seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(offset.group(2)))
        try:
            shift = dt.timedelta(seconds=seconds if offset.group(1) == "+" else -seconds)
            (wall() + shift).isoformat()
        except OverflowError:
            raise ConfigError(f"{ENV}: {raw[:40]!r} moves the clock out of the calendar's range") from None
        return shift, None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise ConfigError(
            f"{ENV}: {raw[:40]!r} is neither an offset such as +400d or -3h nor an ISO date-time such as "
            "2027-01-05T09:00+08:00"
        ) from None
    return dt.timedelta(0), moment


def use_zone(tz: dt.tzinfo) -> None:
    """The reporting time zone a ``VCAR_NOW`` without an offset is read in: the settings give it as they load."""
    _zone[0] = tz


_zone: list[dt.tzinfo] = [dt.UTC]  # until settings are loaded
