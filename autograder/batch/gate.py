"""Each assignment's reference solution runs first, through the same pool as the class, and
gates its submissions: nothing of the assignment is recorded before the solution has earned
every automatic point on this machine. A solution that loses points stops the batch with the
test cells and why (a Keras cache or interpreter the children cannot see, missing data, a
broken check); a solution whose worker was lost runs once more after the batch. Notebooks that
could not even start (no student code ran) are counted, and the batch stops when they are
most of what ran."""
from __future__ import annotations

import collections
import shutil

from ..errors import AutograderError, SolutionLosesPoints

# When this many notebooks could not even start (a grader-side reason: no student code ran)
# and they are most of what ran, the batch stops instead of going on.
SETUP_FAILURES_TO_STOP = 3


class GraderBroken(AutograderError):
    """Most notebooks could not even start, for a reason of the grading machine."""


class SolutionGate:
    """Holds each assignment's finished notebooks until its reference solution has earned every
    automatic point in this very pool; counts notebooks that could not start."""

    def __init__(self, graders: list, already: list[str] = ()):
        """`already`: assignments whose solution passed in this very pool before (KeptPool)."""
        self.waiting = {g.assignment for g in graders if g.total and g.assignment not in already}
        self.held: dict[str, list] = collections.defaultdict(list)
        self.started = 0
        self.setup_failures: collections.Counter = collections.Counter()
        self.lost: list = []  # solutions whose worker was lost (a cluster's node failure)

    def retry(self, pool, on_done) -> None:
        """Run the solutions that were lost once more; a second loss stops the batch."""
        graders, self.lost = self.lost, []
        if graders:
            pool.run([g.solution_job() for g in graders], on_done)
        if self.lost:
            raise GraderBroken(f"the reference solution of {', '.join(g.assignment for g in self.lost)} could not be "
                               f"run: the workers running it were lost twice; nothing of it was recorded")

    def solution_done(self, grader, job, event) -> list:
        """The held notebooks of the assignment once its solution earned every point; nothing
        when the solution's worker was lost (run again after the batch: `retry`)."""
        if event.status == "lost":
            shutil.rmtree(job.request.job_dir, ignore_errors=True)
            self.lost.append(grader)
            return []
        problems = grader.solution_problems(job, event)
        shutil.rmtree(job.request.job_dir, ignore_errors=True)
        if problems:
            raise SolutionLosesPoints(
                f"{grader.assignment}: the reference solution does not earn every automatic point under this "
                f"grader, so no submission of it was recorded. Test cells that lost points:\n  "
                + "\n  ".join(problems))
        self.waiting.discard(grader.assignment)
        return self.held.pop(grader.assignment, [])

    def count(self, setup_error: str | None) -> None:
        self.started += 1
        if setup_error:
            self.setup_failures[setup_error] += 1
            failed = sum(self.setup_failures.values())
            if failed >= SETUP_FAILURES_TO_STOP and failed * 2 > self.started:
                reason, _ = self.setup_failures.most_common(1)[0]
                raise GraderBroken(f"the batch stopped: {failed} of {self.started} notebooks could not start "
                                   f"({reason}); nothing was recorded for them")
