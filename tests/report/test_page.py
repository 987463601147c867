"""The class report opens in a real browser, offline, with its plots and tables."""
from __future__ import annotations

from .conftest import ARTIFACTS, open_page


def test_report_renders_in_chromium_without_errors(graded_class, browser):
    page, errors, external = open_page(browser, graded_class["report"])
    try:
        assert errors == [] and external == []
        widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
        assert len(widths) == 2 and all(w > 100 for w in widths)
        text = page.inner_text("body")
        assert "6 submissions" in text
        assert "values out of tolerance" in text          # the grouped failure message
        assert "fatima" in text and "exited early" in text  # did not run, and why
        assert "2:30:00" in text                          # ben's lateness
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "class-report.png"), full_page=True)
    finally:
        page.close()


def test_report_needs_nothing_from_the_network(graded_class):
    html = graded_class["report"].read_text()
    assert "http://" not in html and "https://" not in html and "<script" not in html
