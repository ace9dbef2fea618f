"""The wheel in a bare root (scripts/test-release runs this inside the root with the venv's python3):
a fetch of the MIMIC-IV demo's hosp module, verify, then a KeyboardInterrupt during a slow fetch and the
resume (which must transfer exactly the bytes the interrupted run had not). argv: DATA_ROOT FAST_URL SLOW_URL. Prints one line per check, "ok" or "FAILED"; exits 1 on any."""

import os
import signal
import sys
from pathlib import Path

import physiodl

root, fast, slow = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
failed = 0


def check(what: str, ok: bool) -> None:
    global failed
    print(("ok: " if ok else "FAILED: ") + what, flush=True)
    failed += 0 if ok else 1


os.environ["PHYSIO_BASE_URL"] = fast
demo = physiodl.fetch("mimic-iv-demo@2.2", dest=root, include="hosp/*", progress=False)
check(f"fetch mimic-iv-demo@2.2 hosp/*: {demo.counts.verified} verified, {demo.bytes} bytes into {demo.path}",
      demo.ok and demo.counts.verified == 22 and (demo.path / "hosp" / "patients.csv.gz").is_file())
reports = physiodl.verify("mimic-iv-demo@2.2", dest=root, full=True)
check(f"verify --full: {reports[0].verified} verified, nothing changed", reports[0].ok and reports[0].verified == 22)

os.environ["PHYSIO_BASE_URL"] = slow
partial = root / ".physio" / "partial"
done = [0]


def interrupt_after_a_megabyte(line: physiodl.Progress) -> None:
    done[0] = line.bytes_done
    if line.bytes_done >= 1_000_000 and not getattr(interrupt_after_a_megabyte, "sent", False):
        interrupt_after_a_megabyte.sent = True  # type: ignore[attr-defined]
        os.kill(os.getpid(), signal.SIGINT)


try:
    physiodl.fetch("mimiciii-demo@1.4", dest=root, progress=interrupt_after_a_megabyte)
    check("the slow fetch was interrupted", False)
except KeyboardInterrupt:
    kept = sum(p.stat().st_size for p in partial.rglob("*.part"))
    lock = root / ".physio" / "locks" / "mimiciii-demo@1.4.lock"
    check(f"KeyboardInterrupt after {done[0]} bytes: physio stopped, kept its partial files, released its lock",
          done[0] >= 1_000_000 and kept > 0 and lock.read_text() == "")
except physiodl.PhysioError as error:
    check(f"the slow fetch was interrupted (it raised {type(error).__name__}: {error})", False)

os.environ["PHYSIO_BASE_URL"] = fast
try:
    resumed = physiodl.fetch("mimiciii-demo@1.4", dest=root, progress=False)
except physiodl.PartialFetch as error:  # the fixture lacks a few files of the genuine list
    resumed = error.result
check(f"resume: {resumed.counts.skipped} already verified, {resumed.counts.downloaded} downloaded, "
      f"{resumed.bytes} bytes + {done[0]} before the interrupt = {resumed.bytes + done[0]}; "
      f"failed only the files the server lacks: {[f.path for f in resumed.failures]}",
      all("404" in f.reason for f in resumed.failures) and resumed.counts.verified == 23
      and resumed.bytes + done[0] == sum(p.stat().st_size for p in resumed.path.iterdir() if p.is_file() and p.name != "SHA256SUMS.txt")
      and not any(partial.rglob("*.part")))
sys.exit(1 if failed else 0)
