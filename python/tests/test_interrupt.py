"""KeyboardInterrupt: physio gets one SIGINT, keeps its work and exits 130; the same call then resumes."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Callable, List, Optional

import pytest

import physiodl
from physiodl import _binary
from conftest import REPO

INTERRUPT_AFTER_BYTES = 1_000_000


def _partial_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in (root / ".physio" / "partial").rglob("*.part"))


def test_keyboard_interrupt_stops_physio_in_good_order_and_the_next_fetch_resumes(isolated: Path, faulty_simulator, monkeypatch, child_watch) -> None:
    # Slow transfers (256 KiB/s a response), so the run is surely under way when it is interrupted.
    slow = faulty_simulator("rate=262144@/files/mimiciii-demo/1.4/*")
    monkeypatch.setenv("PHYSIO_BASE_URL", slow.url)
    folder = REPO / "Fixtures" / "physionet" / "files" / "mimiciii-demo" / "1.4"
    total = sum(p.stat().st_size for p in folder.iterdir() if p.is_file() and p.name != "SHA256SUMS.txt")

    # The interrupt is sent on an event: a progress line saying 1 MB arrived (or, from a physio without the
    # progress stream, the first received bytes in a .part file, looked for every 20 ms).
    streamed = _binary.supports("fetch", "--progress-fd")
    done: List[int] = [0]
    sent = threading.Event()

    def interrupt() -> None:
        if not sent.is_set():
            sent.set()
            os.kill(os.getpid(), signal.SIGINT)

    progress: Optional[Callable[[physiodl.Progress], None]] = None
    watcher: Optional[threading.Thread] = None
    if streamed:
        def progress(line: physiodl.Progress) -> None:
            done[0] = line.bytes_done
            if line.bytes_done >= INTERRUPT_AFTER_BYTES:
                interrupt()
    else:
        def watch() -> None:
            while not sent.is_set():
                if (isolated / ".physio" / "partial").exists() and _partial_bytes(isolated) > 0:
                    interrupt()
                sent.wait(0.02)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()

    with pytest.raises(KeyboardInterrupt):
        physiodl.fetch("mimiciii-demo@1.4", dest=isolated, progress=progress if streamed else False)
    sent.set()
    if watcher is not None:
        watcher.join()

    fetches = [p for p, argv in zip(child_watch.processes, child_watch.argvs) if argv[1] == "fetch" and "--help" not in argv]
    assert [p.returncode for p in fetches] == [130]  # physio's own orderly stop, not a kill
    assert _partial_bytes(isolated) > 0, "physio kept what it had received"
    lock = isolated / ".physio" / "locks" / "mimiciii-demo@1.4.lock"
    assert lock.read_text() == "", "the lock was released"

    # Resume from a fast server: what arrived before the interrupt is not fetched again.
    monkeypatch.setenv("PHYSIO_BASE_URL", faulty_simulator().url)
    with pytest.raises(physiodl.PartialFetch) as caught:  # the fixture lacks a few files of the real list
        physiodl.fetch("mimiciii-demo@1.4", dest=isolated, progress=False)
    result = caught.value.result
    assert all("404" in f.reason for f in result.failures)
    assert result.counts.verified == result.counts.downloaded + result.counts.skipped
    assert result.bytes < total
    if streamed:
        # physio's last progress line (written as it stopped) counts every byte it kept.
        assert done[0] >= INTERRUPT_AFTER_BYTES
        assert result.bytes + done[0] == total
    assert not any((isolated / ".physio" / "partial").rglob("*.part"))
