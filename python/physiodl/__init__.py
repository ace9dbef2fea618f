"""physiodl: PhysioNet datasets (MIMIC and the rest) from Python, fast and verified.

A thin, typed layer over the ``physio`` command-line tool, which the wheel carries: every call runs
``physio ... --json`` and returns its answer as a dataclass, or raises the exception of its exit code.

    >>> import physiodl
    >>> result = physiodl.fetch("mimic-iv-demo")          # the open demo, into the current folder
    >>> result.path                                       # PosixPath('mimic-iv-demo/2.2')
    >>> physiodl.login("alice")                           # asks for the password; kept as a session
    >>> physiodl.status("mimiciv").has_access             # True once every requirement is met
    >>> physiodl.fetch("mimiciv@3.1", include="hosp/*")

See docs/python.md in physio's repository.
"""

from .api import cite, fetch, login, logout, search, status, sync, verify, versions
from .errors import (
    AccessDenied,
    BinaryNotFound,
    IntegrityError,
    InternalError,
    Interrupted,
    LocalFilesystemError,
    Locked,
    NetworkError,
    NotFound,
    NotLoggedIn,
    PartialFetch,
    PhysioError,
    Terminated,
    UsageError,
)
from .results import (
    Failure,
    FetchCounts,
    FetchResult,
    Progress,
    ProjectStatus,
    Requirement,
    StatusReport,
    SyncedDataset,
    SyncResult,
    VerifyReport,
)

__version__ = "0.1.0"

__all__ = [
    "fetch",
    "status",
    "verify",
    "sync",
    "cite",
    "search",
    "versions",
    "login",
    "logout",
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
    "Failure",
    "FetchCounts",
    "FetchResult",
    "Progress",
    "ProjectStatus",
    "Requirement",
    "StatusReport",
    "SyncedDataset",
    "SyncResult",
    "VerifyReport",
]
