"""Typed results of physio's ``--json`` output. Each keeps the whole JSON document in ``raw``, so a field
physio adds later is there before this package names it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

__all__ = [
    "Failure",
    "FetchCounts",
    "FetchResult",
    "Progress",
    "Requirement",
    "ProjectStatus",
    "StatusReport",
    "VerifyReport",
    "SyncedDataset",
    "SyncResult",
]


@dataclass(frozen=True)
class Failure:
    """A file that failed, and physio's reason (``"missing on the server (HTTP 404)"``, ...)."""

    path: str
    reason: str


@dataclass(frozen=True)
class FetchCounts:
    """File counts of one fetch."""

    verified: int = 0
    """Files whose SHA-256 matches the list, downloaded now or already present."""
    downloaded: int = 0
    """Files transferred in this run."""
    skipped: int = 0
    """Files already verified locally, not transferred again."""
    unverifiable: int = 0
    """Files the server publishes no checksum for."""
    failed: int = 0
    changed: int = 0
    """Of ``downloaded``: files that replaced a different local copy."""
    removed: int = 0


@dataclass(frozen=True)
class FetchResult:
    """What ``fetch`` did.

    ``path`` is the data folder (``<dest>/<slug>/<version>``): open your files from there, e.g.
    ``pd.read_csv(result.path / "ADMISSIONS.csv")``.
    """

    slug: str
    version: str
    path: Path
    root: Path
    counts: FetchCounts
    bytes: int
    """Bytes transferred in this run."""
    seconds: float
    failures: List[Failure]
    exit_code: int
    source: str = "physionet"
    list_sha256: Optional[str] = None
    """SHA-256 of the server's SHA256SUMS.txt: it names every file's hash, so it identifies the data."""
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """Every selected file is verified (files without a published checksum are reported, not failed)."""
        return self.exit_code == 0

    @classmethod
    def from_json(cls, document: Dict[str, Any]) -> "FetchResult":
        counts = document.get("counts", {})
        return cls(
            slug=document["slug"],
            version=document["version"],
            path=Path(document["datasetDirectory"]),
            root=Path(document["root"]),
            counts=FetchCounts(**{name: int(counts.get(name, 0)) for name in FetchCounts.__dataclass_fields__}),
            bytes=int(document.get("bytesTransferred", 0)),
            seconds=float(document.get("seconds", 0.0)),
            failures=[Failure(item["path"], item["reason"]) for item in document.get("failures", [])],
            exit_code=int(document.get("exitCode", 0)),
            source=document.get("source", "physionet"),
            list_sha256=document.get("listSHA256"),
            raw=document,
        )


@dataclass(frozen=True)
class Progress:
    """One line of physio's progress stream (about four a second, and a last one before it exits)."""

    files_done: int
    files_total: Optional[int]
    bytes_done: int
    bytes_total: Optional[int]
    """``None`` while physio does not know the total."""
    total_is_estimate: bool
    """The total is the project page's "Total uncompressed size", not the sum of listed sizes."""
    bytes_per_second: Optional[float]
    seconds_left: Optional[float]
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, line: Dict[str, Any]) -> "Progress":
        def number(name: str) -> Optional[float]:
            value = line.get(name)
            return None if value is None else float(value)

        files_total = line.get("filesTotal")
        bytes_total = line.get("bytesTotal")
        return cls(
            files_done=int(line.get("filesDone", 0)),
            files_total=None if files_total is None else int(files_total),
            bytes_done=int(line.get("bytesDone", 0)),
            bytes_total=None if bytes_total is None else int(bytes_total),
            total_is_estimate=bool(line.get("totalIsEstimate", False)),
            bytes_per_second=number("bytesPerSecond"),
            seconds_left=number("secondsLeft"),
            raw=line,
        )


@dataclass(frozen=True)
class Requirement:
    """An unmet access requirement and the page where you fix it."""

    kind: str
    """``credentialing``, ``training``, ``signDUA`` or ``contributorRequest``."""
    explanation: str
    fix_url: str
    trainings: List[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, item: Dict[str, Any]) -> "Requirement":
        return cls(
            kind=item["kind"],
            explanation=item["explanation"],
            fix_url=item["fixURL"],
            trainings=list(item.get("trainings") or []),
        )


@dataclass(frozen=True)
class ProjectStatus:
    """Your access to one project version, as ``physio status`` reports it."""

    slug: str
    version: str
    title: str
    project_url: str
    policy: str
    has_access: bool
    needs_login: bool
    requirements: List[Requirement]
    """What is missing (empty when ``has_access``)."""
    dua_signed: Optional[bool]
    mirrors: List[str]
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, item: Dict[str, Any]) -> "ProjectStatus":
        return cls(
            slug=item["slug"],
            version=item["version"],
            title=item.get("title", ""),
            project_url=item.get("projectURL", ""),
            policy=item.get("policy", ""),
            has_access=bool(item.get("hasAccess")),
            needs_login=bool(item.get("needsLogin")),
            requirements=[Requirement.from_json(r) for r in item.get("unmetRequirements", [])],
            dua_signed=item.get("duaSigned"),
            mirrors=list(item.get("mirrors") or []),
            raw=item,
        )


