"""Read articles from files, HTML, URLs, feeds, JSON/JSONL(.gz), WARC, directories and stdin.

Every reader yields ``Article`` objects or ``InputError``s, never raises for one
bad input, so a batch goes on past it. ``read_inputs`` is the single entry point.
"""
from __future__ import annotations

import gzip
import io
import ipaddress
import json
import re
import socket
import sys
import threading
import time
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from .errors import InputError
from .htmlstructure import PageStructure
from .model import Article
from .published import better_published, feed_entry_authors, feed_entry_time, html_published_time, warc_date

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
FETCH_TIMEOUT = 20.0  # seconds for a whole fetch, redirects included
MAX_CONCURRENT_FETCHES = 8  # per process: slow servers cannot hold every worker thread
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

@dataclass(frozen=True)
class Decoded:
    text: str
    warning: str | None = None  # set when the encoding was guessed rather than known


# labels that browsers read as Windows-1252 (WHATWG Encoding Standard): pages that say Latin-1 mean it
_WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252",
                        "cp1252", "x-cp1252", "iso_8859-1", "iso-ir-100", "cp819", "ibm819"}
# charset_normalizer's choice among single-byte Latin code pages is not reliable (French in Windows-1252 came
# out as cp1250 or mac_iceland): any of these means "Western text", read as Windows-1252
_LATIN_GUESSES = {"cp1250", "cp1252", "latin_1", "iso8859_15", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9",
                  "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_16", "cp1254", "cp1257", "mac_latin2",
                  "mac_iceland", "mac_roman", "mac_turkish", "cp850", "cp858", "cp437", "ascii", "utf_8"}
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB (``<meta charset>`` or http-equiv), if any."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii").lower() if found else None


