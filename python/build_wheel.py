#!/usr/bin/env python3
"""Builds the physiodl wheel around a physio binary, reproducibly, then vendors the shared libraries the
manylinux policy does not allow with `auditwheel repair`.

    python3 python/build_wheel.py --binary dist/physio --version 0.1.0 --out dist/

1. A `py3-none-linux_<arch>` wheel: the package (python/physiodl), the binary as physiodl/_bin/physio, a
   `physio` console script that execs it, the licence (and the Debian copyright file of each library
   auditwheel vendors), and metadata from python/pyproject.toml. Entries are
   sorted, dated SOURCE_DATE_EPOCH (else 1980-01-01), with fixed modes, so the same inputs give the same bytes.
2. `auditwheel repair` copies libcurl, OpenSSL, SQLite and what they link into physiodl.libs/, points the
   binary's RPATH there, and names the wheel after the oldest manylinux policy its symbols allow
   (py3-none-manylinux_2_34_x86_64 for scripts/release's binary). auditwheel dates the zip SOURCE_DATE_EPOCH
   too.

Prints the repaired wheel's path. Needs Python 3.11 (tomllib), auditwheel and patchelf.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def metadata(project: dict, readme: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
        f"License: {project['license']['text']}",
        f"Author: {project['authors'][0]['name']}",
        f"Keywords: {','.join(project['keywords'])}",
    ]
    lines += [f"Classifier: {c}" for c in project["classifiers"]]
    for extra, requirements in sorted(project.get("optional-dependencies", {}).items()):
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r}; extra == "{extra}"' for r in requirements]
    lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + readme


# What the manylinux policy lets a wheel take from the system; auditwheel vendors every other library (the
# build checks afterwards that each vendored library's licence is in the wheel).
SYSTEM_LIBRARIES = ("linux-vdso", "ld-linux", "libc.so", "libm.so", "libstdc++.so", "libgcc_s.so", "libpthread.so",
                    "libdl.so", "librt.so", "libresolv.so", "libz.so")


def _owner(path: str) -> str | None:
    """The Debian package that installed ``path`` (dpkg knows a file by the path its package ships, which
    with /usr merged may differ from the one the loader resolved)."""
    real = os.path.realpath(path)
    candidates = [path, real]
    for name in (path, real):
        candidates.append(name[4:] if name.startswith("/usr/") else "/usr" + name)
    for candidate in candidates:
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.split(":")[0].strip()
    return None


def vendored_licences(binary: Path) -> tuple[dict[str, bytes], set[str]]:
    """The Debian copyright file of each package whose library auditwheel will copy into the wheel (libcurl,
    OpenSSL, SQLite and what they link), and those libraries' file names. Empty off Debian."""
    if shutil.which("dpkg") is None:
        print("build_wheel.py: no dpkg here; the vendored libraries' licences are not added", file=sys.stderr)
        return {}, set()
    listing = subprocess.run(["ldd", str(binary)], check=True, capture_output=True, text=True).stdout
    licences: dict[str, bytes] = {}
    libraries: set[str] = set()
    for line in listing.splitlines():
        parts = line.split("=>")
        if len(parts) != 2 or parts[0].strip().startswith(SYSTEM_LIBRARIES):
            continue
        path = parts[1].split("(")[0].strip()
        package = _owner(path)
        if package is None:
            sys.exit(f"build_wheel.py: no Debian package owns {path}, so its licence cannot be added")
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        if not copyright_file.is_file():
            sys.exit(f"build_wheel.py: {copyright_file} is missing; the wheel must carry {package}'s licence")
        licences[package] = copyright_file.read_bytes()
        libraries.add(os.path.basename(os.path.realpath(path)))
    return licences, libraries


