"""The accurate tier: a fine-tuned MiniLM fragment tagger (int8 ONNX) averaged with the fast tier's CRF.

Both taggers give every word of the shared parse a probability of lying inside a propagandistic
fragment; their weighted mean is thresholded into fragments exactly as the fast tier does
(``PropagandaModel.fragments``), and the fast tier's classifier names each fragment's technique.
The two make different mistakes (the CRF sees lexicons and the parse, the encoder sees context),
so the mean beats either alone in cross-validation (docs/accuracy.md).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from ... import packaged
from ...lexicons import Lexicons
from ..token_tagger import TAG_O, OnnxTokenTagger
from .features import DocFeatures
from .model import Fragment, PropagandaModel, load_shipped

MODEL_NAME = "propaganda-accurate"
SPAN_TYPES = ("fragment",)
METADATA_FILE = "metadata.json"


def model_dir() -> Path:
    return packaged.model_dir(MODEL_NAME)


def word_inside_probability(log_probs: np.ndarray, offsets: list[tuple[int, int]],
                            starts: list[int], ends: list[int]) -> list[float]:
    """P(inside) of each word from ``[wordpieces, 3]`` O/B/I log-probabilities: the highest of the
    wordpieces it overlaps (a word split into pieces is inside when any piece is)."""
    inside = 1.0 - np.exp(log_probs[:, TAG_O])
    piece_starts = np.fromiter((s for s, _ in offsets), dtype=np.int64, count=len(offsets))
    piece_ends = np.fromiter((e for _, e in offsets), dtype=np.int64, count=len(offsets))
    # wordpieces are in text order: the pieces of word [s, e) are those from the first ending
    # after s up to the last starting before e
    first = np.searchsorted(piece_ends, np.asarray(starts), side="right")
    last = np.searchsorted(piece_starts, np.asarray(ends), side="left")
    return [float(inside[a:b].max()) if b > a else 0.0 for a, b in zip(first, last)]


def mean_probabilities(members: list[list[float]]) -> list[float]:
    """Word by word mean of several taggers' probabilities (an ensemble of fine-tuning seeds)."""
    if len(members) == 1:
        return members[0]
    return [sum(ps) / len(members) for ps in zip(*members)]


class FragmentTagger:
    """The fine-tuned tagger, or an ensemble of them (one per fine-tuning seed, metadata ``members``)
    whose word probabilities are averaged; all members share one tokenizer."""

    def __init__(self, directory: str | Path):
        directory = Path(directory)
        meta = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        files = [m["onnx_file"] for m in meta.get("members", [])] or [meta["onnx_file"]]
        self.members = [OnnxTokenTagger(directory, onnx_file=name) for name in files]
        # a tagger trained with technique heads has more span types; only the fragment head is read
        self.heads = [member.span_types.index(SPAN_TYPES[0]) for member in self.members]

    def inside_probability(self, feats: DocFeatures) -> list[float]:
        if not feats.starts:
            return []
        per_member = []
        for member, head in zip(self.members, self.heads):
            log_probs, offsets = member.log_probs(feats.text)
            per_member.append(word_inside_probability(log_probs[:, head, :], offsets, feats.starts, feats.ends))
        return mean_probabilities(per_member)


@dataclass(frozen=True)
class Blend:
    """How the two taggers' word probabilities are combined and cut into fragments."""

    crf_weight: float
    threshold: float
    # a run of words at or above ``threshold`` is a fragment when one of its words reaches ``peak``
    peak: float | None = None
    # add the fast tier's lexicon / scare-quote candidates where the taggers found nothing
    rules: bool = True

    def mix(self, crf: list[float], encoder: list[float]) -> list[float]:
        w = self.crf_weight
        return [w * c + (1.0 - w) * e for c, e in zip(crf, encoder)]

    def fragments(self, fast: PropagandaModel, feats: DocFeatures, probs: list[float]) -> list[tuple[int, int, float]]:
        """Span identification over mixed word probabilities, with the fast tier's run cutting."""
        return fast.fragments(feats, probs, self.threshold, rules=self.rules, peak=self.peak)


class AccuratePropagandaModel:
    def __init__(self, fast: PropagandaModel, tagger: FragmentTagger, blend: Blend):
        self.fast = fast
        self.tagger = tagger
        self.blend = blend

    @classmethod
    def load(cls, directory: str | Path | None = None, fast: PropagandaModel | None = None) -> "AccuratePropagandaModel":
        directory = Path(directory) if directory else model_dir()
        meta = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        return cls(fast or load_shipped(), FragmentTagger(directory), Blend(**meta["blend"]))

    def inside_probability(self, feats: DocFeatures) -> list[float]:
        return self.blend.mix(self.fast.inside_probability(feats), self.tagger.inside_probability(feats))

    def predict_features(self, feats: DocFeatures) -> list[Fragment]:
        return self.fast.classify(feats, self.blend.fragments(self.fast, feats, self.inside_probability(feats)))

    def predict(self, doc: Doc, lexicons: Lexicons) -> list[Fragment]:
        """``lexicons``: the word lists of the doc's language."""
        return self.predict_features(DocFeatures.of(doc, lexicons))


@lru_cache(maxsize=1)
def load_shipped_accurate() -> AccuratePropagandaModel:
    return AccuratePropagandaModel.load()
