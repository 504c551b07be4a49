"""Who an article cites: media citations (outlet -> outlet) and the root sources under them.

Works on an ``ArticleReport``: it reads the attributions and sources the
extractors produced (``source.kind == "media"`` when the sources extractor
sets it) and also scans the text for the citation phrasings editors use
("according to the Washington Post", "the Post noted", "as first reported by",
"told Reuters", "citing unnamed officials"), so a citation is found even when
an extractor missed it. Outlet names come from the shared media lexicon
(``data/lexicons/source_media.txt``, with its short forms: "the Post" is the
nearest preceding outlet the article named whose name ends in "Post").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicons import load as load_lexicon, media_aliases, media_short_forms
from ..model import ArticleReport
from ..textspans import NAME_EDGE, normalise

EDGE = NAME_EDGE
GENERIC_MEDIA = "unnamed media"


@lru_cache(maxsize=1)
def _outlet_names() -> tuple[str, ...]:
    return tuple(sorted({a for a in media_aliases() if len(a) > 1} | set(media_short_forms()), key=len, reverse=True))


@lru_cache(maxsize=4096)
def _outlet_regex(present: tuple[str, ...]) -> re.Pattern:
    alt = "|".join(re.escape(n) for n in present)
    return re.compile(rf"\b(?:the\s+)?(?:{alt})\b(?:['’]s\b)?", re.IGNORECASE)


def outlet_mentions(text: str) -> list[re.Match]:
    """Outlet names and short forms in ``text``. A substring test picks the few names present first: one
    regex over all 200 names costs more than the rest of the trace."""
    low = text.lower()
    present = tuple(n for n in _outlet_names() if n in low)
    return list(_outlet_regex(present).finditer(text)) if present else []


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


# ------------------------------------------------------------------ patterns

_FIRST_REPORT = re.compile(
    r"\b(?:first\s+to\s+(?:report|break|reveal)|first\s+reported|broke\s+the\s+(?:news|story)|"
    r"first\s+revealed|originally\s+reported|scoop|exclusive(?:ly)?\s+reported)\b", re.IGNORECASE)
_GENERIC_MEDIA = re.compile(
    r"\b(?:(?:multiple|several|many|some|other|various|local|state|western|russian|ukrainian|us|u\.s\.|american|british|"
    r"israeli|foreign|major)\s+)?(?:news\s+outlets|media\s+outlets|outlets|media(?:\s+reports)?|news\s+reports|"
    r"press\s+reports|reports)\b", re.IGNORECASE)
_REPORTEDLY = re.compile(r"\b(?:reportedly|is\s+said\s+to|are\s+said\s+to|was\s+said\s+to|were\s+said\s+to)\b", re.IGNORECASE)
# "citing unnamed American officials", "citing two people familiar with the matter"
_CITING = re.compile(r"\bciting\s+((?:[\w.’'-]+\s+){0,5}?(?:officials?|sources?|people|persons?|aides?|diplomats?|"
                     r"insiders?|officers?|staffers?|lawmakers?|documents?|intelligence|a\s+[\w-]+\s+(?:report|memo)))\b",
                     re.IGNORECASE)
_VERB_AFTER = re.compile(
    r"^\s*(?:,\s*which\s+[^,.]{0,60},\s*)?(?:first\s+|also\s+|later\s+|previously\s+|earlier\s+)?"
    r"(reported|reports|noted|notes|wrote|writes|revealed|reveals|said|says|cited|found|learned|confirmed|"
    r"obtained|published|broke|disclosed|added|claimed|quoted|described)\b", re.IGNORECASE)
_PREP_BEFORE = re.compile(
    r"(?:according\s+to|reported\s+by|reported\s+in|report(?:s|ed)?\s+(?:by|from|in)|told|interview\s+with|speaking\s+to|"
    r"citing|cited\s+by|quoted\s+by|quoted\s+in|published\s+(?:by|in)|wrote\s+in|via|story\s+(?:by|in)|"
    r"article\s+(?:by|in)|investigation\s+by|analysis\s+by)\s+(?:an?\s+|the\s+)?(?:(?:new|recent|earlier|exclusive)\s+)?"
    r"(?:report\s+(?:by|from|in)\s+)?$", re.IGNORECASE)
_NATIONALITY = {"american": "us", "u.s.": "us", "us": "us", "united states": "us", "washington": "us",
                "russian": "russia", "ukrainian": "ukraine", "british": "uk", "chinese": "china", "israeli": "israel",
                "white house": "white house", "administration": "administration", "pentagon": "pentagon"}
_DROP = {"unnamed", "anonymous", "unidentified", "senior", "multiple", "several", "some", "two", "three", "four",
         "many", "other", "current", "former", "and", "the", "a", "an", "top", "high-ranking", "administration's",
         "who", "spoke", "on", "condition", "of", "anonymity", "asked", "not", "to", "be", "named", "identified"}


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("? ", 0, pos), text.rfind("! ", 0, pos))
    start = 0 if start < 0 else start + 1
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos), text.find("? ", pos), text.find("! ", pos)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start, end


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


def _resolve_outlet(text: str, match_text: str, pos: int, named_before: list[tuple[int, str]]) -> str | None:
    key = normalise(match_text)
    aliases = media_aliases()
    if key in aliases:
        return aliases[key]
    candidates = media_short_forms().get(key)
    if candidates is None:
        return None
    # the nearest outlet named earlier that the short form can stand for ("the Post" after "the Washington Post")
    for _, outlet in reversed([(p, o) for p, o in named_before if p < pos]):
        if not candidates or outlet in candidates or normalise(outlet).endswith(key):
            return outlet
    # a bare "the Post" with no antecedent is only a citation when the article's title/lead named the outlet
    return None


def _generic_media_before(text: str, start: int) -> bool:
    window = text[max(0, start - 160):start]
    return bool(_GENERIC_MEDIA.search(window))


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


def sourcing_of(report: ArticleReport) -> Sourcing:
    """The article's media citations and root sources (robust to extractors that fill less)."""
    text = report.text
    full = f"{report.title}\n{text}" if report.title and not text.startswith(report.title) else text
    offset = len(full) - len(text)  # title positions are negative offsets into text; spans keep report.text offsets
    own = outlet_key(report.outlet)
    result = Sourcing(article_id=report.id, outlet=article_label(report))
    sentence_of: dict[int, int] = {}

    def sentence_id(pos_in_text: int) -> int:
        s, _ = _sentence_bounds(full, pos_in_text + offset)
        return s - offset

    named_before: list[tuple[int, str]] = []
    matches = outlet_mentions(full)
    for m in matches:
        canonical = media_aliases().get(normalise(m.group()))
        if canonical:
            named_before.append((m.start(), canonical))
    seen: set[tuple[str, int]] = set()
    for m in matches:
        outlet = _resolve_outlet(full, m.group(), m.start(), named_before)
        if outlet is None or normalise(outlet) == own:
            continue
        before = full[max(0, m.start() - 80):m.start()]
        after = full[m.end():m.end() + 120]
        kind = None
        prep = _PREP_BEFORE.search(before)
        if prep:
            word = prep.group().split()[0].lower()
            kind = {"according": "according_to", "told": "told", "citing": "citing", "interview": "told",
                    "speaking": "told"}.get(word, "reported_by")
            ev_start = m.start() - len(prep.group())
        elif _VERB_AFTER.match(after):
            kind = "verb"
            ev_start = m.start()
        if kind is None:
            continue
        ev_end = m.end() + (_VERB_AFTER.match(after).end() if kind == "verb" else 0)
        s_start, s_end = _sentence_bounds(full, m.start())
        sentence = full[s_start:s_end]
        first = bool(_FIRST_REPORT.search(sentence))
        start, end = m.start() - offset, m.end() - offset
        if (outlet, s_start) in seen:
            for c in result.citations:
                if c.outlet == outlet and sentence_of.get(c.start) == s_start - offset:
                    c.first_report = c.first_report or first
            continue
        seen.add((outlet, s_start))
        citation = Citation(outlet=outlet, kind=kind, start=start, end=end,
                            evidence=full[max(ev_start, s_start):ev_end].strip(), first_report=first)
        result.citations.append(citation)
        sentence_of[start] = s_start - offset

    # attributions whose source the sources extractor marked as media but the patterns above missed
    by_id = {s.id: s for s in report.sources}
    for a in report.attributions:
        src = by_id.get(a.source_id) if a.source_id else None
        if src is None or src.kind != "media" or a.source is None or not is_named_outlet(src):
            continue  # "multiple news outlets" is no outlet to draw an edge to
        outlet = canonical_outlet(src.name) or src.name
        if normalise(outlet) == own or any(c.outlet == outlet for c in result.citations):
            continue
        s_start, s_end = _sentence_bounds(text, a.source.start)
        result.citations.append(Citation(outlet=outlet, kind="attribution", start=a.source.start, end=a.source.end,
                                         evidence=text[s_start:s_end].strip()[:200],
                                         first_report=bool(_FIRST_REPORT.search(text[s_start:s_end]))))
        sentence_of[a.source.start] = s_start

    # the first reporters the chains extractor found (report.profile["first_reports"]) agree or add one
    for first in (report.profile or {}).get("first_reports") or []:
        outlet = canonical_outlet(first.get("name"))
        mention = first.get("mention") or {}
        if not outlet or normalise(outlet) == own:
            continue
        known = [c for c in result.citations if c.outlet == outlet]
        at_mention = [c for c in known if c.start <= mention.get("start", -1) < c.end]
        if at_mention or (known and not any(k.first_report for k in known)):
            (at_mention or known)[0].first_report = True
        if not known and "start" in mention:
            cue = (first.get("cue") or {}).get("text", "")
            result.citations.append(Citation(outlet=outlet, kind="first_report", start=mention["start"],
                                             end=mention["end"], evidence=f"{mention.get('text', outlet)} {cue}".strip(),
                                             first_report=True))
            sentence_of[mention["start"]] = _sentence_bounds(text, mention["start"])[0]

    first_outlets = result.first_report_outlets
    cited = result.cited_outlets

    def via_of(pos: int) -> str | None:
        sid = sentence_id(pos)
        for c in result.citations:
            if sentence_of.get(c.start) == sid:
                return c.outlet
        # "multiple news outlets reported ..., citing unnamed officials": the outlets are the first report's kind
        s_start, s_end = _sentence_bounds(full, pos + offset)
        if _generic_media_before(full[s_start:], pos + offset - s_start) or _REPORTEDLY.search(full[s_start:s_end]):
            return first_outlets[0] if first_outlets else (cited[0] if len(cited) == 1 else GENERIC_MEDIA)
        return None

    roots: dict[tuple[str, str | None], RootSource] = {}

    def add_root(name: str, named: bool | None, start: int, end: int, via: str | None) -> None:
        if canonical_outlet(name) in media_aliases().values() or _GENERIC_MEDIA.fullmatch(normalise(name) or "x"):
            return
        anonymous = is_anonymous(name, named)
        key = source_key(name, named)
        roots.setdefault((key, via), RootSource(key=key, label=name.strip(EDGE), anonymous=anonymous, via=via,
                                                start=start, end=end))

    for a in report.attributions:
        if a.source is None:
            continue
        src = by_id.get(a.source_id) if a.source_id else None
        if src is not None and src.kind == "media":
            continue
        if media_aliases().get(normalise(a.source.text)) or _resolve_outlet(full, a.source.text, a.source.start + offset, named_before):
            continue
        named = src.named if src is not None else None
        # the linked source's name resolves pronouns ("He" -> "Joe Biden"); unnamed ones keep their wording
        label = src.name if src is not None and src.named else a.source.text
        parent_via = None
        if a.parent:
            parent = next((p for p in report.attributions if p.id == a.parent), None)
            psrc = by_id.get(parent.source_id) if parent is not None and parent.source_id else None
            if parent is not None and parent.source is not None:
                parent_via = (canonical_outlet(psrc.name) if psrc is not None and is_named_outlet(psrc) else None) or \
                    media_aliases().get(normalise(parent.source.text))
                if parent_via is None and (psrc is not None and psrc.kind == "media"
                                           or _GENERIC_MEDIA.search(parent.source.text)):
                    # "multiple news outlets reported, citing unnamed officials": the outlet the article
                    # names as first to report is one of them
                    parent_via = first_outlets[0] if first_outlets else GENERIC_MEDIA
        add_root(label, named, a.source.start, a.source.end, parent_via or via_of(a.source.start))
    for m in _CITING.finditer(full):
        start, end = m.start(1) - offset, m.end(1) - offset
        via = via_of(start) if start >= 0 else (first_outlets[0] if first_outlets else None)
        if start >= 0 and via is None:
            # "citing X" after generic media or a named outlet in the same clause
            via = first_outlets[0] if first_outlets else GENERIC_MEDIA
        add_root(m.group(1), None, max(start, 0), max(end, 0), via)
    result.roots = _unify_anaphoric(list(roots.values()))
    return result
