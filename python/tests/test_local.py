"""verify, sync and cite against local data; finding the binary."""

from __future__ import annotations

from pathlib import Path

import pytest

import physiodl


def test_verify_reports_a_changed_file_as_an_integrity_error(isolated: Path) -> None:
    result = physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=False)
    reports = physiodl.verify("mimic-iv-demo-omop", dest=isolated, full=True)
    assert [(r.slug, r.version, r.verified, r.ok, r.full) for r in reports] == [("mimic-iv-demo-omop", "0.9", 7, True, True)]

    target = result.path / "README.txt"
    data = bytearray(target.read_bytes())
    data[0] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(physiodl.IntegrityError) as caught:
        physiodl.verify(dest=isolated, full=True)
    assert [r.changed for r in caught.value.reports] == [["README.txt"]]
    assert "README.txt" in str(caught.value)

    repaired = physiodl.fetch("mimic-iv-demo-omop@0.9", dest=isolated, progress=False)
    assert repaired.counts.downloaded == 1
    assert physiodl.verify(dest=isolated, full=True)[0].ok


def test_verify_of_nothing_fetched_is_nothing_wrong(isolated: Path) -> None:
    # As `physio list`: an empty root exits 0 with no reports.
    assert physiodl.verify(dest=isolated) == []


def test_sync_brings_a_root_to_its_physio_toml_then_cite_prints_bibtex(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "physio.toml").write_text('[[dataset]]\nslug = "mimic-iv-demo-omop"\nversion = "0.9"\n')
    first = physiodl.sync(project, progress=False)
    assert [(d.slug, d.version, d.status, d.added) for d in first.datasets] == [("mimic-iv-demo-omop", "0.9", "updated", 7)]
    assert (project / "mimic-iv-demo-omop" / "0.9" / "README.txt").is_file()
    assert (project / "physio.lock").is_file()
    again = physiodl.sync(project / "physio.toml", progress=False)
    assert [(d.status, d.unchanged, d.bytes) for d in again.datasets] == [("current", 7, 0)]

    monkeypatch.chdir(project)
    bibtex = physiodl.cite()
    assert bibtex.lstrip().startswith("@")
    assert "mimic" in bibtex.lower()
    assert "Goldberger" in bibtex  # PhysioNet's own citation follows, as its terms ask


def test_physio_binary_naming_no_executable_raises_binary_not_found(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PHYSIO_BINARY", str(tmp_path / "nothing-here"))
    with pytest.raises(physiodl.BinaryNotFound) as caught:
        physiodl.status()
    assert "PHYSIO_BINARY" in str(caught.value)


def test_exit_codes_map_to_one_class_each() -> None:
    from physiodl.errors import error_for_exit_code

    expected = {
        1: physiodl.InternalError, 2: physiodl.UsageError, 3: physiodl.NotFound, 4: physiodl.NetworkError,
        5: physiodl.NotLoggedIn, 6: physiodl.AccessDenied, 7: physiodl.IntegrityError, 8: physiodl.PartialFetch,
        9: physiodl.LocalFilesystemError, 10: physiodl.Locked, 130: physiodl.Interrupted, 143: physiodl.Terminated,
    }
    assert {code: error_for_exit_code(code) for code in expected} == expected
    assert len(set(expected.values())) == len(expected)
    assert all(issubclass(cls, physiodl.PhysioError) for cls in expected.values())
    assert error_for_exit_code(99) is physiodl.PhysioError


def test_the_binary_on_path_is_a_program_never_this_packages_own_script(monkeypatch, tmp_path: Path, physio_binary: Path) -> None:
    from physiodl import _binary

    if _binary.BUNDLED.is_file():
        pytest.skip("an installed wheel runs its bundled binary")
    scripts = tmp_path / "venv-bin"
    scripts.mkdir()
    (scripts / "physio").write_text("#!/usr/bin/env python3\nfrom physiodl._cli import main\nmain()\n")
    (scripts / "physio").chmod(0o755)
    monkeypatch.delenv("PHYSIO_BINARY")
    monkeypatch.setenv("PATH", f"{scripts}:{physio_binary.parent}")
    assert _binary.binary() == physio_binary.parent / "physio"
    monkeypatch.setenv("PATH", str(scripts))
    with pytest.raises(physiodl.BinaryNotFound):
        _binary.binary()


def test_a_bundled_binary_gets_the_machines_ca_bundle_when_debians_is_absent(monkeypatch, tmp_path: Path) -> None:
    from physiodl import _binary

    bundled = tmp_path / "_bin" / "physio"
    bundled.parent.mkdir()
    bundled.write_bytes(b"\x7fELF")
    rhel = tmp_path / "ca-bundle.crt"
    rhel.write_text("certificates")
    monkeypatch.setattr(_binary, "BUNDLED", bundled)
    monkeypatch.setattr(_binary, "_CA_BUNDLES", (str(tmp_path / "absent.crt"), str(rhel)))
    monkeypatch.delenv("PHYSIO_BINARY")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    assert _binary.environment()["SSL_CERT_FILE"] == str(rhel)
    monkeypatch.setenv("CURL_CA_BUNDLE", "/etc/mine.pem")  # the user's choice stands
    assert "SSL_CERT_FILE" not in _binary.environment()
    monkeypatch.delenv("CURL_CA_BUNDLE")
    monkeypatch.setattr(_binary, "_CA_BUNDLES", (str(rhel), str(tmp_path / "other.crt")))  # Debian's is there
    assert "SSL_CERT_FILE" not in _binary.environment()
