"""Nested attribution chains and first reports.

"multiple news outlets reported ..., citing unnamed American officials" is two attributions: the
outlets' report and, inside it, the officials' (``parent`` = the outlets'). The attribution
extractor may or may not have found the outer one (a parser often attaches "reported" oddly in
this inverted order); this step adds what is missing, links the chain, and renumbers ids in text
order with ``parent`` references kept.

"According to the Washington Post, which was the first to report ..." records the outlet as the
first reporter: ``ctx.first_reports`` (mention and cue offsets), which the profile step maps onto
``sources[]``.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..languages import lexicons_for
from ..lexicons import Lexicons
from ..model import Attribution, Span
from ..nlp import T_LOWER, T_POS, column_in, doc_text, tokens_of
from ..textspans import trim_range
from .sources import MentionResolver, mention_resolver

CITING_WORDS = {"citing", "quoting"}
CITING_POS = {"VERB", "NOUN", "ADP"}

# "X, which was the first to report", "X, which first reported", "first reported by X", "X first reported",
# "as X first reported", "X broke the story"
_REL_FIRST = re.compile(r"\b(which|who|that)\s+(?:was|were|had been|is)?\s*(?:the\s+)?first\s+(?:outlet\s+|news\s+outlet\s+|newspaper\s+|one\s+)?"
                        r"(?:to\s+)?(?:report|reported|break|broke|reveal|revealed|publish|published|disclose|disclosed)\b", re.I)
_BY_FIRST = re.compile(r"\bfirst\s+(?:reported|revealed|published|disclosed)\s+(?:by|in)\s+", re.I)
_SUBJ_FIRST = re.compile(r"\b(?:first\s+(?:reported|revealed|published|disclosed)|was\s+(?:the\s+)?first\s+to\s+(?:report|reveal|publish)|broke\s+the\s+(?:news|story))\b", re.I)




def _np_extent(head: Token, drop: frozenset[str] = frozenset({"relcl", "punct", "appos", "acl", "advcl"})) -> tuple[int, int]:
    toks = [head]
    for child in head.children:
        if child.dep_ in drop:
            continue
        toks.extend(child.subtree)
    return min(t.idx for t in toks), max(t.idx + len(t) for t in toks)


def _line_start(text: str, pos: int, floor: int) -> int:
    nl = text.rfind("\n", floor, pos)
    return nl + 1 if nl >= 0 else floor


class FirstReport(NamedTuple):
    """"According to X, which was the first to report ...": X's mention and the words that say so."""

    mention: tuple[int, int]
    cue: tuple[int, int]


