"""A progress bar on stderr for long runs: only on a terminal, only after the first second.

Quick runs, pipes, CI logs and machine formats (json, github, sarif) never see it: the CLI
turns it on (`configure`) only when stderr is a TTY and the output is meant for people.
Work loops wrap their iterable in `track`, which is a plain pass-through while the bar is
off, so library code and tests pay nothing:

    from notelint import progress
    for rel in progress.track(ws.targets, len(ws.targets), "parsing"):
        ...

Loops that are not a single iterable use `stage(label, total)` and call `advance()`.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

DELAY = 1.0  # seconds a run must have lasted before a bar is drawn
REDRAW = 0.1  # seconds between redraws

_enabled = False
_started = 0.0
_stream = None
_active: Stage | None = None  # the stage whose bar is on the screen


def configure(enabled: bool, stream=None, delay: float | None = None) -> None:
    """Turn the bar on or off for this run; the one-second clock starts now.

    `NOTELINT_PROGRESS=0` turns it off whatever the caller asks; `NOTELINT_PROGRESS_DELAY`
    overrides the delay (tests use 0).
    """
    global _enabled, _started, _stream, DELAY
    _stream = stream if stream is not None else sys.stderr
    _enabled = bool(enabled) and os.environ.get("NOTELINT_PROGRESS", "1") != "0"
    _started = time.monotonic()
    if delay is None:
        try:
            delay = float(os.environ.get("NOTELINT_PROGRESS_DELAY", DELAY))
        except ValueError:
            delay = DELAY
    DELAY = max(0.0, delay)


def wanted(fmt: str, quiet: bool = False, stream=None) -> bool:
    """Whether a run writing `fmt` should show a bar: people formats on a terminal only."""
    stream = stream if stream is not None else sys.stderr
    if quiet or fmt not in ("text", "html"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def enabled() -> bool:
    return _enabled


class Stage:
    """One named stage of work with a known total; draws itself at most ten times a second."""

    def __init__(self, label: str, total: int | None):
        self.label = label
        self.total = total if total and total > 0 else None
        self.done = 0
        self._last = 0.0
        self._drawn = False

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not _enabled:
            return
        now = time.monotonic()
        if now - _started < DELAY or (now - self._last < REDRAW and self.done != self.total):
            return
        self._last = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        width = _width()
        count = f"{self.done}/{self.total}" if self.total else str(self.done)
        head = f"{self.label:<9}"
        tail = f" {count} {now - _started:4.1f}s"
        room = max(0, min(40, width - len(head) - len(tail) - 4))
        if self.total and room >= 5:
            filled = round(room * min(self.done, self.total) / self.total)
            bar = " [" + "#" * filled + "-" * (room - filled) + "]"
        else:
            bar = ""
        line = (head + bar + tail)[: max(1, width - 1)]
        global _active
        try:
            _stream.write("\r" + line + "\033[K")
            _stream.flush()
            self._drawn = True
            _active = self
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        """Erase the bar, so nothing of it stays between the user's prompt and the report."""
        if self._drawn:
            try:
                _stream.write("\r\033[K")
                _stream.flush()
            except (OSError, ValueError):
                pass
            self._drawn = False

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def clear() -> None:
    """Erase the bar before something else is written to stderr (a warning mid-run); the
    next step of the stage draws it again."""
    if _active is not None:
        _active.close()


def _width() -> int:
    """Columns of the terminal the bar is drawn on (stderr's, not stdout's: stdout may be a file)."""
    try:
        columns = os.get_terminal_size(_stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns if columns > 0 else shutil.get_terminal_size((80, 24)).columns or 80


def stage(label: str, total: int | None = None) -> Stage:
    return Stage(label, total)


def track(iterable: Iterable[T], total: int | None = None, label: str = "") -> Iterator[T]:
    """Yield from `iterable`, advancing a bar labelled `label` (a pass-through when off)."""
    if not _enabled:
        yield from iterable
        return
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    with Stage(label, total) as bar:
        for item in iterable:
            yield item
            bar.advance()
