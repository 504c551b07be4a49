"""The web app and REST API through HTTP (Starlette's test client), on SQLite and PostgreSQL."""
from __future__ import annotations

import http.server
import re
import threading

import pytest
from fastapi.testclient import TestClient

from _store_support import sample_reports, store, store_url  # noqa: F401  (fixtures)
from sourcetrace.model import Article, ArticleReport, Attribution, LoadedSpan, Source, Span

HOSTILE_TEXT = (
    "Officials said <script>window.__xss = 1; alert(1)</script> was found in the file. "
    "<img src=x onerror=\"window.__xss = 2\"> appeared too, a spokesperson said. "
    "Readers were told to click <a href=\"javascript:window.__xss = 3\">here</a>, police said."
)


def hostile_report() -> ArticleReport:
    """An article whose every field carries markup; its spans cover the markup so it is inside highlights too."""
    text = HOSTILE_TEXT
    cue = text.index("said")
    script = text.index("<script>")
    return ArticleReport(
        id="hostile-1", title="<script>window.__xss = 4</script>Title", outlet="<b onmouseover=\"window.__xss=5\">Evil</b> Outlet",
        url="javascript:window.__xss = 6", published="2024-04-01", authors=["<i>A</i>"], text=text,
        attributions=[Attribution(
            id="a1", source=Span.of(text, 0, 9), cue=Span.of(text, cue, cue + 4),
            content=Span.of(text, script, text.index(" was found")), form="indirect", source_id="s1", stance="hedged",
        )],
        sources=[Source(id="s1", name="<script>window.__xss=7</script>", kind="government", named=False,
                        descriptor="<img src=y onerror=window.__xss=8>", mentions=[Span.of(text, 0, 9)])],
        loaded_language=[LoadedSpan(**Span.of(text, text.index("<img"), text.index(" appeared")).model_dump(),
                                    technique="<svg onload=window.__xss=9>", score=0.9)],
        profile={"<key>": "<script>x</script>"},
    )


def filler_reports(n: int) -> list[ArticleReport]:
    out = []
    for i in range(n):
        text = f"A city spokesperson said lane {i} of the harbor bridge will close for repairs."
        end = text.index(" said")
        out.append(ArticleReport(
            id=f"fill-{i:03d}", title=f"Bridge lane {i}", outlet="Harbor Ledger", published=f"2023-{i % 12 + 1:02d}-10",
            text=text, attributions=[Attribution(id="a1", source=Span.of(text, 0, end), cue=Span.of(text, end + 1, end + 5),
                                                 content=Span.of(text, end + 6, len(text) - 1), form="indirect", source_id="s1")],
            sources=[Source(id="s1", name="A city spokesperson", named=False, mentions=[Span.of(text, 0, end)])],
        ))
    return out


@pytest.fixture
def filled(store, sample_reports):
    from sourcetrace.desk import Desk

    desk = Desk(store)  # the ingest sequence: each page body is rendered when its article is stored
    for article, report in sample_reports:
        desk.add(article, report)
    for report in [hostile_report(), *filler_reports(30)]:
        desk.add(Article(text=report.text), report)
    return store


@pytest.fixture
def client(filled):
    from sourcetrace.web.app import create_app

    with TestClient(create_app(filled)) as c:
        yield c


def test_article_list_search_filters_and_pages(client, sample_reports):
    first = client.get("/")
    assert first.status_code == 200
    assert f"of {len(sample_reports) + 31} articles" in first.text
    assert 'rel="next"' in first.text and "page 1 of 2" in first.text
    second = client.get(re.search(r'rel="next" href="([^"]+)"', first.text).group(1).replace("&amp;", "&"))
    assert "page 2 of 2" in second.text and 'rel="prev"' in second.text
    found = client.get("/", params={"q": "harbor bridge lane 7"})
    assert "Bridge lane 7" in found.text and "Bridge lane 8" not in found.text
    hedged = client.get("/", params={"hedged": "1", "outlet": "Harbor Ledger", "date_from": "2023-03-01", "date_to": "2023-03-31"})
    assert "0 of" in hedged.text
    anonymous = client.get("/", params={"anonymous": "1", "date_from": "2023-03-01", "date_to": "2023-03-31"})
    assert "3 of" in anonymous.text  # lanes 2, 14, 26
    bad = client.get("/", params={"date_from": "March"})
    assert "ignored the start date" in bad.text


