"""Runs the physio binary: never with a terminal, never with a secret in argv, and with Ctrl-C passed on as
one SIGINT so physio stops in good order."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterator, List, Optional, Sequence, Tuple

from . import _binary
from .results import Progress

log = logging.getLogger("physiodl")

ProgressHandler = Callable[[Progress], None]


@dataclass
class Completed:
    """A finished physio run."""

    argv: List[str]
    exit_code: int
    stdout: str
    stderr_lines: List[str]
    progress_seen: int = 0

    def json(self) -> Any:
        """stdout as JSON, or ``None`` when it holds none (a command that failed before printing)."""
        text = self.stdout.strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return None

    def last_error_line(self) -> Optional[str]:
        """physio's last ``physio: ...`` message on stderr, without the prefix."""
        for line in reversed(self.stderr_lines):
            if line.startswith("physio: "):
                return line[len("physio: "):].strip()
        # swift-argument-parser's own errors (exit 2): "Error: ..." followed by the usage.
        for line in self.stderr_lines:
            if line.startswith("Error: "):
                return line[len("Error: "):].strip()
        return None


@dataclass
class _Readers:
    threads: List[threading.Thread] = field(default_factory=list)
    failure: List[BaseException] = field(default_factory=list)


def run(
    args: Sequence[str],
    *,
    stdin_data: Optional[bytes] = None,
    progress: Optional[ProgressHandler] = None,
    echo_stderr: bool = False,
    cwd: Optional[str] = None,
    on_start: Optional[Callable[["subprocess.Popen[bytes]"], None]] = None,
) -> Completed:
    """Runs ``physio ARGS`` to the end and returns its exit code and output.

    - stdin is ``/dev/null`` (or a pipe carrying ``stdin_data``, e.g. a password for ``--password-stdin``),
      and the child runs in a session of its own, with no controlling terminal: physio then never
      prompts, so a notebook never hangs on a prompt nobody sees.
    - ``progress``: called with each line of physio's ``--progress-fd`` stream, from a reader thread.
      The caller adds ``--progress-fd`` only when the binary has it (``_binary.supports``).
    - KeyboardInterrupt (Ctrl-C, a notebook's interrupt button) sends physio one SIGINT, waits for it to
      keep its partial work and exit, then is raised again. A second KeyboardInterrupt while waiting sends
      another SIGINT, which makes physio exit at once.
    """
    argv = [str(_binary.binary()), *args]
    pass_fds: Tuple[int, ...] = ()
    progress_read: Optional[int] = None
    progress_write: Optional[int] = None
    if progress is not None:
        progress_read, progress_write = os.pipe()
        argv += ["--progress-fd", str(progress_write)]
        pass_fds = (progress_write,)
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_binary.environment(),
            cwd=cwd,
            pass_fds=pass_fds,
            # Its own session: a terminal's Ctrl-C reaches only Python, which passes exactly one SIGINT on
            # (two would make physio exit at once), and physio has no controlling terminal to prompt on.
            start_new_session=True,
        )
    except BaseException:
        for fd in (progress_read, progress_write):
            if fd is not None:
                os.close(fd)
        raise
    finally:
        if progress_write is not None:
            os.close(progress_write)

    readers = _Readers()
    stdout_chunks: List[bytes] = []
    stderr_lines: List[str] = []
    seen = [0]

    def read_stdout(stream: IO[bytes]) -> None:
        for chunk in iter(lambda: stream.read(65536), b""):
            stdout_chunks.append(chunk)

    def read_stderr(stream: IO[bytes]) -> None:
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            stderr_lines.append(line)
            if echo_stderr:
                print(line, file=sys.stderr, flush=True)
            else:
                log.debug("%s", line)

    def read_progress(fd: int) -> None:
        with open(fd, "rb", buffering=0, closefd=True) as stream:
            for raw in _lines(stream):
                try:
                    document = json.loads(raw)
                except ValueError:
                    log.debug("not a progress line: %r", raw)
                    continue
                if not isinstance(document, dict) or document.get("type", "progress") != "progress":
                    continue
                seen[0] += 1
                if readers.failure:
                    continue
                try:
                    progress(Progress.from_json(document))  # type: ignore[misc]
                except BaseException as error:  # a callback's error is the caller's, raised after the run
                    readers.failure.append(error)

    def start(target: Callable[..., None], argument: Any, name: str) -> None:
        thread = threading.Thread(target=target, args=(argument,), name=name, daemon=True)
        thread.start()
        readers.threads.append(thread)

    start(read_stdout, process.stdout, "physio-stdout")
    start(read_stderr, process.stderr, "physio-stderr")
    if progress_read is not None:
        start(read_progress, progress_read, "physio-progress")

    if on_start is not None:
        on_start(process)

    interrupted: Optional[BaseException] = None
    try:
        if stdin_data is not None:
            assert process.stdin is not None
            try:
                process.stdin.write(stdin_data)
                process.stdin.close()
            except BrokenPipeError:
                pass
        _wait(process)
    except KeyboardInterrupt as error:
        interrupted = error
        _stop(process)
    except BaseException:
        # Anything else (SystemExit, an error in on_start): never leave physio behind.
        _stop(process)
        raise
    for thread in readers.threads:
        thread.join()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
    if interrupted is not None:
        raise interrupted
    if readers.failure:
        raise readers.failure[0]
    return Completed(
        argv=argv,
        exit_code=process.returncode,
        stdout=b"".join(stdout_chunks).decode("utf-8", "replace"),
        stderr_lines=stderr_lines,
        progress_seen=seen[0],
    )


def _wait(process: "subprocess.Popen[bytes]") -> None:
    """Waits with a timeout, in steps: a blocking waitpid is not interrupted when the kernel hands SIGINT to
    another thread (a reader here, or one of Jupyter's), so KeyboardInterrupt would wait for physio's end."""
    while True:
        try:
            process.wait(timeout=0.5)
            return
        except subprocess.TimeoutExpired:
            continue


def _stop(process: "subprocess.Popen[bytes]") -> None:
    """One SIGINT, then wait for physio's orderly stop; each further KeyboardInterrupt sends one more."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    while True:
        try:
            _wait(process)
            return
        except KeyboardInterrupt:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """Lines of an unbuffered pipe as they arrive (iterating a raw stream would wait for a full buffer)."""
    pending = b""
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            if line.strip():
                yield line
    if pending.strip():
        yield pending
