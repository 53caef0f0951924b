"""What a promise check returns and reads: the four statuses and their order of severity, a finding with its
evidence, the context a check runs in, and the country groups the transfer rules name (the EEA, and the countries
with an EU adequacy decision). Every check of etl/compliance/promises.py and of the PIPL's promises builds on this
module and on nothing of theirs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from etl.core.settings import Settings

KEPT, AT_RISK, BROKEN, NOT_CHECKED = "kept", "at_risk", "broken", "not_checked"
STATUSES = (KEPT, AT_RISK, BROKEN, NOT_CHECKED)
SEVERITY = {KEPT: 0, NOT_CHECKED: 0, AT_RISK: 1, BROKEN: 2}

# EU member states and the rest of the EEA (ISO 3166-1 alpha-2): where EU rules on transfers do not apply.
EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
    "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
})
# Countries with an EU adequacy decision (GDPR Art. 45) for private processors: data may go there like within the
# EU. The United States' decision covers only certified companies, so it is not listed.
ADEQUATE = frozenset({"AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"})


@dataclass(frozen=True)
class Finding:
    status: str
    summary: str  # the evidence in words
    evidence: dict[str, Any]


@dataclass(frozen=True)
class Context:
    cfg: Settings
    as_of: dt.date
    con: Any  # a read-only warehouse connection
    read: dict[str, Any] = field(default_factory=dict)  # what the checks of one evaluation share, read once
