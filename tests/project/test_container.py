"""The container image for real (`make test-container`): built with podman from the Containerfile, run as the three
services of compose.yaml, fed the sample, asked over HTTP, stopped and started again with its data still there.

No image registry is reachable from where this runs, so the base image is made here: `debootstrap --variant=minbase
bookworm` from the host's Debian mirror, imported with `podman import` (the root file system is kept as a tarball
under data/container/, and the imported image is reused, so only the first run pays for it). The figures (build
time, image size, start-up time) are printed, not asserted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Generator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from etl.core import clock
from scripts.browser_tour import CHROMIUM, free_port, tour

pytestmark = [pytest.mark.container, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "data" / "container"  # git-ignored: the debootstrap tarball and the podman-compose tool venv
BASE_IMAGE = "localhost/vcar-insights-base:bookworm"
BASE_TARBALL = CACHE / "bookworm-minbase.tar"
IMAGE = "localhost/vcar-insights:test"
COMPOSE_TOOL = CACHE / "tools" / "bin" / "podman-compose"
PROJECT = f"vcar-test-{os.getpid()}"
# Debian's podman 4.3 runs here only with runc, cgroupfs, capped ulimits and the host's network; the Containerfile
# and compose.yaml need none of this, so it is given to podman through its own configuration file.
CONTAINERS_CONF = """\
[containers]
netns = "host"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
"""
ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
START = clock.today(ZoneInfo("Asia/Shanghai")) - dt.timedelta(days=5)  # three whole days, none still going
DAYS = 3


def compose_tool() -> str | None:
    """podman-compose 1.1 or newer (Debian's 1.0.3 adds a bridge network to network_mode: host and fails)."""
    for candidate in (os.environ.get("PODMAN_COMPOSE"), str(COMPOSE_TOOL), shutil.which("podman-compose")):
        if not candidate or not Path(candidate).is_file():
            continue
        out = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30).stdout
        found = re.search(r"podman-compose version (\d+)\.(\d+)", out)
        if found and (int(found[1]), int(found[2])) >= (1, 1):
            return candidate
    return None


def missing() -> str | None:
    if os.geteuid() != 0:
        return "the container test runs podman as root (make test-container, as root)"
    if shutil.which("podman") is None or shutil.which("runc") is None:
        return "podman and runc are missing (make test-container installs them with apt-get)"
    if shutil.which("debootstrap") is None and not BASE_TARBALL.is_file():
        return "debootstrap is missing to make the base image (make test-container installs it)"
    if compose_tool() is None:
        return f"podman-compose 1.1 or newer is missing (make test-container installs it in {COMPOSE_TOOL.parent})"
    return None


pytestmark.append(pytest.mark.skipif(missing() is not None, reason=str(missing())))


class Podman:
    """podman and podman-compose with this machine's engine settings; every call bounded, failures in one line."""

    def __init__(self, conf: Path) -> None:
        self.env = os.environ | {"CONTAINERS_CONF": str(conf)}
        self.compose_tool = compose_tool() or "podman-compose"

    def run(self, *args: str, timeout: float = 120, check: bool = True, stdin: str | None = None) -> str:
        return self._call(["podman", *args], timeout, check, stdin)

    def compose(self, *args: str, env: dict[str, str], timeout: float = 180, check: bool = True) -> str:
        cmd = [self.compose_tool, "-p", PROJECT, "-f", str(ROOT / "compose.yaml"), *args]
        return self._call(cmd, timeout, check, None, env)

    def _call(self, cmd: list[str], timeout: float, check: bool, stdin: str | None, env: dict | None = None) -> str:
        done = subprocess.run(cmd, env=self.env | (env or {}), cwd=ROOT, input=stdin, capture_output=True,
                              text=True, timeout=timeout)
        if check and done.returncode != 0:
            last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
            raise AssertionError(f"{' '.join(cmd[:4])} ... exited with {done.returncode}: {last[0]}")
        return done.stdout

    def exists(self, image: str) -> bool:
        return subprocess.run(["podman", "image", "exists", image], env=self.env, timeout=30).returncode == 0

    def logs(self, name: str) -> str:
        """What a container wrote, both streams (the schedule's lines go to stderr)."""
        done = subprocess.run(["podman", "logs", name], env=self.env, capture_output=True, text=True, timeout=30)
        return done.stdout + done.stderr


