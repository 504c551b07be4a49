"""The fast tier: a CRF tagger marks propagandistic fragments (span identification), a linear
classifier names the technique of each fragment (technique classification).

Weights are plain files: the CRFsuite model, the classifier's coefficients as ``.npz`` and its
feature vocabulary as JSON, so loading needs neither pickle nor scikit-learn.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pycrfsuite
from spacy.tokens import Doc

from ... import packaged
from ...lexicons import Lexicons
from ...textspans import RangeIndex

from . import MODEL_NAME, TECHNIQUES
from .features import DocFeatures

TAGGER_FILE = "tagger.crfsuite"
CLASSIFIER_FILE = "techniques.npz"
VOCAB_FILE = "techniques-vocab.json"
METADATA_FILE = "metadata.json"

# a word is inside a fragment when the tagger gives "not O" at least this probability
DEFAULT_THRESHOLD = 0.2
# fragments never start or end with these (the PTC v2 boundary convention)
EDGE_PUNCT = set(" \n.,:;\"“”'‘’()[]-–—")
# Rule candidates added where the tagger found nothing: curated loaded-word phrases and short
# scare-quoted fragments. They catch loaded words the 300 training articles never saw, at a small
# cost on PTC (5-fold CV SI F1 0.370 vs 0.378 tagger only; the name-calling lexicon cost more
# and is left to the tagger as a feature).
RULE_LEXICONS = ("LOAD",)
RULE_QUOTE = "quote"
MAX_SCARE_QUOTE_WORDS = 4
QUOTE_MARKS = {'"', "“", "”", "«", "»", "''", "``"}


@dataclass(frozen=True)
class Fragment:
    start: int
    end: int
    technique: str
    score: float  # span probability times technique probability


class TechniqueClassifier:
    """Multinomial logistic regression over sparse binary span features."""

    def __init__(self, vocab: list[str], coef: np.ndarray, intercept: np.ndarray, labels: list[str]):
        self.index = {f: i for i, f in enumerate(vocab)}
        self.vocab = vocab
        self.coef = coef.astype(np.float32)  # (features, labels)
        self._coef_and_zero = np.vstack((self.coef, np.zeros((1, self.coef.shape[1]), dtype=np.float32)))
        self.intercept = intercept.astype(np.float32)
        self.labels = labels

    def proba(self, features: list[str]) -> np.ndarray:
        # rows in index order: a float sum in set order differs from one process to the next (string hashing)
        rows = sorted({self.index[f] for f in features if f in self.index})
        logits = self.intercept + (self.coef[rows].sum(axis=0) if rows else 0.0)
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    def proba_many(self, feature_lists: list[list[str]]) -> np.ndarray:
        """``proba`` of each feature list, one row each, in a few array operations for them all (the same sums in
        the same order: each row's weights added one after another in index order)."""
        index = self.index
        picked = [sorted({index[f] for f in features if f in index}) for features in feature_lists]
        # each list's rows padded with a row of zeros to the longest, gathered as (lists, rows, labels) and summed
        # over the rows: numpy adds along that axis one row after another, as ``proba``'s sum (np.add.reduceat
        # does not: its sums differ in the last bits)
        width = max(map(len, picked), default=0)
        zero = len(self.coef)
        padded = np.full((len(picked), width), zero, dtype=np.intp)
        for k, rows in enumerate(picked):
            padded[k, :len(rows)] = rows
        sums = self._coef_and_zero[padded].sum(axis=1)
        logits = self.intercept + sums
        logits = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, directory: Path) -> None:
        np.savez_compressed(directory / CLASSIFIER_FILE, coef=self.coef.astype(np.float16), intercept=self.intercept)
        (directory / VOCAB_FILE).write_text(json.dumps({"labels": self.labels, "features": self.vocab}), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "TechniqueClassifier":
        meta = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
        with np.load(directory / CLASSIFIER_FILE) as arrays:
            return cls(meta["features"], arrays["coef"].astype(np.float32), arrays["intercept"], meta["labels"])


class SpanTagger:
    """A B/I/O CRF over the words of each sentence; fragments are runs of words above a threshold."""

    def __init__(self, path: Path, threshold: float = DEFAULT_THRESHOLD):
        self.path = path
        self.threshold = threshold
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        # a CRFsuite tagger holds the current sequence: one caller at a time
        self._lock = threading.Lock()

    def inside_probability(self, feats: DocFeatures, token_features: list[list[str]] | None = None) -> list[float]:
        """P(word is inside a fragment) for every word."""
        token_features = token_features if token_features is not None else feats.token_features()
        probs: list[float] = []
        tagger = self._tagger
        marginal = tagger.marginal
        with self._lock:
            for first, end in feats.sentences:
                tagger.set(token_features[first:end])
                probs += [1.0 - marginal("O", k) for k in range(end - first)]
        return probs

def _trimmed(feats: DocFeatures, first: int, last: int) -> tuple[int, int]:
    """Character span of words [first, last) without edge punctuation (may be empty)."""
    start, stop = feats.starts[first], feats.ends[last - 1]
    while start < stop and feats.text[start] in EDGE_PUNCT:
        start += 1
    while stop > start and feats.text[stop - 1] in EDGE_PUNCT:
        stop -= 1
    return start, stop


def runs_to_fragments(feats: DocFeatures, probs: list[float], threshold: float,
                      peak: float | None = None) -> list[tuple[int, int, float]]:
    """Character spans (start, end, mean probability) of runs of words at or above ``threshold``.

    With ``peak`` (hysteresis), a run is kept only when some word in it reaches ``peak``: a low
    threshold finds a fragment's whole extent, the peak keeps the faint runs out.
    """
    peak = threshold if peak is None else peak
    out = []
    for first, end in feats.sentences:
        k = first
        while k < end:
            if probs[k] < threshold:
                k += 1
                continue
            run_start = k
            while k < end and probs[k] >= threshold:
                k += 1
            if max(probs[run_start:k]) < peak:
                continue
            start, stop = _trimmed(feats, run_start, k)
            if stop > start:
                out.append((start, stop, sum(probs[run_start:k]) / (k - run_start)))
    return out


def rule_candidates(feats: DocFeatures) -> list[tuple[int, int, str]]:
    """(start, end, rule) of lexicon-phrase runs and short scare-quoted fragments, within sentences."""
    out = []
    n = len(feats)
    wanted = set(RULE_LEXICONS)
    lex = feats.lex
    k = 0
    while k < n:
        tags = wanted.intersection(lex[k]) if lex[k] else None  # most words are in no lexicon: no set for them
        if not tags:
            k += 1
            continue
        first = k
        while k < n and wanted.intersection(feats.lex[k]) and feats.sentence_of[k] == feats.sentence_of[first]:
            k += 1
        start, stop = _trimmed(feats, first, k)
        if stop > start:
            out.append((start, stop, min(tags)))
    k = 0
    while k < n:
        if not feats.quoted[k] or feats.lower[k] in QUOTE_MARKS:
            k += 1
            continue
        first = k
        while (k < n and feats.quoted[k] and feats.lower[k] not in QUOTE_MARKS
               and feats.sentence_of[k] == feats.sentence_of[first]):
            k += 1
        if sum(feats.pos[j] != "PUNCT" for j in range(first, k)) <= MAX_SCARE_QUOTE_WORDS:
            start, stop = _trimmed(feats, first, k)
            if stop > start:
                out.append((start, stop, RULE_QUOTE))
    return out


def combine(tagged: list[tuple[int, int, float]], rules: list[tuple[int, int, str]],
            rule_scores: dict[str, float]) -> list[tuple[int, int, float]]:
    """Tagger fragments plus the rule candidates that overlap none of them (nor each other)."""
    out = list(tagged)
    # found by position, not by testing every fragment for each candidate (quadratic on long texts): the tagger's
    # through an index; the candidates added come in order of start, so one of them overlaps [start, stop) exactly
    # when the largest end among them passes ``start``
    fragments = RangeIndex([(s, e) for s, e, _ in tagged])
    added_end: int | None = None
    for start, stop, rule in sorted(rules):
        if rule not in rule_scores:
            continue
        if any(min(stop, tagged[j][1]) > max(start, tagged[j][0]) for j in fragments.candidates(start, stop)):
            continue
        if added_end is not None and min(stop, added_end) > start:
            continue
        out.append((start, stop, rule_scores[rule]))
        added_end = stop if added_end is None else max(added_end, stop)
    return sorted(out)


def rule_precision(feats_and_gold) -> dict[str, float]:
    """Share of each rule's candidates that overlap a gold fragment: the rule's score."""
    hits: dict[str, int] = {}
    total: dict[str, int] = {}
    for feats, gold in feats_and_gold:
        for start, stop, rule in rule_candidates(feats):
            total[rule] = total.get(rule, 0) + 1
            if any(min(stop, e) > max(start, s) for s, e in gold):
                hits[rule] = hits.get(rule, 0) + 1
    return {rule: round(hits.get(rule, 0) / n, 4) for rule, n in sorted(total.items())}


class PropagandaModel:
    def __init__(self, tagger: SpanTagger, classifier: TechniqueClassifier, metadata: dict):
        self.tagger = tagger
        self.classifier = classifier
        self.metadata = metadata
        self.rule_scores: dict[str, float] = metadata.get("config", {}).get("rule_scores", {})

    def fragments(self, feats: DocFeatures, probs: list[float], threshold: float | None = None,
                  rules: bool = True, peak: float | None = None) -> list[tuple[int, int, float]]:
        """Span identification: tagger runs above the threshold, completed by the rule candidates."""
        threshold = self.tagger.threshold if threshold is None else threshold
        tagged = runs_to_fragments(feats, probs, threshold, peak)
        return combine(tagged, rule_candidates(feats), self.rule_scores) if rules else tagged

    @classmethod
    def load(cls, directory: str | Path) -> "PropagandaModel":
        directory = Path(directory)
        metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        threshold = metadata.get("config", {}).get("threshold", DEFAULT_THRESHOLD)
        return cls(SpanTagger(directory / TAGGER_FILE, threshold), TechniqueClassifier.load(directory), metadata)

    def inside_probability(self, feats: DocFeatures) -> list[float]:
        return self.tagger.inside_probability(feats)

    def classify(self, feats: DocFeatures, spans: list[tuple[int, int, float]]) -> list[Fragment]:
        """Technique classification: each span's most probable technique, scored span x technique probability."""
        out: list[Fragment] = []
        feats.count_occurrences((start, end) for start, end, _ in spans)  # repetition counts: every span at once
        if not spans:
            return out
        dists = self.classifier.proba_many([feats.span_features(start, end) for start, end, _ in spans])
        for (start, end, span_prob), dist, best in zip(spans, dists, dists.argmax(axis=1).tolist()):
            out.append(Fragment(start, end, self.classifier.labels[best], round(float(span_prob * dist[best]), 4)))
        return out

    def predict_features(self, feats: DocFeatures) -> list[Fragment]:
        return self.classify(feats, self.fragments(feats, self.inside_probability(feats)))

    def predict(self, doc: Doc, lexicons: Lexicons) -> list[Fragment]:
        """``lexicons``: the word lists of the doc's language."""
        return self.predict_features(DocFeatures.of(doc, lexicons))


def shipped_model_dir() -> Path:
    return packaged.model_dir(MODEL_NAME)


@lru_cache(maxsize=1)
def load_shipped() -> PropagandaModel:
    return PropagandaModel.load(shipped_model_dir())


assert len(TECHNIQUES) == 14