def _utf16_by_pattern(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark shows a NUL in every other byte wherever the text is ASCII:
    little-endian when the odd bytes are mostly NUL and the even ones not, big-endian the other way round."""
    sample = data[:8192]
    if len(sample) < 8 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.3 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.3 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def _latin_share(text: str) -> float:
    """Of the non-ASCII letters in ``text``, the share that are Latin letters (1.0 when there are none)."""
    letters = [ch for ch in text[:100_000] if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return 1.0
    return sum(unicodedata.name(ch, "").startswith("LATIN") for ch in letters) / len(letters)


def decode_text(data: bytes, origin: str, declared: str | None = None) -> Decoded:
    """Bytes to text: a byte-order mark, UTF-16 by its byte pattern, UTF-8, the declared charset (HTTP header
    or ``<meta>``); binary is refused. Anything else is a guess and says so in ``warning``:
    Windows-1252 (what undeclared non-UTF-8 news pages use) unless the text is plainly in another script,
    then charset_normalizer's guess."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(codec))
            except UnicodeDecodeError:
                break  # a BOM followed by something else: treat the bytes as undeclared
    # before UTF-8: ASCII in UTF-16 is valid UTF-8 too, with a NUL after every letter
    utf16 = _utf16_by_pattern(data)
    if utf16:
        try:
            return Decoded(data.decode(utf16), f"no byte-order mark: read as {utf16.upper()} from its byte pattern")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise InputError(origin, "binary file (contains NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if declared:
        codec = "cp1252" if declared.lower() in _WINDOWS_1252_LABELS else declared
        try:
            return Decoded(data.decode(codec))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: guess below
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = best.encoding if best is not None else None
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and (guess is None or guess in _LATIN_GUESSES or _latin_share(str(best)) >= 0.5):
        return Decoded(western, "not UTF-8 and no charset declared: read as Windows-1252 (a guess)")
    if guess is None:
        raise InputError(origin, "unknown text encoding (not UTF-8 and none could be detected)")
    try:
        text = data.decode(guess)
    except (LookupError, UnicodeDecodeError):
        text = data.decode(guess, errors="replace")
    return Decoded(text.removeprefix("\ufeff"), f"not UTF-8 and no charset declared: read as {guess} (a guess; check the text)")


def decode_bytes(data: bytes, origin: str) -> str:
    """``decode_text`` without the warning."""
    return decode_text(data, origin).text


def _check_text(text: str, origin: str) -> str:
    if not text.strip():
        raise InputError(origin, "empty article (no text)")
    return text


def _read_bytes(path: Path, options: ReadOptions) -> bytes:
    """At most ``max_bytes`` of the file: a device or pipe that reports a size of 0 (``/dev/zero``) is read
    only that far too."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise InputError(origin, f"file is {size:,} bytes, over the {options.max_bytes:,}-byte limit (raise it with --max-bytes)")
        with path.open("rb") as fh:
            data = fh.read(options.max_bytes + 1)
    except OSError as exc:
        raise InputError(origin, exc.strerror or str(exc)) from None
    if len(data) > options.max_bytes:
        raise InputError(origin, f"over the {options.max_bytes:,}-byte limit (raise it with --max-bytes)")
    return data


# ---------------------------------------------------------------- HTML

def article_from_html(html: str, origin: str, url: str | None = None, warnings: Iterable[str | None] = ()) -> Article:
    """Main text and metadata with trafilatura (date via htmldate); ``warnings`` (from decoding) go with it."""
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
    page = _page_structure(html, getattr(extracted, "body", None), text, origin)
    published = doc.get("date")
    if not published:
        try:
            from htmldate import find_date

            published = find_date(html, url=url)
        except Exception:  # htmldate raises on odd markup; a missing date is not an error
            published = None
    published = better_published(published, html_published_time(html))  # keep the time of day the page gives
    author = doc.get("author")
    authors = [a.strip() for a in author.split(";") if a.strip()] if author else []
    return Article(
        text=page.text if page else text,
        structure=page.regions if page else None,
        url=doc.get("url") or url,
        outlet=doc.get("sitename") or None,
        title=doc.get("title") or None,
        published=published or None,
        authors=authors,
        language=doc.get("language") or "en",
        origin=origin,
        meta={k: doc[k] for k in ("hostname", "description", "categories", "tags") if doc.get(k)},
        warnings=[w for w in warnings if w],
    )


def _page_structure(html: str, body, text: str, origin: str) -> PageStructure | None:
    """The page's structure over ``text``; None (the line rules then read the text alone) where the markup
    cannot be read, which never stops the article."""
    from lxml.etree import LxmlError

    from .htmlstructure import page_structure

    try:
        return page_structure(html, body, text)
    except (ValueError, LxmlError):
        return None


# ---------------------------------------------------------------- URLs

_fetch_slots = threading.BoundedSemaphore(MAX_CONCURRENT_FETCHES)


def _parse_url(url: str, origin: str):
    """``urlparse`` whose failures (``http://[::1``, a host label over 63 characters) are this input's error."""
    try:
        parsed = urlparse(url)
        host = parsed.hostname
        parsed.port  # noqa: B018 (raises on a port that is not a number or out of range)
        if host and not _is_ip_literal(host):
            host.encode("idna")  # raises on an empty or over-long label
    except (ValueError, UnicodeError) as exc:
        raise InputError(origin, f"malformed URL {url[:200]!r} ({exc})") from None
    return parsed


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def is_public_address(ip: str) -> bool:
    """Globally routable by the IANA special-purpose registries (``is_global``), not multicast, and not an
    IPv6 form that carries a non-public IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64) or the deprecated
    site-local range fec0::/10, which ``is_global`` lets through."""
    addr = ipaddress.ip_address(ip.split("%")[0])
    if not addr.is_global or addr.is_multicast:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.is_site_local:
            return False
        embedded = [addr.ipv4_mapped, addr.sixtofour]
        if addr.teredo:
            embedded.extend(addr.teredo)
        if addr in ipaddress.ip_network("64:ff9b::/96"):
            embedded.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
        return all(v4 is None or is_public_address(str(v4)) for v4 in embedded)
    return True


def resolve_host(host: str, port: int) -> list[str]:
    """The host's addresses, resolved once per fetch."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _public_address(url: str, origin: str) -> str:
    """Resolve the URL's host once and return the address to connect to; every address it resolves to must
    be public (one private answer among public ones is refused: the answer used could be any of them)."""
    parsed = _parse_url(url, origin)
    host = parsed.hostname
    if not host:
        raise InputError(origin, "URL has no host")
    try:
        addresses = resolve_host(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(origin, f"cannot resolve host {host!r} ({getattr(exc, 'strerror', None) or exc})") from None
    if not addresses:
        raise InputError(origin, f"cannot resolve host {host!r}")
    for address in addresses:
        if not is_public_address(address):
            raise InputError(origin, f"refusing to fetch a non-public address ({host} -> {address})")
    return addresses[0]


class _BoundedDecoder:
    """One content encoding undone in pieces of at most ``PIECE`` bytes, so a small compressed body that
    expands enormously is never held whole (httpx inflates each network chunk in one call)."""

    PIECE = 64 * 1024

    def __init__(self, encoding: str, origin: str):
        self._inflater: zlib._Decompress | None  # typeshed's name for what decompressobj returns
        if encoding in {"gzip", "x-gzip"}:
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = None  # zlib-wrapped or raw: decided on the first bytes
        else:
            raise InputError(origin, f"unsupported Content-Encoding {encoding!r}")

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._inflater is None:
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if data[:1] and (data[0] & 0x0F) == 8 else -zlib.MAX_WBITS)
        pending = data
        while True:
            out = self._inflater.decompress(pending, self.PIECE)
            pending = self._inflater.unconsumed_tail
            if out:
                yield out
            if not pending and len(out) < self.PIECE:
                return


def _decoded_body(raw_chunks: Iterable[bytes], encodings: list[str], limit: int, origin: str) -> bytes:
    """The body with every content encoding undone (last applied, first undone), counted as it is decoded:
    refused as soon as the decoded bytes pass ``limit``."""
    try:
        decoders = [_BoundedDecoder(e, origin) for e in reversed(encodings)]
        body = bytearray()

        def through(chunk: bytes, stage: int) -> Iterator[bytes]:
            if stage == len(decoders):
                yield chunk
                return
            for piece in decoders[stage].feed(chunk):
                yield from through(piece, stage + 1)

        for raw in raw_chunks:
            for piece in through(raw, 0):
                body.extend(piece)
                if len(body) > limit:
                    raise InputError(origin, f"response over the {limit:,}-byte limit (decoded)")
        return bytes(body)
    except zlib.error as exc:
        raise InputError(origin, f"cannot decode the response body ({exc})") from None


def _header_charset(content_type: str | None) -> str | None:
    found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.IGNORECASE)
    return found.group(1).lower() if found else None


class _Watchdog:
    """The whole-fetch deadline: httpx's timeouts hold per read, so a server that sends a byte every few
    seconds (headers or body) would never trip them. At the deadline every connection the fetch opened is
    shut down, and a read blocked on one returns at once."""

    def __init__(self, deadline: float):
        self._streams: list = []
        self._lock = threading.Lock()
        self.fired = False
        self._timer = threading.Timer(max(deadline - time.monotonic(), 0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict) -> None:
        """httpcore's trace extension: note each connection as it is made."""
        if event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            self.watch(info.get("return_value"))

    def watch(self, stream) -> None:
        if stream is None:
            return
        with self._lock:
            self._streams.append(stream)
            fired = self.fired
        if fired:
            self._shut(stream)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            streams = list(self._streams)
        for stream in streams:
            self._shut(stream)

    @staticmethod
    def _shut(stream) -> None:
        sock = stream.get_extra_info("socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def fetch_url(url: str, options: ReadOptions = ReadOptions()) -> tuple[str, str, str | None]:
    """GET with one deadline for the whole fetch (redirects included), a decoded-size cap and a bounded number
    of redirects; returns (final URL, HTML, decoding warning). With ``allow_private_urls`` False each hop's host
    is resolved once, every address checked, and the connection made to the checked address (Host header
    and TLS name kept), so a second DNS answer is never used. At most ``MAX_CONCURRENT_FETCHES`` run at once
    in a process; more wait their turn within the deadline."""
    import httpx

    origin = url
    deadline = time.monotonic() + options.timeout
    if not _fetch_slots.acquire(timeout=options.timeout):
        raise InputError(origin, f"timed out after {options.timeout:g} s waiting for a fetch slot")
    try:
        with _Watchdog(deadline) as watchdog, httpx.Client(follow_redirects=False, headers={"User-Agent": "sourcetrace/0.1",
                                                          "Accept-Encoding": "gzip, deflate"}) as client:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                parsed = _parse_url(current, origin)
                if parsed.scheme not in {"http", "https"}:
                    raise InputError(origin, f"unsupported URL scheme in {current[:200]!r}")
                fetched = _fetch_once(client, current, parsed, origin, options, deadline, watchdog)
                if isinstance(fetched, str):  # a redirect: its absolute target
                    current = fetched
                    continue
                data, content_type = fetched
                decoded = decode_text(data, origin, _header_charset(content_type) or declared_charset(data))
                return current, decoded.text, decoded.warning
    finally:
        _fetch_slots.release()
    raise InputError(origin, f"more than {MAX_REDIRECTS} redirects")


def _fetch_once(client, current: str, parsed, origin: str, options: ReadOptions, deadline: float, watchdog: _Watchdog):
    """One hop: the redirect target (str) or (body, Content-Type)."""
    import httpx

    request_url = httpx.URL(current)
    extensions: dict[str, Any] = {}
    headers = {}
    if not options.allow_private_urls:
        address = _public_address(current, origin)
        headers["Host"] = request_url.netloc.decode("ascii")
        if parsed.scheme == "https":
            extensions["sni_hostname"] = parsed.hostname
        request_url = request_url.copy_with(host=address)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise InputError(origin, f"timed out after {options.timeout:g} s")
    extensions["timeout"] = httpx.Timeout(remaining).as_dict()
    extensions["trace"] = watchdog.trace
    try:
        request = client.build_request("GET", request_url, headers=headers, extensions=extensions)
        resp = client.send(request, stream=True)
        try:
            watchdog.watch(resp.extensions.get("network_stream"))  # a kept-alive connection made no connect event
            if resp.is_redirect:
                location = resp.headers.get("location")
                if not location:
                    raise InputError(origin, f"redirect without a Location header (HTTP {resp.status_code})")
                try:
                    return urljoin(current, location)
                except ValueError:
                    raise InputError(origin, f"redirect to a malformed URL {location[:200]!r}") from None
            if resp.status_code >= 400:
                raise InputError(origin, f"HTTP {resp.status_code}")
            encodings = [e.strip().lower() for e in resp.headers.get("content-encoding", "").split(",")]
            encodings = [e for e in encodings if e and e != "identity"]
            body = _decoded_body(resp.iter_raw(), encodings, options.max_bytes, origin)
            if watchdog.fired:  # a body that ends when the connection does looks complete once it is cut
                raise InputError(origin, f"timed out after {options.timeout:g} s")
            return body, resp.headers.get("content-type")
        finally:
            resp.close()
    except httpx.TimeoutException:
        raise InputError(origin, f"timed out after {options.timeout:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError, UnicodeError) as exc:
        if watchdog.fired or time.monotonic() >= deadline:
            raise InputError(origin, f"timed out after {options.timeout:g} s") from None
        raise InputError(origin, f"cannot fetch ({exc.__class__.__name__}: {exc})") from None


def read_url(url: str, options: ReadOptions = ReadOptions()) -> Article:
    final_url, html, warning = fetch_url(url, options)
    return article_from_html(html, url, url=final_url, warnings=[warning])


# ---------------------------------------------------------------- JSON / JSONL

def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    names: dict[type, str] = {dict: "an object", list: "an array", str: "a string"}
    return names.get(type(value), type(value).__name__)


def _string_field(record: dict, name: str, where: str, numbers: bool = False) -> str | None:
    """``record[name]`` as a string or None; any other JSON type is this record's error, naming the field."""
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value or None
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    wanted = "a string or a number" if numbers else "a string"
    raise InputError(where, f'field "{name}" must be {wanted}, not {_json_type(value)}')


def _authors_field(record: dict, where: str) -> list[str]:
    value = record.get("authors")
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list) and all(v is None or isinstance(v, str) for v in value):
        return [v for v in value if v is not None and v.strip()]
    raise InputError(where, f'field "authors" must be a string or an array of strings, not {_json_type(value)}'
                     + (" with other items" if isinstance(value, list) else ""))


def article_from_record(record: Any, origin: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(origin, f"expected a JSON object, got {_json_type(record)}")
    if "text" not in record:
        raise InputError(origin, 'no "text" field')
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(origin, f'field "text" must be a string, not {_json_type(text)}')
    _check_text(text, origin)
    return Article(
        text=text,
        id=_string_field(record, "id", origin, numbers=True),
        url=_string_field(record, "url", origin),
        outlet=_string_field(record, "outlet", origin),
        title=_string_field(record, "title", origin),
        published=_string_field(record, "published", origin, numbers=True),
        authors=_authors_field(record, origin),
        language=_string_field(record, "language", origin) or "en",
        origin=origin,
        meta={k: v for k, v in record.items() if k not in ARTICLE_FIELDS},
    )


def parse_json(text: str | bytes, where: str) -> Any:
    """``json.loads`` whose every failure is an ``InputError`` for ``where``: bad syntax, a number of more
    digits than Python converts (4,300), nesting deeper than the interpreter's recursion limit."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise InputError(where, "invalid JSON (nested too deeply)") from None
    except ValueError as exc:  # int digit limit; UnicodeDecodeError of bytes
        reason = str(exc).split(";")[0]
        raise InputError(where, f"invalid JSON ({reason})") from None


def _record_result(line: str | bytes, where: str) -> ReadResult:
    try:
        return article_from_record(parse_json(line, where), where)
    except InputError as exc:
        return exc
    except RecursionError:  # a record that parsed but nests too deeply for validation
        return InputError(where, "invalid JSON (nested too deeply)")


def read_json_lines(stream: Iterable[str], origin: str) -> Iterator[ReadResult]:
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        yield _record_result(line, f"{origin}:{lineno}")


def _bounded_lines(fh, limit: int, origin: str) -> Iterator[tuple[int, bytes | InputError]]:
    """Lines of a binary stream, each held only up to ``limit`` bytes: a longer line is skipped in pieces
    (never held whole) and becomes that line's error."""
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, InputError(f"{origin}:{lineno}", f"line over the {limit:,}-byte limit (raise it with --max-bytes)")
            continue
        yield lineno, line


def _read_json_gz(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """A compressed collection is streamed: the size cap holds per line (per article), and a JSON array may
    decompress to at most the cap."""
    origin = str(path)
    with gzip.open(path, "rb") as fh:
        head = fh.peek(4)[:4].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head[:1] == b"[":
            data = fh.read(options.max_bytes + 1)
            if len(data) > options.max_bytes:
                yield InputError(origin, f"JSON array decompresses to over the {options.max_bytes:,}-byte limit "
                                         "(use JSON Lines, or raise it with --max-bytes)")
                return
            records = parse_json(data.decode("utf-8-sig", errors="strict"), origin)
            yield from _json_array(records if isinstance(records, list) else [records], origin)
            return
        for lineno, line in _bounded_lines(fh, options.max_bytes, origin):
            if isinstance(line, InputError):
                yield line
                continue
            if lineno == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if line.strip():
                yield _record_result(line, f"{origin}:{lineno}")


def read_json_file(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    origin = str(path)
    suffix = suffix_of(path)
    try:
        if suffix.endswith(".gz"):
            yield from _read_json_gz(path, options)
            return
        data = decode_bytes(_read_bytes(path, options), origin)
    except InputError as exc:
        yield exc
        return
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error, UnicodeDecodeError) as exc:
        yield InputError(origin, f"cannot read ({exc})")
        return
    if not data.strip():
        yield InputError(origin, "empty file")
        return
    stripped = data.lstrip()
    if suffix == ".json" and stripped[:1] in "[{":
        try:
            parsed = parse_json(data, origin)
        except InputError:
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
        entry_content = entry.get("content")
        html = entry_content[0].get("value") if entry_content else entry.get("summary")
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
        # the feed's own pubDate and dc:creator, not a date guessed from the text
        article.published = feed_entry_time(entry) or article.published
        article.authors = feed_entry_authors(entry) or article.authors
        yield article


def article_from_warc_page(body: bytes, content_type: str, where: str, url: str | None,
                           warc_date_header: str | None) -> Article:
    """A WARC response's HTML page read as any page is (decoding with its declared charset, trafilatura), its
    capture time kept as ``meta.captured`` and used as ``published`` only when the page states no date (a
    capture time is an upper bound). ``read_warc`` and ``sourcetrace batch`` read records through this."""
    decoded = decode_text(body, where, _header_charset(content_type) or declared_charset(body))
    article = article_from_html(decoded.text, where, url=url, warnings=[decoded.warning])
    captured = warc_date(warc_date_header)
    if captured:
        article.meta["captured"] = captured
        if not article.published:
            article.published = captured
            article.meta["published_from"] = "WARC-Date"
    return article


def read_warc(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    from warcio.archiveiterator import ArchiveIterator

    origin = str(path)
    pages = 0
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
                pages += 1
                body = record.content_stream().read(options.max_bytes + 1)
                if len(body) > options.max_bytes:
                    yield InputError(where, f"record over the {options.max_bytes:,}-byte limit")
                    continue
                try:
                    article = article_from_warc_page(body, ctype, where, url, record.rec_headers.get_header("WARC-Date"))
                except InputError as exc:
                    yield exc
                    continue
                yield article
    except Exception as exc:  # warcio raises a range of parse errors on damaged archives
        yield InputError(origin, f"cannot read WARC ({exc})")
        return
    if not pages:
        yield InputError(origin, "no HTML response records in the WARC file")


# Record-offset reading, so that one archive can be split over many workers (``sourcetrace batch``): a first pass
# lists where each record starts, then each worker seeks to its first record and reads its share. A WARC.gz
# written as the format asks (one gzip member per record, as Common Crawl's are) can be entered at any record.

def scan_warc_offsets(path: Path, fast: bool = True) -> Iterator[tuple[int, str | None]]:
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
            pass
        else:
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
    decoded = decode_text(_read_bytes(path, options), origin)
    text = _check_text(decoded.text, origin)
    return Article(text=text, id=None, origin=origin, title=None, warnings=[decoded.warning] if decoded.warning else [])


def read_html_file(path: Path, options: ReadOptions) -> Article:
    origin = str(path)
    data = _read_bytes(path, options)
    decoded = decode_text(data, origin, declared_charset(data))
    return article_from_html(decoded.text, origin, warnings=[decoded.warning])


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
    data = _read_bytes(path, options)
    decoded = decode_text(data, origin, declared_charset(data))
    text = _check_text(decoded.text, origin)
    warnings = [decoded.warning] if decoded.warning else []
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head:
        return article_from_html(text, origin, warnings=warnings)
    return Article(text=text, origin=origin, warnings=warnings)


def read_stdin(options: ReadOptions) -> Iterator[ReadResult]:
    data = sys.stdin.buffer.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        yield InputError("-", f"standard input over the {options.max_bytes:,}-byte limit")
        return
    try:
        decoded = decode_text(data, "-", declared_charset(data))
    except InputError as exc:
        yield exc
        return
    text = decoded.text
    warnings = [decoded.warning] if decoded.warning else []
    stripped = text.lstrip()
    if stripped.startswith("{"):
        yield from read_json_lines(io.StringIO(text), "-")
        return
    try:
        if stripped[:512].lower().startswith(("<!doctype html", "<html")):
            yield article_from_html(text, "-", warnings=warnings)
        else:
            yield Article(text=_check_text(text, "-"), origin="-", warnings=warnings)
    except InputError as exc:
        yield exc


def read_input(value: str, options: ReadOptions = ReadOptions()) -> Iterator[ReadResult]:
    if value == "-":
        yield from read_stdin(options)
    elif is_url(value):
        try:
            lower = _parse_url(value, value).path.lower()
            if lower.endswith((".rss", ".atom", ".xml")) or "/feed" in lower:
                _, body, _ = fetch_url(value, options)
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
