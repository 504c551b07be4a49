"""Fit the fast tier on PTC articles: ``sourcetrace train propaganda --data DIR``.

Deterministic: the CRF (L-BFGS) and the logistic regression (L-BFGS) have no random state,
and the article order is fixed; ``seed`` only drives the cross-validation split.
"""
from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pycrfsuite

from ..corpora.ptc import GoldSpan, PtcArticle, read_ptc
from ..docblocks import machine
from ..extractors.propaganda import MODEL_NAME, TECHNIQUES
from ..extractors.propaganda.features import DocFeatures
from ..lexicons import english
from ..extractors.propaganda.model import (
    DEFAULT_THRESHOLD,
    METADATA_FILE,
    TAGGER_FILE,
    PropagandaModel,
    SpanTagger,
    TechniqueClassifier,
    rule_precision,
)

SEED = 13


@dataclass
class TrainConfig:
    seed: int = SEED
    threshold: float = DEFAULT_THRESHOLD
    crf_c1: float = 0.05
    crf_c2: float = 0.5
    # early stopping regularises: 80 L-BFGS iterations beat 150 in cross-validation
    crf_iterations: int = 80
    crf_minfreq: int = 2
    tc_c: float = 0.5
    tc_minfreq: int = 2
    rules: bool = True  # add lexicon / scare-quote candidates (scored by their training precision)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ParsedArticle:
    article: PtcArticle
    feats: DocFeatures


def parse_articles(articles: Sequence[PtcArticle], nlp=None, batch_size: int = 8) -> list[ParsedArticle]:
    """Parse with the shared pipeline (the same ``Doc`` the analyzer sees)."""
    if nlp is None:
        from ..nlp import load_pipeline

        nlp = load_pipeline()
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
    # the PTC articles are English
    return [ParsedArticle(a, DocFeatures.of(doc, english())) for a, doc in zip(articles, docs, strict=True)]


def merged_spans(spans: Iterable[GoldSpan]) -> list[tuple[int, int]]:
    """Overlapping fragments merged, technique dropped (span identification ignores labels)."""
    out: list[list[int]] = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if s.end <= s.start:
            continue
        if out and s.start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], s.end)
        else:
            out.append([s.start, s.end])
    return [(a, b) for a, b in out]


def token_labels(feats: DocFeatures, spans: Iterable[GoldSpan]) -> list[str]:
    """B/I/O per word: a word is inside when it overlaps a (merged) gold fragment."""
    labels = ["O"] * len(feats)
    for start, end in merged_spans(spans):
        first, last = feats.word_range(start, end)
        for k in range(first, last):
            begins = k == first or feats.sentence_of[k] != feats.sentence_of[k - 1]
            labels[k] = "B" if begins else "I"
    return labels


def train_tagger(parsed: Sequence[ParsedArticle], path: Path, config: TrainConfig) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for p in parsed:
        xs = p.feats.token_features()
        ys = token_labels(p.feats, p.article.spans)
        for first, end in p.feats.sentences:
            trainer.append(xs[first:end], ys[first:end])
    trainer.set_params({
        "c1": config.crf_c1,
        "c2": config.crf_c2,
        "max_iterations": config.crf_iterations,
        "feature.minfreq": config.crf_minfreq,
        "feature.possible_transitions": True,
    })
    trainer.train(str(path))


def span_instances(parsed: Sequence[ParsedArticle]) -> tuple[list[list[str]], list[str]]:
    X, y = [], []
    for p in parsed:
        for s in p.article.spans:
            if s.technique is None:
                continue
            X.append(p.feats.span_features(s.start, s.end))
            y.append(s.technique)
    return X, y


def train_classifier(X: list[list[str]], y: list[str], config: TrainConfig) -> TechniqueClassifier:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats in X for f in set(feats))
    vocab = sorted(f for f, c in counts.items() if c >= config.tc_minfreq)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, feats in enumerate(X):
        for c in {index[f] for f in feats if f in index}:
            rows.append(r)
            cols.append(c)
    matrix = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(X), len(vocab)))
    labels = [t for t in TECHNIQUES if t in set(y)]
    clf = LogisticRegression(C=config.tc_c, max_iter=2000, random_state=config.seed)
    clf.fit(matrix, y)
    order = [list(clf.classes_).index(t) for t in labels]
    return TechniqueClassifier(vocab, clf.coef_[order].T.copy(), clf.intercept_[order].copy(), labels)


def model_config(parsed: Sequence[ParsedArticle], config: TrainConfig) -> dict:
    """The run-time settings saved in the metadata: training config plus the rule scores."""
    scores = rule_precision((p.feats, merged_spans(p.article.spans)) for p in parsed) if config.rules else {}
    return {**config.as_dict(), "rule_scores": scores}


def fit(parsed: Sequence[ParsedArticle], out_dir: Path, config: TrainConfig) -> PropagandaModel:
    """Train both parts into ``out_dir`` and return the loaded model (no metadata timing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    train_tagger(parsed, out_dir / TAGGER_FILE, config)
    classifier = train_classifier(*span_instances(parsed), config)
    classifier.save(out_dir)
    return PropagandaModel(SpanTagger(out_dir / TAGGER_FILE, config.threshold), classifier,
                           {"config": model_config(parsed, config)})


def train(data_dir: str | Path, out_dir: str | Path | None = None, config: TrainConfig | None = None,
          limit: int | None = None) -> dict:
    """Read, parse, fit and write the weights plus ``metadata.json``; returns the metadata."""
    from ..nlp import pipeline_info

    config = config or TrainConfig()
    if out_dir is None:
        from ..extractors.propaganda.model import shipped_model_dir

        out_dir = shipped_model_dir()
    out_dir = Path(out_dir)
    started = time.perf_counter()
    articles = read_ptc(data_dir, limit=limit)
    parsed = parse_articles(articles)
    parsed_at = time.perf_counter()
    model = fit(parsed, out_dir, config)
    finished = time.perf_counter()
    files = {p.name: p.stat().st_size for p in sorted(out_dir.iterdir()) if p.name != METADATA_FILE}
    metadata = {
        "name": MODEL_NAME,
        "task": "SemEval-2020 Task 11 (span identification + technique classification)",
        "techniques": list(TECHNIQUES),
        "trained_on": {"data": str(Path(data_dir).name), "articles": len(articles),
                       "fragments": sum(len(a.spans) for a in articles)},
        "config": model.metadata["config"],
        "spacy_pipeline": pipeline_info(),
        "training_seconds": round(finished - started, 1),
        "parse_seconds": round(parsed_at - started, 1),
        "fit_seconds": round(finished - parsed_at, 1),
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "host": {"python": platform.python_version(), "cpus_visible": os.cpu_count()},
        "files": files,
        "size_bytes": sum(files.values()),
    }
    (out_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return metadata


def fit_temporary(parsed: Sequence[ParsedArticle], config: TrainConfig) -> PropagandaModel:
    """A model trained into a throw-away folder (cross-validation folds)."""
    tmp = Path(tempfile.mkdtemp(prefix="sourcetrace-propaganda-"))
    return fit(parsed, tmp, config)
