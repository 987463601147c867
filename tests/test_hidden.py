"""check() in a plain kernel (judged in-process) and in a recording process, against a
throwaway course; the reference file's layout; probes' outputs as plain data."""
import contextlib

import numpy as np
import pytest

from autograder import course, hidden, reference_file
from autograder.judge import judge
from autograder.probe import OutputError, to_plain_array
from autograder.runner.recording import FileRecorder, load_outputs


@contextlib.contextmanager
def recording(recorder):
    hidden.install_recorder(recorder)
    try:
        yield
    finally:
        hidden.install_recorder(None)


@pytest.fixture
def recorded_course(mini_course, monkeypatch, tmp_path):
    """The mini course with reference outputs recorded from the solution, in-process."""
    monkeypatch.setenv(course.COURSE_ROOT_ENV, str(mini_course))
    out = tmp_path / "recorded"
    with recording(FileRecorder(out)):
        hidden.check("mini.double_values", lambda x: np.asarray(x) * 2.0)
    outputs = load_outputs(out / "mini.double_values.npz")
    reference_file.write(mini_course, "mini", {"double_values": outputs}, hidden.load_checks(mini_course, "mini"), 1.0)
    return mini_course


def test_judge_passes_the_right_answer(recorded_course, capsys):
    hidden.check("mini.double_values", lambda x: x * 2)
    assert "double_values: passed" in capsys.readouterr().out


def test_judge_fails_a_wrong_answer_with_a_safe_message(recorded_course):
    with pytest.raises(hidden.CheckFailed) as info:
        hidden.check("mini.double_values", lambda x: x * 2.5)
    message = str(info.value)
    assert message.startswith("double_values: output 'y': 12 of 12 values out of tolerance")
    assert "0." not in message.split("max abs error")[0]


def test_students_exception_becomes_the_message(recorded_course):
    def broken(x):
        raise ZeroDivisionError("oops\nsecond line")
    with pytest.raises(hidden.CheckFailed, match=r"your code raised ZeroDivisionError: oops$"):
        hidden.check("mini.double_values", broken)


def test_prints_during_the_probe_are_dropped(recorded_course, capsys):
    def chatty(x):
        print("HIDDEN INPUT", x)
        return x * 2
    hidden.check("mini.double_values", chatty)
    assert "HIDDEN INPUT" not in capsys.readouterr().out


@pytest.mark.parametrize("value", [object(), {"a": 1}, np.array([object()])])
def test_non_plain_outputs_are_refused(value):
    with pytest.raises(OutputError):
        to_plain_array("y", value)


def test_array_subclasses_become_plain_arrays():
    class Sneaky(np.ndarray):
        def __eq__(self, other):
            return True
    plain = to_plain_array("y", np.zeros(3).view(Sneaky))
    assert type(plain) is np.ndarray


def test_unknown_names(recorded_course):
    with pytest.raises(hidden.UnknownCheck, match="defines no hidden check 'nope'"):
        hidden.check("mini.nope", None)
    with pytest.raises(hidden.UnknownCheck, match="assignment.check"):
        hidden.check("no-dot", None)


def test_missing_reference_says_how_to_fix(mini_course, monkeypatch):
    monkeypatch.setenv(course.COURSE_ROOT_ENV, str(mini_course))
    with pytest.raises(reference_file.ReferenceMissing, match="python -m autograder generate"):
        hidden.check("mini.double_values", lambda x: x * 2)


def test_recorder_keeps_the_error_instead_of_raising(mini_course, monkeypatch, tmp_path):
    monkeypatch.setenv(course.COURSE_ROOT_ENV, str(mini_course))
    with recording(FileRecorder(tmp_path)):
        hidden.check("mini.double_values", lambda x: 1 / 0)
    got = load_outputs(tmp_path / "mini.double_values.npz")
    spec = hidden.lookup("mini.double_values", mini_course)
    assert judge(spec, got, {"y": np.zeros((3, 4))}) == [
        "double_values: your code raised ZeroDivisionError: division by zero"]


def test_recorded_checks_judge_like_the_checks_module(generated_mini):
    """The batch grader judges from the references alone: same comparators, no checks.py."""
    refs = reference_file.read(generated_mini, "mini")
    recorded = refs.checks
    assert set(recorded) == {"double_values"} and recorded["double_values"].probe is None
    assert refs.measured == set() and refs.solution_seconds > 0
    defined = hidden.lookup("mini.double_values", generated_mini)
    want = refs.reference("double_values")
    wrong = {"y": want["y"] + 1e-3, "n": want["n"]}
    for got in (want, wrong):
        assert judge(recorded["double_values"], got, want) == judge(defined, got, want)
    assert judge(recorded["double_values"], wrong, want)


def test_references_of_an_older_layout_ask_for_a_regeneration(recorded_course):
    path = course.reference_path(recorded_course, "mini")
    np.savez(path, **{"double_values|y": np.zeros(3), "__compare__|double_values": np.array("{}")})
    with pytest.raises(reference_file.ReferenceMissing, match="autograder generate mini"):
        reference_file.read(recorded_course, "mini")


def test_references_say_what_each_check_costs(mini_course, capsys):
    """The probe's own time on the solution is kept beside its outputs and printed, costliest
    first (a check that sleeps 0.4 s costs at least that, and less than the whole notebook)."""
    from autograder import cli
    checks = mini_course / "grading" / "mini" / "checks.py"
    checks.write_text(checks.read_text().replace("    x = np.random", "    import time; time.sleep(0.4)\n    x = np.random"))
    assert cli.main(["--course", str(mini_course), "references", "mini"]) == 0
    refs = reference_file.read(mini_course, "mini")
    assert 0.4 <= refs.check_seconds["double_values"] < refs.solution_seconds
    table = capsys.readouterr().out.splitlines()
    row = next(line for line in table if line.startswith("double_values"))
    assert float(row.split()[1]) == pytest.approx(refs.check_seconds["double_values"], abs=1e-3)
    assert any(line.startswith("all checks") for line in table)
