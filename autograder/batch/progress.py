"""What a grader sees while a batch runs: a progress bar (done, failed, rate) and a summary."""
from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table


class BatchProgress:
    def __init__(self, assignments: list[str]):
        self.console = Console(stderr=True)
        self.assignments = assignments
        self.title = assignments[0] if len(assignments) == 1 else f"{len(assignments)} assignments"
        self.failed = 0
        self.started = time.monotonic()
        self.bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]}"), TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(), console=self.console, transient=False,
        )
        self.task = None

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        self.bar.__exit__(*exc)

    def update(self, record, done: int, total: int) -> None:
        if self.task is None:
            self.task = self.bar.add_task(f"grading {self.title}", total=total, failed=0, rate="")
        if record.status != "graded" or record.reasons:
            self.failed += 1
        elapsed = max(time.monotonic() - self.started, 1e-9)
        self.bar.update(self.task, completed=done, failed=self.failed,
                        rate=f"{done / elapsed:.2f} submissions/s")
        if not sys.stderr.isatty():
            what = record.student if len(self.assignments) == 1 else f"{record.student}/{record.assignment}"
            self.console.print(f"[{done}/{total}] {what}: {record.status} "
                               f"{record.score:g}/{record.max_score:g}")

    def summary(self, records) -> None:
        several = len(self.assignments) > 1
        table = Table(title=f"{self.title}: {len(records)} submissions")
        for column in (("assignment",) if several else ()) + ("student", "status", "score", "notes"):
            table.add_column(column)
        for r in sorted(records, key=lambda r: (self.assignments.index(r.assignment), r.student)):
            table.add_row(*((r.assignment,) if several else ()), r.student, r.status,
                          f"{r.score:g}/{r.max_score:g}", "; ".join(r.reasons))
        Console().print(table)