def test_article_page_highlights_sources_profile_and_raw_link(client, sample_reports):
    _, report = max(sample_reports, key=lambda ar: len(ar[1].attributions))
    page = client.get(f"/articles/{report.id}")
    assert page.status_code == 200
    html = page.text
    assert html.count('class="seg') >= len(report.attributions)
    for role in ("source", "cue", "content"):
        assert re.search(rf'class="seg {role}', html), role
    assert 'id="sources-panel"' in html and "<h2>Profile</h2>" in html
    assert f'href="/api/v1/reports/{report.id}"' in html
    for a in report.attributions:
        assert f'id="att-{a.id}"' in html and f"stance-{a.stance}" in html
    named = [s for s in report.sources if s.named]
    if named:
        assert f"{named[0].name} ({named[0].kind}, named" in html  # the hover title names kind and namedness
    if report.loaded_language:
        assert "seg" in html and " loaded" in html
    assert client.get("/articles/does-not-exist").status_code == 404


def test_stored_markup_is_escaped_and_links_are_inert(client):
    html = client.get("/articles/hostile-1").text
    assert "<script>window" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__xss = 1" in html and "&lt;img src=x onerror=" in html
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # only ever text, never an attribute
    assert not re.search(r'href="\s*javascript:', html)
    for path in ("/", "/outlets", "/sources", "/?q=script"):
        body = client.get(path).text
        assert "<script>window" not in body and "<b onmouseover" not in body
    csp = client.get("/articles/hostile-1").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_article_page_body_is_stored_once_and_revalidated(client, filled):
    from sqlalchemy import delete, select, update

    from sourcetrace.store.models import ArticlePageRow, ArticleRow
    from sourcetrace.web.fragments import RENDER_KEY, prerender, render_body

    with filled.engine.connect() as conn:
        pk = conn.scalar(select(ArticleRow.pk).where(ArticleRow.id == "hostile-1"))
        stored = conn.execute(select(ArticlePageRow).where(ArticlePageRow.article_pk == pk)).one()
    # rendered when stored, from the same template and escaping as a live render
    assert stored.render_key == RENDER_KEY and stored.html == render_body(filled.get_report("hostile-1"))
    first = client.get("/articles/hostile-1")
    assert first.status_code == 200 and stored.html in first.text and first.headers["etag"]
    again = client.get("/articles/hostile-1", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/articles/hostile-1", headers={"If-None-Match": '"other"'}).status_code == 200

    # a body rendered by older code is rendered again on the next view, which writes nothing (GET only
    # reads); prerender (serve runs it before it starts) keeps the new body
    with filled.engine.begin() as conn:
        conn.execute(update(ArticlePageRow).where(ArticlePageRow.article_pk == pk).values(render_key="older", html="STALE", etag="x"))
    fresh = client.get("/articles/hostile-1")
    assert "STALE" not in fresh.text and fresh.text == first.text
    with filled.engine.connect() as conn:
        assert conn.scalar(select(ArticlePageRow.render_key).where(ArticlePageRow.article_pk == pk)) == "older"
    assert prerender(filled) == 1
    with filled.engine.connect() as conn:
        assert conn.scalar(select(ArticlePageRow.render_key).where(ArticlePageRow.article_pk == pk)) == RENDER_KEY

    # a store filled without bodies: prerender fills them all, once
    with filled.engine.begin() as conn:
        conn.execute(delete(ArticlePageRow))
    assert prerender(filled, batch_size=7) == filled.count()
    assert prerender(filled) == 0
    assert client.get("/articles/hostile-1").text == first.text


def test_cached_search_results_follow_new_articles(client, filled):
    before = client.get("/api/v1/search", params={"q": "bridge"}).json()["total"]
    assert client.get("/api/v1/search", params={"q": "bridge"}).json()["total"] == before
    # filler 30 is not stored yet (the fixture stores 0-29): a new text, another id
    report = ArticleReport.model_validate_json(filler_reports(31)[-1].to_json().replace("fill-030", "fill-new"))
    assert filled.add(Article(text=report.text), report)
    assert client.get("/api/v1/search", params={"q": "bridge"}).json()["total"] == before + 1
    page = client.get("/", params={"q": "bridge"}).text
    assert f"{before + 1} of {filled.count()} articles" in page


def test_outlet_page_has_a_chart(client):
    outlets = client.get("/api/v1/outlets").json()
    assert {"Harbor Ledger"} <= {o["name"] for o in outlets}
    page = client.get("/outlets/Harbor Ledger")
    assert page.status_code == 200
    assert '<svg class="chart"' in page.text and "<polyline" in page.text and "<rect" in page.text
    assert page.text.count("<tr><td>2023-") == 12
    assert client.get("/outlets/Nobody").status_code == 404
    timeline = client.get("/api/v1/outlets/Harbor Ledger/timeline").json()
    assert sum(row["articles"] for row in timeline) >= 30


def test_rest_api_returns_schema_v1(client, filled, sample_reports):
    listing = client.get("/api/v1/articles", params={"per_page": 10, "page": 2}).json()
    assert listing["page"] == 2 and len(listing["items"]) == 10 and listing["total"] == filled.count()
    _, report = sample_reports[0]
    got = client.get(f"/api/v1/articles/{report.id}")
    assert got.headers["content-type"].startswith("application/json")
    assert got.text == report.to_json()
    assert client.get(f"/api/v1/reports/{report.id}").text == report.to_json()
    assert client.get("/api/v1/articles/nope").status_code == 404
    search = client.get("/api/v1/search", params={"q": "lane 12"}).json()
    assert [i["id"] for i in search["items"]][:1] == ["fill-012"]
    sources = client.get("/api/v1/sources", params={"q": "spokesperson"}).json()
    assert sources["items"][0]["name"] == "A city spokesperson" and sources["items"][0]["articles"] == 30
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/reports/{article_id}",
                 "/api/v1/sources", "/api/v1/search", "/api/v1/analyze"):
        assert path in spec["paths"], path
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "/api/v1/search" in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/api/v1/schema").json()["title"].startswith("sourcetrace")
    assert client.get("/api/v1/articles", params={"date_to": "soon"}).status_code == 422


