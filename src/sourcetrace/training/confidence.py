"""Fit the confidence models (``extractors/confidence.py``) on the tuning part of the who-says-so gold.

For every attribution the tier predicts in the tuning articles, the label is the scorer's own: whether it is
a gold statement (``evaluation.speakers``); for every gold statement the tier finds, whether the speaker is
right. Each is a logistic regression (scikit-learn, L2, fixed seed) over ``attribution_features``; the weights
are written as JSON with what they were fitted on.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from ..corpora.attribution_gold import GoldSet
from ..docblocks import machine, today
from ..evaluation.speakers import SpeakerScores, content_match, score_article, trimmed_span
from ..extractors.confidence import attribution_features

REGULARISATION = 0.1  # scikit-learn's C: chosen by 5-fold cross-validated calibration error on the tuning part (0.03-3)


Rows = list[tuple[dict, int]]


def training_rows(gold: GoldSet, part: str, analyze) -> tuple[list[Rows], list[Rows]]:
    """Per article: (features, is a statement) for every prediction, (features, speaker right) for every found one."""
    statements: list[Rows] = []
    speakers: list[Rows] = []
    for g in gold.part(part):
        statements.append([])
        speakers.append([])
        report = analyze(g.article)
        sources = {s.id: s for s in report.sources}
        scores = SpeakerScores()
        score_article(g, report, scores)
        golds = [trimmed_span(report.text, s.content.start, s.content.end) for s in g.statements]
        for a in report.attributions:
            span = trimmed_span(report.text, a.content.start, a.content.end)
            label = int(any(content_match(gs, span) for gs in golds))
            statements[-1].append((attribution_features(report, a, sources.get(a.source_id)), label))
        for r in scores.results:
            if r.predicted is not None:
                speakers[-1].append((attribution_features(report, r.predicted, r.predicted_source),
                                     int(r.speaker_right)))
    return statements, speakers


def cross_validated_ece(rows_by_article: list[list[tuple[dict, int]]], folds: int = 5) -> float | None:
    """Expected calibration error of held-out predictions, the articles split into ``folds`` (KFold, no shuffle)."""
    from sklearn.model_selection import KFold

    from ..evaluation.speakers import expected_calibration_error
    from ..extractors.confidence import probability

    pairs = []
    for train_idx, test_idx in KFold(n_splits=folds).split(rows_by_article):
        weights = fit([r for i in train_idx for r in rows_by_article[i]])
        pairs += [(probability(weights, f), bool(y)) for i in test_idx for f, y in rows_by_article[i]]
    return expected_calibration_error(pairs)


def fit(rows: list[tuple[dict, int]]) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform([f for f, _ in rows])
    y = [label for _, label in rows]
    # the intercept is not penalised (a penalised one pulls every probability towards one half)
    model = LogisticRegression(C=REGULARISATION, max_iter=2000, random_state=13).fit(x, y)
    weights = {name: round(float(w), 6) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])}
    weights["bias"] = round(float(model.intercept_[0]), 6)
    return weights


def train(gold: GoldSet, part: str, tier: str, analyze, out: Path) -> dict:
    t0 = time.perf_counter()
    statements, speakers = training_rows(gold, part, analyze)
    model = {
        "attribution": fit([r for rows in statements for r in rows]),
        "speaker": fit([r for rows in speakers for r in rows]),
        "meta": {"tier": tier, "gold_part": part, "articles": len(gold.part(part)),
                 "attribution_rows": sum(map(len, statements)), "speaker_rows": sum(map(len, speakers)),
                 "cv_ece_attribution": round(cross_validated_ece(statements) or 0.0, 4),
                 "cv_ece_speaker": round(cross_validated_ece(speakers) or 0.0, 4),
                 "regularisation": REGULARISATION, "trained": today(), "machine": machine(),
                 "seconds": round(time.perf_counter() - t0, 1)},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(out)
    return model
