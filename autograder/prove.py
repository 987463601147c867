"""Prove an assignment's grading: the solution earns every automatic point, the blank
release earns none, each known-wrong variant loses exactly the test cells it names, and
each honest alternative (a correct answer written another way) loses nothing.

Everything is graded in a throwaway copy of the course, by the real `nbgrader autograde`
unless another grader is passed (the test suite also proves with the batch grader, which
gives the same scores, tested, in a fraction of the time).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from . import course, nbgrader_run
from .batch.verdicts import lost_points
from .submissions import WrongVariant, filled_release, read_variants

SOLUTION = "solution"
BLANK = "blank"


@dataclass
class Proof:
    assignment: str
    max_scores: dict[str, float]
    auto_ids: set[str]
    scores: dict[str, dict[str, float]]
    variants: list[WrongVariant]
    problems: list[str] = field(default_factory=list)
    honest: list[WrongVariant] = field(default_factory=list)
    margins: list = field(default_factory=list)  # margins.Margin of each numeric check

    @property
    def ok(self) -> bool:
        return not self.problems


def variants_dir(root: Path, assignment: str) -> Path:
    return root / "tests" / "wrong_variants" / assignment


def honest_dir(root: Path, assignment: str) -> Path:
    """Correct answers written differently from the solution: each must lose nothing."""
    return root / "tests" / "honest_variants" / assignment


RESULTS = ".proof-results"  # where batch_autograde keeps the record streams, in the proof's course


def batch_autograde(ws: Path, assignment: str) -> None:
    """The batch grader as prove's grader; it keeps every notebook's records for the margins.
    Its time limits are wide: a proof is about what the checks decide, and the machine that
    proves (a CI runner, a laptop) may be busy with other proofs."""
    from .batch.grade import Options, grade
    options = Options(workers=2, force=True, keep_results=ws / RESULTS, wall_timeout=1800, cell_timeout=600,
                      verify_timeout=900)
    records = grade(ws, assignment, options=options)
    broken = [r for r in records if r.status != "graded" or r.unjudged]
    if broken:
        raise AssertionError(f"not graded, or not judged as the course's tests say: {broken}")


def student_id(variant: WrongVariant) -> str:
    return f"{'wrong' if variant.loses else 'honest'}-{variant.name}"


def evaluate(max_scores, auto_ids, scores, variants, all_variants: bool = True) -> list[str]:
    """What does not hold, as sentences (empty when the grading is proven). Only the
    assignment's whole set of variants (`all_variants`) must lose every test cell."""
    return (solution_and_blank_problems(max_scores, auto_ids, scores)
            + variant_problems(max_scores, auto_ids, scores, variants)
            + (unproven_cells(auto_ids, variants) if all_variants else []))


def solution_and_blank_problems(max_scores, auto_ids, scores) -> list[str]:
    """The solution must earn every automatic point and the blank release none."""
    problems = []
    full = {cid: max_scores[cid] for cid in auto_ids}
    got = scores.get(SOLUTION, {})
    for cid, points in sorted(full.items()):
        if got.get(cid) != points:
            problems.append(f"solution: {cid} scored {got.get(cid)} of {points}")
    blank = scores.get(BLANK, {})
    for cid in sorted(full):
        if blank.get(cid, 0) != 0:
            problems.append(f"blank release: {cid} scored {blank[cid]}, expected 0")
    return problems


def expected_score(variant: WrongVariant, cid: str, max_scores) -> float:
    """What a variant must score in an automatically graded cell: nothing in a cell it loses,
    every point elsewhere."""
    return 0.0 if cid in variant.loses else max_scores[cid]


def variant_problems(max_scores, auto_ids, scores, variants) -> list[str]:
    """Each variant must lose exactly the cells it names."""
    problems = []
    for variant in variants:
        row = scores.get(student_id(variant), {})
        if student_id(variant) not in scores:
            problems.append(f"{variant.name}: not graded")
        unknown = set(variant.loses) - set(auto_ids)
        if unknown:
            problems.append(f"{variant.name}: names unknown test cells {sorted(unknown)}")
        for cid in sorted(auto_ids):
            expected = expected_score(variant, cid, max_scores)
            if row.get(cid) != expected:
                problems.append(f"{variant.name}: {cid} scored {row.get(cid)}, expected {expected}")
    return problems


def unproven_cells(auto_ids, variants) -> list[str]:
    """Every automatically graded cell must be lost by at least one wrong variant."""
    lost_somewhere = {cid for variant in variants for cid in variant.loses}
    return [f"test cell {cid} is not proven: no wrong variant loses it"
            for cid in sorted(set(auto_ids) - lost_somewhere)]


