"""The batch grader records what `nbgrader autograde` records: the same gradebook rows (grades,
comments, submissions, timestamps, late penalties, manual grades kept on a regrade) and the
same autograded folder, file by file, for the same submitted folders."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder import nbgrader_run
from autograder.batch.grade import Options, grade
from autograder.batch.marker import DONE_MARKER
from autograder.submissions import filled_release
from conftest import copy_course

from .conftest import blank, release_and_source

pytestmark = pytest.mark.xdist_group("gradebook-rows")  # its module fixtures are built once, on one worker

DUE = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
ANSWERS = {
    "right": None,
    "wrong": "def double(x):\n    return x * 2.5\n",
    "raises": "def double(x):\n    raise ValueError('not done yet')\n",
    "late": None,
    "late-wrong": "def double(x):\n    return x * 3\n",
}
REGRADED = "wrong"  # given a manual score, then graded again


def _submit_class(root: Path) -> None:
    release, source = release_and_source(root)
    for student, answer in ANSWERS.items():
        when = DUE + dt.timedelta(hours=5) if student.startswith("late") else DUE - dt.timedelta(days=1)
        nb = filled_release(release, source, {"double_answer": answer} if answer else None)
        folder = nbgrader_run.submit(root, "mini", student, nb, when=when).parent
        (folder / "notes.txt").write_text(f"{student}'s own file\n")
        (folder / "data").mkdir()
        (folder / "data" / "values.csv").write_text("1,2,3\n")
    nbgrader_run.submit(root, "mini", "blank", blank(root), when=DUE - dt.timedelta(days=2))


def _course(generated_mini, dest: Path) -> Path:
    root = copy_course(generated_mini, dest)
    (root / "source" / "mini" / "helper.py").write_text("SCALE = 2\n")  # copied over the submission's
    with open(root / "nbgrader_config.py", "a") as config:
        config.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    with Gradebook(nbgrader_run.db_url(root)) as gb:
        gb.update_or_create_assignment("mini", duedate=DUE.strftime("%Y-%m-%d %H:%M:%S %Z"))
    return root


def _give_manual_score(root: Path) -> None:
    with Gradebook(nbgrader_run.db_url(root)) as gb:
        gb.find_grade("double_values", "mini", "mini", REGRADED).manual_score = 1.5
        gb.find_comment("double_answer", "mini", "mini", REGRADED).manual_comment = "see me"
        gb.db.commit()


@pytest.fixture(scope="module")
def both(generated_mini, tmp_path_factory):
    base = _course(generated_mini, tmp_path_factory.mktemp("base") / "course")
    _submit_class(base)
    roots = {name: copy_course(base, tmp_path_factory.mktemp(name) / "course") for name in ("nbgrader", "batch")}
    nbgrader_run.autograde(roots["nbgrader"], "mini")
    grade(roots["batch"], "mini", options=Options(workers=2))
    for root in roots.values():
        _give_manual_score(root)
    nbgrader_run.nbgrader(roots["nbgrader"], "autograde", "mini", "--student", REGRADED, "--force")
    grade(roots["batch"], "mini", [REGRADED], options=Options(workers=1, force=True))
    return roots


ROWS = {
    "students": "SELECT id, first_name, last_name, email, lms_user_id FROM student",
    "submissions": """SELECT a.name, s.student_id, s.timestamp, s.extension
                      FROM submitted_assignment s JOIN assignment a ON a.id = s.assignment_id""",
    "notebooks": """SELECT a.name, s.student_id, n.name, sn.flagged, sn.late_submission_penalty
                    FROM submitted_notebook sn JOIN submitted_assignment s ON s.id = sn.assignment_id
                    JOIN assignment a ON a.id = s.assignment_id JOIN notebook n ON n.id = sn.notebook_id""",
    "grades": """SELECT s.student_id, n.name, c.name, g.auto_score, g.manual_score, g.extra_credit,
                        g.needs_manual_grade
                 FROM grade g JOIN submitted_notebook sn ON sn.id = g.notebook_id
                 JOIN submitted_assignment s ON s.id = sn.assignment_id JOIN notebook n ON n.id = sn.notebook_id
                 JOIN base_cell c ON c.id = g.cell_id""",
    "comments": """SELECT s.student_id, n.name, c.name, m.auto_comment, m.manual_comment
                   FROM comment m JOIN submitted_notebook sn ON sn.id = m.notebook_id
                   JOIN submitted_assignment s ON s.id = sn.assignment_id JOIN notebook n ON n.id = sn.notebook_id
                   JOIN base_cell c ON c.id = m.cell_id""",
}


def rows(root: Path, query: str) -> list[tuple]:
    with sqlite3.connect(root / "gradebook.db") as db:
        return sorted(db.execute(query).fetchall(), key=repr)


@pytest.mark.parametrize("table", sorted(ROWS))
def test_the_gradebook_rows_are_nbgraders(both, table):
    by_nbgrader, by_batch = rows(both["nbgrader"], ROWS[table]), rows(both["batch"], ROWS[table])
    assert by_batch == by_nbgrader
    assert by_nbgrader  # the class is in it


def test_the_class_exercises_what_the_rows_record(both):
    """The comparison means something only if the rows hold each case: a late penalty, a manual
    grade kept by the regrade, an unanswered cell's "No response." and both scores."""
    notebooks = {row[1]: row[4] for row in rows(both["nbgrader"], ROWS["notebooks"])}
    assert notebooks["late"] == 2.0 and notebooks["right"] is None  # "zero": the late score is taken away
    grades = {(row[0], row[2]): row[3:] for row in rows(both["nbgrader"], ROWS["grades"])}
    assert grades[("right", "double_values")] == (2.0, None, None, 0)
    assert grades[(REGRADED, "double_values")] == (0.0, 1.5, None, 1)
    comments = {(row[0], row[2]): row[3:] for row in rows(both["nbgrader"], ROWS["comments"])}
    assert comments[("blank", "double_answer")] == ("No response.", None)
    assert comments[(REGRADED, "double_answer")] == (None, "see me")


