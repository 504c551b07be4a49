"""First report: citation edges outrank timestamps, opinion is not first, ties are shown as ties, full timestamps
order a day. Written article sets, analysed by the real pipeline (citations come from the reports)."""
from __future__ import annotations

import pytest

from sourcetrace.ingest import read_text
from sourcetrace.stories.first_report import is_opinion, parse_time
from sourcetrace.stories.trace import trace_story

RULING = ("A federal judge in Ohio blocked the state's new voting law on Tuesday, ruling that it placed an undue burden "
          "on voters. Judge Maria Alvarez wrote that the law \"cannot stand as written.\" The state attorney general "
          "said he would appeal the decision.")
CITING = ("A federal judge blocked Ohio's new voting law, according to the Harbor Times. The judge ruled that the law "
          "placed an undue burden on voters, the Harbor Times reported. The attorney general said he would appeal.")
COLUMN = ("The judge who blocked Ohio's voting law got it right. The law was a solution in search of a problem, and "
          "the ruling that it placed an undue burden on voters should embarrass its authors.")


def analyse(analyzer, text, article_id, outlet, published, title=None, url=None):
    return analyzer.analyze(read_text(text, id=article_id, outlet=outlet, published=published, title=title, url=url))


def test_an_outlet_citing_another_is_not_first_even_when_earlier(analyzer):
    reports = [analyse(analyzer, RULING, "ht", "Harbor Times", "2024-05-07T15:00:00Z", "Judge blocks Ohio voting law"),
               analyse(analyzer, CITING, "dl", "Daily Ledger", "2024-05-07T14:00:00Z", "Ohio voting law blocked")]
    story = trace_story("st-x", reports)
    assert ("Daily Ledger", "Harbor Times") in {(e["from"], e["to"]) for e in story["citations"]}
    assert story["first_report"] == "ht"  # the citation outranks the Ledger's earlier timestamp
    assert story["first_report_tied"] == []
    assert "Harbor Times" in story["first_report_set_aside"]["dl"]


def test_an_opinion_piece_is_not_the_first_report_of_the_news(analyzer):
    column = analyse(analyzer, COLUMN, "col", "Ledger Opinion", "2024-05-07T09:00:00Z",
                     "Opinion: The judge got it right", "https://ledger.example/opinion/2024/05/judge-right")
    news = analyse(analyzer, RULING, "news", "Harbor Times", "2024-05-07T11:00:00Z", "Judge blocks Ohio voting law")
    assert is_opinion(column) and not is_opinion(news)
    story = trace_story("st-y", [column, news])
    assert story["first_report"] == "news"
    assert "opinion" in story["first_report_set_aside"]["col"]


def test_same_day_without_times_is_a_tie_and_times_order_the_day(analyzer):
    a = analyse(analyzer, RULING, "a", "Harbor Times", "2024-05-07", "Judge blocks Ohio voting law")
    b = analyse(analyzer, RULING.replace("Tuesday", "Tuesday afternoon"), "b", "River Post", "2024-05-07", "Ohio law blocked")
    story = trace_story("st-z", [a, b])
    assert sorted(story["first_report_tied"]) == ["a", "b"]
    assert any(f.startswith("tie") for f in story["flags"])
    # a bare date covers its day: it ties with a time on that day too
    b_timed = b.model_copy(update={"published": "2024-05-07T08:00:00+00:00"})
    assert sorted(trace_story("st-z", [a, b_timed])["first_report_tied"]) == ["a", "b"]
    # full timestamps (feeds, HTML metadata, WARC-Date) order the day: no tie
    a_timed = a.model_copy(update={"published": "Tue, 07 May 2024 10:30:00 GMT"})  # a feed's RFC 2822 pubDate
    timed = trace_story("st-z", [a_timed, b_timed])
    assert timed["first_report"] == "b" and timed["first_report_tied"] == []


@pytest.mark.parametrize("value,expected", [
    ("2024-05-07", ("2024-05-07T00:00:00", "2024-05-07T23:59:59.999999")),
    ("2024-05-07T10:00:00-04:00", ("2024-05-07T14:00:00", "2024-05-07T14:00:00")),
    ("Tue, 07 May 2024 10:30:00 GMT", ("2024-05-07T10:30:00", "2024-05-07T10:30:00")),
    ("yesterday", None),
])
def test_published_values_become_intervals(value, expected):
    got = parse_time(value)
    assert (tuple(t.isoformat() for t in got) if got else None) == expected
