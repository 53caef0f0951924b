"""Two laws, one register: which law a data subject is under, its rights and its clock.

The company sells in China and Europe. A subject in mainland China is under the PIPL, one in the EEA under the
GDPR, one whose country is not known under both (the ``regimes`` setting says so, and may also name a channel:
``channel:web_form``). A country rule and a channel rule that name different laws give ``both``.

- Rights: the GDPR's list (Art. 15-22, 7(3)); the PIPL's adds an **explanation** of the processing rules
  (Art. 48), which the GDPR list lacks.
- Clocks: the GDPR's one month (Art. 12(3), extendable by two); the PIPL asks for an answer "in a timely manner"
  (Art. 50) with no number of days, and China's regulators treat 15 working days as the longest acceptable (the
  privacy policy promises the same): counted on China's calendar, with its make-up working days, and not
  extended. Under both, the earlier date is acted on.
- A legal hold: the Cybersecurity Law (Art. 21) wants network logs kept at least six months. An erasure under the
  PIPL while raw logs of a China site are kept (``log_folders``) is restricted until six months after receipt,
  not refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import lru_cache
from typing import Any

from etl.compliance import deadlines
from etl.compliance.findings import EEA
from etl.core.errors import InputError
from etl.core.settings import REGIMES, Settings, calendar_for

GDPR_TYPES = ("access", "rectification", "erasure", "restriction", "portability", "objection", "withdraw_consent")
PIPL_TYPES = (*GDPR_TYPES, "explanation")  # Art. 44-48 and 15; explanation: Art. 48
RIGHTS = {"gdpr": GDPR_TYPES, "pipl": PIPL_TYPES, "both": PIPL_TYPES}
PIPL_WORKING_DAYS = 15
LOG_HOLD_MONTHS = 6  # Cybersecurity Law Art. 21
CHINA = "CN"  # mainland China; Hong Kong, Macao and Taiwan have their own codes and laws


def regime_of(cfg: Settings, country: str | None, channel: str | None = None) -> str:
    """The law a subject is under, from the ``regimes`` rules: by country (a code, ``EEA``, ``other``,
    ``unknown``), then by channel (``channel:<name>``); two rules naming different laws give ``both``."""
    rules = {key.upper() if len(key) == 2 else key: value for key, value in cfg.regimes.items()}
    code = (country or "").strip().upper()
    if not code or code == "UNKNOWN":
        by_country = rules.get("unknown")
    else:
        by_country = rules.get(code) or (rules.get("EEA") if code in EEA else None) or rules.get("other")
    by_channel = rules.get(f"channel:{channel}") if channel else None
    found = {r for r in (by_country, by_channel) if r}
    if not found:
        return "both"  # no rule: both laws, the stricter clock
    return found.pop() if len(found) == 1 else "both"


def country_code(value: str | None, error: type[Exception] = ValueError) -> str | None:
    """An ISO 3166-1 alpha-2 code in capitals, or None when not given or "unknown"; ``error`` when malformed."""
    code = (value or "").strip().upper()
    if not code or code == "UNKNOWN":
        return None
    if len(code) != 2 or not code.isalpha():
        message = f"{code[:20]!r} is not an ISO 3166-1 alpha-2 country code (e.g. CN, DE)"
        raise error("country", message) if error is not ValueError else ValueError(f"country {message}")
    return code


def of_request(request: Any, cfg: Settings) -> str:
    """A request's regime: as recorded, or (a request registered before regimes were) from its country and
    channel."""
    return under(request.regime) if request.regime else regime_of(cfg, request.country, request.channel)


def check_type(type_: str, regime: str) -> str | None:
    """Why ``type_`` is not a right under ``regime`` (None when it is)."""
    if type_ in RIGHTS[regime]:
        return None
    if type_ in PIPL_TYPES:
        return f"{type_} is a PIPL right (Art. 48) and this subject is under the {regime.upper()} only"
    return f"{type_[:30]!r} is not one of {', '.join(RIGHTS[regime])}"


def check_extension(request: Any, cfg: Settings) -> None:
    """The PIPL knows no extension: a request under it alone is answered within its 15 working days."""
    if of_request(request, cfg) == "pipl":
        raise InputError(f"{request.request_id}: no extension under the PIPL (Art. 50: in a timely manner; 15 "
                         "working days at the longest)")


@lru_cache(maxsize=1)
def china_calendar() -> list:
    """Built once per process: a holiday calendar is costly to make."""
    return [calendar_for(CHINA)]


def pipl_deadline(start: dt.date) -> dt.date:
    """The 15th working day after ``start`` on China's calendar (``start`` not counted; make-up days count)."""
    return deadlines.add_business_days(start, PIPL_WORKING_DAYS, china_calendar())


def under(regime: str | None) -> str:
    return regime if regime in REGIMES else "both"


def under_regime(d: deadlines.Deadlines, regime: str, status: str, closed: dt.date | None, as_of: dt.date,
          calendars: list) -> deadlines.Deadlines:
    """The GDPR dates ``d`` of a request judged under its ``regime``: the PIPL's date alone (no statutory month,
    no extension), or the earlier of the two under both."""
    start = d.clock_start
    if regime == "gdpr" or start is None:
        return d
    pipl = pipl_deadline(start)
    china = china_calendar()
    if regime == "pipl":
        deadline, legal, on = pipl, pipl, china
        d = dataclasses.replace(d, statutory_deadline=None, extended_deadline=None)
    else:
        deadline, on = min(d.deadline or pipl, pipl), [*calendars, *china]
        legal = min(d.legal_deadline or pipl, pipl)
    days_left, business_left, state = deadlines.judge(deadline, status, closed, as_of, on)
    legal_left, _, legal_state = deadlines.against_law(legal, status, closed, as_of, on)
    provisional = d.provisional or deadlines.provisional_reason(start, pipl, china)
    return dataclasses.replace(d, deadline=deadline, days_left=days_left, business_days_left=business_left,
                               sla_state=state, provisional=provisional, pipl_deadline=pipl, legal_deadline=legal,
                               legal_days_left=legal_left, legal_state=legal_state)


def held_logs(cfg: Settings) -> list[str]:
    """The configured raw-log folders of a site under the PIPL (kept six months by law)."""
    return sorted(folder for folder, regime in cfg.log_folders.items() if regime in ("pipl", "both"))


def restricted_until(request: Any, received: dt.date, cfg: Settings) -> dt.date | None:
    """For an erasure under the PIPL while a China site's raw logs are kept: the day the last log that may hold the
    subject (written by the day of the request) may go, six months on (Cybersecurity Law Art. 21). Until then
    those logs are restricted (kept, not used), the rest erased."""
    if request.type != "erasure" or under(request.regime) == "gdpr" or not held_logs(cfg):
        return None
    return deadlines.add_months(received, LOG_HOLD_MONTHS)
