"""Read articles from files, HTML, URLs, feeds, JSON/JSONL(.gz), WARC, directories and stdin.

Every reader yields ``Article`` objects or ``InputError``s, never raises for one
bad input, so a batch goes on past it. ``read_inputs`` is the single entry point.
"""
from __future__ import annotations

import gzip
import io
import ipaddress
import json
import socket
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from .errors import InputError
from .model import Article

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
FETCH_TIMEOUT = 20.0
MIN_HTML_WORDS = 5

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".ndjson.gz"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
WARC_SUFFIXES = {".warc", ".warc.gz"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES | WARC_SUFFIXES

ARTICLE_FIELDS = ("id", "text", "title", "outlet", "url", "published", "authors", "language")


@dataclass(frozen=True)
class ReadOptions:
    max_bytes: int = MAX_BYTES
    allow_private_urls: bool = True  # the web app sets False: it must not fetch its own network
    timeout: float = FETCH_TIMEOUT


ReadResult = Article | InputError


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for double in (".jsonl.gz", ".json.gz", ".ndjson.gz", ".warc.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


# ---------------------------------------------------------------- decoding

def decode_bytes(data: bytes, origin: str) -> str:
    """UTF-8 (BOM stripped) first; otherwise a detected encoding; binary is refused."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(origin, "binary file (contains NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(origin, "unknown text encoding (not UTF-8 and none could be detected)")
    text = str(best)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _check_text(text: str, origin: str) -> str:
    if not text.strip():
        raise InputError(origin, "empty article (no text)")
    return text


def _read_bytes(path: Path, options: ReadOptions) -> bytes:
    origin = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(origin, exc.strerror or str(exc)) from None
    if size > options.max_bytes:
        raise InputError(origin, f"file is {size:,} bytes, over the {options.max_bytes:,}-byte limit (raise it with --max-bytes)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(origin, exc.strerror or str(exc)) from None


# ---------------------------------------------------------------- HTML

def article_from_html(html: str, origin: str, url: str | None = None) -> Article:
    """Main text and metadata with trafilatura (date via htmldate)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if extracted is None:
        raise InputError(origin, "no main text found in the HTML")
    doc = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = (doc.get("text") or "").strip()
    if len(text.split()) < MIN_HTML_WORDS:
        # trafilatura falls back to whatever text a page has ("Home"); that is not an article
        raise InputError(origin, "no main text found in the HTML")
    published = doc.get("date")
    if not published:
        try:
            from htmldate import find_date

            published = find_date(html, url=url)
        except Exception:  # htmldate raises on odd markup; a missing date is not an error
            published = None
    author = doc.get("author")
    authors = [a.strip() for a in author.split(";") if a.strip()] if author else []
    return Article(
        text=text,
        url=doc.get("url") or url,
        outlet=doc.get("sitename") or None,
        title=doc.get("title") or None,
        published=published or None,
        authors=authors,
        language=doc.get("language") or "en",
        origin=origin,
        meta={k: doc[k] for k in ("hostname", "description", "categories", "tags") if doc.get(k)},
    )


# ---------------------------------------------------------------- URLs

def _check_public_host(url: str, origin: str) -> None:
    host = urlparse(url).hostname
    if not host:
        raise InputError(origin, "URL has no host")
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise InputError(origin, f"cannot resolve host {host!r} ({exc.strerror})") from None
    for info in infos:
        _check_public_address(info[4][0], host, origin)


def _check_public_address(ip: str, host: str, origin: str) -> None:
    addr = ipaddress.ip_address(ip.split("%")[0])
    if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast or addr.is_unspecified:
        raise InputError(origin, f"refusing to fetch a non-public address ({host} -> {addr})")


def _check_connected_peer(resp, url: str, origin: str) -> None:
    """The address actually connected to must be public too: a DNS answer that changed between the
    check and the connection (DNS rebinding) is caught before any of the body is read."""
    stream = resp.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        _check_public_address(str(peer[0]), urlparse(url).hostname or "", origin)


def fetch_url(url: str, options: ReadOptions = ReadOptions()) -> tuple[str, str]:
    """GET with a timeout, a size cap and a bounded number of redirects; returns (final URL, HTML)."""
    import httpx

    origin = url
    current = url
    with httpx.Client(timeout=options.timeout, follow_redirects=False, headers={"User-Agent": "sourcetrace/0.1"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if urlparse(current).scheme not in {"http", "https"}:
                raise InputError(origin, f"unsupported URL scheme in {current!r}")
            if not options.allow_private_urls:
                _check_public_host(current, origin)
            try:
                with client.stream("GET", current) as resp:
                    if not options.allow_private_urls:
                        _check_connected_peer(resp, current, origin)
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise InputError(origin, f"redirect without a Location header (HTTP {resp.status_code})")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise InputError(origin, f"HTTP {resp.status_code}")
                    body = bytearray()
                    for chunk in resp.iter_bytes():
                        body.extend(chunk)
                        if len(body) > options.max_bytes:
                            raise InputError(origin, f"response over the {options.max_bytes:,}-byte limit")
                    encoding = resp.charset_encoding
                    data = bytes(body)
            except httpx.TimeoutException:
                raise InputError(origin, f"timed out after {options.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise InputError(origin, f"cannot fetch ({exc.__class__.__name__}: {exc})") from None
            try:
                html = data.decode(encoding) if encoding else decode_bytes(data, origin)
            except (LookupError, UnicodeDecodeError):
                html = decode_bytes(data, origin)
            return current, html
    raise InputError(origin, f"more than {MAX_REDIRECTS} redirects")


def read_url(url: str, options: ReadOptions = ReadOptions()) -> Article:
    final_url, html = fetch_url(url, options)
    return article_from_html(html, url, url=final_url)


# ---------------------------------------------------------------- JSON / JSONL

def _as_str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v).strip()]
    return [str(value)]


def article_from_record(record: Any, origin: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(origin, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(origin, "no \"text\" field with a string")
    _check_text(text, origin)
    published = record.get("published")
    return Article(
        text=text,
        id=str(record["id"]) if record.get("id") not in (None, "") else None,
        url=record.get("url") or None,
        outlet=record.get("outlet") or None,
        title=record.get("title") or None,
        published=str(published) if published not in (None, "") else None,
        authors=_as_str_list(record.get("authors")),
        language=record.get("language") or "en",
        origin=origin,
        meta={k: v for k, v in record.items() if k not in ARTICLE_FIELDS},
    )


def read_json_lines(stream: Iterable[str], origin: str) -> Iterator[ReadResult]:
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield article_from_record(record, where)
        except InputError as exc:
            yield exc


def read_json_file(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    origin = str(path)
    suffix = suffix_of(path)
    try:
        if suffix.endswith(".gz"):
            # compressed archives are streamed: the size cap applies per article, not to the file
            with gzip.open(path, "rt", encoding="utf-8-sig") as fh:
                first = fh.read(1)
                fh.seek(0)
                if first == "[":
                    yield from _json_array(json.load(fh), origin)
                else:
                    yield from read_json_lines(fh, origin)
            return
        data = decode_bytes(_read_bytes(path, options), origin)
    except InputError as exc:
        yield exc
        return
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield InputError(origin, f"cannot read ({exc})")
        return
    except json.JSONDecodeError as exc:
        yield InputError(origin, f"invalid JSON ({exc.msg} at line {exc.lineno})")
        return
    if not data.strip():
        yield InputError(origin, "empty file")
        return
    stripped = data.lstrip()
    if suffix == ".json" and stripped[:1] in "[{":
        try:
            parsed = json.loads(data)
        except json.JSONDecodeError:
            parsed = None  # JSONL saved as .json: fall through to line mode
        if parsed is not None:
            yield from _json_array(parsed if isinstance(parsed, list) else [parsed], origin)
            return
    yield from read_json_lines(io.StringIO(data), origin)


def _json_array(records: list, origin: str) -> Iterator[ReadResult]:
    for i, record in enumerate(records):
        try:
            yield article_from_record(record, f"{origin}[{i}]")
        except InputError as exc:
            yield exc


# ---------------------------------------------------------------- feeds and WARC

def read_feed(content: bytes | str, origin: str, options: ReadOptions) -> Iterator[ReadResult]:
    """RSS/Atom already read (so the size cap held and feedparser fetches nothing itself): entries with
    full content are articles; the others are fetched by their link."""
    import feedparser

    feed = feedparser.parse(content)
    if feed.bozo and not feed.entries:
        yield InputError(origin, f"not a readable feed ({feed.get('bozo_exception')})")
        return
    outlet = feed.feed.get("title")
    for i, entry in enumerate(feed.entries):
        where = f"{origin}#{i + 1}"
        content = entry.get("content")
        html = content[0].get("value") if content else entry.get("summary")
        try:
            if html and len(html) > 500:
                article = article_from_html(f"<html><body><article>{html}</article></body></html>", where, url=entry.get("link"))
            elif entry.get("link"):
                article = read_url(entry["link"], options)
            else:
                raise InputError(where, "feed entry has neither content nor link")
        except InputError as exc:
            yield exc
            continue
        article.title = article.title or entry.get("title")
        article.outlet = outlet or article.outlet  # the feed names its outlet better than a hostname guess
        article.published = article.published or entry.get("published") or entry.get("updated")
        yield article


def read_warc(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    from warcio.archiveiterator import ArchiveIterator

    origin = str(path)
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in ctype.lower():
                    continue
                where = f"{origin}#{url}"
                body = record.content_stream().read(options.max_bytes + 1)
                if len(body) > options.max_bytes:
                    yield InputError(where, f"record over the {options.max_bytes:,}-byte limit")
                    continue
                try:
                    article = article_from_html(decode_bytes(body, where), where, url=url)
                except InputError as exc:
                    yield exc
                    continue
                # a page that states no date was at least published by the time it was crawled
                article.published = article.published or record.rec_headers.get_header("WARC-Date")
                yield article
    except Exception as exc:  # warcio raises a range of parse errors on damaged archives
        yield InputError(origin, f"cannot read WARC ({exc})")


# Record-offset reading, so that one archive can be split over many workers (``sourcetrace batch``): a first pass
# lists where each record starts, then each worker seeks to its first record and reads its share. A WARC.gz
# written as the format asks (one gzip member per record, as Common Crawl's are) can be entered at any record.

def scan_warc_offsets(path: Path, fast: bool = True) -> Iterator[tuple[int, str]]:
    """(byte offset, WARC-Type) of each record in order, payloads skipped. FastWARC, when installed, lists them
    (several times faster than warcio, the same records: ``sourcetrace bench batch`` checks); warcio then reads
    on from the last record it found, so a damaged tail, which FastWARC may pass over in silence, is still
    reported and any record after it still found. warcio's parse errors propagate after the last good record; a
    cut-off gzip member, which warcio too passes over in silence, raises ``InputError`` naming the bytes left."""
    from warcio.archiveiterator import ArchiveIterator

    resume_at, known = 0, 0
    if fast:
        try:
            from fastwarc.warc import ArchiveIterator as FastArchiveIterator
        except ImportError:
            FastArchiveIterator = None
        if FastArchiveIterator is not None:
            with path.open("rb") as fh:
                for record in FastArchiveIterator(fh, parse_http=False):
                    resume_at, known = record.stream_pos, 1
                    yield record.stream_pos, record.headers.get("WARC-Type")
    with path.open("rb") as fh:
        fh.seek(resume_at)
        records = ArchiveIterator(fh)
        for n, record in enumerate(records):
            offset = resume_at + records.get_record_offset()  # get_record_offset reads past the payload
            if n >= known:  # the first is the record FastWARC ended on, already listed
                yield offset, record.rec_type
        size = path.stat().st_size
        if resume_at + records.offset < size:
            end = resume_at + records.offset
            raise InputError(str(path), f"{size - end:,} bytes from byte {end:,} on are not a readable record "
                                        "(truncated or damaged)")


def read_warc_records_at(path: Path, start: int, count: int) -> Iterator[Any]:
    """The ``count`` warcio records that begin at byte ``start`` (an offset from ``scan_warc_offsets``), payloads
    unread, so the caller reads each one's content before asking for the next."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        fh.seek(start)
        for n, record in enumerate(ArchiveIterator(fh)):
            if n >= count:
                return
            yield record


# ---------------------------------------------------------------- files, directories, stdin

def read_text_file(path: Path, options: ReadOptions) -> Article:
    origin = str(path)
    text = _check_text(decode_bytes(_read_bytes(path, options), origin), origin)
    return Article(text=text, id=None, origin=origin, title=None)


def read_html_file(path: Path, options: ReadOptions) -> Article:
    origin = str(path)
    return article_from_html(decode_bytes(_read_bytes(path, options), origin), origin)


def read_path(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    origin = str(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and suffix_of(p) in SUPPORTED_SUFFIXES)
        if not files:
            yield InputError(origin, "directory has no supported file (" + ", ".join(sorted(SUPPORTED_SUFFIXES)) + ")")
            return
        for file in files:
            yield from read_path(file, options)
        return
    if not path.exists():
        yield InputError(origin, "no such file or directory")
        return
    suffix = suffix_of(path)
    try:
        if suffix in JSON_SUFFIXES:
            yield from read_json_file(path, options)
        elif suffix in WARC_SUFFIXES:
            yield from read_warc(path, options)
        elif suffix in FEED_SUFFIXES:
            yield from read_feed(_read_bytes(path, options), str(path), options)
        elif suffix in HTML_SUFFIXES:
            yield read_html_file(path, options)
        else:
            # unknown suffixes are read as text; NUL bytes and bad encodings are refused there
            yield _sniff_file(path, options)
    except InputError as exc:
        yield exc


def _sniff_file(path: Path, options: ReadOptions) -> Article:
    origin = str(path)
    text = _check_text(decode_bytes(_read_bytes(path, options), origin), origin)
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head:
        return article_from_html(text, origin)
    return Article(text=text, origin=origin)


def read_stdin(options: ReadOptions) -> Iterator[ReadResult]:
    data = sys.stdin.buffer.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        yield InputError("-", f"standard input over the {options.max_bytes:,}-byte limit")
        return
    try:
        text = decode_bytes(data, "-")
    except InputError as exc:
        yield exc
        return
    stripped = text.lstrip()
    if stripped.startswith("{"):
        yield from read_json_lines(io.StringIO(text), "-")
        return
    try:
        if stripped[:512].lower().startswith(("<!doctype html", "<html")):
            yield article_from_html(text, "-")
        else:
            yield Article(text=_check_text(text, "-"), origin="-")
    except InputError as exc:
        yield exc


def read_input(value: str, options: ReadOptions = ReadOptions()) -> Iterator[ReadResult]:
    if value == "-":
        yield from read_stdin(options)
    elif is_url(value):
        lower = urlparse(value).path.lower()
        try:
            if lower.endswith((".rss", ".atom", ".xml")) or "/feed" in lower:
                _, body = fetch_url(value, options)
                yield from read_feed(body, value, options)
            else:
                yield read_url(value, options)
        except InputError as exc:
            yield exc
    else:
        yield from read_path(Path(value), options)


def read_inputs(values: Iterable[str], options: ReadOptions = ReadOptions()) -> Iterator[ReadResult]:
    """Articles and per-input errors, in input order (directories sorted)."""
    for value in values:
        yield from read_input(value, options)


def read_text(text: str, **fields: Any) -> Article:
    """An ``Article`` from a string, for the Python API."""
    return Article(text=_check_text(text, fields.get("origin") or "<text>"), **fields)