class ChainLinker:
    name = "chains"
    requires = ("page_attributions",)
    # the attributions again, nested ones linked to their parent and renumbered in text order
    assigns = ("attribution_chains", "first_reports")

    def __init__(self, lexicons: Lexicons):
        self.speech_verbs = lexicons.words("speech_verbs")

    def __call__(self, ctx) -> None:
        doc, report = ctx.doc, ctx.report
        text = report.text
        atts = list(report.attributions)
        citing = column_in(doc, T_LOWER, CITING_WORDS) & column_in(doc, T_POS, CITING_POS)
        for cite in tokens_of(doc, citing):
            self._citing(doc, text, cite, atts)
        report.attributions = _renumber(atts)
        resolver = mention_resolver(ctx)
        ctx.first_reports = self._first_reports(doc, text, resolver)

    # -- "..., citing X" --------------------------------------------------------------------------
    def _citing(self, doc: Doc, text: str, cite: Token, atts: list[Attribution]) -> None:
        cited = self._cited_np(text, cite)
        if cited is None:
            return
        cue = (cite.idx, cite.idx + len(cite))
        existing = next((a for a in atts if a.cue is not None and (a.cue.start, a.cue.end) == cue), None)
        sent = cite.sent
        parent = self._parent(atts, sent, cite, self.speech_verbs)
        if parent is None:
            parent = self._build_parent(doc, text, sent, cite)
            if parent is None:
                return
            atts.append(parent)
        if existing is not None:
            if existing.parent is None and existing is not parent:
                existing.parent = parent.id
            return
        atts.append(Attribution(
            id=f"tmp{len(atts) + 1}",
            source=Span.of(text, *cited),
            cue=Span.of(text, *cue),
            content=parent.content,
            form="indirect" if parent.form in {"direct", "mixed", "reported"} else parent.form,
            parent=parent.id,
        ))

    @staticmethod
    def _cited_np(text: str, cite: Token) -> tuple[int, int] | None:
        obj = next((c for c in cite.children if c.dep_ in {"dobj", "pobj", "obj", "attr"}), None)
        if obj is not None:
            start, end = min(t.idx for t in obj.subtree), max(t.idx + len(t) for t in obj.subtree)
        else:
            # tagger slips: take the words after "citing" up to the next clause break
            after = []
            for t in cite.doc[cite.i + 1:cite.sent.end]:
                if t.is_punct and t.text in {",", ".", ";", ":"}:
                    break
                after.append(t)
            if not after:
                return None
            start, end = after[0].idx, after[-1].idx + len(after[-1])
        start, end = trim_range(text, start, end)
        return (start, end) if end > start else None

    @staticmethod
    def _parent(atts: list[Attribution], sent: SpacySpan, cite: Token, speech_verbs) -> Attribution | None:
        """The reporting attribution in the same sentence (and line) whose cue comes last before "citing"."""
        doc = sent.doc
        floor = _line_start(doc_text(doc), cite.idx, sent.start_char)

        def reports(cue: Span) -> bool:
            span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
            return span is not None and any(t.lemma_.lower() in speech_verbs or t.lower_ == "according" for t in span)

        before = [(a.cue.start, a) for a in atts if a.cue is not None and floor <= a.cue.start < cite.idx
                  and a.cue.text.lower() not in CITING_WORDS and a.source is not None and reports(a.cue)]
        return max(before, key=lambda pair: pair[0])[1] if before else None

    def _build_parent(self, doc: Doc, text: str, sent: SpacySpan, cite: Token) -> Attribution | None:
        """"X has decided ..., multiple news outlets reported on Tuesday, citing ...": the outer report."""
        floor = _line_start(text, cite.idx, sent.start_char)
        verb = next((t for t in reversed(doc[sent.start:cite.i]) if t.pos_ in {"VERB", "AUX"} and t.idx >= floor
                     and t.lemma_.lower() in self.speech_verbs), None)
        if verb is None:
            return None
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None:
            src = _np_extent(subj)
        elif verb.dep_ in {"acl", "relcl"} and verb.head.i < verb.i:
            # misparse "news outlets reported" as a noun with a participle: the noun is the subject
            noun = verb.head
            toks = [noun] + [t for c in noun.lefts for t in c.subtree]
            src = min(t.idx for t in toks), noun.idx + len(noun)
        else:
            return None
        src = trim_range(text, *src)
        ccomp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if ccomp is not None and ccomp.i > verb.i:
            content = trim_range(text, *(min(t.idx for t in ccomp.subtree), max(t.idx + len(t) for t in ccomp.subtree)))
        else:
            # the reported clause is what precedes the source in this sentence (or line)
            start = _line_start(text, src[0], sent.start_char)
            content = trim_range(text, start, src[0])
        if content[1] <= content[0] or src[1] <= src[0]:
            return None
        return Attribution(
            id=f"tmp-parent-{cite.i}",
            source=Span.of(text, *src),
            cue=Span.of(text, verb.idx, verb.idx + len(verb)),
            content=Span.of(text, *content),
            form="indirect",
        )

    # -- first reports -----------------------------------------------------------------------------
    def _first_reports(self, doc: Doc, text: str, resolver: MentionResolver) -> list[FirstReport]:
        found: list[FirstReport] = []
        for m in _REL_FIRST.finditer(text):
            rel = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            if rel is None:
                continue
            np = resolver.relative_antecedent(rel[0])
            if np:
                mention = trim_range(text, np[0].idx, np[-1].idx + len(np[-1]))
                found.append(FirstReport(mention, (m.start(), m.end())))
        for m in _BY_FIRST.finditer(text):
            tok = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
            if tok is None:
                continue
            head = tok[0]
            while head.dep_ in {"compound", "det", "amod", "poss"} and head.head.i > head.i:
                head = head.head
            found.append(FirstReport(trim_range(text, *_np_extent(head)), (m.start(), m.end())))
        for m in _SUBJ_FIRST.finditer(text):
            if re.match(r"\s+(?:by|in)\b", text[m.end():]):
                continue  # "first reported by X": the passive pattern above
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None:
                continue
            verb = next((t for t in span if t.pos_ in {"VERB", "AUX"}), None)
            if verb is None:
                continue
            subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is None and verb.dep_ in {"xcomp", "acl", "relcl"} and verb.head.lemma_ == "be":
                # "X was the first to report": the subject of "was"
                subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.lower_ in {"which", "who", "that"}:
                continue
            mention = trim_range(text, *_np_extent(subj))
            if all(f.mention != mention for f in found):
                found.append(FirstReport(mention, (m.start(), m.end())))
        return found


def _renumber(atts: list[Attribution]) -> list[Attribution]:
    """Ids a1, a2, ... in text order, parents re-pointed."""
    ordered = sorted(atts, key=lambda a: (a.content.start, a.cue.start if a.cue else a.content.start))
    mapping = {id(a): f"a{i + 1}" for i, a in enumerate(ordered)}
    old_to_new = {a.id: mapping[id(a)] for a in ordered}
    for a in ordered:
        if a.parent is not None:
            a.parent = old_to_new.get(a.parent, a.parent)
    for a in ordered:
        a.id = mapping[id(a)]
    return ordered


def make_chain_linker(options):
    return ChainLinker(lexicons_for(options))
