"""Accurate tier: a fine-tuned MiniLM token tagger (ONNX, int8) for source / cue / content spans.

The encoder was fine-tuned on PolNeAR train (``sourcetrace.training.attributions_transformer``)
with three independent BIO heads, so a cue or source may sit inside another relation's
content. At run time only ``onnxruntime`` and ``tokenizers`` are needed: no torch, no hub.
Spans come from a BIO-constrained Viterbi pass over the window-averaged tag
probabilities; split multi-word cues and sources are rejoined, sources are widened to
the parse's noun phrases they cut into, and spans are grouped into relations by
proximity within sentences.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Token

from ... import packaged
from ...model import Attribution, Span
from ...nlp import doc_text
from .fast import attribution_form, link_nested, settle_content_end, without_dateline
from ..token_tagger import TAG_B, TAG_I, TAG_O, OnnxTokenTagger, bio_viterbi, tag_runs, windows  # noqa: F401
from .features import quotation_char_ranges

MODEL_NAME = "attributions-accurate"
SPAN_TYPES = ("source", "cue", "content")


def model_dir() -> Path:
    return packaged.model_dir(MODEL_NAME)


def decode_spans(log_probs: np.ndarray, offsets: list[tuple[int, int]], text: str,
                 o_bias: tuple[float, ...] = (0.0, 0.0, 0.0),
                 beliefs: dict[tuple[int, int], float] | None = None) -> dict[str, list[tuple[int, int]]]:
    """Character spans per type from ``[n_tokens, 3 types, 3 tags]`` log-probabilities.

    ``o_bias`` per type is subtracted from the O log-probability: a tagger that stops short of
    convergence is too cautious, and a bias calibrated on texts it never saw buys recall cheaply.
    ``beliefs``, when given, receives each content span's mean probability of not being O over its
    wordpieces (before the bias): how sure the tagger itself is, a feature of the confidence model.
    """
    out: dict[str, list[tuple[int, int]]] = {}
    for k, name in enumerate(SPAN_TYPES):
        lp = log_probs[:, k, :].copy()
        lp[:, TAG_O] -= o_bias[k]
        runs = tag_runs(bio_viterbi(lp))
        out[name] = [snap_to_words(text, offsets[s][0], offsets[e - 1][1]) for s, e in runs]
        if beliefs is not None and name == "content":
            for (s, e), span in zip(runs, out[name]):
                beliefs[span] = float(np.mean(1.0 - np.exp(log_probs[s:e, k, TAG_O])))
    return out


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that starts or ends inside a word (a tag change on a ##wordpiece) to whole words."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


_PHRASE_BREAKS = set(":\"“”‘’'") | {"'s", "’s"}


def _phrase_pieces(phrases) -> list[tuple[int, int]]:
    """Character ranges of phrases cut at line breaks, quote marks, colons and possessive 's:
    "Trump’s claim" gives "Trump" and "claim", since the source is the possessor."""
    pieces = set()
    for phrase in phrases:
        run: list[Token] = []
        for tok in list(phrase) + [None]:
            if tok is None or tok.is_space or tok.text in _PHRASE_BREAKS or tok.tag_ == "POS":
                if run:
                    pieces.add((run[0].idx, run[-1].idx + len(run[-1])))
                run = []
            else:
                run.append(tok)
    return sorted(pieces)


def snap_sources_to_phrases(spans: dict[str, list[tuple[int, int]]], doc) -> dict[str, list[tuple[int, int]]]:
    """Widen each source to the noun phrases and named entities it cuts into ("Donald" -> "Donald Trump").

    The tagger often stops inside a name or drops a determiner; the parse knows the phrase
    (on 12 dev texts, mid-training: source exact F1 +11 points; on gold spans it costs 1).
    """
    pieces = _phrase_pieces(list(doc.ents) + list(doc.noun_chunks))
    out = []
    for start, end in spans["source"]:
        for ps, pe in pieces:
            if ps >= end:
                break
            if pe > start:
                start, end = min(start, ps), max(end, pe)
        out.append((start, end))
    return {**spans, "source": sorted(set(out))}


def join_adjacent(spans: dict[str, list[tuple[int, int]]], text: str, names=("cue", "source")) -> dict[str, list[tuple[int, int]]]:
    """Join runs of one type that only whitespace separates: a B tag inside a multi-word cue
    ("is" + "telling") splits it, while two different cues or sources are almost never adjacent."""
    out = dict(spans)
    for name in names:
        joined: list[tuple[int, int]] = []
        for start, end in sorted(spans[name]):
            if joined and joined[-1][1] <= start and not text[joined[-1][1]:start].strip():
                joined[-1] = (joined[-1][0], end)
            else:
                joined.append((start, end))
        out[name] = joined
    return out


@dataclass
class Relation:
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: tuple[int, int]


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


def _sentence_index(sentences: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(sentences) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sentences[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def group_relations(spans: dict[str, list[tuple[int, int]]],
                    sentences: list[tuple[int, int]]) -> list[Relation]:
    """Pair each content with the nearest cue and that cue's nearest source.

    Candidates come from the sentences the content touches; a content with none there
    (the second sentence of a multi-sentence quote) looks one sentence back. Cues and
    sources inside the content belong to a nested relation, so they are skipped.
    """
    sentences = sentences or [(0, 10**12)]
    sent_of = lambda span: (_sentence_index(sentences, span[0]), _sentence_index(sentences, max(span[0], span[1] - 1)))

    def nearest(cands, target, lo, hi, exclude):
        best = None
        for c in cands:
            s0, s1 = sent_of(c)
            if s1 < lo or s0 > hi or _inside(c, exclude):
                continue
            d = _distance(c, target)
            if best is None or d < best[0]:
                best = (d, c)
        return best[1] if best else None

    out = []
    for content in spans["content"]:
        lo, hi = sent_of(content)
        cue = nearest(spans["cue"], content, lo, hi, content)
        if cue is None and lo > 0:
            cue = nearest(spans["cue"], content, lo - 1, hi, content)
        anchor = cue or content
        a_lo, a_hi = sent_of(anchor)
        source = nearest(spans["source"], anchor, min(a_lo, lo), max(a_hi, hi) if cue is None else a_hi, content)
        if source is None and cue is None and lo > 0:
            source = nearest(spans["source"], content, lo - 1, hi, content)
        out.append(Relation(source=source, cue=cue, content=content))
    return out


class OnnxTagger(OnnxTokenTagger):
    """The source / cue / content tagger, with its calibrated O-bias."""

    def __init__(self, path: Path | None = None, threads: int = 0):
        super().__init__(path or model_dir(), threads)
        self.o_bias = tuple(self.meta.get("o_bias", (0.0,) * len(SPAN_TYPES)))

    def spans(self, text: str, beliefs: dict[tuple[int, int], float] | None = None) -> dict[str, list[tuple[int, int]]]:
        if not text.strip():
            return {name: [] for name in SPAN_TYPES}
        lp, offsets = self.log_probs(text)
        return decode_spans(lp, offsets, text, self.o_bias, beliefs)


@lru_cache(maxsize=1)
def default_tagger() -> OnnxTagger:
    return OnnxTagger()


def content_order(relation: Relation) -> tuple[int, int]:
    return relation.content


def relations_to_attributions(text: str, relations: list[Relation]) -> list[Attribution]:
    """One attribution per relation, in the order given (text order: sorted by ``content_order``), with the fast
    tier's span conventions (datelines, content ends) and nesting."""
    out: list[Attribution] = []
    quotations = quotation_char_ranges(text) if relations else []
    for rel in relations:
        source = without_dateline(text, rel.source) if rel.source else None
        content = without_dateline(text, rel.content)
        content = (content[0], settle_content_end(text, *content, quotations))
        out.append(Attribution(
            id=f"a{len(out) + 1}",
            source=Span.of(text, *source) if source else None,
            cue=Span.of(text, *rel.cue) if rel.cue else None,
            content=Span.of(text, *content),
            form=attribution_form(text, content, source, rel.cue),
        ))
    return link_nested(out)


