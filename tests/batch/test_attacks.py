"""The attack corpus of the real course (tests/batch/attacks/<assignment>/): submissions written
to fool the batch grader (hooks that rewrite what a check recorded, wrappers that lie, fake
modules, forged records, pretrained models, made-up histories). Each fills only its own
cells of the blank release and must earn no more, cell by cell, than the blank release."""
from __future__ import annotations

import pytest

from autograder import course, nbgrader_run
from autograder.batch.grade import Options, grade
from autograder.submissions import WrongVariant, release_with
from conftest import ASSIGNMENTS, REPO

ATTACKS = REPO / "tests" / "batch" / "attacks"


def attack_files(assignment: str):
    return sorted((ATTACKS / assignment).glob("*.py"))


def read_attack(path) -> WrongVariant:
    """An attack file has the wrong-variant layout; its `# loses:` line, if any, is ignored:
    an attack must lose every cell it touches (and gain nothing anywhere)."""
    text = path.read_text()
    if "# loses:" not in text:
        text = text.replace("# %% cell:", "# loses:\n# %% cell:", 1)
    tmp = path.parent / f".{path.stem}.parsed"
    tmp.write_text(text)
    try:
        variant = WrongVariant.read(tmp)
    finally:
        tmp.unlink()
    return variant


def test_every_assignment_has_at_least_three_attacks():
    missing = {a: len(attack_files(a)) for a in ASSIGNMENTS if len(attack_files(a)) < 3}
    assert not missing, f"assignments with fewer than three attacks: {missing}"


@pytest.fixture(scope="module")
def attacked(generated, tmp_path_factory):
    """(assignment, {student: {cell: points}}, records): the blank release and every attack of
    the assignment graded by the batch grader in a throwaway copy of the course."""
    assignment, root = generated
    files = attack_files(assignment)
    if not files:
        pytest.skip(f"no attacks for {assignment}")
    ws = nbgrader_run.make_workspace(root, tmp_path_factory.mktemp(f"attacks-{assignment}") / "course", [assignment])
    (source_nb,) = course.source_notebooks(ws, assignment)
    release_nb = ws / "release" / assignment / source_nb.name
    nbgrader_run.submit(ws, assignment, "blank", release_with(release_nb, {}))
    for path in files:
        nbgrader_run.submit(ws, assignment, f"attack-{path.stem}", release_with(release_nb, read_attack(path).cells))
    records = {r.student: r for r in grade(ws, assignment, options=Options(workers=2))}
    return assignment, nbgrader_run.cell_scores(ws, assignment), records


def test_no_attack_earns_more_than_the_blank_release(attacked):
    assignment, scores, records = attacked
    blank = scores["blank"]
    gains = {}
    for student, cells in scores.items():
        if student.startswith("attack-"):
            gained = {cell: points for cell, points in cells.items() if points > blank.get(cell, 0.0)}
            if gained:
                gains[student] = gained
    assert not gains, f"{assignment}: attacks that earned points: {gains}"
    assert all(r.status == "graded" for r in records.values()), [r for r in records.values() if r.status != "graded"]