def prove(root: Path, assignment: str, workdir: Path | None = None,
          progress: Callable[[str], None] = lambda message: None,
          autograde: Callable[[Path, str], object] = nbgrader_run.autograde,
          variants: list[WrongVariant] | None = None, honest: list[WrongVariant] | None = None,
          margins: bool = False) -> Proof:
    """Grade solution, blank, wrong variants and honest alternatives of `assignment` (by default
    all of them; `variants=[]` / `honest=[]` for none) with `autograde(course, assignment)`: by
    default the real nbgrader autograde. With `margins`, also each numeric check's margin
    (margins.py), from the batch grader's records of the same corpus."""
    all_variants = variants is None
    if all_variants:
        variants = read_variants(variants_dir(root, assignment))
    if honest is None:
        honest = read_variants(honest_dir(root, assignment)) if honest_dir(root, assignment).is_dir() else []
    misnamed = [v.name for v in variants if not v.loses] + [v.name for v in honest if v.loses]
    progress(f"{assignment}: nbgrader generate_assignment in a throwaway course")
    with tempfile.TemporaryDirectory(prefix=f"prove-{assignment}-") as tmp:
        ws = nbgrader_run.make_workspace(root, Path(workdir or tmp) / "course", [assignment])
        (source_nb,) = course.source_notebooks(ws, assignment)
        release_nb = ws / "release" / assignment / source_nb.name
        nbgrader_run.submit(ws, assignment, SOLUTION, filled_release(release_nb, source_nb))
        nbgrader_run.submit(ws, assignment, BLANK, nbformat.read(release_nb, as_version=4))
        for variant in variants + honest:
            nb = filled_release(release_nb, source_nb, variant.cells)
            nbgrader_run.submit(ws, assignment, student_id(variant), nb)
        progress(f"{assignment}: autograde of {len(variants) + len(honest) + 2} notebooks "
                 f"(solution, blank release, {len(variants)} wrong variants, {len(honest)} honest alternatives)")
        autograde(ws, assignment)
        scores = nbgrader_run.cell_scores(ws, assignment)
        maxima = nbgrader_run.max_scores(ws, assignment)
        auto_ids = nbgrader_run.auto_graded_ids(ws, assignment)
        graded_solution = ws / "autograded" / SOLUTION / assignment / source_nb.name
        why = lost_points(nbformat.read(graded_solution, as_version=4)) if graded_solution.is_file() else []
        evidence = _unexpected_cells(ws / "autograded", assignment, source_nb.name, maxima, auto_ids, scores,
                                     variants + honest)
        found = []
        if margins:
            if not (ws / RESULTS).is_dir():
                progress(f"{assignment}: the same notebooks through the batch grader, for the margins")
                batch_autograde(ws, assignment)
            from .margins import margins as measure_margins
            found = measure_margins(ws, assignment, ws / RESULTS,
                                    {SOLUTION: (), **{student_id(v): v.loses for v in variants + honest}})
    proof = Proof(assignment, maxima, auto_ids, scores, variants, honest=honest, margins=found)
    proof.problems = ([f"{name}: a wrong variant must name the test cells it loses, an honest alternative none"
                       for name in misnamed]
                      + evaluate(maxima, auto_ids, scores, variants + honest, all_variants)
                      + [f"solution loses {line}" for line in why]
                      + [m.problem() for m in found if not m.ok]
                      + evidence)
    return proof


def _unexpected_cells(autograded: Path, assignment: str, notebook: str, max_scores, auto_ids, scores,
                      variants) -> list[str]:
    """For each variant's cell that scored other than it must: what that cell held in the
    autograded notebook the score was read from (read before the throwaway course is gone)."""
    lines = []
    for variant in variants:
        row = scores.get(student_id(variant), {})
        wrong = [cid for cid in sorted(auto_ids)
                 if cid in row and row[cid] != expected_score(variant, cid, max_scores)]
        path = autograded / student_id(variant) / assignment / notebook
        if not wrong or not path.is_file():
            continue
        cells = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c
                 for c in nbformat.read(path, as_version=4).cells}
        for cid in wrong:
            outputs = [f"{o.get('output_type')}: {str(o.get('evalue') or o.get('text') or '')[:200]!r}"
                       for o in cells.get(cid, {}).get("outputs", [])]
            lines.append(f"evidence {variant.name}/{cid}: the autograded cell's outputs: {outputs}")
    return lines