class AccurateAttributionExtractor:
    """Fills ``report.attributions`` from the ONNX tagger; sentences come from the shared parse."""

    name = "attributions"
    requires: tuple[str, ...] = ()
    assigns = ("attributions",)

    def __init__(self, tagger: OnnxTagger | None = None):
        self.tagger = tagger or default_tagger()

    def __call__(self, ctx) -> None:
        ctx.report.attributions = self.extract(ctx.doc)

    def extract(self, doc) -> list[Attribution]:
        """Attributions of a parsed text (the parse gives sentences and noun phrases)."""
        return self.extract_with_beliefs(doc)[0]

    def extract_with_beliefs(self, doc) -> tuple[list[Attribution], dict[str, float]]:
        """The attributions, and per attribution id the tagger's own belief in its content."""
        text = doc_text(doc)
        content_beliefs: dict[tuple[int, int], float] = {}
        spans = snap_sources_to_phrases(join_adjacent(self.tagger.spans(text, content_beliefs), text), doc)
        relations = sorted(group_relations(spans, [(s.start_char, s.end_char) for s in doc.sents]), key=content_order)
        attributions = relations_to_attributions(text, relations)  # one per relation, in this order
        return attributions, {a.id: content_beliefs.get(r.content, 0.0) for a, r in zip(attributions, relations)}
