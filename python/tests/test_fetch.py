"""fetch: results, partial fetches, integrity failures, the errors of a refused or unknown dataset."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Dict

import pytest

import physiodl
from conftest import REPO, fixture_list


def sums(path: Path) -> Dict[str, str]:
    entries = {}
    for line in path.read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        entries[name.lstrip("*")] = digest
    return entries


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fetch_of_the_mimic_iii_demo_verifies_what_the_server_has_and_names_what_it_lacks(isolated: Path) -> None:
    listed = sums(fixture_list("mimiciii-demo", "1.4"))  # the genuine list; the fixture lacks a few large files
    folder = REPO / "Fixtures" / "physionet" / "files" / "mimiciii-demo" / "1.4"
    absent = sorted(name for name in listed if not (folder / name).exists())
    assert absent, "the fixture should lack some files of the genuine list"

    with pytest.raises(physiodl.PartialFetch) as caught:
        physiodl.fetch("mimiciii-demo", dest=isolated, progress=False)
    error = caught.value
    assert error.exit_code == 8
    assert sorted(f.path for f in error.failures) == absent
    assert all("404" in f.reason for f in error.failures)
    result = error.result
    assert isinstance(result, physiodl.FetchResult)
    assert result.path == isolated / "mimiciii-demo" / "1.4"
    assert result.counts.verified == len(listed) - len(absent) == result.counts.downloaded
    assert str(result.counts.failed) in str(error) and str(result.counts.verified) in str(error)
    for name, digest in listed.items():
        target = result.path / name
        if name in absent:
            assert not target.exists()
        else:
            assert sha256(target) == digest, name
    assert result.bytes == sum((folder / name).stat().st_size for name in listed if name not in absent)

    # The same call without the absent files: nothing to transfer, everything already verified.
    again = physiodl.fetch("mimiciii-demo@1.4", dest=isolated, exclude=absent, progress=False)
    assert again.ok and again.exit_code == 0
    assert (again.counts.verified, again.counts.skipped, again.counts.downloaded, again.bytes) == (len(listed) - len(absent), len(listed) - len(absent), 0, 0)
    assert again.failures == []


def test_include_selects_files_and_jobs_is_passed_on(isolated: Path, child_watch) -> None:
    result = physiodl.fetch("mimic-iv-demo-omop", dest=isolated, include="2_achilles_json/*", jobs=2, progress=False)
    assert result.ok
    files = sorted(str(p.relative_to(result.path)) for p in result.path.rglob("*") if p.is_file() and p.name != "SHA256SUMS.txt")
    assert files == ["2_achilles_json/achilles_heel.json", "2_achilles_json/dashboard.json", "2_achilles_json/person/person_by_year.json"]
    fetch_argv = next(argv for argv in child_watch.argvs if argv[1] == "fetch" and "--help" not in argv)
    assert fetch_argv[fetch_argv.index("-j") + 1] == "2"


def test_a_file_missing_on_the_server_makes_a_partial_fetch(isolated: Path, faulty_simulator, monkeypatch) -> None:
    server = faulty_simulator("status=404@/files/mimic-iv-demo-omop/0.9/1_omop_data_csv/person.csv")
    monkeypatch.setenv("PHYSIO_BASE_URL", server.url)
    with pytest.raises(physiodl.PartialFetch) as caught:
        physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=False)
    error = caught.value
    assert [(f.path, "404" in f.reason) for f in error.failures] == [("1_omop_data_csv/person.csv", True)]
    assert error.result.counts.verified == 7 - 1
    assert "1_omop_data_csv/person.csv" in str(error)
    assert not (error.result.path / "1_omop_data_csv" / "person.csv").exists()

    # The server has it again: the same call fetches only that file.
    monkeypatch.setenv("PHYSIO_BASE_URL", faulty_simulator().url)
    result = physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=False)
    assert result.ok and result.counts.downloaded == 1 and result.counts.skipped == 6
    assert result.bytes == 20480


def test_bytes_that_never_match_their_hash_raise_integrity_error(isolated: Path, faulty_simulator, monkeypatch) -> None:
    # Every response for this file has one byte flipped: the re-download mismatches again.
    server = faulty_simulator("flip=100@/files/mimic-iv-demo-omop/0.9/1_omop_data_csv/visit_occurrence.csv")
    monkeypatch.setenv("PHYSIO_BASE_URL", server.url)
    with pytest.raises(physiodl.IntegrityError) as caught:
        physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=False)
    error = caught.value
    assert error.exit_code == 7
    assert [f.path for f in error.failures] == ["1_omop_data_csv/visit_occurrence.csv"]
    assert not (error.result.path / "1_omop_data_csv" / "visit_occurrence.csv").exists()
    assert error.result.counts.verified == 6


def test_an_unknown_dataset_raises_not_found(isolated: Path) -> None:
    with pytest.raises(physiodl.NotFound) as caught:
        physiodl.fetch("no-such-dataset", dest=isolated, progress=False)
    assert caught.value.exit_code == 3
    assert "no-such-dataset" in str(caught.value)
    assert caught.value.kind is not None


def test_bad_arguments_raise_usage_error_with_physios_message(isolated: Path) -> None:
    with pytest.raises(physiodl.UsageError) as caught:
        physiodl.fetch("mimiciii-demo", dest=isolated, jobs=0, progress=False)
    assert str(caught.value) == "-j must be at least 1."


def test_a_held_lock_raises_locked(isolated: Path) -> None:
    import fcntl
    import os

    # Another run's lock: physio's lock file under the root, held with flock as physio holds it.
    physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=False)
    lock = isolated / ".physio" / "locks" / "mimic-iv-demo-omop@0.9.lock"
    assert lock.exists()
    with open(lock, "r+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.seek(0)
        held.write(f"pid {os.getpid()} on this host")
        held.flush()
        with pytest.raises(physiodl.Locked) as caught:
            physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=False)
    assert caught.value.exit_code == 10
