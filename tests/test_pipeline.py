"""generate -> prove on a throwaway one-assignment course, with the real nbgrader."""
import nbformat
import pytest

from autograder import course, leaks
from autograder.prove import prove


@pytest.fixture
def generated(generated_mini):
    return generated_mini


def test_generate_writes_release_reference_and_clean_solution(generated):
    assert (generated / "release" / "mini" / "mini.ipynb").is_file()
    assert course.reference_path(generated, "mini").is_file()
    text = (generated / "solutions" / "mini" / "mini.ipynb").read_text()
    assert "HIDDEN TESTS" not in text and "check(" not in text
    assert leaks.release_leaks(generated, "mini") == []
    assert leaks.solution_leaks(generated, "mini") == []


def test_leak_detection_catches_a_solution_line_in_the_release(generated, tmp_path):
    import shutil
    root = tmp_path / "c"
    shutil.copytree(generated, root)
    path = root / "release" / "mini" / "mini.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].source += "\n    return np.asarray(x) * 2.0"
    nb.cells[3].source += '\ncheck("mini.double_values", double)'
    nbformat.write(nb, path)
    problems = leaks.release_leaks(root, "mini")
    assert any("solution line" in p for p in problems)
    assert any("hidden-test line" in p for p in problems)
    (root / "release" / "mini" / "reference.npz").write_bytes(b"x")
    assert any("is not a file of source" in p for p in leaks.release_leaks(root, "mini"))


def test_solution_with_stderr_is_a_leak(generated, tmp_path):
    import shutil
    root = tmp_path / "c"
    shutil.copytree(generated, root)
    path = root / "solutions" / "mini" / "mini.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stderr", text="I0000 boom\n")]
    nbformat.write(nb, path)
    assert any("stderr output" in p for p in leaks.solution_leaks(root, "mini"))


def test_prove_grades_solution_blank_and_variant_with_nbgrader(generated, tmp_path):
    proof = prove(generated, "mini", workdir=tmp_path)
    assert proof.problems == []
    assert proof.scores["solution"]["double_values"] == 2.0
    assert proof.scores["blank"]["double_values"] == 0.0
    assert proof.scores["wrong-adds_instead_of_multiplying"]["double_values"] == 0.0
    # the free-text answer is left for the grader
    assert proof.scores["solution"]["why_double"] == 0.0


def test_prove_reports_a_variant_that_a_check_does_not_catch(generated, tmp_path):
    import shutil
    root = tmp_path / "c"
    shutil.copytree(generated, root)
    (root / "tests" / "wrong_variants" / "mini" / "harmless.py").write_text(
        '"""Same maths, other spelling."""\n# loses: double_values\n# %% cell: double_answer\n'
        "def double(x):\n    return 2.0 * np.asarray(x)\n")
    proof = prove(root, "mini", workdir=tmp_path / "w")
    first, evidence = proof.problems  # the problem, and what the cell held when it was scored
    assert first == "harmless: double_values scored 2.0, expected 0.0"
    assert evidence.startswith("evidence harmless/double_values: the autograded cell's outputs: [")
    assert "'error:" not in evidence
