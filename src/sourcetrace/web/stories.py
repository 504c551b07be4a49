"""The story pages: a list of stories and one story's trace (outlets on a timeline, claim table,
citation graph as inline SVG), plus their JSON under /api/v1/stories (the old /api/stories redirects).
Every handler only reads: articles are placed in stories by the ingest sequence (``sourcetrace.desk``)."""
from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from ..store import Store
from ..stories.render import chain_text
from ..stories.service import ordered_members, story_summaries, trace_stored_story
from ..stories.trace import sort_time
from .deps import get_store, templates

router = APIRouter()


def _stories(request: Request, store: Store) -> dict[str, list[str]]:
    """The app's desk keeps the story index it loaded; a request catches up with what was placed since."""
    return request.app.state.desk.story_members()


def _listing(request: Request, store: Store) -> list[dict]:
    return story_summaries(store, _stories(request, store))


def _trace(request: Request, store: Store, story_id: str) -> dict:
    members = _stories(request, store)
    if story_id not in members:
        raise HTTPException(status_code=404, detail=f"no story {story_id}")
    return trace_stored_story(store, story_id, ordered_members(store, members[story_id]))


# ------------------------------------------------------------------ SVG layouts

def timeline_svg(story: dict, width: int = 860) -> dict:
    """Outlets placed by published time on one axis; undated ones in a column at the right."""
    items = story["timeline"]
    dated = [(sort_time(i["published"])[1], i) for i in items if sort_time(i["published"])[0] == 0]
    undated = [i for i in items if sort_time(i["published"])[0] == 1]
    left, right = 90, width - (220 if undated else 90)  # room for a centred outlet name at either end
    points = []
    if dated:
        from datetime import datetime

        times = [datetime.fromisoformat(t).timestamp() for t, _ in dated]
        lo, hi = min(times), max(times)
        for k, ((_, item), t) in enumerate(zip(dated, times)):
            x = left + (right - left) * ((t - lo) / (hi - lo) if hi > lo else 0.5)
            points.append({"x": round(x, 1), "y": 40 + (k % 4) * 22, "label": item["outlet"], "when": item["published"],
                           "article": item["article"], "first": item["article"] == story["first_report"]})
    for k, item in enumerate(undated):
        points.append({"x": width - 140, "y": 40 + k * 22, "label": item["outlet"], "when": "undated",
                       "article": item["article"], "first": False})
    height = max([p["y"] for p in points] + [40]) + 30
    return {"width": width, "height": height, "left": left, "right": right, "points": points}


MAX_PER_LAYER = 10  # nodes per column of the citation graph: at most ~10 x 46 px + margins high


