"""Credentials and access: never a prompt, never a password in argv, refusals that name what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

import physiodl
from conftest import PASSWORDS, login_env


def test_a_credentialed_fetch_without_credentials_raises_not_logged_in_naming_login(isolated: Path, child_watch) -> None:
    # No terminal, no credentials: physio must not wait on a prompt (the test's deadline would fire).
    with pytest.raises(physiodl.NotLoggedIn) as caught:
        physiodl.fetch("mimiciii", dest=isolated, progress=False)
    error = caught.value
    assert error.exit_code == 5
    assert error.kind == "loginRequired"
    assert "physiodl.login(" in str(error)
    assert "mimiciii 1.4 is not open access" in str(error)  # physio's own message first
    # The child had no terminal to prompt on: stdin was /dev/null.
    assert child_watch.processes and all(p.stdin is None for p in child_watch.processes)


def test_access_denied_carries_the_missing_requirements_and_their_pages(isolated: Path, monkeypatch, simulator, child_watch) -> None:
    password = login_env(monkeypatch, "nodua")
    with pytest.raises(physiodl.AccessDenied) as caught:
        physiodl.fetch("mimiciii", dest=isolated, progress=False)
    error = caught.value
    assert error.exit_code == 6 and error.kind == "accessRequirementsMissing"
    assert "sign the data use agreement" in str(error)
    assert [(r.kind, r.fix_url) for r in error.requirements] == [("signDUA", f"{simulator.url}/sign-dua/mimiciii/1.4/")]
    assert "physio sign-dua mimiciii@1.4" in error.requirements[0].explanation
    assert not (isolated / "mimiciii").exists() or not any((isolated / "mimiciii").rglob("*.csv.gz"))
    # The password reached physio through the environment only.
    assert child_watch.cmdlines and all(child_watch.cmdlines)
    assert all(password not in " ".join(argv) for argv in child_watch.cmdlines)


def test_status_then_a_credentialed_fetch(isolated: Path, monkeypatch) -> None:
    anonymous = physiodl.status("mimiciii")
    assert anonymous.logged_in_as is None
    assert anonymous["mimiciii"].needs_login and not anonymous.has_access

    physiodl.login("nodua", PASSWORDS["nodua"])
    refused = physiodl.status("mimiciii@1.4", "mimiciii-demo")
    assert refused.logged_in_as == "nodua"
    assert not refused["mimiciii"].has_access and refused["mimiciii-demo"].has_access
    assert [r.kind for r in refused["mimiciii@1.4"].requirements] == ["signDUA"]
    assert refused.exit_code == 6

    physiodl.logout()
    physiodl.login("credentialed", PASSWORDS["credentialed"])
    granted = physiodl.status("mimiciii")
    assert granted.has_access and granted["mimiciii"].requirements == []
    result = physiodl.fetch("mimiciii", dest=isolated, exclude="NOTEEVENTS.csv.gz", progress=False)
    assert result.ok and result.counts.verified == 4 and result.version == "1.4"


def test_login_passes_the_password_on_stdin_never_in_argv(faulty_simulator, monkeypatch, child_watch, physio_binary) -> None:
    # The server takes a second to check a password, so the child is certainly running when its command
    # line is read.
    server = faulty_simulator("password-check=1")
    monkeypatch.setenv("PHYSIO_BASE_URL", server.url)
    password = PASSWORDS["credentialed"]
    line = physiodl.login("credentialed", password)
    assert "credentialed" in line
    logins = [argv for argv in child_watch.cmdlines if argv[1:2] == ["login"]]
    assert logins == [[str(physio_binary), "login", "--username", "credentialed", "--password-stdin"]]
    assert all(password not in " ".join(argv) for argv in child_watch.cmdlines)
    assert all(password.encode() not in environ for environ in child_watch.environs)


def test_a_wrong_password_raises_not_logged_in(isolated: Path) -> None:
    with pytest.raises(physiodl.NotLoggedIn) as caught:
        physiodl.login("credentialed", "not-the-password")
    assert caught.value.kind is None or caught.value.kind == "wrongCredentials"
    # physio's own message, which names where the refused password came from.
    assert "refused the password for credentialed" in str(caught.value)
    assert "standard input" in str(caught.value)
    assert "not-the-password" not in str(caught.value) and "not-the-password" not in caught.value.stderr