def debian_mirror() -> str:
    """The mirror apt uses on this host (deb822 or one-line sources), for debootstrap to use too."""
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for source in sources:
        if not source.is_file() or source.suffix not in ("", ".list", ".sources"):
            continue
        text = source.read_text(errors="replace")
        for found in re.finditer(r"^(?:URIs:\s*|deb\s+(?:\[[^]]*\]\s+)?)(\S+/debian)/?\s", text, re.MULTILINE):
            return found[1]
    return "http://deb.debian.org/debian"


def base_image(podman: Podman, tmp: Path) -> str:
    """A Debian bookworm minbase image: reused, imported from the cached tarball, or made with debootstrap."""
    if podman.exists(BASE_IMAGE):
        return "reused"
    how = "imported from the cached tarball"
    if not BASE_TARBALL.is_file():
        rootfs = tmp / "rootfs"
        mirror = debian_mirror()
        subprocess.run(["debootstrap", "--variant=minbase", "bookworm", str(rootfs), mirror],
                       check=True, capture_output=True, timeout=600)
        for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):  # the image's apt-get update fetches its own
            for file in (rootfs / cache).glob("*"):
                if file.is_file():
                    file.unlink()
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = BASE_TARBALL.with_suffix(".partial")
        subprocess.run(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", str(partial), "."], check=True,
                       timeout=300)
        partial.replace(BASE_TARBALL)
        shutil.rmtree(rootfs, ignore_errors=True)
        how = f"made with debootstrap from {mirror}"
    podman.run("import", str(BASE_TARBALL), BASE_IMAGE, timeout=300)
    return how


