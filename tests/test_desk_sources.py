"""Sources across the corpus: names merged by a conservative rule (with reasons), a source's page and JSON."""
from __future__ import annotations

from fastapi.testclient import TestClient

from _store_support import store, store_url  # noqa: F401  (fixtures)
from desk_support import said_report
from sourcetrace.model import Article
from sourcetrace.store.corpus_sources import Alias, corpus_index, merge_sources, parse_person


def test_person_names_parse_titles_initials_and_suffixes():
    assert parse_person("President Donald J. Trump").key == ("donald", "trump", "")
    assert parse_person("Donald Trump Jr.").key == ("donald", "trump", "jr")
    assert parse_person("Sen. Warren").given is None and parse_person("Sen. Warren").titles == ("sen",)
    assert parse_person("House Speaker Mike Johnson's").key == ("mike", "johnson", "")


def test_merge_never_joins_two_people_who_share_a_surname():
    index = merge_sources([
        Alias("Joe Biden", "person", True, 3, 3), Alias("Hunter Biden", "person", True, 2, 2),
        Alias("President Joe Biden", "person", True, 1, 1), Alias("Biden", "person", True, 5, 5),
        Alias("President Biden", "person", True, 2, 2), Alias("Donald Trump Jr.", "person", True, 1, 1),
        Alias("Donald Trump", "person", True, 4, 4), Alias("Trump", "person", True, 9, 9),
    ])
    by_name = {a.name: s for s in index.sources.values() for a in s.aliases}
    assert by_name["President Joe Biden"] is by_name["Joe Biden"]
    assert by_name["President Biden"] is by_name["Joe Biden"]  # the title picks the one president
    assert by_name["Hunter Biden"] is not by_name["Joe Biden"]
    assert by_name["Biden"] not in (by_name["Joe Biden"], by_name["Hunter Biden"])
    assert "shared by 2 people" in next(a.reason for a in by_name["Biden"].aliases if a.name == "Biden")
    assert by_name["Donald Trump Jr."] is not by_name["Donald Trump"]
    assert by_name["Trump"] is by_name["Donald Trump"]  # Jr. is another person, but has another key


def test_names_run_together_by_extraction_do_not_block_a_merge():
    """Seen in 150 analysed AllSides articles of 2020: a byline run into a headline and two surnames in a row
    were tagged as people named Trump; they must not make "Trump" ambiguous, while Hunter and Joe Biden do."""
    index = merge_sources([
        Alias("Donald Trump", "person", True, 24, 30), Alias("Trump", "person", True, 22, 25),
        Alias("Ben Ehrenreich Trump", "person", True, 1, 1), Alias("Trump Donald", "person", True, 1, 1),
        Alias("Brad Parscale - Text TRUMP", "person", True, 1, 1), Alias("The list of options for Trump", "person", True, 1, 1),
        Alias("Joe Biden", "person", True, 10, 10), Alias("Hunter Biden", "person", True, 1, 1), Alias("Biden", "person", True, 5, 5),
        Alias("Trump Biden", "person", True, 1, 1),
        Alias("Screenshot via berniesanders.com\n\nBernie Sanders", "person", True, 1, 1), Alias("Many", "person", False, 6, 6),
        Alias("US", "government", True, 3, 3),
    ])
    by_name = {a.name: s for s in index.sources.values() for a in s.aliases}
    assert by_name["Trump"] is by_name["Donald Trump"]
    assert "names run together set aside" in next(a.reason for a in by_name["Trump"].aliases if a.name == "Trump")
    assert by_name["Biden"] is not by_name["Joe Biden"]
    left = {a.name: a.reason for a in index.left_out}
    assert "page text" in left["Screenshot via berniesanders.com\n\nBernie Sanders"] and "quantifier" in left["Many"]
    assert "US" in by_name  # a country, not the pronoun


