"""The real course: every assignment regenerates to the committed release/ and solutions/,
nothing leaks, the solution earns every automatic point with the real `nbgrader autograde`,
the blank release none, every hidden check is lost by its known-wrong variants, the batch
grader gives the same per-cell scores on that whole corpus, and the demo cycle runs."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from autograder import course, leaks, nbgrader_run
from autograder.batch.grade import Options, grade
from autograder.demo import run_demo
from conftest import ASSIGNMENTS, REPO

def _structure(nb):
    """What must match between a committed and a regenerated solution notebook: cells, not
    the numbers a run prints (they depend on the CPU)."""
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


def test_every_assignment_has_checks_and_variants():
    assert ASSIGNMENTS, "no assignment in source/"
    for assignment in ASSIGNMENTS:
        assert course.checks_path(REPO, assignment).is_file(), assignment
        assert list((REPO / "tests" / "wrong_variants" / assignment).glob("*.py")), assignment


def test_committed_release_and_solutions_are_leak_free():
    for assignment in ASSIGNMENTS:
        assert leaks.release_leaks(REPO, assignment) == []
        assert leaks.solution_leaks(REPO, assignment) == []


def test_release_is_in_sync_with_source(generated):
    assignment, root = generated
    for nb_path in course.source_notebooks(root, assignment):
        fresh = nbformat.read(root / "release" / assignment / nb_path.name, as_version=4)
        committed = nbformat.read(REPO / "release" / assignment / nb_path.name, as_version=4)
        assert fresh == committed, f"release/{assignment} is stale: run `make course`"


def test_solutions_are_in_sync_with_source(generated):
    assignment, root = generated
    for nb_path in course.source_notebooks(root, assignment):
        fresh = nbformat.read(root / "solutions" / assignment / nb_path.name, as_version=4)
        committed = nbformat.read(REPO / "solutions" / assignment / nb_path.name, as_version=4)
        assert _structure(fresh) == _structure(committed), f"solutions/{assignment} is stale: run `make course`"


def test_grading_is_proven_with_nbgrader_autograde(proof):
    result, _ = proof
    assert result.problems == []
    assert result.variants, f"{result.assignment} has no wrong variants"


def test_batch_grader_gives_nbgrader_scores_on_the_proof_corpus(proof, generated, tmp_path):
    result, workspace = proof
    assignment, root = generated
    batch = nbgrader_run.make_workspace(root, tmp_path / "batch", [assignment])
    shutil.copytree(workspace / "submitted", batch / "submitted")
    records = grade(batch, assignment, options=Options(workers=2))
    assert all(r.status == "graded" for r in records)
    assert nbgrader_run.cell_scores(batch, assignment) == result.scores


def test_demo_cycle_runs(generated, tmp_path, capsys):
    assignment, root = generated
    grades = run_demo(root, tmp_path / "demo", [assignment], fast=True)
    out = capsys.readouterr().out
    assert "ada" in out and str(grades) in out
    lines = grades.read_text().splitlines()
    assert lines[0].startswith("assignment,duedate,timestamp,student_id")
    assert len(lines) == 1 + 3
    canvas = grades.with_name("grades-canvas.csv").read_text().splitlines()
    assert canvas[0].startswith("Student,ID,SIS User ID") and len(canvas) == 2 + 3
    report = tmp_path / "demo" / "reports" / "class-report.html"
    assert f"{assignment}</h2>" in report.read_text() and str(report) in out
