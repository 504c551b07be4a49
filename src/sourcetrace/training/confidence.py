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

# scikit-learn's C, chosen per model from this grid by 5-fold cross-validated calibration error on the tuning part
REGULARISATION_GRID = (0.03, 0.05, 0.1, 0.2, 0.3, 1.0)
REGULARISATION = 0.1  # the default when no choice is made


Rows = list[tuple[dict, int]]


def training_rows(gold: GoldSet, part: str, analyze) -> tuple[list[Rows], list[Rows]]:
    """Per article: (features, is a statement) for every prediction, (features, speaker right) for every found one.
    ``analyze(article)`` returns the report and what its recall stage added (ids, each with the tagger's belief)."""
    statements: list[Rows] = []
    speakers: list[Rows] = []
    for g in gold.part(part):
        statements.append([])
        speakers.append([])
        report, recall_stage = analyze(g.article)
        sources = {s.id: s for s in report.sources}
        scores = SpeakerScores()
        score_article(g, report, scores)
        golds = [trimmed_span(report.text, s.content.start, s.content.end) for s in g.statements]
        for a in report.attributions:
            span = trimmed_span(report.text, a.content.start, a.content.end)
            label = int(any(content_match(gs, span) for gs in golds))
            statements[-1].append((attribution_features(report, a, sources.get(a.source_id), recall_stage), label))
        for r in scores.results:
            if r.predicted is not None:
                speakers[-1].append((attribution_features(report, r.predicted, r.predicted_source, recall_stage),
                                     int(r.speaker_right)))
    return statements, speakers


def out_of_fold(rows_by_article: list[Rows], folds: int = 5, c: float = REGULARISATION) -> list[tuple[float, bool, dict]]:
    """(probability, label, features) of every row, from a model fitted without its article's fold (KFold, no
    shuffle)."""
    from sklearn.model_selection import KFold

    from ..extractors.confidence import probability

    pairs = []
    for train_idx, test_idx in KFold(n_splits=folds).split(rows_by_article):
        weights = fit([r for i in train_idx for r in rows_by_article[i]], c)
        pairs += [(probability(weights, f), bool(y), f) for i in test_idx for f, y in rows_by_article[i]]
    return pairs


def cross_validated_ece(rows_by_article: list[Rows], folds: int = 5, c: float = REGULARISATION) -> float | None:
    """Expected calibration error of held-out predictions, the articles split into ``folds``."""
    from ..evaluation.speakers import expected_calibration_error

    return expected_calibration_error([(p, ok) for p, ok, _ in out_of_fold(rows_by_article, folds, c)])


def best_regularisation(rows_by_article: list[Rows]) -> tuple[float, float]:
    """The grid's C with the lowest cross-validated calibration error, and that error."""
    scored = [(cross_validated_ece(rows_by_article, c=c) or 0.0, c) for c in REGULARISATION_GRID]
    ece, c = min(scored)
    return c, ece


# the statement precision the accurate tier must keep on recent articles (issue #17: it earns its place by more
# who-says-so at precision >= 0.80); what its recall stage adds is kept down to the confidence that holds it
PRECISION_FLOOR = 0.80


def keep_threshold(rows: list[tuple[float, bool, dict]], floor: float = PRECISION_FLOOR) -> float | None:
    """The lowest confidence cut (steps of 0.05) at which the tier's whole reading, the fast tier's and what the
    recall stage adds above the cut, is at least ``floor`` precise on out-of-fold probabilities. Where the fast
    reading alone is below the floor, the cut at which what is added is at least as precise as the rest."""
    base = [ok for _, ok, f in rows if not f.get("recall_stage")]
    added = [(p, ok) for p, ok, f in rows if f.get("recall_stage")]
    if not base or not added:
        return None
    base_precision = sum(base) / len(base)
    for step in range(0, 20):
        cut = step / 20
        kept = [ok for p, ok in added if p >= cut]
        if base_precision >= floor:
            if (sum(base) + sum(kept)) / (len(base) + len(kept)) >= floor:
                return cut
        elif not kept or sum(kept) / len(kept) >= base_precision:
            return cut
    return 1.0


def fit(rows: list[tuple[dict, int]], c: float = REGULARISATION) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform([f for f, _ in rows])
    y = [label for _, label in rows]
    # the intercept is not penalised (a penalised one pulls every probability towards one half)
    model = LogisticRegression(C=c, max_iter=2000, random_state=13).fit(x, y)
    weights = {name: round(float(w), 6) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])}
    weights["bias"] = round(float(model.intercept_[0]), 6)
    return weights


def train(gold: GoldSet, part: str, tier: str, analyze, out: Path) -> dict:
    """Fit both models; for a tier with a recall stage, also the confidence below which what that stage adds is
    dropped (``keep_threshold``)."""
    t0 = time.perf_counter()
    statements, speakers = training_rows(gold, part, analyze)
    c_attribution, ece_attribution = best_regularisation(statements)
    c_speaker, ece_speaker = best_regularisation(speakers)
    model = {
        "attribution": fit([r for rows in statements for r in rows], c_attribution),
        "speaker": fit([r for rows in speakers for r in rows], c_speaker),
        "meta": {"tier": tier, "gold_part": part, "articles": len(gold.part(part)),
                 "attribution_rows": sum(map(len, statements)), "speaker_rows": sum(map(len, speakers)),
                 "cv_ece_attribution": round(ece_attribution, 4), "cv_ece_speaker": round(ece_speaker, 4),
                 "regularisation": {"attribution": c_attribution, "speaker": c_speaker},
                 "trained": today(), "machine": machine(), "seconds": round(time.perf_counter() - t0, 1)},
    }
    if any(f.get("recall_stage") for rows in statements for f, _ in rows):
        model["keep_threshold"] = keep_threshold(out_of_fold(statements, c=c_attribution))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(out)
    return model
