"""The ``vcar`` command line: the app, its groups and commands, and the entry point. Exit codes: 0 success, 1 failure,
2 bad usage or configuration. With ``--json`` a command prints exactly one JSON document on stdout; people-facing
text goes to stderr."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import typer

from etl.cli.assessments import assessments_app
from etl.cli.common import say
from etl.cli.compliance import audit_app, inventory, promises, retention
from etl.cli.geoip import geoip_app
from etl.cli.ingest import ingest_app
from etl.cli.report import report_app
from etl.cli.rights import rights_app
from etl.cli.run import dashboard, demo, generate
from etl.cli.subject import subject_app
from etl.cli.summaries import digest, overview
from etl.cli.users import users_app
from etl.core.errors import VcarError
from etl.core.settings import load_settings

app = typer.Typer(
    help="vcar-insights: privacy-first web analytics, inquiry funnel and GDPR rights register.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help: a flag reads "--json", not "--json <bool>" (rich help gives every option a type)
    rich_markup_mode=None,
)

app.add_typer(ingest_app, name="ingest")
app.add_typer(report_app, name="report")
app.add_typer(rights_app, name="rights")
app.add_typer(subject_app, name="subject")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
app.add_typer(geoip_app, name="geoip")
app.add_typer(assessments_app, name="assessments")
app.command()(generate)
app.command()(dashboard)
app.command()(promises)
app.command()(inventory)
app.command()(digest)
app.command()(overview)
app.command()(retention)
app.command()(demo)


@app.callback()
def _check_settings() -> None:
    """Validate settings before any command runs: a wrong value stops here with one line and exit 2."""
    load_settings()


def _values_by_name(command: Any) -> Any:
    """Every argument and option that takes a value reads by its name in help (``--as-of AS_OF``, ``REQUEST_ID``),
    not by its Python type (``<str>``, ``<int range>``); flags read bare. Duck-typed: Typer vendors its own click."""
    for param in command.params:
        takes_value = param.param_type_name == "argument" or not param.is_flag
        if takes_value and param.metavar is None:
            param.metavar = (param.name or "value").upper()
        if param.param_type_name == "argument":  # Typer writes an argument's type after its name, metavar or not
            param.display_type_rich = lambda ctx: None
    for sub in getattr(command, "commands", {}).values():
        _values_by_name(sub)
    return command


def _is_click(exc: BaseException, name: str) -> bool:
    """Typer vendors its own click: match its exception classes by name, whichever click raised them."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def main() -> None:
    """Console-script entry: expected failures become one line on stderr and an exit code; with ``--json`` every
    outcome, errors included, is exactly one JSON document on stdout."""
    as_json = "--json" in sys.argv[1:]

    def fail(message: str, code: int, shown_already: bool = False) -> None:
        if not shown_already:
            say(message)
        if as_json:
            typer.echo(json.dumps({"error": message.removeprefix("vcar: error: "), "exit_code": code}))
        sys.exit(code)

    try:
        code = _values_by_name(typer.main.get_command(app))(standalone_mode=False, prog_name="vcar")
        sys.exit(code if isinstance(code, int) else 0)
    except VcarError as exc:
        fail(f"vcar: error: {exc}", exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        fail("vcar: aborted", 1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if _is_click(exc, "ClickException"):  # usage errors: Typer's usage message, exit 2
            exc.show()  # type: ignore[attr-defined]
            fail(exc.format_message(), exc.exit_code, shown_already=True)  # type: ignore[attr-defined]
        if os.environ.get("VCAR_DEBUG"):
            raise
        # The message may quote input data, so only its type is printed (VCAR_DEBUG=1 shows everything).
        fail(f"vcar: internal error ({type(exc).__name__}); re-run with VCAR_DEBUG=1 for details", 1)


if __name__ == "__main__":
    main()
