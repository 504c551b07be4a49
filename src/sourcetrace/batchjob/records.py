"""One partition read into articles, with the filters that keep only English articles.

Each record ends as an article, a failure (input, record, reason: it could not be read) or a count under one
filter: HTTP status not 2xx (redirects, errors), not HTML, not an article (too short, mostly boilerplate), a
language the analysis does not read. Duplicates across the archive are dropped later by the driver, which sees
every partition's keys in input order (``dedup_keys``).
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import InputError
from ..ingest import MAX_BYTES, ReadOptions, article_from_record, article_from_warc_page, decode_bytes, read_path
from ..model import Article
from .plan import Partition

# below this many words of main text a page is a teaser, an index or an error page, not an article
MIN_ARTICLE_WORDS = 50
# main text made of link texts over this share: a section front or a list of links, not an article
MAX_LINK_SHARE = 0.5
ANALYSED_LANGUAGES = ("en",)


@dataclass(frozen=True)
class FilterOptions:
    min_words: int = MIN_ARTICLE_WORDS
    max_link_share: float = MAX_LINK_SHARE
    languages: tuple[str, ...] = ANALYSED_LANGUAGES
    max_bytes: int = MAX_BYTES


@dataclass
class StagedArticle:
    record: str | int  # where it is in its input: WARC byte offset, JSONL line number, or the file
    article: Article


@dataclass
class PartitionRead:
    articles: list[StagedArticle] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)  # skipped languages, by detected code


class Skipped(Exception):
    """A record a filter drops: ``key`` names the count it goes under."""

    def __init__(self, key: str, detail: str = ""):
        super().__init__(detail or key)
        self.key = key
        self.detail = detail


def failure(path: str, record, reason: str, url: str | None = None) -> dict:
    row = {"input": path, "record": record, "reason": reason}
    if url:
        row["url"] = url
    return row


def detect_language(text: str) -> str:
    """The most likely language of the text's start: the analyzer's own detector and sample
    (``sourcetrace.languages``), so a worker loads one langid model, not two, and reads 2,000 characters, not
    5,000 (about 5 ms an article less; the same decision on all 591 texts of the compare corpora)."""
    from ..languages import DETECT_CHARS, detect

    return detect(text[:DETECT_CHARS])[0]


def link_texts(html: str) -> Counter:
    """How many times each link text (whitespace collapsed) occurs on the page."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return Counter()
    found = Counter(" ".join(a.text_content().split()) for a in root.iter("a"))
    found.pop("", None)
    return found


def link_share(text: str, html: str) -> float:
    """Share of the main text's words that are link texts of the page (each link counted as often as it is on
    the page): near 1 for a section front or a list of links the extractor took for the main text, low for an
    article even on a page with many links, whose texts seldom recur in the article's own sentences."""
    flat = " ".join(text.split())
    words = len(flat.split())
    linked = sum(len(link.split()) * min(n, flat.count(link)) for link, n in link_texts(html).items())
    return min(1.0, linked / words) if words else 0.0


def check_article(article: Article, options: FilterOptions, html: str | None = None) -> None:
    words = len(article.text.split())
    if html is not None:
        if words < options.min_words:
            raise Skipped("not_article", f"{words} words of main text")
        share = link_share(article.text, html)
        if share > options.max_link_share:
            raise Skipped("not_article", f"{share:.0%} of the main text is link text")
    language = detect_language(article.text)
    if language not in options.languages:
        raise Skipped("language", language)


