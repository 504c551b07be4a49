"""Stories without dates and on a mixed stream: the undated threshold, the weekday rule, scoring on a stream."""
from __future__ import annotations

import json

import pytest

from _store_support import store_url  # noqa: F401  (fixture)
from conftest import require_shared
from sourcetrace.evaluation.stories import evaluate_gold_dir, read_gold, read_mix, score_clustering
from sourcetrace.stories.cluster import ClusterParams, StoryDoc, StoryIndex, cluster, weekdays_named

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
        "Oregon lawmakers passed a budget for schools after a long session, adding money for teachers and a new "
        "formula for rural districts.", "Crews fought a fire in California.",
        "Air quality in Denver was poor.", "Officials said the bridge would stay shut.", "Schools in Texas reopened.",
        "Smoke from fires drifted east."])]
    lead = StoryDoc("x", "Wildfire smoke closed schools across Oregon as crews fought the Cedar Ridge fire near Bend.",
                    "Smoke closes Oregon schools")
    follow = StoryDoc("y", "Officials in Oregon said air quality would stay poor, and schools near Bend may stay shut as "
                      "the Cedar Ridge fire grew.", "Oregon schools stay shut")
    strict = cluster(background + [lead, follow])
    assert sorted(strict[next(s for s, m in strict.items() if "x" in m)]) == ["x", "y"]
    # the dated threshold without a date: a budget story that shares the topic joins the fire
    join = ClusterParams().join
    loose = cluster(background + [lead, follow], ClusterParams(
        undated_join=join, undated_group_join=join, undated_crowd=0.0, undated_link=join, undated_link_floor=join,
        undated_same_weekday_floor=join))
    assert {"b0", "x", "y"} <= set(loose[next(s for s, m in loose.items() if "x" in m)])


def test_undated_articles_of_a_batch_group_only_when_every_pair_matches():
    """Complete linkage, not a chain: an article close to one member of a group but not to the other stays out;
    once every pair matches (a lower link), it is in."""
    a = StoryDoc("a", "The Senate passed the infrastructure bill on a 69-30 vote, sending the package to the House.",
                 "Senate passes infrastructure bill")
    b = StoryDoc("b", "The infrastructure bill passed the Senate 69-30 with nineteen Republicans voting yes.",
                 "Infrastructure bill clears Senate")
    c = StoryDoc("c", "House progressives said the infrastructure package must wait for the budget bill, as Pelosi "
                 "promised to hold the two together.", "Progressives tie infrastructure package to budget")
    index = StoryIndex(ClusterParams(join=9.0, undated_join=9.0, undated_same_weekday_join=9.0, batch_groups=False))
    index.add_many([a, b, c])
    from sourcetrace.stories.text import cosine

    ab, ac, bc = (cosine(index.vectors[i], index.vectors[j]) for i, j in ((0, 1), (0, 2), (1, 2)))
    # the pair bar alone: no crowding (three articles are no crowd), no weekday named
    link = ClusterParams().undated_link_floor
    assert ab >= link and max(ac, bc) >= link > min(ac, bc)  # c matches one of the pair, not both
    # the TF-IDF rule (the embeddings' own floor is tested in test_stories_embedding.py)
    grouped = cluster([a, b, c], ClusterParams(undated_crowd=0.0, semantic_weight=0.0))
    assert sorted(grouped[next(s for s, m in grouped.items() if "a" in m)]) == ["a", "b"]
    every_pair = cluster([a, b, c], ClusterParams(undated_crowd=0.0, semantic_weight=0.0,
                                                  undated_link_floor=min(ab, ac, bc) - 0.01))
    assert len(every_pair) == 1


def test_an_undated_pair_in_a_crowded_topic_must_stand_out_from_its_neighbours():
    """The gold's `tune` half with its dates removed: with the crowding rule (a pair's cosine less 0.9 x its two
    articles' 2nd-4th best cosines) fewer same-topic events are merged than with the cosine floors alone, and
    B-cubed F1 rises (measured 0.864 -> 0.897, precision 0.870 -> 0.941). The hand-set rule (the pair model, which
    reads the crowding as features, is off here)."""
    from sourcetrace.evaluation.stories import evaluate_rows, split_of

    rows = [r for r in read_gold(require_shared("stories") / "articles.jsonl") if split_of(r["story_id"]) == "tune"]
    crowded = evaluate_rows(rows, ClusterParams(use_pair_model=False), no_dates=True)
    floors_only = evaluate_rows(rows, ClusterParams(undated_crowd=0.0, use_pair_model=False), no_dates=True)
    assert crowded.bcubed_precision > floors_only.bcubed_precision + 0.03
    assert crowded.bcubed_f1 > floors_only.bcubed_f1 + 0.02


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
    # --mix-same-days: each dated article drawn gets a day of the gold's span, an undated one stays undated
    rows[4]["published"] = None
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    span = [{"id": "g1", "title": "a", "story_date": "2021-05-03"}, {"id": "g2", "title": "b", "story_date": "2021-05-09T10:00:00"}]
    redated = read_mix(corpus, 20, span, same_days=True)
    assert [d.id for d in redated] == [d.id for d in read_mix(corpus, 20, span)]  # the same draw, other days
    assert next(d for d in redated if d.id == "mix:4").published is None
    days = {d.published for d in redated if d.id != "mix:4"}
    assert days <= {f"2021-05-0{n}" for n in range(3, 10)} and len(days) > 1


