"""Fit the pair model that links undated articles in story clustering (stories.cluster.PairModel): a logistic
regression over stories.cluster.pair_features (TF-IDF and MiniLM cosines, the two articles' crowding, weekdays
named), trained on the candidate pairs the clustering itself finds among the `tune` half of
the stories gold with every date removed, a pair labelled by whether its two articles are one gold story.

The regularisation and the link threshold are chosen by cross-validation over `tune`'s stories (five folds by a
hash of the story id): a model fitted on four folds' pairs links the fifth fold's pairs, which are grouped by the
clustering's threshold complete linkage, and the choice is the mean B-cubed F1 of those held-out groupings, the
figure the clustering is judged by. The `check` half is never read. Needs the ``train`` or ``test`` extra
(scikit-learn) and the shipped MiniLM encoder.

    python -m sourcetrace.training.story_pairs [--gold ../shared/data/stories] [--out DIR]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from ..packaged import model_dir
from ..stories.cluster import PAIR_FEATURES, PAIR_MODEL, ClusterParams, StoryIndex

C_GRID = (0.1, 1.0, 10.0, 100.0)
THRESHOLD_GRID = tuple(x / 4 for x in range(-16, 5))  # log-odds -4.0 .. 1.0
FOLDS = 5


def candidate_pairs(rows: list[dict]) -> list[tuple[str, str, list[float]]]:
    """The undated pairs (id, id, features) the clustering scores when it groups ``rows`` undated in one batch and
    that clear the floor (the others never link, so the model is fitted where it decides)."""
    from ..evaluation.stories import docs_of, without_dates

    index = StoryIndex(ClusterParams(use_pair_model=False))
    index.pair_log = []
    index.add_many(without_dates(docs_of(rows)))
    return [(a, b, features) for a, b, features, floor in index.pair_log if floor]


def linkage(ids: list[str], pairs: list[tuple[str, str]], margins: list[float]) -> dict[str, str]:
    """Threshold complete linkage as the clustering groups a batch: pairs with a margin >= 0, strongest first, join
    two groups when every pair across them links. Returns article id -> group."""
    linked = {frozenset(p): m for p, m in zip(pairs, margins) if m >= 0.0}
    group_of = {i: i for i in ids}
    members = {i: [i] for i in ids}
    for pair, _ in sorted(linked.items(), key=lambda kv: -kv[1]):
        a, b = tuple(pair)
        ga, gb = group_of[a], group_of[b]
        if ga == gb or not all(frozenset((x, y)) in linked for x in members[ga] for y in members[gb]):
            continue
        for x in members[gb]:
            group_of[x] = ga
        members[ga].extend(members.pop(gb))
    return group_of


def fold_of(story_id: str) -> int:
    return int(hashlib.sha1(f"pairs:{story_id}".encode()).hexdigest(), 16) % FOLDS


def fit(features, labels, c: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000)).fit(features, labels)


def cross_validate(rows: list[dict], pairs: list[tuple[str, str, list[float]]]) -> dict[tuple[float, float], float]:
    """(C, threshold) -> mean held-out B-cubed F1 over the folds."""
    import numpy as np

    from ..evaluation.stories import score_clustering

    gold = {r["id"]: r["story_id"] for r in rows}
    fold = {i: fold_of(s) for i, s in gold.items()}
    scores: dict[tuple[float, float], list[float]] = {(c, t): [] for c in C_GRID for t in THRESHOLD_GRID}
    for k in range(FOLDS):
        train = [p for p in pairs if fold[p[0]] != k and fold[p[1]] != k]
        held = [p for p in pairs if fold[p[0]] == k and fold[p[1]] == k]
        ids = [i for i in gold if fold[i] == k]
        held_gold = {i: gold[i] for i in ids}
        for c in C_GRID:
            model = fit(np.array([p[2] for p in train]), np.array([gold[p[0]] == gold[p[1]] for p in train]), c)
            log_odds = model.decision_function(np.array([p[2] for p in held])) if held else np.zeros(0)
            for t in THRESHOLD_GRID:
                grouped = linkage(ids, [(p[0], p[1]) for p in held], list(log_odds - t))
                scores[(c, t)].append(score_clustering(held_gold, grouped).bcubed_f1)
    return {key: sum(v) / len(v) for key, v in scores.items()}


def train(gold_dir: Path) -> dict:
    """The model's JSON: weights on the raw features (the standardisation folded in), bias, threshold, and how
    they were chosen."""
    import numpy as np

    from ..evaluation.stories import read_gold, split_of

    rows = [r for r in read_gold(gold_dir / "articles.jsonl") if split_of(r["story_id"]) == "tune"]
    pairs = candidate_pairs(rows)
    if not pairs:
        raise SystemExit("error: no undated pairs with embeddings (is the MiniLM encoder shipped and onnxruntime installed?)")
    gold = {r["id"]: r["story_id"] for r in rows}
    cv = cross_validate(rows, pairs)
    (c, threshold), best = max(cv.items(), key=lambda kv: (round(kv[1], 4), -abs(kv[0][1] + 1.5)))
    x = np.array([p[2] for p in pairs])
    y = np.array([gold[p[0]] == gold[p[1]] for p in pairs])
    model = fit(x, y, c)
    scaler, logistic = model.named_steps["standardscaler"], model.named_steps["logisticregression"]
    weights = logistic.coef_[0] / scaler.scale_
    bias = float(logistic.intercept_[0] - (weights * scaler.mean_).sum())
    by_threshold = {t: cv[(c, t)] for t in THRESHOLD_GRID}
    return {
        "features": list(PAIR_FEATURES),
        "weights": [round(float(w), 6) for w in weights],
        "bias": round(bias, 6),
        "threshold": threshold,
        "C": c,
        "trained_on": f"{gold_dir.name}/articles.jsonl, part tune, dates removed: {len(rows)} articles, "
                      f"{len(pairs)} candidate pairs, {int(y.sum())} of them one gold story",
        "cross_validation": f"{FOLDS} folds over tune's stories, mean held-out B-cubed F1 of threshold complete linkage",
        "cv_b3_f1": round(best, 4),
        "cv_b3_f1_by_threshold_at_C": {f"{t:g}": round(v, 4) for t, v in by_threshold.items()},
        "cv_b3_f1_by_C_at_threshold": {f"{k:g}": round(cv[(k, threshold)], 4) for k in C_GRID},
        "embeddings": "story-embeddings (MiniLM int8 ONNX): refit this model when the encoder changes",
        "command": "python -m sourcetrace.training.story_pairs --gold ../shared/data/stories",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sourcetrace.training.story_pairs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=Path("../shared/data/stories"))
    parser.add_argument("--out", type=Path, default=None, help="folder for model.json (default: the shipped one)")
    args = parser.parse_args(argv)
    if not (args.gold / "articles.jsonl").is_file():
        print(f"error: {args.gold}: no articles.jsonl", file=sys.stderr)
        return 2
    model = train(args.gold)
    out = args.out or model_dir(PAIR_MODEL)
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.json").write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out / 'model.json'}: C {model['C']:g}, threshold {model['threshold']:g}, cross-validated B3 F1 {model['cv_b3_f1']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
