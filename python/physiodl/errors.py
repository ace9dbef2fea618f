"""One exception class per exit code of the ``physio`` binary, all under :class:`PhysioError`.

Each carries physio's own message (the last ``physio: ...`` line it printed on stderr), the exit code, and
where physio's ``--json`` output gave one, the machine name of the error (``kind``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Type

if TYPE_CHECKING:
    from .results import Requirement, VerifyReport

__all__ = [
    "PhysioError",
    "InternalError",
    "UsageError",
    "NotFound",
    "NetworkError",
    "NotLoggedIn",
    "AccessDenied",
    "IntegrityError",
    "PartialFetch",
    "LocalFilesystemError",
    "Locked",
    "Interrupted",
    "Terminated",
    "BinaryNotFound",
    "error_for_exit_code",
]


class PhysioError(Exception):
    """A ``physio`` command failed. Subclasses name the reason, one per documented exit code.

    Attributes:
        message: physio's own one-line message (what happened and what to do next).
        exit_code: the binary's exit code.
        kind: physio's machine name for the error (``"wrongCredentials"``, ``"locked"``, ...) when its
            ``--json`` output named one, else ``None``.
        stderr: everything physio printed on stderr (progress lines excluded), for the curious.
        result: for ``fetch`` and ``sync``, the run's summary when physio finished the run (a partial
            fetch, an integrity failure of some files); ``None`` when it stopped before.
    """

    exit_code: int = -1

    def __init__(
        self,
        message: str,
        *,
        exit_code: Optional[int] = None,
        kind: Optional[str] = None,
        stderr: str = "",
        result: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code
        self.kind = kind
        self.stderr = stderr
        self.result = result

    def __str__(self) -> str:
        return self.message


class InternalError(PhysioError):
    """Exit 1: a bug in physio. Please report it with what you ran."""

    exit_code = 1


class UsageError(PhysioError):
    """Exit 2: bad arguments, an unsafe base URL or secret file, a ``physio.toml`` mistake."""

    exit_code = 2


class NotFound(PhysioError):
    """Exit 3: the project, version or file list does not exist on the server."""

    exit_code = 3


class NetworkError(PhysioError):
    """Exit 4: the network or the server failed after retries (also a rejected login form)."""

    exit_code = 4


class NotLoggedIn(PhysioError):
    """Exit 5: no login, rejected credentials, or an expired session with no way to renew it.

    From Python, log in with ``physiodl.login("username")`` (the password is asked for, or passed on
    physio's stdin), or set ``PHYSIONET_USERNAME`` and ``PHYSIONET_PASSWORD`` in the environment.
    """

    exit_code = 5


class AccessDenied(PhysioError):
    """Exit 6: your account does not meet the dataset's access requirements.

    Attributes:
        requirements: what is missing, each with the page where you fix it (``Requirement.fix_url``), as
            ``physio status`` reports them; empty when physio could not say (files under embargo, ...).
    """

    exit_code = 6

    def __init__(self, message: str, *, requirements: Sequence["Requirement"] = (), **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.requirements: List["Requirement"] = list(requirements)


class IntegrityError(PhysioError):
    """Exit 7: a file failed its SHA-256 check twice, a verified file changed, or the list drifted from
    the copy pinned in physio (or from ``physio.lock``).

    Attributes:
        failures: for ``fetch``, the files that failed and why (also in ``result``).
        reports: for ``verify``, the per-dataset reports naming changed and missing files.
    """

    exit_code = 7

    def __init__(self, message: str, **kwargs: Any) -> None:
        reports = kwargs.pop("reports", [])
        super().__init__(message, **kwargs)
        self.reports: List["VerifyReport"] = list(reports)
        self.failures = list(getattr(self.result, "failures", []) or [])


class PartialFetch(PhysioError):
    """Exit 8: some files failed (e.g. missing on the server); every other file is verified.

    Attributes:
        failures: the files that failed, each with physio's reason.
        result: the whole run's summary (a :class:`FetchResult` or :class:`SyncResult`).
    """

    exit_code = 8

    def __init__(self, message: str, **kwargs: Any) -> None:
        reports = kwargs.pop("reports", [])
        super().__init__(message, **kwargs)
        self.reports: List["VerifyReport"] = list(reports)
        self.failures = list(getattr(self.result, "failures", []) or [])


class LocalFilesystemError(PhysioError):
    """Exit 9: a local disk problem (full, permissions, an unsafe path in the server's list, a damaged
    inventory)."""

    exit_code = 9


class Locked(PhysioError):
    """Exit 10: another physio run holds the dataset's (or the sync's) lock."""

    exit_code = 10


class Interrupted(PhysioError):
    """Exit 130: physio was stopped by SIGINT. Verified files are recorded and partial files kept, so
    running the same call again resumes."""

    exit_code = 130


class Terminated(PhysioError):
    """Exit 143: physio was stopped by SIGTERM, in the same good order as :class:`Interrupted`."""

    exit_code = 143


class BinaryNotFound(PhysioError):
    """The ``physio`` binary is missing: neither bundled with this package nor named by
    ``PHYSIO_BINARY``."""

    exit_code = -1


_BY_CODE: Dict[int, Type[PhysioError]] = {
    cls.exit_code: cls
    for cls in (
        InternalError,
        UsageError,
        NotFound,
        NetworkError,
        NotLoggedIn,
        AccessDenied,
        IntegrityError,
        PartialFetch,
        LocalFilesystemError,
        Locked,
        Interrupted,
        Terminated,
    )
}


def error_for_exit_code(code: int) -> Type[PhysioError]:
    """The exception class for one of physio's exit codes (:class:`PhysioError` itself for an unknown one)."""
    return _BY_CODE.get(code, PhysioError)
