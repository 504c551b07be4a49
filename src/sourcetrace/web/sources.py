"""A corpus source's page and its JSON: names merged (with the reason), descriptors, every statement with its
article, outlet, date and stance, the outlets that quote it, its statements per month."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..store import Store
from ..store.corpus_sources import source_detail
from .deps import get_store, templates

router = APIRouter()
SHOWN_STATEMENTS = 200  # on the page; the API gives up to ``limit``


def month_bars(timeline: list[dict], width: int = 760, height: int = 140) -> dict:
    """Bars of statements per month (undated ones are counted in the table, not drawn)."""
    months = [m for m in timeline if m["month"] != "undated"]
    left, right, top, bottom = 40, 10, 14, 22
    step = (width - left - right) / max(len(months), 1)
    peak = max([m["statements"] for m in months] + [1])
    bars = []
    for i, m in enumerate(months):
        h = (height - top - bottom) * m["statements"] / peak
        w = min(step * 0.8, 36)  # a few months must not become slabs across the chart
        bars.append({"x": round(left + (i + 0.5) * step - w / 2, 1), "y": round(height - bottom - h, 1),
                     "w": round(w, 1), "h": round(h, 1), "label": f"{m['month']}: {m['statements']}"})
    every = max(1, len(months) // 10)
    labels = [{"x": round(left + (i + 0.5) * step, 1), "text": m["month"]} for i, m in enumerate(months) if i % every == 0]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "peak": peak, "left": left,
            "baseline": height - bottom, "top": top}


@router.get("/sources/{source_id}", response_class=HTMLResponse, include_in_schema=False)
async def source_page(request: Request, source_id: str, store: Store = Depends(get_store)):
    detail = source_detail(store, source_id, limit=SHOWN_STATEMENTS)
    if detail is None:
        return templates.TemplateResponse(request, "error.html", {
            "title": "Not found", "message": f"No source with id {source_id!r} in this store.",
            "has_stories": request.app.state.has_stories}, status_code=404)
    return templates.TemplateResponse(request, "source.html", {
        "title": detail["name"], "source": detail, "chart": month_bars(detail["timeline"]),
        "has_stories": request.app.state.has_stories,
    })


@router.get("/api/v1/sources/{source_id}", tags=["api"],
            summary="One corpus source: its aliases (each with why it was merged) and its statements")
async def api_source(source_id: str, limit: int = Query(1000, ge=1, le=5000), store: Store = Depends(get_store)):
    detail = source_detail(store, source_id, limit=limit)
    if detail is None:
        raise HTTPException(404, f"no source {source_id!r}")
    return detail
