"""A notebook cannot reach the notebooks graded at the same time: each runs under a user id
of its own, so it can neither read another's files through /proc nor signal its processes.
Both attacks run next to a slow honest notebook (2 workers, started together)."""
from __future__ import annotations

import os

import pytest

from autograder.batch.grade import Options, grade
from conftest import copy_course

from .conftest import HERE, read_case, submit_case

pytestmark = pytest.mark.skipif(os.getuid() != 0, reason="the per-notebook user ids need root "
                                "(without root, the limits in docs/batch-grader.md apply)")


@pytest.mark.parametrize("attack", ["copy_from_neighbour", "kill_neighbours"])
def test_a_notebook_cannot_reach_its_neighbour(generated_mini, tmp_path, attack):
    root = copy_course(generated_mini, tmp_path / "course")
    submit_case(root, "a-victim", read_case(HERE / "neighbours" / "slow_honest.py"))
    submit_case(root, "b-attacker", read_case(HERE / "neighbours" / f"{attack}.py"))
    records = {r.student: r for r in grade(root, "mini", options=Options(workers=2, wall_timeout=60,
                                                                             cell_timeout=30))}
    assert records["a-victim"].status == "graded" and records["a-victim"].score == 2, records["a-victim"]
    assert records["a-victim"].reasons == []
    assert records["b-attacker"].score == 0, records["b-attacker"]
