"""On honest work the batch grader gives every test cell the score `nbgrader autograde` gives."""
from __future__ import annotations

import pytest

from autograder import nbgrader_run
from autograder.batch.grade import Options, grade
from conftest import copy_course

from .conftest import blank, release_and_source, submit_solution
from autograder.submissions import filled_release

HONEST = {
    "right": None,
    "times-2-5": "def double(x):\n    return x * 2.5\n",
    "float32": "def double(x):\n    return (np.asarray(x) * 2).astype(np.float32)\n",
    "list-result": "def double(x):\n    return [v * 2 for v in x]\n",
    "raises": "def double(x):\n    raise ValueError('not done yet')\n",
    "prints-and-warns": ("import warnings\ndef double(x):\n    print('working...')\n"
                         "    warnings.warn('careful')\n    return np.asarray(x) * 2.0\n"),
}


@pytest.fixture(scope="module")
def both(generated_mini, tmp_path_factory):
    roots = [copy_course(generated_mini, tmp_path_factory.mktemp(n) / "course") for n in ("nb", "batch")]
    for root in roots:
        release, source = release_and_source(root)
        for student, answer in HONEST.items():
            replace = {"double_answer": answer} if answer else None
            nbgrader_run.submit(root, "mini", student, filled_release(release, source, replace))
        nbgrader_run.submit(root, "mini", "blank", blank(root))
    nbgrader_run.autograde(roots[0], "mini")
    grade(roots[1], "mini", options=Options(workers=2))
    return [nbgrader_run.cell_scores(root, "mini") for root in roots]


def test_same_per_cell_scores_as_nbgrader(both):
    by_nbgrader, by_batch = both
    assert by_batch == by_nbgrader
    assert by_nbgrader["right"]["double_values"] == 2
    assert by_nbgrader["times-2-5"]["double_values"] == 0
