"""vcar subject: export or erase what the warehouse holds for one data subject."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, emit, say, settings
from etl.core.errors import ConfigError

subject_app = typer.Typer(help="Export or erase what the warehouse holds for one data subject.", no_args_is_help=True)


@subject_app.command("export")
def subject_export(
    email: Annotated[str | None, typer.Option(help="The subject's e-mail.")] = None,
    phone: Annotated[str | None, typer.Option(help="The subject's phone number.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the JSON here (mode 0600) instead of stdout.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Everything the warehouse holds for one subject, machine-readable (Art. 15 and 20)."""
    from etl.compliance.subject_rights import export
    from etl.core.keystore import write_private

    data = export(settings(), email=email, phone=phone)
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    if out is not None:
        write_private(out, text.encode("utf-8"))
        say(f"wrote {out}: {len(data['inquiries'])} inquiries, {len(data['rights_requests'])} rights requests")
    elif as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, default=str))
    else:
        typer.echo(text)


@subject_app.command("erase")
def subject_erase(
    email: Annotated[str | None, typer.Option(help="The subject's e-mail.")] = None,
    phone: Annotated[str | None, typer.Option(help="The subject's phone number.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Erase a subject (Art. 17): cut every link to them; counts stay as anonymous numbers."""
    from etl.compliance.subject_rights import erase

    if not yes:
        raise ConfigError("subject erase cannot be undone: add --yes to confirm")
    result = erase(settings(), email=email, phone=phone)
    emit(result, as_json, f"{result['subject']}: {result['inquiries_anonymized']} inquiries anonymized, "
                          f"{result['rights_requests_unlinked']} rights requests unlinked")
