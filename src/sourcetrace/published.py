"""Publication times and authors from an input's own metadata, with their time of day when it is given.

A first report is decided by time (``stories.first_report``): a bare date ties every article of its day,
so the full timestamp is kept wherever the input has one.

- HTML: ``article:published_time``, ``datePublished`` (microdata or JSON-LD), ``<time datetime>`` and the
  like, when they carry a time of day (trafilatura and htmldate keep the date only).
- Feeds: the entry's ``pubDate`` / ``published`` / ``updated`` (UTC, as feedparser parsed it) and its
  ``dc:creator`` / ``author`` names, instead of a date guessed from the text.
- WARC: ``WARC-Date`` is when the page was captured, not published: kept in ``meta["captured"]`` and used as
  the published time only when the page gives none (``meta["published_from"] = "WARC-Date"``).
"""
from __future__ import annotations

import calendar
import json
import re
from datetime import datetime, timezone
from typing import Any

_HAS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_META_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time' or @itemprop='datePublished' "
    "or @name='pubdate' or @name='publishdate' or @name='date' or @name='DC.date.issued' or @name='dcterms.created' "
    "or @property='og:published_time' or @name='sailthru.date' or @name='parsely-pub-date']/@content"
    " | //time[@itemprop='datePublished']/@datetime | //*[@itemprop='datePublished']/@content"
)


def _iso(value: str) -> str | None:
    """An ISO 8601 time of day from a metadata value, normalised to UTC when it has an offset; None without a time."""
    value = value.strip()
    if not _HAS_TIME.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return parsed.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return parsed.isoformat(timespec="seconds")


def _json_ld_dates(node: Any) -> list[str]:
    found = []
    if isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str):
            found.append(value)
        for child in node.values():
            found.extend(_json_ld_dates(child))
    elif isinstance(node, list):
        for child in node:
            found.extend(_json_ld_dates(child))
    return found


def html_published_time(html: str) -> str | None:
    """The page's own publication time with its time of day, or None (no metadata, or a date only)."""
    try:
        import lxml.html

        tree = lxml.html.fromstring(html)
    except (ValueError, TypeError, Exception):  # lxml raises ParserError on empty or odd documents
        return None
    candidates = [str(v) for v in tree.xpath(_META_XPATH)]
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            candidates.extend(_json_ld_dates(json.loads(script)))
        except ValueError:
            continue
    for value in candidates:
        iso = _iso(value)
        if iso:
            return iso
    return None


def better_published(date_only: str | None, timed: str | None) -> str | None:
    """The timestamp when it agrees with (or replaces a missing) date; the date otherwise."""
    if timed and (not date_only or timed[:10] == date_only[:10]):
        return timed
    return date_only


def feed_entry_time(entry: dict) -> str | None:
    """The entry's own time (pubDate, published or updated) in UTC ISO 8601; None when it has none."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).replace(tzinfo=None).isoformat() + "Z"
    return None


def feed_entry_authors(entry: dict) -> list[str]:
    """dc:creator / author names of a feed entry (feedparser gives them as ``authors`` or ``author``)."""
    names = [a.get("name", "").strip() for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    if not names and entry.get("author"):
        names = [entry["author"].strip()]
    out: list[str] = []
    for name in names:  # "A and B", "A, B": one name each
        for part in re.split(r"\s*(?:,|\band\b|;)\s*", name):
            if part and part not in out:
                out.append(part)
    return out


def warc_date(value: str | None) -> str | None:
    """WARC-Date as UTC ISO 8601 (it is always UTC with a Z)."""
    return _iso(value) if value else None


__all__ = ["html_published_time", "better_published", "feed_entry_time", "feed_entry_authors", "warc_date"]
