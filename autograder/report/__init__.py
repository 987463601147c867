"""What staff see after grading: a class report (one self-contained HTML page) and grade
exports for an LMS, read from nbgrader's gradebook and the autograded notebooks."""
from __future__ import annotations

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


def class_report(root: Path, assignments: list[str] | None = None, output: Path | None = None) -> Path:
    """Write the class report for `assignments` (default: every assignment with submissions)."""
    db_url, course_id = _course(root)
    names = assignments or graded_assignments(db_url)
    stats = [collect(root, db_url, a) for a in names]
    return write_report(output or root / "reports" / "class-report.html", course_id, stats)


def export_grades(root: Path, output_dir: Path | None = None) -> tuple[Path, Path]:
    """nbgrader's own grades.csv and the same totals in Canvas's import layout."""
    from ..nbgrader_run import nbgrader
    db_url, _ = _course(root)
    out = (output_dir or root).resolve()
    out.mkdir(parents=True, exist_ok=True)
    plain = out / "grades.csv"
    nbgrader(root, "export", "--to", str(plain))
    return plain, write_canvas_csv(out / "grades-canvas.csv", db_url)
