"""``create_app``: the FastAPI app (pages + /api/v1) over one ``Store``.

Security: pages are Jinja-autoescaped and sent with a strict Content-Security-Policy (scripts only
from /static, no inline script); stored links are shown as links only when http(s); unsafe methods
from another origin are refused; ``token`` requires ``Authorization: Bearer TOKEN`` (or the cookie
set by visiting any page once with ``?token=TOKEN``); ``allowed_hosts`` guards against DNS rebinding.
"""
from __future__ import annotations

import contextlib
import gc
import hmac
import importlib.util
import os
from urllib.parse import urlencode, urlparse

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..desk import Desk
from ..options import Tier
from ..pipeline import AnalysisOptions
from ..store import Store
from .analysis import AnalysisService
from .deps import STATIC_DIR
from ..store.cache import LRU

TOKEN_COOKIE = "sourcetrace_token"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]


def create_app(
    store: Store | str, token: str | None = None, allowed_hosts: list[str] | None = None,
    allow_private_urls: bool = False, options: AnalysisOptions | None = None, page_cache_size: int = 512,
) -> FastAPI:
    from . import api, corrections, glossary, pages, search, sources

    if token is not None and not token.strip():
        raise ValueError("an empty token would turn authentication off: give a token or none")
    app = FastAPI(
        lifespan=_freeze_startup_objects, title="sourcetrace", version="1", summary="Who says so? Stored articles, their sources and attributions.",
        openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None,  # the stock docs pages load a CDN
    )
    app.state.store = store if isinstance(store, Store) else Store(store)
    app.state.analysis = AnalysisService(options, allow_private_urls=allow_private_urls)
    app.state.token = token
    stories = importlib.util.find_spec("sourcetrace.web.stories") is not None
    app.state.has_stories = stories
    # the ingest sequence of this app's store-on-analyse; the articles no story holds yet (stored by an older
    # version, or by a bare Store) are placed here, once, so that the story pages' GET handlers only read
    app.state.desk = Desk(app.state.store, stories=stories)
    app.state.desk.place_new()
    # whole article pages keyed by (article, body etag); list and search results keyed by (query, store version)
    app.state.page_cache = LRU(page_cache_size)
    app.state.query_cache = LRU(256)

    app.add_exception_handler(RequestValidationError, _one_line_validation_error)  # type: ignore[arg-type]
    app.add_middleware(GuardMiddleware, token=token)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(corrections.router)  # before api: its /articles/{id}/corrections would match /articles/{id:path}
    app.include_router(api.router)
    app.include_router(sources.router)
    app.include_router(search.router)
    app.include_router(glossary.router)
    app.include_router(pages.router)
    if stories:
        module = importlib.import_module("sourcetrace.web.stories")
        app.include_router(module.router)
    return app


async def _one_line_validation_error(request: Request, exc: RequestValidationError):
    """A malformed request (a page number out of range, a body that is not JSON) is a 422 with one line
    naming each bad parameter, in the API's ``{"error": ...}`` shape or as plain text for pages."""
    reasons = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        reasons.append(f"{where}: {error.get('msg', 'invalid')}")
    message = "; ".join(reasons)[:500] or "malformed request"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=422)
    return PlainTextResponse(f"422: {message}", status_code=422)


@contextlib.asynccontextmanager
async def _freeze_startup_objects(_app):
    """The ~300,000 objects made by imports and app setup live as long as the process; frozen, the collector's
    full passes skip them (a full pass over them takes 100+ ms on this machine: a latency spike for every request
    in flight)."""
    gc.collect()
    gc.freeze()
    yield


SECURITY_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on our own form posts
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
)


class GuardMiddleware:
    """Token and same-origin checks, security headers. Plain ASGI: Starlette's BaseHTTPMiddleware costs
    several times more per request, which shows at 50 concurrent clients."""

    def __init__(self, app, token: str | None = None):
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = _check_token(request, self.token) if self.token else None
        if refusal is None and request.method not in {"GET", "HEAD", "OPTIONS"} and not _same_origin(request):
            refusal = PlainTextResponse("cross-origin request refused", status_code=403)
        if refusal is not None:
            await refusal(scope, receive, self._with_headers(send))
            return
        await self.app(scope, receive, self._with_headers(send))

    @staticmethod
    def _with_headers(send):
        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        return send_with_headers


def _check_token(request: Request, token: str):
    header = request.headers.get("authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get(TOKEN_COOKIE, "")
    if given and hmac.compare_digest(given.encode(), token.encode()):
        return None
    query_token = request.query_params.get("token")
    if query_token and hmac.compare_digest(query_token.encode(), token.encode()) and request.method == "GET":
        # a browser cannot send a header: trade the query token for a cookie and drop it from the URL
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        # one leading slash: "//evil.example/" would be a protocol-relative URL, a redirect off this site
        target = "/" + request.url.path.lstrip("/\\") + (f"?{urlencode(rest)}" if rest else "")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "missing or wrong bearer token"}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    return PlainTextResponse("401: this server needs its token: open it once as /?token=TOKEN", status_code=401)


def _same_origin(request: Request) -> bool:
    """Browsers send Origin on cross-site POSTs; refuse those (CSRF). Non-browser clients send none."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlparse(origin).netloc == request.headers.get("host", "")


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (multi-worker ``serve``): settings from the environment."""
    hosts = os.environ.get("SOURCETRACE_ALLOWED_HOSTS")
    return create_app(
        os.environ.get("SOURCETRACE_DB", "sqlite:///sourcetrace.db"), token=os.environ.get("SOURCETRACE_TOKEN") or None,
        allowed_hosts=hosts.split(",") if hosts else None,
        options=AnalysisOptions(model=Tier(os.environ.get("SOURCETRACE_MODEL", "fast"))),
    )
