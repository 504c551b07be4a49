"""Presenters: turn ``ArticleReport``s into terminal text, JSON, JSONL, Markdown or HTML."""
from __future__ import annotations

import json

from ..model import ArticleReport


def render_reports(reports: list[ArticleReport], fmt: str, color: bool = False) -> str:
    if fmt == "json":
        if len(reports) == 1:
            return reports[0].to_json(indent=2)
        return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "".join(r.to_json() + "\n" for r in reports)
    if fmt == "md":
        from .markdown import render_markdown

        return "\n\n---\n\n".join(render_markdown(r) for r in reports)
    if fmt == "html":
        from .html import render_html

        return render_html(reports)
    if fmt == "text":
        from .terminal import render_text

        return render_text(reports, color=color)
    raise ValueError(f"unknown format {fmt!r}")
