"""View models for the pages: the highlighted article and the outlet chart (inline SVG, no script needed)."""
from __future__ import annotations

from typing import Any

from ..model import ArticleReport
from ..readings import UNCERTAIN_BELOW
from ..render.view import AttributionView, report_view
from ..store.queries import STANCES
from .glossary import explain, profile_figures

SOURCE_KINDS = ("person", "organization", "government", "media", "document", "group", "unknown")
STANCE_COLOURS = {
    "neutral": "#9aa5b1", "assertive": "#2e86c1", "distancing": "#e67e22", "hedged": "#f1c40f", "negated": "#c0392b",
}


def _hover(a: AttributionView) -> str:
    sure = f" · {a.confidence_label}" if a.confidence_label else ""
    return f"{a.id} · source: {a.who} · stance: {a.stance} ({explain(a.stance)}) · {a.form}{sure}"


def article_context(report: ArticleReport, min_confidence: float | None = None) -> dict[str, Any]:
    """The shared report view-model (``render.view``) with the page's hover titles (stances explained, as in the
    glossary), stance colours, the click panel's attribution details and the correction form's choices.
    ``min_confidence``: the threshold ``report`` was filtered at (``readings.readings_at_least``), if any."""
    view = report_view(report)
    segs = [{"text": seg.text, "role": seg.role, "loaded": bool(seg.loaded),
             "title": view.hover_titles(seg, _hover, "loaded language: ", explain), "ids": " ".join(seg.attribution_ids),
             "stance": view.segment_stance(seg)} for seg in view.segments]
    attributions = [{"id": a.id, "who": a.who, "name": a.source.name if a.source else None,
                     "kind": a.source.kind if a.source else None, "named": a.source.named if a.source else None,
                     "descriptor": a.source.descriptor if a.source else None, "stance": a.stance, "form": a.form,
                     "cue": a.cue, "content": a.content, "confidence_label": a.confidence_label,
                     "uncertain": a.uncertain, "speaker_uncertain": a.speaker_uncertain}
                    for a in view.attributions.values()]
    return {
        "report": report, "segments": segs, "source_rows": view.source_rows, "summary": view.summary,
        "attributions": attributions, "profile": view.profile_rows(), "kinds": SOURCE_KINDS, "stances": STANCES,
        "corrections": report.profile.get("corrections"), "profile_figures": profile_figures(report.profile),
        "has_confidence": view.has_confidence, "uncertain_count": view.uncertain_count,
        "min_confidence": min_confidence, "uncertain_below": UNCERTAIN_BELOW,
    }


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