def build(binary: Path, version: str, out: Path) -> Path:
    pyproject = tomllib.loads((HERE / "pyproject.toml").read_text())
    project = pyproject["project"]
    if project["version"] != version:
        sys.exit(f"build_wheel.py: python/pyproject.toml says version {project['version']}, physio is {version}; make them agree")
    init = (HERE / "physiodl" / "__init__.py").read_text()
    if f'__version__ = "{version}"' not in init:
        sys.exit(f"build_wheel.py: physiodl/__init__.py's __version__ is not {version}")
    name = project["name"]
    arch = platform.machine()
    tag = f"py3-none-linux_{arch}"
    dist_info = f"{name}-{version}.dist-info"

    files: dict[str, tuple[bytes, int]] = {}
    for source in sorted((HERE / "physiodl").rglob("*")):
        relative = source.relative_to(HERE).as_posix()
        if source.is_dir() or "__pycache__" in relative or relative.startswith("physiodl/_bin/"):
            continue
        files[relative] = (source.read_bytes(), 0o644)
    files["physiodl/_bin/physio"] = (binary.read_bytes(), 0o755)
    files[f"{dist_info}/METADATA"] = (metadata(project, (HERE / "README.md").read_text()).encode(), 0o644)
    files[f"{dist_info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: physio build_wheel.py\nRoot-Is-Purelib: false\nTag: {tag}\n".encode(), 0o644)
    scripts = "".join(f"{k} = {v}\n" for k, v in sorted(project["scripts"].items()))
    files[f"{dist_info}/entry_points.txt"] = (f"[console_scripts]\n{scripts}".encode(), 0o644)
    files[f"{dist_info}/LICENSE"] = ((REPO / "LICENSE").read_bytes(), 0o644)
    files[f"{dist_info}/licenses/physio-binary.txt"] = ((HERE / "physio-binary-licences.txt").read_bytes(), 0o644)
    licences, licensed_libraries = vendored_licences(binary)
    for package, text in sorted(licences.items()):
        files[f"{dist_info}/licenses/{package}.copyright"] = (text, 0o644)
    record = "".join(f"{path},{record_hash(data)},{len(data)}\n" for path, (data, _) in sorted(files.items()))
    files[f"{dist_info}/RECORD"] = ((record + f"{dist_info}/RECORD,,\n").encode(), 0o644)

    # Zip times start in 1980; SOURCE_DATE_EPOCH=0 (the tarball's default) becomes 1980-01-01.
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), 315532800)
    stamp = time.gmtime(epoch)[:6]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / f"{name}-{version}-{tag}.whl"
        with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as archive:
            # RECORD last, as the wheel spec recommends; everything else sorted.
            for path in sorted(files, key=lambda p: (p.endswith("/RECORD"), p)):
                data, mode = files[path]
                info = zipfile.ZipInfo(path, date_time=stamp)
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=9)
        repaired = Path(scratch) / "repaired"
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
        subprocess.run(
            [sys.executable, "-m", "auditwheel", "repair", "--plat", "auto", "-z", "9", "-w", str(repaired), str(plain)],
            check=True, env=env, stdout=sys.stderr)
        wheels = list(repaired.glob("*.whl"))
        if len(wheels) != 1:
            sys.exit(f"build_wheel.py: auditwheel made {len(wheels)} wheels")
        if licences:
            with zipfile.ZipFile(wheels[0]) as repaired_wheel:
                grafted = {Path(n).name for n in repaired_wheel.namelist() if n.startswith(f"{name}.libs/") and not n.endswith("/")}
            # auditwheel names a copy <name>-<8 hex digits><rest>: libcurl.so.4.8.0 -> libcurl-02fbea31.so.4.8.0.
            unlicensed = sorted(g for g in grafted if re.sub(r"-[0-9a-f]{8}(?=\.)", "", g, count=1) not in licensed_libraries)
            if unlicensed:
                sys.exit(f"build_wheel.py: auditwheel vendored libraries whose licence the wheel lacks: {', '.join(unlicensed)}")
        target = out / wheels[0].name
        for old in out.glob(f"{name}-{version}-*.whl"):
            old.unlink()
        shutil.move(str(wheels[0]), target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, required=True, help="the stripped physio binary")
    parser.add_argument("--version", required=True, help="physio's version; must match python/pyproject.toml")
    parser.add_argument("--out", type=Path, required=True, help="where the wheel goes")
    arguments = parser.parse_args()
    print(build(arguments.binary, arguments.version, arguments.out))


if __name__ == "__main__":
    main()
