"""Statements in the outlet's own voice (outside every attribution) and whether they are checkable.

A claim is a stretch of a sentence that no attribution's source, cue or content covers, holding a
finite verb and at least ``MIN_WORDS`` words. It is ``checkable`` when it carries a fact one could
look up; ``reasons`` say which: ``number``, ``percentage``, ``money``, ``quantity``, ``date``,
``named_event``, ``law_or_treaty``, ``legal_status``, ``comparison``, ``named_actors_past_action``
(two or more named actors in a past action). Statements with modals of obligation
("should", "must") are opinions and are not marked checkable.
"""
from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..languages import lexicons_for
from ..lexicons import Lexicons
from ..model import Claim, Span
from ..nlp import doc_text
from .structure import in_unstated_region

MIN_WORDS = 5
WRITER = {"i", "we"}
LEADING_LINKS = {"and", "but", "though", "although", "while", "as", "so", "yet", "or", "which", "who", "that", "whereas"}
RELATIVE_OPENERS = {"which", "who", "whom", "whose"}
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP"}


QUOTE_RE = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|''[^\n]*?''|``[^\n]*?''")


def _covered(report) -> list[tuple[int, int]]:
    # quoted words belong to whoever is quoted, even when no attribution was found for them
    spans = [(m.start(), m.end()) for m in QUOTE_RE.finditer(report.text)]
    for a in report.attributions:
        # the source's words are the outlet's own ("Ukraine did so in 2005, and has been accused by ...");
        # what is attributed, and the cue that attributes it, are not
        for s in (a.cue, a.content):
            if s is not None:
                spans.append((s.start, s.end))
        if a.form == "according_to" and a.cue is not None and a.source is not None:
            spans.append((min(a.cue.start, a.source.start), max(a.cue.end, a.source.end)))
    return sorted(spans)


def _reach(covered: list[tuple[int, int]]) -> list[int]:
    """For each covered span (sorted by start), the furthest end among it and those before it."""
    out, furthest = [], -1
    for _, ce in covered:
        furthest = max(furthest, ce)
        out.append(furthest)
    return out


def _uncovered(start: int, end: int, covered: list[tuple[int, int]], reach: list[int] | None = None) -> list[tuple[int, int]]:
    """The parts of [start, end) outside every covered span. With ``reach`` (from ``_reach``) only the spans
    that can overlap are visited: a long text has thousands of spans and thousands of lines."""
    out, pos = [], start
    first = bisect.bisect_right(reach, start) if reach is not None else 0
    for cs, ce in covered[first:] if first else covered:
        if cs >= end:
            if reach is not None:
                break  # sorted by start: none further on can overlap
            continue
        if ce <= pos:
            continue
        if cs > pos:
            out.append((pos, cs))
        pos = max(pos, ce)
    if pos < end:
        out.append((pos, end))
    return out


