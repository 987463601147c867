"""Planted classes (tests/similarity/corpus.py) compared once per session."""
from __future__ import annotations

import pytest

from autograder.similarity import similarity_report
from conftest import ASSIGNMENTS

from .corpus import plant


def on_one_worker(assignment: str):
    """The parameter `assignment`, in one xdist group: its planted class is built once."""
    return pytest.param(assignment, marks=pytest.mark.xdist_group(f"similarity-{assignment}"))


@pytest.fixture(scope="session", params=[on_one_worker(a) for a in ASSIGNMENTS])
def planted(request, tmp_path_factory):
    """(planted class, comparison) for one assignment, its report written (default threshold)."""
    planted = plant(tmp_path_factory.mktemp(f"planted-{request.param}") / "course", request.param)
    comparison, page, table = similarity_report(planted.root, request.param)
    return planted, comparison

