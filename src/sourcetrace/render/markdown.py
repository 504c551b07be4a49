"""Markdown rendering: spans as inline markup, a sources table, the summary."""
from __future__ import annotations

from ..model import ArticleReport
from .segments import segments
from .summary import summary_lines

MARKS = {"source": ("**", "**"), "cue": ("_", "_"), "content": ("`", "`")}


def _escape(text: str) -> str:
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(report: ArticleReport) -> str:
    lines = [f"# {_escape(report.title or report.id)}", ""]
    meta = " · ".join(x for x in (report.outlet, report.published, report.url) if x)
    if meta:
        lines += [f"_{_escape(meta)}_", ""]
    lines += [f"> warning: {_escape(w)}" for w in report.warnings] + ([""] if report.warnings else [])
    body = []
    for seg in segments(report):
        text = _escape(seg.text)
        role = seg.role
        if role and seg.text.strip():
            open_, close = MARKS[role]
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip())
            text = text[:lead] + open_ + text.strip() + close + text[len(text) - trail:]
        body.append(text)
    lines += ["".join(body), "", "Legend: **source**, _cue_, `content`.", "", "## Sources", ""]
    lines += ["| source | kind | named | descriptor | attributions |", "|---|---|---|---|---|"]
    for s in report.sources:
        n = sum(1 for a in report.attributions if a.source_id == s.id)
        lines.append(f"| {_escape(s.name)} | {s.kind} | {'yes' if s.named else 'no'} | {_escape(s.descriptor or '')} | {n} |")
    lines += ["", "## Summary", ""] + [f"- {_escape(x)}" for x in summary_lines(report)]
    return "\n".join(lines) + "\n"
