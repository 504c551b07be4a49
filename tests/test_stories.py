"""Stories: clustering, citations, chains, corroboration, mutations — on small re-reporting sets run through
the real analyzer (tests/data/stories), the seed article, the store and the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _store_support import store_url  # noqa: F401  (fixture: SQLite and PostgreSQL)
from conftest import require_shared

from sourcetrace.model import Article
from sourcetrace.stories.cluster import ClusterParams, StoryDoc, StoryIndex, cluster
from sourcetrace.stories.trace import trace_story

SETS = Path(__file__).parent / "data" / "stories"


def read_set(name: str) -> list[Article]:
    with (SETS / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [Article(**json.loads(line)) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def reports(analyzer):
    names = ("landmines", "bridge", "mutations", "undated", "other_event")
    return {name: [analyzer.analyze(a) for a in read_set(name)] for name in names}


def claim_with(story: dict, outlet_count: int, words: str) -> dict:
    for claim in story["claims"]:
        if len(claim["articles"]) == outlet_count and words.lower() in claim["text"].lower():
            return claim
    raise AssertionError(f"no claim with {words!r} in {outlet_count} articles: {[c['text'] for c in story['claims']]}")


def mutation_kinds(claim: dict, outlet: str) -> set[str]:
    (version,) = [v for v in claim["versions"] if v["outlet"] == outlet]
    return {m["kind"] for m in version["mutations"]}


def chain_labels(story: dict) -> list[list[str]]:
    return [[node["label"] for node in chain["path"]] for chain in story["chains"]]


# ------------------------------------------------------------------ clustering

def docs_of_articles(articles: list[Article]) -> list[StoryDoc]:
    return [StoryDoc(id=a.id, text=a.text, title=a.title, published=a.published, outlet=a.outlet) for a in articles]


def test_sets_cluster_into_their_own_stories():
    articles = [a for name in ("landmines", "bridge", "mutations", "undated", "other_event") for a in read_set(name)]
    stories = cluster(docs_of_articles(articles))
    by_article = {a: s for s, members in stories.items() for a in members}
    for name in ("landmines", "bridge", "mutations"):
        ids = [a.id for a in read_set(name)]
        assert len({by_article[i] for i in ids}) == 1, (name, stories)
    # the museum reopening is on the bridge vote's day and in one of its outlets, yet another event
    assert by_article["ot-museum"] != by_article["br-gazette"]
    assert len({by_article[a.id] for a in read_set("landmines")} | {by_article[a.id] for a in read_set("bridge")}) == 2


def test_clustering_is_incremental_and_stable():
    articles = docs_of_articles(read_set("bridge") + read_set("other_event"))
    index = StoryIndex()
    index.add_many(articles[:1])
    first_story = index.story("br-gazette")
    index.add_many(articles[1:])
    assert index.story("br-tribune") == first_story == index.story("br-politico")
    assert index.story("ot-museum") != first_story
    # adding the same articles again places nothing twice
    assert index.add_many(articles) == []
    assert sum(len(m) for m in index.stories().values()) == len(articles)


def test_time_window_keeps_a_later_story_apart():
    (a, b, _) = docs_of_articles(read_set("bridge"))
    b.published = "2025-06-01"  # three months later: outside the window, however similar
    stories = cluster([a, b], ClusterParams())
    assert len(stories) == 2


def test_gold_story_clustering_scores(shared_data):
    from sourcetrace.evaluation.stories import evaluate_gold_dir

    results = evaluate_gold_dir(require_shared("stories"))
    assert results["tune"].articles + results["check"].articles == results["all"].articles == 982
    # measured 0.938 (tune) and 0.946 (check); the floor catches a regression, not noise
    assert results["tune"].bcubed_f1 >= 0.92
    assert results["check"].bcubed_f1 >= 0.92
    assert 0.0 < results["all"].pairwise_f1 <= 1.0


def test_bcubed_and_pairwise_on_a_hand_computed_case():
    from sourcetrace.evaluation.stories import score_clustering

    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    predicted = {"a": "x", "b": "x", "c": "x", "d": "y"}
    s = score_clustering(gold, predicted)
    # B3 precision: a 2/3, b 2/3, c 1/3, d 1 -> 2/3; recall: a 1, b 1, c 1/2, d 1/2 -> 3/4
    assert s.bcubed_precision == pytest.approx(2 / 3)
    assert s.bcubed_recall == pytest.approx(0.75)
    # pairs: predicted ab ac bc (1 true), gold ab cd -> P 1/3, R 1/2
    assert s.pairwise_precision == pytest.approx(1 / 3)
    assert s.pairwise_recall == pytest.approx(0.5)


# ------------------------------------------------------------------ citations and chains

def test_citations_become_outlet_edges(reports):
    story = trace_story("st-landmines", reports["landmines"])
    edges = {(e["from"], e["to"]) for e in story["citations"]}
    assert ("Reuters", "The Washington Post") in edges  # "The Washington Post reported", "the Post said"
    assert ("Daily Ledger", "Reuters") in edges  # "according to Reuters"
    kinds = {e["kind"] for e in story["citations"] if e["from"] == "Reuters"}
    assert "verb" in kinds
    post_said = [e for e in story["citations"] if e["evidence"].startswith("the Post")]
    assert post_said and post_said[0]["to"] == "The Washington Post"  # the short form resolved
    assert story["first_report"] == "lm-wapo"


def test_chain_runs_through_outlets_down_to_unnamed_officials(reports):
    story = trace_story("st-landmines", reports["landmines"])
    chains = chain_labels(story)
    assert ["Daily Ledger", "Reuters", "The Washington Post", "two U.S. officials"] in chains
    deepest = max(story["chains"], key=lambda c: len(c["path"]))
    assert deepest["path"][-1]["anonymous"] is True


def test_corroboration_counts_one_first_report_once(reports):
    story = trace_story("st-landmines", reports["landmines"])
    claim = claim_with(story, 3, "land mines to Ukraine")
    # three outlets, but all rest on the Post's unnamed officials
    assert claim["corroboration"]["independent_sources"] == 1
    assert claim["corroboration"]["single_anonymous"] is True


def require_attribution(report, source_words: str) -> None:
    """Corroboration is counted over the attributions the extractor finds: name the one a test rests on."""
    sources = [a.source.text for a in report.attributions if a.source is not None]
    assert any(source_words in s for s in sources), f"no attribution with the source {source_words!r} in {report.id}: {sources}"


def test_corroboration_counts_independent_named_sources(reports):
    by_id = {r.id: r for r in reports["bridge"]}
    require_attribution(by_id["br-tribune"], "John Park")
    require_attribution(by_id["br-tribune"], "city officials")
    story = trace_story("st-bridge", reports["bridge"])
    vote = claim_with(story, 3, "approved $40 million")
    # the Gazette's mayor and the Tribune's council member; Politico rests on the Gazette: 2, not 3
    assert vote["corroboration"]["independent_sources"] == 2
    assert set(vote["corroboration"]["roots"]) == {"src:ana ruiz", "src:john park"}  # the fullest name, titles aside
    closure = claim_with(story, 2, "start in May")
    # "unnamed city officials" and "anonymous city officials" are the same unnamed group: once
    assert closure["corroboration"]["independent_sources"] == 1
    assert closure["corroboration"]["single_anonymous"] is True


# ------------------------------------------------------------------ mutations

def test_each_mutation_kind_is_flagged(reports):
    story = trace_story("st-strike", reports["mutations"])
    assert mutation_kinds(claim_with(story, 2, "1,200 workers"), "Coastal Times") >= {"hedge_dropped"}
    assert "hedge_added" in mutation_kinds(claim_with(story, 2, "$3 million a day"), "Coastal Times")
    assert "attribution_dropped" in mutation_kinds(claim_with(story, 2, "walked off the job"), "Coastal Times")
    arrests = mutation_kinds(claim_with(story, 2, "protesters outside the main gate"), "Coastal Times")
    assert {"anonymity_changed", "numbers_changed"} <= arrests
    assert "loaded_language_added" in mutation_kinds(claim_with(story, 2, "contract offer"), "Coastal Times")
    # the first version is the reference: it carries no mutations
    for claim in story["claims"]:
        assert claim["versions"][0]["mutations"] == []


def test_hedge_added_and_attribution_dropped_along_a_chain(reports):
    story = trace_story("st-landmines", reports["landmines"])
    claim = claim_with(story, 3, "Ukrainian territory")
    assert "hedge_added" in mutation_kinds(claim, "Reuters")  # "would reportedly be used"
    assert "attribution_dropped" in mutation_kinds(claim, "Daily Ledger")  # stated as the outlet's own fact


# ------------------------------------------------------------------ provenance flags

def test_ties_and_missing_dates_are_flagged(reports):
    story = trace_story("st-fire", reports["undated"])
    assert any(flag.startswith("tie") for flag in story["flags"])
    assert any("without a readable published time" in flag for flag in story["flags"])
    assert story["timeline"][-1]["article"] == "ud-three"  # undated goes last
    shared = claim_with(story, 3, "evacuation of 3,000")
    assert "tie for first version" in shared["first"]["flags"]


# ------------------------------------------------------------------ the seed article

def test_seed_alone_first_report_edge_and_chain(seed_report):
    story = trace_story("st-seed", [seed_report])
    first_edges = [e for e in story["citations"] if e["first_report"]]
    assert first_edges and first_edges[0]["to"] == "The Washington Post"
    assert "The Washington Post" in story["first_report_cited"]
    assert story["first_report"] == seed_report.id
    chains = [c["path"] for c in story["chains"]]
    down_to_officials = [p for p in chains if len(p) >= 3 and p[1]["label"] == "The Washington Post"
                         and p[-1]["kind"] == "source" and p[-1]["anonymous"] and "officials" in p[-1]["label"]]
    assert down_to_officials, chains
    # "the Post noted" is the same outlet, not a second one
    assert {e["to"] for e in story["citations"]} == {"The Washington Post"}


# ------------------------------------------------------------------ store and CLI

@pytest.fixture()
def stored(store_url, reports):
    """The landmines and bridge sets in a fresh store: SQLite, and PostgreSQL when CI provides one."""
    from sourcetrace.store import Store

    url = store_url
    store = Store(url)
    for name in ("landmines", "bridge"):
        for article, report in zip(read_set(name), reports[name]):
            store.add(article, report)
    yield store, url
    store.close()


def test_store_update_is_incremental(stored, reports):
    from sourcetrace.stories.service import load_index, update_stories

    store, _ = stored
    _, first = update_stories(store)
    assert first.placed == 6 and first.stories == 2
    _, again = update_stories(store)
    assert again.placed == 0  # nothing re-clustered
    for article, report in zip(read_set("other_event"), reports["other_event"]):
        store.add(article, report)
    index, third = update_stories(store)
    assert third.placed == 1 and third.stories == 3
    reloaded = load_index(store)
    assert reloaded.stories() == index.stories()


def test_cli_stories_jsonl_and_trace(stored):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    _, url = stored
    runner = CliRunner()
    result = runner.invoke(app, ["stories", "--db", url, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 2
    by_first = {line["first_report"]: line for line in lines}
    landmines = by_first["lm-wapo"]
    assert set(landmines["articles"]) == {"lm-wapo", "lm-wire", "lm-echo"}
    assert landmines["claims"] and {"story", "articles", "first_report", "claims"} <= set(landmines)
    parallel = runner.invoke(app, ["stories", "--db", url, "--format", "jsonl", "--workers", "2"])
    assert parallel.exit_code == 0, parallel.output
    assert [json.loads(line) for line in parallel.stdout.splitlines() if line.startswith("{")] == lines
    traced = runner.invoke(app, ["trace", landmines["story"], "--db", url, "--format", "json"])
    assert traced.exit_code == 0, traced.output
    assert json.loads(traced.stdout)["story"] == landmines["story"]
    text = runner.invoke(app, ["trace", landmines["story"], "--db", url])
    assert text.exit_code == 0 and "The Washington Post" in text.stdout and "<-" in text.stdout
    missing = runner.invoke(app, ["trace", "st-nope", "--db", url])
    assert missing.exit_code == 1


def test_web_story_page(stored, reports):
    from fastapi.testclient import TestClient

    from sourcetrace.web.app import create_app

    store, url = stored
    client = TestClient(create_app(url))
    listing = client.get("/stories")
    assert listing.status_code == 200
    assert "Daily Ledger" in listing.text and "Metro Gazette" in listing.text
    data = client.get("/api/v1/stories").json()
    old = client.get("/api/stories?x=1", follow_redirects=False)  # the path before /api/v1: redirected, query kept
    assert old.status_code == 308 and old.headers["location"] == "/api/v1/stories?x=1"
    assert client.get("/api/stories").json() == data
    story_id = next(s["story"] for s in data if s["first_report"] == "lm-wapo")
    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 200
    assert "<svg" in page.text and "The Washington Post" in page.text
    assert client.get("/stories/st-none").status_code == 404
    assert client.get(f"/api/v1/stories/{story_id}").json()["first_report"] == "lm-wapo"
    assert client.get(f"/api/stories/{story_id}", follow_redirects=False).headers["location"] == f"/api/v1/stories/{story_id}"
    # an article another process ingests after the app loaded its index (the ingest sequence places it) is
    # listed on the next request, which only reads
    from sourcetrace.desk import Desk

    ingest = Desk(store)
    for article, report in zip(read_set("other_event"), reports["other_event"]):
        ingest.add(article, report)
    assert ingest.place_new() == len(reports["other_event"])
    assert len(client.get("/api/v1/stories").json()) == len(data) + 1
    # GET handlers only read: an article stored without the ingest sequence stays unplaced however often they run
    from sqlalchemy import func, select

    from sourcetrace.stories.tables import StoryArticleRow

    article, report = read_set("other_event")[0], reports["other_event"][0]
    extra = report.model_copy(update={"id": "unplaced-1", "text": report.text + "\n\nUpdated."})
    store.add(article.model_copy(update={"id": "unplaced-1", "text": extra.text}), extra)
    with store.Session() as session:
        placed_before = session.scalar(select(func.count()).select_from(StoryArticleRow))
    assert client.get("/stories").status_code == 200 and client.get("/api/v1/stories").status_code == 200
    with store.Session() as session:
        assert session.scalar(select(func.count()).select_from(StoryArticleRow)) == placed_before


def test_cli_stories_table_eval_and_bench(stored, tmp_path):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    _, url = stored
    runner = CliRunner()
    table = runner.invoke(app, ["stories", "--db", url])
    assert table.exit_code == 0, table.output
    assert "Reuters" in table.stdout and "Politico" in table.stdout
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join((SETS / f"{n}.jsonl").read_text(encoding="utf-8") for n in ("landmines", "bridge")),
                      encoding="utf-8")
    bench = runner.invoke(app, ["bench", "stories", "--corpus", str(corpus), "--trace-sample", "0"])
    assert bench.exit_code == 0, bench.output
    assert "2N/N ratio" in " ".join(bench.stdout.split())
    missing = runner.invoke(app, ["eval", "stories", "--gold", str(tmp_path)])
    assert missing.exit_code == 2


def test_cli_eval_stories_on_gold(shared_data):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    result = CliRunner().invoke(app, ["eval", "stories", "--gold", str(require_shared("stories"))])
    assert result.exit_code == 0, result.output
    assert "tune" in result.stdout and "check" in result.stdout


def test_seed_joins_the_landmines_story_and_adds_no_independent_source(seed_report, reports):
    """The undated seed (RT-style: "multiple news outlets reported ..., citing unnamed American officials",
    "according to the Washington Post, which was the first to report") clusters with the written landmines
    set, and the shared claim still rests on one unnamed group: four outlets, one independent source."""
    from sourcetrace.ingest import read_inputs

    seed_article = next(iter(read_inputs([str(require_shared("seed", "000_b5efc67146e558fe.txt"))])))
    articles = read_set("landmines") + [seed_article.model_copy(update={"id": seed_report.id})]
    stories = cluster(docs_of_articles(articles))
    (members,) = [m for m in stories.values() if seed_report.id in m]
    assert set(members) == {"lm-wapo", "lm-wire", "lm-echo", seed_report.id}
    story = trace_story("st-landmines", reports["landmines"] + [seed_report])
    assert any("without a readable published time" in f for f in story["flags"])
    claim = claim_with(story, 4, "land mines to Ukraine")
    assert claim["corroboration"]["independent_sources"] == 1
    assert claim["corroboration"]["single_anonymous"] is True


def test_citations_come_from_the_report_not_the_raw_text(analyzer):
    """The phrasings editors use become outlet edges through the report's attributions and sources (one source
    of truth for the article page and the story page); a report without attributions cites nobody."""
    from sourcetrace.ingest import read_text
    from sourcetrace.model import ArticleReport
    from sourcetrace.stories.sourcing import sourcing_of

    text = ("The agency will cut 500 jobs, as first reported by The Wall Street Journal. A spokesman told Reuters "
            "the cuts had been planned for months. Axios noted that the union was not consulted. The Journal said "
            "the cuts would start in June. CNN also reported the cuts.")
    report = analyzer.analyze(read_text(text, outlet="CNN", id="x"))
    s = sourcing_of(report)
    by_outlet = {c.outlet: c for c in reversed(s.citations)}  # each outlet's first citation
    assert s.first_report_outlets == ["The Wall Street Journal"]  # the chains extractor's first reporter
    assert by_outlet["Reuters"].kind == "told"  # the outlet named in the attribution's cue
    assert by_outlet["Axios"].kind == "verb"
    assert "CNN" not in by_outlet  # an outlet does not cite itself
    journal = [c for c in s.citations if c.evidence.startswith("The Journal")]
    assert journal and journal[0].outlet == "The Wall Street Journal"  # the sources step resolved the short form
    assert [(r.label, r.anonymous, r.via) for r in s.roots] == [("A spokesman", True, "Reuters")]
    # the page's sources panel and the story agree: every cited outlet is a media source of the report or a channel
    media = {src.name for src in report.sources if src.kind == "media"}
    assert set(by_outlet) - {"Reuters"} <= media
    bare = sourcing_of(ArticleReport(id="y", text=text, outlet="CNN"))
    assert bare.citations == [] and bare.roots == []


# ------------------------------------------------------------------ clustering features and docs blocks

def test_names_and_numbers_are_marked_but_not_sentence_starts():
    from sourcetrace.stories.text import article_features, content_terms

    names: set[str] = set()
    terms = content_terms("The Senate voted 52-48. Later the House met with Speaker Pelosi in Washington.", names=names)
    assert {"senate", "52", "pelosi", "washington"} <= names
    assert {"later", "voted"} <= set(terms) and not {"later", "voted"} & names  # a sentence start, a plain word
    # a Title Case headline says nothing by its capitals; a sentence-case one does
    _, names = article_features("House Passes Bill Creating Riot Commission", "the vote was close")
    assert not names
    _, names = article_features("House passes bill after Pelosi push", "the vote was close")
    assert "pelosi" in names and "bill" not in names


def test_a_day_apart_needs_a_closer_match_than_the_same_day():
    base = "Senate Democrats agreed on a budget framework for the infrastructure package on Tuesday, leaders said."
    follow = "Senate Democrats pushed the infrastructure package toward a first vote as leaders counted support."
    first = StoryDoc("a", base, "Democrats agree on budget framework", "2021-07-14")
    index = StoryIndex(ClusterParams(join=2.0))  # never joins: only to read the two articles' cosine
    index.add_many([first, StoryDoc("b", follow, "Democrats push infrastructure package", "2021-07-14")])
    from sourcetrace.stories.text import cosine

    similarity = cosine(index.vectors[0], index.vectors[1])  # one-article stories: the centroid is the article
    assert 0.2 < similarity < 0.9

    def stories_when(day: str, **params) -> int:
        later = StoryDoc("b", follow, "Democrats push infrastructure package", day)
        bar = similarity - 0.05  # the same bar for a pair grouped in one batch and for an article joining a story
        return len(cluster([first, later], ClusterParams(join=bar, pair_link=bar, **params)))

    for grouped in (True, False):  # a batch grouped first, or each article placed on its own
        assert stories_when("2021-07-14", batch_groups=grouped) == 1
        assert stories_when("2021-07-15", batch_groups=grouped) == 2  # a day off costs 0.15
        assert stories_when("2021-07-15", day_gap_penalty=0.0, batch_groups=grouped) == 1


def test_stories_block_is_written_with_the_shared_writer(tmp_path):
    from sourcetrace.docblocks import write_block

    doc = tmp_path / "accuracy.md"
    doc.write_text("# Accuracy\n<!-- web:begin -->\nweb\n<!-- web:end -->\n<!-- stories:start -->\nold\n<!-- stories:end -->\ntail\n")
    write_block(doc, "stories", "new", title="Accuracy", markers=("start", "end"))
    assert doc.read_text() == ("# Accuracy\n<!-- web:begin -->\nweb\n<!-- web:end -->\n"
                               "<!-- stories:start -->\nnew\n<!-- stories:end -->\ntail\n")
    write_block(doc, "web", "web2")  # the default markers still work
    assert "<!-- web:begin -->\nweb2\n<!-- web:end -->" in doc.read_text()
