"""Kernels on the grading side start with builtins.input pinned (autograder/kernels.py):
TensorFlow's AutoGraph keeps the ids of the builtins it saw when it was imported, and a
temporary `input` that ipykernel frees after the cell made a later object look like a builtin
(the random "'TfMethodTarget' object has no attribute" failure of tf_function_pitfalls)."""
import nbformat
import pytest
from nbclient import NotebookClient

from autograder import course
from autograder.kernels import KERNEL_ARGUMENTS
from conftest import ASSIGNMENTS, REPO

CELLS = ["import builtins, weakref\nseen_in_first_cell = weakref.ref(builtins.input)",
         "print(seen_in_first_cell() is builtins.input)"]


def _same_input_in_the_next_cell(arguments) -> bool:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    NotebookClient(nb, kernel_name="python3", extra_arguments=arguments, timeout=60).execute()
    return nb.cells[1].outputs[0]["text"].strip() == "True"


@pytest.mark.parametrize("pinned", [True, False])
def test_the_input_a_cell_sees_stays_alive_only_when_pinned(pinned):
    assert _same_input_in_the_next_cell(KERNEL_ARGUMENTS if pinned else []) is pinned


def test_nbgrader_runs_kernels_with_the_pin():
    assert list(course.load_config(REPO).Execute.extra_arguments) == KERNEL_ARGUMENTS


# The kernels that students, otter and Gradescope start are not ours to configure: each notebook's
# setup cell holds the `input` that TensorFlow records while it is imported.
RECORDED_BUT_FREED = """\
import builtins
from tensorflow.python.autograph.pyct import inspect_utils
alive = {id(v) for name, v in vars(builtins).items() if name != "input"} | {id(v) for v in globals().values()}
print(sorted(inspect_utils._BUILTIN_FUNCTION_IDS - alive))"""


def _setup_cell(assignment: str):
    nb = nbformat.read(course.source_notebooks(REPO, assignment)[0], as_version=4)
    return next(cell for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize("assignment", [a for a in ASSIGNMENTS if "import tensorflow" in _setup_cell(a).source])
def test_setup_cell_keeps_alive_every_builtin_tensorflow_recorded(assignment):
    """Run in a kernel without the pin: an id TensorFlow took for a builtin whose object is gone
    can be reused by any later object."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(_setup_cell(assignment).source), nbformat.v4.new_code_cell(RECORDED_BUT_FREED)]
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(REPO)}}).execute()
    assert nb.cells[1].outputs[-1]["text"].strip() == "[]"
