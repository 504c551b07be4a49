"""Server-rendered pages: article list, article, outlets, sources, analyze form."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from ..desk import Desk
from ..errors import InputError
from ..store import Store
from ..store.corpus_sources import list_corpus_sources
from ..store.queries import article_outlets, cached, list_articles, list_outlets, outlet_timeline
from .analysis import AnalysisService, Busy
from . import fragments
from .deps import TEMPLATES_DIR, get_analysis, get_desk, get_store, templates
from .params import MAX_PAGE, article_query, confidence_threshold
from .views import article_context, timeline_chart

# Read-only handlers are async: they run on the event loop (SQLite answers in a few ms), which beats a thread
# hop per request and GIL contention among 40 pool threads. The analyze handlers stay sync (threadpool):
# analysis takes seconds.
router = APIRouter(include_in_schema=False)
ARTICLE_FRAME = templates.env.get_template("article.html")
ARTICLES_PAGE = templates.env.get_template("articles.html")
# the frame around a stored body: part of the article page's ETag
FRAME_KEY = fragments.body_etag("".join((TEMPLATES_DIR / n).read_text(encoding="utf-8") for n in ("base.html", "article.html")))[:12]


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    context.setdefault("has_stories", request.app.state.has_stories)
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found(request: Request, what: str) -> HTMLResponse:
    return page(request, "error.html", {"title": "Not found", "message": what}, status_code=404)


@router.get("/", response_class=HTMLResponse)
async def articles_page(
    request: Request, q: str | None = None, outlet: str | None = None, date_from: str | None = None,
    date_to: str | None = None, anonymous: str | None = None, hedged: str | None = None,
    page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE), store: Store = Depends(get_store),
):
    """The rendered page is kept per (parameters, store version): it only changes when articles are added."""
    params = (q, outlet, date_from, date_to, anonymous, hedged, page_no)
    cache, has_stories = request.app.state.query_cache, request.app.state.has_stories
    content = cached(store, cache, ("articles page", params, has_stories),
                     lambda: render_articles_page(store, cache, has_stories, *params))
    return HTMLResponse(content)


def render_articles_page(store: Store, cache, has_stories: bool, q, outlet, date_from, date_to, anonymous, hedged, page_no) -> bytes:
    query, problems = article_query(q, outlet, date_from, date_to, anonymous, hedged, page_no, 25)
    result = list_articles(store, query)
    kept = {k: v for k, v in {"q": q, "outlet": outlet, "date_from": date_from, "date_to": date_to,
                                "anonymous": anonymous, "hedged": hedged}.items() if v}

    def link(n: int) -> str:
        return "/?" + urlencode({**kept, "page": n})

    return ARTICLES_PAGE.render({
        "title": "Articles", "result": result, "query": query, "problems": problems, "has_stories": has_stories,
        "outlet_options": outlet_options(store, cache, query.outlet),
        "form": {"q": q or "", "outlet": outlet or "", "date_from": date_from or "", "date_to": date_to or "",
                 "anonymous": bool(query.anonymous), "hedged": bool(query.hedged)},
        "prev_link": link(result.page - 1) if result.page > 1 else None,
        "next_link": link(result.page + 1) if result.page < result.pages else None,
        "total": store.version()[0],
    }).encode("utf-8")


def outlet_options(store: Store, cache, selected: str | None) -> Markup:
    """The outlet <option>s of the filter form, escaped once per store version (hundreds of outlets)."""
    options = cached(store, cache, "outlet_options", lambda: [
        (name, f'<option value="{escape(name)}">{escape(name)}</option>') for name in article_outlets(store)
    ])
    return Markup("".join(html.replace("<option ", "<option selected ", 1) if name == selected else html for name, html in options))


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: str, min_confidence: str | None = None,
                       store: Store = Depends(get_store)):
    """The stored body (rendered when the article was stored) in the page frame; 304 when the browser has it,
    the whole page from this process's LRU when it was served lately. ``min_confidence`` hides the readings
    below it: that body is rendered from the stored report (a few ms) and kept in the LRU only."""
    threshold, problems = confidence_threshold(min_confidence)
    if problems:
        return page(request, "error.html", {"title": "Bad parameter", "message": problems[0]}, status_code=400)
    found = fragments.head(store, article_id)
    if found is None:
        return not_found(request, f"No article with id {article_id!r} in this store.")
    has_stories = request.app.state.has_stories
    # a filtered body follows from the stored one's report and the code: its ETag is the stored body's, marked
    variant = f"-m{threshold:g}" if threshold is not None else ""

    def page_etag(body: str) -> str:
        return f'"{body}-{FRAME_KEY}{int(has_stories)}{variant}"'

    body_etag = found.etag
    if threshold is None:
        html = fragments.stored_body(store, found.pk, body_etag) if body_etag else None
    elif body_etag and (page_etag(body_etag) in request.headers.get("if-none-match", "")
                        or request.app.state.page_cache.get((found.pk, page_etag(body_etag))) is not None):
        html = ""  # a 304 or the page this process rendered lately: nothing to render
    else:
        html = None
    if html is None:  # stored by an older version, rendered by older code, replaced meanwhile, or filtered
        rendered = await run_in_threadpool(fragments.render_stored, store, found.pk, threshold)
        if rendered is None:
            return not_found(request, f"No article with id {article_id!r} in this store.")
        html, rendered_etag = rendered
        body_etag = body_etag or rendered_etag
    assert body_etag is not None  # the stored body's, or the one just rendered
    etag = page_etag(body_etag)
    headers = {"etag": etag, "cache-control": "no-cache"}  # no-cache: revalidate each time, a 304 costs little
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    key = (found.pk, etag)
    content = request.app.state.page_cache.get(key)
    if content is None:
        content = ARTICLE_FRAME.render(title=found.title, body=Markup(html), has_stories=has_stories).encode("utf-8")
        request.app.state.page_cache.put(key, content)
    return HTMLResponse(content, headers=headers)


@router.get("/outlets", response_class=HTMLResponse)
async def outlets_page(request: Request, store: Store = Depends(get_store)):
    return page(request, "outlets.html", {"title": "Outlets", "outlets": list_outlets(store)})


@router.get("/outlets/{outlet:path}", response_class=HTMLResponse)
async def outlet_page(request: Request, outlet: str, store: Store = Depends(get_store)):
    timeline = outlet_timeline(store, outlet)
    if timeline is None:
        return not_found(request, f"No outlet named {outlet!r} in this store.")
    return page(request, "outlet.html", {"title": outlet, "outlet": outlet, "timeline": timeline, "chart": timeline_chart(timeline)})


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(
    request: Request, q: str | None = None, kind: str | None = None, page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE),
    store: Store = Depends(get_store),
):
    result = list_corpus_sources(store, q=q, kind=kind or None, page=page_no, per_page=50)
    kept = {k: v for k, v in {"q": q, "kind": kind}.items() if v}
    return page(request, "sources.html", {
        "title": "Sources", "result": result, "form": {"q": q or "", "kind": kind or ""},
        "prev_link": "/sources?" + urlencode({**kept, "page": result["page"] - 1}) if result["page"] > 1 else None,
        "next_link": "/sources?" + urlencode({**kept, "page": result["page"] + 1}) if result["page"] < result["pages"] else None,
    })


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request):
    return page(request, "analyze.html", {"title": "Analyze", "form": {}})


@router.post("/analyze", response_class=HTMLResponse)
def analyze_submit(
    request: Request, text: str = Form(""), url: str = Form(""), title: str = Form(""), outlet: str = Form(""),
    store_it: str = Form("", alias="store"), desk: Desk = Depends(get_desk),
    analysis: AnalysisService = Depends(get_analysis),
):
    form = {"text": text, "url": url, "title": title, "outlet": outlet, "store": bool(store_it)}
    try:
        article = analysis.article_from_form(text, url, title=title, outlet=outlet)
        report = analysis.analyze(article)
    except InputError as exc:
        return page(request, "analyze.html", {"title": "Analyze", "form": form, "error": str(exc)}, status_code=400)
    except Busy as exc:
        response = page(request, "analyze.html", {"title": "Analyze", "form": form, "error": str(exc)}, status_code=503)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    stored = None
    if store_it:
        stored = desk.add(article, report)
        if stored:
            desk.place_new()
    return page(request, "analyze.html", {
        "title": "Analyze", "form": form, "item": article_context(report), "stored": stored,
    })
