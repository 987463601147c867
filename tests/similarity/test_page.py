"""The similarity page in Chromium: the top pair's matching fragments are marked on both sides."""
from __future__ import annotations

import pytest

from autograder.similarity import report_paths
from conftest import ARTIFACTS
from report.conftest import open_page

from .conftest import on_one_worker


@pytest.mark.parametrize("planted", [on_one_worker("ml_fundamentals")], indirect=True)
def test_top_pair_is_shown_side_by_side_with_its_fragments_marked(planted, browser):
    planted_class, comparison = planted
    page_path, _ = report_paths(planted_class.root, planted_class.assignment)
    page, errors, external = open_page(browser, page_path)
    try:
        assert errors == [] and external == []
        top = comparison.flagged[0]
        link = page.locator("#flagged tbody tr").first.locator("a")
        assert link.inner_text() == f"{top.a} · {top.b}"
        link.click()
        article = page.locator(link.get_attribute("href"))
        assert (article.get_attribute("data-a"), article.get_attribute("data-b")) == (top.a, top.b)
        sections = article.locator("section.question")
        assert sections.count() == len(comparison.fragments[(top.a, top.b)]) >= 1
        for n in range(sections.count()):
            question = sections.nth(n).get_attribute("data-question")
            sides = sections.nth(n).locator("pre")
            for side, student in enumerate((top.a, top.b)):
                answer = comparison.answers[student][question]
                shown = sides.nth(side).inner_text()
                marks = sides.nth(side).locator("mark.match").all_inner_texts()
                assert shown.strip() == answer.strip()
                assert marks and all(m in answer for m in marks)
                if top.questions[question] == 1.0:   # a copy found whole: most of it is marked
                    assert sum(map(len, marks)) > 0.5 * len(answer.strip()), (question, student)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "similarity-top-pair.png"))
    finally:
        page.close()


@pytest.mark.parametrize("planted", [on_one_worker("ml_fundamentals")], indirect=True)
def test_page_needs_nothing_from_the_network(planted):
    planted_class, _ = planted
    html = report_paths(planted_class.root, planted_class.assignment)[0].read_text()
    assert "http://" not in html and "https://" not in html and "<script" not in html
