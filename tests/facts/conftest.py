"""Facts the course teaches, checked against the libraries that define them (scikit-learn,
tf.nn, Keras): the hidden checks compare a student with the reference solution, and these
tests prove the reference solution itself is right."""
from __future__ import annotations

import nbformat
import pytest

from autograder import course
from autograder.submissions import strip_solution_markers
from conftest import REPO


def solution_namespace(assignment: str) -> dict:
    """The names the source notebook's solution defines: every code cell that is not a test
    cell, solution markers removed, run in order in one namespace."""
    namespace: dict = {"__name__": f"solution_{assignment}"}
    for path in course.source_notebooks(REPO, assignment):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("grade"):
                continue
            code = strip_solution_markers(cell.source)
            lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
            exec(compile("\n".join(lines), f"<{assignment}:{cell.metadata.get('nbgrader', {}).get('grade_id', 'cell')}>",
                         "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def solution(request) -> dict:
    """The solution namespace of the assignment named by the test module's ASSIGNMENT."""
    return solution_namespace(request.module.ASSIGNMENT)
