"""The structure an HTML page gives its article (``sourcetrace.htmlstructure``, ``Article.structure``) and what the
analysis makes of it, on a page written for these tests (tests/data/html/harbor.html): a figure with a caption and
credit and a kept caption paragraph ending in a credit around a quote, an <h2>, a <blockquote> after "X said:", a
tweet embed trafilatura keeps and one in a WordPress embed wrapper that it drops, a <ul>, a "Related" aside and a
newsletter box."""
from __future__ import annotations

import http.server
import io
import json
import re
import subprocess
import sys
import threading
from types import SimpleNamespace

import pytest

from conftest import REPO, assert_spans_index_text, send_body
from sourcetrace.extractors.structure import StructureReader, article_regions, with_page_regions
from sourcetrace.errors import InputError
from sourcetrace.ingest import article_from_html, read_inputs
from sourcetrace.lexicons import english
from sourcetrace.model import Article, Region

PAGE = REPO / "tests" / "data" / "html" / "harbor.html"

PAGE_TEXT = """Harbor Board Approves Dredging Plan
PORTSMOUTH, N.H. — The harbor board approved a $40 million dredging plan on Tuesday after a year of hearings.
Trawlers crowd the fish pier before dawn. Sam Lee/Coastal Ledger
“This keeps the port open for another generation,” board chair Maria Velasquez said.
Fishermen worry about the spring season
Fishermen said the work would disrupt the spring season, when most boats go out.
Harbor master Tom Reilly said:
We will schedule the dredging around the tides. No boat will be kept in port for more than a day.
The fleet has waited ten years for this channel, and it will get it.
The state senator reacted within minutes of the vote.
This plan is a victory for every family that fishes out of Portsmouth. We will keep watching.
— Dana Kim (@SenDanaKim) May 7, 2024
A city councilor answered an hour later.
Dredging in October means no catch until spring. The board did not listen.
— Omar Haddad (@OmarHaddadNH) May 7, 2024
The plan covers three parts of the channel:
- the outer bar, dredged to 35 feet;
- the turning basin near the fish pier;
- the approach to the commercial wharf.
Work is expected to begin in October, the board said."""


def typed(text: str, regions) -> list[tuple[str, str]]:
    return [(r.kind, text[r.start:r.end]) for r in regions]


@pytest.fixture(scope="module")
def page_article() -> Article:
    (article,) = list(read_inputs([str(PAGE)]))
    assert isinstance(article, Article)
    return article


@pytest.fixture(scope="module")
def page_report(page_article, analyzer):
    return analyzer.analyze(page_article)


def test_page_markup_types_whole_lines_of_the_text(page_article):
    # trafilatura's text, with the tweet it dropped from its embed wrapper put back where the page has it
    assert page_article.text == PAGE_TEXT
    assert typed(page_article.text, page_article.structure) == [
        ("heading", "Harbor Board Approves Dredging Plan"),
        ("body", "PORTSMOUTH, N.H. — The harbor board approved a $40 million dredging plan on Tuesday after a year of hearings."),
        ("caption", "Trawlers crowd the fish pier before dawn."), ("photo_credit", "Sam Lee/Coastal Ledger"),
        ("body", "“This keeps the port open for another generation,” board chair Maria Velasquez said."),
        ("heading", "Fishermen worry about the spring season"),
        ("body", "Fishermen said the work would disrupt the spring season, when most boats go out."),
        ("body", "Harbor master Tom Reilly said:"),
        ("block_quote", "We will schedule the dredging around the tides. No boat will be kept in port for more than a day.\n"
                         "The fleet has waited ten years for this channel, and it will get it."),
        ("body", "The state senator reacted within minutes of the vote."),
        ("embedded_post", "This plan is a victory for every family that fishes out of Portsmouth. We will keep watching."),
        ("embedded_post", "— Dana Kim (@SenDanaKim) May 7, 2024"),
        ("body", "A city councilor answered an hour later."),
        ("embedded_post", "Dredging in October means no catch until spring. The board did not listen."),
        ("embedded_post", "— Omar Haddad (@OmarHaddadNH) May 7, 2024"),
        ("body", "The plan covers three parts of the channel:"),
        ("list_item", "- the outer bar, dredged to 35 feet;"), ("list_item", "- the turning basin near the fish pier;"),
        ("list_item", "- the approach to the commercial wharf."),
        ("body", "Work is expected to begin in October, the board said.")]
    ends = [(r.start, r.end) for r in page_article.structure]
    assert ends == sorted(ends) and all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))  # in order, none overlapping
    # what trafilatura leaves out stays out: the figure's caption, the byline, the aside and the newsletter box
    for gone in ("Boats wait", "Jane Roe", "By Lena Ortiz", "Related", "Port budget passes", "Sign up", "©"):
        assert gone not in page_article.text
    assert page_article.authors == ["Lena Ortiz"] and page_article.title == "Harbor Board Approves Dredging Plan"


