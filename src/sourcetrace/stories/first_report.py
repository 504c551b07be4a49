"""Which article of a story reported it first, and how sure that is.

The rules, in order of precedence:

1. Citation edges outrank timestamps: an article that cites another outlet of the story (from its report's
   attributions: ``sourcing``) re-reports it and is not first, and an outlet the others cite as the first
   report ("as first reported by ...") is preferred over any timestamp.
2. An opinion piece (a column, an editorial, an op-ed: from its title, URL, outlet label or opening line)
   comments on the news; it is not the first report of it while a news article of the story is there.
3. Among what is left, the earliest published time. Times are compared as intervals: a date without a time
   ("2024-03-01") covers the whole day, so it ties with every time that day; only full timestamps (HTML
   metadata, feeds, WARC-Date) order articles within a day.
4. Ties are shown as ties (``tied``: every article that could be first), not broken arbitrarily.

The rules relax in reverse when nothing is left (every article cites another one, or all are opinion).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from ..model import ArticleReport
from ..textspans import normalise
from .sourcing import Sourcing

_OPINION_LABEL = re.compile(
    r"^\s*(?:analysis\s*/\s*)?(?:opinion|op-ed|oped|commentary|editorial|column|perspective|guest\s+(?:column|essay|opinion))\b",
    re.IGNORECASE)
_OPINION_URL = re.compile(r"/(?:opinion|opinions|op-ed|oped|commentary|editorials?|columns?|columnists?|blogs?/opinion)(?:/|-|$)",
                          re.IGNORECASE)
_OPINION_OUTLET = re.compile(r"\b(?:opinion|editorial|guest\s+writer|op-ed|commentary)\b", re.IGNORECASE)


def parse_time(published: str | None) -> tuple[datetime, datetime] | None:
    """The interval a ``published`` value covers, in naive UTC: a full time is an instant, a bare date its
    whole day. ISO 8601 and RFC 2822 (feeds) are read; None when unreadable."""
    if not published:
        return None
    value = published.strip()
    parsed = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    if len(value) <= 10 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return parsed, parsed + timedelta(days=1) - timedelta(microseconds=1)
    return parsed, parsed


def is_opinion(report: ArticleReport) -> bool:
    """A column, editorial or op-ed, by the labels publishers put on them."""
    if report.title and _OPINION_LABEL.match(report.title):
        return True
    if _OPINION_LABEL.match(report.text[:60]):
        return True
    if report.url and _OPINION_URL.search(report.url.split("?")[0]):
        return True
    return bool(report.outlet and _OPINION_OUTLET.search(report.outlet))


@dataclass
class FirstReport:
    article: str | None
    tied: list[str] = field(default_factory=list)  # every article that could be first (with ``article``), when >1
    reason: str = ""
    set_aside: dict[str, str] = field(default_factory=dict)  # article -> why it is not first

    def as_dict(self) -> dict:
        return {"article": self.article, "tied": self.tied, "reason": self.reason, "set_aside": self.set_aside}


def first_report(reports: list[ArticleReport], sourcings: dict[str, Sourcing]) -> FirstReport:
    if not reports:
        return FirstReport(None, reason="no articles")
    outlet_of = {r.id: normalise(sourcings[r.id].outlet) for r in reports}
    in_story = set(outlet_of.values())
    set_aside: dict[str, str] = {}
    cites_story = {}
    for r in reports:
        cited = [c for c in sourcings[r.id].cited_outlets if normalise(c) in in_story and normalise(c) != outlet_of[r.id]]
        if cited:
            cites_story[r.id] = cited
    cited_first = {normalise(o) for s in sourcings.values() for o in s.first_report_outlets} & in_story
    opinion = {r.id for r in reports if is_opinion(r)}
    for rid, cited in cites_story.items():
        set_aside[rid] = f"cites {', '.join(cited)}, which the story holds"
    for rid in opinion:
        set_aside.setdefault(rid, "an opinion piece: it comments on the news")
    pools = [
        ([r for r in reports if outlet_of[r.id] in cited_first and r.id not in opinion],
         "cited by the others as the first report"),
        ([r for r in reports if r.id not in cites_story and r.id not in opinion], "earliest news article that cites no other outlet of the story"),
        ([r for r in reports if r.id not in cites_story], "earliest article that cites no other outlet of the story (all are opinion)"),
        (list(reports), "earliest article (every one cites another)"),
    ]
    pool, reason = next(((p, why) for p, why in pools if p), pools[-1])
    dated = [(parse_time(r.published), r) for r in pool]
    known = [(t, r) for t, r in dated if t is not None]
    if not known:
        ids = sorted(r.id for r in pool)
        if len(ids) == 1:
            return FirstReport(ids[0], [], reason, set_aside)
        return FirstReport(ids[0], ids, reason + "; no published times: undecided", set_aside)
    known.sort(key=lambda tr: (tr[0][0], tr[1].id))
    (lo, hi), first = known[0]
    # every article whose time may fall at or before the first's (a bare date covers its whole day)
    tied = [r.id for (t_lo, t_hi), r in known if r is first or (t_lo <= hi and lo <= t_hi)]
    if len(tied) > 1:
        precise = all(t_lo == t_hi for (t_lo, t_hi), r in known if r.id in tied)
        why = "the same published time" if precise else "the same day, and no time is known"
        return FirstReport(first.id, tied, f"{reason}; tie: {why}", set_aside)
    return FirstReport(first.id, [], reason, set_aside)


__all__ = ["FirstReport", "first_report", "is_opinion", "parse_time"]
