"""Load check through the hub's REST APIs (benchmarks/hub_load.py): students fetch and submit
at once, every submission is collected exactly once and is its author's own; as root, a
submission forged in another student's name (nbgrader #1097) is refused at collect.
The default suite runs 4 students; `-m hub_load` runs the 30-student check."""
from __future__ import annotations

import sys

import pytest

from conftest import REPO

from .conftest import ARTIFACTS

sys.path.insert(0, str(REPO / "benchmarks"))
import hub_load  # noqa: E402

pytestmark = [pytest.mark.xdist_group("hub-load"), pytest.mark.timeout(900)]


def check(n: int, prefix: str) -> dict:
    log = ARTIFACTS / f"hub-load-{n}.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    # the repository's own source/ (release generated in the hub's course directory; nothing graded)
    figures = hub_load.run_load(REPO, n, prefix=prefix, log=log, say=lambda m: None)
    assert figures["collected"] == n
    return figures


def test_students_submit_concurrently():
    figures = check(4, "ld4-")
    if hub_load.as_root():
        assert figures["refused_forgeries"] == 1


@pytest.mark.hub_load
def test_thirty_students_submit_concurrently():
    check(30, "ld30-")
