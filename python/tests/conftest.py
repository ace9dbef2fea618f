"""Fixtures: the real physio binary against the real PhysioNet simulator on loopback.

PHYSIO_BINARY and PHYSIONET_SIM name the binaries (default: the debug build of this checkout);
PHYSIO_BINARY=bundled tests the binary inside an installed wheel. Each test gets its own state folder,
home and data root, and no credentials unless it sets them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterator, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "Fixtures" / "physionet" / "fixture.json"
PASSWORDS = {"credentialed": "Cred-Pass-1", "nodua": "NoDua-Pass-1"}
TEST_TIMEOUT_SECONDS = 120


def _executable(variable: str, default: Path) -> Path:
    path = Path(os.environ.get(variable) or default)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.exit(f"{variable}: no executable at {path}; build it (swift build) or set {variable}", returncode=4)
    return path


class Simulator:
    """One physionet-sim process; ``url`` is its base URL."""

    def __init__(self, binary: Path, faults: List[str]) -> None:
        args = [str(binary), "--fixture", str(FIXTURE), "--host", "127.0.0.1", "--port", "0", "--exit-on-stdin-eof"]
        for fault in faults:
            args += ["--fault", fault]
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # The first stdout line says where it listens; a server that dies first closes stdout instead.
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()
        if not line.startswith("listening on "):
            error = self.process.stderr.read().decode() if self.process.stderr else ""
            self.stop()
            raise RuntimeError(f"physionet-sim did not start: {line!r} {error[:500]}")
        self.url = line[len("listening on "):].strip().rstrip("/")

    def stop(self) -> None:
        # SIGKILL: a child may inherit a blocked signal mask (STYLE.md 12).
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="session")
def physio_binary() -> Path:
    if os.environ.get("PHYSIO_BINARY") == "bundled":
        from physiodl import _binary

        if not _binary.BUNDLED.is_file():
            pytest.exit(f"PHYSIO_BINARY=bundled, but {_binary.BUNDLED} does not exist: install the wheel", returncode=4)
        return _binary.BUNDLED
    return _executable("PHYSIO_BINARY", REPO / ".build" / "debug" / "physio")


@pytest.fixture(scope="session")
def sim_binary() -> Path:
    return _executable("PHYSIONET_SIM", REPO / ".build" / "debug" / "physionet-sim")


@pytest.fixture(scope="session")
def simulator(sim_binary: Path) -> Iterator[Simulator]:
    """A fault-free simulator shared by the session."""
    server = Simulator(sim_binary, [])
    yield server
    server.stop()


@pytest.fixture
def faulty_simulator(sim_binary: Path) -> Iterator[Callable[..., Simulator]]:
    """Starts simulators with faults (``--fault`` specs), stopped at the end of the test."""
    started: List[Simulator] = []

    def start(*faults: str) -> Simulator:
        server = Simulator(sim_binary, list(faults))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, physio_binary: Path, simulator: Simulator) -> Path:
    """Each test: the simulator as PhysioNet, its own state and home (no netrc, no saved session), no
    credentials in the environment, and a data root at ``tmp_path / "data"`` (returned)."""
    home = tmp_path / "home"
    home.mkdir()
    from physiodl import _binary

    if physio_binary == _binary.BUNDLED:
        monkeypatch.delenv("PHYSIO_BINARY", raising=False)  # physiodl must find it by itself
    else:
        monkeypatch.setenv("PHYSIO_BINARY", str(physio_binary))
    monkeypatch.setenv("PHYSIO_BASE_URL", simulator.url)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    for name in ("PHYSIONET_USERNAME", "PHYSIONET_PASSWORD", "NETRC", "PHYSIO_DATA", "https_proxy", "HTTPS_PROXY",
                 "http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PHYSIO_RETRY_BASE_SECONDS", "0.05")
    data = tmp_path / "data"
    data.mkdir()
    return data


@pytest.fixture(autouse=True)
def timeout() -> Iterator[None]:
    """Every test has a deadline: SIGALRM raises in the test (and physiodl stops its physio child)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"test ran over {TEST_TIMEOUT_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(TEST_TIMEOUT_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def login_env(monkeypatch: pytest.MonkeyPatch, user: str) -> str:
    """Credentials for ``user`` in the environment, as a notebook user would export them."""
    password = PASSWORDS[user]
    monkeypatch.setenv("PHYSIONET_USERNAME", user)
    monkeypatch.setenv("PHYSIONET_PASSWORD", password)
    return password


class ChildWatch:
    """Records every physio child physiodl starts: its argv as physiodl passed it, and its command line and
    environment as the kernel shows them to other users (``/proc/<pid>/cmdline``), read while it runs."""

    def __init__(self) -> None:
        self.argvs: List[List[str]] = []
        self.cmdlines: List[List[str]] = []
        self.environs: List[bytes] = []
        self.processes: List[subprocess.Popen] = []


def _proc_cmdline(process: subprocess.Popen) -> List[str]:
    # Popen returns once exec has closed its close-on-exec pipe, a moment before the kernel has set up the
    # new program's arguments: until then cmdline reads empty. A running process always gets there.
    deadline = time.monotonic() + 10
    while True:
        with open(f"/proc/{process.pid}/cmdline", "rb") as f:
            parts = [part.decode() for part in f.read().split(b"\0") if part]
        if parts or process.poll() is not None or time.monotonic() > deadline:
            return parts
        time.sleep(0.001)


@pytest.fixture
def child_watch(monkeypatch: pytest.MonkeyPatch) -> ChildWatch:
    from physiodl import _runner

    watch = ChildWatch()
    original = _runner.subprocess.Popen

    class Recording(original):  # type: ignore[misc, valid-type]
        def __init__(self, args: List[str], *rest: object, **kwargs: object) -> None:
            super().__init__(args, *rest, **kwargs)  # returns after exec succeeded (or raises)
            if Path(str(args[0])).name == "physionet-sim":
                return  # a simulator the test starts
            watch.argvs.append([str(a) for a in args])
            watch.cmdlines.append(_proc_cmdline(self))
            with open(f"/proc/{self.pid}/environ", "rb") as f:
                watch.environs.append(f.read())
            watch.processes.append(self)

    monkeypatch.setattr(_runner.subprocess, "Popen", Recording)
    return watch


def fixture_list(slug: str, version: str) -> Optional[Path]:
    path = REPO / "Fixtures" / "physionet" / "files" / slug / version / "SHA256SUMS.txt"
    return path if path.exists() else None