def test_junk_is_left_out_with_its_reason_and_acronyms_join_their_long_name():
    index = merge_sources([
        Alias("COVID-19", "person", True, 4, 4), Alias("he", "person", True, 1, 1), Alias("ISIS", "person", True, 1, 1),
        Alias("Federal Bureau of Investigation", "government", True, 1, 1), Alias("the FBI", "government", True, 2, 2),
        Alias("a senior official", "person", False, 3, 3), Alias("Joe Smith", "person", True, 1, 1),
    ])
    assert {a.name for a in index.left_out} == {"COVID-19", "he", "ISIS"}
    assert all(a.reason for a in index.left_out)
    fbi = next(s for s in index.sources.values() if s.name == "Federal Bureau of Investigation")
    assert {a.name for a in fbi.aliases} == {"Federal Bureau of Investigation", "the FBI"}
    unnamed = next(s for s in index.sources.values() if not s.named)
    assert unnamed.aliases[0].name == "a senior official"


def corpus(store):
    reports = [
        said_report("t1", "Daily Ledger", "2024-03-01", [
            ("Donald J. Trump", "Donald J. Trump", "person", True, "the tariffs would stay", "assertive"),
            ("officials", "unnamed officials", "group", False, "talks had stalled", "hedged")]),
        said_report("t2", "Harbor Times", "2024-03-02", [
            ("Trump", "Trump", "person", True, "the deal was dead", "neutral"),
            ("COVID-19", "COVID-19", "person", True, "cases rose", "neutral")]),
        said_report("t3", "Harbor Times", "2024-04-11", [
            ("President Trump", "President Trump", "person", True, "tariffs work", "distancing"),
            ("Ann Lee", "Ann Lee", "person", True, "prices went up", "neutral")]),
        said_report("t4", "Daily Ledger", "2024-04-12", [
            ("Donald Trump", "Donald Trump", "person", True, "he would sign it", "neutral")]),
    ]
    for r in reports:
        assert store.add(Article(text=r.text, id=r.id), r)
    return reports


def test_corpus_source_collects_every_statement_across_articles(store):
    corpus(store)
    index = corpus_index(store)
    trump = next(s for s in index.sources.values() if s.name == "Donald Trump")
    assert {a.name for a in trump.aliases} == {"Donald J. Trump", "Trump", "President Trump", "Donald Trump"}
    assert "COVID-19" in {a.name for a in index.left_out}
    from sourcetrace.store.corpus_sources import source_detail

    detail = source_detail(store, trump.id)
    assert detail["statements_total"] == 4
    assert [s["article"] for s in detail["statements"]] == ["t4", "t3", "t2", "t1"]  # newest first
    assert {s["content"] for s in detail["statements"]} == {
        "the tariffs would stay", "the deal was dead", "tariffs work", "he would sign it"}
    assert detail["outlets"] == [{"outlet": "Daily Ledger", "statements": 2}, {"outlet": "Harbor Times", "statements": 2}]
    assert detail["timeline"] == [{"month": "2024-03", "statements": 2}, {"month": "2024-04", "statements": 2}]
    assert detail["stances"]["distancing"] == 1


def test_source_page_and_api(store):
    from sourcetrace.web.app import create_app

    corpus(store)
    client = TestClient(create_app(store))
    listing = client.get("/api/v1/sources").json()
    top = listing["items"][0]
    assert top["name"] == "Donald Trump" and top["articles"] == 4 and "President Trump" in top["aliases"]
    assert all(i["name"] != "COVID-19" for i in listing["items"])
    body = client.get(f"/api/v1/sources/{top['id']}").json()
    assert {a["name"] for a in body["aliases"]} >= {"Trump", "Donald J. Trump"}
    assert all(a["reason"] for a in body["aliases"])
    assert len(body["statements"]) == 4 and body["statements"][0]["outlet"] == "Daily Ledger"
    per_outlet = client.get("/api/v1/sources", params={"outlet": "Harbor Times"}).json()
    assert {i["name"]: i["articles"] for i in per_outlet["items"]} == {"Donald Trump": 2, "Ann Lee": 1}
    page = client.get(f"/sources/{top['id']}")
    assert page.status_code == 200 and "tariffs work" in page.text and "surname of the only Trump" in page.text
    index_page = client.get("/sources")
    assert f'href="/sources/{top["id"]}"' in index_page.text
    assert client.get("/sources/nobody-000000").status_code == 404
    assert client.get("/api/v1/sources/nobody-000000").status_code == 404
