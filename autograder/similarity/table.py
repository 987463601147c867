"""The similarity CSV: one row per pair that shares anything, most similar first, with the
whole notebook's similarity, whether it is at or above the threshold, and each question's
similarity; then one row per submission that could not be compared, with its reason. The
class report reads back only the number of pairs above the threshold."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Comparison

FIXED = ["rank", "student_a", "student_b", "notebook", "above_threshold"]


def write_csv(path: Path, comparison: "Comparison") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(FIXED + comparison.questions + ["note"])
        for n, pair in enumerate(comparison.pairs, 1):
            flagged = "yes" if pair.notebook >= comparison.threshold else "no"
            by_question = [f"{pair.questions[q]:.3f}" if q in pair.questions else "" for q in comparison.questions]
            out.writerow([n, pair.a, pair.b, f"{pair.notebook:.3f}", flagged] + by_question + [""])
        for submission in comparison.unreadable:
            out.writerow(["", submission.student, "", "", ""] + [""] * len(comparison.questions)
                         + [f"not compared: {submission.problem}"])
    return path


def flagged_count(path: Path) -> int | None:
    """Pairs at or above the threshold in a similarity CSV; None when there is no CSV."""
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as f:
        return sum(1 for row in csv.DictReader(f) if row.get("above_threshold") == "yes")
