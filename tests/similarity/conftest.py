"""Planted classes (tests/similarity/corpus.py) compared once per session."""
from __future__ import annotations

import pytest

from autograder.similarity import similarity_report
from conftest import ASSIGNMENTS

from .corpus import plant


@pytest.fixture(scope="session", params=ASSIGNMENTS)
def planted(request, tmp_path_factory):
    """(planted class, comparison) for one assignment, its report written (default threshold)."""
    planted = plant(tmp_path_factory.mktemp(f"planted-{request.param}") / "course", request.param)
    comparison, page, table = similarity_report(planted.root, request.param)
    return planted, comparison

