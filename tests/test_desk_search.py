"""Who said what: statements searched by speaker (any merged name), words, outlet, dates, anonymity; matches marked."""
from __future__ import annotations

from fastapi.testclient import TestClient

from _store_support import store, store_url  # noqa: F401  (fixtures)
from desk_support import said_report
from sourcetrace.model import Article
from sourcetrace.store.statement_search import StatementQuery, highlights, search_statements, word_patterns


def fill(store):
    reports = [
        said_report("w1", "Daily Ledger", "2024-03-01", [
            ("Donald Trump", "Donald Trump", "person", True, "the tariffs on steel would stay", "assertive"),
            ("two officials", "two officials", "group", False, "tariff talks with Canada had stalled", "hedged")]),
        said_report("w2", "Harbor Times", "2024-03-04", [
            ("President Trump", "President Trump", "person", True, "the border deal was dead", "neutral"),
            ("a senior aide", "a senior aide", "person", False, "the tariff list was ready", "hedged")]),
        said_report("w3", "Harbor Times", "2024-03-20", [
            ("Trump", "Trump", "person", True, "tariffs on steel work", "distancing"),
            ("Ann Lee", "Ann Lee", "person", True, "steel prices went up", "neutral")]),
    ]
    for r in reports:
        assert store.add(Article(text=r.text, id=r.id), r)


def test_word_patterns_allow_inflections_and_keep_phrases():
    patterns = word_patterns('tariff "on steel"')
    assert highlights("the tariffs on steel would stay", patterns) == [(4, 11), (12, 20)]
    assert highlights("steel on tariffs", patterns) is None  # the phrase is in order


def test_statements_by_speaker_and_words(store):
    fill(store)
    by_trump = search_statements(store, StatementQuery(speaker="Trump"))
    assert [i["article"] for i in by_trump["items"]] == ["w3", "w2", "w1"]  # every name of Donald Trump, newest first
    on_steel = search_statements(store, StatementQuery(speaker="Donald Trump", said="steel"))
    assert [i["content"] for i in on_steel["items"]] == ["tariffs on steel work", "the tariffs on steel would stay"]
    first = on_steel["items"][0]
    assert [first["content"][s:e] for s, e in first["highlights"]] == ["steel"]
    assert first["source"]["corpus_name"] == "Donald Trump"


def test_unnamed_sources_in_one_week(store):
    fill(store)
    from datetime import date

    week = search_statements(store, StatementQuery(anonymous=True, date_from=date(2024, 3, 1), date_to=date(2024, 3, 7)))
    assert sorted(i["content"] for i in week["items"]) == ["tariff talks with Canada had stalled", "the tariff list was ready"]
    assert all(not i["source"]["named"] for i in week["items"])
    outlet = search_statements(store, StatementQuery(anonymous=True, outlet="Harbor Times"))
    assert [i["article"] for i in outlet["items"]] == ["w2"]


def test_search_api_and_page_mark_the_match(store):
    from sourcetrace.web.app import create_app

    fill(store)
    client = TestClient(create_app(store))
    answer = client.get("/api/v1/search", params={"speaker": "Trump", "said": "tariff"}).json()
    assert answer["total"] == 2 and all(i["highlights"] for i in answer["items"])
    assert client.get("/api/v1/search", params={"q": "steel"}).json()["total"] == 2  # articles, as before
    assert client.get("/api/v1/search", params={"anonymous": "1", "date_from": "2024-03-02"}).json()["total"] == 1
    assert client.get("/api/v1/search").status_code == 422
    page = client.get("/search", params={"speaker": "Trump", "said": "steel"})
    assert page.status_code == 200
    assert "<mark>steel</mark>" in page.text and 'id="statement-count">2 statement' in page.text
    assert client.get("/search", params={"said": "<script>x</script>"}).status_code == 200