def graph_svg(story: dict, width: int = 860) -> dict:
    """Who cites whom and on whom they rest: a layered drawing, each node at its deepest place in a chain."""
    depth: dict[str, int] = {}
    kinds: dict[str, dict] = {}
    edges: dict[tuple[str, str], dict] = {}
    for chain in story["chains"]:
        path = chain["path"]
        for k, node in enumerate(path):
            key = node.get("key") or node["label"]
            depth[key] = max(depth.get(key, 0), k)
            kinds.setdefault(key, node)
            if k:
                prev = path[k - 1].get("key") or path[k - 1]["label"]
                edges.setdefault((prev, key), {"first_report": bool(node.get("first_report")), "kind": node["kind"]})
    for edge in story["citations"]:
        for key, kind in ((edge["from"], "article"), (edge["to"], "outlet")):
            depth.setdefault(key, 0 if kind == "article" else 1)
            kinds.setdefault(key, {"label": key, "kind": kind})
        depth[edge["to"]] = max(depth[edge["to"]], depth[edge["from"]] + 1)
        entry = edges.setdefault((edge["from"], edge["to"]), {"first_report": False, "kind": "outlet"})
        entry["first_report"] = entry["first_report"] or edge["first_report"]
    layers: dict[int, list[str]] = {}
    for key, d in sorted(depth.items(), key=lambda kv: (kv[1], kv[0])):
        layers.setdefault(d, []).append(key)
    # a layer of more than MAX_PER_LAYER nodes keeps its most connected ones and groups the rest into one node, so
    # the drawing fits a screen however many outlets a story has (the full lists are in the tables below it)
    degree: dict[str, int] = defaultdict(int)
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    group_of: dict[str, str] = {}
    for d, keys in layers.items():
        if len(keys) > MAX_PER_LAYER:
            ranked = sorted(keys, key=lambda k: (-degree[k], k))
            kept, rest = ranked[:MAX_PER_LAYER - 1], ranked[MAX_PER_LAYER - 1:]
            group = f"+{len(rest)} more ({d})"
            kinds[group] = {"label": f"+{len(rest)} more", "kind": "group",
                            "members": ", ".join(sorted(kinds[k]["label"] for k in rest))}
            for member in rest:
                group_of[member] = group
            layers[d] = sorted(kept) + [group]
    if group_of:
        grouped: dict[tuple[str, str], dict] = {}
        for (a, b), meta in edges.items():
            key = (group_of.get(a, a), group_of.get(b, b))
            entry = grouped.setdefault(key, dict(meta))
            entry["first_report"] = entry["first_report"] or meta["first_report"]
        edges = grouped
    n_layers = max(layers) + 1 if layers else 1
    col = (width - 200) / max(n_layers - 1, 1)
    pos = {}
    for d, keys in layers.items():
        for k, key in enumerate(keys):
            pos[key] = (round(20 + d * col, 1), 30 + k * 46)
    nodes = [{"x": x, "y": y, "label": kinds[key]["label"], "kind": kinds[key]["kind"],
              "anonymous": bool(kinds[key].get("anonymous")), "members": kinds[key].get("members", "")}
             for key, (x, y) in pos.items()]
    lines = [{"x1": pos[a][0] + 170, "y1": pos[a][1], "x2": pos[b][0] - 4, "y2": pos[b][1], **meta}
             for (a, b), meta in edges.items() if a in pos and b in pos and a != b]
    height = max([y for _, y in pos.values()] + [30]) + 30
    return {"width": width, "height": height, "nodes": nodes, "edges": lines}


# ------------------------------------------------------------------ pages

_LIST = """{% extends "base.html" %}
{% block title %}Stories{% endblock %}
{% block content %}
<h1>Stories</h1>
<p>{{ stories | length }} stories over the stored articles: each groups the reports of one event across outlets.</p>
<table class="list" id="stories">
<thead><tr><th>story</th><th>articles</th><th title="by published time; the story page says which is the first report (citations, opinion, ties)">earliest article</th><th>outlets</th></tr></thead>
<tbody>
{% for s in stories %}<tr><td><a href="/stories/{{ s.story | urlencode }}">{{ s.story }}</a></td><td>{{ s.articles | length }}</td>
<td>{{ s.published or "undated" }}: {{ s.title }}</td><td>{{ s.outlets | join(", ") }}</td></tr>
{% endfor %}</tbody></table>
{% endblock %}"""

