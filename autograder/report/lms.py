"""Grades for an LMS: Canvas's gradebook import layout.

Canvas matches rows by its own columns (Student, ID, SIS User ID, SIS Login ID, Section) and
creates or updates one assignment per remaining column; its own exports carry a second row,
"Points Possible", which the import accepts. nbgrader knows a student's id, name, email and
LMS user id: the id goes to SIS User ID, the LMS user id (when set) to ID, the email (or the
id) to SIS Login ID. A student with no submission scores 0, as in `nbgrader export`."""
from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

FIXED_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def write_canvas_csv(path: Path, db_url: str, assignments: list[str] | None = None) -> Path:
    with Gradebook(db_url) as gb:
        names = assignments or [a.name for a in gb.assignments]
        specs = [gb.find_assignment(a) for a in names]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(FIXED_COLUMNS + names)
            out.writerow(["    Points Possible", "", "", "", ""] + [f"{a.max_score:g}" for a in specs])
            for student in sorted(gb.students, key=lambda s: s.id):
                display = ", ".join(p for p in (student.last_name, student.first_name) if p) or student.id
                row = [display, student.lms_user_id or "", student.id, student.email or student.id, ""]
                for name in names:
                    try:
                        row.append(f"{gb.find_submission(name, student.id).score:g}")
                    except MissingEntry:  # no submission scores 0, as in `nbgrader export`
                        row.append("0")
                out.writerow(row)
    return path