def test_article_ids_with_slashes_open_by_url(client, filled):
    report = filler_reports(41)[40].model_copy(update={"id": "wire/2024/05 bridge?lane"})
    filled.add(Article(text=report.text), report)
    listing = client.get("/", params={"q": "lane 40"})
    assert "/articles/wire/2024/05%20bridge%3Flane" in listing.text
    page = client.get("/articles/wire/2024/05%20bridge%3Flane")
    assert page.status_code == 200 and "Bridge lane 40" in page.text
    assert client.get("/api/v1/articles/wire/2024/05%20bridge%3Flane").json()["id"] == "wire/2024/05 bridge?lane"
    assert client.get("/articles/wire/2024/none").status_code == 404


def test_analyze_form_and_api(client, filled):
    text = "The harbor authority said on Tuesday that the ferry fares would rise, according to a statement."
    page = client.post("/analyze", data={"text": text, "title": "Fares"})
    assert page.status_code == 200 and 'id="sources-panel"' in page.text and 'class="seg' in page.text
    before = filled.count()
    stored = client.post("/analyze", data={"text": text, "title": "Fares", "store": "1"})
    assert "Stored:" in stored.text and filled.count() == before + 1
    again = client.post("/analyze", data={"text": text, "store": "1"})
    assert "Already in the store" in again.text and filled.count() == before + 1
    report = ArticleReport.from_dict(client.post("/api/v1/analyze", json={"text": text, "outlet": "X"}).json())
    assert report.text == text and report.outlet == "X" and report.attributions
    assert client.post("/analyze", data={"text": "  "}).status_code == 400


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/", "http://localhost/", "http://10.1.2.3/", "http://192.168.0.1/admin",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "file:///etc/passwd",
])
def test_url_analysis_refuses_non_public_addresses(client, url):
    response = client.post("/api/v1/analyze", json={"url": url})
    assert response.status_code == 400
    assert "refusing" in response.json()["error"] or "unsupported" in response.json()["error"]
    page = client.post("/analyze", data={"url": url})
    assert page.status_code == 400 and 'id="analyze-error"' in page.text


def test_every_redirect_is_checked_again(client, monkeypatch):
    """A public-looking first hop that redirects to a private address is refused at the redirect."""
    from sourcetrace import ingest

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.7/secret")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    checked = []
    real_check = ingest._public_address
    real_is_public = ingest.is_public_address

    def check(url, origin):
        checked.append(url)
        return real_check(url, origin)

    monkeypatch.setattr(ingest, "_public_address", check)
    # 127.0.0.1 stands in for a public first hop: the test server must be on loopback
    monkeypatch.setattr(ingest, "is_public_address", lambda ip: ip == "127.0.0.1" or real_is_public(ip))
    try:
        response = client.post("/api/v1/analyze", json={"url": f"http://127.0.0.1:{server.server_port}/start"})
    finally:
        server.shutdown()
    assert response.status_code == 400
    assert "10.0.0.7" in response.json()["error"]
    assert checked == [f"http://127.0.0.1:{server.server_port}/start", "http://10.0.0.7/secret"]


