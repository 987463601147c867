"""The similarity page: one self-contained HTML file (no script, no network) for the staff who
judge whether a pair copied. Flagged pairs are shown side by side, answer by answer, with the
fragments Dolos matched marked in both."""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..report.page import STYLE as REPORT_STYLE
from ..report.page import _e, _table
from .scores import FLOOR

if TYPE_CHECKING:
    from . import Comparison

STYLE = REPORT_STYLE + """
body { max-width: 90em; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.sides pre { background: #fafafa; border: 1px solid #ddd; padding: 0.5em; overflow-x: auto; font-size: 0.85em;
             white-space: pre-wrap; margin: 0; }
mark.match { background: #ffd36b; }
article.pair { border-top: 2px solid #999; padding-top: 0.5em; margin-top: 2em; }
"""
CLOSEST_BELOW = 10
TABLE_ROWS = 200   # pairs listed per table (the CSV lists them all)


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text`, HTML-escaped, with the matched spans (sorted, not overlapping) in <mark class="match">."""
    out, last = [], 0
    for start, end in spans:
        out.append(_e(text[last:start]))
        out.append(f'<mark class="match">{_e(text[start:end])}</mark>')
        last = end
    out.append(_e(text[last:]))
    return "".join(out)


def _pair_table(comparison: "Comparison", pairs, anchors: dict) -> str:
    """The first TABLE_ROWS pairs; the CSV has them all."""
    rows = []
    for n, pair in enumerate(pairs[:TABLE_ROWS], 1):
        who = f"{_e(pair.a)} · {_e(pair.b)}"
        if (pair.a, pair.b) in anchors:
            who = f'<a href="#{anchors[(pair.a, pair.b)]}">{who}</a>'
        questions = ", ".join(f"<code>{_e(q)}</code> {pair.questions[q]:.2f}"
                              for q in pair.questions_above(comparison.threshold))
        rows.append([str(n), who, f"{pair.notebook:.2f}", questions or '<span class="muted">none</span>'])
    more = (f'<p class="muted">{len(pairs) - TABLE_ROWS:,} more in the CSV.</p>' if len(pairs) > TABLE_ROWS else "")
    return _table(["#", "students", "whole notebook", "questions at or above the threshold"], rows, numeric={0, 2}) + more


def _question_table(comparison: "Comparison") -> str:
    above = dict.fromkeys(comparison.questions, 0)
    top = {}
    for pair in comparison.pairs:
        for q, value in pair.questions.items():
            above[q] += value >= comparison.threshold
            if q not in top or value > top[q][0]:
                top[q] = (value, pair)
    rows = []
    for q in comparison.questions:
        most = (f"{_e(top[q][1].a)} · {_e(top[q][1].b)} ({top[q][0]:.2f})" if q in top
                else '<span class="muted">—</span>')
        rows.append([f"<code>{_e(q)}</code>", _e(comparison.kinds[q]), str(above[q]), most])
    return _table(["question", "compared as", "pairs at or above the threshold", "most similar pair"], rows,
                  numeric={2})


def _side_by_side(comparison: "Comparison", pair, anchor: str) -> str:
    parts = [f'<article class="pair" id="{anchor}" data-a="{_e(pair.a)}" data-b="{_e(pair.b)}">',
             f"<h3>{_e(pair.a)} · {_e(pair.b)}: {pair.notebook:.2f} over the whole notebook</h3>"]
    found = comparison.fragments.get((pair.a, pair.b), {})
    for q, value in sorted(pair.questions.items(), key=lambda kv: -kv[1]):
        if q not in found:
            continue
        left = marked(comparison.answers[pair.a].get(q, ""), found[q][0])
        right = marked(comparison.answers[pair.b].get(q, ""), found[q][1])
        parts.append(f'<section class="question" data-question="{_e(q)}"><h4><code>{_e(q)}</code>: {value:.2f}</h4>'
                     f'<div class="sides"><div><p>{_e(pair.a)}</p><pre>{left}</pre></div>'
                     f'<div><p>{_e(pair.b)}</p><pre>{right}</pre></div></div></section>')
    parts.append("</article>")
    return "\n".join(parts)


EXPLANATION = (
    "<p>What counts is what the students wrote: their answer cells (code, and free-text answers compared as "
    "text) and code cells they added. Everything the release gave them (the answer cells' templates, the given "
    "code, the prompts) is ignored. Dolos matches the code by its syntax tree, so renamed identifiers, changed "
    "literals, comments and layout, reordered functions and cells do not hide a copy; inserted code only "
    "dilutes it. A pair's similarity is the larger share of one student's own work that is also in the "
    "other's, per question and pooled over the whole notebook; work smaller than {floor} fingerprints (two or "
    "three lines) counts as that much, so short answers everyone writes alike flag no one. A high score is a "
    "reason to look at the two answers, not a verdict.</p>")


def _section(anchor: str, title: str, content: str, empty: str = "None.") -> str:
    return f'<section id="{anchor}"><h2>{title}</h2>{content or f"<p class=muted>{empty}</p>"}</section>'


def render(comparison: "Comparison") -> str:
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    t = comparison.threshold
    flagged, on_questions = comparison.flagged, comparison.flagged_on_questions
    detailed = [p for p in flagged + on_questions if (p.a, p.b) in comparison.fragments]
    anchors = {(p.a, p.b): f"pair-{n}" for n, p in enumerate(detailed, 1)}
    compared = len(comparison.submissions) - len(comparison.unreadable)
    below = [p for p in comparison.pairs if p.notebook < t and not p.questions_above(t)][:CLOSEST_BELOW]
    not_compared = [[_e(s.student), _e(s.problem)] for s in comparison.unreadable]
    notes = [[_e(s.student), _e(s.note)] for s in comparison.submissions if s.note]
    more = len(flagged) + len(on_questions) - len(detailed)
    parts = [
        f"<h1>Similarity · {_e(comparison.assignment)}</h1>",
        f'<p class="muted">generated {when} · {compared} submissions compared'
        f" · {len(comparison.unreadable)} could not be read · threshold {t:g}</p>",
        EXPLANATION.format(floor=FLOOR),
        _section("flagged", f"Pairs at or above the threshold over the whole notebook ({len(flagged)})",
                 _pair_table(comparison, flagged, anchors) if flagged else ""),
        _section("flagged-questions", f"Other pairs at or above it on some question ({len(on_questions)})",
                 _pair_table(comparison, on_questions, anchors) if on_questions else ""),
        _section("questions", "Per question", _question_table(comparison)),
        _section("closest", "Closest pairs below the threshold", _pair_table(comparison, below, {}) if below else ""),
        _section("not-compared", f"Submissions not compared ({len(not_compared)})",
                 _table(["student", "reason"], not_compared) if not_compared else ""),
        _section("notes", "Notes", _table(["student", "note"], notes) if notes else ""),
        _section("side-by-side", "Side by side",
                 (f'<p class="muted">The first {len(detailed)} pairs above; {more} more are in the tables.</p>'
                  if more else "") + "\n".join(_side_by_side(comparison, p, anchors[(p.a, p.b)]) for p in detailed),
                 "No pair at or above the threshold."),
    ]
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Similarity · {_e(comparison.assignment)}</title><style>{STYLE}</style></head><body>"
            f"{body}\n</body></html>\n")


def write_page(path: Path, comparison: "Comparison") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(comparison), encoding="utf-8")
    return path