def article_from_warc_response(record, path: str, options: FilterOptions) -> Article:
    """A WARC response record read by the same path as a page (``ingest.article_from_warc_page``), ``published`` from the
    page or else the record's WARC-Date, the URL from WARC-Target-URI."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    where = f"{path}#{url}"
    http = record.http_headers
    status = http.get_statuscode() if http else ""
    if not (status or "").startswith("2"):
        raise Skipped("http_status", f"HTTP {status or 'status missing'}")
    ctype = (http.get_header("Content-Type") or "").lower()
    if "html" not in ctype:
        raise Skipped("not_html", ctype.split(";")[0].strip() or "no Content-Type")
    body = record.content_stream().read(options.max_bytes + 1)
    if len(body) > options.max_bytes:
        raise InputError(where, f"record over the {options.max_bytes:,}-byte limit")
    left = getattr(record.raw_stream, "limit", 0)
    if left:  # the payload ended before its Content-Length: a crawl cut short or a damaged archive
        raise InputError(where, f"truncated record ({left:,} bytes of its payload missing)")
    try:
        article = article_from_warc_page(body, ctype, where, url, record.rec_headers.get_header("WARC-Date"))
    except InputError as exc:
        raise Skipped("not_article", exc.reason) from None
    check_article(article, options, decode_bytes(body, where))
    return article


def read_warc_partition(part: Partition, options: FilterOptions, out: PartitionRead) -> None:
    from ..ingest import read_warc_records_at

    index = part.first  # records are named by their index in the file (WARC-Target-URI beside it)
    try:
        for record in read_warc_records_at(Path(part.path), part.start, part.count):
            index += 1
            if record.rec_type != "response":
                continue
            out.counts["records"] += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            ref = f"record {index - 1} ({url})"
            _take(out, part.path, ref, url, lambda record=record: article_from_warc_response(record, part.path, options))
    except Exception as exc:  # warcio's parse errors: the partition's remaining records cannot be reached
        out.counts["failed_read"] += 1
        out.failures.append(failure(part.path, f"record {index}", f"cannot read WARC ({exc.__class__.__name__}: {exc})"))


def _take(out: PartitionRead, path: str, ref, url, make) -> None:
    try:
        article = make()
    except Skipped as skip:
        out.counts[skip.key] += 1
        if skip.key == "language":
            out.languages[skip.detail] += 1
    except InputError as exc:
        out.counts["failed_read"] += 1
        out.failures.append(failure(path, ref, exc.reason, url))
    else:
        out.articles.append(StagedArticle(ref, article))


def jsonl_lines(part: Partition) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line) of the partition's lines."""
    end = part.first + part.count
    if part.kind == "jsonl.gz":
        with gzip.open(part.path, "rb") as fh:
            for lineno, line in enumerate(fh, 1):
                if lineno >= end:
                    return
                if lineno >= part.first:
                    yield lineno, line
        return
    with open(part.path, "rb") as fh:
        fh.seek(part.start)
        for lineno in range(part.first, end):
            line = fh.readline()
            if not line:
                return
            yield lineno, line


def article_from_jsonl_line(path: str, lineno: int, line: bytes, options: FilterOptions) -> Article | None:
    """The line's article as ``ingest`` reads it (origin ``FILE:LINE``), or None for a blank line."""
    where = f"{path}:{lineno}"
    if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    if len(line) > options.max_bytes:
        raise InputError(where, f"line over the {options.max_bytes:,}-byte limit")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        return None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    article = article_from_record(record, where)
    check_article(article, options)
    return article


def read_jsonl_partition(part: Partition, options: FilterOptions, out: PartitionRead) -> None:
    lineno = part.first
    try:
        for lineno, line in jsonl_lines(part):
            if not line.strip():
                continue
            out.counts["records"] += 1
            _take(out, part.path, lineno, None,
                  lambda lineno=lineno, line=line: article_from_jsonl_line(part.path, lineno, line, options))
    except (OSError, EOFError) as exc:  # damaged gzip: the rest of the partition cannot be reached
        out.counts["failed_read"] += 1
        out.failures.append(failure(part.path, lineno, f"cannot read ({exc.__class__.__name__}: {exc})"))


def read_files_partition(part: Partition, options: FilterOptions, out: PartitionRead) -> None:
    read_options = ReadOptions(max_bytes=options.max_bytes)
    for path in part.files:
        for n, result in enumerate(read_path(Path(path), read_options)):
            out.counts["records"] += 1
            ref = result.origin if isinstance(result, Article) and result.origin else path
            if isinstance(result, InputError):
                out.counts["failed_read"] += 1
                out.failures.append(failure(path, n, result.reason))
                continue

            def checked(article=result):
                check_article(article, options)
                return article

            _take(out, path, ref, result.url, checked)


def read_partition(part: Partition, options: FilterOptions) -> PartitionRead:
    out = PartitionRead()
    if part.kind == "warc":
        read_warc_partition(part, options, out)
    elif part.kind in {"jsonl", "jsonl.gz"}:
        read_jsonl_partition(part, options, out)
    else:
        read_files_partition(part, options, out)
    return out


def url_key(url: str | None) -> str | None:
    """The URL compared for duplicates: scheme and host lower-cased, fragment dropped."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _digest(value: str) -> str:
    # 128 bits: no collision in any crawl, and half the driver's memory per article of a full sha256
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def dedup_keys(article: Article) -> tuple[str | None, str]:
    """Digests of the article's URL (normalised; None without one) and text, compared across the whole job."""
    url = url_key(article.url)
    return (_digest(url) if url else None), _digest(article.text)