def test_report_structure_and_speakers_from_the_page(page_report):
    report = page_report
    assert_spans_index_text(report)
    assert [(k, t) for k, t in typed(report.text, report.structure) if k != "body"] == [
        ("heading", "Harbor Board Approves Dredging Plan"), ("dateline", "PORTSMOUTH, N.H. —"),
        ("caption", "Trawlers crowd the fish pier before dawn."), ("photo_credit", "Sam Lee/Coastal Ledger"),
        ("heading", "Fishermen worry about the spring season"),
        ("block_quote", "We will schedule the dredging around the tides. No boat will be kept in port for more than a day.\n"
                         "The fleet has waited ten years for this channel, and it will get it."),
        ("embedded_post", "This plan is a victory for every family that fishes out of Portsmouth. We will keep watching."),
        ("embedded_post", "— Dana Kim (@SenDanaKim) May 7, 2024"),
        ("embedded_post", "Dredging in October means no catch until spring. The board did not listen."),
        ("embedded_post", "— Omar Haddad (@OmarHaddadNH) May 7, 2024"),
        ("list_item", "- the outer bar, dredged to 35 feet;"), ("list_item", "- the turning basin near the fish pier;"),
        ("list_item", "- the approach to the commercial wharf.")]
    sources = {s.id: s.name for s in report.sources}
    said = {a.content.text: (a.source.text if a.source else None, sources.get(a.source_id)) for a in report.attributions}
    assert said["“This keeps the port open for another generation,”"] == ("board chair Maria Velasquez", "Maria Velasquez")
    # the block quote's two paragraphs are one quote, its cue line's speaker's (not the second the outlet's claim)
    assert said["We will schedule the dredging around the tides. No boat will be kept in port for more than a day.\n"
                "The fleet has waited ten years for this channel, and it will get it."] == ("Harbor master Tom Reilly", "Tom Reilly")
    assert said["This plan is a victory for every family that fishes out of Portsmouth. We will keep watching."] == (
        "Dana Kim", "Dana Kim")
    assert said["Dredging in October means no catch until spring. The board did not listen."] == ("Omar Haddad", "Omar Haddad")
    # the photographer speaks for no one and the caption is no statement; the paragraph is no heading
    assert not any("Sam Lee" in (s or "") or "Trawlers" in c for c, (s, _) in said.items())
    assert not any("Trawlers" in c.text or "Sam Lee" in c.text for c in report.claims)
    assert "The plan covers three parts of the channel" in [c.text for c in report.claims]
    assert not any("The fleet has waited" in c.text for c in report.claims)
    # the block quote's first sentence is not read a second time on its own
    assert not any(c.startswith("We will schedule") and "\n" not in c for c in said)
    # "The harbor board" is no headline the tagger took for a name
    assert "Harbor Board Approves Dredging Plan" not in sources.values()


