"""Dependency audit: every pin of requirements.lock checked against the known vulnerabilities.

Usage: python scripts/audit_deps.py [requirements.lock] [--strict]

Where the OSV database is reachable, pip-audit checks the lock against it (the most complete source). Where
only the package registry is reachable (this project's build machines and CI), the registry's JSON API is
asked instead: its document for a project lists the known vulnerabilities of the project's latest release, so
a pin at the latest release is audited from it, and a pin behind the latest is reported as not audited here.

Exit status: 1 when a pin has a known vulnerability (or, with --strict, when a pin could not be audited);
0 otherwise. An unreachable registry is said in one line and is not a finding.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


@dataclass
class Verdict:
    name: str
    version: str
    vulnerabilities: list[str] = field(default_factory=list)  # "ID (fixed in X)"
    unaudited: str | None = None  # why the pin could not be audited


def read_lock(path: Path) -> list[tuple[str, str]]:
    """(name, version) of every ``name==version`` line; comments and blank lines are skipped."""
    pins = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        match = PIN.match(text)
        if not match:
            raise SystemExit(f"{path}:{number}: not an exact pin (name==version): {text[:80]}")
        pins.append((match.group(1), match.group(2)))
    return pins


def judge(name: str, version: str, document: dict) -> Verdict:
    """The verdict on one pin from the registry's project document (pure: tested without a network)."""
    verdict = Verdict(name, version)
    latest = document.get("info", {}).get("version")
    if latest != version:
        verdict.unaudited = f"pinned {version}, latest {latest}: the registry lists vulnerabilities of the latest"
        return verdict
    for vuln in document.get("vulnerabilities") or []:
        if vuln.get("withdrawn"):
            continue
        fixed = ", ".join(vuln.get("fixed_in") or []) or "no fix yet"
        verdict.vulnerabilities.append(f"{vuln.get('id', '?')} (fixed in {fixed})")
    return verdict


def registry_document(name: str) -> dict:
    from pip._internal.models.index import PyPI  # the registry pip itself uses; its address is pip's to keep

    with urllib.request.urlopen(f"{PyPI.pypi_url}/{name}/json", timeout=30) as response:  # noqa: S310
        return json.load(response)


def audit_with_registry(pins: list[tuple[str, str]]) -> list[Verdict]:
    def one(pin: tuple[str, str]) -> Verdict:
        name, version = pin
        try:
            return judge(name, version, registry_document(name))
        except urllib.error.HTTPError as exc:
            return Verdict(name, version, unaudited=f"the registry answered {exc.code}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, pins))


def osv_reachable() -> bool:
    import socket

    try:
        socket.getaddrinfo("api.osv.dev", 443)
    except OSError:
        return False
    return True


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    args = [a for a in argv if a != "--strict"]
    lock = Path(args[0] if args else "requirements.lock")
    if not lock.is_file():
        print(f"{lock}: no such lock file (make lock writes it)", file=sys.stderr)
        return 2
    pins = read_lock(lock)
    if osv_reachable():
        print(f"auditing {len(pins)} pins of {lock} with pip-audit (OSV)")
        cmd = [sys.executable, "-m", "pip_audit", "-r", str(lock), "--no-deps", "--disable-pip", "-s", "osv",
               "--progress-spinner", "off"]
        return subprocess.run(cmd).returncode
    print(f"auditing {len(pins)} pins of {lock} with the package registry's vulnerability data (OSV not reachable)")
    try:
        verdicts = audit_with_registry(pins)
    except (urllib.error.URLError, TimeoutError) as exc:
        print(f"the package registry is not reachable ({exc}): nothing audited", file=sys.stderr)
        return 1 if strict else 0
    vulnerable = [v for v in verdicts if v.vulnerabilities]
    unaudited = [v for v in verdicts if v.unaudited]
    for verdict in vulnerable:
        print(f"VULNERABLE {verdict.name}=={verdict.version}: {'; '.join(verdict.vulnerabilities)}")
    for verdict in unaudited:
        print(f"not audited {verdict.name}=={verdict.version}: {verdict.unaudited}")
    audited = len(pins) - len(unaudited)
    print(f"{audited} of {len(pins)} pins audited: {len(vulnerable)} with known vulnerabilities")
    return 1 if vulnerable or (strict and unaudited) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
