"""The preparing thread of a batch: items in order, errors where they happened, a clean stop."""
from __future__ import annotations

import threading

import pytest

from autograder.batch.prefetch import prefetched


def test_items_arrive_in_order_and_the_iteration_ends():
    with prefetched(range(100), ahead=3) as items:
        assert list(items) == list(range(100))
        assert list(items) == []  # ended stays ended


def test_an_error_while_preparing_is_raised_after_the_items_before_it():
    def produce():
        yield 1
        yield 2
        raise ValueError("submission s3 could not be prepared")

    got = []
    with prefetched(produce(), ahead=1) as items, pytest.raises(ValueError, match="s3 could not"):
        for item in items:
            got.append(item)
    assert got == [1, 2]


def test_leaving_early_stops_the_preparing_thread():
    produced = []

    def produce():
        for i in range(1000):
            produced.append(i)
            yield i

    with prefetched(produce(), ahead=2) as items:
        assert next(items) == 0
    assert not any(t.name == "prefetch" and t.is_alive() for t in threading.enumerate())
    assert len(produced) < 10  # it stayed at most `ahead` (plus the one in hand) in front
