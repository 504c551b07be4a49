"""View models for the pages: the highlighted article and the outlet chart (inline SVG, no script needed)."""
from __future__ import annotations

from typing import Any

from ..model import ArticleReport
from ..render.segments import segments
from ..render.summary import summary_lines
from ..store.queries import STANCES
from .glossary import explain, profile_figures

SOURCE_KINDS = ("person", "organization", "government", "media", "document", "group", "unknown")
STANCE_COLOURS = {
    "neutral": "#9aa5b1", "assertive": "#2e86c1", "distancing": "#e67e22", "hedged": "#f1c40f", "negated": "#c0392b",
}


def describe_source(source) -> str:
    parts = [source.kind, "named" if source.named else "anonymous"]
    if source.descriptor:
        parts.append(source.descriptor)
    return f"{source.name} ({', '.join(parts)})"


def article_context(report: ArticleReport) -> dict[str, Any]:
    """Segments with hover titles, attribution details for the click panel, sources, profile, summary.

    One pass over ``segments(report)`` (``render.html.report_context`` would compute them a second time)."""
    sources = {s.id: s for s in report.sources}
    attributions = []
    titles: dict[str, str] = {}
    for a in report.attributions:
        src = sources.get(a.source_id or "")
        who = describe_source(src) if src else (f"{a.source.text} (not resolved to a source)" if a.source else "no source given")
        titles[a.id] = f"{a.id} · source: {who} · stance: {a.stance} ({explain(a.stance)}) · {a.form}"
        attributions.append({
            "id": a.id, "who": who, "name": src.name if src else None, "kind": src.kind if src else None, "named": src.named if src else None,
            "descriptor": src.descriptor if src else None, "stance": a.stance, "form": a.form,
            "cue": a.cue.text if a.cue else None, "content": a.content.text,
        })
    stance_of = {a.id: a.stance for a in report.attributions}
    segs = []
    for seg in segments(report):
        lines = [titles[aid] for aid in seg.attribution_ids if aid in titles]
        lines += [f"loaded language: {t} ({explain(t)})" if explain(t) else f"loaded language: {t}" for t in seg.loaded]
        segs.append({
            "text": seg.text, "role": seg.role, "loaded": bool(seg.loaded), "title": "\n".join(lines),
            "ids": " ".join(seg.attribution_ids),
            "stance": next((stance_of[aid] for aid in seg.attribution_ids if aid in stance_of), None),
        })
    profile = [(k, v if isinstance(v, (str, int, float, bool)) or v is None else None, v) for k, v in sorted(report.profile.items())]
    return {
        "report": report, "segments": segs, "source_rows": source_rows(report), "summary": summary_lines(report),
        "attributions": attributions, "profile": profile, "kinds": SOURCE_KINDS, "stances": STANCES,
        "corrections": report.profile.get("corrections"), "profile_figures": profile_figures(report.profile),
    }


def source_rows(report: ArticleReport) -> list[dict[str, Any]]:
    """Each source with its number of attributions and their stances (the sources panel)."""
    rows = {s.id: {"source": s, "count": 0, "stance_counts": {}} for s in report.sources}
    for a in report.attributions:
        row = rows.get(a.source_id or "")
        if row is not None:
            row["count"] += 1
            row["stance_counts"][a.stance] = row["stance_counts"].get(a.stance, 0) + 1
    for row in rows.values():
        row["stances"] = ", ".join(f"{k} {v}" for k, v in sorted(row.pop("stance_counts").items()))
    return list(rows.values())


def timeline_chart(timeline: list[dict[str, Any]], width: int = 760, panel: int = 120) -> dict[str, Any]:
    """Coordinates for three panels over months: anonymous share, attributions per article, stance mix."""
    months = [row for row in timeline if row["month"] != "undated"]
    left, right, gap = 48, 12, 36
    n = max(len(months), 1)
    step = (width - left - right) / n
    xs = [left + step * (i + 0.5) for i in range(len(months))]

    def panel_top(i: int) -> int:
        return 20 + i * (panel + gap)

    def line(values: list[float | None], top: int, vmax: float) -> list[dict[str, float]]:
        return [
            {"x": round(x, 1), "y": round(top + panel - (v / vmax if vmax else 0) * panel, 1), "v": v}
            for x, v in zip(xs, values) if v is not None
        ]

    share = line([row["anonymous_share"] for row in months], panel_top(0), 1.0)
    per_article_max = max([row["attributions_per_article"] for row in months] + [1.0])
    per_article = line([row["attributions_per_article"] for row in months], panel_top(1), per_article_max)
    bars = []
    top = panel_top(2)
    for x, row in zip(xs, months):
        total = sum(row["stances"].values())
        y = top + panel
        for stance in STANCES:
            count = row["stances"][stance]
            if not total or not count:
                continue
            h = panel * count / total
            y -= h
            bars.append({"x": round(x - step * 0.4, 1), "y": round(y, 1), "w": round(step * 0.8, 1), "h": round(h, 1),
                         "colour": STANCE_COLOURS[stance], "label": f"{row['month']}: {stance} {count}"})
    label_every = max(1, len(months) // 12)
    labels = [{"x": round(x, 1), "text": row["month"]} for i, (x, row) in enumerate(zip(xs, months)) if i % label_every == 0]
    return {
        "width": width, "height": panel_top(3) + 10, "panel": panel, "left": left, "right": width - right,
        "tops": [panel_top(i) for i in range(3)], "share": share, "per_article": per_article,
        "per_article_max": round(per_article_max, 1), "bars": bars, "labels": labels,
        "stance_colours": STANCE_COLOURS, "months": len(months),
    }
