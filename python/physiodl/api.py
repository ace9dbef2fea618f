"""The functions: each runs one physio command with ``--json`` and turns its answer into a result, or its
exit code into an exception. A new command is one function here: build the arguments, ``_run``, parse."""

from __future__ import annotations

import getpass
import os
import warnings
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _binary, _runner
from ._progress import ProgressOption, display_for
from .errors import AccessDenied, NotLoggedIn, PhysioError, error_for_exit_code
from .results import FetchResult, Project, Requirement, StatusReport, SyncResult, Version, VerifyReport

__all__ = ["fetch", "status", "verify", "sync", "cite", "search", "versions", "login", "logout"]

PathLike = Union[str, "os.PathLike[str]"]
Patterns = Union[str, Iterable[str], None]

_LOGIN_HINT = 'In Python: physiodl.login("your-username") (asks for the password), or set PHYSIONET_USERNAME and PHYSIONET_PASSWORD before the call.'


def fetch(
    dataset: str,
    *,
    dest: Optional[PathLike] = None,
    include: Patterns = None,
    exclude: Patterns = None,
    jobs: Optional[int] = None,
    source: Optional[str] = None,
    progress: ProgressOption = None,
) -> FetchResult:
    """Download a dataset version into ``dest`` (default ``$PHYSIO_DATA``, else the current folder),
    verifying every file with SHA-256 and resuming what an earlier run left partial.

    Args:
        dataset: ``"mimiciii-demo"`` (the latest version) or ``"mimiciv@3.1"``.
        dest: the data root; files land in ``<dest>/<slug>/<version>/``.
        include: a glob or list of globs; only matching files (``"hosp/*"``, ``"*.csv.gz"``).
        exclude: globs of files to skip.
        jobs: parallel transfers (physio's default is 4 from PhysioNet, at most 8).
        source: where the bytes come from: ``"physionet"``, ``"aws-open"``, ``"auto"``, ``"s3://..."``,
            ``"gs://..."``. The list and the hashes always come from PhysioNet.
        progress: ``True`` or ``None`` draws a bar (tqdm when installed, else a few lines on stderr),
            ``False`` draws nothing, a function is called with each :class:`~physiodl.Progress`.

    Returns:
        A :class:`FetchResult`; ``result.path`` is the data folder.

    Raises:
        NotLoggedIn: the dataset needs a login and none was found; call :func:`login` first.
        AccessDenied: your account lacks a requirement; ``error.requirements`` says which and where to fix it.
        PartialFetch: some files failed (``error.failures``), the rest are verified; call again to retry them.
        IntegrityError, NotFound, NetworkError, Locked, LocalFilesystemError, UsageError: as their names say.

    A KeyboardInterrupt (the notebook's stop button) stops physio in good order, then is raised again:
    verified files are recorded and partial ones kept, so calling ``fetch`` again resumes.
    """
    args = ["fetch", dataset, "--json"]
    if dest is not None:
        args += ["--dest", os.fspath(dest)]
    for pattern in _patterns(include):
        args += ["--include", pattern]
    for pattern in _patterns(exclude):
        args += ["--exclude", pattern]
    if jobs is not None:
        args += ["-j", str(int(jobs))]
    if source is not None:
        args += ["--source", source]
    completed = _run_with_progress("fetch", args, progress, label=dataset)
    document = completed.json()
    result = FetchResult.from_json(document) if isinstance(document, dict) and "counts" in document else None
    if completed.exit_code == 0 and result is not None:
        return result
    raise _failure(completed, result=result, dataset=dataset)


def status(*datasets: str) -> StatusReport:
    """What your account can access: per project (``"mimiciii"``, ``"mimiciv@3.1"``) whether the files can be
    downloaded, and if not, each missing requirement with the page where you fix it.

    Works logged out too. A missing requirement is an answer, not an error: look at
    ``report.has_access`` and ``report["mimiciii"].requirements``.
    """
    completed = _runner.run(["status", "--json", *datasets])
    document = completed.json()
    if isinstance(document, dict) and "projects" in document:
        return StatusReport.from_json(document)
    raise _failure(completed)


def verify(*datasets: str, dest: Optional[PathLike] = None, full: bool = False) -> List[VerifyReport]:
    """Check local datasets (all of them under ``dest`` when none is named) against what was verified.

    By default compares each file's size, mtime and inode with the inventory; ``full=True`` re-hashes every
    file. Returns an empty list when there is no dataset to verify. Raises :class:`IntegrityError` when a
    file changed or went missing, :class:`PartialFetch` when the last fetch could not obtain some files;
    both carry the reports in ``error.reports``.
    """
    args = ["verify", "--json", *datasets]
    if dest is not None:
        args += ["--dest", os.fspath(dest)]
    if full:
        args.append("--full")
    completed = _runner.run(args)
    document = completed.json()
    reports = [VerifyReport.from_json(item) for item in document] if isinstance(document, list) else []
    if completed.exit_code == 0 and isinstance(document, list):
        return reports
    raise _failure(completed, reports=reports)