_STORY = """{% extends "base.html" %}
{% block title %}Story {{ story.story }}{% endblock %}
{% block content %}
<h1>Story {{ story.story }}</h1>
<p id="first-report">{{ story.articles | length }} article(s); {% if story.first_report_tied %}first report: a tie between {% for a in story.first_report_tied %}<a href="/articles/{{ a | urlencode }}">{{ a }}</a>{% if not loop.last %}, {% endif %}{% endfor %}{% else %}first report: <a href="/articles/{{ story.first_report | urlencode }}">{{ story.first_report }}</a>{% endif %}
{% if story.first_report_reason %} <span class="meta">({{ story.first_report_reason }})</span>{% endif %}
{% if story.first_report_cited %}; cited as first report: {{ story.first_report_cited | join(", ") }}{% endif %}</p>
{% for flag in story.flags %}<p class="flag">{{ flag }}</p>{% endfor %}
<h2>Outlets on a timeline</h2>
<svg class="chart" id="story-timeline" viewBox="0 0 {{ tl.width }} {{ tl.height }}" role="img" aria-label="outlets by published time">
<line x1="{{ tl.left }}" y1="20" x2="{{ tl.right }}" y2="20" class="axis"/>
{% for p in tl.points %}<g><circle cx="{{ p.x }}" cy="20" r="{{ 6 if p.first else 4 }}" class="dot{% if p.first %} first{% endif %}"><title>{{ p.label }} · {{ p.when }}</title></circle>
<line x1="{{ p.x }}" y1="24" x2="{{ p.x }}" y2="{{ p.y - 10 }}" class="axis"/>
<text x="{{ p.x }}" y="{{ p.y }}" class="tick" text-anchor="middle">{{ p.label }}</text></g>
{% endfor %}</svg>
<h2>Who cites whom</h2>
<svg class="chart" id="citation-graph" viewBox="0 0 {{ graph.width }} {{ graph.height }}" role="img" aria-label="citation graph">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>
{% for e in graph.edges %}<line x1="{{ e.x1 }}" y1="{{ e.y1 }}" x2="{{ e.x2 }}" y2="{{ e.y2 }}" class="edge{% if e.first_report %} first{% endif %}" stroke="currentColor" marker-end="url(#arrow)"><title>{% if e.first_report %}first report{% else %}cites / rests on{% endif %}</title></line>
{% endfor %}{% for n in graph.nodes %}<g class="node {{ n.kind }}{% if n.anonymous %} anonymous{% endif %}"><rect x="{{ n.x }}" y="{{ n.y - 13 }}" width="170" height="24" rx="4" fill="none" stroke="currentColor"/>
<text x="{{ n.x + 6 }}" y="{{ n.y + 4 }}" class="tick">{{ n.label[:26] }}{% if n.anonymous %} (anon.){% endif %}</text>{% if n.members %}<title>{{ n.members }}</title>{% endif %}</g>
{% endfor %}</svg>
<ul id="chains">{% for c in chains %}<li>{{ c }}</li>{% endfor %}</ul>
{% if story.citations %}<table class="list" id="citations"><thead><tr><th>outlet</th><th>cites</th><th>evidence</th></tr></thead><tbody>
{% for e in story.citations %}<tr><td>{{ e.from }}</td><td>{{ e.to }}{% if e.first_report %} (first report){% endif %}</td><td>“{{ e.evidence }}”</td></tr>{% endfor %}
</tbody></table>{% endif %}
<h2>Claims</h2>
<table class="list" id="claims">
<thead><tr><th>claim (first version)</th><th>first</th><th>re-reported by</th><th>independent sources</th><th>mutations</th></tr></thead>
<tbody>
{% for c in story.claims %}<tr><td>{{ c.text }}</td><td>{{ c.first.outlet }}{% for f in c.first.flags %} <em>({{ f }})</em>{% endfor %}</td>
<td>{{ c.outlets[1:] | join(", ") }}</td>
<td>{{ c.corroboration.independent_sources }}{% if c.corroboration.single_anonymous %} (one anonymous source){% endif %}</td>
<td>{% for v in c.versions %}{% for m in v.mutations %}<div>{{ v.outlet }}: {{ m.kind | replace("_", " ") }} — {{ m.detail }}</div>{% endfor %}{% endfor %}</td></tr>
{% endfor %}</tbody></table>
{% endblock %}"""


def _page(request: Request, source: str, context: dict) -> HTMLResponse:
    html = templates.env.from_string(source).render(request=request, has_stories=True, **context)
    return HTMLResponse(html)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, store: Store = Depends(get_store)):
    return _page(request, _LIST, {"stories": _listing(request, store)})


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, request: Request, store: Store = Depends(get_store)):
    story = _trace(request, store, story_id)
    return _page(request, _STORY, {"story": story, "tl": timeline_svg(story), "graph": graph_svg(story),
                                   "chains": [chain_text(c["path"]) for c in story["chains"]]})


@router.get("/api/v1/stories", summary="Stories: one line each, largest first")
def stories_api(request: Request, store: Store = Depends(get_store)):
    return JSONResponse(_listing(request, store))


@router.get("/api/v1/stories/{story_id}", summary="One story's trace: timeline, citations, chains, claims")
def story_api(story_id: str, request: Request, store: Store = Depends(get_store)):
    return JSONResponse(_trace(request, store, story_id))


@router.get("/api/stories", include_in_schema=False)
@router.get("/api/stories/{story_id}", include_in_schema=False)
def old_stories_api(request: Request):
    """The stories API before it moved under /api/v1: a permanent redirect, query kept."""
    url = request.url
    return RedirectResponse(url.replace(path="/api/v1" + url.path[len("/api"):]).path
                            + (f"?{url.query}" if url.query else ""), status_code=308)
