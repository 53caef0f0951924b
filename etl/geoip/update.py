"""``vcar geoip update``: download the GeoIP database from ``geoip_update_url``, check it, and swap it in.

The download (plain .mmdb, .mmdb.gz, or MaxMind's .tar.gz edition archive, told apart by their first bytes) goes
to a temporary file beside the database in use. Its SHA-256 must match ``geoip_update_sha256`` or, when that is
not set, the ``<url>.sha256`` file the server gives beside it (MaxMind does); the unpacked file must open with
geoip2 and be of the kind in use (City or Country). Only then is it fsynced and renamed over the old one
(``os.replace``, atomic within a folder): any failure before leaves the database in use untouched.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import http.client
import ipaddress
import os
import re
import secrets
import shutil
import tarfile
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from etl.core.errors import ConfigError, InputError
from etl.core.keystore import read_private
from etl.core.settings import Settings, demo_geoip_db
from etl.geoip import probe
from etl.geoip.database import KINDS, Database, describe, last_day_coverage, requests_by_country

LICENSE_FILE = "geoip_license_key"
LICENSE_ENV = "VCAR_GEOIP_LICENSE_KEY"
TIMEOUT_SECONDS = 60
MAX_BYTES = 2 << 30  # a City database is about 130 MB unpacked; anything past 2 GiB is not one
CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Source:
    url: str
    shown: str  # the URL as printed: no user, password or query string (a licence key may sit there)
    authorization: str | None


def source(cfg: Settings, today: dt.date) -> Source:
    """Where to download from, with ``{year}`` and ``{month}`` filled in for ``today`` (DB-IP names its monthly
    files so) and MaxMind's account id and licence key as HTTP basic authentication."""
    if not cfg.geoip_update_url:
        raise ConfigError("setting geoip_update_url (VCAR_GEOIP_UPDATE_URL) is not set: name the address the "
                          "database is downloaded from")
    url = cfg.geoip_update_url.replace("{year}", f"{today.year:04d}").replace("{month}", f"{today.month:02d}")
    parts = urlsplit(url)
    shown = f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}{parts.path}"
    if cfg.geoip_account_id is None:
        return Source(url, shown, None)
    if parts.scheme != "https" and not _loopback(parts.hostname or ""):
        raise ConfigError(f"setting geoip_update_url (VCAR_GEOIP_UPDATE_URL): {shown} is not https, and the licence "
                          "key must not travel in clear text")
    token = base64.b64encode(f"{cfg.geoip_account_id}:{license_key(cfg)}".encode()).decode("ascii")
    return Source(url, shown, f"Basic {token}")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def license_key(cfg: Settings) -> str:
    """MaxMind's licence key: ``VCAR_GEOIP_LICENSE_KEY`` or ``secrets_dir/geoip_license_key`` (mode 0600)."""
    key = os.environ.get(LICENSE_ENV, "").strip()
    path = cfg.secrets_dir / LICENSE_FILE
    if not key and path.is_file():
        key = read_private(path).decode("utf-8", errors="replace").strip()
    if not key:
        raise ConfigError(f"setting geoip_account_id is set but no licence key was found: put it in {path} (mode "
                          f"0600) or in {LICENSE_ENV}")
    return key


