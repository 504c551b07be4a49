"""``sourcetrace eval speakers`` and its scorer, on a two-article gold written for the test
(tests/data/speakers-mini: a mayor quoted and paraphrased, an uncued continuation, a sourceless report, an
anonymous official, a pronoun, an outlet)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import REPO
from sourcetrace.corpora.attribution_gold import GoldError, read_gold
from sourcetrace.evaluation.speakers import (SpeakerScores, expected_calibration_error, same_referent,
                                             score_article)

MINI = REPO / "tests" / "data" / "speakers-mini"


def cli(*args: str):
    from sourcetrace.cli import _load_commands, app

    _load_commands()
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def gold():
    return read_gold(MINI)


@pytest.fixture(scope="module")
def reports(gold, analyzer):
    return {g.article.id: analyzer.analyze(g.article) for g in gold.articles}


def test_gold_reads_split_and_checks_spans(gold, tmp_path):
    assert {g.article.id: (g.part, len(g.statements)) for g in gold.articles} == {"mini-1": ("tune", 5),
                                                                                  "mini-2": ("check", 3)}
    bad = tmp_path / "gold"
    bad.mkdir()
    (bad / "articles.jsonl").write_text((MINI / "articles.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    record = json.loads((MINI / "mini-2.json").read_text(encoding="utf-8"))
    record["attributions"][0]["content"]["start"] += 1
    (bad / "mini-2.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(GoldError, match=r"mini-2.json record 0 content: text\[\d+:\d+\] is"):
        read_gold(bad)


def test_live_reports_of_clean_copy_score_perfectly(gold, reports):
    scores = SpeakerScores()
    for g in gold.articles:
        score_article(g, reports[g.article.id], scores)
    assert (scores.n_gold, scores.n_pred, scores.found, scores.speaker_right) == (8, 8, 8, 8)
    assert scores.who_says_so == 1.0 and scores.precision == 1.0


def test_wrong_speaker_false_attribution_and_miss_are_counted(gold, reports):
    g = next(a for a in gold.articles if a.article.id == "mini-1")
    report = reports["mini-1"].model_copy(deep=True)
    by_text = {a.content.text: a for a in report.attributions}
    brooks = next(s for s in report.sources if s.name == "Ada Brooks")
    brooks.name = "Tom Reyes"  # every statement of the mayor now names someone else
    sourceless = by_text["The council has reportedly delayed the vote"]
    report.attributions.remove(sourceless)  # a miss
    extra = report.attributions[0].model_copy(update={"id": "x1", "content": report.attributions[0].source})
    report.attributions.append(extra)  # content "Mayor Ada Brooks" overlaps no gold content: a false attribution
    scores = SpeakerScores()
    score_article(g, report, scores)
    assert (scores.n_gold, scores.n_pred, scores.found) == (5, 5, 4)
    assert scores.pred_true == 4 and scores.speaker_right == 1  # only the anonymous official stays right
    assert scores.who_says_so == pytest.approx(1 / 5)
    assert [r.predicted is None for r in scores.results].count(True) == 1


def test_names_compared_as_the_guide_says():
    assert same_referent("Ruth Bader Ginsburg", "Justice Ginsburg", person=True)
    assert same_referent("The Washington Post", "Washington Post", person=False)
    assert not same_referent("Federal Reserve", "Fed", person=False)
    assert not same_referent("Hillary Clinton", "Chelsea Manning", person=True)
    assert same_referent("The U.S.", "U.S", person=False)
    assert same_referent("Tom Steyer and Pete Buttigieg", "Pete Buttigieg and Tom Steyer", person=False)
    assert not same_referent("Tom Steyer and Pete Buttigieg", "Pete Buttigieg and Joe Biden", person=False)
    assert not same_referent("The U.S.", "the president", person=False)


def test_calibration_error():
    assert expected_calibration_error([]) is None
    assert expected_calibration_error([(0.9, True)] * 9 + [(0.9, False)]) == pytest.approx(0.0)
    assert expected_calibration_error([(0.95, False), (0.05, True)]) == pytest.approx(0.95)


def test_command_prints_every_part_and_writes_docs(tmp_path, monkeypatch):
    result = cli("eval", "speakers", "--gold", str(MINI), "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert set(figures) == {"tune", "check", "all"}
    assert figures["all"]["articles_statements"] == 8 and figures["all"]["who_says_so"] == 1.0
    monkeypatch.chdir(tmp_path)
    result = cli("eval", "speakers", "--gold", str(MINI), "--write-docs")
    assert result.exit_code == 0, result.output
    block = (tmp_path / "docs" / "accuracy.md").read_text(encoding="utf-8")
    assert "<!-- speakers-fast:begin -->" in block and "| check | 1 | 3 |" in block


def test_command_bad_gold_is_one_line(tmp_path):
    result = cli("eval", "speakers", "--gold", str(tmp_path / "missing"))
    assert result.exit_code == 1
    assert "not a folder" in result.output and "Traceback" not in result.output
