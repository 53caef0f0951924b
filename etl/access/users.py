"""Who the dashboard's accounts are: ``secrets_dir/users.json`` (0600) read as names and roles. Sessions check a
signed-in person's role against it; etl/access/accounts.py writes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from etl.core.errors import ConfigError
from etl.core.keystore import check_private

USERS_FILE = "users.json"


@dataclass(frozen=True)
class User:
    name: str
    role: str


def _load(path: Path) -> dict:
    if not path.exists():
        return {}
    check_private(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ConfigError(f"{path} is not valid JSON; restore it from a backup or remove it") from None


def list_users(secrets_dir: Path) -> list[User]:
    """The accounts that may sign in (a disabled one is left out: it holds no session and owns no request)."""
    data = _load(secrets_dir / USERS_FILE)
    return [User(name, entry["role"]) for name, entry in sorted(data.items()) if not entry.get("disabled")]
