"""The accurate tier: the shipped int8 ONNX tagger loads from the installed package with the
network off and no torch, finds direct and indirect attributions, and decodes spans correctly."""
from __future__ import annotations


import numpy as np
import pytest

from sourcetrace.extractors.attributions import accurate
from sourcetrace.model import Article
from sourcetrace.pipeline import AnalysisOptions, Analyzer

from conftest import assert_shipped_tagger, assert_spans_index_text, require_shared, run_offline_without_torch

@pytest.fixture(scope="module")
def accurate_analyzer():
    return Analyzer(AnalysisOptions(model="accurate"))


def _analyze(analyzer, text):
    report = analyzer.analyze(Article(text=text))
    assert_spans_index_text(report)
    return report


def _text(span):
    return span.text if span is not None else None


def test_shipped_model_files_are_small_and_described():
    assert_shipped_tagger(accurate.model_dir(), accurate.SPAN_TYPES)


def test_loads_offline_without_torch():
    """A fresh interpreter with sockets disabled and torch / transformers made unimportable tags a sentence."""
    run_offline_without_torch(
        "from sourcetrace.extractors.attributions.accurate import OnnxTagger\n"
        "spans = OnnxTagger().spans('The mayor said that the bridge would reopen in May.')\n"
        "assert spans['cue'], spans\n"
        "print('ok')\n"
    )


def test_direct_quote_with_speaker(accurate_analyzer):
    text = ("The vote is set for Thursday. “We will not back down from this fight,” Senator Elizabeth Warren "
            "said on Tuesday.")
    report = _analyze(accurate_analyzer, text)
    quote = [a for a in report.attributions if "back down from this fight" in a.content.text]
    assert quote, [a.model_dump() for a in report.attributions]
    a = quote[0]
    assert a.form == "direct"
    assert a.source is not None and "Warren" in a.source.text
    assert a.cue is not None and "said" in a.cue.text


def test_indirect_attribution_with_that(accurate_analyzer):
    text = "The governor said that the state budget would be balanced by next year, despite falling revenue."
    report = _analyze(accurate_analyzer, text)
    found = [a for a in report.attributions if "budget would be balanced" in a.content.text]
    assert found, [a.model_dump() for a in report.attributions]
    a = found[0]
    assert a.form == "indirect"
    assert _text(a.source) == "The governor"
    assert a.cue is not None and "said" in a.cue.text
    assert not a.content.text.startswith("said")


def test_according_to(accurate_analyzer):
    text = "According to the Congressional Budget Office, the plan would add $2 trillion to the deficit."
    report = _analyze(accurate_analyzer, text)
    found = [a for a in report.attributions if "deficit" in a.content.text]
    assert found, [a.model_dump() for a in report.attributions]
    assert found[0].source is not None and "Budget Office" in found[0].source.text
    assert found[0].form == "according_to"


def test_long_text_spans_every_window(accurate_analyzer):
    """A text several windows long is tagged throughout, not only in its first window."""
    sentence = "Officials said that the new rules would take effect in the spring. "
    report = _analyze(accurate_analyzer, sentence * 60)
    last_quarter = len(report.text) * 3 // 4
    assert any(a.content.start > last_quarter for a in report.attributions)


def test_empty_and_blank_text(accurate_analyzer):
    extractor = accurate.AccurateAttributionExtractor()
    for text in ("", "   \n"):
        assert extractor.extract(accurate_analyzer.nlp(text)) == []


def test_sources_widen_to_the_phrase_they_cut_into(accurate_analyzer):
    doc = accurate_analyzer.nlp("Republican nominee Donald Trump’s campaign said on Friday that it raised $80 million.")
    text = doc.text
    donald = (text.index("Donald"), text.index("Donald") + len("Donald"))
    spans = accurate.snap_sources_to_phrases({"source": [donald], "cue": [], "content": []}, doc)
    (start, end), = spans["source"]
    assert "Donald Trump" in text[start:end]
    assert "’s" not in text[start:end]  # the possessor, not the possession


def test_bio_viterbi_never_starts_inside():
    # I is likeliest at the first position, but a span cannot start with I
    lp = np.log(np.array([[0.1, 0.3, 0.6], [0.1, 0.2, 0.7], [0.8, 0.1, 0.1]]))
    tags = accurate.bio_viterbi(lp)
    assert tags.tolist() == [accurate.TAG_B, accurate.TAG_I, accurate.TAG_O]


def test_windows_cover_every_token():
    for n in (1, 253, 254, 255, 1000):
        covered = np.zeros(n, dtype=int)
        for s, e in accurate.windows(n, 254, 127):
            assert e - s <= 254
            covered[s:e] += 1
        assert covered.min() >= 1


def test_grouping_pairs_content_with_nearest_cue_and_its_source():
    text = "Smith said the plan failed. Jones argued it would work."
    spans = {"source": [(0, 5), (28, 33)], "cue": [(6, 10), (34, 40)], "content": [(11, 26), (41, 54)]}
    rels = accurate.group_relations(spans, [(0, 27), (28, len(text))])
    assert [(text[r.source[0]:r.source[1]], text[r.content[0]:r.content[1]]) for r in rels] == [
        ("Smith", "the plan failed"), ("Jones", "it would work")]


