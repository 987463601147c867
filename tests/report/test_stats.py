"""The report's statistics equal what nbgrader's own API says about the same gradebook."""
from __future__ import annotations

from nbgrader.api import Gradebook

from autograder import nbgrader_run
from autograder.report import collect
from autograder.report.stats import failure_pattern


def independent_scores(root):
    """student -> {cell: score} and cell -> max score, straight from nbgrader's API."""
    per_student, max_scores = {}, {}
    with Gradebook(nbgrader_run.db_url(root)) as gb:
        for sub in gb.assignment_submissions("mini"):
            for nb in sub.notebooks:
                for g in nb.grades:
                    per_student.setdefault(sub.student.id, {})[g.name] = float(g.score)
                    max_scores[g.name] = float(g.max_score)
    return per_student, max_scores


def test_totals_means_and_pass_rates_match_the_gradebook(graded_class):
    root = graded_class["root"]
    stats = collect(root, nbgrader_run.db_url(root), "mini")
    per_student, max_scores = independent_scores(root)
    assert stats.totals == {s: sum(cells.values()) for s, cells in per_student.items()}
    assert len(stats.totals) == 6
    for q in stats.questions:
        scores = [cells[q.name] for cells in per_student.values()]
        assert q.mean == sum(scores) / len(scores)
        assert q.pass_rate == sum(s >= max_scores[q.name] for s in scores) / len(scores)
    (double,) = [q for q in stats.questions if q.name == "double_values"]
    assert double.pass_rate == 2 / 6  # ada and ben hand in the solution


def test_failure_messages_are_grouped_across_students(graded_class):
    root = graded_class["root"]
    stats = collect(root, nbgrader_run.db_url(root), "mini")
    (double,) = [q for q in stats.questions if q.name == "double_values"]
    wrong = [p for p in double.failures if "values out of tolerance" in p]
    assert len(wrong) == 1 and double.failures[wrong[0]] == 2  # chen and dana, one group
    assert sum(double.failures.values()) == 4  # plus the blank release and the crashed one


def test_crashed_late_and_manual_submissions_are_listed(graded_class):
    root = graded_class["root"]
    stats = collect(root, nbgrader_run.db_url(root), "mini")
    assert list(stats.did_not_run) == ["fatima"]
    assert "exited early" in stats.did_not_run["fatima"][0]
    assert set(stats.late) == {"ben"}
    assert abs(stats.late["ben"] - 2.5 * 3600) < 1
    assert set(stats.needs_manual_grade) >= {"ada", "ben"}  # the free-text cell waits for a grader


def test_failure_pattern_groups_numbers_not_names():
    a = failure_pattern("CheckFailed: layer_2d: output 'y': 12 of 40 values out of tolerance (max error 0.31 at [3, 1])")
    b = failure_pattern("CheckFailed: layer_2d: output 'y': 7 of 40 values out of tolerance (max error 1.5e-02 at [0, 9])")
    assert a == b
    assert "layer_2d" in a
    assert failure_pattern("dtype float32, expected float64") != failure_pattern("dtype int32, expected float64")
