"""Regenerate everything derived from source/: release, reference outputs, solutions.

Order matters: nbgrader's generate_assignment records the grade cells in the gradebook
and writes release/; the references are recorded from the source notebook; then
generate_solution executes the solutions with hidden tests removed (nbgrader_config.py).
Last, the reference solution is graded by the batch grader as a student's submission: an
assignment whose own solution loses a point is a release-blocking bug, and generate fails.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import course, leaks, nbgrader_run
from .errors import LeakFound, SolutionLosesPoints
from .references import build_references


def generate(root: Path, assignment: str, progress: Callable[[str], None] = print, pool=None) -> None:
    """Regenerate one assignment; its solution is checked in `pool` (batch.grade.open_pool) if
    given, else in a pool of its own."""
    from .batch.grade import check_solution
    progress(f"{assignment}: nbgrader generate_assignment")
    nbgrader_run.nbgrader(root, "generate_assignment", assignment, "--force")
    progress(f"{assignment}: recording reference outputs from the solution")
    build_references(root, assignment)
    progress(f"{assignment}: nbgrader generate_solution (executing)")
    nbgrader_run.nbgrader(root, "generate_solution", assignment, "--force")
    problems = leaks.release_leaks(root, assignment) + leaks.solution_leaks(root, assignment)
    if problems:
        raise LeakFound(f"{assignment}:\n" + "\n".join(problems))
    progress(f"{assignment}: grading the reference solution with the batch grader")
    run = check_solution(root, assignment, pool=pool)
    if run.problems:
        raise SolutionLosesPoints(f"{assignment}: the reference solution does not earn every automatic point "
                                  f"under the batch grader:\n  " + "\n  ".join(run.problems))
    progress(f"{assignment}: done (the solution earns every automatic point; it runs {run.seconds:.1f} s "
             f"under the batch grader)")


def generate_all(root: Path, assignments: list[str] | None = None, progress=print) -> None:
    """One pool checks every solution: its TensorFlow import overlaps the first nbgrader step,
    and no later assignment imports it again."""
    from .batch.grade import Options, open_pool
    with open_pool(Path(root).resolve(), Options(workers=1)) as pool:
        for assignment in assignments or course.assignments(root):
            generate(root, assignment, progress, pool=pool)