def test_dropped_post_stays_out_where_the_page_has_no_place_for_it():
    """A tweet outside the article (a sidebar) has no two consecutive article lines around it: not put back."""
    html = PAGE.read_text(encoding="utf-8").replace(
        "</main>", '</main><div class="sidebar"><figure class="wp-block-embed"><div><blockquote class="twitter-tweet">'
                   "<p>Follow us for harbor news every morning of the week.</p>&mdash; Coastal Ledger (@CoastalLedger) "
                   '<a href="https://twitter.com/x/status/3">May 1, 2024</a></blockquote></div></figure></div>')
    article = article_from_html(html, "sidebar.html")
    assert article.text == PAGE_TEXT


def test_page_kinds_over_line_rules():
    text = "Storm Hits The Coast Tonight\nTides Rose Four Feet On Monday Night\nRead more: Port budget passes\nBoats wait. Jo Li/AP"

    def at(kind, words):
        return Region(kind=kind, start=text.index(words), end=text.index(words) + len(words))

    page = [at("heading", "Storm Hits The Coast Tonight"), at("body", "Tides Rose Four Feet On Monday Night"),
            at("list_item", "Read more: Port budget passes"), at("caption", "Boats wait."), at("photo_credit", "Jo Li/AP")]
    rules = article_regions(text, lexicons=english())
    assert typed(text, rules)[1] == ("heading", "Tides Rose Four Feet On Monday Night")  # what the rules alone guess
    assert typed(text, with_page_regions(text, page, rules, english())) == [
        ("heading", "Storm Hits The Coast Tonight"),
        ("body", "Tides Rose Four Feet On Monday Night"),  # the page says paragraph: no heading guess
        ("boilerplate", "Read more: Port budget passes"),  # a kept "Related" item is the lexicon's boilerplate
        ("caption", "Boats wait."), ("photo_credit", "Jo Li/AP")]
    # plain text (no page regions) is the line rules' alone
    assert with_page_regions(text, [], rules, english()) == rules


def test_reader_leaves_out_page_regions_past_a_cut_text():
    article = article_from_html(PAGE.read_text(encoding="utf-8"), "harbor.html")
    cut = article.text.index("A city councilor")
    report = SimpleNamespace(text=article.text[:cut], authors=[], structure=None)
    StructureReader(english())(SimpleNamespace(article=article, report=report))
    assert report.structure[-1].end <= cut
    assert typed(report.text, report.structure)[-2:] == [
        ("embedded_post", "This plan is a victory for every family that fishes out of Portsmouth. We will keep watching."),
        ("embedded_post", "— Dana Kim (@SenDanaKim) May 7, 2024")]


def test_cli_analyze_html_page(tmp_path):
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "sourcetrace", "analyze", str(PAGE), "--format", "json", "-o", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    data = data[0] if isinstance(data, list) else data
    kinds = [(r["kind"], data["text"][r["start"]:r["end"]]) for r in data["structure"]]
    assert ("photo_credit", "Sam Lee/Coastal Ledger") in kinds and ("list_item", "- the outer bar, dredged to 35 feet;") in kinds
    names = {s["id"]: s["name"] for s in data["sources"]}
    posts = [(names.get(a["source_id"]), a["content"]["text"]) for a in data["attributions"] if a["cue"] and a["cue"]["text"] == "—"]
    assert posts == [("Dana Kim", "This plan is a victory for every family that fishes out of Portsmouth. We will keep watching."),
                     ("Omar Haddad", "Dredging in October means no catch until spring. The board did not listen.")]


class _PageHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        send_body(self, PAGE.read_bytes())

    def log_message(self, *args):
        pass


