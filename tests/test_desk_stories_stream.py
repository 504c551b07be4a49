"""Stories without dates and on a mixed stream: the undated threshold, the weekday rule, scoring on a stream."""
from __future__ import annotations

import json

import pytest

from conftest import require_shared
from sourcetrace.evaluation.stories import evaluate_gold_dir, read_gold, read_mix, score_clustering
from sourcetrace.stories.cluster import ClusterParams, StoryDoc, cluster, weekdays_named

VOTE = ("The Senate voted 52-48 on {day} to confirm Judge Ellen Park to the federal appeals court in Richmond, "
        "after a fight over her rulings on water permits. Park, a former state solicitor general, won two Democratic votes.")


def test_weekdays_named_in_title_and_lead():
    assert weekdays_named("Senate acts Thursday", "The vote came on thursday night.") == {"thursday"}
    assert weekdays_named(None, "No day here.") == frozenset()


def test_undated_articles_naming_other_weekdays_stay_apart():
    same = [StoryDoc("a", VOTE.format(day="Tuesday"), "Senate confirms Park"),
            StoryDoc("b", VOTE.format(day="Tuesday").replace("won two", "drew two"), "Park confirmed to appeals court")]
    other_day = StoryDoc("c", VOTE.format(day="Friday"), "Senate confirms Park")
    stories = cluster(same + [other_day])
    by_article = {a: s for s, members in stories.items() for a in members}
    assert by_article["a"] == by_article["b"]
    assert by_article["c"] != by_article["a"]  # near-identical words, but another day's vote
    # without the rule the three are one story
    loose = cluster(same + [other_day], ClusterParams(undated_weekdays=False))
    assert len(loose) == 1


def test_undated_needs_a_closer_match_than_dated():
    background = [StoryDoc(f"b{i}", t) for i, t in enumerate([
        "Oregon lawmakers passed a budget for schools.", "Crews fought a fire in California.",
        "Air quality in Denver was poor.", "Officials said the bridge would stay shut.", "Schools in Texas reopened.",
        "Smoke from fires drifted east."])]
    lead = StoryDoc("x", "Wildfire smoke closed schools across Oregon as crews fought the Cedar Ridge fire near Bend.",
                    "Smoke closes Oregon schools")
    follow = StoryDoc("y", "Officials in Oregon said air quality would stay poor, and schools near Bend may stay shut as "
                      "the Cedar Ridge fire grew.", "Oregon schools stay shut")
    strict = cluster(background + [lead, follow])
    assert sorted(strict[next(s for s, m in strict.items() if "x" in m)]) == ["x", "y"]
    # the dated threshold without a date: a budget story that shares the topic joins the fire
    loose = cluster(background + [lead, follow], ClusterParams(undated_join=ClusterParams().join))
    assert sorted(loose[next(s for s, m in loose.items() if "x" in m)]) == ["b0", "x", "y"]


def test_scoring_a_stream_counts_an_unrelated_joiner_against_its_story():
    gold = {"g1": "s", "g2": "s", "u1": "unrelated:u1", "u2": "unrelated:u2"}
    predicted = {"g1": "p", "g2": "p", "u1": "p", "u2": "q"}
    s = score_clustering(gold, predicted, scored={"g1", "g2"})
    assert s.articles == 2
    assert s.bcubed_precision == pytest.approx(2 / 3) and s.bcubed_recall == 1.0


def test_mix_excludes_gold_articles_and_is_fixed(tmp_path):
    corpus = tmp_path / "c.jsonl"
    rows = [{"id": str(i), "title": f"t{i}", "text": f"text {i}", "published": "2019-01-01"} for i in range(20)]
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    gold = [{"id": "3", "title": "other"}, {"id": "x", "title": "t5"}]
    mix = read_mix(corpus, 10, gold)
    assert len(mix) == 10 and {"mix:3", "mix:5"}.isdisjoint(d.id for d in mix)
    assert [d.id for d in mix] == [d.id for d in read_mix(corpus, 10, gold)]
    with pytest.raises(ValueError):
        read_mix(corpus, 19, gold)


def test_gold_without_dates_and_in_a_mixed_stream():
    """The measured levels (docs/accuracy.md) hold: dates removed, the check half at >= 0.80 (0.57 before the
    undated rules); inside 1,000 unrelated AllSides articles with dates, >= 0.95."""
    stories = require_shared("stories")
    allsides = require_shared("allsides", "articles.jsonl.gz")
    undated = evaluate_gold_dir(stories, no_dates=True)
    assert undated["check"].bcubed_f1 >= 0.80
    mixed = evaluate_gold_dir(stories, mix=read_mix(allsides, 1000, read_gold(stories / "articles.jsonl")))
    assert mixed["check"].bcubed_f1 >= 0.95
