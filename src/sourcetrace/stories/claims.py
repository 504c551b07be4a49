"""Claim units of an article, their alignment across a story's articles, and how each re-report mutated.

A unit is either an attribution's content (someone said it) or a sentence the
outlet states in its own voice. Units from different articles of one story are
grouped by lexical similarity (TF-IDF cosine over stemmed content words and
numbers): docs/accuracy.md has the measurement that chose lexical over the
MiniLM embedding (equal accuracy on cross-outlet lead sentences, far cheaper).
"""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..lexicons import load as load_lexicon
from ..model import ArticleReport, Span
from .sourcing import (Sourcing, canonical_outlet, is_anonymous, is_named_outlet, media_aliases, normalise,
                       source_key, unify_anonymous_keys)
from .text import content_terms, cosine, numbers_in, tfidf

ALIGN_THRESHOLD = 0.30
LOOKUP_TERMS = 8  # a unit looks for groups through its most distinctive terms only (bounded work in big stories)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’]?\s+(?=[“\"‘'(A-Z0-9])|\n+")
_HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|apparently|supposedly|possibly|likely|unconfirmed|"
    r"(?:is|are|was|were)\s+(?:said|believed|thought|understood|expected)\s+to|may|might|could|"
    r"appears?\s+to|seems?\s+to|has\s+not\s+(?:officially\s+)?confirmed|"
    r"not\s+(?:officially\s+)?confirmed)\b", re.IGNORECASE)
MIN_WORDS = 5
UNNAMED_REPORTS = "anon:reports"  # the source key of "reportedly", "media reports", "multiple outlets"


@dataclass
class ClaimUnit:
    article_id: str
    outlet: str
    order: int  # the article's position on the story timeline
    kind: str  # "attributed" | "own"
    text: str
    start: int
    end: int
    sentence: str
    source_label: str | None = None
    source_key: str | None = None
    source_anonymous: bool | None = None
    source_outlet: str | None = None  # when the source is a media outlet
    hedged: bool = False
    numbers: frozenset[str] = frozenset()
    loaded: frozenset[str] = frozenset()
    checkable: bool = False
    terms: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {"article": self.article_id, "outlet": self.outlet, "kind": self.kind, "text": self.text,
                "start": self.start, "end": self.end, "source": self.source_label,
                "anonymous": self.source_anonymous, "hedged": self.hedged}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _enclosing(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return pos, pos


_WORD = re.compile(r"[a-z][a-z'’-]*")


def _loaded_in(report: ArticleReport, text: str, start: int, end: int) -> frozenset[str]:
    """Loaded words in a unit: the language extractor's spans when it ran, else the shared loaded-word list
    (looked up by word n-grams: a 400-way regex alternation is 20x slower)."""
    if report.loaded_language:
        return frozenset(s.text.lower() for s in report.loaded_language if s.start < end and s.end > start)
    lexicon = load_lexicon("propaganda_loaded")
    words = _WORD.findall(text.lower())
    found = set()
    for n in (1, 2, 3):
        for k in range(len(words) - n + 1):
            phrase = " ".join(words[k:k + n])
            if phrase in lexicon:
                found.add(phrase)
    return frozenset(found)


def units_of(report: ArticleReport, sourcing: Sourcing, order: int) -> list[ClaimUnit]:
    text = report.text
    sentences = sentence_spans(text)
    by_id = {s.id: s for s in report.sources}
    claims = [(c.start, c.end) for c in report.claims if c.checkable]
    units: list[ClaimUnit] = []
    covered: list[tuple[int, int]] = []
    root_keys = [r.key for r in sourcing.roots]
    for a in report.attributions:
        content = a.content
        s_start, s_end = _enclosing(sentences, content.start)
        s_end = max(s_end, content.end)
        sentence = text[s_start:s_end]
        if len(content.text.split()) < MIN_WORDS - 1:
            # "..., council member John Park told the Valley Tribune": the content is the rest of the sentence
            if a.source is None or len(sentence.split()) < MIN_WORDS:
                continue
            content = Span.of(text, s_start, s_end)
        src = by_id.get(a.source_id) if a.source_id else None
        source_label = source_key_ = source_outlet = None
        anonymous = None
        if a.source is not None:
            outlet = None
            if src is not None and is_named_outlet(src):
                outlet = canonical_outlet(src.name)
            outlet = outlet or media_aliases().get(normalise(a.source.text))
            if outlet is None:
                outlet = next((c.outlet for c in sourcing.citations if c.start == a.source.start), None)
            source_label = src.name if src is not None and src.named else a.source.text
            if outlet:
                source_outlet = source_label = outlet
                source_key_ = "outlet:" + normalise(outlet)
                anonymous = False
            elif src is not None and src.kind == "media":  # "multiple news outlets reported": unnamed reports
                source_label, source_key_, anonymous = a.source.text, UNNAMED_REPORTS, True
            else:
                named = src.named if src is not None else None
                anonymous = is_anonymous(source_label, named)
                source_key_ = source_key(source_label, named)
                # "the officials" after "two U.S. officials" in the same article is the same group
                source_key_ = unify_anonymous_keys(root_keys + [source_key_]).get(source_key_, source_key_)
        elif a.form == "reported":  # "reportedly": the outlets are its source, unnamed here
            source_label, source_key_, anonymous = "unnamed reports", UNNAMED_REPORTS, True
        cue = a.cue.text if a.cue is not None else ""
        twin = next((u for u in units if u.start < content.end and content.start < u.end), None)
        if twin is not None:  # "the Post said ... reportedly ...": two attributions over one content, one claim
            twin.hedged = twin.hedged or a.form == "reported" or a.stance in ("hedged", "distancing")
            continue
        units.append(ClaimUnit(
            article_id=report.id, outlet=sourcing.outlet, order=order, kind="attributed", text=content.text,
            start=content.start, end=content.end, sentence=sentence, source_label=source_label,
            source_key=source_key_, source_anonymous=anonymous, source_outlet=source_outlet,
            # the cue only hedges when it is itself a hedge ("reportedly", "is said to"), not "said"/"according to"
            hedged=a.stance in ("hedged", "distancing") or a.form == "reported"
            or bool(_HEDGES.search(content.text)) or bool(_HEDGES.fullmatch(cue.strip())),
            numbers=frozenset(numbers_in(content.text)), loaded=_loaded_in(report, content.text, content.start, content.end),
            checkable=any(cs < content.end and ce > content.start for cs, ce in claims),
            terms=Counter(content_terms(content.text)),
        ))
        covered.append((min(content.start, a.cue.start if a.cue else content.start), content.end))
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        if len(sentence.split()) < MIN_WORDS or any(cs < s_end and ce > s_start for cs, ce in covered):
            continue
        units.append(ClaimUnit(
            article_id=report.id, outlet=sourcing.outlet, order=order, kind="own", text=sentence.strip(),
            start=s_start, end=s_end, sentence=sentence, hedged=bool(_HEDGES.search(sentence)),
            numbers=frozenset(numbers_in(sentence)), loaded=_loaded_in(report, sentence, s_start, s_end),
            checkable=any(cs < s_end and ce > s_start for cs, ce in claims),
            terms=Counter(content_terms(sentence)),
        ))
    return units


@dataclass
class ClaimGroup:
    id: str
    units: list[ClaimUnit]

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(u.article_id for u in self.units))


