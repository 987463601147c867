"""Class statistics for one assignment, from nbgrader's gradebook (scores, lateness) and the
autograded notebooks (why a test cell lost its points)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from ..batch.marker import read_marker
from ..errors import AutograderError

_NUMBER = re.compile(r"(?<![A-Za-z_])[-+]?\d+(\.\d+)?(e[-+]?\d+)?")


class NotInGradebook(AutograderError, LookupError):
    """The assignment was never released (generate_assignment records it in the gradebook)."""


@dataclass
class QuestionStats:
    """One grade cell across the class."""
    name: str
    max_score: float
    auto: bool
    scores: list[float] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)   # message pattern -> count
    examples: dict[str, str] = field(default_factory=dict)  # pattern -> one real message

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def pass_rate(self) -> float:
        """Share of submissions with full marks on this cell."""
        if not self.scores:
            return 0.0
        return sum(1 for s in self.scores if s >= self.max_score) / len(self.scores)


@dataclass
class AssignmentStats:
    name: str
    max_score: float
    totals: dict[str, float]                       # student -> score
    questions: list[QuestionStats]
    did_not_run: dict[str, list[str]]              # student -> reasons the grader gave
    late: dict[str, float]                         # student -> seconds late
    needs_manual_grade: list[str]                  # students with cells still to grade by hand
    flagged: dict[str, list[str]] = field(default_factory=dict)  # student -> lines flagged for review

    @property
    def hardest(self) -> list[QuestionStats]:
        return sorted((q for q in self.questions if q.auto), key=lambda q: (q.pass_rate, q.mean))


def failure_pattern(message: str) -> str:
    """The message with its numbers replaced, so that the same mistake groups together."""
    return _NUMBER.sub("#", message)


def failure_messages(nb_path: Path) -> dict[str, str]:
    """grade_id -> the error a test cell raised in an autograded notebook (first line)."""
    if not nb_path.is_file():
        return {}
    nb = nbformat.read(nb_path, as_version=4)
    found = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                value = (out.get("evalue") or "").strip().splitlines()
                found[meta["grade_id"]] = f"{out.get('ename', 'Error')}: {value[0] if value else ''}".strip()
                break
    return found


def grader_problems(root: Path, student: str, assignment: str) -> list[str]:
    """Why a submission could not run normally (timeouts, crashes, rejections), as the batch
    grader recorded it; empty for submissions that ran or were graded by plain nbgrader."""
    problems = read_marker(root, student, assignment).get("problems")
    return [str(p) for p in problems] if isinstance(problems, list) else []


def collect(root: Path, db_url: str, assignment: str) -> AssignmentStats:
    with Gradebook(db_url) as gb:
        try:
            spec = gb.find_assignment(assignment)
        except MissingEntry:
            raise NotInGradebook(f"assignment {assignment!r} is not in the gradebook: generate and grade it first") from None
        questions: dict[str, QuestionStats] = {}
        for nb in spec.notebooks:
            for cell in nb.grade_cells:
                questions[cell.name] = QuestionStats(cell.name, float(cell.max_score), auto=cell.cell_type == "code")
        totals, late, manual, did_not_run, flagged = {}, {}, [], {}, {}
        for sub in gb.assignment_submissions(assignment):
            student = sub.student.id
            totals[student] = float(sub.score)
            if sub.total_seconds_late > 0:
                late[student] = float(sub.total_seconds_late)
            if sub.needs_manual_grade:
                manual.append(student)
            problems = grader_problems(root, student, assignment)
            if problems:
                did_not_run[student] = problems
            lines = read_marker(root, student, assignment).get("flags")
            if isinstance(lines, list) and lines:
                flagged[student] = [str(line) for line in lines]
            for nb in sub.notebooks:
                messages = failure_messages(root / "autograded" / student / assignment / f"{nb.name}.ipynb")
                for grade in nb.grades:
                    q = questions.get(grade.name)
                    if q is None:
                        continue
                    q.scores.append(float(grade.score))
                    message = messages.get(grade.name)
                    if q.auto and message and grade.score < q.max_score:
                        pattern = failure_pattern(message)
                        q.failures[pattern] += 1
                        q.examples.setdefault(pattern, message)
        return AssignmentStats(assignment, float(spec.max_score), totals, list(questions.values()),
                               did_not_run, late, sorted(manual), flagged)
