"""What the grading service did with each attempt, one JSON line per event, per assignment
(<course>/.hub_feedback/<assignment>.jsonl). An attempt is one inbound folder of the exchange
(`<student>+<assignment>+<timestamp>+<random>`); the exchange holds the attempts, the gradebook
the grades, and this file only what neither says: which attempts were handled, how, and when
(the attempt limit counts its `graded` lines).

Outcomes: `grading` (started; not final), `deferred` (over the limit, kept; not final),
`graded`, `superseded` (a later attempt of the same student was there to grade), `refused`
(not collected: the hub's owner check, nbgrader #1097). A line torn by a kill is skipped."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

FINAL = ("graded", "superseded", "refused")
LEDGER_DIR = ".hub_feedback"


@dataclass
class Entry:
    student: str
    attempt: str
    outcome: str
    at: float
    data: dict = field(default_factory=dict)


class Ledger:
    def __init__(self, course_root: Path, assignment: str):
        self.path = Path(course_root) / LEDGER_DIR / f"{assignment}.jsonl"
        self.entries: list[Entry] = []
        self._read()

    def _read(self) -> None:
        if not self.path.is_file():
            return
        for line in self.path.read_text().splitlines():
            try:
                raw = json.loads(line)
                self.entries.append(Entry(raw.pop("student"), raw.pop("attempt"), raw.pop("outcome"),
                                          float(raw.pop("at")), raw))
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short when the service was killed mid-write

    def add(self, student: str, attempt: str, outcome: str, **data) -> Entry:
        entry = Entry(student, attempt, outcome, time.time(), data)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"student": student, "attempt": attempt, "outcome": outcome, "at": entry.at, **data})
        with self.path.open("a+b") as f:
            f.seek(0, os.SEEK_END)
            if f.tell():
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    f.write(b"\n")  # a line torn by a kill stays on its own, unread
            f.write((line + "\n").encode())
            f.flush()
            os.fsync(f.fileno())
        self.entries.append(entry)
        return entry

    def last(self, student: str, attempt: str) -> Entry | None:
        found = [e for e in self.entries if e.student == student and e.attempt == attempt]
        return found[-1] if found else None

    def is_final(self, student: str, attempt: str) -> bool:
        last = self.last(student, attempt)
        return last is not None and last.outcome in FINAL

    def graded_since(self, student: str, since: float) -> list[Entry]:
        return [e for e in self.entries if e.student == student and e.outcome == "graded" and e.at >= since]

    def count(self, student: str, attempt: str, outcome: str) -> int:
        return sum(1 for e in self.entries if e.student == student and e.attempt == attempt and e.outcome == outcome)
