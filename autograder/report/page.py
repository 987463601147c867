"""The class report: one HTML file with everything embedded (usable offline, mailable)."""
from __future__ import annotations

import datetime
import html
from pathlib import Path

from . import plots
from .stats import AssignmentStats

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 0.9em; } section { margin-bottom: 3em; } .muted { color: #777; }
"""


def _e(text) -> str:
    return html.escape(str(text))


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _duration(seconds: float) -> str:
    return str(datetime.timedelta(seconds=round(seconds)))


def similarity_part(link: tuple[str, int] | None) -> str:
    """How many pairs the similarity report flags, and a link to it: the count only, since this
    report may be shown to more people than the names in the similarity report."""
    if link is None:
        return ""
    href, count = link
    return (f'<h3>Similarity</h3><p class="similarity">{count} pair{"" if count == 1 else "s"} of submissions at '
            f'or above the similarity threshold: <a href="{_e(href)}">similarity report</a></p>')


def assignment_section(stats: AssignmentStats, similarity: tuple[str, int] | None = None) -> str:
    scores = sorted(stats.totals.values())
    n = len(scores)
    mean = sum(scores) / n if n else 0.0
    median = (scores[n // 2] if n % 2 else (scores[n // 2 - 1] + scores[n // 2]) / 2) if n else 0.0
    parts = [f'<section id="{_e(stats.name)}"><h2>{_e(stats.name)}</h2>',
             f"<p>{n} submissions · mean {mean:.1f} · median {median:g} of {stats.max_score:g} points"
             f" · {len(stats.needs_manual_grade)} still need manual grading</p>"]
    if n:
        parts.append(f'<img alt="score distribution of {_e(stats.name)}" src="{plots.score_distribution(stats)}">')
        parts.append(f'<img alt="pass rate per question of {_e(stats.name)}" src="{plots.question_pass_rates(stats)}">')
    parts.append("<h3>Questions, hardest first</h3>")
    rows = [[f"<code>{_e(q.name)}</code>", f"{q.max_score:g}", f"{q.mean:.2f}", f"{100 * q.pass_rate:.0f} %"]
            for q in stats.hardest]
    parts.append(_table(["question", "points", "mean score", "full marks"], rows, numeric={1, 2, 3}))
    parts.append("<h3>Most frequent failure messages</h3>")
    rows = []
    for q in stats.hardest:
        for pattern, count in q.failures.most_common(3):
            rows.append([f"<code>{_e(q.name)}</code>", str(count), _e(q.examples[pattern])])
    parts.append(_table(["question", "submissions", "message (one example)"], rows, numeric={1})
                 if rows else '<p class="muted">No test cell failed.</p>')
    parts.append("<h3>Submissions that did not run normally</h3>")
    rows = [[_e(s), _e("; ".join(reasons))] for s, reasons in sorted(stats.did_not_run.items())]
    parts.append(_table(["student", "reason"], rows) if rows else '<p class="muted">None.</p>')
    parts.append("<h3>Flagged for review</h3>")
    rows = [[_e(s), "<br>".join(f"<code>{_e(line)}</code>" for line in lines)] for s, lines in sorted(stats.flagged.items())]
    parts.append(_table(["student", "lines that reach into the grading machinery (scores unchanged)"], rows)
                 if rows else '<p class="muted">None.</p>')
    parts.append("<h3>Late submissions</h3>")
    rows = [[_e(s), _duration(sec)] for s, sec in sorted(stats.late.items(), key=lambda kv: -kv[1])]
    parts.append(_table(["student", "late by"], rows) if rows else '<p class="muted">None.</p>')
    parts.append(similarity_part(similarity))
    parts.append("</section>")
    return "\n".join(parts)


def render(course_id: str, all_stats: list[AssignmentStats], similarity: dict[str, tuple[str, int]] | None = None) -> str:
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    index = " · ".join(f'<a href="#{_e(s.name)}">{_e(s.name)}</a>' for s in all_stats)
    body = "\n".join(assignment_section(s, (similarity or {}).get(s.name)) for s in all_stats)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Class report · {_e(course_id)}</title><style>{STYLE}</style></head><body>"
            f"<h1>Class report · {_e(course_id)}</h1><p class=\"muted\">generated {when} from the gradebook"
            f" · {index}</p>\n{body}\n</body></html>\n")


def write_report(path: Path, course_id: str, all_stats: list[AssignmentStats],
                 similarity: dict[str, tuple[str, int]] | None = None) -> Path:
    """`similarity`: assignment -> (link to its similarity page, pairs above the threshold)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(course_id, all_stats, similarity), encoding="utf-8")
    return path
