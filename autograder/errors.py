"""The package's own errors and the exit status each one means.

Every error a command can end with derives from `AutograderError` and carries its exit
status, so the command line maps exceptions to messages and exit codes in one place
(cli.main). `CheckFailed` (a hidden check that did not pass, shown to a student) is not
one of them: it is a verdict, not an error of the tool.
"""
from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    SUCCESS = 0
    CHECK_DID_NOT_HOLD = 1  # a verification found a problem: proof, leak, the solution loses points
    USAGE = 2
    ERROR = 3  # the course, a tool or the grading environment failed; nothing wrong was recorded
    UNJUDGED = 4  # the batch finished, but the grader could not judge some submissions (see their records)
    INTERRUPTED = 130


class AutograderError(Exception):
    """Base of the package's errors; the message is what the user reads."""

    exit_status = ExitStatus.ERROR


class UsageError(AutograderError):
    """The command line asks for something that cannot be done."""

    exit_status = ExitStatus.USAGE


class CheckDidNotHold(AutograderError):
    """A verification command found problems."""

    exit_status = ExitStatus.CHECK_DID_NOT_HOLD


class SolutionLosesPoints(AutograderError):
    """The reference solution does not earn every automatic point under the batch grader: a
    release-blocking bug of the course or of the grading machine (a cache or interpreter the
    notebooks cannot see, a missing data file). The message names the test cells and the
    judge's messages. A batch stops on it before recording anything."""


class LeakFound(CheckDidNotHold):
    """A generated file would give students something they must not see."""
