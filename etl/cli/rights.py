"""vcar rights: the data-subject rights register (import, add, update, list as it stood on a day)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, as_of_day, emit, parse_date, say, settings, with_warehouse
from etl.core.words import as_words, plural, text_table

rights_app = typer.Typer(help="The data-subject rights register (GDPR Art. 15-22) and its deadlines.",
                         no_args_is_help=True)


@rights_app.command("import")
def rights_import(
    path: Annotated[Path, typer.Argument(help="A register export (CSV or JSON Lines) keyed by request_id.")],
    as_json: JsonFlag = False,
) -> None:
    """Import requests; a re-import of the same file changes nothing (idempotent by request_id)."""
    from etl.ingest.rights import import_requests

    stats = import_requests(settings(), path)
    emit(stats.as_dict(), as_json, stats.summary())


@rights_app.command("add")
def rights_add(
    type_: Annotated[
        str,
        typer.Option(
            "--type",
            help="access | rectification | erasure | restriction | portability | objection | withdraw_consent"
            " | explanation (PIPL Art. 48)",
        ),
    ],
    received: Annotated[str, typer.Option(help="Day of receipt (YYYY-MM-DD).")],
    email: Annotated[str | None, typer.Option(help="The subject's e-mail (stored only as a keyed hash).")] = None,
    phone: Annotated[str | None, typer.Option(help="The subject's phone (stored only as a keyed hash).")] = None,
    channel: Annotated[str, typer.Option(help="email | web_form | phone | post | in_person | other")] = "email",
    country: Annotated[str | None, typer.Option(help="The subject's country (ISO 3166-1, e.g. CN): its law.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Register a new request; prints its id, its law (gdpr, pipl or both) and deadlines."""
    from etl.compliance import rights

    cfg = settings()
    request = rights.add(cfg, type_=type_, received=parse_date(received, "--received"), email=email, phone=phone,
                         channel=channel, country=country)
    row = rights.describe(request, cfg, as_of_day(None, cfg))
    emit(
        row,
        as_json,
        f"{request.request_id}: {as_words(type_)} under {row['regime'].upper()},"
        f" due {row['due_date'] or 'when the identity is verified'}, legal "
        f"deadline {row['statutory_deadline'] or row['pipl_deadline'] or 'when the identity is verified'}",
    )


@rights_app.command("update")
def rights_update(
    request_id: Annotated[str, typer.Argument(help="The request id, e.g. DSR-2026-0007.")],
    status: Annotated[
        str | None, typer.Option(help="awaiting_identity | in_progress | extended | completed | rejected | withdrawn")
    ] = None,
    identity_verified: Annotated[str | None, typer.Option(help="Day the identity was verified (YYYY-MM-DD).")] = None,
    extend: Annotated[bool, typer.Option("--extend", help="Extend by two months (told the subject today).")] = False,
    reason: Annotated[
        str | None, typer.Option(help="Why it is extended or rejected (required with --extend and --status rejected).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note; e-mails and numbers in it are masked.")] = None,
    owner: Annotated[
        str | None, typer.Option(help='Who answers it: a compliance or admin account (vcar users list); "" for nobody.')
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Move a request along its lifecycle; refused when the transition or the extension is not allowed."""
    from etl.compliance import rights

    cfg = settings()
    verified = parse_date(identity_verified, "--identity-verified") if identity_verified else None
    request = rights.update(cfg, request_id, status=status, identity_verified=verified, extend=extend, reason=reason,
                            note=note, owner=owner)
    row = rights.describe(request, cfg, as_of_day(None, cfg))
    deadline = row["deadline"] or "none while the identity is awaited"
    emit(row, as_json, f"{request_id}: {as_words(row['status'])}, {row['clocks']}, deadline {deadline}, owner "
                       f"{row['owner'] or 'nobody'}")


@rights_app.command("list")
def rights_list(
    open_only: Annotated[bool, typer.Option("--open", help="Only requests not yet closed.")] = False,
    as_of: Annotated[
        str | None, typer.Option(help="The register as it stood at the end of this day (YYYY-MM-DD; default today).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The register, most urgent first, on two clocks: the promise (due in 15 business days) and the legal
    deadline in force (one month, three after an extension, or the PIPL's 15 working days)."""
    from etl.compliance.rights import legal_standing, listing, provisional_note

    cfg = with_warehouse()
    day = as_of_day(as_of, cfg)
    rows = listing(cfg, as_of=day, open_only=open_only)
    if as_json:
        typer.echo(json.dumps({"as_of": day.isoformat(), "requests": rows}, ensure_ascii=False, default=str))
        return
    say(f"as of {day}: {plural(len(rows), 'request')}, most urgent first")
    if rows:
        headers = ["Request", "Law", "Type", "Status", "Both clocks", "Promise due", "Legal deadline in force",
                   "Legally", "Owner"]
        lines = [[r["request_id"], r["regime"].upper(), as_words(r["type"]), as_words(r["status"]), r["clocks"],
                  str(r["due_date"] or ""), str(r["legal_deadline"] or ""), legal_standing(r), r["owner"] or ""]
                 for r in rows]
        say("\n".join(f"  {line}" for line in text_table(headers, lines)))
        note = provisional_note(rows)
        if note:
            say(note)
