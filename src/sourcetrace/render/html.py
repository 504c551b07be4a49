"""A self-contained HTML report (one file, inline CSS, no scripts needed); all text is escaped."""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import ArticleReport
from .segments import segments
from .summary import stance_mix, summary_lines

_env = Environment(loader=PackageLoader("sourcetrace", "templates"), autoescape=select_autoescape(["html", "j2"]))


def report_context(report: ArticleReport) -> dict:
    by_id = {a.id: a for a in report.attributions}
    sources = {s.id: s for s in report.sources}
    segs = []
    for seg in segments(report):
        titles = []
        for aid in seg.attribution_ids:
            a = by_id[aid]
            src = sources.get(a.source_id or "")
            who = f"{src.name} ({src.kind}, {'named' if src.named else 'anonymous'})" if src else (a.source.text if a.source else "no source")
            titles.append(f"{a.id}: {who}; {a.form}, {a.stance}")
        titles += [f"loaded: {t}" for t in seg.loaded]
        segs.append({"text": seg.text, "role": seg.role, "loaded": bool(seg.loaded), "title": "\n".join(titles), "ids": " ".join(seg.attribution_ids)})
    rows = []
    for s in report.sources:
        count, mix = stance_mix(report, s)
        rows.append({"source": s, "count": count, "stances": mix})
    return {"report": report, "segments": segs, "source_rows": rows, "summary": summary_lines(report)}


def render_html(reports: list[ArticleReport], title: str = "sourcetrace report") -> str:
    template = _env.get_template("report.html.j2")
    return template.render(title=title, items=[report_context(r) for r in reports])
