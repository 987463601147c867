"""Student feedback (nbgrader generate_feedback on batch-graded work) shows the judge's message
and nothing hidden; checked in the rendered page of a real browser."""
from __future__ import annotations

from contextlib import contextmanager

from autograder import nbgrader_run, reference_file

from .conftest import ARTIFACTS, open_page


@contextmanager
def feedback_text(browser, root, student, screenshot=None):
    """The visible text of `student`'s feedback page, which must load without errors."""
    nbgrader_run.nbgrader(root, "generate_feedback", "mini", "--student", student, "--force")
    page, errors, external = open_page(browser, root / "feedback" / student / "mini" / "mini.html")
    try:
        assert errors == []
        # nbgrader's feedback template asks a CDN for MathJax (formulas render only online)
        assert all("mathjax" in url.lower() for url in external)
        yield page.inner_text("body")
        if screenshot:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
    finally:
        page.close()


def test_feedback_page_shows_what_differs_and_no_hidden_data(graded_class, browser):
    root = graded_class["root"]
    with feedback_text(browser, root, "chen", screenshot="feedback-wrong-answer.png") as text:
        assert "double_values: output 'y': 12 of 12 values out of tolerance" in text
        assert "check(" not in text and "BEGIN HIDDEN TESTS" not in text
        for value in reference_file.read(root, "mini").reference("double_values")["y"].ravel():
            assert f"{value:.4f}"[:6] not in text


def test_feedback_of_a_crashed_submission_gives_the_reason(graded_class, browser):
    with feedback_text(browser, graded_class["root"], "fatima") as text:
        assert "exited early" in text
