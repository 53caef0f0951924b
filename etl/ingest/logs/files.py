"""Which files to read and which of their lines are new: paths, folders and globs expanded (oldest rotation
first), plain or gzip, each file known by the hash of its first line and of its loaded prefix (a rotated file is
recognized under its new name, an appended one is read from where the last run stopped), and the new lines read
in blocks as polars columns. No parsing and no warehouse here: etl/ingest/logs/ingest.py passes the manifest in.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from etl.core.errors import InputError
from etl.core.words import plural

READ_BLOCK = 8 * 1024 * 1024


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files, directories (their files, sorted oldest rotation first) and glob patterns."""
    found: list[Path] = []
    for path in paths:
        text = str(path)
        if any(ch in text for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(text) if Path(p).is_file())
            if not matches:
                raise InputError(f"no file matches {text}")
            found.extend(matches)
        elif path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            logs = [p for p in files if _looks_like_log(p)]
            if not logs:  # nothing to read is an error, not a silent success
                seen = ", ".join(p.name for p in files[:5]) + (", ..." if len(files) > 5 else "")
                what = f"found {plural(len(files), 'other file')}: {seen}" if files else "the folder is empty"
                raise InputError(f"{path}: no log files in this folder (a log file's name contains 'log'; {what})")
            found.extend(logs)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return _rotation_order(found)


def _looks_like_log(path: Path) -> bool:
    """In a folder, take log files (access.log, access.log.1, access.log-20261110.gz, ...), not the rest."""
    name = path.name.lower()
    return (not name.startswith(".") and "log" in name and "error" not in name  # error logs are no access logs
            and not name.endswith((".duckdb", ".wal", ".tmp")))


def _rotation_order(files: list[Path]) -> list[Path]:
    """Oldest first: dated and numbered rotations before the live file (access.log.2.gz, .1, access.log)."""

    def key(p: Path) -> tuple:
        name = p.name.removesuffix(".gz")
        stem, _, suffix = name.rpartition(".")
        if suffix.isdigit() and len(suffix) <= 3:
            return (str(p.parent), stem, 0, -int(suffix))
        return (str(p.parent), name.split("-")[0], 1 if "-" not in name else 0, name)

    return sorted(dict.fromkeys(files), key=key)


def open_binary(path: Path) -> BinaryIO:
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


PREFIX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Progress:
    """What the manifest knows of one file."""

    lines_done: int
    bytes_done: int
    disk_size: int | None
    file_name: str | None
    first_line: str
    prefix_len: int | None
    prefix_hash: str | None


def first_line_hash(path: Path) -> str | None:
    """Hash of the first line: the same file keeps it when logrotate renames or compresses it."""
    try:
        with open_binary(path) as fh:
            first = fh.readline(4096)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read ({type(exc).__name__})") from None
    if not first:
        return None
    return hashlib.sha256(first).hexdigest()[:24]


def prefix_hash(path: Path, length: int) -> str | None:
    """Hash of the first ``length`` (uncompressed) bytes; None when the file is shorter than that."""
    try:
        with open_binary(path) as fh:
            data = fh.read(length)
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    return hashlib.sha256(data).hexdigest()[:24] if len(data) == length else None


def identify(path: Path, manifest: dict[str, Progress]) -> tuple[str, Progress | None] | None:
    """(file key, what was loaded of it) for a file; None for an empty file.

    A manifest entry is this file when its first line matches and the bytes loaded from it before (up to
    64 KiB) are still this file's first bytes. A file sharing only its first line with known files is new."""
    first = first_line_hash(path)
    if first is None:
        return None
    for key, progress in manifest.items():
        if progress.first_line != first:
            continue
        if progress.prefix_len is None or prefix_hash(path, progress.prefix_len) == progress.prefix_hash:
            return key, progress
    taken = any(progress.first_line == first for progress in manifest.values())
    return (f"{first}-{uuid.uuid4().hex[:8]}" if taken else first), None


def decode_lines(block: bytes) -> list[str]:
    text = block.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    return [line.removesuffix("\r") for line in text.split("\n")]


def _decode_block(data: bytes, expected: int) -> pl.DataFrame:
    """Newline-terminated lines -> a frame with one ``line`` per line, decoded leniently (bad bytes become U+FFFD).

    polars' CSV reader with a separator that does not occur splits lines in native code; when the separator
    byte or a NUL occurs, or the count differs from the newlines, the lines are split in Python instead."""
    if b"\x1f" not in data and b"\x00" not in data:
        lines = pl.read_csv(
            io.BytesIO(data), has_header=False, separator="\x1f", quote_char=None, new_columns=["line"],
            encoding="utf8-lossy", infer_schema=False, comment_prefix=None, raise_if_empty=False,
        )["line"]
        if lines.len() == expected:
            return pl.DataFrame({"line": lines.fill_null("")})
    return pl.DataFrame({"line": decode_lines(data[:-1])}, schema={"line": pl.String})


def read_lines(
    fh: BinaryIO, skip_bytes: int, batch_lines: int, *, take_unterminated: bool
) -> Iterator[tuple[pl.DataFrame, int]]:
    """Yield (lines, bytes consumed by them) from ``skip_bytes`` on, in batches of about ``batch_lines``; the
    lines come as a frame of one column, ``line``.

    An unterminated last line is yielded only when ``take_unterminated`` (a compressed, finished file); in
    a live file it may still be being written, so it waits for the next run."""
    if skip_bytes:
        try:
            fh.seek(skip_bytes)
        except OSError:
            remaining = skip_bytes
            while remaining:
                chunk = fh.read(min(remaining, READ_BLOCK))
                if not chunk:
                    break
                remaining -= len(chunk)
    pending: list[bytes] = []
    pending_lines = pending_bytes = 0
    carry = b""
    while True:
        try:
            block = fh.read(READ_BLOCK)
        except (OSError, EOFError, gzip.BadGzipFile):
            block = b""  # a truncated .gz: what was read is used
        if not block:
            break
        cut = block.rfind(b"\n")
        if cut < 0:
            carry += block
            continue
        complete, carry = carry + block[: cut + 1], block[cut + 1 :]
        pending.append(complete)
        pending_lines += complete.count(b"\n")
        pending_bytes += len(complete)
        if pending_lines >= batch_lines:
            yield _decode_block(b"".join(pending), pending_lines), pending_bytes
            pending, pending_lines, pending_bytes = [], 0, 0
    if carry and take_unterminated:
        pending.append(carry + b"\n")
        pending_lines += 1
        pending_bytes += len(carry)
    if pending:
        yield _decode_block(b"".join(pending), pending_lines), pending_bytes


def last_fields_directive(path: Path, upto: int) -> str | None:
    """The last ``#Fields:`` directive in the first ``upto`` bytes of a W3C log: the columns in force where a run
    resumes reading an appended file."""
    if upto <= 0:
        return None
    found = None
    with open_binary(path) as fh:
        read = 0
        for raw in fh:
            read += len(raw)
            if raw.startswith(b"#Fields:"):
                found = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if read >= upto:
                break
    return found