def build_args() -> list[str]:
    """What pip inside the build needs to reach the index the way this host does: the host's CA bundle (a
    TLS-inspecting proxy's CA lives there) and its index, when it is an http(s) one."""
    args = []
    cert = os.environ.get("PIP_CERT") or next(
        (p for p in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt") if Path(p).is_file()),
        None,
    )
    if cert:
        args += ["-v", f"{cert}:/run/build-ca.crt:ro", "--build-arg", "PIP_CERT=/run/build-ca.crt"]
    index = os.environ.get("PIP_INDEX_URL", "")
    if index.startswith(("http://", "https://")):
        args += ["--build-arg", f"PIP_INDEX_URL={index}"]
    return args


def build(podman: Podman) -> float:
    old = podman.run("images", "-q", "--no-trunc", IMAGE, check=False).strip()
    started = time.monotonic()
    podman.run(
        "build", "--format", "docker", "--network", "host", *ULIMITS, "--build-arg", f"BASE_IMAGE={BASE_IMAGE}",
        *build_args(), "-f", "Containerfile", "-t", IMAGE, ".", timeout=900,
    )
    took = time.monotonic() - started
    new = podman.run("images", "-q", "--no-trunc", IMAGE).strip()
    if old and old != new:  # the previous run's image, now untagged: 1 GB each time otherwise
        podman.run("rmi", old, check=False)
    return took


def container(service: str) -> str:
    return f"{PROJECT}_{service}_1"


def wait_healthy(podman: Podman, timeout: float = 120) -> float:
    """Runs the image's HEALTHCHECK until it passes; the seconds it took."""
    started = time.monotonic()
    while True:
        done = subprocess.run(["podman", "healthcheck", "run", container("dashboard")], env=podman.env,
                              capture_output=True, text=True, timeout=30)
        if done.returncode == 0:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            log = podman.logs(container("dashboard"))[-400:]
            raise AssertionError(f"the dashboard was not healthy after {timeout:.0f} s: {log!r}")
        time.sleep(0.5)


def wait_ingest_run(podman: Podman, runs: int, timeout: float = 180) -> str:
    """Waits until the ingest service has ended `runs` runs; the last run's end line."""
    deadline = time.monotonic() + timeout
    while True:
        log = podman.logs(container("ingest"))
        ends = re.findall(r"vcar-schedule: run ended \(exit \d+\)", log)
        if len(ends) >= runs:
            return ends[runs - 1]
        if time.monotonic() > deadline:
            raise AssertionError(f"the ingest service did not end run {runs} in {timeout:.0f} s: {log[-400:]!r}")
        time.sleep(1)


def http_get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - the dashboard on 127.0.0.1
        return answer.status, answer.read().decode(errors="replace")


def usage(podman: Podman) -> dict:
    end = START + dt.timedelta(days=DAYS - 1)
    out = podman.run("exec", container("dashboard"), "vcar", "report", "usage", "--from", START.isoformat(),
                     "--to", end.isoformat(), "--json")
    return json.loads(out)


@contextlib.contextmanager
def stack(podman: Podman, env: dict[str, str]) -> Generator[None, None, None]:
    """The project's containers, pod and volumes are gone when the block ends, whatever happened in it."""
    try:
        yield
    finally:
        names = podman.run("ps", "-a", "-q", "--filter", f"label=io.podman.compose.project={PROJECT}", check=False)
        for name in names.split():  # -v: with their anonymous volumes, if a service left a VOLUME unmounted
            podman.run("rm", "-f", "-v", "-t", "2", name, check=False)
        podman.compose("down", "-v", env=env, timeout=120, check=False)
        podman.run("pod", "rm", "-f", f"pod_{PROJECT}", check=False)
        podman.run("volume", "rm", "-f", f"{PROJECT}_warehouse", f"{PROJECT}_secrets", check=False)


def test_the_image_serves_ingests_and_keeps_its_data_across_a_restart(tmp_path, capsys):
    conf = tmp_path / "containers.conf"
    conf.write_text(CONTAINERS_CONF)
    podman = Podman(conf)
    figures: list[str] = []

    started = time.monotonic()
    figures.append(f"base image: {base_image(podman, tmp_path)} in {time.monotonic() - started:.1f} s")
    figures.append(f"image build: {build(podman):.1f} s")
    size = int(podman.run("image", "inspect", "--format", "{{.Size}}", IMAGE).strip())
    figures.append(f"image size: {size / 1e6:,.0f} MB")

    # what the image holds: a non-root user, volumes that are its own and empty, the health check
    assert podman.run("run", "--rm", "--network", "none", IMAGE, "id", "-u").strip() == "10001"
    modes = podman.run("run", "--rm", "--network", "none", IMAGE, "stat", "-c", "%a %U %n", "/var/lib/vcar/secrets",
                       "/var/lib/vcar/warehouse")
    assert modes.split("\n")[:2] == ["700 vcar /var/lib/vcar/secrets", "750 vcar /var/lib/vcar/warehouse"]
    assert podman.run("run", "--rm", "--network", "none", IMAGE, "find", "/var/lib/vcar", "-type", "f") == ""
    assert "/_stcore/health" in podman.run("image", "inspect", "--format", "{{json .HealthCheck}}", IMAGE)

    # the sample, written by the image's own vcar generate into a folder the ingest service reads
    sample = tmp_path / "sample"
    sample.mkdir()
    os.chown(sample, 10001, 10001)
    podman.run("run", "--rm", "--network", "none", "-v", f"{sample}:/sample", IMAGE, "vcar", "generate", "--out",
               "/sample", "--days", str(DAYS), "--start", START.isoformat(), "--visitors-per-day", "120")
    assert len(list((sample / "logs").iterdir())) == DAYS

    port = free_port()
    env = {"VCAR_IMAGE": IMAGE, "DASHBOARD_HOST": "127.0.0.1", "DASHBOARD_PORT": str(port),
           "LOGS_DIR": str(sample / "logs"), "INGEST_EVERY_MINUTES": "60"}
    base = f"http://127.0.0.1:{port}"
    with stack(podman, env):
        started = time.monotonic()
        podman.compose("up", "-d", env=env)
        up = time.monotonic() - started
        figures.append(f"start-up (compose up {up:.1f} s, then healthy after {wait_healthy(podman):.1f} s)")
        for service in ("dashboard", "ingest", "digest"):  # both volumes of the image are the project's, in each
            mounts = podman.run("inspect", "--format", "{{range .Mounts}}{{.Name}} {{.Destination}}\n{{end}}",
                                container(service))
            named = {line.split()[1]: line.split()[0] for line in mounts.splitlines() if line.startswith(PROJECT)}
            for volume in ("warehouse", "secrets"):
                want = f"{PROJECT}_{volume}"
                assert named.get(f"/var/lib/vcar/{volume}") == want, f"{service}: /var/lib/vcar/{volume} is not {want}"
        assert wait_ingest_run(podman, 1) == "vcar-schedule: run ended (exit 0)"
        before = usage(podman)
        assert before["pageviews"] > 0 and before["visitors"] > 0

        assert http_get(f"{base}/_stcore/health") == (200, "ok")
        status, index = http_get(f"{base}/")
        assert status == 200 and "<title>" in index.lower()
        assert podman.run("exec", container("dashboard"), "id", "-u").strip() == "10001"
        opened = podman.run("exec", container("dashboard"), "find", "/var/lib/vcar/secrets", "-perm", "/077")
        assert opened == "", f"secrets open to others: {opened}"
        assert "vcar-schedule: next run at" in podman.logs(container("digest"))
        digest = podman.run("exec", container("digest"), "vcar", "digest", "--role", "manager", "--dry-run")
        assert "Subject: [vcar]" in digest

        # a marketing account: the default totp_required_roles asks an admin to enrol a second factor first
        podman.run("exec", "-i", container("dashboard"), "vcar", "users", "add", "tester", "--role", "marketing",
                   stdin="container-test-password\n")
        if Path(CHROMIUM).exists():
            visit = tour(base, "marketing", "tester", "container-test-password", ["Usage trends"], tmp_path)[0]
            assert (visit.charts > 0, visit.exceptions) == (True, 0), f"the page in chromium: {visit}"
            figures.append("browser: Usage trends drawn in chromium")
        else:
            figures.append("browser: chromium missing, the page was not drawn (make browser installs it)")

        users = podman.run("exec", container("dashboard"), "vcar", "users", "list", "--json")
        secrets = podman.run("exec", "-w", "/var/lib/vcar/secrets", container("dashboard"), "sh", "-c",
                             "sha256sum *.key users.json")
        podman.compose("down", env=env)
        assert podman.run("ps", "-a", "-q", "--filter", f"label=io.podman.compose.project={PROJECT}") == ""
        started = time.monotonic()
        podman.compose("up", "-d", env=env)
        up = time.monotonic() - started
        figures.append(f"restart (compose up {up:.1f} s, then healthy after {wait_healthy(podman):.1f} s)")
        assert wait_ingest_run(podman, 1) == "vcar-schedule: run ended (exit 0)"
        assert usage(podman) == before
        assert podman.run("exec", container("dashboard"), "vcar", "users", "list", "--json") == users
        assert podman.run("exec", "-w", "/var/lib/vcar/secrets", container("dashboard"), "sh", "-c",
                          "sha256sum *.key users.json") == secrets
        assert http_get(f"{base}/_stcore/health") == (200, "ok")

    assert podman.run("ps", "-a", "-q", "--filter", f"label=io.podman.compose.project={PROJECT}") == ""
    with capsys.disabled():
        print("\n" + "\n".join(f"container: {line}" for line in figures))
