"""Secrets on disk: the ``secrets_dir`` (0700) and the files in it (0600).

Nothing here is ever written to the warehouse. Daily visitor salts live in ``salts/`` and are destroyed
after ``salt_retention_days``; long-lived keys (the subject key) are created once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import secrets
import stat
from collections.abc import Generator
from pathlib import Path

from etl.core.errors import ConfigError

SALT_DIR = "salts"


def ensure_secrets_dir(path: Path) -> Path:
    """Create ``path`` with mode 0700, or refuse one that others can read."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)  # another thread or process may make it first
        os.chmod(path, 0o700)
    check_private(path)
    return path


def check_private(path: Path) -> None:
    """Refuse a secrets file or folder that group or others can access."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        want = "700" if path.is_dir() else "600"
        raise ConfigError(f"{path} is open to other users (mode {mode:o}); run: chmod {want} {path}")


def write_private(path: Path, data: bytes) -> None:
    """Write a 0600 file atomically (a crash leaves the old file or the new one, never half of one)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def exclusive(path: Path) -> Generator[None, None, None]:
    """Hold an exclusive lock on a 0600 lock file: one holder across threads and processes at a time."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def read_private(path: Path) -> bytes:
    check_private(path)
    return path.read_bytes()


def key(secrets_dir: Path, name: str, nbytes: int = 32) -> bytes:
    """A long-lived random key, created on first use."""
    ensure_secrets_dir(secrets_dir)
    path = secrets_dir / f"{name}.key"
    if not path.exists():
        write_private(path, secrets.token_bytes(nbytes))
    return read_private(path)


def _salt_path(secrets_dir: Path, day: dt.date) -> Path:
    return secrets_dir / SALT_DIR / f"{day.isoformat()}.salt"


def daily_salt(secrets_dir: Path, day: dt.date, *, create: bool = True) -> bytes | None:
    """The 256-bit salt of one reporting day; None when it was destroyed (or never made and create=False)."""
    ensure_secrets_dir(secrets_dir)
    ensure_secrets_dir(secrets_dir / SALT_DIR)
    path = _salt_path(secrets_dir, day)
    if path.exists():
        return read_private(path)
    if not create:
        return None
    salt = secrets.token_bytes(32)
    write_private(path, salt)
    return salt


def salt_days(secrets_dir: Path) -> list[dt.date]:
    """Reporting days whose salt still exists (their visitor ids can still be linked)."""
    folder = secrets_dir / SALT_DIR
    if not folder.is_dir():
        return []
    days = []
    for file in folder.glob("*.salt"):
        try:
            days.append(dt.date.fromisoformat(file.stem))
        except ValueError:
            continue
    return sorted(days)


def salt_made_at(secrets_dir: Path, day: dt.date) -> dt.datetime | None:
    """When the salt of ``day`` was written (None if it does not exist)."""
    try:
        return dt.datetime.fromtimestamp(_salt_path(secrets_dir, day).stat().st_mtime, dt.UTC)
    except FileNotFoundError:
        return None


def destroy_salts(secrets_dir: Path, days: list[dt.date]) -> list[dt.date]:
    """Overwrite and delete the salts of ``days`` that exist; returns the days destroyed."""
    gone = [day for day in days if _salt_path(secrets_dir, day).exists()]
    for day in gone:
        path = _salt_path(secrets_dir, day)
        size = path.stat().st_size
        with open(path, "r+b") as fh:  # overwrite before unlinking: no copy left in the file's blocks
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()
    return gone
