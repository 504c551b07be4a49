"""Who an article cites: media citations (outlet -> outlet) and the root sources under them.

Read from the article's report only, so the article page and the story page agree: a citation is an
attribution whose source the sources extractor resolved to a named outlet ("according to the Washington
Post", "the Post noted": the sources step resolves the short form), or a source that spoke through an
outlet named in the attribution's own cue ("told Reuters"); the first reporters are the chains
extractor's (``profile.first_reports``); anonymity is the source's ``named``; a root's channel is its
parent attribution ("outlets reported, citing unnamed officials": the chains extractor links the two).
Outlet names are compared through the shared media lexicon (``data/lexicons/source_media.txt``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicons import load as load_lexicon, media_aliases
from ..model import ArticleReport
from ..textspans import NAME_EDGE, normalise

EDGE = NAME_EDGE
GENERIC_MEDIA = "unnamed media"


@lru_cache(maxsize=8192)  # a corpus names few outlets, each thousands of times
def canonical_outlet(name: str | None) -> str | None:
    """The lexicon's canonical name for an outlet as written ('Washington Post (News)' -> 'The Washington Post')."""
    if not name:
        return None
    key = normalise(re.sub(r"\s*\(.*?\)\s*", " ", name))
    if key in media_aliases():
        return media_aliases()[key]
    for alias, canonical in media_aliases().items():  # "Reuters UK", "Fox News (Online News)"
        if len(alias) > 3 and alias in key and re.search(rf"\b{re.escape(alias)}\b", key):
            return canonical
    return name.strip()


def outlet_key(name: str | None) -> str | None:
    canonical = canonical_outlet(name)
    return normalise(canonical) if canonical else None


# ------------------------------------------------------------------ words for the parts of an attribution

_GENERIC_MEDIA = re.compile(
    r"\b(?:(?:multiple|several|many|some|other|various|local|state|western|russian|ukrainian|us|u\.s\.|american|british|"
    r"israeli|foreign|major)\s+)?(?:news\s+outlets|media\s+outlets|outlets|media(?:\s+reports)?|news\s+reports|"
    r"press\s+reports|reports)\b", re.IGNORECASE)
# a cue that names the channel a source spoke through: "told Reuters", "said in an interview with CNN"
_CHANNEL_CUE = re.compile(r"^(?:told|tells|telling|said\s+to|speaking\s+to|spoke\s+to|in\s+an\s+interview\s+with|"
                          r"said\s+in\s+an\s+interview\s+with|wrote\s+in)\b", re.IGNORECASE)
_FIRST_REPORT_CUE = re.compile(r"\bfirst\b|\bbroke\b|\boriginally\b|\bscoop\b|\bexclusive", re.IGNORECASE)
_NATIONALITY = {"american": "us", "u.s.": "us", "us": "us", "united states": "us", "washington": "us",
                "russian": "russia", "ukrainian": "ukraine", "british": "uk", "chinese": "china", "israeli": "israel",
                "white house": "white house", "administration": "administration", "pentagon": "pentagon"}
_DROP = {"unnamed", "anonymous", "unidentified", "senior", "multiple", "several", "some", "two", "three", "four",
         "many", "other", "current", "former", "and", "the", "a", "an", "top", "high-ranking", "administration's",
         "who", "spoke", "on", "condition", "of", "anonymity", "asked", "not", "to", "be", "named", "identified"}


def anonymous_key(name: str) -> str:
    """One key for the same unnamed group however it is worded: 'unnamed American officials' == 'US officials'."""
    low = normalise(name)
    low = re.sub(r"\bfamiliar with.*$|\bwho .*$|\bwith knowledge.*$|\bbriefed on.*$", "", low).strip()
    words = [w for w in re.split(r"\s+", low) if w and w not in _DROP]
    nationality = ""
    rest = []
    for w in words:
        if w in _NATIONALITY and not nationality:
            nationality = _NATIONALITY[w]
        else:
            rest.append(w[:-1] if w.endswith("s") and len(w) > 3 and not w.endswith("ss") else w)
    if rest and rest[-1] in {"people", "person"}:
        rest[-1] = "source"
    head = rest[-1] if rest else "source"
    return "anon:" + " ".join(x for x in (nationality, head) if x)


def is_anonymous(name: str, named: bool | None = None) -> bool:
    if named is True:
        return False
    low = normalise(name)
    if re.search(r"\b(?:unnamed|anonymous|unidentified|familiar with|who asked not|on condition of anonymity)\b", low):
        return True
    heads = load_lexicon("source_anonymous_heads")
    last = low.split()[-1] if low.split() else ""
    last = last[:-1] if last.endswith("s") and last[:-1] in heads else last
    return named is False or last in heads


