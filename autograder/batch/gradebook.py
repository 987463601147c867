"""Writing to nbgrader's gradebook: a judged submission recorded by nbgrader's own autograde
pipeline (derived from the course configuration, sanitize.py), its score read back, and lines
flagged for review put where formgrader shows them."""
from __future__ import annotations

import collections
import copy
import logging
import warnings
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from .sanitize import recording_pipeline
from .verdicts import checks_called


def record_in_gradebook(root: Path, config: Config, assignment: str, student: str, staging: Path,
                        results: Path) -> None:
    """nbgrader's own autograde pipeline on `staging/<student>/<assignment>/`, with Execute
    replaced by ReplayOutputs (the judged notebooks in `results`) and without the sanitising
    steps the batch already ran on this very notebook."""
    # A deep copy: Config(config) shares its sections with `config`, and merging into it would
    # empty the grader's own sanitising pipeline for every submission prepared afterwards.
    config = copy.deepcopy(config)
    config.merge(Config({
        "CourseDirectory": {"submitted_directory": str(staging), "root": str(root)},
        "Autograde": {"sanitize_preprocessors": [], "autograde_preprocessors": recording_pipeline(config)},
        "ReplayOutputs": {"results_dir": str(results)},
    }))
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    app = Autograde(coursedir=coursedir, config=config)
    app.force = True
    app.create_student = True
    app.log.setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy session notices from nbgrader's own code
        app.start()


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


def flag_in_gradebook(db_url: str, assignment: str, student: str, flags: dict[str, list]) -> None:
    """Put each flagged line (tamper.py) in the comment of its answer cell (a line in a cell the
    student added goes to the notebook's first answer cell) and mark the notebook's test cells
    as needing a manual look, so formgrader lists the submission for review. Scores stay."""
    with Gradebook(db_url) as gb:
        for name, found in flags.items():
            notebook = gb.find_submission_notebook(name, assignment, student)
            answers = [c.name for c in notebook.comments]
            by_cell: dict[str, list[str]] = collections.defaultdict(list)
            for flag in found:
                if answers:
                    by_cell[flag.cell if flag.cell in answers else answers[0]].append(flag.describe())
            for cell, lines in by_cell.items():
                comment = gb.find_comment(cell, name, assignment, student)
                comment.auto_comment = ("Flagged for review (the code reaches into the grading machinery; "
                                        "the score is unchanged):\n" + "\n".join(lines))
            for grade in notebook.grades:
                if grade.auto_score is not None:
                    grade.needs_manual_grade = True
        gb.db.commit()
