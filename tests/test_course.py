"""The real course: every assignment regenerates to the committed release/, solutions/ and otter/,
nothing leaks, the solution earns every automatic point with the real `nbgrader autograde`,
the blank release none, every hidden check is lost by its known-wrong variants (graded by the
batch grader; with -m exhaustive also by `nbgrader autograde`, which must give the same per-cell
scores on that whole corpus), `otter run` on the Gradescope export
gives the same points on it (the solution and blank release of training_loop by default, of
every assignment and every variant with -m exhaustive: conftest.ONE_ASSIGNMENT_BY_DEFAULT),
and the demo cycle runs."""
from __future__ import annotations

import json

import nbformat
import pytest

from autograder import course, leaks, nbgrader_run
from autograder.demo import run_demo
from autograder.gradescope import export_assignment, otter_scores
from autograder.prove import BLANK, SOLUTION, prove, student_id, variants_dir
from autograder.submissions import filled_release, read_variants
from conftest import ASSIGNMENTS, REPO, proven


@pytest.fixture(scope="module")
def fast_proof(generated, tmp_path_factory):
    """The solution, blank release, every wrong variant and honest alternative graded by the
    batch grader, with the margins of the numeric checks (in the batch that also grades the
    attacks: conftest.proven)."""
    assignment, _ = generated
    return proven(tmp_path_factory, assignment).proof


@pytest.fixture(scope="module")
def proof(generated, tmp_path_factory):
    """The same corpus graded by the real `nbgrader autograde` (~5-15 s a notebook: the
    exhaustive suite)."""
    assignment, root = generated
    return prove(root, assignment, workdir=tmp_path_factory.mktemp(f"proof-{assignment}"))


def _structure(nb):
    """What must match between a committed and a regenerated solution notebook: cells, not
    the numbers a run prints (they depend on the CPU)."""
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


def test_every_assignment_has_checks_and_variants():
    assert ASSIGNMENTS, "no assignment in source/"
    for assignment in ASSIGNMENTS:
        assert course.checks_path(REPO, assignment).is_file(), assignment
        assert list((REPO / "tests" / "wrong_variants" / assignment).glob("*.py")), assignment


def test_every_assignment_has_three_honest_alternatives():
    """Correct answers written another way than the solution (tests/honest_variants/): the
    fast proof grades them, and each must lose nothing."""
    few = {a: len(list((REPO / "tests" / "honest_variants" / a).glob("*.py"))) for a in ASSIGNMENTS}
    assert all(n >= 3 for n in few.values()), few


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


def test_grading_is_proven_with_the_batch_grader(fast_proof):
    """Scores of the solution, the blank release, the wrong variants and the honest alternatives,
    and every numeric check's margin: honest answers within the tolerance, wrong ones at least
    ten tolerances away (one test: the proof is built once per assignment)."""
    from autograder.margins import format_table
    assert fast_proof.problems == [], format_table(fast_proof.margins)
    assert fast_proof.variants, f"{fast_proof.assignment} has no wrong variants"
    assert fast_proof.margins and all(m.ok for m in fast_proof.margins), format_table(fast_proof.margins)


def test_nbgrader_autograde_gives_the_solution_every_point_and_the_blank_release_none(generated, tmp_path):
    """The two notebooks only: the honest alternatives and wrong variants go through the batch
    grader above, and through `nbgrader autograde` in the exhaustive test below."""
    assignment, root = generated
    proof = prove(root, assignment, workdir=tmp_path, variants=[], honest=[])
    assert proof.problems == []
    assert set(proof.scores) == {SOLUTION, BLANK}


def _differences(left: dict, right: dict) -> dict:
    """{student: {cell: (left points, right points)}} where two gradings disagree."""
    found = {}
    for student in sorted(set(left) | set(right)):
        a, b = left.get(student, {}), right.get(student, {})
        cells = {cell: (a.get(cell), b.get(cell)) for cell in sorted(set(a) | set(b)) if a.get(cell) != b.get(cell)}
        if cells:
            found[student] = cells
    return found


@pytest.mark.exhaustive
def test_grading_is_proven_with_nbgrader_autograde_and_the_batch_grader_agrees(proof, fast_proof):
    """The whole corpus (solution, blank, wrong variants, honest alternatives) through the real
    `nbgrader autograde`, and the same per-cell scores from the batch grader (one test: each
    proof is built once per assignment)."""
    assert proof.problems == []
    assert proof.variants, f"{proof.assignment} has no wrong variants"
    assert fast_proof.problems == []
    assert _differences(fast_proof.scores, proof.scores) == {}, "batch grader vs nbgrader"


