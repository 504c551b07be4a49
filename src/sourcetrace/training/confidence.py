"""Fit the confidence models (``extractors/confidence.py``) on the tuning part of the who-says-so gold.

For every attribution the tier predicts in the tuning articles, the label is the scorer's own: whether it is
a gold statement (``evaluation.speakers``); for every gold statement the tier finds, whether the speaker is
right. Each is a logistic regression (scikit-learn, L2, fixed seed) over ``attribution_features`` or a steadier
subset of them, the set and the regularisation chosen by cross-validation on that part alone (``best_choice``); the
weights are written as JSON with what they were fitted on and how they were chosen.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from ..corpora.attribution_gold import GoldSet
from ..docblocks import machine, today
from ..evaluation.speakers import SpeakerScores, content_match, score_article, trimmed_span
from ..extractors.confidence import attribution_features

# Each model is chosen among feature sets x scikit-learn's C by 5-fold cross-validation over the tuning part's
# articles (in order and shuffled with CV_SEEDS): the held-out predictions are scored as a held-out set of articles
# would score them, on HALF_SETS random halves of the articles (their calibration error varies from article to
# article far more than from statement to statement). Chosen, among the choices whose Brier score is within
# BRIER_MARGIN of the sharpest: the lowest Brier score (a proper score: calibration and
# sharpness together) among the choices whose half-set calibration error is within TARGET_ECE nine times in ten; where
# none is, among those within it on average; where none is, the lowest Brier score. (Chosen by the cross-validated error alone, the speaker model had 0.01 on
# tune and 0.068 on the check part.)
REGULARISATION_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
REGULARISATION = 0.1  # the default when no choice is made
TARGET_ECE = 0.05  # issue #17
BRIER_MARGIN = 0.01  # how much less sharp than the sharpest choice a chosen one may be
CV_FOLDS = 5
CV_SEEDS = (None, 1, 2)  # None: the articles in order; otherwise shuffled with that seed
HALF_SETS = 300
# feature name prefixes of each set ("mention" keeps mention=pronoun, mention=proper, ...); None: every feature
HOW_FOUND = ("form", "cue", "mention", "kind", "named", "recall_stage", "tagger_belief", "recall:")
FEATURE_SETS: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "how found": HOW_FOUND,
    "how found, names near": HOW_FOUND + ("name_near", "others_near", "source_mentions", "resolved_away", "full_name"),
}


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


def only(features: dict, prefixes: tuple[str, ...] | None) -> dict:
    """The features of one set (``None``: all of them)."""
    if prefixes is None:
        return features
    # "recall:" takes every feature the recall stage's readings carry on their own ("recall:form=direct", ...)
    return {k: v for k, v in features.items()
            if k in prefixes or k.split("=", 1)[0] in prefixes or k.split(":", 1)[0] + ":" in prefixes}


def held_out(rows_by_article: list[Rows], folds: int = CV_FOLDS, c: float = REGULARISATION,
             features: tuple[str, ...] | None = None, seed: int | None = None) -> list[list[tuple[float, bool, dict]]]:
    """Per article, (probability, label, features) of its rows from a model fitted without its fold (KFold over the
    articles, in order or shuffled with ``seed``)."""
    from sklearn.model_selection import KFold

    from ..extractors.confidence import probability

    out: list[list[tuple[float, bool, dict]]] = [[] for _ in rows_by_article]
    splitter = KFold(n_splits=folds) if seed is None else KFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(rows_by_article):
        weights = fit([(only(f, features), y) for i in train_idx for f, y in rows_by_article[i]], c)
        for i in test_idx:
            out[i] = [(probability(weights, only(f, features)), bool(y), f) for f, y in rows_by_article[i]]
    return out


def out_of_fold(rows_by_article: list[Rows], folds: int = CV_FOLDS, c: float = REGULARISATION,
                features: tuple[str, ...] | None = None, seed: int | None = None) -> list[tuple[float, bool, dict]]:
    """``held_out``, all articles' rows in one list."""
    return [row for rows in held_out(rows_by_article, folds, c, features, seed) for row in rows]


