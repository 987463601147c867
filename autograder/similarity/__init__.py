"""Who copied from whom: the students of one assignment compared pairwise on what they wrote
(their answer cells, code and free text apart), with what the release gave them ignored.

Stages: answers.py reads the submissions, dolos.py matches them with Dolos, scores.py ranks
the pairs, page.py writes the HTML page and table.py the CSV.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import dolos
from .answers import ADDED_CELLS, Release, Submission, read_class
from .page import write_page
from .scores import FLOOR, PairScore, rank
from .table import flagged_count, write_csv

__all__ = ["DEFAULT_THRESHOLD", "FLOOR", "Comparison", "compare_class", "flagged_count", "report_paths",
           "similarity_report"]

DEFAULT_THRESHOLD = 0.8
DETAILED_PAIRS = 50   # flagged pairs shown side by side (the tables list them all)

Span = tuple[int, int]


@dataclass
class Comparison:
    assignment: str
    threshold: float
    questions: list[str]
    kinds: dict[str, str]                       # question -> "code" / "text"
    submissions: list[Submission]
    pairs: list[PairScore]                      # every pair sharing anything, most similar first
    own: dict[str, dict[str, int]]              # student -> question -> fingerprints of their own
    answers: dict[str, dict[str, str]] = field(default_factory=dict)   # student -> question -> text
    # (a, b) -> question -> the character spans of a's answer and of b's that match
    fragments: dict[tuple[str, str], dict[str, tuple[list[Span], list[Span]]]] = field(default_factory=dict)

    @property
    def flagged(self) -> list[PairScore]:
        """The pairs whose whole notebooks are at least `threshold` similar."""
        return [p for p in self.pairs if p.notebook >= self.threshold]

    @property
    def flagged_on_questions(self) -> list[PairScore]:
        """The other pairs with some question at least `threshold` similar."""
        return [p for p in self.pairs if p.notebook < self.threshold and p.questions_above(self.threshold)]

    @property
    def unreadable(self) -> list[Submission]:
        return [s for s in self.submissions if s.problem]


def _questions(release: Release, readable: list[Submission]) -> list[str]:
    extra = [ADDED_CELLS] if any(ADDED_CELLS in s.answers for s in readable) else []
    return list(release.questions) + extra


def _tokens(kind: str) -> dolos.Tokens:
    return dolos.CODE if kind == "code" else dolos.TEXT


def _analyses(release: Release, questions: list[str], kinds: dict[str, str], answers: dict[str, dict[str, str]],
              students: list[str]) -> list[dolos.Analysis]:
    return [dolos.Analysis(_tokens(kinds[q]), release.given[kinds[q]], [answers[s].get(q, "") for s in students])
            for q in questions]


def _explain(comparison: Comparison, release: Release, pairs: list[PairScore]) -> None:
    """Fill comparison.fragments for `pairs`: one more Dolos run over just their answers."""
    analyses, keys = [], []
    for question in comparison.questions:
        wanted = [p for p in pairs if question in p.questions]
        if not wanted:
            continue
        students = sorted({s for p in wanted for s in (p.a, p.b)})
        analysis = _analyses(release, [question], comparison.kinds, comparison.answers, students)[0]
        analysis.explain = [(students.index(p.a), students.index(p.b)) for p in wanted]
        analyses.append(analysis)
        keys.append((question, students))
    for (question, students), matches in zip(keys, dolos.run(analyses)):
        tokens = _tokens(comparison.kinds[question])
        for (i, j), found in matches.fragments.items():
            a, b = students[i], students[j]
            comparison.fragments.setdefault((a, b), {})[question] = (
                dolos.spans(tokens, comparison.answers[a][question], [left for left, _ in found]),
                dolos.spans(tokens, comparison.answers[b][question], [right for _, right in found]))


def compare_class(root: Path, assignment: str, threshold: float = DEFAULT_THRESHOLD) -> Comparison:
    """Rank every pair of readable submissions of `assignment`; explain the flagged ones."""
    release, submissions = read_class(root, assignment)
    readable = [s for s in submissions if not s.problem]
    students = [s.student for s in readable]
    questions = _questions(release, readable)
    kinds = {q: release.questions.get(q, "code") for q in questions}
    answers = {s.student: {q: a.text for q, a in s.answers.items()} for s in readable}
    matches = dolos.run(_analyses(release, questions, kinds, answers, students)) if len(students) > 1 else []
    own = {s: {q: m.own[i] for q, m in zip(questions, matches)} for i, s in enumerate(students)}
    comparison = Comparison(assignment, threshold, questions, kinds, submissions, rank(students, questions, matches),
                            own, answers)
    _explain(comparison, release, (comparison.flagged + comparison.flagged_on_questions)[:DETAILED_PAIRS])
    return comparison


def report_paths(root: Path, assignment: str) -> tuple[Path, Path]:
    """Where the similarity report of `assignment` is written: its page and its CSV."""
    folder = root / "reports"
    return folder / f"similarity-{assignment}.html", folder / f"similarity-{assignment}.csv"


def similarity_report(root: Path, assignment: str, threshold: float = DEFAULT_THRESHOLD) -> tuple[Comparison, Path, Path]:
    """Compare the class and write reports/similarity-<assignment>.html and .csv."""
    comparison = compare_class(root, assignment, threshold)
    html_path, csv_path = report_paths(root, assignment)
    write_page(html_path, comparison)
    write_csv(csv_path, comparison)
    return comparison, html_path, csv_path
