"""vcar assessments: the register of personal-information impact assessments (PIPL Art. 55-56)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, emit, parse_date, say, settings, with_warehouse
from etl.core.words import as_words, text_table

assessments_app = typer.Typer(help="Personal-information impact assessments (PIPL Art. 55-56), kept three years.",
                              no_args_is_help=True)


@assessments_app.command("add")
def assessments_add(
    activity: Annotated[str, typer.Option(help="web_analytics | inquiries | rights_requests | staff_and_audit")],
    assessed: Annotated[str, typer.Option(help="Day of the assessment (YYYY-MM-DD).")],
    conclusion: Annotated[str, typer.Option(help="approved | approved_with_measures | rejected")],
    next_review: Annotated[str, typer.Option(help="Day it is to be reviewed (YYYY-MM-DD).")],
    summary: Annotated[str | None, typer.Option(help="The findings in a few words (no personal data).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Register an impact assessment of a processing activity."""
    from etl.compliance.assessments import add

    row = add(settings(), activity=activity, assessed_on=parse_date(assessed, "--assessed"), conclusion=conclusion,
              next_review=parse_date(next_review, "--next-review"), summary=summary)
    emit(row, as_json,
         f"{row['assessment_id']}: {as_words(activity)}, {as_words(conclusion)}, next review {next_review}")


@assessments_app.command("list")
def assessments_list(as_json: JsonFlag = False) -> None:
    """The register of impact assessments, newest first."""
    from etl.compliance.assessments import listing

    rows = listing(with_warehouse())
    if as_json:
        typer.echo(json.dumps({"assessments": rows}, ensure_ascii=False, default=str))
        return
    lines = [[r["assessment_id"], r["activity"], str(r["assessed_on"]), r["conclusion"], str(r["next_review"])]
             for r in rows]
    say("\n".join(text_table(["Assessment", "Activity", "Assessed", "Conclusion", "Next review"], lines)) if rows
        else "no impact assessment registered")
