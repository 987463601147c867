"""A pool that runs nothing: each job gets back what an earlier batch's child left for the
same notebook (Options.keep_results), copied into its job folder, and the event that run ended
with. The grading process then judges and records exactly as after a live run.

Two uses: re-judging a class without running its notebooks again (a reference or tolerance
changed), and measuring the grading process alone (benchmarks/coordinator.py), since every
cost left is the coordinator's own. What is replayed is untrusted child output, read by the
same bounded reader as a live run's.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import AutograderError
from .pool import Job
from .protocol import JOURNAL, RECORDS, VERIFIED, Event

EVENT = "event.json"
JOURNAL_KEPT = "journal.jsonl"


class NothingKept(AutograderError):
    """A job has no kept run to replay."""


def kept_files(job_dir: Path) -> dict[str, Path]:
    """{name it is kept under: where the child left it} for one notebook's job folder."""
    return {RECORDS: job_dir / RECORDS, VERIFIED: job_dir / VERIFIED, JOURNAL_KEPT: job_dir / JOURNAL}


def keep(job_dir: Path, event: Event, target: Path) -> None:
    """Keep one finished notebook's run under `target/<name>.<part>` (regular files only: the
    child could have left a link where a file belongs)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for part, source in kept_files(job_dir).items():
        if source.is_file() and not source.is_symlink():
            shutil.copyfile(source, f"{target}.{part}")
    Path(f"{target}.{EVENT}").write_text(event.to_json())


class ReplayedPool:
    """Replays `<kept>/<assignment>/<student>/<notebook>.*` for each job, in order, in the
    calling thread."""

    workers = 1

    def __init__(self, kept: Path):
        self.kept = Path(kept)

    def run(self, jobs, on_done) -> None:
        for job in jobs:
            on_done(job, self.replay(job))

    def replay(self, job: Job) -> Event:
        assignment, student, notebook = job.id.split("/")
        base = self.kept / assignment / student / notebook
        event_path = Path(f"{base}.{EVENT}")
        if not event_path.is_file():
            raise NothingKept(f"no kept run of {job.id} in {self.kept} (graded with keep_results?)")
        job_dir = Path(job.request.job_dir)
        for part, target in kept_files(job_dir).items():
            source = Path(f"{base}.{part}")
            if source.is_file():
                os.makedirs(target.parent, exist_ok=True)
                shutil.copyfile(source, target)
        event = Event.from_json(event_path.read_text())
        event.id = job.id
        return event

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None