class ClaimFinder:
    name = "claims"
    requires = ("attribution_chains", "speakers", "structure", "confidence")
    assigns = ("claims",)

    def __init__(self, lexicons: Lexicons):
        self.legal = lexicons.words("claim_legal_terms")
        self.law_words = lexicons.words("claim_law_name_words")
        self.comparison = lexicons.words("claim_comparison_words")
        self.opinion = lexicons.words("claim_opinion_modals")
        self.speech_verbs = lexicons.words("speech_verbs") | lexicons.words("claim_speech_extra")

    def __call__(self, ctx) -> None:
        regions = ctx.report.structure or []
        # captions, credits, bylines, datelines and boilerplate are the page's, not the outlet's claims
        ctx.report.claims = [c for c in self.find(ctx.doc, ctx.report)
                             if not in_unstated_region(regions, c.start, c.end)]

    def find(self, doc: Doc, report) -> list[Claim]:
        text = doc_text(doc)
        covered = _covered(report)
        reach = _reach(covered)
        # Doc.ents (and Span.ents, which reads it) builds new Span objects on every access: read them once
        doc_ents = list(doc.ents)
        ent_starts = [e.start for e in doc_ents]
        claims = []
        for sent in doc.sents:
            for line_start, line_end in self._lines(text, sent.start_char, sent.end_char):
                for start, end in _uncovered(line_start, line_end, covered, reach):
                    seg = self._segment(doc, text, start, end)
                    if seg is None:
                        continue
                    span = doc.char_span(seg[0], seg[1], alignment_mode="expand")
                    assert span is not None  # "expand" widens to whole tokens: a segment of the text always has one
                    # iterating a Span makes new Token objects each time: make them once
                    tokens = list(span)
                    first, last = bisect.bisect_left(ent_starts, span.start), bisect.bisect_left(ent_starts, span.end)
                    reasons = self.reasons(tokens, [e for e in doc_ents[first:last] if e.end <= span.end])
                    opinion = any(t.lower_ in self.opinion for t in tokens)
                    claims.append(Claim(**Span.of(text, *seg).model_dump(), checkable=bool(reasons) and not opinion,
                                        reasons=reasons))
        return claims

    @staticmethod
    def _lines(text: str, start: int, end: int):
        """A sentence split at line breaks (a headline glued to the lead by the parser)."""
        pos = start
        for m in re.finditer(r"\n+", text[start:end]):
            yield pos, start + m.start()
            pos = start + m.end()
        yield pos, end

    def _segment(self, doc: Doc, text: str, start: int, end: int) -> tuple[int, int] | None:
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return None
        toks = [t for t in span if not t.is_space]
        while toks and (toks[0].is_punct or toks[0].lower_ in LEADING_LINKS - RELATIVE_OPENERS):
            toks = toks[1:]
        while toks and (toks[-1].is_punct and toks[-1].text not in {"”", '"', ")"} or toks[-1].lower_ in LEADING_LINKS):
            toks = toks[:-1]
        if not toks or toks[0].lower_ in RELATIVE_OPENERS:
            # ", which was the first to report ...": a parenthesis about an attributed source
            return None
        if sum(1 for t in toks if t.is_alpha or t.like_num) < MIN_WORDS:
            return None
        if not any(t.tag_ in FINITE_TAGS or (t.tag_ == "VBN" and any(c.dep_ in {"aux", "auxpass"} for c in t.children))
                   for t in toks):
            return None
        ids = {t.i for t in toks}
        if any(t.lemma_.lower() in self.speech_verbs and any(c.dep_ == "nsubj" and c.i in ids and c.lower_ not in WRITER
                                                                for c in t.children)
               for t in toks):
            # "..., the Post noted", "Moscow has called ...": someone else's words the attribution step missed
            # ("I think", "we argued" are the writer's: the outlet's own voice)
            return None
        return toks[0].idx, toks[-1].idx + len(toks[-1])

    def reasons(self, span: list[Token], ents: list[SpacySpan]) -> list[str]:
        """Why the words ``span`` could be checked; ``ents`` are the named entities inside them."""
        reasons: list[str] = []

        def add(reason: str) -> None:
            if reason not in reasons:
                reasons.append(reason)

        for ent in ents:
            if ent.label_ == "DATE" and (any(c.isdigit() for c in ent.text) or MONTHS.search(ent.text)):
                add("date")
            elif ent.label_ == "TIME" and any(c.isdigit() for c in ent.text):
                add("date")
            elif ent.label_ == "CARDINAL" and ent.text.lower() != "one":
                add("number")
            elif ent.label_ == "PERCENT":
                add("percentage")
            elif ent.label_ == "MONEY":
                add("money")
            elif ent.label_ == "QUANTITY":
                add("quantity")
            elif ent.label_ == "EVENT":
                add("named_event")
            elif ent.label_ == "LAW" or any(t.lower_ in self.law_words for t in ent) and ent.label_ in {"ORG", "WORK_OF_ART", "PRODUCT"}:
                add("law_or_treaty")
        if "number" not in reasons and any(t.like_num and t.ent_type_ not in {"DATE", "TIME", "ORDINAL"} and any(c.isdigit() for c in t.text) for t in span):
            add("number")
        if any(t.lemma_.lower() in self.legal for t in span):
            add("legal_status")
        # a bare "more" is not a comparison one could check; "than", "unlike", "the largest" are
        if any(t.tag_ in {"JJS", "RBS"} and t.lower_ not in {"most", "least"} for t in span) or any(t.lower_ in self.comparison for t in span):
            add("comparison")
        actors = {e.text for e in ents if e.label_ in ACTOR_ENTS}
        past = any(t.tag_ == "VBD" or (t.tag_ == "VBN" and any(c.dep_ == "aux" for c in t.children)) for t in span)
        if len(actors) >= 2 and past:
            add("named_actors_past_action")
        return reasons


def make_claim_finder(options):
    return ClaimFinder(lexicons_for(options))
