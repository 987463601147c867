"""What the long commands (generate, prove, otter, demo) show while they work: one line per
step with the time since the command started, and on a terminal a spinner naming the step
that is running. `grade` has its own progress bar (batch/progress.py)."""
from __future__ import annotations

import time

from rich.console import Console


class Steps:
    """Call with a message to report a step: `[  12.3s] message`."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(highlight=False, soft_wrap=True)
        self.started = time.monotonic()
        self._status = None

    def __call__(self, message: str) -> None:
        self.console.print(f"[{time.monotonic() - self.started:6.1f}s] {message}", markup=False)
        if self._status is not None:
            self._status.update(message)

    def __enter__(self) -> "Steps":
        if self.console.is_terminal:
            self._status = self.console.status("starting")
            self._status.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._status is not None:
            self._status.__exit__(*exc)
            self._status = None
