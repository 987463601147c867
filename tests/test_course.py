"""The real course: every assignment regenerates to the committed release/ and solutions/,
nothing leaks, the solution earns every automatic point with the real `nbgrader autograde`,
the blank release none, and every hidden check is lost by its known-wrong variants."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from autograder import course, leaks
from autograder.generate import generate
from autograder.prove import prove
from conftest import REPO

ASSIGNMENTS = course.assignments(REPO) if (REPO / "source").is_dir() else []


def regenerated_course(tmp_path_factory, assignment):
    """A copy of the course holding one assignment, regenerated from source/."""
    root = tmp_path_factory.mktemp(assignment) / "course"
    root.mkdir()
    shutil.copy2(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "source" / assignment, root / "source" / assignment)
    shutil.copytree(REPO / "grading" / assignment, root / "grading" / assignment,
                    ignore=shutil.ignore_patterns("reference*.npz", "__pycache__"))
    variants = REPO / "tests" / "wrong_variants" / assignment
    if variants.is_dir():
        shutil.copytree(variants, root / "tests" / "wrong_variants" / assignment)
    generate(root, assignment, progress=lambda message: None)
    return root


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def generated(request, tmp_path_factory):
    return request.param, regenerated_course(tmp_path_factory, request.param)


def _structure(nb):
    """What must match between a committed and a regenerated solution notebook: cells, not
    the numbers a run prints (they depend on the CPU)."""
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


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


def test_grading_is_proven_with_nbgrader_autograde(generated, tmp_path):
    assignment, root = generated
    proof = prove(root, assignment, workdir=tmp_path)
    assert proof.problems == []
    assert proof.variants, f"{assignment} has no wrong variants"
    assert set(proof.auto_ids) <= {cid for v in proof.variants for cid in v.loses}