@pytest.mark.shared
def test_eval_smoke_on_five_dev_articles(accurate_analyzer):
    from sourcetrace.evaluation.attributions import score_reports
    from sourcetrace.corpora.polnear import load_split

    docs = load_split(require_shared("polnear", "dev"), limit=5)
    reports = [accurate_analyzer.analyze(Article(text=d.text, id=d.name)) for d in docs]
    scores = score_reports(docs, reports)
    assert scores.documents == 5
    assert scores.overlap["content"].f1 > 0.5
    assert scores.relation.recall > 0.5


@pytest.mark.parametrize("sentence, cue, content, bare", [
    ("Sessions criticized the judge at a rally.", "criticized", "the judge", True),
    ("The governor signed the bill on Friday.", "signed", "the bill", True),
    ("Parents complained about the teacher.", "complained about", "the teacher", True),
    ("Trump called Comey a liar.", "called", "Comey a liar", False),  # a small clause: a verdict, a statement
    ("The mayor said that the bridge is safe.", "said", "that the bridge is safe", False),
    ("She rejected the claim that the vote was rigged.", "rejected", "the claim that the vote was rigged", False),
])
def test_bare_object_of_the_cue(sentence, cue, content, bare):
    """A content that is only the cue verb's noun-phrase object names a thing, not what was said."""
    from sourcetrace.extractors.attributions.syntax import is_bare_object
    from sourcetrace.nlp import load_pipeline

    doc = load_pipeline()(sentence)
    at = sentence.index(cue), sentence.index(cue) + len(cue)
    span = sentence.index(content), sentence.index(content) + len(content)
    assert is_bare_object(doc, at, span) is bare


def test_accurate_tier_drops_bare_objects_and_keeps_the_statement(accurate_analyzer):
    text = ("Senator Maria Lopez criticized the new budget plan on Tuesday. “It will close three hospitals,” "
            "Lopez said. Lopez also said the plan was written in secret.")
    report = _analyze(accurate_analyzer, text)
    contents = [a.content.text for a in report.attributions]
    assert not any(c.startswith("the new budget plan") for c in contents), contents
    assert any("close three hospitals" in c for c in contents), contents
    assert any(c.startswith("the plan was written in secret") for c in contents), contents


def test_recall_stage_carries_the_taggers_belief(accurate_analyzer):
    """What the tagger adds comes with its own belief in the content (a feature of the confidence model)."""
    from sourcetrace.extractors.attributions.recall import RecallStageExtractor
    from sourcetrace.nlp import load_pipeline

    stage = next(e for e in accurate_analyzer.extractors if isinstance(e, RecallStageExtractor))
    attributions, beliefs = stage.tagger.extract_with_beliefs(load_pipeline()(
        "The plan would cut taxes for most families, the senator believes, and critics in his party agree."))
    assert set(beliefs) == {a.id for a in attributions}
    assert all(0.0 <= b <= 1.0 for b in beliefs.values())
    assert any(b > 0.3 for b in beliefs.values()), beliefs


def test_content_cover_agrees_with_every_pair():
    """The recall stage's overlap index answers as checking the span against every fast-tier content would."""
    import random
    from types import SimpleNamespace

    from sourcetrace.extractors.attributions.recall import _ContentCover

    def reading(start, length):
        return SimpleNamespace(content=SimpleNamespace(start=start, end=start + length))

    rng = random.Random(7)
    for _ in range(2000):
        base = [reading(rng.randint(0, 60), rng.randint(1, 15)) for _ in range(rng.randint(0, 8))]
        added = reading(rng.randint(0, 70), rng.randint(1, 15))
        pairwise = any(added.content.start < b.content.end and b.content.start < added.content.end for b in base)
        assert _ContentCover(base).overlaps(added) is pairwise


def test_recall_stage_names_the_speaker_the_parse_misplaced(accurate_analyzer):
    """The fast tier reads "She has defended the judge, said she ..." with no source (the parse hangs the first
    clause on "said"); the accurate tier takes the tagger's source for that content and resolves it."""
    text = ("Senator Ann Walsh spoke to reporters on Monday about the inquiry. She has defended the judge, said she has "
            "a hard time believing the allegations and criticized the committee for its handling of the matter.")
    report = _analyze(accurate_analyzer, text)
    sources = {s.id: s for s in report.sources}
    reading = next(a for a in report.attributions if a.content.text.startswith("she has a hard time believing"))
    assert _text(reading.source) == "She" and reading.cue.text == "said"
    assert sources[reading.source_id].name == "Ann Walsh"


def test_operating_point_drops_what_the_confidence_model_doubts(accurate_analyzer):
    """No reading of the accurate tier is below the shipped model's doubt cut (``drop_threshold``), and a hearsay
    passive keeps no source."""
    from sourcetrace.extractors.confidence import load_model

    model = load_model("accurate")
    assert 0.0 < model["drop_threshold"] <= model["keep_threshold"] < 0.5
    text = ("Tom Reyes, a nurse at the county hospital, has warned colleagues for months. The director is said to have "
            "ignored the warnings. A 2016 Marist poll showed that only 26 percent of nurses like the new rules.")
    report = _analyze(accurate_analyzer, text)
    assert report.attributions
    assert all(a.confidence >= model["drop_threshold"] for a in report.attributions)
    contents = {a.content.text: a for a in report.attributions}
    poll = next(a for c, a in contents.items() if c.startswith("that only 26 percent of nurses like the new rules"))
    assert poll.source.text == "A 2016 Marist poll"
    hearsay = [a for c, a in contents.items() if "ignored the warnings" in c]
    assert all(a.source is None for a in hearsay)