def test_bearer_token_and_origin_checks(filled):
    from sourcetrace.web.app import create_app

    with TestClient(create_app(filled, token="s3cret", allowed_hosts=["testserver"])) as c:
        assert c.get("/api/v1/articles").status_code == 401
        assert c.get("/api/v1/articles", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/v1/articles", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/").status_code == 401
        visit = c.get("/?token=s3cret&q=lane", follow_redirects=False)
        assert visit.status_code == 303 and visit.headers["location"] == "/?q=lane"
        assert c.get("/").status_code == 200  # the cookie now carries the token
        cross = c.post("/analyze", data={"text": "x said y."}, headers={"Origin": "http://evil.example"})
        assert cross.status_code == 403
        assert c.get("/", headers={"Host": "evil.example"}).status_code == 400  # DNS rebinding guard


def test_pasted_text_size_is_capped(client):
    response = client.post("/api/v1/analyze", json={"text": "word " * 50_000})
    assert response.status_code == 400 and "limit" in response.json()["error"]


class _SlowOrHuge(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/huge":
            chunk = b"<p>" + b"x" * (1024 * 1024) + b"</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(11):  # just over the 10 MB cap
                self.wfile.write(chunk)
        else:
            import time

            time.sleep(3)
            self.send_response(200)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site(monkeypatch):
    """A loopback HTTP server the app may fetch (the public-address check stands aside for its port only)."""
    from sourcetrace import ingest

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowOrHuge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    real_is_public = ingest.is_public_address
    monkeypatch.setattr(ingest, "is_public_address", lambda ip: ip == "127.0.0.1" or real_is_public(ip))
    yield base
    server.shutdown()


def test_url_bodies_are_capped_at_10_mb(client, local_site):
    response = client.post("/api/v1/analyze", json={"url": local_site + "/huge"})
    assert response.status_code == 400 and "10,485,760-byte limit (decoded)" in response.json()["error"]


def test_url_fetches_time_out(client, local_site):
    from sourcetrace.ingest import FETCH_TIMEOUT, ReadOptions

    assert client.app.state.analysis.read_options.timeout == FETCH_TIMEOUT == 20
    client.app.state.analysis.read_options = ReadOptions(allow_private_urls=False, timeout=0.5)
    response = client.post("/api/v1/analyze", json={"url": local_site + "/slow"})
    assert response.status_code == 400 and "timed out" in response.json()["error"]


def test_serve_binds_loopback_by_default():
    import inspect

    from sourcetrace.cli.store_commands import is_loopback, serve

    assert inspect.signature(serve).parameters["host"].default.default == "127.0.0.1"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_model_chooses_the_tier_of_the_analyze_form(tmp_path, monkeypatch, workers):
    """``serve --model accurate`` reaches the app's analysis service, in one process and in uvicorn workers."""
    import uvicorn
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app
    from sourcetrace.web.app import app_from_env

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: served.append(target))
    for name in ("SOURCETRACE_DB", "SOURCETRACE_TOKEN", "SOURCETRACE_ALLOWED_HOSTS", "SOURCETRACE_MODEL"):
        monkeypatch.setenv(name, "")  # so that what serve sets for its workers is undone after the test
        monkeypatch.delenv(name)
    _load_commands()
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    result = CliRunner().invoke(app, ["serve", "--db", db, "--create", "--model", "accurate", "--workers", str(workers)])
    assert result.exit_code == 0, result.output
    web_app = served[0] if workers == 1 else app_from_env()  # workers build the app from the environment
    assert web_app.state.analysis.options.model == "accurate"
    default = CliRunner().invoke(app, ["serve", "--db", db])
    assert default.exit_code == 0 and served[-1].state.analysis.options.model == "fast"


def test_report_in_any_text_format_of_the_registry(client, filled, sample_reports):
    from sourcetrace import formats

    report = sample_reports[0][1]
    for name in formats.names(text_only=True):
        response = client.get(f"/api/v1/reports/{report.id}", params={"format": name})
        assert response.status_code == 200, (name, response.text[:200])
        if name == "json":
            assert response.text == report.to_json()
        else:
            assert response.text == formats.FORMATS[name].render([report], False)
            assert response.headers["content-type"].split(";")[0] == formats.FORMATS[name].media_type.split(";")[0]
    assert client.get(f"/api/v1/reports/{report.id}", params={"format": "parquet"}).status_code == 422
