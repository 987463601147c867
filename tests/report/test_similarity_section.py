"""The class report's similarity section: how many pairs are above the threshold and a link to
the similarity page, never who."""
from __future__ import annotations

import re

from autograder.report import class_report
from autograder.similarity import similarity_report
from conftest import copy_course


def section(html: str) -> str:
    match = re.search(r"<h3>Similarity</h3>(.*?)</section>", html, re.S)
    return match.group(1) if match else ""


def test_no_similarity_report_no_section(graded_class):
    assert section(graded_class["report"].read_text()) == ""


def test_the_section_counts_the_pairs_above_the_threshold_and_links_the_page(graded_class, tmp_path):
    root = copy_course(graded_class["root"], tmp_path / "course")
    comparison, page, _ = similarity_report(root, "mini", threshold=0.5)
    flagged = {s for p in comparison.flagged for s in (p.a, p.b)}
    assert flagged, "ada and ben submitted the same solution"
    html = section(class_report(root, ["mini"], root / "elsewhere" / "class.html").read_text())
    count = len(comparison.flagged)
    assert f"{count} pair{'' if count == 1 else 's'} of submissions at or above the similarity threshold" in html
    href = re.search(r'href="([^"]+)"', html).group(1)
    assert href == "../reports/similarity-mini.html" and (root / "elsewhere" / href).resolve() == page.resolve()
    assert not [student for student in flagged if student in html]
