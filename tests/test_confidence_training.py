"""The accurate tier's keep threshold: what its recall stage adds is kept down to the confidence at which the whole
reading still holds the precision floor (rows are out-of-fold (probability, is a statement, features))."""
from __future__ import annotations

from sourcetrace.training.confidence import keep_threshold


def _rows(base_true: int, base_false: int, added: list[tuple[float, bool]]):
    rows = [(0.9, True, {}) for _ in range(base_true)] + [(0.9, False, {}) for _ in range(base_false)]
    return rows + [(p, ok, {"recall_stage": 1.0}) for p, ok in added]


def test_lowest_cut_that_keeps_the_floor():
    # base 85 of 100; added: 10 true at 0.7, 10 false at 0.3, 10 false at 0.1
    added = [(0.7, True)] * 10 + [(0.3, False)] * 10 + [(0.1, False)] * 10
    # cut 0.0: 95/130 = 0.73; cut 0.15: 95/120 = 0.79; cut 0.35: 95/110 = 0.86
    assert keep_threshold(_rows(85, 15, added)) == 0.35
    assert keep_threshold(_rows(85, 15, added), floor=0.7) == 0.0


def test_below_the_floor_what_is_added_must_match_the_rest():
    added = [(0.6, True)] * 7 + [(0.6, False)] * 3 + [(0.2, False)] * 10
    # base 0.70 < floor 0.80: kept from the cut where what is added is >= 0.70 precise (0.25: 7 of 10)
    assert keep_threshold(_rows(70, 30, added)) == 0.25


def test_nothing_added_no_threshold():
    assert keep_threshold(_rows(10, 1, [])) is None


def test_recall_stage_readings_carry_their_own_features(analyzer):
    """A reading the recall stage added weighs its cue, content and form again on its own (an indirect question
    marked); a fast-tier reading has none of those features."""
    from sourcetrace.extractors.confidence import attribution_features
    from sourcetrace.model import Article

    report = analyzer.analyze(Article(text="Officials are weighing whether to reopen the bridge, the mayor said on Monday."))
    reading = report.attributions[0]
    source = next(s for s in report.sources if s.id == reading.source_id)
    fast = attribution_features(report, reading, source)
    added = attribution_features(report, reading, source, {reading.id: 0.7})
    assert not any(name.startswith("recall:") for name in fast)
    assert added["recall_stage"] == 1.0 and added["tagger_belief"] == 0.7
    assert added["recall:cue_common"] == 1.0 and added[f"recall:form={reading.form}"] == 1.0
    assert added["recall:indirect_question"] == float(reading.content.text.lstrip().startswith("whether"))


def test_indirect_question_contents():
    from sourcetrace.extractors.confidence import INDIRECT_QUESTION

    assert INDIRECT_QUESTION.match("whether to reopen the bridge") and INDIRECT_QUESTION.match(" how to stop offshoring")
    assert not INDIRECT_QUESTION.match("however long it takes") and not INDIRECT_QUESTION.match("that the bridge will reopen")