def sync(path: Optional[PathLike] = None, *, locked: bool = False, prune: bool = False, progress: ProgressOption = None) -> SyncResult:
    """Bring a data root to what its ``physio.toml`` declares, and write ``physio.lock``.

    Args:
        path: the ``physio.toml`` file, or a folder to look for it from (upwards); default: the current
            folder.
        locked: hold every dataset to ``physio.lock`` (the same bytes as a colleague's), or fail with
            :class:`IntegrityError`.
        prune: delete files the server no longer lists instead of moving them to ``.physio/removed/``.
        progress: as for :func:`fetch`.

    Credentials come only from the environment, netrc or a saved :func:`login`; sync never prompts.
    Raises the exception of the most severe dataset's exit code, with the whole summary in
    ``error.result``.
    """
    args = ["sync", "--json"]
    cwd: Optional[str] = None
    if path is not None:
        target = Path(path)
        if target.is_dir():
            cwd = str(target)
        else:
            args += ["--file", str(target)]
    if locked:
        args.append("--locked")
    if prune:
        args.append("--prune")
    completed = _run_with_progress("sync", args, progress, label="sync", cwd=cwd)
    document = completed.json()
    result = SyncResult.from_json(document) if isinstance(document, dict) and "datasets" in document else None
    if completed.exit_code == 0 and result is not None:
        return result
    raise _failure(completed, result=result)


def cite(dataset: Union[str, Sequence[str], None] = None, format: str = "bibtex", *, dest: Optional[PathLike] = None) -> str:
    """How to cite datasets, and PhysioNet, as PhysioNet's terms ask; offline, from what fetch recorded.

    Args:
        dataset: ``"mimiciii-demo@1.4"``, a list of them, or ``None`` for every dataset of the
            ``physio.toml`` found from the current folder.
        format: ``"bibtex"``, ``"ris"`` or ``"text"``.
        dest: the data root the datasets were fetched into.
    """
    datasets = [dataset] if isinstance(dataset, str) else list(dataset or [])
    args = ["cite", *datasets, "--format", format]
    if dest is not None:
        args += ["--dest", os.fspath(dest)]
    completed = _runner.run(args)
    if completed.exit_code == 0:
        return completed.stdout
    raise _failure(completed)


def search(term: str) -> List[Project]:
    """Published projects whose slug, title or abstract holds ``term``: slug, title, latest version, access
    policy and size. An empty list when none does.

        >>> [p.slug for p in physiodl.search("mimic")]
    """
    completed = _runner.run(["search", "--json", term])
    document = completed.json()
    if completed.exit_code == 0 and isinstance(document, list):
        return [Project.from_json(item) for item in document]
    raise _failure(completed)


def versions(slug: str, *, dest: Optional[PathLike] = None) -> List[Version]:
    """The published versions of ``slug`` with their dates and sizes, and which of them the data root
    (``dest``, else ``$PHYSIO_DATA``, else the current folder) holds. Raises :class:`NotFound` for a slug
    PhysioNet does not publish; the message names the closest ones.
    """
    args = ["versions", "--json", slug]
    if dest is not None:
        args += ["--dest", os.fspath(dest)]
    completed = _runner.run(args)
    document = completed.json()
    if completed.exit_code == 0 and isinstance(document, list):
        return [Version.from_json(item) for item in document]
    raise _failure(completed)


def login(username: str, password: Optional[str] = None) -> str:
    """Log in to PhysioNet and keep the session (mode 0600) for later calls.

    The password goes to physio on its standard input (``--password-stdin``), never on a command line,
    which every user of the machine can read. Without ``password`` it is asked for with :func:`getpass.getpass`
    (a hidden field in Jupyter). Returns physio's confirmation line.

    Raises:
        NotLoggedIn: PhysioNet refused the username or password.
    """
    if password is None:
        password = getpass.getpass(f"PhysioNet password for {username}: ")
    if not password:
        raise NotLoggedIn("No password was given. Call physiodl.login(username) again and type it.", exit_code=5)
    completed = _runner.run(
        ["login", "--username", username, "--password-stdin"], stdin_data=(password + "\n").encode("utf-8"))
    if completed.exit_code == 0:
        return completed.stdout.strip()
    raise _failure(completed)


