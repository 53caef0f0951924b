"""The promises that China's laws add to the privacy policy's (``vcar promises``, Data & privacy).

Kept apart from ``etl/compliance/promises.py``, which appends them to its registry: each entry here has the same
fields as a ``Promise``; its check lives with the rule it rests on (transfers, log retention, assessments) and is
imported when it runs, so this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PROMISES: tuple[dict[str, str], ...] = (
    {
        "id": "cross_border_volume", "section": "3, 7", "regime": "pipl",
        "text": "Where data is processed in other regions, the transfer follows the law (PIPL Art. 38).",
        "evidence": "distinct individuals from China whose data the warehouse holds, counted from 1 January, against"
        " the Provisions on Cross-Border Data Flows (2024): exempt under 100,000, standard contract or certification"
        " to 1,000,000 (sensitive: from 1), security assessment above (sensitive: from 10,000)",
        "thresholds": "kept: the mechanism in use covers the count; at risk: over 80% of the next threshold, or a"
        " standard contract not filed; broken: the count needs more than the mechanism in use",
        "page": "Data & privacy",
    },
    {
        "id": "separate_transfer_consent", "section": "3, 7", "regime": "pipl",
        "text": "A transfer abroad is made with the individual's separate consent (PIPL Art. 39).",
        "evidence": "inquiries from China this year with a separate consent to the transfer (a separate_consent or"
        " transfer_consent column of the export); the form's one box is bundled",
        "thresholds": "kept: every inquiry sent abroad has one, or nothing leaves China; broken: any without",
        "page": "Inquiry funnel",
    },
    {
        "id": "raw_log_retention", "section": "1, 4", "regime": "both",
        "text": "Log data is kept as the law requires and no longer than needed.",
        "evidence": "the oldest raw log file of each log_folders folder: six months at least for a China site"
        " (Cybersecurity Law Art. 21), raw_log_max_days at most (GDPR Art. 5(1)(e), PIPL Art. 19)",
        "thresholds": "kept: every folder within its limits; at risk: the limits contradict; broken: a China site's"
        " logs younger than six months, or any folder's older than raw_log_max_days",
        "page": "Data & privacy",
    },
    {
        "id": "impact_assessments", "section": "3, 7", "regime": "pipl",
        "text": "Processing that needs a personal-information impact assessment has one (PIPL Art. 55-56).",
        "evidence": "per activity of the record: whether Art. 55 requires an assessment (a transfer abroad, sensitive"
        " data) and whether the register holds one that did not reject it",
        "thresholds": "kept: each required one exists; at risk: one past its next review; broken: one missing",
        "page": "Data & privacy",
    },
)


def _transfers(ctx: Any) -> Any:
    from etl.compliance.transfers import cross_border_volume

    return cross_border_volume(ctx)


def _consent(ctx: Any) -> Any:
    from etl.compliance.transfers import separate_transfer_consent

    return separate_transfer_consent(ctx)


def _logs(ctx: Any) -> Any:
    from etl.compliance.log_retention import raw_log_retention

    return raw_log_retention(ctx)


def _assessments(ctx: Any) -> Any:
    from etl.compliance.assessments import impact_assessments

    return impact_assessments(ctx)


CHECKS: dict[str, Callable[[Any], Any]] = {
    "cross_border_volume": _transfers,
    "separate_transfer_consent": _consent,
    "raw_log_retention": _logs,
    "impact_assessments": _assessments,
}
