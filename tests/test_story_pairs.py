"""The learned pair model for undated story clustering, the weekday rule, and the trainer's linkage."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import require_shared
from sourcetrace.packaged import model_dir
from sourcetrace.stories.cluster import (PAIR_FEATURES, ClusterParams, PairModel, StoryDoc, StoryIndex,
                                         packaged_pair_model, pair_features, weekdays_apart)
from sourcetrace.training.story_pairs import candidate_pairs, linkage


def test_weekdays_a_day_apart_are_not_apart_with_a_tolerance_of_one():
    thu, fri, sat = frozenset({"thursday"}), frozenset({"friday"}), frozenset({"saturday"})
    assert weekdays_apart(thu, fri) and weekdays_apart(thu, sat)  # the strict rule: any other weekday
    assert not weekdays_apart(thu, fri, 1) and weekdays_apart(thu, sat, 1)
    assert not weekdays_apart(frozenset({"sunday"}), frozenset({"monday"}), 1)  # across the week's end
    assert not weekdays_apart(thu, frozenset()) and not weekdays_apart(thu, thu | sat, 1)


def test_shipped_pair_model_reads_its_features_in_order_and_ranks_pairs_as_the_evidence_says():
    model = packaged_pair_model()
    assert model is not None
    data = json.loads((model_dir("story-pairs") / "model.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == PAIR_FEATURES and len(model.weights) == len(PAIR_FEATURES)
    none = frozenset()
    close = model.margin(pair_features(0.45, 0.80, 0.20, 0.22, none, none))
    crowded = model.margin(pair_features(0.45, 0.80, 0.45, 0.50, none, none))
    # two stories of one topic: cosines below what each article's nearest neighbours reach
    far = model.margin(pair_features(0.12, 0.35, 0.30, 0.35, none, none))
    assert close > 0 > far
    assert crowded < close  # the same cosines mean less among many near neighbours
    shared = model.margin(pair_features(0.30, 0.60, 0.30, 0.30, frozenset({"tuesday"}), frozenset({"tuesday"})))
    adjacent = model.margin(pair_features(0.30, 0.60, 0.30, 0.30, frozenset({"tuesday"}), frozenset({"wednesday"})))
    assert shared > adjacent


def test_pair_model_refuses_weights_for_other_features():
    with pytest.raises(ValueError):
        PairModel.from_json({"features": ["tfidf"], "weights": [1.0], "bias": 0.0, "threshold": 0.0})


def test_trainer_linkage_is_complete_linkage_strongest_first():
    ids = ["a", "b", "c", "d"]
    # a-b and b-c link, a-c does not: c cannot join {a, b}; c-d links, so {c, d}
    grouped = linkage(ids, [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")], [2.0, 1.0, -0.5, 0.5])
    assert grouped["a"] == grouped["b"] != grouped["c"] == grouped["d"]


@pytest.mark.shared
def test_candidate_pairs_are_the_clusterings_and_label_well():
    """The trainer's pairs on a slice of the gold's `tune` half: each with the model's features, most same-story
    pairs among them, and the shipped model scoring same-story pairs above the others on average."""
    from sourcetrace.evaluation.stories import read_gold, split_of

    rows = [r for r in read_gold(require_shared("stories") / "articles.jsonl") if split_of(r["story_id"]) == "tune"][:120]
    gold = {r["id"]: r["story_id"] for r in rows}
    pairs = candidate_pairs(rows)
    assert pairs and all(len(f) == len(PAIR_FEATURES) for _, _, f in pairs)
    same = [p for p in pairs if gold[p[0]] == gold[p[1]]]
    gold_pairs = sum(n * (n - 1) // 2 for n in Counter(gold.values()).values())
    assert len(same) >= 0.8 * gold_pairs
    model = packaged_pair_model()
    mean = lambda ps: sum(model.margin(f) for _, _, f in ps) / len(ps)  # noqa: E731
    assert mean(same) > mean([p for p in pairs if gold[p[0]] != gold[p[1]]]) + 2.0


def test_pair_model_judges_only_pairs_without_stored_partners():
    """An undated article placed after others (the web app's path) is judged by the hand-set rule: with the pair
    model on or off, one article at a time places the same."""
    docs = [StoryDoc("a", "The Senate voted 52-48 on Tuesday to confirm Judge Ellen Park to the federal appeals court "
                     "in Richmond, after a fight over her rulings on water permits.", "Senate confirms Park"),
            StoryDoc("b", "Judge Park won confirmation on Tuesday to the Fourth Circuit by four votes, with two Democrats "
                     "crossing over to back the former solicitor general.", "Appeals court nominee clears final hurdle"),
            StoryDoc("c", "A late-season storm dropped two feet of snow on Denver, closing the airport and schools.",
                     "Snowstorm shuts Denver")]
    placed = []
    for params in (ClusterParams(), ClusterParams(use_pair_model=False)):
        index = StoryIndex(params)
        for d in docs:
            index.add_many([d])
        placed.append(sorted(sorted(m) for m in index.stories().values()))
    assert placed[0] == placed[1]
    together = StoryIndex()
    together.add_many(docs)
    assert together.story("a") == together.story("b") != together.story("c")
