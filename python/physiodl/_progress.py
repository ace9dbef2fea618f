"""Drawing physio's progress stream: tqdm (a widget in Jupyter, a bar in a terminal) when it is installed,
else a few plain lines on stderr, or the caller's own function."""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Optional, Union

from .results import Progress

ProgressOption = Union[None, bool, Callable[[Progress], Any]]


def _size(count: float) -> str:
    units = ["B", "KiB", "MiB", "GiB", "TiB"]
    value = float(count)
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    return f"{int(count)} B" if unit == 0 else f"{value:.1f} {units[unit]}"


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


class Display:
    """A progress sink with an end: ``__call__`` per line, ``close()`` once physio has exited."""

    def __call__(self, progress: Progress) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


class CallbackDisplay(Display):
    def __init__(self, callback: Callable[[Progress], Any]) -> None:
        self.callback = callback

    def __call__(self, progress: Progress) -> None:
        self.callback(progress)


class PlainDisplay(Display):
    """A line when the run starts, at each quarter of the bytes, every 30 seconds, and at the end."""

    def __init__(self, label: str, stream: Any = None, interval: float = 30.0) -> None:
        self.label = label
        self.stream = stream
        self.interval = interval
        self.last_time: Optional[float] = None
        self.last_quarter = -1
        self.latest: Optional[Progress] = None
        self.printed: Optional[Progress] = None

    def __call__(self, progress: Progress) -> None:
        self.latest = progress
        now = time.monotonic()
        quarter = -1
        if progress.bytes_total:
            quarter = min(4, int(4 * progress.bytes_done / progress.bytes_total))
        if self.last_time is None or quarter > self.last_quarter or now - self.last_time >= self.interval:
            self._print(progress)
            self.last_time = now
            self.last_quarter = max(quarter, self.last_quarter)

    def close(self) -> None:
        if self.latest is not None and self.latest is not self.printed:
            self._print(self.latest)

    def _print(self, progress: Progress) -> None:
        self.printed = progress
        parts = []
        if progress.bytes_total:
            approx = "~" if progress.total_is_estimate else ""
            percent = 100.0 * progress.bytes_done / progress.bytes_total
            parts.append(f"{_size(progress.bytes_done)} of {approx}{_size(progress.bytes_total)} ({approx}{percent:.0f}%)")
        else:
            parts.append(_size(progress.bytes_done))
        if progress.files_total is not None:
            parts.append(f"{progress.files_done}/{progress.files_total} files")
        else:
            parts.append(f"{progress.files_done} files")
        if progress.bytes_per_second:
            parts.append(f"{_size(progress.bytes_per_second)}/s")
        if progress.seconds_left is not None:
            parts.append(f"{_clock(progress.seconds_left)} left")
        print(f"{self.label}: " + ", ".join(parts), file=self.stream or sys.stderr, flush=True)


class TqdmDisplay(Display):
    """A tqdm bar in bytes (``tqdm.auto``: a widget in Jupyter, text in a terminal), files in its postfix."""

    def __init__(self, label: str, tqdm_class: Any) -> None:
        self.label = label
        self.tqdm_class = tqdm_class
        self.bar: Any = None

    # physio's own rate and time left (smoothed over 15 s) rather than tqdm's, which sees only jumps.
    BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]"

    def __call__(self, progress: Progress) -> None:
        if self.bar is None:
            self.bar = self.tqdm_class(
                total=progress.bytes_total, desc=self.label, unit="B", unit_scale=True, unit_divisor=1024,
                dynamic_ncols=True, leave=True, bar_format=self.BAR_FORMAT if progress.bytes_total else None,
            )
        if progress.bytes_total is not None and self.bar.total != progress.bytes_total:
            self.bar.total = progress.bytes_total
        self.bar.n = progress.bytes_done
        parts = [f"{progress.files_done}/{progress.files_total} files" if progress.files_total is not None else f"{progress.files_done} files"]
        if progress.bytes_per_second:
            parts.append(f"{_size(progress.bytes_per_second)}/s")
        if progress.seconds_left is not None:
            parts.append(f"{_clock(progress.seconds_left)} left")
        if progress.total_is_estimate:
            parts.append("estimated total")
        self.bar.set_postfix_str(", ".join(parts), refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def display_for(option: ProgressOption, label: str) -> Optional[Display]:
    """``False``: none. A callable: it. ``True`` or ``None``: tqdm when installed, else plain lines."""
    if option is False:
        return None
    if callable(option):
        return CallbackDisplay(option)
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return PlainDisplay(label)
    return TqdmDisplay(label, tqdm)