def source_key(name: str, named: bool | None = None) -> str:
    return anonymous_key(name) if is_anonymous(name, named) else "src:" + normalise(name)


# ------------------------------------------------------------------ results


@dataclass
class Citation:
    """This article cites ``outlet`` (canonical name) at ``start:end``."""

    outlet: str
    kind: str  # according_to | verb | reported_by | told | citing | attribution
    start: int  # offsets into report.text; negative when the citation is in the title
    end: int
    evidence: str
    first_report: bool = False

    def as_dict(self) -> dict:
        where = {"in_title": True} if self.start < 0 else {"start": self.start, "end": self.end}
        return {"outlet": self.outlet, "kind": self.kind, "first_report": self.first_report,
                "evidence": self.evidence, **where}


@dataclass
class RootSource:
    """A non-media source the article's reporting rests on; ``via`` is the outlet it reached the article through."""

    key: str
    label: str
    anonymous: bool
    via: str | None
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "anonymous": self.anonymous, "via": self.via}


@dataclass
class Sourcing:
    article_id: str
    outlet: str  # canonical outlet name, or a label for the article when it has none
    citations: list[Citation] = field(default_factory=list)
    roots: list[RootSource] = field(default_factory=list)

    @property
    def cited_outlets(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.citations:
            seen.setdefault(c.outlet, None)
        return list(seen)

    @property
    def first_report_outlets(self) -> list[str]:
        return list(dict.fromkeys(c.outlet for c in self.citations if c.first_report))


def is_named_outlet(source) -> bool:
    return source.kind == "media" and (source.named or normalise(source.name) in media_aliases())


def article_label(report: ArticleReport) -> str:
    if report.outlet:
        return canonical_outlet(report.outlet) or report.outlet
    if report.url:
        host = re.sub(r"^https?://(?:www\.)?", "", report.url).split("/")[0]
        if host:
            return host
    return f"article {report.id}"


def unify_anonymous_keys(keys: list[str]) -> dict[str, str]:
    """'anon:official' (a bare "the officials") -> 'anon:us official' when that is the only qualified
    group with the same head: the bare mention is taken to refer back to it."""
    qualified: dict[str, set[str]] = {}
    for key in keys:
        if key.startswith("anon:") and " " in key[5:]:
            qualified.setdefault(key.rsplit(" ", 1)[1], set()).add(key)
    mapping = {}
    for key in keys:
        if key.startswith("anon:") and " " not in key[5:] and len(qualified.get(key[5:], ())) == 1:
            mapping[key] = next(iter(qualified[key[5:]]))
    return mapping


def _unify_anaphoric(roots: list[RootSource]) -> list[RootSource]:
    mapping = unify_anonymous_keys([r.key for r in roots])
    out: dict[tuple[str, str | None], RootSource] = {}
    for r in roots:
        r.key = mapping.get(r.key, r.key)
        out.setdefault((r.key, r.via), r)
    return list(out.values())




def _outlet_of(report: ArticleReport, attribution, by_id: dict) -> str | None:
    """The named outlet an attribution's source is, or None (a person, an agency, "multiple news outlets")."""
    src = by_id.get(attribution.source_id) if attribution.source_id else None
    if src is not None:
        if src.kind == "media" and is_named_outlet(src):
            return canonical_outlet(src.name) or src.name
        return None
    if attribution.source is not None:  # a mention the sources step linked to nothing: the lexicon's exact names
        return media_aliases().get(normalise(attribution.source.text))
    return None


def _channel_outlet(report: ArticleReport, attribution) -> tuple[str, int, int] | None:
    """"A spokesman told Reuters ...": the outlet named right after a channel cue, before the content."""
    cue = attribution.cue
    if cue is None or not _CHANNEL_CUE.match(cue.text):
        return None
    stop = attribution.content.start if attribution.content.start > cue.end else cue.end + 60
    window = report.text[cue.start:min(stop, cue.end + 60)]
    after_cue = _CHANNEL_CUE.match(window)
    rest = window[after_cue.end():] if after_cue else window
    words = re.findall(r"[\w.&'’-]+", rest)
    for n in range(min(len(words), 5), 0, -1):  # the longest outlet name first ("The Wall Street Journal")
        found = media_aliases().get(normalise(" ".join(words[:n])))
        if found:
            where = report.text.find(words[0], cue.start)
            return found, where, where + len(" ".join(words[:n]))
    return None


def _evidence(report: ArticleReport, attribution) -> str:
    """The source and cue ("the Post said"), with the start of the content when it follows them."""
    spans = [sp for sp in (attribution.source, attribution.cue) if sp is not None]
    if not spans:
        return attribution.content.text[:200]
    start, end = min(sp.start for sp in spans), max(sp.end for sp in spans)
    if attribution.content.start >= end:
        end = min(attribution.content.end, attribution.content.start + 120)
    return report.text[start:end].strip()[:200]


def sourcing_of(report: ArticleReport) -> Sourcing:
    """The article's media citations and root sources, from its report's attributions and sources."""
    own = outlet_key(report.outlet)
    result = Sourcing(article_id=report.id, outlet=article_label(report))
    by_id = {s.id: s for s in report.sources}
    by_att = {a.id: a for a in report.attributions}
    first_mentions: list[tuple[str, dict]] = []
    for first in (report.profile or {}).get("first_reports") or []:
        outlet = canonical_outlet(first.get("name"))
        if outlet and normalise(outlet) != own:
            first_mentions.append((outlet, first.get("mention") or {}))
    first_named = {o for o, _ in first_mentions}

    def cite(outlet: str, kind: str, start: int, end: int, evidence: str, cue_text: str) -> None:
        if normalise(outlet) == own:
            return  # an outlet does not cite itself
        first = outlet in first_named and (bool(_FIRST_REPORT_CUE.search(cue_text)) or any(
            m.get("start", -1) >= start and m.get("start", -1) < max(end, start + 1) for o, m in first_mentions if o == outlet))
        for known in result.citations:
            if known.outlet == outlet:
                known.first_report = known.first_report or first
                if known.start <= start < known.end:
                    return
        result.citations.append(Citation(outlet=outlet, kind=kind, start=start, end=end, evidence=evidence,
                                         first_report=first))

    channel_of: dict[str, str] = {}
    for a in report.attributions:
        outlet = _outlet_of(report, a, by_id)
        if outlet is not None and a.source is not None:
            kind = "according_to" if a.form == "according_to" else "verb"
            cite(outlet, kind, a.source.start, a.source.end, _evidence(report, a), a.cue.text if a.cue else "")
            continue
        channel = _channel_outlet(report, a)
        if channel is not None:
            channel_of[a.id] = channel[0]
            cite(channel[0], "told", channel[1], channel[2], _evidence(report, a), a.cue.text if a.cue else "")
    # a first reporter the chains extractor found that no attribution cites ("first reported by X" in passing)
    for outlet, mention in first_mentions:
        if "start" in mention and not any(c.outlet == outlet for c in result.citations):
            result.citations.append(Citation(outlet=outlet, kind="first_report", start=mention["start"],
                                             end=mention["end"], evidence=mention.get("text", outlet), first_report=True))
        else:
            for c in result.citations:
                if c.outlet == outlet and not any(k.first_report for k in result.citations if k.outlet == outlet):
                    c.first_report = True
    first_outlets = result.first_report_outlets

    def via_of(a) -> str | None:
        """The outlet a root source reached this article through: its parent report's, or its channel."""
        if a.id in channel_of:
            return channel_of[a.id]
        parent = by_att.get(a.parent) if a.parent else None
        if parent is None:
            return None
        outlet = _outlet_of(report, parent, by_id)
        if outlet is not None:
            return outlet
        psrc = by_id.get(parent.source_id) if parent.source_id else None
        if (psrc is not None and psrc.kind == "media") or (parent.source is not None and _GENERIC_MEDIA.search(parent.source.text)) \
                or parent.source is None:
            # "multiple news outlets reported ..., citing unnamed officials": the outlet named as first is one of them
            return first_outlets[0] if first_outlets else GENERIC_MEDIA
        return None

    roots: dict[tuple[str, str | None], RootSource] = {}
    for a in report.attributions:
        if a.source is None or _outlet_of(report, a, by_id) is not None:
            continue
        src = by_id.get(a.source_id) if a.source_id else None
        if src is not None and src.kind == "media":
            continue  # unnamed media ("multiple outlets"): a channel, not a root
        named = src.named if src is not None else None
        # the linked source's name resolves pronouns ("He" -> "Joe Biden"); unnamed ones keep their wording
        label = src.name if src is not None and src.named else a.source.text
        if _GENERIC_MEDIA.fullmatch(normalise(label) or "x"):
            continue
        via = via_of(a)
        key = source_key(label, named)
        roots.setdefault((key, via), RootSource(key=key, label=label.strip(EDGE), anonymous=is_anonymous(label, named),
                                                via=via, start=a.source.start, end=a.source.end))
    result.roots = _unify_anaphoric(list(roots.values()))
    return result
