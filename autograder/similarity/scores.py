"""From Dolos's fingerprint counts to a ranking of student pairs, per question and for the
whole notebook.

A pair's similarity is the larger of two shares: how much of A's own work (fingerprints not
in the release) is also in B's, and how much of B's is in A's (JPlag's "maximum similarity").
Taking the larger share keeps a copy found when the copier pads it with dead code or adds
answers of their own. The whole notebook pools every question's fingerprints, so a long
answer weighs more than a one-liner. Work smaller than FLOOR fingerprints is judged as if it
were FLOOR: `ANSWER = "b"` written by two students is no evidence of copying.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .dolos import Matches

FLOOR = 20


@dataclass
class PairScore:
    a: str
    b: str
    notebook: float
    questions: dict[str, float] = field(default_factory=dict)   # only the questions they share anything in

    def questions_above(self, threshold: float) -> list[str]:
        """The questions whose similarity is at or above the threshold, highest first."""
        return [q for q, value in sorted(self.questions.items(), key=lambda kv: -kv[1]) if value >= threshold]


def share(found_a: int, found_b: int, own_a: int, own_b: int) -> float:
    return max(found_a / max(own_a, FLOOR), found_b / max(own_b, FLOOR))


def rank(students: list[str], questions: list[str], matches: list[Matches]) -> list[PairScore]:
    """Every pair that shares any fingerprint, most similar first (ties by name)."""
    own = [sum(m.own[i] for m in matches) for i in range(len(students))]
    found: dict[tuple[int, int], list[int]] = {}
    by_question: dict[tuple[int, int], dict[str, float]] = {}
    for question, m in zip(questions, matches):
        for (i, j), (in_i, in_j) in m.shared.items():
            total = found.setdefault((i, j), [0, 0])
            total[0] += in_i
            total[1] += in_j
            by_question.setdefault((i, j), {})[question] = share(in_i, in_j, m.own[i], m.own[j])
    pairs = [PairScore(students[i], students[j], share(a, b, own[i], own[j]), by_question[(i, j)])
             for (i, j), (a, b) in found.items()]
    pairs.sort(key=lambda p: (-p.notebook, p.a, p.b))
    return pairs
