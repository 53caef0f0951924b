"""vcar users: the dashboard's local accounts."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from etl.cli.common import JsonFlag, emit, settings
from etl.core.words import text_table

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
    """List dashboard accounts: role, status, two-factor enrolment, last sign-in, open sessions (never a hash)."""
    from etl.admin.lifecycle import accounts
    from etl.core.words import local_time

    cfg = settings()
    found = accounts(cfg)
    rows = [[a["name"], a["role"], a["status"] + (", reset pending" if a["reset_pending"] else ""),
             "yes" if a["two_factor"] else "no", local_time(a["last_sign_in"], cfg.tz), str(a["sessions"])]
            for a in found]
    headers = ["User", "Role", "Status", "Two-factor", f"Last sign-in ({cfg.timezone})", "Sessions"]
    emit({"users": found}, as_json, "\n".join(text_table(headers, rows)) if found else "no users")


UserName = Annotated[str, typer.Argument(help="The account's login name (vcar users list).")]
REASSIGN_HELP = ("Give its open rights requests to this compliance or admin account; without it they are flagged as "
                 "owner lost the right.")
ReassignTo = Annotated[str | None, typer.Option(help=REASSIGN_HELP)]


def _account_change(action: str, name: str, as_json: bool, **options: Any) -> None:
    """Run one etl.lifecycle change as the operator, and print what it did."""
    from etl.admin import lifecycle
    from etl.compliance import audit

    change = getattr(lifecycle, action)(settings(), name, actor=audit.cli_actor(), **options)
    emit(change.as_dict(), as_json, change.summary())


@users_app.command("disable")
def users_disable(name: UserName, reassign_to: ReassignTo = None, as_json: JsonFlag = False) -> None:
    """Stop an account from signing in and end its sessions (refused for the last admin)."""
    _account_change("disable", name, as_json, reassign_to=reassign_to)


@users_app.command("enable")
def users_enable(name: UserName, as_json: JsonFlag = False) -> None:
    """Let a disabled account sign in again."""
    _account_change("enable", name, as_json)


@users_app.command("remove")
def users_remove(name: UserName, reassign_to: ReassignTo = None, as_json: JsonFlag = False) -> None:
    """Delete an account, its two-factor enrolment and its sessions (the audit log keeps its name)."""
    _account_change("remove", name, as_json, reassign_to=reassign_to)


@users_app.command("role")
def users_role(
    name: UserName, role: Annotated[str, typer.Argument(help="marketing | manager | compliance | admin")],
    reassign_to: ReassignTo = None, as_json: JsonFlag = False,
) -> None:
    """Change an account's role; its sessions end."""
    _account_change("set_role", name, as_json, role=role, reassign_to=reassign_to)


@users_app.command("unlock")
def users_unlock(name: UserName, as_json: JsonFlag = False) -> None:
    """Lift a lock-out after failed logins."""
    _account_change("unlock", name, as_json)


@users_app.command("reset")
def users_reset(
    name: UserName,
    two_factor: Annotated[bool, typer.Option("--two-factor", help="Also forget its two-factor enrolment.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Replace an account's password by a one-time reset code, shown here once (only its hash is kept); its
    sessions end. The person sets a new password with it at the login page's "Reset my password"."""
    from etl.admin import lifecycle
    from etl.compliance import audit
    from etl.core.words import local_time

    cfg = settings()
    done = lifecycle.reset(cfg, name, actor=audit.cli_actor(), two_factor=two_factor)
    until = local_time(done.expires, cfg.tz) + f" {cfg.timezone}"
    emit(done.change.as_dict() | {"code": done.code, "expires": done.expires.isoformat()}, as_json,
         f"{done.change.summary()}\nreset code for {name}, valid once until {until}: {done.code}")