@dataclass(frozen=True)
class StatusReport:
    """``physio status``: who you are logged in as, and per project what your account can get."""

    site: str
    logged_in_as: Optional[str]
    projects: List[ProjectStatus]
    exit_code: int
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def has_access(self) -> bool:
        """Every named project can be downloaded by this account."""
        return all(project.has_access for project in self.projects)

    def __getitem__(self, slug: str) -> ProjectStatus:
        """The status of one project, by slug or ``slug@version``."""
        for project in self.projects:
            if slug in (project.slug, f"{project.slug}@{project.version}"):
                return project
        raise KeyError(slug)

    @classmethod
    def from_json(cls, document: Dict[str, Any]) -> "StatusReport":
        return cls(
            site=document.get("site", ""),
            logged_in_as=document.get("loggedInAs"),
            projects=[ProjectStatus.from_json(p) for p in document.get("projects", [])],
            exit_code=int(document.get("exitCode", 0)),
            raw=document,
        )


@dataclass(frozen=True)
class VerifyReport:
    """``physio verify`` for one local dataset version."""

    slug: str
    version: str
    path: Path
    checked: int
    verified: int
    unverifiable: int
    changed: List[str]
    missing: List[str]
    failed: List[str]
    """Files the last fetch could not obtain."""
    full: bool
    """Every file was re-hashed (``full=True``), rather than its size, mtime and inode compared."""
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.failed)

    @classmethod
    def from_json(cls, item: Dict[str, Any]) -> "VerifyReport":
        return cls(
            slug=item["slug"],
            version=item["version"],
            path=Path(item["datasetDirectory"]),
            checked=int(item.get("checked", 0)),
            verified=int(item.get("verified", 0)),
            unverifiable=int(item.get("unverifiable", 0)),
            changed=list(item.get("changed", [])),
            missing=list(item.get("missing", [])),
            failed=list(item.get("failed", [])),
            full=bool(item.get("full")),
            raw=item,
        )


@dataclass(frozen=True)
class SyncedDataset:
    """One dataset of a ``physio sync`` run."""

    slug: str
    requested: str
    version: Optional[str]
    status: str
    """``current``, ``updated``, ``partial``, ``failed`` or ``skipped``."""
    exit_code: int
    added: int
    changed: int
    removed: int
    unchanged: int
    failed: int
    bytes: int
    newer_version: Optional[str]
    error: Optional[str]
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, item: Dict[str, Any]) -> "SyncedDataset":
        return cls(
            slug=item["slug"],
            requested=item.get("requested", ""),
            version=item.get("version"),
            status=item.get("status", ""),
            exit_code=int(item.get("exitCode", 0)),
            added=int(item.get("added", 0)),
            changed=int(item.get("changed", 0)),
            removed=int(item.get("removed", 0)),
            unchanged=int(item.get("unchanged", 0)),
            failed=int(item.get("failed", 0)),
            bytes=int(item.get("bytes", 0)),
            newer_version=item.get("newerVersion"),
            error=item.get("error"),
            raw=item,
        )


@dataclass(frozen=True)
class SyncResult:
    """What ``sync`` did: the summary also kept in ``<root>/.physio/last-sync.json``."""

    file: Path
    root: Path
    datasets: List[SyncedDataset]
    seconds: float
    exit_code: int
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def failures(self) -> List[SyncedDataset]:
        """The datasets that did not end verified and current."""
        return [d for d in self.datasets if d.exit_code != 0]

    @classmethod
    def from_json(cls, document: Dict[str, Any]) -> "SyncResult":
        return cls(
            file=Path(document.get("file", "")),
            root=Path(document.get("root", "")),
            datasets=[SyncedDataset.from_json(d) for d in document.get("datasets", [])],
            seconds=float(document.get("seconds", 0.0)),
            exit_code=int(document.get("exitCode", 0)),
            raw=document,
        )


@dataclass(frozen=True)
class Project:
    """A published project, as ``physiodl.search`` finds it."""

    slug: str
    title: str
    latest_version: Optional[str]
    access: str
    """``open``, ``credentialed``, ``restricted``, ``contributor review``, or the agreement's name."""
    size: Optional[int]
    """Bytes of the latest version's files, when PhysioNet states them."""
    page: str

    @classmethod
    def from_json(cls, item: Dict[str, Any]) -> "Project":
        return cls(
            slug=item["slug"], title=item["title"], latest_version=item.get("latestVersion"), access=item["access"],
            size=item.get("size"), page=item["page"],
        )


@dataclass(frozen=True)
class Version:
    """One published version of a project, as ``physiodl.versions`` lists them."""

    version: str
    published: Optional[str]
    """``YYYY-MM-DD``."""
    latest: bool
    size: Optional[int]
    local: bool
    """Whether the data root holds it."""

    @classmethod
    def from_json(cls, item: Dict[str, Any]) -> "Version":
        return cls(
            version=item["version"], published=item.get("published"), latest=bool(item["latest"]),
            size=item.get("size"), local=bool(item.get("local", False)),
        )
