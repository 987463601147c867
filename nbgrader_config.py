"""nbgrader configuration of the course. Run nbgrader from this directory."""
import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput,
    Execute, GetGrades, IncludeHeaderFooter, LimitOutput, LockCells, SaveAutoGrades,
)

from autograder.kernels import KERNEL_ARGUMENTS
from autograder.preprocessors import StripBenignStderr

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "tf-deep-learning"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.solution_directory = "solutions"
# Students may add helper files; only notebooks are graded. Never copy caches or checkpoints.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".keras"]

# Execution limits: the training-loop assignment trains small models on a 5k-image slice;
# its slowest cell takes a few seconds on 2 cores. 120 s per cell leaves a wide margin
# for a slow student solution without letting an infinite loop hold the batch for long.
c.Execute.timeout = 120
c.Execute.startup_timeout = 120
c.Execute.interrupt_on_timeout = True
# No per-cell execution timestamps: generated solutions stay identical between runs.
c.Execute.record_timing = False
# Kernels start with builtins.input pinned: see autograder/kernels.py (a tf.function method
# of a tf.Module otherwise fails at random with "'TfMethodTarget' object has no attribute").
c.Execute.extra_arguments = KERNEL_ARGUMENTS

# TensorFlow: no INFO-level C++ logging in graded kernels (kernels inherit this process's
# environment). Start-up lines printed before logging is configured are removed from
# the outputs by StripBenignStderr, which also drops Python warnings; any other stderr
# output still costs the cell its points, as nbgrader intends.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

c.Autograde.autograde_preprocessors = [
    Execute,
    StripBenignStderr,  # in place of nbgrader's IgnorePattern, which works per output chunk
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Solutions go to students after the deadline: hidden tests removed before executing,
# so neither their code nor anything they print reaches the executed notebook.
c.GenerateSolution.preprocessors = [
    IncludeHeaderFooter,
    LockCells,
    ClearOutput,
    ClearMarkScheme,
    ClearHiddenTests,
    Execute,
    StripBenignStderr,
]

# Feedback shows each hidden check as its cell, points and the judge's message, never the
# hidden test code (nbgrader's default shows it: its issues #917 and #1363).
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

# A student who deletes a test or locked cell gets it back from the source, graded as usual.
c.OverwriteCells.add_missing_cells = True

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.LimitOutput.max_lines = 300

# The course hub's grading service (autograder.hub_feedback; docs/hub.md): each submission is
# graded as it arrives and the student's feedback released. These are the defaults; override
# them per assignment, e.g. {"training_loop": {"max_attempts_per_hour": 3}}.
c.FeedbackPolicy.enabled = True  # off: the hub's service leaves the course to staff's cycle
c.FeedbackPolicy.before_deadline = "full"  # "total" (score only), "points" (per test cell), "full" (and messages)
c.FeedbackPolicy.max_attempts_per_hour = 5  # graded attempts per student and assignment (0: no limit)
c.FeedbackPolicy.assignments = {}
