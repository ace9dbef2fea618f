"""The progress stream: physiodl's side against the contract (a stand-in binary), and the real binary's
numbers against its own summary once it has --progress-fd."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List

import pytest

import physiodl
from physiodl import _binary

FAKE = Path(__file__).with_name("fake_physio.py")


@pytest.fixture
def fake_physio(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PHYSIO_BINARY", str(FAKE))
    _binary._help_text.cache_clear()
    yield FAKE
    _binary._help_text.cache_clear()


def test_a_callback_gets_every_line_in_order(fake_physio: Path, monkeypatch, isolated: Path) -> None:
    monkeypatch.setenv("FAKE_PROGRESS_LINES", "7")
    seen: List[physiodl.Progress] = []
    result = physiodl.fetch("fake", dest=isolated, progress=seen.append)
    assert [p.files_done for p in seen] == list(range(1, 8))
    assert seen[-1].bytes_done == seen[-1].bytes_total == result.bytes == 7000
    assert seen[0].seconds_left is None and seen[-1].seconds_left == 0.0
    assert seen[0].bytes_per_second == 2048.0 and not seen[0].total_is_estimate


def test_tqdm_draws_a_bar_in_bytes_with_files(fake_physio: Path, capfd, isolated: Path) -> None:
    pytest.importorskip("tqdm")
    physiodl.fetch("fake", dest=isolated, progress=True)
    err = capfd.readouterr().err
    assert "fake:" in err and "5/5 files" in err and "100%" in err


def test_without_tqdm_a_few_plain_lines(fake_physio: Path, capfd, monkeypatch, isolated: Path) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import fails as if not installed
    monkeypatch.setenv("FAKE_PROGRESS_LINES", "40")
    physiodl.fetch("fake", dest=isolated)
    lines = [line for line in capfd.readouterr().err.splitlines() if line.startswith("fake:")]
    assert 2 <= len(lines) <= 6, lines
    assert lines[-1] == "fake: 39.1 KiB of 39.1 KiB (100%), 40/40 files, 2.0 KiB/s, 00:00 left"


def test_an_error_in_the_callback_is_raised_after_the_run(fake_physio: Path, isolated: Path) -> None:
    def broken(progress: physiodl.Progress) -> None:
        raise ValueError("the callback's own bug")

    with pytest.raises(ValueError, match="the callback's own bug"):
        physiodl.fetch("fake", dest=isolated, progress=broken)


def test_the_real_stream_agrees_with_the_summary(isolated: Path, physio_binary: Path) -> None:
    if not _binary.supports("fetch", "--progress-fd"):
        pytest.skip(f"{physio_binary} has no fetch --progress-fd yet")
    seen: List[physiodl.Progress] = []
    result = physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=seen.append)
    assert seen, "physio wrote no progress line"
    last = seen[-1]
    # Files of this run: those transferred, of those to transfer (physio's contract).
    assert last.files_done == result.counts.downloaded == 7
    assert last.files_total == result.counts.downloaded + result.counts.failed
    assert last.bytes_done == result.bytes
    assert last.bytes_total in (None, result.bytes)
    assert all(a.bytes_done <= b.bytes_done and a.files_done <= b.files_done for a, b in zip(seen, seen[1:]))


def test_the_real_stream_of_a_sync_covers_every_dataset(isolated: Path, physio_binary: Path, monkeypatch, tmp_path: Path) -> None:
    if not _binary.supports("sync", "--progress-fd"):
        pytest.skip(f"{physio_binary} has no sync --progress-fd yet")
    project = tmp_path / "project"
    project.mkdir()
    (project / "physio.toml").write_text(
        '[[dataset]]\nslug = "mimic-iv-demo-omop"\nversion = "0.9"\n\n'
        '[[dataset]]\nslug = "mimiciv"\nversion = "3.1"\ninclude = ["hosp/"]\n')
    monkeypatch.setenv("PHYSIONET_USERNAME", "credentialed")
    monkeypatch.setenv("PHYSIONET_PASSWORD", "Cred-Pass-1")
    seen: List[physiodl.Progress] = []
    result = physiodl.sync(project, progress=seen.append)
    assert [d.status for d in result.datasets] == ["updated", "updated"]
    assert seen, "physio wrote no progress line"
    for line in seen:
        assert line.files_total is None or line.files_done <= line.files_total, line
        assert line.bytes_total is None or line.bytes_done <= line.bytes_total, line
    assert seen[-1].bytes_done == sum(d.bytes for d in result.datasets)
    assert seen[-1].files_done == sum(d.added + d.changed for d in result.datasets)