def logout() -> str:
    """End the saved PhysioNet session and delete it. Returns physio's confirmation line."""
    completed = _runner.run(["logout"])
    if completed.exit_code == 0:
        return completed.stdout.strip()
    raise _failure(completed)


# MARK: - plumbing


def _patterns(patterns: Patterns) -> List[str]:
    if patterns is None:
        return []
    if isinstance(patterns, str):
        return [patterns]
    return list(patterns)


def _run_with_progress(command: str, args: List[str], progress: ProgressOption, *, label: str, cwd: Optional[str] = None) -> _runner.Completed:
    display = display_for(progress, label)
    if display is None:
        return _runner.run([*args, "--quiet"], cwd=cwd)
    if _binary.supports(command, "--progress-fd"):
        try:
            # physio's own stderr progress is off: the stream draws it.
            return _runner.run([*args, "--quiet"], progress=display, cwd=cwd)
        finally:
            display.close()
    # An older binary: no stream. Show physio's own plain progress lines instead, unless a callback wanted
    # the numbers, which this binary cannot give.
    if callable(progress):
        warnings.warn(f"this physio binary ({_binary.binary()}) has no --progress-fd, so the progress callback is not called", stacklevel=3)
        return _runner.run([*args, "--quiet"], cwd=cwd)
    return _runner.run(args, echo_stderr=True, cwd=cwd)


def _failure(completed: _runner.Completed, *, result: Any = None, reports: Sequence[VerifyReport] = (), dataset: Optional[str] = None) -> PhysioError:
    """The exception for a failed run: its exit code's class, physio's own message."""
    code = completed.exit_code
    if code < 0:
        # Killed by a signal it did not handle (SIGKILL, a crash): not one of physio's exit codes.
        return PhysioError(
            f"physio was killed by signal {-code} before it finished; partial files are kept, so the same call resumes.",
            exit_code=code, stderr="\n".join(completed.stderr_lines), result=result)
    document = completed.json()
    kind = document.get("kind") if isinstance(document, dict) else None
    message = (document.get("error") if isinstance(document, dict) else None) or completed.last_error_line()
    if not message and result is not None:
        message = _summary_message(result)
    if not message and reports:
        message = _verify_message(reports)
    if not message:
        message = f"physio exited with code {code} and printed no message."
    cls = error_for_exit_code(code)
    kwargs: Dict[str, Any] = dict(exit_code=code, kind=kind, stderr="\n".join(completed.stderr_lines), result=result)
    if cls is AccessDenied:
        return AccessDenied(message, requirements=_requirements(dataset, document), **kwargs)
    if cls is NotLoggedIn:
        return NotLoggedIn(f"{message} {_LOGIN_HINT}", **kwargs)
    if reports:
        kwargs["reports"] = list(reports)
    try:
        return cls(message, **kwargs)
    except TypeError:
        kwargs.pop("reports", None)
        return cls(message, **kwargs)


def _summary_message(result: Any) -> str:
    if isinstance(result, FetchResult):
        failures = "; ".join(f"{f.path}: {f.reason}" for f in result.failures[:3])
        more = f" and {len(result.failures) - 3} more" if len(result.failures) > 3 else ""
        return (
            f"{result.slug} {result.version}: {result.counts.failed} files failed ({failures}{more}); "
            f"{result.counts.verified} are verified in {result.path}."
        )
    if isinstance(result, SyncResult):
        failed = "; ".join(f"{d.slug}: {d.error or d.status}" for d in result.failures)
        return f"sync of {result.file}: {failed}."
    return ""


def _verify_message(reports: Sequence[VerifyReport]) -> str:
    lines = []
    for report in reports:
        for what, paths in (("changed", report.changed), ("missing", report.missing), ("never obtained", report.failed)):
            if paths:
                shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
                lines.append(f"{report.slug} {report.version}: {len(paths)} {what} ({shown})")
    return "; ".join(lines) + ". Fetch the dataset again to repair or retry them." if lines else ""


def _requirements(dataset: Optional[str], document: Any) -> List[Requirement]:
    """The unmet requirements behind an access refusal: from the error's JSON when physio puts them there,
    else from ``physio status --json`` for that dataset (one more request to the server)."""
    if isinstance(document, dict):
        listed = document.get("unmetRequirements") or (document.get("report") or {}).get("unmetRequirements")
        if listed:
            return [Requirement.from_json(item) for item in listed]
    if dataset is None:
        return []
    try:
        report = status(dataset)
    except PhysioError:
        return []
    return [requirement for project in report.projects for requirement in project.requirements]