def _tree(root: Path) -> dict[str, tuple[int, bytes]]:
    """{path: (mode, bytes)} of autograded/, without the batch grader's own done marker."""
    base = root / "autograded"
    return {str(path.relative_to(base)): (os.stat(path).st_mode & 0o777, path.read_bytes())
            for path in sorted(base.rglob("*")) if path.is_file() and path.name != DONE_MARKER}


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _comparable(name: str, content: bytes):
    """A notebook with each traceback reduced to its exception line: a kernel colours its frames
    with terminal codes and quotes more context lines than the batch grader's children (a
    difference of running, not of recording; the exception and message must agree)."""
    if not name.endswith(".ipynb"):
        return content
    nb = json.loads(content)
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if "traceback" in output:
                output["traceback"] = ANSI.sub("", output["traceback"][-1])
    return nb


def test_the_autograded_folders_are_nbgraders(both):
    by_nbgrader, by_batch = _tree(both["nbgrader"]), _tree(both["batch"])
    assert sorted(by_batch) == sorted(by_nbgrader)
    for name, (mode, content) in by_nbgrader.items():
        assert by_batch[name][0] == mode, name
        assert _comparable(name, by_batch[name][1]) == _comparable(name, content), name
    assert "right/mini/data/values.csv" in by_nbgrader and "right/mini/helper.py" in by_nbgrader


def test_a_link_in_a_submission_is_not_followed(generated_mini, tmp_path):
    """Where the two differ on purpose: nbgrader copies what a submitted link points to into
    autograded/ (a student's link to another student's work or to a grader's file); the batch
    grader copies regular files only."""
    root = copy_course(generated_mini, tmp_path / "course")
    release, source = release_and_source(root)
    folder = nbgrader_run.submit(root, "mini", "ada", filled_release(release, source)).parent
    secret = tmp_path / "secret.txt"
    secret.write_text("not for students\n")
    os.symlink(secret, folder / "peek.txt")
    (record,) = grade(root, "mini", options=Options(workers=1))
    assert record.status == "graded" and record.score == 2
    assert not (root / "autograded" / "ada" / "mini" / "peek.txt").exists()
    assert (root / "autograded" / "ada" / "mini" / "mini.ipynb").is_file()
    shutil.rmtree(root)
