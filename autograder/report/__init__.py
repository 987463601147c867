"""What staff see after grading: a class report (one self-contained HTML page) and grade
exports for an LMS, read from nbgrader's gradebook and the autograded notebooks."""
from __future__ import annotations

import os
from pathlib import Path

from .lms import write_canvas_csv
from .page import write_report
from .stats import AssignmentStats, collect

__all__ = ["AssignmentStats", "class_report", "collect", "export_grades", "write_canvas_csv", "write_report"]


def _course(root: Path):
    from .. import course
    config = course.load_config(root)
    return course.gradebook_url(root, config), config.CourseDirectory.get("course_id", "course")


def graded_assignments(db_url: str) -> list[str]:
    from nbgrader.api import Gradebook
    with Gradebook(db_url) as gb:
        return [a.name for a in gb.assignments if gb.assignment_submissions(a.name)]


def similarity_links(root: Path, assignments: list[str], page: Path) -> dict[str, tuple[str, int]]:
    """For each assignment with a similarity report (`python -m autograder similarity`): its
    page, relative to the class report `page`, and how many pairs are above the threshold."""
    from ..similarity import flagged_count, report_paths
    links = {}
    for assignment in assignments:
        html_path, csv_path = report_paths(root, assignment)
        count = flagged_count(csv_path)
        if count is not None and html_path.is_file():
            links[assignment] = (Path(os.path.relpath(html_path, page.parent)).as_posix(), count)
    return links


def class_report(root: Path, assignments: list[str] | None = None, output: Path | None = None) -> Path:
    """Write the class report for `assignments` (default: every assignment with submissions)."""
    db_url, course_id = _course(root)
    names = assignments or graded_assignments(db_url)
    stats = [collect(root, db_url, a) for a in names]
    page = output or root / "reports" / "class-report.html"
    return write_report(page, course_id, stats, similarity_links(root, names, page))


def export_grades(root: Path, output_dir: Path | None = None) -> tuple[Path, Path]:
    """nbgrader's own grades.csv and the same totals in Canvas's import layout."""
    from ..nbgrader_run import nbgrader
    db_url, _ = _course(root)
    out = (output_dir or root).resolve()
    out.mkdir(parents=True, exist_ok=True)
    plain = out / "grades.csv"
    nbgrader(root, "export", "--to", str(plain))
    return plain, write_canvas_csv(out / "grades-canvas.csv", db_url)
