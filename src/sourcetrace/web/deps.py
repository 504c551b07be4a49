"""What routers share: the templates, the store and the analysis service of the running app.

A router module (e.g. ``sourcetrace.web.stories``) uses ``templates`` (pages extend
``base.html``) and ``Depends(get_store)``.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

from fastapi import Request
from fastapi.templating import Jinja2Templates

from ..store import Store
from .glossary import explain

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def http_url(value: str | None) -> str | None:
    """The URL if it is http(s), else None: stored links never become javascript:/data: hrefs."""
    if not value:
        return None
    try:
        scheme = urlparse(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in {"http", "https"} else None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))  # autoescape is on for .html
templates.env.filters["http_url"] = http_url
templates.env.filters["percent"] = percent
templates.env.filters["as_json"] = as_json
templates.env.filters["explain"] = explain  # plain-language tooltips (glossary.py)


# async on purpose: FastAPI runs a plain-def dependency in the threadpool, a hop per request
async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_query_cache(request: Request):
    return request.app.state.query_cache


async def get_desk(request: Request):
    return request.app.state.desk


async def get_analysis(request: Request):
    return request.app.state.analysis
