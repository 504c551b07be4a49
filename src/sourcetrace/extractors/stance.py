"""How firmly each attribution is reported: neutral, assertive, distancing, hedged or negated.

The cue word and its neighbourhood in the parse decide; the word lists are lexicon files
(``stance_*.txt``, ``negation_words.txt``). Precedence: negated > hedged > distancing >
assertive > neutral, so "has not confirmed" is negated and "allegedly claimed" hedged.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..languages import lexicons_for
from ..lexicons import Lexicons
from ..model import Attribution

# verbs that withhold the content when the cue is their complement ("declined to confirm")
WITHHOLDING_HEADS = {"decline", "refuse", "fail"}


class StanceLexicon:
    def __init__(self, lexicons: Lexicons):
        self.assertive = lexicons.words("stance_assertive")
        self.distancing = lexicons.words("stance_distancing")
        self.hedged = lexicons.words("stance_hedged")
        self.passive_report = lexicons.words("stance_passive_report")
        self.negated = lexicons.words("stance_negated")
        self.negation = lexicons.words("negation_words")


def cue_head(doc: Doc, start: int, end: int) -> Token | None:
    """The syntactic head of a cue span (the verb of "has not officially confirmed")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    ids = {t.i for t in span}
    roots = [t for t in span if t.head.i not in ids or t.head.i == t.i]
    verbs = [t for t in roots if t.pos_ in {"VERB", "AUX"}] or [t for t in span if t.pos_ == "VERB"]
    return (verbs or roots or list(span))[0]


def classify_stance(doc: Doc, attribution: Attribution, lex: StanceLexicon) -> str:
    cue = attribution.cue
    cue_text = cue.text.lower().strip() if cue is not None else ""
    source_text = attribution.source.text.lower().strip() if attribution.source is not None else ""
    head = cue_head(doc, cue.start, cue.end) if cue is not None else None
    lemma = head.lemma_.lower() if head is not None else cue_text
    cue_words = set(cue_text.replace("’", "'").split())

    # negated: "has not confirmed", "never said", "denied", "declined to confirm"
    if head is not None:
        negs = {c.lower_ for c in head.children if c.dep_ in {"neg", "advmod", "preconj", "det"}}
        if negs & lex.negation or cue_words & lex.negation:
            return "negated"
        if head.dep_ == "xcomp" and head.head.lemma_.lower() in WITHHOLDING_HEADS:
            return "negated"
    if lemma in lex.negated:
        return "negated"

    # hedged: no source at all, hedge adverbs, "is said to", "according to reports"
    if attribution.source is None and attribution.form == "reported":
        return "hedged"
    if cue_text in lex.hedged or cue_words & lex.hedged:
        return "hedged"
    if attribution.form == "according_to" and " ".join(f"{cue_text} {_strip_det(source_text)}".split()) in lex.hedged:
        return "hedged"
    if head is not None:
        if any(c.dep_ == "advmod" and c.lower_ in lex.hedged for c in head.children):
            return "hedged"
        passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in head.children)
        to_clause = any(c.dep_ in {"xcomp", "ccomp"} for c in head.children)
        if passive and to_clause and lemma in lex.passive_report:
            return "hedged"

    if lemma in lex.distancing or cue_text in lex.distancing:
        return "distancing"
    if lemma in lex.assertive:
        return "assertive"
    return "neutral"


def _strip_det(text: str) -> str:
    for det in ("the ", "a "):
        if text.startswith(det):
            return text[len(det):]
    return text


class StanceClassifier:
    name = "stance"
    requires = ("attribution_chains", "speakers")
    assigns = ("stance",)

    def __init__(self, lexicons: Lexicons):
        self.lex = StanceLexicon(lexicons)

    def __call__(self, ctx) -> None:
        for attribution in ctx.report.attributions:
            attribution.stance = classify_stance(ctx.doc, attribution, self.lex)


def make_stance_classifier(options):
    return StanceClassifier(lexicons_for(options))
