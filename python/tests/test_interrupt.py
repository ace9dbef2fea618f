"""KeyboardInterrupt: physio gets one SIGINT, keeps its work and exits 130; the same call then resumes."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

import physiodl
from conftest import REPO


def _partial_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in (root / ".physio" / "partial").rglob("*.part"))


def test_keyboard_interrupt_stops_physio_in_good_order_and_the_next_fetch_resumes(isolated: Path, faulty_simulator, monkeypatch, child_watch) -> None:
    # Slow transfers (64 KiB/s a response), so the run is surely under way when it is interrupted.
    slow = faulty_simulator("rate=65536@/files/mimiciii-demo/1.4/*")
    monkeypatch.setenv("PHYSIO_BASE_URL", slow.url)
    partial = isolated / ".physio" / "partial"
    interrupted = threading.Event()

    def interrupt_once_bytes_arrive() -> None:
        # Waits for the event that matters: received bytes in a .part file (inotify-free: a short poll on
        # the file system, never a fixed sleep).
        while not interrupted.is_set():
            if partial.exists() and _partial_bytes(isolated) > 0:
                os.kill(os.getpid(), signal.SIGINT)
                interrupted.set()
                return
            interrupted.wait(0.02)

    watcher = threading.Thread(target=interrupt_once_bytes_arrive, daemon=True)
    watcher.start()
    with pytest.raises(KeyboardInterrupt):
        physiodl.fetch("mimiciii-demo@1.4", dest=isolated, progress=False)
    interrupted.set()
    watcher.join()

    fetches = [p for p, argv in zip(child_watch.processes, child_watch.argvs) if argv[1] == "fetch" and "--help" not in argv]
    assert [p.returncode for p in fetches] == [130]  # physio's own orderly stop, not a kill
    kept = _partial_bytes(isolated)
    assert kept > 0, "physio kept what it had received"
    lock = isolated / ".physio" / "locks" / "mimiciii-demo@1.4.lock"
    assert lock.read_text() == "", "the lock was released"

    # Resume from the fast server: the kept bytes are not fetched again.
    monkeypatch.setenv("PHYSIO_BASE_URL", faulty_simulator().url)
    with pytest.raises(physiodl.PartialFetch) as caught:  # the fixture lacks a few files of the real list
        physiodl.fetch("mimiciii-demo@1.4", dest=isolated, progress=False)
    result = caught.value.result
    folder = REPO / "Fixtures" / "physionet" / "files" / "mimiciii-demo" / "1.4"
    total = sum(p.stat().st_size for p in folder.iterdir() if p.is_file() and p.name != "SHA256SUMS.txt")
    verified_before = result.counts.skipped
    assert result.counts.verified == result.counts.downloaded + verified_before
    assert all("404" in f.reason for f in result.failures)
    assert result.bytes < total
    assert _partial_bytes(isolated) == 0