# The demo cycle does not depend on what an assignment asks (each one's grading is proven
# above): `make test` runs it on the cheapest assignment, `make test-exhaustive` on the rest.
DEMO_DEFAULT = "ml_fundamentals"
DEMO_PARAMS = [pytest.param(a, marks=[pytest.mark.xdist_group(a)] + ([] if a == DEMO_DEFAULT else [pytest.mark.exhaustive]))
               for a in ASSIGNMENTS]


@pytest.mark.parametrize("generated", DEMO_PARAMS, indirect=True)
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


# -- the otter-grader export (docs/gradescope.md) ------------------------------------



@pytest.fixture(scope="module")
def exported(generated):
    """(assignment, root, zip): the otter export of a regenerated assignment."""
    assignment, root = generated
    return assignment, root, export_assignment(root, assignment)


def test_export_is_in_sync_with_source(exported):
    assignment, root, _ = exported
    fresh = sorted(p.relative_to(root) for p in (root / "otter" / assignment).rglob("*") if p.is_file())
    committed = sorted(p.relative_to(REPO) for p in (REPO / "otter" / assignment).rglob("*") if p.is_file())
    assert fresh == committed, f"otter/{assignment} is stale: run `make otter`"
    for path in fresh:
        assert (root / path).read_bytes() == (REPO / path).read_bytes(), f"{path} is stale: run `make otter`"


def _otter_cases(root, assignment, variants, with_solution_and_blank):
    """{student: (notebook, points nbgrader gives it per automatic cell)}. The points are the
    proven ones (test_grading_is_proven_with_nbgrader_autograde): the solution every automatic
    point, the blank release none, a wrong variant all but the test cells it names."""
    student_nb = root / "otter" / assignment / "student" / f"{assignment}.ipynb"
    source_nb = course.source_notebooks(root, assignment)[0]
    maxima, auto = nbgrader_run.max_scores(root, assignment), sorted(nbgrader_run.auto_graded_ids(root, assignment))
    full = {cell: maxima[cell] for cell in auto}
    cases = {}
    if with_solution_and_blank:
        cases[SOLUTION] = (filled_release(student_nb, source_nb), full)
        cases[BLANK] = (nbformat.read(student_nb, as_version=4), dict.fromkeys(auto, 0.0))
    for variant in variants:
        expected = {cell: 0.0 if cell in variant.loses else points for cell, points in full.items()}
        cases[student_id(variant)] = (filled_release(student_nb, source_nb, variant.cells), expected)
    return cases


def _assert_otter_agrees(zip_path, assignment, cases, tmp_path):
    for student, (nb, expected) in cases.items():
        notebook = tmp_path / student / f"{assignment}.ipynb"
        notebook.parent.mkdir()
        nbformat.write(nb, notebook)
        by_otter = otter_scores(zip_path, notebook, tmp_path / student)
        scored = {cell: by_otter.get(cell) for cell in expected}
        assert scored == expected, f"{student}\n{_otter_outputs(tmp_path / student, [c for c in expected if scored[c] != expected[c]])}"


def _otter_outputs(workdir, cells) -> str:
    """What otter said about `cells` (evidence when it disagrees)."""
    tests = json.loads((workdir / "results.json").read_text())["tests"]
    return "\n".join(t.get("output", "") for t in tests if t["name"] in cells)


def test_otter_run_gives_the_points_nbgrader_gives(exported, tmp_path):
    """The solution and the blank release. Compared with the proven points rather than the
    proof fixture: xdist may run this test on the other worker, which would grade the whole
    corpus with nbgrader a second time."""
    assignment, root, zip_path = exported
    _assert_otter_agrees(zip_path, assignment, _otter_cases(root, assignment, [], True), tmp_path)


@pytest.mark.exhaustive
def test_otter_run_gives_the_points_nbgrader_gives_on_every_wrong_variant(exported, tmp_path):
    """The whole honest corpus (~12 s of `otter run` per notebook): `make test-exhaustive`."""
    assignment, root, zip_path = exported
    variants = read_variants(variants_dir(root, assignment))
    _assert_otter_agrees(zip_path, assignment, _otter_cases(root, assignment, variants, False), tmp_path)
