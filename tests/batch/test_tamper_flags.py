"""Static flags for review: the attacks that reach into the grading machinery are named, with
their lines; honest code (every solution, wrong variant and honest alternative of the course)
is never flagged."""
from __future__ import annotations

import nbformat
import pytest

from autograder import course
from autograder.batch.tamper import find_tampering, student_cells
from autograder.submissions import read_variants, solution_answers
from conftest import ASSIGNMENTS, REPO

from .conftest import HERE, read_case

REACHING_IN = ["forge_records", "forged_array_header", "journal_fifo", "journal_link_to_another_job",
               "patch_checks_module", "patch_numpy_testing", "patch_tensorflow", "redefine_builtins"]


@pytest.mark.parametrize("attack", REACHING_IN)
def test_attacks_on_the_grading_machinery_are_flagged(attack):
    case = read_case(HERE / "tamper" / f"{attack}.py")
    flags = find_tampering(list(case.cells.items()))
    assert flags, f"{attack} is not flagged"
    assert all(f.cell in case.cells and f.line >= 1 and f.code for f in flags)


@pytest.mark.parametrize("source", ["exec(code)", "import builtins\nbuiltins.eval(text)",
                                    "__builtins__.compile(text, 'x', 'exec')",
                                    "import importlib\nimportlib.import_module(name)"])
def test_code_built_at_run_time_is_flagged(source):
    (flag,) = find_tampering([("answer", source)])
    assert "built at run time" in flag.why


def test_a_flag_names_the_line():
    (flag,) = find_tampering([("answer", "x = 1\nget_ipython().events.register('post_run_cell', f)\n")])
    assert (flag.cell, flag.line, flag.code) == ("answer", 2, "get_ipython().events.register('post_run_cell', f)")
    assert "events" in flag.describe()


@pytest.mark.parametrize("source", [
    "import numpy as np\nnp.random.seed(0)\nx = np.zeros(3)\nx[0] = 1",
    "import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'",
    "import sys\nprint('x', file=sys.stderr)\nsys.stdout.flush()",
    "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.rcParams['figure.figsize'] = (4, 3)",
    "import tensorflow as tf\ntf.random.set_seed(1)\nclass L(tf.keras.layers.Layer):\n    def call(self, x):\n        return x",
    "import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nmodel.compile(optimizer=opt, loss=loss)",
    "import re\npattern = re.compile(text)",
])
def test_everyday_code_is_not_flagged(source):
    assert find_tampering([("answer", source)]) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_honest_and_wrong_answers_of_the_course_are_not_flagged(assignment):
    (source_nb,) = course.source_notebooks(REPO, assignment)
    cells = [(gid, code) for gid, code in solution_answers(source_nb).items()
             if nbformat.read(source_nb, as_version=4) and code]
    for corpus in ("wrong_variants", "honest_variants"):
        folder = REPO / "tests" / corpus / assignment
        for variant in read_variants(folder) if folder.is_dir() else []:
            cells += [(f"{variant.name}:{gid}", code) for gid, code in variant.cells.items()]
    assert find_tampering(cells) == []


def test_only_the_cells_a_student_writes_are_read():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import autograder"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("y = 2")]
    nb.cells[0].metadata["nbgrader"] = {"locked": True, "grade_id": "setup"}
    nb.cells[1].metadata["nbgrader"] = {"solution": True, "grade_id": "answer"}
    assert student_cells(nb) == [("answer", "x = 1"), ("cell 2", "y = 2")]
