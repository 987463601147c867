"""Turn an nbgrader source notebook into an otter-grader master notebook (`otter assign` format).

Each nbgrader test cell becomes one otter question named after its grade id, worth the cell's
points all or nothing (nbgrader's rule): the visible part of the cell is a public test, the
hidden part a hidden test. A free-text answer cell becomes a manually graded question. Answer
cells keep their solution between otter's `# BEGIN SOLUTION` / `# END SOLUTION` markers.

Tests use otter's exception-based format: each runs the cell's own code in the notebook's
namespace (`env`), as nbgrader runs the test cell in the kernel, so a hidden `check(...)`
call judges the student's object against the reference outputs exactly as it does there.
"""
from __future__ import annotations

import re
from typing import Any

import nbformat
import yaml

from ..course import COURSE_ROOT_ENV
from ..errors import AutograderError

_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n(.*?)^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.M | re.S)
_MARKDOWN_SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*$", re.M | re.S)

# Where the hidden checks find grading/<assignment>/ once otter has copied the autograder's
# files beside the submission (its working directory while it runs the tests).
COURSE_ROOT_LINE = f'import os; os.environ.setdefault("{COURSE_ROOT_ENV}", os.getcwd())\n'


class NotConvertible(AutograderError, ValueError):
    """A source cell has a shape the otter export does not know how to carry over."""


def _raw(text: str):
    return nbformat.v4.new_raw_cell(text)


def _yaml(config: dict) -> str:
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


def split_test(source: str) -> tuple[str, str]:
    """(visible code, hidden code) of an nbgrader test cell."""
    hidden = "".join(m.group(1) for m in _HIDDEN.finditer(source))
    visible = _HIDDEN.sub("", source)
    return visible.strip("\n"), hidden.strip("\n")


def test_cell(grade_id: str, code: str, hidden: bool):
    """An exception-based otter test that runs `code` in the notebook's namespace."""
    body = (COURSE_ROOT_LINE + code) if hidden else code
    lines = ["# HIDDEN"] if hidden else []
    lines += [f"def test_{grade_id}(env):",
              f"    exec(compile({body!r}, {f'<test {grade_id}>'!r}, 'exec'), env)"]
    return nbformat.v4.new_code_cell("\n".join(lines))


def _question(config: dict, cells: list) -> list:
    return [_raw("# BEGIN QUESTION\n" + _yaml(config)), *cells, _raw("# END QUESTION")]


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def convert_cell(cell) -> list:
    """The master-notebook cells for one source cell."""
    meta = _meta(cell)
    gid = meta.get("grade_id")
    if meta.get("grade") and cell.cell_type == "code":
        if meta.get("solution"):
            raise NotConvertible(f"cell {gid!r} is both an answer and a test cell")
        visible, hidden = split_test(cell.source)
        tests = [test_cell(gid, code, is_hidden) for code, is_hidden in ((visible, False), (hidden, True)) if code]
        if not tests:
            raise NotConvertible(f"test cell {gid!r} has no code")
        config = {"name": gid, "points": meta.get("points", 0), "all_or_nothing": True}
        return _question(config, [_raw("# BEGIN TESTS"), *tests, _raw("# END TESTS")])
    if meta.get("grade") and cell.cell_type == "markdown":
        found = _MARKDOWN_SOLUTION.search(cell.source)
        answer = found.group(1).strip("\n") if found else cell.source
        config = {"name": gid, "points": meta.get("points", 0), "manual": True}
        return _question(config, [_raw("# BEGIN SOLUTION"), nbformat.v4.new_markdown_cell(answer),
                                  _raw("# END SOLUTION")])
    copy = nbformat.from_dict(dict(cell))
    copy.pop("id", None)
    # nbgrader's metadata stays: it names the answer cells, so tests can fill them in
    if cell.cell_type == "code":
        copy.outputs, copy.execution_count = [], None
        if meta.get("solution"):
            copy.source = re.sub(r"^([ \t]*)### (BEGIN|END) SOLUTION", r"\1# \2 SOLUTION", cell.source, flags=re.M)
    return [copy]


def master_notebook(source, config: dict[str, Any]):
    """The otter master notebook for `source` (an nbgrader source notebook) with the assignment
    configuration `config` (otter's ASSIGNMENT CONFIG)."""
    nb = nbformat.v4.new_notebook(metadata={k: v for k, v in source.metadata.items() if k in ("kernelspec", "language_info")})
    nb.cells = [_raw("# ASSIGNMENT CONFIG\n" + _yaml(config))]
    for cell in source.cells:
        nb.cells.extend(convert_cell(cell))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"otter-{i}"
    return nb
