"""Corrections: stored with who and when, applied on read (the model's reading kept), surviving re-analysis,
shown by the page and the API, exported exactly as attribution gold that `eval speakers` reads."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from _store_support import store, store_url  # noqa: F401  (fixtures)
from desk_support import said_report
from sourcetrace.errors import InputError
from sourcetrace.model import Article
from sourcetrace.store.corrections import (add_correction, corrected_report, export_gold, list_corrections)

MISSED = "Meanwhile the union insisted the strike would go on."


def stored(store):
    report = said_report("k1", "Harbor Times", "2024-03-01", [
        ("Mayor Ana Ruiz", "Ana Ruiz", "person", True, "the port would reopen Monday", "neutral"),
        ("COVID-19", "COVID-19", "person", True, "the harbor was quiet", "neutral"),
        ("officials", "officials", "group", False, "talks had stalled", "hedged")], extra=MISSED)
    assert store.add(Article(text=report.text, id=report.id), report)
    return report


def add_missed(store, report):
    text = report.text
    start = text.index("the strike would go on")
    src = text.index("the union")
    return add_correction(store, "k1", "add", {
        "content": {"start": start, "end": start + len("the strike would go on")},
        "source": {"start": src, "end": src + len("the union")}, "cue": None,
        "speaker": "the dockworkers' union", "kind": "organization", "named": False, "stance": "assertive"}, "editor a")


def test_corrections_apply_on_read_and_keep_the_models_reading(store):
    report = stored(store)
    add_correction(store, "k1", "remove", {}, "editor a", "a2")  # a disease is not a speaker
    add_correction(store, "k1", "change", {"stance": "distancing", "speaker": "Ana Ruiz", "kind": "person"}, "editor b", "a1")
    add_missed(store, report)
    fixed = corrected_report(store, "k1")
    assert [a.content.text for a in fixed.attributions] == [
        "the port would reopen Monday", "talks had stalled", "the strike would go on"]
    assert fixed.attributions[0].stance == "distancing"
    added = fixed.attributions[2]
    assert added.id.startswith("c") and added.source.text == "the union" and added.stance == "assertive"
    union = next(s for s in fixed.sources if s.id == added.source_id)
    assert (union.name, union.kind, union.named) == ("the dockworkers' union", "organization", False)
    assert fixed.profile["corrections"]["by"] == ["editor a", "editor b"]
    assert store.get_report("k1") == report  # the model's own reading is untouched
    rows = list_corrections(store, "k1")
    assert [c.action for c in rows] == ["remove", "change", "add"] and all(c.created_at for c in rows)


def test_bad_corrections_are_refused_with_a_reason(store):
    stored(store)
    with pytest.raises(InputError, match="outside the article"):
        add_correction(store, "k1", "add", {"content": {"start": 5, "end": 99999}}, "ed")
    with pytest.raises(InputError, match="no attribution"):
        add_correction(store, "k1", "remove", {}, "ed", "a9")
    with pytest.raises(InputError, match="not one of"):
        add_correction(store, "k1", "change", {"stance": "angry"}, "ed", "a1")
    with pytest.raises(InputError, match="who makes"):
        add_correction(store, "k1", "remove", {}, " ", "a1")
    assert list_corrections(store, "k1") == []


def test_a_correction_survives_reanalysis(store):
    from sourcetrace.store.models import ArticleRow

    report = stored(store)
    add_correction(store, "k1", "change", {"stance": "negated"}, "ed", "a3")
    add_missed(store, report)
    # analysed again by a newer model: same text, attributions renumbered, one span a little longer
    again = report.model_copy(deep=True)
    again.attributions = list(reversed(again.attributions))
    for n, a in enumerate(again.attributions, 1):
        a.id = f"a{n}"
    with store.session() as session:
        session.execute(delete(ArticleRow).where(ArticleRow.id == "k1"))
    assert store.add(Article(text=again.text, id="k1"), again)
    fixed = corrected_report(store, "k1")
    stalled = next(a for a in fixed.attributions if a.content.text == "talks had stalled")
    assert stalled.stance == "negated"
    assert any(a.content.text == "the strike would go on" for a in fixed.attributions)
    assert fixed.profile["corrections"]["unmatched"] == []


def test_export_is_gold_that_eval_speakers_reads(store, tmp_path):
    from sourcetrace.corpora.attribution_gold import read_gold

    report = stored(store)
    add_correction(store, "k1", "remove", {}, "editor a", "a2")
    add_missed(store, report)
    out = tmp_path / "gold"
    assert export_gold(store, out) == 1
    record = json.loads((out / "k1.json").read_text(encoding="utf-8"))
    assert [r["content"]["text"] for r in record["attributions"]] == [
        "the port would reopen Monday", "talks had stalled", "the strike would go on"]
    assert record["attributions"][2] == {
        "content": {"start": report.text.index("the strike"), "end": report.text.index("the strike") + 22,
                    "text": "the strike would go on"},
        "cue": None, "source": {"start": report.text.index("the union"), "end": report.text.index("the union") + 9,
                                "text": "the union"},
        "speaker": "the dockworkers' union", "kind": "organization", "named": False}
    gold = read_gold(out)  # the reader checks every span against the exported text
    (article,) = gold.articles
    assert article.article.text == report.text and len(article.statements) == 3
    assert json.loads((out / "manifest.json").read_text())["correctors"] == ["editor a"]


def test_api_and_page_serve_the_corrected_report(store):
    from sourcetrace.web.app import create_app

    report = stored(store)
    client = TestClient(create_app(store))
    before = client.get("/articles/k1")
    assert before.status_code == 200 and 'id="add-attribution"' in before.text
    start = report.text.index("the strike would go on")
    answer = client.post("/api/v1/articles/k1/corrections", json={
        "action": "add", "author": "desk", "content": {"start": start, "end": start + 22}, "speaker": "the union",
        "kind": "organization", "named": False})
    assert answer.status_code == 201 and answer.json()["author"] == "desk"
    served = client.get("/api/v1/articles/k1").json()
    assert any(a["content"]["text"] == "the strike would go on" for a in served["attributions"])
    model = client.get("/api/v1/reports/k1").json()
    assert not any(a["content"]["text"] == "the strike would go on" for a in model["attributions"])
    page = client.get("/articles/k1")
    assert "added by a reader" in page.text and page.headers["etag"] != before.headers["etag"]
    # the page's form: mark one wrong, no script needed
    posted = client.post("/articles/k1/corrections", data={"action": "remove", "attribution_id": "a2", "author": "desk"},
                         follow_redirects=False)
    assert posted.status_code == 303
    assert not any(a["content"]["text"] == "the harbor was quiet" for a in client.get("/api/v1/articles/k1").json()["attributions"])
    refused = client.post("/api/v1/articles/k1/corrections", json={"action": "change", "author": "desk", "attribution_id": "a1", "stance": "x"})
    assert refused.status_code == 422 and "not one of" in refused.json()["error"]
    assert client.post("/api/v1/articles/nope/corrections", json={"action": "remove", "author": "d", "attribution_id": "a1"}).status_code == 404
    assert len(client.get("/api/v1/articles/k1/corrections").json()) == 2


def test_cli_exports_corrections(store, tmp_path):
    from conftest import invoke_cli

    report = stored(store)
    add_missed(store, report)
    out = tmp_path / "corr"
    result = invoke_cli("export", "--db", store.url, "--format", "corrections", "-o", str(out), text=True)
    assert result.returncode == 0, result.stderr
    assert "wrote 1 articles" in result.stderr
    assert (out / "k1.json").is_file() and (out / "articles.jsonl").is_file()


def test_search_and_sources_follow_corrections(store):
    from sourcetrace.store.corpus_sources import corpus_index
    from sourcetrace.store.statement_search import StatementQuery, search_statements

    report = stored(store)
    assert "COVID-19" in {a.name for a in corpus_index(store).left_out}
    add_missed(store, report)
    found = search_statements(store, StatementQuery(said="strike"))
    assert [i["content"] for i in found["items"]] == ["the strike would go on"]
    assert found["items"][0]["source"]["name"] == "the dockworkers' union"
    add_correction(store, "k1", "change", {"speaker": "Ana Ruiz", "kind": "person", "named": True}, "ed", "a3")
    ruiz = next(s for s in corpus_index(store).sources.values() if s.name == "Ana Ruiz")
    assert ruiz.attributions == 2  # "talks had stalled" is now hers


def test_exported_corrections_train_the_fast_tier(store, tmp_path):
    """The gold export becomes training relations, and the CRF trainer takes them with PolNeAR train (a small
    PolNeAR-style folder here: two gold articles' worth of training, real CRF fits)."""
    from conftest import require_shared
    from sourcetrace.corpora.gold_training import polnear_docs
    from sourcetrace.training.attributions_crf import train

    report = stored(store)
    add_missed(store, report)
    gold = tmp_path / "gold"
    export_gold(store, gold)
    (doc,) = polnear_docs(gold)
    assert doc.text == report.text and len(doc.relations) == 4
    missed = doc.relations[-1]
    assert report.text[slice(*missed.content[0])] == "the strike would go on"
    assert report.text[slice(*missed.source[0])] == "the union" and missed.cue is None
    polnear = require_shared("polnear", "train")
    small = tmp_path / "polnear" / "train"
    (small / "text").mkdir(parents=True)
    (small / "attributions").mkdir()
    for ann in sorted((polnear / "attributions").glob("*.ann"))[:3]:
        name = ann.name.rsplit("_", 1)[0]
        (small / "attributions" / ann.name).write_text(ann.read_text(encoding="utf-8"), encoding="utf-8")
        (small / "text" / f"{name}.txt").write_text((polnear / "text" / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    meta = train(tmp_path / "polnear", tmp_path / "model", cache_dir=None, log=lambda *_: None, extra_gold=gold)
    assert meta["documents"] == 4 and "attribution-gold" in meta["data"]
    assert (tmp_path / "model" / "cue.crfsuite").stat().st_size > 0
