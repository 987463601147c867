"""A full course cycle on this machine, in a throwaway course directory.

release (nbgrader generate_assignment) -> simulated students fill in their release copies
(the solution, a blank notebook, realistic wrong answers from tests/wrong_variants/) ->
placement under submitted/ as `nbgrader collect` does -> the batch grader (the same
sanitising, gradebook and autograded notebooks as `nbgrader autograde`) -> `nbgrader export`, the
Canvas CSV and the class report -> a score table and the paths of what was written.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat

from . import course, nbgrader_run
from .batch.grade import grade
from .prove import variants_dir
from .report import class_report, export_grades
from .steps import Steps
from .submissions import filled_release, read_variants

STUDENTS = ["ada", "ben", "chen", "dana", "emre", "fatima"]
FAST_STUDENTS = STUDENTS[:3]


def simulated_submission(ws: Path, assignment: str, student_index: int, variants):
    """Student 0 hands in the solution, student 1 the untouched release, the others each a
    different known mistake (cycling through the assignment's wrong variants)."""
    (source_nb,) = course.source_notebooks(ws, assignment)
    release_nb = ws / "release" / assignment / source_nb.name
    if student_index == 1 or (student_index > 1 and not variants):
        return nbformat.read(release_nb, as_version=4), "blank release"
    if student_index == 0:
        return filled_release(release_nb, source_nb), "solution"
    variant = variants[(student_index - 2) % len(variants)]
    return filled_release(release_nb, source_nb, variant.cells), f"wrong: {variant.name}"


def run_demo(root: Path, workdir: Path, assignments: list[str], fast: bool = False) -> Path:
    with Steps() as say:
        return _run_demo(root, workdir, assignments, fast, say)


def _run_demo(root: Path, workdir: Path, assignments: list[str], fast: bool, say: Steps) -> Path:
    students = FAST_STUDENTS if fast else STUDENTS
    missing = [a for a in assignments if not course.reference_path(root, a).is_file()]
    if missing:
        from .references import ReferenceBuildError
        raise ReferenceBuildError(
            f"reference outputs missing for {', '.join(missing)}: run `python -m autograder generate` first"
        )
    if workdir.exists():
        shutil.rmtree(workdir)
    say(f"demo course in {workdir}: {len(assignments)} assignments, {len(students)} students")
    nbgrader_run.make_workspace(root, workdir, [])
    for n, assignment in enumerate(assignments, 1):
        say(f"[{n}/{len(assignments)}] {assignment}: release (nbgrader generate_assignment)")
        nbgrader_run.make_workspace(root, workdir, [assignment])
        variants = read_variants(variants_dir(root, assignment))
        for i, student in enumerate(students):
            nb, what = simulated_submission(workdir, assignment, i, variants)
            nbgrader_run.submit(workdir, assignment, student, nb)
            say(f"    {student} submits {assignment} ({what})")
        say(f"[{n}/{len(assignments)}] {assignment}: python -m autograder grade ({len(students)} submissions)")
        for record in grade(workdir, assignment):
            note = f" ({'; '.join(record.reasons)})" if record.reasons else ""
            say(f"    {record.student}: {record.score:g}/{record.max_score:g}{note}")
    say("nbgrader export, Canvas CSV, class report")
    grades, canvas = export_grades(workdir)
    report = class_report(workdir, assignments)
    print_table(grades, assignments, students)
    say(f"grades: {grades}")
    say(f"grades for Canvas: {canvas}")
    say(f"class report: {report}")
    return grades


def print_table(grades: Path, assignments: list[str], students: list[str]) -> None:
    with grades.open() as f:
        rows = list(csv.DictReader(f))
    score = {(r["student_id"], r["assignment"]): (float(r["score"]), float(r["max_score"])) for r in rows}
    width = max(len(a) for a in assignments) + 2
    print("\n" + "student".ljust(10) + "".join(a.rjust(width) for a in assignments))
    for student in students:
        cells = []
        for a in assignments:
            got, out_of = score.get((student, a), (0.0, 0.0))
            cells.append(f"{got:g}/{out_of:g}".rjust(width))
        print(student.ljust(10) + "".join(cells))
    print()