def _open(src: Source, url: str, shown: str) -> Any:
    """An open HTTP response, or InputError naming the address (never its query string or credentials)."""
    request = urllib.request.Request(url, headers={"User-Agent": "vcar-insights geoip update"})
    if src.authorization:
        # not passed on through a redirect: MaxMind sends the download to a signed storage URL of another host
        request.add_unredirected_header("Authorization", src.authorization)
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)  # noqa: S310 - http(s) only, by the setting
    except urllib.error.HTTPError as exc:
        raise _Unavailable(exc.code, f"{shown} answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise InputError(f"{shown} could not be reached ({getattr(exc, 'reason', exc)})") from None


class _Unavailable(InputError):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


def _read(response: Any, size: int, shown: str) -> bytes:
    try:
        return response.read(size)
    except (OSError, http.client.HTTPException):
        raise InputError(f"{shown}: the download broke off before its end") from None


def download(src: Source, dest: Path) -> str:
    """Stream the file to ``dest``; its SHA-256 (hex)."""
    digest, size = hashlib.sha256(), 0
    with _open(src, src.url, src.shown) as response, open(dest, "wb") as out:
        while chunk := _read(response, CHUNK, src.shown):
            size += len(chunk)
            if size > MAX_BYTES:
                raise InputError(f"{src.shown}: the download is over {MAX_BYTES >> 30} GiB, not a GeoIP database")
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def expected_checksum(cfg: Settings, src: Source) -> tuple[str | None, str]:
    """The SHA-256 the download must have and where it comes from: the setting, else ``<url>.sha256`` (its first
    word), else none when the server has no such file (HTTP 404)."""
    if cfg.geoip_update_sha256:
        return cfg.geoip_update_sha256.lower(), "geoip_update_sha256"
    shown = f"the checksum file of {src.shown}"
    try:
        with _open(src, src.url + ".sha256", shown) as response:
            text = _read(response, 4096, shown).decode("ascii", errors="replace")
    except _Unavailable as exc:
        if exc.status == 404:
            return None, "none served"
        raise
    found = re.match(r"\s*([0-9a-fA-F]{64})\b", text)
    if found is None:
        raise InputError(f"{shown} holds no SHA-256 checksum")
    return found.group(1).lower(), "served .sha256"


def unpack(download_path: Path, dest: Path, shown: str) -> str:
    """Write the .mmdb inside the download to ``dest`` (fsynced); the form it came in."""
    with open(download_path, "rb") as fh:
        packed = fh.read(2) == GZIP_MAGIC
    try:
        if packed and tarfile.is_tarfile(download_path):
            with tarfile.open(download_path, "r:gz") as archive:
                member = next((m for m in archive if m.isfile() and m.name.endswith(".mmdb")), None)
                if member is None:
                    raise InputError(f"{shown}: the archive holds no .mmdb file")
                _copy(archive.extractfile(member), dest)  # read, never extracted to a path the archive names
            return "tar.gz"
        if packed:
            with gzip.open(download_path, "rb") as fh:
                _copy(fh, dest)
            return "mmdb.gz"
    except (OSError, EOFError, tarfile.TarError, zlib.error):
        raise InputError(f"{shown}: the download is broken or cut short (not a complete gzip or tar.gz)") from None
    with open(download_path, "rb") as fh:
        _copy(fh, dest)
    return "mmdb"


def _copy(source_file: IO[bytes] | gzip.GzipFile | None, dest: Path) -> None:
    if source_file is None:
        raise tarfile.TarError("unreadable member")
    with open(dest, "wb") as out:
        shutil.copyfileobj(source_file, out, CHUNK)
        out.flush()
        os.fsync(out.fileno())


def check(path: Path, kind: str | None, shown: str) -> Database:
    """The unpacked file opens with geoip2 and answers ``kind`` lookups (City or Country; either without one)."""
    import geoip2.database
    import geoip2.errors
    import maxminddb

    try:
        db = describe(path)
    except InputError:
        raise InputError(f"{shown}: the download is not a MaxMind database (.mmdb)") from None
    wanted = kind or db.kind
    if wanted is None or wanted not in db.database_type:
        raise InputError(f"{shown}: the download is a {db.database_type} database, not the {kind or ' or '.join(KINDS)}"
                         " database geoip_db needs")
    try:
        with geoip2.database.Reader(str(path)) as reader:
            (reader.city if wanted == "City" else reader.country)("1.1.1.1")
    except geoip2.errors.AddressNotFoundError:
        pass  # opened and searched: the address is just not in it
    except (maxminddb.InvalidDatabaseError, OSError, TypeError, ValueError):
        raise InputError(f"{shown}: the download does not open with geoip2") from None
    return db


def target_of(cfg: Settings, out: Path | None) -> Path:
    """The file to replace: ``--out``, else geoip_db, never the demo file inside the installed package."""
    target = out or cfg.geoip_db
    if target is None:
        raise ConfigError("no database to update: setting geoip_db (VCAR_GEOIP_DB) is not set; give --out PATH")
    if out is None and target == demo_geoip_db():
        raise ConfigError(f"geoip_db is the demo file inside the maxminddb-geolite2 package ({target}); give --out "
                          "PATH and point geoip_db (VCAR_GEOIP_DB) at it")
    if not target.parent.is_dir():
        raise ConfigError(f"--out: folder {target.parent} does not exist")
    return target


def swap(new: Path, target: Path) -> None:
    """Rename ``new`` over ``target`` and make the rename itself durable (fsync of the folder)."""
    os.replace(new, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def update(cfg: Settings, today: dt.date, out: Path | None = None) -> dict[str, Any]:
    """Download, check and swap in the database; what changed, and the estimated coverage before and after."""
    target = target_of(cfg, out)
    src = source(cfg, today)
    old = _readable(target)
    stem = f".{target.name}.{secrets.token_hex(4)}"
    fetched, unpacked = target.parent / f"{stem}.download", target.parent / f"{stem}.tmp"
    try:
        sha256 = download(src, fetched)
        expected, checksum_from = expected_checksum(cfg, src)
        if expected is not None and sha256 != expected:
            raise InputError(f"{src.shown}: SHA-256 {sha256} does not match {expected} from {checksum_from}")
        form = unpack(fetched, unpacked, src.shown)
        new = check(unpacked, old.kind if old else None, src.shown)
        same = old is not None and _digest(unpacked) == _digest(target)
        comparison = None if old is None or same else probe.compare(target, unpacked, _day_weights(cfg, today))
        if not same:
            swap(unpacked, target)
    finally:
        fetched.unlink(missing_ok=True)
        unpacked.unlink(missing_ok=True)
    return {
        "file": str(target),
        "url": src.shown,
        "form": form,
        "sha256": sha256,
        "checksum": checksum_from,
        "replaced": not same,
        "database_type": new.database_type,
        "build_date": new.built.isoformat(),
        "attribution": new.attribution,
        "previous": None if old is None else {"database_type": old.database_type, "build_date": old.built.isoformat()},
        "coverage": comparison,
    }


def _readable(path: Path) -> Database | None:
    """The database at ``path``, or None when there is none yet or it is not readable (then nothing is lost)."""
    try:
        return describe(path) if path.is_file() else None
    except InputError:
        return None


def _day_weights(cfg: Settings, today: dt.date) -> dict[str, int] | None:
    cover = last_day_coverage(cfg, today)
    return requests_by_country(cfg, dt.date.fromisoformat(cover["day"])) if cover else None


def _digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def update_text(result: dict[str, Any]) -> str:
    """The outcome in words, for people: one line, and one more per coverage drop or attribution."""
    if not result["replaced"]:
        head = f"{result['file']} is the served database already ({result['database_type']} {result['build_date']})"
    else:
        was = result["previous"]
        head = (f"{result['file']}: {result['database_type']} built {result['build_date']} swapped in"
                + (f" (was {was['database_type']} built {was['build_date']})" if was else "")
                + f"; checksum: {result['checksum']}")
    lines = [head]
    cover = result["coverage"]
    for name in cover["dropped"] if cover else []:
        lines.append(f"warning: estimated {name} coverage dropped from {cover[name]['before']:.1%} to "
                     f"{cover[name]['after']:.1%} (weighted by {cover['weighted_by']}; see README, GeoIP)")
    if result["attribution"]:
        lines.append(result["attribution"])
    return "\n".join(lines)