def align(units: list[ClaimUnit], threshold: float = ALIGN_THRESHOLD) -> list[ClaimGroup]:
    """Greedy grouping in timeline order: a unit joins the group with the most similar member from
    another article (one unit per article per group), or opens a group. Quadratic only within a story."""
    df: Counter = Counter()
    for u in units:
        df.update(u.terms.keys())
    n = len(units)

    def idf(t: str) -> float:
        return math.log((1 + n) / (1 + df[t])) + 1.0

    vectors = [tfidf(u.terms, idf) if u.terms else {} for u in units]
    order = sorted(range(n), key=lambda i: (units[i].order, units[i].start))
    groups: list[list[int]] = []
    groups_with_term: dict[str, set[int]] = {}  # only groups sharing a term can reach the threshold
    for i in order:
        best, best_score = None, threshold
        candidates: set[int] = set()
        for t in heapq.nlargest(LOOKUP_TERMS, vectors[i], key=vectors[i].__getitem__):
            candidates |= groups_with_term.get(t, set())
        for g in sorted(candidates):
            members = groups[g]
            if any(units[m].article_id == units[i].article_id for m in members):
                continue
            score = max(cosine(vectors[i], vectors[m]) for m in members)
            if score >= best_score:
                best, best_score = g, score
        if best is None:
            best = len(groups)
            groups.append([i])
        else:
            groups[best].append(i)
        for t in vectors[i]:
            groups_with_term.setdefault(t, set()).add(best)
    return [ClaimGroup(id=f"c{k + 1}", units=[units[m] for m in members]) for k, members in enumerate(groups)]


def mutations(earliest: ClaimUnit, later: ClaimUnit) -> list[dict]:
    """What changed in a re-report against the earliest version of the claim."""
    out: list[dict] = []
    if earliest.hedged and not later.hedged:
        out.append({"kind": "hedge_dropped", "detail": "hedged in the first version, stated flatly here"})
    elif later.hedged and not earliest.hedged:
        out.append({"kind": "hedge_added", "detail": "stated flatly first, hedged here"})
    if earliest.kind == "attributed" and earliest.source_key and later.kind == "own":
        out.append({"kind": "attribution_dropped", "detail": f"attributed to {earliest.source_label} first, the outlet's own voice here"})
    elif earliest.kind == "own" and later.kind == "attributed" and later.source_key:
        out.append({"kind": "attribution_added", "detail": f"now attributed to {later.source_label}"})
    # citing the outlet that talked to the source is not a change of anonymity; only people/bodies compare
    if (earliest.source_anonymous is not None and later.source_anonymous is not None
            and not earliest.source_outlet and not later.source_outlet
            and earliest.source_anonymous != later.source_anonymous):
        direction = "source now anonymous" if later.source_anonymous else "source now named"
        out.append({"kind": "anonymity_changed", "detail": f"{direction}: {earliest.source_label} -> {later.source_label}"})
    if earliest.numbers and later.numbers and earliest.numbers != later.numbers:
        out.append({"kind": "numbers_changed",
                    "detail": f"{', '.join(sorted(earliest.numbers))} -> {', '.join(sorted(later.numbers))}"})
    added = later.loaded - earliest.loaded
    if added:
        out.append({"kind": "loaded_language_added", "detail": ", ".join(sorted(added))})
    return out
