"""Each ingest format and encoding, read from real files, a real local HTTP server and stdin."""
from __future__ import annotations

import gzip
import http.server
import io
import json
import subprocess
import sys
import threading

import pytest

from sourcetrace.errors import InputError
from sourcetrace.ingest import ReadOptions, read_inputs
from sourcetrace.model import Article

from conftest import require_shared, send_body

HTML_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Council votes on bridge | Riverside Post</title>
<meta property="og:site_name" content="Riverside Post">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2026-04-02T09:00:00Z">
<link rel="canonical" href="https://riverside-post.example/bridge-vote">
</head><body><nav>Home | World | Sport</nav>
<article><h1>Council votes on bridge</h1>
<p>The city council voted 7 to 2 on Tuesday to rebuild the Mill Street bridge, officials said.</p>
<p>"This bridge has carried our town for ninety years," said council member Ada Brooks. "It deserves better."</p>
<p>According to the transport department, the work will take eighteen months and cost 14 million dollars.</p>
<p>Residents who spoke at the meeting said they feared months of detours through the old town centre.</p>
</article><footer>Copyright Riverside Post</footer></body></html>"""

SENTENCE = "The mayor said that the bridge would reopen in May, according to the city's website."


def only_articles(results):
    out = list(results)
    errors = [r for r in out if isinstance(r, InputError)]
    assert not errors, errors
    return out


def test_txt_utf8_is_read_exactly(tmp_path):
    text = "Caf\u00e9 owners said \u201cprices rose\u201d.\r\nSecond line.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    (article,) = only_articles(read_inputs([str(path)]))
    assert article.text == text
    assert article.origin == str(path)


def test_txt_bom_is_stripped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"))
    (article,) = only_articles(read_inputs([str(path)]))
    assert article.text == SENTENCE


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_other_encodings_are_detected(tmp_path, encoding):
    text = "L\u2019\u00e9lu a d\u00e9clar\u00e9 que le pont rouvrirait en mai, selon le site de la ville. " * 3
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    (article,) = only_articles(read_inputs([str(path)]))
    assert article.text.strip() == text.strip()


def test_polnear_text_equals_file():
    text_dir = require_shared("polnear", "dev", "text")
    path = sorted(text_dir.glob("*.txt"))[0]
    (article,) = only_articles(read_inputs([str(path)]))
    assert article.text == path.read_text(encoding="utf-8")


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    (article,) = only_articles(read_inputs([str(path)]))
    assert "rebuild the Mill Street bridge" in article.text
    assert "Copyright" not in article.text and "Home | World" not in article.text
    assert article.title == "Council votes on bridge"
    assert article.outlet == "Riverside Post"
    assert article.published == "2026-04-02T09:00:00Z"  # the page's own time of day is kept
    assert article.authors == ["Jane Doe"]
    assert article.url == "https://riverside-post.example/bridge-vote"


def _records():
    return [
        {"id": "one", "text": SENTENCE, "title": "T1", "outlet": "O1", "url": "https://x.example/1",
         "published": "2026-01-02", "authors": ["A"], "topic": "roads"},
        {"id": "two", "text": "Officials said the plan was final.", "authors": "B"},
    ]


def _check_records(articles):
    assert [a.id for a in articles] == ["one", "two"]
    assert articles[0].outlet == "O1" and articles[0].meta == {"topic": "roads"}
    assert articles[1].authors == ["B"]


def test_jsonl(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    _check_records(only_articles(read_inputs([str(path)])))


def test_jsonl_gz(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for r in _records():
            fh.write(json.dumps(r) + "\n")
    _check_records(only_articles(read_inputs([str(path)])))


def test_json_array(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(_records()), encoding="utf-8")
    _check_records(only_articles(read_inputs([str(path)])))


def test_allsides_corpus_reads_as_is():
    path = require_shared("allsides", "articles.jsonl.gz")
    first = []
    for result in read_inputs([str(path)]):
        assert isinstance(result, Article), result
        first.append(result)
        if len(first) == 50:
            break
    assert all(a.id and a.outlet and a.text for a in first)
    assert "bias_text" in first[0].meta


def test_directory_is_read_sorted_and_recursively(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second article said so.", encoding="utf-8")
    (tmp_path / "1.txt").write_text("First article said so.", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")  # unsupported suffix: skipped
    articles = only_articles(read_inputs([str(tmp_path)]))
    assert [a.text for a in articles] == ["First article said so.", "Second article said so."]


FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Feed</title>
<item><title>Bridge</title><link>https://valley.example/bridge</link><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate>
<description><![CDATA[<p>{" ".join([SENTENCE] * 12)}</p>]]></description></item></channel></rss>"""
# served over HTTP with a second entry that has neither content nor link
URL_FEED = FEED.replace("</channel>", "<item><title>Empty</title></item></channel>")


def test_rss_feed_with_full_content(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(FEED, encoding="utf-8")
    (article,) = only_articles(read_inputs([str(path)]))
    assert "the bridge would reopen in May" in article.text
    assert article.title == "Bridge" and article.outlet == "Valley Feed"


def test_warc(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record("https://riverside-post.example/bridge-vote", "response",
                                           payload=io.BytesIO(HTML_PAGE.encode("utf-8")), http_headers=headers)
        writer.write_record(record)
    (article,) = only_articles(read_inputs([str(path)]))
    assert "rebuild the Mill Street bridge" in article.text
    assert article.url == "https://riverside-post.example/bridge-vote"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/feed.rss":
            send_body(self, URL_FEED.encode("utf-8"), "application/rss+xml")
            return
        if self.path == "/article":
            send_body(self, HTML_PAGE.encode("utf-8"))
            return
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_follows_redirects(http_server):
    (article,) = only_articles(read_inputs([http_server + "/redirect"]))
    assert "rebuild the Mill Street bridge" in article.text


def test_url_redirect_loop_is_refused(http_server):
    (error,) = list(read_inputs([http_server + "/loop"]))
    assert isinstance(error, InputError) and "redirects" in error.reason


def test_url_http_error(http_server):
    (error,) = list(read_inputs([http_server + "/missing"]))
    assert isinstance(error, InputError) and "404" in error.reason


def test_private_addresses_refused_when_asked(http_server):
    (error,) = list(read_inputs([http_server + "/article"], ReadOptions(allow_private_urls=False)))
    assert isinstance(error, InputError) and "non-public" in error.reason


def test_stdin_text():
    code = "import sys, json; from sourcetrace.ingest import read_inputs; a=list(read_inputs(['-'])); print(json.dumps([x.text for x in a]))"
    out = subprocess.run([sys.executable, "-c", code], input=SENTENCE.encode(), capture_output=True, check=True)
    assert json.loads(out.stdout) == [SENTENCE]


def test_url_feed_errors_name_the_feed_url(http_server):
    url = http_server + "/feed.rss"
    article, error = list(read_inputs([url]))
    assert isinstance(article, Article) and "the bridge would reopen in May" in article.text
    assert isinstance(error, InputError)
    assert str(error) == f"{url}#2: feed entry has neither content nor link"