def test_gold_without_dates_and_in_a_mixed_stream():
    """The measured levels (docs/accuracy.md) hold: dates removed, the check half at >= 0.87 (0.57 before the
    undated rules, 0.83 before undated articles were grouped, 0.862 before the crowding rule); inside 1,000 unrelated AllSides articles with
    dates, both halves >= 0.95."""
    stories = require_shared("stories")
    allsides = require_shared("allsides", "articles.jsonl.gz")
    undated = evaluate_gold_dir(stories, no_dates=True)
    assert undated["check"].bcubed_f1 >= 0.87
    mixed = evaluate_gold_dir(stories, mix=read_mix(allsides, 1000, read_gold(stories / "articles.jsonl")))
    assert mixed["check"].bcubed_f1 >= 0.95 and mixed["tune"].bcubed_f1 >= 0.95



def test_write_docs_puts_each_stream_run_in_its_own_block(tmp_path, monkeypatch):
    """--no-dates writes the stories-undated block and leaves the dated gold's block alone; a plain run rewrites
    the stories block and keeps the last embedding comparison when it is not measured again."""
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    stories = require_shared("stories")
    _load_commands()
    doc = tmp_path / "docs" / "accuracy.md"
    doc.parent.mkdir()
    doc.write_text("# Accuracy\n<!-- stories:start -->\nold figures\n\n### Lexical vs embedding similarity\n\n| kept |\n"
                   "<!-- stories:end -->\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    undated = runner.invoke(app, ["eval", "stories", "--gold", str(stories), "--no-dates", "--write-docs"])
    assert undated.exit_code == 0, undated.output
    text = doc.read_text(encoding="utf-8")
    assert "old figures" in text
    block = text.split("<!-- stories-undated:start -->")[1].split("<!-- stories-undated:end -->")[0]
    assert "with every publication date removed" in block and "| tune | 491 |" in block and "load average" in block
    dated = runner.invoke(app, ["eval", "stories", "--gold", str(stories), "--write-docs"])
    assert dated.exit_code == 0, dated.output
    text = doc.read_text(encoding="utf-8")
    main = text.split("<!-- stories:start -->")[1].split("<!-- stories:end -->")[0]
    assert "old figures" not in main and "| tune | 491 |" in main
    assert "### Lexical vs embedding similarity\n\n| kept |" in main
    assert "<!-- stories-undated:start -->" in text


def _check_half_in_shuffled_batches(dated: bool) -> float:
    """B-cubed F1 of the gold's `check` half (dates removed unless ``dated``), shuffled (fixed seed) and placed in
    batches of 200 into one index, each batch against the stories of the batches before it."""
    import random

    from sourcetrace.evaluation.stories import cluster_in_batches, docs_of, split_of, without_dates

    rows = [r for r in read_gold(require_shared("stories") / "articles.jsonl") if split_of(r["story_id"]) == "check"]
    docs = docs_of(rows) if dated else without_dates(docs_of(rows))
    random.Random(5).shuffle(docs)
    predicted = {a: s for s, members in cluster_in_batches(docs, 200).items() for a in members}
    return score_clustering({r["id"]: r["story_id"] for r in rows}, predicted).bcubed_f1


def test_gold_placed_in_shuffled_batches_holds():
    """As a store fills: the gold in shuffled batches of 200, each grouped and placed against the stories of
    the batches before it, holds (0.946 with the dated group bar at 0.50: a later batch's group stayed apart)."""
    assert _check_half_in_shuffled_batches(dated=True) >= 0.95


def test_undated_gold_in_shuffled_batches_counts_the_stored_stories_as_crowd():
    """As a store fills without dates: the `check` half in shuffled batches of 200, each grouped against the
    stories placed before it. The crowding counts those stories' articles too (a batch of 200 alone is no crowd):
    B-cubed F1 0.831 (0.806 before stored undated articles were paired by the batch's own rule; 0.779 with the
    batch's own crowding only, 0.765 with none)."""
    assert _check_half_in_shuffled_batches(dated=False) >= 0.795


CUOMO = ["allsides-5812-right", "allsides-5812-left", "allsides-5812-center", "allsides-5808-right", "allsides-5808-left",
         "allsides-5889-center", "allsides-5889-left", "allsides-5889-right", "allsides-5793-left", "allsides-5793-center",
         "allsides-5793-right"]


def _store_undated(store, rows: list[dict]) -> None:
    from sourcetrace.model import Article, ArticleReport

    for r in rows:
        article = Article(id=r["id"], text=r["text"], title=r["title"], outlet=r.get("outlet"))
        store.add(article, ArticleReport(id=r["id"], title=r["title"], text=r["text"], outlet=r.get("outlet")))


@pytest.mark.parametrize("embeddings", [True, False], ids=["embeddings", "tfidf-fallback"])
def test_one_article_at_a_time_is_placed_as_one_batch(store_url, tmp_path, monkeypatch, embeddings):
    """The web app's path (store one article, place it), one `ingest` run per article (the index loaded from the
    store each time) and the batch path (store all, place them at once), on
    real stores and the gold's Cuomo articles without dates: the harassment report (Aug. 3), the reactions to it,
    the gun-violence emergency and the resignation a week later (Aug. 10). Every path keeps the resignation's
    right-leaning article with its left-leaning one, apart from the report (the same topic, many words in common;
    placed alone by its centroid, before the pair rule crossed batches, it joined the report and left the
    resignation split). With the embedding model unavailable (the TF-IDF fallback) the three paths give the same
    stories; with it, the web app's path and one run per article do (the stored embeddings restore the index as
    it was), while the batch, which links its strongest pairs first, may place one article of eleven otherwise."""
    from _store_support import sqlite_url

    from sourcetrace.desk import Desk
    from sourcetrace.store import Store
    from sourcetrace.stories import embedding

    if not embeddings:  # the shipped model cannot be read: undated articles are compared by TF-IDF alone
        monkeypatch.setattr(embedding, "_default", embedding.StoryEmbedder(tmp_path / "no-model"))

    rows = {r["id"]: r for r in read_gold(require_shared("stories") / "articles.jsonl") if r["id"] in CUOMO}
    for folder in ("runs", "batch"):
        (tmp_path / folder).mkdir()
    placements = {}
    for path, url in (("one at a time", store_url), ("one run each", sqlite_url(tmp_path / "runs")),
                      ("one batch", sqlite_url(tmp_path / "batch"))):
        store = Store(url)
        try:
            desk = Desk(store, pages=False)
            if path == "one at a time":  # the web app: one desk, its index kept between requests
                for article_id in CUOMO:
                    _store_undated(store, [rows[article_id]])
                    assert desk.place_new() == 1
            elif path == "one run each":  # `ingest` of one file per run: each run loads the index from the store
                for article_id in CUOMO:
                    _store_undated(store, [rows[article_id]])
                    assert Desk(store, pages=False).place_new() == 1
            else:
                _store_undated(store, [rows[a] for a in CUOMO])
                assert desk.place_new() == len(CUOMO)
            # read back from the store by a fresh desk, as another process would
            placements[path] = {a: s for s, members in Desk(store, pages=False).story_members().items() for a in members}
        finally:
            store.close()
    one, runs, batch = placements["one at a time"], placements["one run each"], placements["one batch"]
    for story_of in (one, runs, batch):
        assert story_of["allsides-5793-left"] == story_of["allsides-5793-right"]
        assert story_of["allsides-5793-right"] != story_of["allsides-5812-right"]
        assert story_of["allsides-5889-left"] == story_of["allsides-5889-right"] != story_of["allsides-5812-left"]

    def partition(story_of: dict[str, str]) -> set[frozenset[str]]:
        return {frozenset(a for a in story_of if story_of[a] == s) for s in set(story_of.values())}

    assert partition(one) == partition(runs)
    if not embeddings:
        assert partition(one) == partition(batch)
        assert embedding.packaged_embedder().unavailable


def test_undated_gold_placed_one_at_a_time_and_in_small_batches():
    """The `check` half without dates, shuffled (fixed seed) and fed one article at a time or 50 at a time, as
    `eval stories --no-dates --batch-size N` does: measured 0.830 / 0.823 with the pair rule across batches
    (0.822 / 0.777 when only the centroid reached the stored stories); one batch 0.878."""
    from sourcetrace.evaluation.stories import evaluate_rows, split_of, stream_block

    rows = [r for r in read_gold(require_shared("stories") / "articles.jsonl") if split_of(r["story_id"]) == "check"]
    assert evaluate_rows(rows, no_dates=True, batch_size=1).bcubed_f1 >= 0.825
    assert evaluate_rows(rows, no_dates=True, batch_size=50).bcubed_f1 >= 0.815
    assert stream_block(True, False, batch_size=50) == "stories-undated-batches-50"
