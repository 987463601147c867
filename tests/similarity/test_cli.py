"""`python -m autograder similarity`: the files it writes, bad submissions listed with their
reason (never a crash), usage errors."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import nbformat
import pytest

from autograder import cli, nbgrader_run
from autograder.similarity import dolos, report_paths
from autograder.submissions import filled_release

from .corpus import course_with

pytestmark = pytest.mark.xdist_group("similarity-cli")  # its module fixtures are built once, on one worker

ASSIGNMENT = "ml_fundamentals"
BROKEN = {  # student -> (file name, content, what the reason says)
    "invalid-json": (f"{ASSIGNMENT}.ipynb", '{"cells": [', "could not be read as a notebook"),
    "empty-file": (f"{ASSIGNMENT}.ipynb", "", "could not be read as a notebook"),
    "not-a-notebook": (f"{ASSIGNMENT}.ipynb", '{"name": "not a notebook"}', "could not be read as a notebook"),
    "a-json-list": (f"{ASSIGNMENT}.ipynb", "[1, 2, 3]", "could not be read as a notebook"),
    "two-other-notebooks": ("draft.ipynb", "{}", f"{ASSIGNMENT}.ipynb was not submitted"),
}


def rows(table) -> list[dict]:
    with table.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "autograder", "--course", str(root), *args],
                          capture_output=True, text=True, timeout=300)


ODD_CELLS = [  # cells nbformat reads without complaint, that students' editing can leave
    {"id": "odd-1", "cell_type": "code", "metadata": {"nbgrader": "edited"}, "source": "x = 1",
     "outputs": [], "execution_count": None},
    {"id": "odd-2", "cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None},
    {"id": "odd-3", "cell_type": "markdown", "metadata": {}, "source": 5},
    {"id": "odd-4", "cell_type": "code", "metadata": {"nbgrader": {"solution": True, "grade_id": ["a", "list"]}},
     "source": "y = 2", "outputs": [], "execution_count": None},
]


def with_odd_cells(nb) -> str:
    data = json.loads(nbformat.writes(nb))
    data["cells"] += ODD_CELLS
    return json.dumps(data)


@pytest.fixture(scope="module")
def class_with_bad_input(tmp_path_factory):
    """Two students with the same solution, one whose notebook was renamed, one with odd cells
    added, and one of each kind of broken submission."""
    root = course_with(tmp_path_factory.mktemp("bad-input") / "course", ASSIGNMENT)
    release = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source = root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for student in ("ada", "ben"):
        nbgrader_run.submit(root, ASSIGNMENT, student, filled_release(release, source))
    nbgrader_run.submit(root, ASSIGNMENT, "renamed", filled_release(release, source), name="my-work.ipynb")
    odd = root / "submitted" / "odd-cells" / ASSIGNMENT
    odd.mkdir(parents=True)
    (odd / f"{ASSIGNMENT}.ipynb").write_text(with_odd_cells(filled_release(release, source)))
    for student, (name, content, _) in BROKEN.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / name).write_text(content)
    (root / "submitted" / "two-other-notebooks" / ASSIGNMENT / "final.ipynb").write_text("{}")
    (root / "submitted" / "nothing-submitted" / ASSIGNMENT).mkdir(parents=True)
    proc = run(root, "similarity", ASSIGNMENT)
    return root, proc


def test_the_command_writes_the_page_and_the_csv(class_with_bad_input):
    root, proc = class_with_bad_input
    assert proc.returncode == 0, proc.stderr
    page, table = report_paths(root, ASSIGNMENT)
    assert f"wrote {page}" in proc.stdout and f"wrote {table}" in proc.stdout
    assert "4 submissions compared, 6 could not be read" in proc.stdout
    same = [r for r in rows(table) if {r["student_a"], r["student_b"]} == {"ada", "ben"}]
    assert len(same) == 1 and same[0]["rank"] == "1" and float(same[0]["notebook"]) == 1.0
    assert same[0]["above_threshold"] == "yes" and float(same[0]["kfold_solution"]) == 1.0


def test_broken_and_missing_notebooks_are_listed_with_their_reason(class_with_bad_input):
    root, proc = class_with_bad_input
    page, table = report_paths(root, ASSIGNMENT)
    notes = {r["student_a"]: r["note"] for r in rows(table) if r["note"]}
    expected = {student: reason for student, (_, _, reason) in BROKEN.items()}
    expected["nothing-submitted"] = f"{ASSIGNMENT}.ipynb was not submitted"
    assert set(notes) == set(expected)
    for student, reason in expected.items():
        assert notes[student].startswith("not compared: ") and reason in notes[student], (student, notes[student])
    html = page.read_text(encoding="utf-8")
    section = html[html.index('id="not-compared"'):html.index('id="notes"')]
    for student, reason in expected.items():
        assert f"<td>{student}</td>" in section and reason in section
    assert "my-work.ipynb taken as ml_fundamentals.ipynb" in html[html.index('id="notes"'):]


@pytest.mark.parametrize("student", ["renamed", "odd-cells"])
def test_renamed_notebooks_and_odd_cells_are_compared(class_with_bad_input, student):
    root, _ = class_with_bad_input
    assert any({r["student_a"], r["student_b"]} == {"ada", student} and r["above_threshold"] == "yes"
               for r in rows(report_paths(root, ASSIGNMENT)[1]))


def test_the_threshold_must_be_a_share(class_with_bad_input, capsys):
    root, _ = class_with_bad_input
    assert cli.main(["--course", str(root), "similarity", ASSIGNMENT, "--threshold", "80"]) == 2
    assert "--threshold must be in (0, 1]" in capsys.readouterr().err


def test_an_unknown_assignment_is_a_clear_error(class_with_bad_input, capsys):
    root, _ = class_with_bad_input
    assert cli.main(["--course", str(root), "similarity", "no_such_assignment"]) == 3
    assert "unknown assignment" in capsys.readouterr().err


def test_without_dolos_the_command_says_how_to_install_it(class_with_bad_input, monkeypatch, capsys):
    root, _ = class_with_bad_input
    monkeypatch.setattr(dolos, "DOLOS_LIB", root / "no-such-dir" / "index.js")
    assert cli.main(["--course", str(root), "similarity", ASSIGNMENT]) == 3
    assert "make node-deps" in capsys.readouterr().err


def test_a_class_of_one_writes_an_empty_ranking(tmp_path):
    root = course_with(tmp_path / "course", ASSIGNMENT)
    release = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nbgrader_run.submit(root, ASSIGNMENT, "alone", nbformat.read(release, as_version=4))
    assert cli.main(["--course", str(root), "similarity", ASSIGNMENT]) == 0
    assert rows(report_paths(root, ASSIGNMENT)[1]) == []
