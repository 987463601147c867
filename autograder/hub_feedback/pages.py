"""What the student's Assignment List shows for an attempt.

nbgrader's Assignment List offers *Fetch Feedback* per attempt and then a *view feedback* link:
it looks in the exchange's feedback folder for `<md5(submission secret + notebook name)>.html`
(each attempt has its own secret). So every message the service has for a student goes there
as such a page: the graded feedback (nbgrader's generate/release_feedback, filtered by
`FeedbackVisibility`), and small pages of ours for an attempt kept over the limit or one that
was not graded because a later one was."""
from __future__ import annotations

import html
import os
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.utils import notebook_hash
from traitlets import Bool, Enum, Unicode


def _is_test_cell(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


class FeedbackVisibility(Preprocessor):
    """Runs after nbgrader's GetGrades in generate_feedback: 'points' drops the test cells'
    outputs (the checks' messages), 'total' also drops the test cells and every per-cell score;
    both keep the total. A note on top says when this attempt was graded and what is shown."""

    enabled = Bool(True)  # nbconvert's Preprocessor is off unless told
    visibility = Enum(["total", "points", "full"], default_value="full", config=True)
    note = Unicode("", config=True)

    def preprocess(self, nb, resources):
        cells = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if self.visibility != "full" and _is_test_cell(cell):
                if self.visibility == "total":
                    continue
                cell.outputs = []
                cell.execution_count = None
            elif self.visibility == "total" and meta.get("grade"):
                meta["grade"] = False  # the template then shows no score for the cell
            cells.append(cell)
        if self.note:
            note = nbformat.v4.new_markdown_cell(self.note)
            note.metadata["hub_feedback"] = True
            cells.insert(0, note)
        nb.cells = cells
        return nb, resources


def attempt_page(title: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>\n"
            f"<body style=\"font-family: sans-serif; max-width: 50em; margin: 2em\">\n"
            f"<h2 id=\"hub-feedback-title\">{html.escape(title)}</h2>\n{body}\n</body></html>\n")


def release_page(feedback_dir: Path, attempt_dir: Path, page: str) -> list[Path]:
    """Put `page` where the Assignment List finds the feedback of this attempt (each of its
    notebooks): the attempt's inbound folder gives its secret and its notebooks' names."""
    secret = (attempt_dir / "submission_secret.txt").read_text()
    feedback_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for notebook in sorted(attempt_dir.glob("*.ipynb")):
        target = feedback_dir / f"{notebook_hash(secret=secret, notebook_id=notebook.stem)}.html"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(page)
        os.chmod(tmp, 0o644)
        tmp.replace(target)  # atomic: a student fetching meanwhile gets the old page or the new
        written.append(target)
    return written
