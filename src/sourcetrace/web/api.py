"""REST API under /api/v1; reports are the CLI's schema v1 JSON."""
from __future__ import annotations

from dataclasses import astuple

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from .. import formats
from ..desk import Desk
from ..errors import InputError
from ..model import ArticleReport, json_schema
from ..readings import readings_at_least
from ..store import Store
from ..store.cache import LRU
from ..store.corpus_sources import list_corpus_sources
from ..store.corrections import corrected_report, has_corrections
from ..store.statement_search import search_statements
from ..store.queries import cached, list_articles, list_outlets, outlet_timeline
from .analysis import AnalysisService, Busy
from .deps import get_analysis, get_desk, get_query_cache, get_store, templates
from .params import MAX_PAGE, article_query, confidence_threshold, statement_query

router = APIRouter(prefix="/api/v1", tags=["api"])


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    n_attributions: int
    n_sources: int
    n_anonymous_sources: int
    n_anonymous_attributions: int
    n_hedged: int
    n_loaded: int
    snippet: str


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    total: int
    page: int
    per_page: int
    pages: int


class SourceSummary(BaseModel):
    id: str = Field(description="The corpus source's id: GET /api/v1/sources/{id} for its statements.")
    name: str
    kind: str
    named: bool
    articles: int
    attributions: int
    aliases: list[str] = Field(description="Every name merged into this source (see the source's reasons).")


class SourcePage(BaseModel):
    items: list[SourceSummary]
    total: int
    page: int
    per_page: int
    pages: int


class Statement(BaseModel):
    article: str
    title: str | None
    outlet: str | None
    published: str | None
    attribution_id: str
    stance: str
    form: str
    source_text: str | None
    cue: str | None
    content: str
    start: int
    end: int
    source: dict
    highlights: list[list[int]] = Field(description="[start, end] of each match inside `content`.")


class StatementPage(BaseModel):
    items: list[Statement]
    total: int
    page: int
    per_page: int
    pages: int
    truncated: bool


class AnalyzeRequest(BaseModel):
    text: str | None = Field(None, description="Article text to analyse.")
    url: str | None = Field(None, description="Or a public http(s) URL to fetch (private addresses are refused).")
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    store: bool = Field(False, description="Also keep the report in the store.")


def report_response(report: ArticleReport) -> Response:
    # serialised once by pydantic: exactly the CLI's v1 JSON
    return Response(report.to_json(), media_type="application/json")


def _page(q, outlet, date_from, date_to, anonymous, hedged, page, per_page, store: Store, cache: LRU) -> Response:
    """The page as JSON, serialised once per (query, store version) through its response model."""
    query, problems = article_query(q, outlet, date_from, date_to, anonymous, hedged, page, per_page)
    if problems:
        raise HTTPException(422, "; ".join(problems))
    content = cached(store, cache, ("api articles", astuple(query)),
                     lambda: ArticlePage.model_validate(list_articles(store, query).to_dict()).model_dump_json())
    return Response(content, media_type="application/json")


@router.get("/articles", response_model=ArticlePage, summary="List articles (filters, pagination)")
async def api_articles(
    q: str | None = Query(None, description="Full-text search."), outlet: str | None = None,
    date_from: str | None = Query(None, description="YYYY-MM-DD"), date_to: str | None = Query(None, description="YYYY-MM-DD"),
    anonymous: str | None = Query(None, description="1: only articles with an anonymous source"),
    hedged: str | None = Query(None, description="1: only articles with a hedged report"),
    page: int = Query(1, ge=1, le=MAX_PAGE), per_page: int = Query(25, ge=1, le=100), store: Store = Depends(get_store),
    cache: LRU = Depends(get_query_cache),
):
    return _page(q, outlet, date_from, date_to, anonymous, hedged, page, per_page, store, cache)


@router.get("/search", response_model=ArticlePage | StatementPage,
            summary="Full-text search over articles (q), or who said what (speaker, said, anonymous, stance)")
async def api_search(
    q: str | None = Query(None, description="Articles: full-text search over titles and texts."),
    speaker: str | None = Query(None, description="Statements by this source (any of its names, or its id)."),
    said: str | None = Query(None, description='Statements containing these words ("quoted phrase" kept); marked in `highlights`.'),
    anonymous: str | None = Query(None, description="1: only statements resting on unnamed sources (with speaker/said, or without q)."),
    stance: str | None = Query(None, description="Statements with this stance."),
    outlet: str | None = None, date_from: str | None = Query(None, description="YYYY-MM-DD"),
    date_to: str | None = Query(None, description="YYYY-MM-DD"), page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=100), store: Store = Depends(get_store), cache: LRU = Depends(get_query_cache),
):
    if speaker or said or stance or (anonymous and not q):
        query, problems = statement_query(speaker, said, outlet, date_from, date_to, anonymous, stance, page, per_page)
        if problems:
            raise HTTPException(422, "; ".join(problems))
        return search_statements(store, query)
    if not q:
        raise HTTPException(422, "give q (articles) or speaker / said / anonymous / stance (statements)")
    return _page(q, outlet, date_from, date_to, None, None, page, per_page, store, cache)


