"""The batch grader: nbgrader's sanitising and gradebook, with notebooks executed in forked,
pre-warmed children and hidden checks judged in the grading process."""
