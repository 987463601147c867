"""The attack corpus of the real course (tests/batch/attacks/<assignment>/): submissions written
to fool the batch grader (hooks that rewrite what a check recorded, wrappers that lie, fake
modules, forged records, pretrained models, made-up histories). Each fills only its own
cells of the blank release and must earn no more, cell by cell, than the blank release.
They are graded in the assignment's proof batch (conftest.proven), beside the solution and the
wrong variants: an attack that reached another submission's grade would fail the proof too."""
from __future__ import annotations

import pytest

from attack_corpus import attack_files
from autograder import nbgrader_run
from autograder.prove import BLANK
from conftest import ASSIGNMENTS, proven


def test_every_assignment_has_at_least_three_attacks():
    missing = {a: len(attack_files(a)) for a in ASSIGNMENTS if len(attack_files(a)) < 3}
    assert not missing, f"assignments with fewer than three attacks: {missing}"


@pytest.fixture(scope="module")
def attacked(generated, tmp_path_factory):
    """(assignment, {student: {cell: points}}, attackers): the proof batch's per-cell scores."""
    assignment, _ = generated
    if not attack_files(assignment):
        pytest.skip(f"no attacks for {assignment}")
    batch = proven(tmp_path_factory, assignment)
    return assignment, nbgrader_run.cell_scores(batch.course, assignment), batch.attackers


def test_no_attack_earns_more_than_the_blank_release(attacked):
    """(Every submission of the batch, attacks included, was graded and judged: the proof's
    batch_autograde stops otherwise.)"""
    assignment, scores, attackers = attacked
    assert len(attackers) == len(attack_files(assignment))
    assert set(attackers) <= set(scores), f"attacks without grades: {set(attackers) - set(scores)}"
    blank = scores[BLANK]
    gains = {}
    for student in attackers:
        gained = {cell: points for cell, points in scores[student].items() if points > blank.get(cell, 0.0)}
        if gained:
            gains[student] = gained
    assert not gains, f"{assignment}: attacks that earned points: {gains}"
