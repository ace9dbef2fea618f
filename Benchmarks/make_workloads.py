#!/usr/bin/env python3
"""Writes the benchmark workloads under <srv>/files/<slug>/<version>/, each with a SHA256SUMS.txt in
PhysioNet's format (one space, byte-sorted, not listing itself). Deterministic, and reused when present."""
import argparse
import hashlib
import os
import random
import shutil


def write_sums(folder):
    lines = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, folder)
            if rel == "SHA256SUMS.txt":
                continue
            digest = hashlib.sha256()
            with open(full, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            lines.append((rel.encode(), f"{digest.hexdigest()} {rel}\n"))
    lines.sort()
    with open(os.path.join(folder, "SHA256SUMS.txt"), "w", encoding="utf-8") as out:
        out.writelines(line for _, line in lines)


def big(srv, mib):
    folder = os.path.join(srv, "files/bench-big/1.0")
    target = os.path.join(folder, "big.bin")
    if os.path.exists(target) and os.path.getsize(target) == mib << 20:
        return
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(1)
    with open(target, "wb") as out:
        block = rng.randbytes(1 << 20)
        for index in range(mib):
            # Vary each MiB cheaply so the file is not one repeated block.
            out.write(index.to_bytes(8, "little") + block[8:])
    write_sums(folder)


def small(srv, count):
    folder = os.path.join(srv, "files/bench-small/1.0")
    marker = os.path.join(folder, f".count-{count}")
    if os.path.exists(marker):
        return
    shutil.rmtree(folder, ignore_errors=True)
    rng = random.Random(2)
    for index in range(count):
        sub = os.path.join(folder, f"p{index % 100:02d}", f"s{index // 100 % 20:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"record-{index:05d}.dat"), "wb") as out:
            out.write(rng.randbytes(rng.randint(512, 8192)))
    write_sums(folder)
    open(marker, "w").close()


def demo(srv, source):
    folder = os.path.join(srv, "files/bench-demo/2.2")
    if os.path.exists(os.path.join(folder, "SHA256SUMS.txt")):
        return
    shutil.copytree(source, folder, dirs_exist_ok=True)
    write_sums(folder)


parser = argparse.ArgumentParser()
parser.add_argument("srv")
parser.add_argument("--small-files", type=int, default=20000)
parser.add_argument("--big-mib", type=int, default=1024)
parser.add_argument("--demo", required=True)
args = parser.parse_args()
big(args.srv, args.big_mib)
small(args.srv, args.small_files)
demo(args.srv, args.demo)
