"""A self-contained HTML report (one file, inline CSS, no scripts needed); all text is escaped."""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import ArticleReport
from ..readings import CONFIDENCE_TERMS, UNCERTAIN_BELOW
from .view import AttributionView, report_view

_env = Environment(loader=PackageLoader("sourcetrace", "templates"), autoescape=select_autoescape(["html", "j2"]))


def _hover(a: AttributionView) -> str:
    sure = f"; {a.confidence_label}" if a.confidence_label else ""
    return f"{a.id}: {a.who_brief}; {a.form}, {a.stance}{sure}"


def report_context(report: ArticleReport) -> dict:
    view = report_view(report)
    segs = [{"text": seg.text, "role": seg.role, "loaded": bool(seg.loaded), "title": view.hover_titles(seg, _hover, "loaded: "),
             "ids": " ".join(seg.attribution_ids)} for seg in view.segments]
    return {"report": report, "segments": segs, "source_rows": view.source_rows, "summary": view.summary,
            "attributions": list(view.attributions.values()), "uncertain_count": view.uncertain_count,
            "has_confidence": view.has_confidence}


def render_html(reports: list[ArticleReport], title: str = "sourcetrace report") -> str:
    template = _env.get_template("report.html.j2")
    return template.render(title=title, items=[report_context(r) for r in reports], terms=CONFIDENCE_TERMS,
                           uncertain_below=UNCERTAIN_BELOW)
