"""Syntactic rules over the spaCy parse: speech-verb cues, "according to X", quotes, "reportedly"."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span as SpacySpan, Token

from ...lexicons import Lexicons
from ...model import Attribution, AttributionForm, Span
from ...nlp import doc_text
from ...textspans import SPAN_EDGE, trim_range
from .syntax import HEDGE_ADVERBS

QUOTE_RE = re.compile(r"[\"“”]([^\"“”]{2,}?)[\"“”]")
SUBJECTS = {"nsubj", "nsubjpass"}
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "advcl", "parataxis"}




def _subtree_span(token: Token, stop_at: set[str] | None = None) -> tuple[int, int]:
    """Character extent of ``token``'s subtree, leaving out children whose dep is in ``stop_at``."""
    tokens = [token]
    for child in token.children:
        if stop_at and child.dep_ in stop_at:
            continue
        tokens.extend(child.subtree)
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    return start, end


def _quote_spans(text: str, sent: SpacySpan) -> list[tuple[int, int]]:
    """Quoted stretches inside a sentence, as offsets including the quote marks."""
    out = []
    for m in QUOTE_RE.finditer(text, sent.start_char, sent.end_char):
        out.append((m.start(), m.end()))
    return out


def _form(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> str:
    inside = [(qs, qe) for qs, qe in quotes if qs >= start and qe <= end]
    if not inside:
        return "indirect"
    stripped = text[start:end].strip(SPAN_EDGE)
    covered = sum(qe - qs for qs, qe in inside)
    if covered >= len(stripped) - 2:
        return "direct"
    return "mixed"


class RuleAttributionExtractor:
    name = "attributions"
    requires: tuple[str, ...] = ()
    assigns = ("attributions",)

    def __init__(self, lexicons: Lexicons):
        self.verbs = lexicons.words("speech_verbs")

    def __call__(self, ctx) -> None:
        ctx.report.attributions = self.extract(ctx.doc)

    def extract(self, doc: Doc) -> list[Attribution]:
        text = doc_text(doc)
        found: list[tuple[tuple[int, int] | None, tuple[int, int] | None, tuple[int, int], AttributionForm]] = []
        for sent in doc.sents:
            quotes = _quote_spans(text, sent)
            found.extend(self._verb_cues(text, sent, quotes))
            found.extend(self._according_to(text, sent, quotes))
            found.extend(self._hedge_adverbs(text, sent))
        found.sort(key=lambda f: f[2][0])
        out: list[Attribution] = []
        seen: set[tuple[tuple[int, int], tuple[int, int] | None]] = set()
        for source, cue, content, form in found:
            key = (content, cue)
            if key in seen or content[1] <= content[0]:
                continue
            seen.add(key)
            out.append(
                Attribution(
                    id=f"a{len(out) + 1}",
                    source=Span.of(text, *source) if source else None,
                    cue=Span.of(text, *cue) if cue else None,
                    content=Span.of(text, *content),
                    form=form,
                )
            )
        return out

    def _verb_cues(self, text, sent, quotes):
        for tok in sent:
            if tok.pos_ not in {"VERB", "AUX"} or tok.lemma_.lower() not in self.verbs:
                continue
            subj = next((c for c in tok.children if c.dep_ in SUBJECTS), None)
            content_tok = next((c for c in tok.children if c.dep_ in CONTENT_DEPS and c.i > tok.i or c.dep_ == "ccomp"), None)
            passive_it = subj is not None and subj.lower_ == "it"
            if subj is None or passive_it:
                # "X is said to believe": subject of the passive raising verb is the source of nothing; reported
                if tok.lemma_ == "say" and any(c.dep_ == "auxpass" for c in tok.children):
                    xcomp = next((c for c in tok.children if c.dep_ in {"xcomp", "ccomp"}), None)
                    if xcomp is not None:
                        content = trim_range(text, *_subtree_span(tok.head if tok.dep_ != "ROOT" else tok))
                        content = trim_range(text, sent.start_char, sent.end_char)
                        yield None, (tok.idx, tok.idx + len(tok)), content, "reported"
                continue
            if content_tok is None:
                # speaker after a quote: “...,” she said.
                before = [q for q in quotes if q[1] <= tok.idx]
                if before and tok.i - sent.start < 40:
                    content = before[-1]
                    yield trim_range(text, *_subtree_span(subj, {"relcl", "appos", "punct"})), (tok.idx, tok.idx + len(tok)), content, "direct"
                continue
            cstart, cend = _subtree_span(content_tok)
            if cend <= tok.idx:
                cstart = min(cstart, sent.start_char)
            else:
                # content runs to the end of the sentence (trailing quotes, clauses after the verb)
                cend = max(cend, sent.end_char)
                if cstart < tok.idx:
                    cstart = tok.idx + len(tok)
            source = trim_range(text, *_subtree_span(subj, {"relcl", "punct"}))
            cstart, cend = trim_range(text, cstart, cend)
            if cstart >= cend:
                continue
            form = _form(text, cstart, cend, quotes)
            yield source, (tok.idx, tok.idx + len(tok)), (cstart, cend), form

    def _according_to(self, text, sent, quotes):
        for tok in sent:
            if tok.lower_ != "according":
                continue
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            if to is None and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
                to = tok.nbor()
            if to is None:
                continue
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            src = trim_range(text, *_subtree_span(pobj, {"relcl", "punct", "appos"}))
            phrase_start = tok.idx
            phrase_end = max(t.idx + len(t) for t in pobj.subtree)
            if phrase_start - sent.start_char < sent.end_char - phrase_end:
                content = trim_range(text, phrase_end, sent.end_char)
            else:
                content = trim_range(text, sent.start_char, phrase_start)
            if content[1] > content[0]:
                cue = (tok.idx, to.idx + len(to))
                yield src, cue, content, "according_to"

    def _hedge_adverbs(self, text, sent):
        for tok in sent:
            if tok.lower_ in HEDGE_ADVERBS and tok.dep_ == "advmod":
                head = tok.head
                start, end = _subtree_span(head, {"punct"})
                start, end = trim_range(text, start, end)
                if end > start:
                    yield None, (tok.idx, tok.idx + len(tok)), (start, end), "reported"
