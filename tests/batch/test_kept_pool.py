"""A pool kept open across batches (KeptPool: the hub's grading service grades each submission as
it arrives): the same warm interpreter runs every batch, and an assignment's reference solution
is gated once, again only when its references, probes or release change."""
from __future__ import annotations

import numpy as np
import pytest

from autograder import reference_file
from autograder.batch.grade import SOLUTION, KeptPool, Options, grade_assignments
from autograder.errors import SolutionLosesPoints
from conftest import copy_course

from .conftest import submit_solution, submit_wrong


def _solution_ran(kept_dir) -> bool:
    return any((kept_dir / "mini" / SOLUTION).glob("*.event.json"))


def test_one_pool_for_several_batches_gates_the_solution_once(generated_mini, tmp_path):
    root = copy_course(generated_mini, tmp_path / "course")
    kept_dir = tmp_path / "kept"
    options = Options(workers=1, keep_results=kept_dir)
    submit_solution(root, "ada")
    submit_wrong(root, "ben")
    with KeptPool(root, options) as kept:
        zygote = kept.pool.proc.pid
        (ada,) = grade_assignments(root, ["mini"], ["ada"], options, kept=kept)
        assert (ada.status, ada.score) == ("graded", 2.0)
        assert _solution_ran(kept_dir)

        for path in (kept_dir / "mini" / SOLUTION).iterdir():
            path.unlink()
        (ben,) = grade_assignments(root, ["mini"], ["ben"], options, kept=kept)
        assert (ben.status, ben.score) == ("graded", 0.0)
        assert not _solution_ran(kept_dir)  # gated once for this pool and these references
        assert kept.pool.proc.pid == zygote and kept.pool.proc.poll() is None


def test_changed_references_are_gated_again(generated_mini, tmp_path):
    root = copy_course(generated_mini, tmp_path / "course")
    submit_solution(root, "ada")
    submit_solution(root, "cy")
    with KeptPool(root, Options(workers=1)) as kept:
        grade_assignments(root, ["mini"], ["ada"], Options(workers=1), kept=kept)
        refs = reference_file.read(root, "mini")
        wrong = {"double_values": {"y": refs.reference("double_values")["y"] + 1.0, "n": np.array(12)}}
        reference_file.write(root, "mini", wrong, {"double_values": refs.checks["double_values"]}, 1.0)
        with pytest.raises(SolutionLosesPoints):
            grade_assignments(root, ["mini"], ["cy"], Options(workers=1), kept=kept)
        # a batch that stopped may have left notebooks running: the pool ends with it
        assert kept.closed and kept.pool.proc.poll() is not None
        with pytest.raises(ValueError, match="open a new one"):
            grade_assignments(root, ["mini"], ["cy"], Options(workers=1), kept=kept)
