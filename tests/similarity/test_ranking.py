"""On a planted class of each assignment (corpus.py): copies, however disguised, rank above
every pair written independently; independent work stays under the threshold; blank
releases share nothing."""
from __future__ import annotations

import ast

from autograder.similarity import FLOOR


def score(comparison, a: str, b: str, question: str | None = None) -> float:
    """The pair's similarity (whole notebook, or one question); 0 when they share nothing."""
    for pair in comparison.pairs:
        if {pair.a, pair.b} == {a, b}:
            return pair.notebook if question is None else pair.questions.get(question, 0.0)
    return 0.0


def test_the_planted_copies_are_valid_python(planted):
    planted_class, comparison = planted
    for original, copy in planted_class.copies:
        for question in planted_class.answered[copy]:
            ast.parse(comparison.answers[copy][question])


def test_copies_rank_above_every_independent_pair(planted):
    planted_class, comparison = planted
    copies = {copy: score(comparison, original, copy) for original, copy in planted_class.copies}
    independent = {pair: score(comparison, *pair) for pair in planted_class.independent + planted_class.unrelated()}
    weakest = min(copies, key=copies.get)
    closest = max(independent, key=independent.get)
    assert copies[weakest] > independent[closest], (weakest, copies[weakest], closest, independent[closest])


def test_independent_answers_stay_under_the_threshold(planted):
    """Over the whole notebook. (Per question, two answer cells of custom_components's honest
    alternatives score above it: the solution's structure with keras.ops for tf, or other
    attribute names; docs/similarity.md.)"""
    planted_class, comparison = planted
    flagged = {frozenset((p.a, p.b)): p.notebook for p in comparison.flagged}
    independent = {frozenset(pair) for pair in planted_class.independent + planted_class.text_independent}
    assert {pair: flagged[pair] for pair in independent & set(flagged)} == {}


def test_each_question_ranks_copies_above_independent_answers(planted):
    """Per answer cell, for originals with at least FLOOR fingerprints of their own (below it,
    two one-line answers alike are no evidence, by design)."""
    planted_class, comparison = planted
    checked = 0
    for question in comparison.questions:
        copies = [score(comparison, original, copy, question) for original, copy in planted_class.copies
                  if question in planted_class.answered[original] and comparison.own[original][question] >= FLOOR]
        independent = [score(comparison, a, b, question) for a, b in planted_class.independent
                       if question in planted_class.answered[a] & planted_class.answered[b]]
        if copies and independent:
            checked += 1
            assert min(copies) > max(independent), question
    assert checked >= 3


def test_free_text_copies_rank_above_answers_written_apart(planted):
    planted_class, comparison = planted
    if not planted_class.text_copies:
        return
    copies = [max(score(comparison, o, c, q) for q in planted_class.answered[o]) for o, c in planted_class.text_copies]
    independent = [max(score(comparison, a, b, q) for q in planted_class.answered[a]) for a, b in planted_class.text_independent]
    assert min(copies) > max(independent)
    assert max(independent) < comparison.threshold


def test_two_blank_releases_share_nothing(planted):
    planted_class, comparison = planted
    blank, other_blank = planted_class.blanks
    assert score(comparison, blank, other_blank) == 0.0
    assert not [p for p in comparison.pairs if blank in (p.a, p.b) or other_blank in (p.a, p.b)]
    assert sum(comparison.own[blank].values()) == 0