def cross_validated(rows_by_article: list[Rows], c: float = REGULARISATION, features: tuple[str, ...] | None = None,
                    seeds: tuple[int | None, ...] = CV_SEEDS) -> dict[str, float]:
    """Held-out calibration error and Brier score over all articles, and the calibration error on random halves of
    the articles (mean and 90th percentile), averaged over the splits of ``seeds``."""
    from ..evaluation.speakers import expected_calibration_error

    rng = random.Random(13)
    n = len(rows_by_article)
    halves = [rng.sample(range(n), max(1, n // 2)) for _ in range(HALF_SETS)]
    eces, briers, half_eces = [], [], []
    for seed in seeds:
        by_article = held_out(rows_by_article, c=c, features=features, seed=seed)
        pairs = [(p, ok) for rows in by_article for p, ok, _ in rows]
        eces.append(expected_calibration_error(pairs) or 0.0)
        briers.append(sum((p - ok) ** 2 for p, ok in pairs) / len(pairs))
        half_eces += [expected_calibration_error([(p, ok) for i in half for p, ok, _ in by_article[i]]) or 0.0
                      for half in halves]
    half_eces.sort()
    return {"cv_ece": sum(eces) / len(eces), "cv_brier": sum(briers) / len(briers),
            "half_ece": sum(half_eces) / len(half_eces), "half_ece_p90": half_eces[int(0.9 * (len(half_eces) - 1))]}


def best_choice(rows_by_article: list[Rows]) -> dict:
    """The feature set and C of the module's rule (``choose``), with their cross-validated scores."""
    scored: list[dict[str, Any]] = []
    for name, prefixes in FEATURE_SETS.items():
        for c in REGULARISATION_GRID:
            scores = cross_validated(rows_by_article, c, prefixes)
            scored.append({"features": name, "C": c, **{k: round(v, 4) for k, v in scores.items()}})
    return choose(scored)


def choose(scored: list[dict[str, Any]]) -> dict[str, Any]:
    """The module's rule over scored choices, among those nearly as sharp as the sharpest (Brier score within
    BRIER_MARGIN): a near-constant model is well calibrated on every half and tells nothing apart (C 0.003 passed
    the half-set bound with a Brier score of 0.145 against the sharpest 0.103, and binned ECE 0.087 in the eval)."""
    sharpest = min(s["cv_brier"] for s in scored)
    sharp = [s for s in scored if s["cv_brier"] <= sharpest + BRIER_MARGIN]
    for bound in ("half_ece_p90", "half_ece"):
        within = [s for s in sharp if s[bound] <= TARGET_ECE]
        if within:
            return min(within, key=lambda s: (s["cv_brier"], s["half_ece"]))
    return min(sharp, key=lambda s: (s["cv_brier"], s["half_ece"]))


# the statement precision the accurate tier must keep on recent articles (issue #17: it earns its place by more
# who-says-so at precision >= 0.80); what its recall stage adds is kept down to the confidence that holds it, with a
# margin over the floor (out-of-fold precision on the tuning part's 32 articles moves by about a point between splits)
PRECISION_FLOOR = 0.80
PRECISION_MARGIN = 0.01
# the fast tier's own readings the accurate tier drops: those below the highest cut under which at most this share
# are statements (on the tuning part, out of fold: 1 of the 14 readings below 0.25, 3 of 17 below 0.3)
DOUBT_SHARE = 0.1


def doubt_threshold(rows: list[tuple[float, bool, dict]], share: float = DOUBT_SHARE) -> float | None:
    """The highest cut (steps of 0.05, below one half) under which at most ``share`` of the fast tier's readings are
    statements on out-of-fold probabilities: below it a reading is so likely no statement that dropping it buys
    precision for the recall stage at almost no recall."""
    base = [(p, ok) for p, ok, f in rows if not f.get("recall_stage")]
    best = None
    for step in range(1, 10):
        cut = step / 20
        below = [ok for p, ok in base if p < cut]
        if below and sum(below) / len(below) > share:
            break
        if below:
            best = cut
    return best


def keep_threshold(rows: list[tuple[float, bool, dict]], floor: float = PRECISION_FLOOR + PRECISION_MARGIN,
                   doubted: float | None = None) -> float | None:
    """The lowest confidence cut (steps of 0.05) at which the tier's whole reading, the fast tier's (less what is
    below ``doubted``) and what the recall stage adds above the cut, is at least ``floor`` precise on out-of-fold
    probabilities. Where the fast reading alone is below the floor, the cut at which what is added is at least as
    precise as the rest. The search starts at ``doubted``: any reading below it is dropped anyway."""
    base = [ok for p, ok, f in rows if not f.get("recall_stage") and (doubted is None or p >= doubted)]
    added = [(p, ok) for p, ok, f in rows if f.get("recall_stage")]
    if not base or not added:
        return None
    base_precision = sum(base) / len(base)
    for step in range(0, 20):
        cut = step / 20
        if doubted is not None and cut < doubted:
            continue
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
    """Fit both models, each with the feature set and regularisation ``best_choice`` picks; for a tier with a recall
    stage, also the confidence below which any reading is dropped (``doubt_threshold``) and the one below which what
    that stage adds is dropped (``keep_threshold``)."""
    t0 = time.perf_counter()
    statements, speakers = training_rows(gold, part, analyze)
    attribution_choice = best_choice(statements)
    speaker_choice = best_choice(speakers)
    a_features = FEATURE_SETS[attribution_choice["features"]]
    s_features = FEATURE_SETS[speaker_choice["features"]]
    model: dict[str, Any] = {
        "attribution": fit([(only(f, a_features), y) for rows in statements for f, y in rows], attribution_choice["C"]),
        "speaker": fit([(only(f, s_features), y) for rows in speakers for f, y in rows], speaker_choice["C"]),
        "meta": {"tier": tier, "gold_part": part, "articles": len(gold.part(part)),
                 "attribution_rows": sum(map(len, statements)), "speaker_rows": sum(map(len, speakers)),
                 "cv_ece_attribution": attribution_choice["cv_ece"], "cv_ece_speaker": speaker_choice["cv_ece"],
                 "choice": {"attribution": attribution_choice, "speaker": speaker_choice,
                            "rule": f"among choices with a Brier score within {BRIER_MARGIN} of the sharpest: "
                                    f"lowest cross-validated Brier score with calibration error <= {TARGET_ECE} on 9 "
                                    f"of 10 random halves of the articles ({CV_FOLDS}-fold over articles, "
                                    f"{len(CV_SEEDS)} splits); else within it on the mean half; else the lowest Brier score"},
                 "regularisation": {"attribution": attribution_choice["C"], "speaker": speaker_choice["C"]},
                 "trained": today(), "machine": machine(), "seconds": round(time.perf_counter() - t0, 1)},
    }
    if any(f.get("recall_stage") for rows in statements for f, _ in rows):
        rows = out_of_fold(statements, c=attribution_choice["C"], features=a_features)
        model["drop_threshold"] = doubt_threshold(rows)
        model["keep_threshold"] = keep_threshold(rows, doubted=model["drop_threshold"])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(out)
    return model
