"""Corrections from readers: the article page's forms and ``/api/v1/articles/{id}/corrections``.

After a correction is stored the article page's body is rendered again from the corrected report (and kept in
``article_pages``), so the page, ``GET /api/v1/articles/{id}`` and the exports all show the corrected reading;
``GET /api/v1/reports/{id}`` stays the model's own.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..errors import InputError
from ..store import Store
from ..store.corrections import add_correction, corrected_report, list_corrections
from . import fragments
from .deps import get_store

router = APIRouter()


class SpanIn(BaseModel):
    start: int
    end: int


class CorrectionIn(BaseModel):
    action: str = Field(description="remove | change | add")
    author: str = Field(description="Who makes the correction.")
    attribution_id: str | None = Field(None, description="The attribution removed or changed (its id in the report).")
    content: SpanIn | None = Field(None, description="add: the words said (character offsets into the text).")
    source: SpanIn | None = Field(None, description="The source mention (offsets).")
    cue: SpanIn | None = None
    speaker: str | None = Field(None, description="The resolved name of who said it.")
    kind: str | None = None
    named: bool | None = None
    stance: str | None = None
    form: str | None = None


def rerender(store: Store, article_id: str) -> None:
    """Keep the article page's body in step with its corrections."""
    report = corrected_report(store, article_id)
    head = fragments.head(store, article_id)
    if report is None or head is None:
        return
    with store.engine.begin() as conn:
        conn.execute(fragments.upsert(store, [fragments.page_row(head.pk, report)]))


def _save(store: Store, article_id: str, body: CorrectionIn):
    fields = body.model_dump(exclude={"action", "author", "attribution_id"}, exclude_unset=True)
    correction = add_correction(store, article_id, body.action, fields, body.author, body.attribution_id)
    rerender(store, article_id)
    return correction


@router.post("/api/v1/articles/{article_id:path}/corrections", tags=["api"], status_code=201,
             summary="Correct an attribution (remove, change) or add a missed one; the corrected report is served")
def api_add_correction(article_id: str, body: CorrectionIn, store: Store = Depends(get_store)):
    try:
        correction = _save(store, article_id, body)
    except InputError as exc:
        status = 404 if exc.reason == "no such article" else 422
        return JSONResponse({"error": str(exc)}, status_code=status)
    return JSONResponse(correction.as_dict(), status_code=201)


@router.get("/api/v1/articles/{article_id:path}/corrections", tags=["api"], summary="An article's corrections, oldest first")
async def api_list_corrections(article_id: str, store: Store = Depends(get_store)):
    return [c.as_dict() for c in list_corrections(store, article_id)]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _span(form, prefix: str) -> dict[str, int] | None:
    start, end = _int(form.get(f"{prefix}_start")), _int(form.get(f"{prefix}_end"))
    return {"start": start, "end": end} if start is not None and end is not None else None


@router.post("/articles/{article_id:path}/corrections", include_in_schema=False)
async def form_add_correction(article_id: str, request: Request, store: Store = Depends(get_store)):
    """The article page's forms (no script needed to remove or change; selecting text to add uses app.js)."""
    form = await request.form()
    data: dict[str, Any] = {"action": form.get("action", ""), "author": form.get("author", ""),
                            "attribution_id": form.get("attribution_id") or None}
    for key in ("content", "source", "cue"):
        span = _span(form, key)
        if span:
            data[key] = span
    for key in ("speaker", "kind", "stance", "form"):
        if form.get(key):
            data[key] = form.get(key)
    if form.get("named") in ("yes", "no"):
        data["named"] = form.get("named") == "yes"
    from urllib.parse import quote

    target = f"/articles/{quote(article_id, safe='/')}"
    try:
        await run_in_threadpool(_save, store, article_id, CorrectionIn.model_validate(data))
    except (InputError, ValueError) as exc:
        return RedirectResponse(f"{target}?correction_error={quote(str(exc)[:300])}#corrections", status_code=303)
    return RedirectResponse(f"{target}#corrections", status_code=303)