MIN_CONFIDENCE = Query(None, description="0..1: leave out the attributions less likely than this to be attributed "
                      "statements (their `confidence`); a warning in the report says how many. 0.5 hides the uncertain ones.")


def _threshold(min_confidence: str | None) -> float | None:
    threshold, problems = confidence_threshold(min_confidence)
    if problems:
        raise HTTPException(422, "; ".join(problems))
    return threshold


def _stored_json(article_id: str, store: Store) -> Response:
    document = store.get_report_json(article_id)  # stored as v1 JSON: sent without a parse
    if document is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return Response(document, media_type="application/json")


def _stored_report(article_id: str, store: Store) -> ArticleReport:
    report = store.get_report(article_id)
    if report is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return report


@router.get("/articles/{article_id:path}", response_model=ArticleReport,
            summary="One article's report (schema v1), readers' corrections applied")
async def api_article(article_id: str, min_confidence: str | None = MIN_CONFIDENCE, store: Store = Depends(get_store)):
    threshold = _threshold(min_confidence)
    if has_corrections(store, article_id):
        report = corrected_report(store, article_id)
        if report is not None:
            return report_response(readings_at_least(report, threshold))
    if threshold is not None:
        return report_response(readings_at_least(_stored_report(article_id, store), threshold))
    return _stored_json(article_id, store)


@router.get("/reports/{article_id:path}", response_model=ArticleReport,
            summary="The model's own report (no corrections): v1 JSON, or another text format of the registry")
async def api_report(article_id: str, store: Store = Depends(get_store),
                     fmt: str = Query("json", alias="format", pattern=f"^({'|'.join(formats.names(text_only=True))})$",
                                      description="Any text format of `sourcetrace analyze --format`."),
                     min_confidence: str | None = MIN_CONFIDENCE):
    threshold = _threshold(min_confidence)
    if fmt == "json" and threshold is None:
        return _stored_json(article_id, store)
    report = readings_at_least(_stored_report(article_id, store), threshold)
    output_format = formats.FORMATS[fmt]
    assert output_format.render is not None
    return Response(output_format.render([report], False), media_type=output_format.media_type)


@router.get("/sources", response_model=SourcePage, summary="Sources across the corpus (names merged), most cited first")
async def api_sources(
    q: str | None = Query(None, description="Substring of one of the source's names."), kind: str | None = None,
    named: bool | None = None, outlet: str | None = Query(None, description="Only sources quoted by this outlet."),
    page: int = Query(1, ge=1, le=MAX_PAGE), per_page: int = Query(50, ge=1, le=100), store: Store = Depends(get_store),
):
    return list_corpus_sources(store, q=q, kind=kind, named=named, outlet=outlet, page=page, per_page=per_page)


@router.get("/outlets", summary="Outlets with article counts and anonymous share")
async def api_outlets(store: Store = Depends(get_store)):
    return list_outlets(store)


@router.get("/outlets/{outlet:path}/timeline", summary="An outlet's sourcing profile per month")
async def api_outlet_timeline(outlet: str, store: Store = Depends(get_store)):
    timeline = outlet_timeline(store, outlet)
    if timeline is None:
        raise HTTPException(404, f"no outlet {outlet!r}")
    return timeline


@router.post("/analyze", response_model=ArticleReport, summary="Analyse a text or a public URL (optionally store it)")
def api_analyze(
    body: AnalyzeRequest, desk: Desk = Depends(get_desk), analysis: AnalysisService = Depends(get_analysis),
    min_confidence: str | None = MIN_CONFIDENCE,
):
    threshold = _threshold(min_confidence)  # refused before the analysis runs
    try:
        article = analysis.article_from_form(body.text, body.url, title=body.title, outlet=body.outlet, published=body.published)
        report = analysis.analyze(article)
    except InputError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    except Busy as exc:
        return JSONResponse({"error": str(exc)}, status_code=503, headers={"Retry-After": str(exc.retry_after)})
    if body.store and desk.add(article, report):  # the whole reading is stored; only the answer is filtered
        desk.place_new()
    return report_response(readings_at_least(report, threshold))


@router.get("/schema", summary="The JSON Schema of a v1 report")
async def api_schema():
    return json_schema()


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request):
    """A plain, offline page generated from the OpenAPI document (the stock Swagger page needs a CDN)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                 "description": p.get("description") or p.get("schema", {}).get("description", "")}
                for p in op.get("parameters", [])
            ]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "params": params, "body": "requestBody" in op})
    return templates.TemplateResponse(request, "api_docs.html", {"endpoints": endpoints, "title": "API"})
