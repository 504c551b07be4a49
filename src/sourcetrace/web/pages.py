"""Server-rendered pages: article list, article, outlets, sources, analyze form."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse

from ..errors import InputError
from ..store import Store
from ..store.queries import article_outlets, list_articles, list_outlets, list_sources, outlet_timeline
from .analysis import AnalysisService
from .deps import get_analysis, get_store, templates
from .params import article_query
from .views import article_context, timeline_chart

# Read-only handlers are async: they run on the event loop (SQLite answers in a few ms), which beats a thread
# hop per request and GIL contention among 40 pool threads. The analyze handlers stay sync (threadpool):
# analysis takes seconds.
router = APIRouter(include_in_schema=False)


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    context.setdefault("has_stories", request.app.state.has_stories)
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found(request: Request, what: str) -> HTMLResponse:
    return page(request, "error.html", {"title": "Not found", "message": what}, status_code=404)


@router.get("/", response_class=HTMLResponse)
async def articles_page(
    request: Request, q: str | None = None, outlet: str | None = None, date_from: str | None = None,
    date_to: str | None = None, anonymous: str | None = None, hedged: str | None = None,
    page_no: int = Query(1, alias="page", ge=1), store: Store = Depends(get_store),
):
    query, problems = article_query(q, outlet, date_from, date_to, anonymous, hedged, page_no, 25)
    result = list_articles(store, query)
    kept = {k: v for k, v in {"q": q, "outlet": outlet, "date_from": date_from, "date_to": date_to,
                                "anonymous": anonymous, "hedged": hedged}.items() if v}

    def link(n: int) -> str:
        return "/?" + urlencode({**kept, "page": n})

    return page(request, "articles.html", {
        "title": "Articles", "result": result, "query": query, "problems": problems, "outlets": article_outlets(store),
        "form": {"q": q or "", "outlet": outlet or "", "date_from": date_from or "", "date_to": date_to or "",
                 "anonymous": bool(query.anonymous), "hedged": bool(query.hedged)},
        "prev_link": link(result.page - 1) if result.page > 1 else None,
        "next_link": link(result.page + 1) if result.page < result.pages else None,
        "total": store.count(),
    })


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: str, store: Store = Depends(get_store)):
    report = store.get_report(article_id)
    if report is None:
        return not_found(request, f"No article with id {article_id!r} in this store.")
    return page(request, "article.html", {"title": report.title or report.id, "item": article_context(report), "stored": True})


@router.get("/outlets", response_class=HTMLResponse)
async def outlets_page(request: Request, store: Store = Depends(get_store)):
    return page(request, "outlets.html", {"title": "Outlets", "outlets": list_outlets(store)})


@router.get("/outlets/{outlet}", response_class=HTMLResponse)
async def outlet_page(request: Request, outlet: str, store: Store = Depends(get_store)):
    timeline = outlet_timeline(store, outlet)
    if timeline is None:
        return not_found(request, f"No outlet named {outlet!r} in this store.")
    return page(request, "outlet.html", {"title": outlet, "outlet": outlet, "timeline": timeline, "chart": timeline_chart(timeline)})


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(
    request: Request, q: str | None = None, kind: str | None = None, page_no: int = Query(1, alias="page", ge=1),
    store: Store = Depends(get_store),
):
    result = list_sources(store, q=q, kind=kind or None, page=page_no, per_page=50)
    kept = {k: v for k, v in {"q": q, "kind": kind}.items() if v}
    return page(request, "sources.html", {
        "title": "Sources", "result": result, "form": {"q": q or "", "kind": kind or ""},
        "prev_link": "/sources?" + urlencode({**kept, "page": result.page - 1}) if result.page > 1 else None,
        "next_link": "/sources?" + urlencode({**kept, "page": result.page + 1}) if result.page < result.pages else None,
    })


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request):
    return page(request, "analyze.html", {"title": "Analyze", "form": {}})


@router.post("/analyze", response_class=HTMLResponse)
def analyze_submit(
    request: Request, text: str = Form(""), url: str = Form(""), title: str = Form(""), outlet: str = Form(""),
    store_it: str = Form("", alias="store"), store: Store = Depends(get_store),
    analysis: AnalysisService = Depends(get_analysis),
):
    form = {"text": text, "url": url, "title": title, "outlet": outlet, "store": bool(store_it)}
    try:
        article = analysis.article_from_form(text, url, title=title, outlet=outlet)
    except InputError as exc:
        return page(request, "analyze.html", {"title": "Analyze", "form": form, "error": str(exc)}, status_code=400)
    report = analysis.analyze(article)
    stored = None
    if store_it:
        stored = store.add(article, report)
    return page(request, "analyze.html", {
        "title": "Analyze", "form": form, "item": article_context(report), "stored": stored,
    })
