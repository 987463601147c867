"""Long commands report their steps the same way: elapsed time, then the step, one line each."""
from __future__ import annotations

import io
import re

from rich.console import Console

from autograder.steps import Steps


def test_each_step_is_one_timestamped_line_even_when_long():
    out = io.StringIO()
    long_path = "/tmp/" + "x" * 200 + "/grades.csv"
    with Steps(Console(file=out, width=60, highlight=False, soft_wrap=True)) as say:
        say("tf_function_pitfalls: nbgrader generate_assignment")
        say(f"grades: {long_path}")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"\[ +\d+\.\ds\] tf_function_pitfalls: nbgrader generate_assignment", lines[0])
    assert lines[1].endswith(f"grades: {long_path}")


def test_markup_in_a_message_is_printed_as_written():
    out = io.StringIO()
    Steps(Console(file=out, soft_wrap=True))("[bold]not markup[/bold] [1/3]")
    assert "[bold]not markup[/bold] [1/3]" in out.getvalue()
