"""The who-said-what page: statements by speaker, words, outlet, dates, stance and anonymity, matches marked."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ..store import Store
from ..store.queries import STANCES, article_outlets
from ..store.statement_search import marked_pieces, search_statements
from .deps import get_store, templates
from .params import MAX_PAGE, statement_query

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request, speaker: str | None = None, said: str | None = None, outlet: str | None = None,
    date_from: str | None = None, date_to: str | None = None, anonymous: str | None = None, stance: str | None = None,
    page_no: int = Query(1, alias="page", ge=1, le=MAX_PAGE), store: Store = Depends(get_store),
):
    form = {"speaker": speaker or "", "said": said or "", "outlet": outlet or "", "date_from": date_from or "",
            "date_to": date_to or "", "anonymous": bool(anonymous), "stance": stance or ""}
    asked = any(v for k, v in form.items() if k != "outlet") or bool(outlet)
    query, problems = statement_query(speaker, said, outlet, date_from, date_to, anonymous, stance, page_no, 25)
    result = search_statements(store, query) if asked else None
    if result:
        for item in result["items"]:
            item["pieces"] = marked_pieces(item["content"] or "", [tuple(h) for h in item["highlights"]])
    kept = {k: v for k, v in form.items() if v}
    link = lambda n: "/search?" + urlencode({**{k: (1 if v is True else v) for k, v in kept.items()}, "page": n})  # noqa: E731
    return templates.TemplateResponse(request, "search.html", {
        "title": "Who said what", "form": form, "result": result, "problems": problems, "stances": STANCES,
        "outlets": article_outlets(store, request.app.state.query_cache), "has_stories": request.app.state.has_stories,
        "prev_link": link(result["page"] - 1) if result and result["page"] > 1 else None,
        "next_link": link(result["page"] + 1) if result and result["page"] < result["pages"] else None,
    })
