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
