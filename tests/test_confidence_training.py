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


def _articles(seed: int, n_articles: int = 20, per_article: int = 20):
    """Rows as ``training_rows`` gives them: a proper-name source is right 95 times in 100, a pronoun 60."""
    import random

    rng = random.Random(seed)
    articles = []
    for _ in range(n_articles):
        rows = []
        for _ in range(per_article):
            proper = rng.random() < 0.6
            right = rng.random() < (0.95 if proper else 0.6)
            rows.append(({"mention=proper" if proper else "mention=pronoun": 1.0, "form=direct": 1.0,
                          "log_length": rng.random()}, int(right)))
        articles.append(rows)
    return articles


def test_choice_is_calibrated_on_articles_it_was_not_fitted_on():
    """The chosen feature set and C give held-out probabilities within the target, and still tell the two kinds of
    source apart; fitted on one sample of articles, they are calibrated on another."""
    from sourcetrace.evaluation.speakers import expected_calibration_error
    from sourcetrace.extractors.confidence import probability
    from sourcetrace.training.confidence import FEATURE_SETS, REGULARISATION_GRID, TARGET_ECE, best_choice, fit, only

    tune = _articles(1)
    choice = best_choice(tune)
    assert choice["features"] in FEATURE_SETS and choice["C"] in REGULARISATION_GRID
    assert choice["half_ece_p90"] <= TARGET_ECE
    features = FEATURE_SETS[choice["features"]]
    weights = fit([(only(f, features), y) for rows in tune for f, y in rows], choice["C"])
    proper = probability(weights, only({"mention=proper": 1.0, "form=direct": 1.0, "log_length": 0.5}, features))
    pronoun = probability(weights, only({"mention=pronoun": 1.0, "form=direct": 1.0, "log_length": 0.5}, features))
    assert proper > pronoun + 0.15
    check = [(probability(weights, only(f, features)), bool(y)) for rows in _articles(2) for f, y in rows]
    assert expected_calibration_error(check) <= TARGET_ECE


def test_feature_sets_keep_whole_feature_families():
    from sourcetrace.training.confidence import only

    features = {"mention=proper": 1.0, "mention_count": 2.0, "named": 1.0, "log_length": 3.0}
    assert only(features, ("mention", "named")) == {"mention=proper": 1.0, "named": 1.0}
    assert only(features, None) == features


def test_how_found_keeps_the_recall_stage_features():
    from sourcetrace.training.confidence import HOW_FOUND, only

    features = {"recall:form=direct": 1.0, "recall:short": 1.0, "recall_stage": 1.0, "form=direct": 1.0, "log_length": 2.0}
    assert only(features, HOW_FOUND) == {"recall:form=direct": 1.0, "recall:short": 1.0, "recall_stage": 1.0,
                                          "form=direct": 1.0}


def test_a_near_constant_model_is_not_chosen_for_its_calibration():
    from sourcetrace.training.confidence import choose

    sharp = {"features": "all", "C": 0.3, "cv_brier": 0.103, "half_ece": 0.042, "half_ece_p90": 0.055}
    flat = {"features": "how found", "C": 0.003, "cv_brier": 0.145, "half_ece": 0.028, "half_ece_p90": 0.049}
    nearly = {"features": "how found", "C": 0.1, "cv_brier": 0.108, "half_ece": 0.035, "half_ece_p90": 0.048}
    assert choose([sharp, flat]) is sharp  # flat passes the 90th-percentile bound but is far less sharp
    assert choose([sharp, flat, nearly]) is nearly  # within the margin and within the bound


def test_the_keep_cut_is_never_below_the_doubt_cut():
    """Below the doubt cut every reading is dropped, so a lower keep cut would name a rule that never acts."""
    added = [(0.7, True)] * 10 + [(0.3, False)] * 10 + [(0.1, False)] * 10
    assert keep_threshold(_rows(85, 15, added), floor=0.7) == 0.0
    assert keep_threshold(_rows(85, 15, added), floor=0.7, doubted=0.25) == 0.25
