"""nbgrader preprocessor that puts in the outputs computed by the batch grader.

It takes the place of nbgrader's Execute in the autograde pipeline, so the rest of that
pipeline (SaveAutoGrades, late penalties, the autograded notebook, the gradebook) is
nbgrader's own code, unchanged.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..submissions import grade_id


def _layout(nb) -> list[tuple[str, str | None]]:
    """Cell types and grade ids: what both sanitising passes must agree on. (Sources may not:
    a cell nbgrader restores carries a notice the first time, and the gradebook's text after.)"""
    return [(c.cell_type, grade_id(c)) for c in nb.cells]


class ResultMismatch(RuntimeError):
    """The judged notebook does not match the notebook nbgrader sanitised."""


class ReplayOutputs(NbGraderPreprocessor):
    results_dir = Unicode("", help="folder of judged notebooks: <student>/<notebook>.ipynb").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = Path(self.results_dir) / info["student"] / f"{info['notebook']}.ipynb"
        judged = nbformat.read(path, as_version=4)
        if _layout(judged) != _layout(nb):
            raise ResultMismatch(f"{path}: cells differ from the sanitised submission")
        for cell, result in zip(nb.cells, judged.cells):
            if cell.cell_type == "code":
                cell.outputs = result.outputs
                cell.execution_count = result.execution_count
        return nb, resources