def test_url_and_warc_readers_carry_the_page_structure(tmp_path, page_article):
    """Every HTML reader goes through article_from_html: a URL (a real local server) and a WARC record give the
    file's text and regions."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as fh:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        WARCWriter(fh, gzip=True).write_record(WARCWriter(fh, gzip=True).create_warc_record(
            "https://ledger.example/harbor", "response", payload=io.BytesIO(PAGE.read_bytes()), http_headers=headers))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        read = list(read_inputs([f"http://127.0.0.1:{server.server_address[1]}/harbor", str(warc)]))
    finally:
        server.shutdown()
    assert len(read) == 2 and all(isinstance(a, Article) for a in read)
    for article in read:
        assert article.text == page_article.text
        assert article.structure == page_article.structure


# ------------------------------------------------------------------ any page built of these blocks

from hypothesis import given, settings, strategies as st  # noqa: E402

_WORDS = ["harbor", "board", "said", "the", "plan", "Kim", "October", "“quote”", "Reuters", "we", "-", "said:", "&amp;"]
_sentence = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14).map(lambda w: " ".join(w).capitalize() + ".")
_TWEET = ('<blockquote class="twitter-tweet"><p>{0}</p>&mdash; Dana Kim (@SenDanaKim) '
          '<a href="https://twitter.com/x/status/1">May 7, 2024</a></blockquote>')
_block = st.one_of(
    _sentence.map(lambda s: f"<p>{s} {s}</p>"),
    _sentence.map(lambda s: f"<h2>{s[:-1]}</h2>"),
    _sentence.map(lambda s: f"<blockquote><p>{s}</p><p>{s}</p></blockquote>"),
    st.lists(_sentence, min_size=1, max_size=3).map(lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
    _sentence.map(lambda s: _TWEET.format(s)),
    _sentence.map(lambda s: '<figure class="wp-block-embed"><div>' + _TWEET.format(s) + "</div></figure>"),
    _sentence.map(lambda s: f'<p>{s} <span class="credit">Jo Li/AP</span></p>'),
    _sentence.map(lambda s: f'<figure><img src="x.jpg"><figcaption>{s} <span class="credit">Jo Li/AP</span></figcaption></figure>'),
    _sentence.map(lambda s: f'<aside class="related"><ul><li>{s}</li></ul></aside>'),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_block, min_size=1, max_size=12))
def test_any_page_gives_whole_line_regions_in_order(blocks):
    import trafilatura

    html = ("<html><head><title>Harbor</title></head><body><article><h1>Harbor Board Approves Plan</h1>"
            "<p>The harbor board approved a dredging plan on Tuesday after a year of hearings.</p>"
            + "".join(blocks) + "</article></body></html>")
    try:
        article = article_from_html(html, "page.html")
    except InputError:
        return
    plain = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                        favor_precision=True).text.strip()
    # the text is trafilatura's, with whole lines (dropped posts) put in and none taken out or changed
    kept = iter(article.text.split("\n"))
    assert all(any(line == got for got in kept) for line in plain.split("\n"))
    regions = article.structure or []
    assert all(a.end <= b.start for a, b in zip(regions, regions[1:]))
    line_ends = {0} | {m.end() for m in re.finditer("\n", article.text)}
    for r in regions:
        piece = article.text[r.start:r.end]
        assert piece and piece == piece.strip()
        assert r.kind in ("caption", "photo_credit") or (r.start in line_ends and article.text[r.end:r.end + 1] in ("", "\n"))
    report = SimpleNamespace(text=article.text, authors=[], structure=None)
    StructureReader(english())(SimpleNamespace(article=article, report=report))
    assert all(a.end <= b.start for a, b in zip(report.structure, report.structure[1:]))


@pytest.mark.parametrize("container", ['<div class="story has-related-links">', '<div class="related-links">'])
def test_a_container_with_a_furniture_class_is_not_furniture(container):
    """An element the markup rules would call boilerplate but that holds most of the article is its container."""
    paragraphs = ("<p>The harbor board approved a $40 million dredging plan on Tuesday after a year of hearings.</p>"
                  "<p>Fishermen said the work would disrupt the spring season, when most boats go out.</p>"
                  "<p>Work is expected to begin in October, the board said.</p>")
    article = article_from_html(f"<html><body><article>{container}{paragraphs}</div></article></body></html>", "x.html")
    assert [r.kind for r in article.structure] == ["body", "body", "body"]
