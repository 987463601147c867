"""Nothing a submission does in its own process raises its score: every attack in tamper/
scores no more than the honest wrong answer (0 of 2 on the hidden check)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from autograder.batch.grade import Options, grade
from conftest import copy_course

from .conftest import HERE, autograded_text, read_case, submit_case, submit_solution, submit_wrong

pytestmark = pytest.mark.xdist_group("tamper")  # its module fixtures are built once, on one worker

ATTACKS = sorted((HERE / "tamper").glob("*.py"))


@pytest.fixture(scope="module")
def tampered(generated_mini):
    # A course directory anyone on the machine may read, as course directories usually are:
    # what protects it from the student's process must be the grader, not pytest's tmp mode.
    base = Path(tempfile.mkdtemp(prefix="tamper-"))
    os.chmod(base, 0o755)
    root = copy_course(generated_mini, base / "course")
    for folder, dirs, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    submit_solution(root, "honest-right")
    submit_wrong(root, "honest-wrong")
    for path in ATTACKS:
        submit_case(root, path.stem, read_case(path))
    records = grade(root, "mini", options=Options(workers=2, wall_timeout=60, cell_timeout=20))
    yield root, {r.student: r for r in records}
    shutil.rmtree(base, ignore_errors=True)


def test_honest_answers_score_as_expected(tampered):
    _, records = tampered
    assert records["honest-right"].score == 2
    assert records["honest-wrong"].score == 0


@pytest.mark.parametrize("attack", [p.stem for p in ATTACKS])
def test_attack_scores_no_more_than_the_honest_wrong_answer(tampered, attack):
    root, records = tampered
    assert records[attack].status == "graded"
    assert records[attack].score <= records["honest-wrong"].score


def test_gradebook_and_other_submissions_survive_the_attacks(tampered):
    root, records = tampered
    assert records["honest-right"].score == 2
    text = (root / "submitted" / "honest-right" / "mini" / "mini.ipynb").read_text()
    assert "np.asarray(x) * 2.0" in text
    assert '"hidden check double_values: passed' in autograded_text(root, "honest-right")


def test_feedback_never_shows_reference_values(tampered):
    root, _ = tampered
    text = autograded_text(root, "honest-wrong")
    assert "double_values: output 'y': 12 of 12 values out of tolerance" in text
    from autograder import reference_file
    reference = reference_file.read(root, "mini").reference("double_values")["y"]
    for value in reference.ravel()[:5]:
        assert f"{value:.4f}"[:6] not in text


def test_nbgrader_feedback_shows_the_judges_message_and_no_hidden_data(tampered):
    root, _ = tampered
    from autograder import nbgrader_run, reference_file
    nbgrader_run.nbgrader(root, "generate_feedback", "mini", "--student", "honest-wrong", "--force")
    html = (root / "feedback" / "honest-wrong" / "mini" / "mini.html").read_text()
    assert "double_values: output &#39;y&#39;: 12 of 12 values out of tolerance" in html or \
        "double_values: output 'y': 12 of 12 values out of tolerance" in html
    reference = reference_file.read(root, "mini").reference("double_values")["y"]
    for value in reference.ravel()[:5]:
        assert f"{value:.4f}"[:6] not in html
    assert "default_rng(7)" not in html  # the probe's code (how hidden inputs are made) stays private


IN_KERNEL_ATTACKS = ["patch_checks_module", "read_reference_outputs", "read_solution_notebook"]


@pytest.fixture(scope="module")
def under_nbgrader(generated_mini):
    """The in-kernel attacks and the honest wrong answer graded by plain `nbgrader autograde`,
    where the checks run inside the student's kernel. Only these few: the others would kill
    the kernel or rewrite this copy's gradebook, and nbgrader is slow."""
    from autograder import nbgrader_run
    base = Path(tempfile.mkdtemp(prefix="tamper-nbgrader-"))
    root = copy_course(generated_mini, base / "course")
    submit_wrong(root, "honest-wrong")
    for attack in IN_KERNEL_ATTACKS:
        submit_case(root, attack, read_case(HERE / "tamper" / f"{attack}.py"))
    nbgrader_run.autograde(root, "mini")
    yield {student: cells["double_values"] for student, cells in nbgrader_run.cell_scores(root, "mini").items()}
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.xdist_group("tamper-under-nbgrader")  # its module fixture is built once, on one worker
@pytest.mark.parametrize("attack", IN_KERNEL_ATTACKS)
def test_the_attacks_are_real_plain_nbgrader_falls_for_them(under_nbgrader, tampered, attack):
    _, records = tampered
    assert under_nbgrader["honest-wrong"] == 0
    assert under_nbgrader[attack] == 2, f"{attack} does not even fool in-kernel grading"
    assert records[attack].score == 0


def test_attacks_on_the_grading_machinery_are_flagged_for_review(tampered):
    """Flags change no score; they put the lines in the gradebook's comment of the answer cell
    (formgrader shows it, and lists the submission as needing a manual look) and in the class
    report."""
    from nbgrader.api import Gradebook

    from autograder import nbgrader_run
    from autograder.report import class_report
    root, records = tampered
    assert records["patch_checks_module"].flags and not records["honest-right"].flags
    assert records["patch_checks_module"].score == 0
    with Gradebook(nbgrader_run.db_url(root)) as gb:
        comment = gb.find_comment("double_answer", "mini", "mini", "patch_checks_module")
        assert comment.auto_comment.startswith("Flagged for review") and "import autograder" in comment.auto_comment
        assert gb.find_submission_notebook("mini", "mini", "patch_checks_module").needs_manual_grade
        assert gb.find_comment("double_answer", "mini", "mini", "honest-right").auto_comment is None
    page = class_report(root, ["mini"], root / "reports" / "flags.html").read_text()
    section = page.split("Flagged for review</h3>")[1].split("<h3>")[0]
    assert "patch_checks_module" in section and "honest-right" not in section
