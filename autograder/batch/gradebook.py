"""Reading nbgrader's gradebook: what each test cell must record, a recorded score. (Writing a
judged submission to it is recorder.py's job.)"""
from __future__ import annotations

from nbgrader.api import Gradebook

from .verdicts import checks_called


def hidden_checks_by_cell(db_url: str, assignment: str, notebook: str) -> dict[str, list[str]]:
    """{grade_id: hidden checks it calls} for every automatically graded code cell of the
    notebook, from the sources nbgrader stored when it generated the assignment. The judge
    takes a test cell's checks from here, never from the text that ran: a check missing from
    the text then costs the cell its points instead of leaving it with no output to judge."""
    with Gradebook(db_url) as gb:
        nb = gb.find_notebook(notebook, assignment)
        graded = {cell.name for cell in nb.grade_cells if cell.cell_type == "code"}
        return {cell.name: checks_called(cell.source) for cell in nb.source_cells if cell.name in graded}


def submission_score(db_url: str, assignment: str, student: str) -> tuple[float, float]:
    with Gradebook(db_url) as gb:
        sub = gb.find_submission(assignment, student)
        return float(sub.score), float(sub.max_score)
