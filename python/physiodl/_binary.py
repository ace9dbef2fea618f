"""Where the ``physio`` binary is, what it supports, and the environment it runs in."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path
from typing import Dict, Optional

from .errors import BinaryNotFound

#: The binary a wheel carries, beside this file.
BUNDLED = Path(__file__).resolve().parent / "_bin" / "physio"

# The CA bundle the bundled libcurl was built to read (Debian's), and where other distributions keep theirs.
# A wheel runs on RHEL, SUSE, Alpine-with-glibc alike; physio honours SSL_CERT_FILE.
_CA_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",  # RHEL, Fedora, CentOS, Rocky, Alma
    "/etc/ssl/ca-bundle.pem",  # openSUSE, SLES
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # RHEL 7+
    "/etc/ssl/cert.pem",  # Alpine, macOS-like layouts
)


def binary() -> Path:
    """The ``physio`` binary this package runs: ``$PHYSIO_BINARY`` when set, else the one bundled in the
    wheel, else ``physio`` on ``PATH`` (a source checkout installed with ``pip install ./python``)."""
    override = os.environ.get("PHYSIO_BINARY")
    if override:
        path = Path(override)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BinaryNotFound(f"PHYSIO_BINARY names {override}, which is not an executable file. Point it at a physio binary, or unset it to use the bundled one.")
        return path
    if BUNDLED.is_file():
        return BUNDLED
    found = _physio_on_path()
    if found:
        return found
    raise BinaryNotFound(
        "No physio binary was found: this installation of physiodl carries none and none is on PATH. "
        "Install the wheel for your platform (pip install physiodl), or set PHYSIO_BINARY to a physio binary."
    )


def _physio_on_path() -> Optional[Path]:
    """The first ``physio`` on PATH that is a program, skipping the ``physio`` script this package installs
    (which runs this very lookup, and would run itself forever)."""
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder or ".") / "physio"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            try:
                with open(candidate, "rb") as f:
                    if f.read(4) == b"\x7fELF":
                        return candidate
            except OSError:
                continue
    return None


def environment(base: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The environment for a physio child: this process's, plus a CA bundle for the bundled libcurl when the
    machine keeps its certificates somewhere other than where Debian does and nothing else is set."""
    env = dict(os.environ if base is None else base)
    if binary_is_bundled() and not any(env.get(name) for name in ("SSL_CERT_FILE", "CURL_CA_BUNDLE")):
        if not os.path.exists(_CA_BUNDLES[0]):
            for candidate in _CA_BUNDLES[1:]:
                if os.path.exists(candidate):
                    env["SSL_CERT_FILE"] = candidate
                    break
    return env


def binary_is_bundled() -> bool:
    return not os.environ.get("PHYSIO_BINARY") and BUNDLED.is_file()


@functools.lru_cache(maxsize=None)
def _help_text(path: str, *words: str) -> str:
    completed = subprocess.run(
        [path, *words, "--help"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment(),
        timeout=60,
    )
    return completed.stdout.decode("utf-8", "replace")


def supports(command: str, option: str) -> bool:
    """Whether this binary's ``physio COMMAND`` takes ``option`` (read from its ``--help``, once per binary)."""
    return option in _help_text(str(binary()), command)
