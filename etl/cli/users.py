"""vcar users: the dashboard's local accounts."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, emit, settings

users_app = typer.Typer(
    help="Manage dashboard accounts (stored as argon2 hashes in secrets_dir).", no_args_is_help=True
)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[str, typer.Option(help="marketing | manager | compliance | admin")],
    replace: Annotated[bool, typer.Option(help="Reset the password of an existing user.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add a dashboard user. Prompts for the password, or reads it from stdin when stdin is not a terminal."""
    cfg = settings()
    from etl.access.accounts import add_user

    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    user = add_user(cfg.secrets_dir, name, role, password, replace=replace)
    from etl.compliance import audit

    audit.record(cfg, audit.cli_actor(), "user.reset" if replace else "user.add", name, {"role": role})
    emit({"name": user.name, "role": user.role}, as_json, f"user {user.name} ({user.role}) saved")


@users_app.command("list")
def users_list(as_json: JsonFlag = False) -> None:
    """List dashboard users and their roles (never their hashes)."""
    from etl.access.users import list_users

    found = list_users(settings().secrets_dir)
    emit(
        {"users": [{"name": u.name, "role": u.role} for u in found]},
        as_json,
        "\n".join(f"{u.name}\t{u.role}" for u in found) or "no users",
    )
