"""Feeds' and WARC's own dates and authors, and HTML publication times with their time of day."""
from __future__ import annotations

import io

from test_ingest import HTML_PAGE, SENTENCE, only_articles
from sourcetrace.ingest import article_from_html, read_inputs
from sourcetrace.published import feed_entry_authors, html_published_time

FEED = f"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Valley Feed</title>
<item><title>Bridge</title><link>https://valley.example/bridge</link><pubDate>Tue, 03 Mar 2026 10:15:00 -0500</pubDate>
<dc:creator>Ana Ruiz and Tom Lee</dc:creator>
<description><![CDATA[<p>Published on 1 January 2020. {" ".join([SENTENCE] * 12)}</p>]]></description></item></channel></rss>"""


def test_feed_pubdate_and_creator_are_used(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(FEED, encoding="utf-8")
    (article,) = only_articles(read_inputs([str(path)]))
    assert article.published == "2026-03-03T15:15:00Z"  # the feed's pubDate in UTC, not the date in the text
    assert article.authors == ["Ana Ruiz", "Tom Lee"]


def test_html_keeps_the_time_of_day():
    article = article_from_html(HTML_PAGE, "page.html")
    assert article.published == "2026-04-02T09:00:00Z"
    json_ld = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
               '"datePublished": "2026-04-02T11:30:00+02:00"}</script></head><body></body></html>')
    assert html_published_time(json_ld) == "2026-04-02T09:30:00Z"
    assert html_published_time('<html><head><meta property="article:published_time" content="2026-04-02"></head></html>') is None


def test_warc_date_is_kept_and_used_only_when_the_page_has_none(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    undated = HTML_PAGE.replace('<meta property="article:published_time" content="2026-04-02T09:00:00Z">', "")
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, page in (("https://riverside.example/a", HTML_PAGE), ("https://riverside.example/b", undated)):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(page.encode("utf-8")), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2026-04-05T08:00:00Z"})
            writer.write_record(record)
    dated, bare = only_articles(read_inputs([str(path)]))
    assert dated.published == "2026-04-02T09:00:00Z" and dated.meta["captured"] == "2026-04-05T08:00:00Z"
    assert "published_from" not in dated.meta
    # htmldate may still find a date in the page; the capture time stands in only when nothing else does
    if bare.meta.get("published_from") == "WARC-Date":
        assert bare.published == "2026-04-05T08:00:00Z"
    assert bare.meta["captured"] == "2026-04-05T08:00:00Z"


def test_feed_author_lists():
    assert feed_entry_authors({"authors": [{"name": "A. Writer"}, {"name": "B. Editor"}]}) == ["A. Writer", "B. Editor"]
    assert feed_entry_authors({"author": "C. One, D. Two"}) == ["C. One", "D. Two"]
    assert feed_entry_authors({}) == []
