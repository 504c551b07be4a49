"""Loaded language / propaganda techniques: shipped model, speaker attribution, SemEval scorers, CV smoke."""
from __future__ import annotations

import json
import os

import pytest

from conftest import assert_spans_index_text, require_shared


def _found(report, phrase: str):
    """The loaded spans overlapping the first occurrence of ``phrase`` in the report text."""
    start = report.text.find(phrase)
    assert start >= 0, phrase
    end = start + len(phrase)
    return [s for s in report.loaded_language if s.start < end and start < s.end]


def test_seed_own_voice_loaded_language(seed_report):
    for phrase in ("lashed out", "brutally enforced"):
        spans = _found(seed_report, phrase)
        assert spans, f"{phrase!r} not found; loaded spans: {[s.text for s in seed_report.loaded_language]}"
        assert all(s.speaker_id is None for s in spans), (phrase, spans)


def _assert_moscows_words(report):
    moscow = [s.id for s in report.sources if s.name.strip().lower() == "moscow"]
    assert moscow, f"no source named Moscow: {[s.name for s in report.sources]}"
    for phrase in ("proxy war", "to the last Ukrainian"):
        spans = _found(report, phrase)
        assert spans, f"{phrase!r} not found; loaded spans: {[s.text for s in report.loaded_language]}"
        assert {s.speaker_id for s in spans} == {moscow[0]}, (phrase, spans)


def test_seed_quoted_loaded_language_is_moscows(seed_report):
    _assert_moscows_words(seed_report)


def test_seed_loaded_language_with_reference_attributions(seed_path, analyzer):
    """Speakers over the attributions an editor marks in the seed, whatever the attribution model finds."""
    from test_sources import with_attributions

    from sourcetrace.extractors.propaganda.loaded_language import make_loaded_language_extractor
    from sourcetrace.ingest import read_inputs
    from sourcetrace.pipeline import Context

    (article,) = list(read_inputs([str(seed_path)]))
    report = with_attributions(article.text, [
        ("The White House", "is said to believe", "that the weapons will help Kiev “blunt” the advancement of Russian forces", "mixed"),
        ("He", "called", "the change “reckless”", "mixed"),
        ("Moscow", "has called",
         "the Ukraine conflict a US-led proxy war against Russia, which the White House intends to wage “to the last Ukrainian.”",
         "mixed"),
        ("US National Security Adviser Jake Sullivan", "urged", "Kiev to send more troops to the front line", "indirect"),
    ])
    ctx = Context(article=article, doc=analyzer.nlp(article.text), report=report, options=analyzer.options,
                  lexicons=analyzer.language.lexicon_files())
    make_loaded_language_extractor(analyzer.options)(ctx)
    assert_spans_index_text(report)
    _assert_moscows_words(report)
    for phrase in ("lashed out", "brutally enforced"):
        spans = _found(report, phrase)
        assert spans and all(s.speaker_id is None for s in spans), (phrase, spans)


def test_seed_spans_and_profile(seed_report):
    from sourcetrace.extractors.propaganda import TECHNIQUES

    assert_spans_index_text(seed_report)
    assert seed_report.loaded_language
    for span in seed_report.loaded_language:
        assert span.technique in TECHNIQUES
        assert 0.0 <= span.score <= 1.0
    profile = seed_report.profile["loaded_language"]
    assert profile["total"] == len(seed_report.loaded_language)
    assert profile["own_voice"] + profile["quoted"] == profile["total"]
    assert profile["own_voice"] >= 2 and profile["quoted"] >= 2
    counted = sum(v["own_voice"] + v["quoted"] for v in profile["techniques"].values())
    assert counted == profile["total"]
    json.dumps(seed_report.to_dict())


def test_sample_articles_get_loaded_spans(analyzer):
    from sourcetrace.model import Article

    text = ("The regime's thugs brutally crushed the peaceful protest on Sunday. "
            "\"This is a disgraceful witch hunt,\" the senator said. Officials said the talks would resume.")
    report = analyzer.analyze(Article(text=text, id="t1"))
    assert_spans_index_text(report)
    assert report.loaded_language, "no loaded language in an obviously loaded text"
    assert any("brutally" in s.text or "thugs" in s.text for s in report.loaded_language)


def test_speaker_of_nested_attributions():
    from sourcetrace.extractors.propaganda.loaded_language import speaker_for
    from sourcetrace.model import Attribution, Span

    text = 'A said that B claimed the war was a disgrace, and C said "it is a sham." It rained.'
    outer = Attribution(id="a1", content=Span.of(text, 12, 44), form="indirect", source_id="s1")
    reported = Attribution(id="a2", content=Span.of(text, 22, 44), form="indirect", source_id="s2", parent="a1")
    quoted = Attribution(id="a3", content=Span.of(text, 57, 71), form="direct", source_id="s3")
    outer_quote = Attribution(id="a4", content=Span.of(text, 12, 71), form="indirect", source_id="s4")
    disgrace = text.index("disgrace")
    # reported (indirect) words nested in A's statement are A's wording
    assert speaker_for(disgrace, disgrace + 8, [outer, reported]) == "s1"
    sham = text.index("sham")
    # a direct quote nested in another attribution keeps its own speaker
    assert speaker_for(sham, sham + 4, [outer_quote, quoted]) == "s3"
    rained = text.index("rained")
    assert speaker_for(rained, rained + 6, [outer, reported, quoted]) is None


def test_si_partial_credit_matches_task_definition():
    from sourcetrace.evaluation.propaganda import SITally

    tally = SITally()
    # gold [0,10); prediction [5,15) overlaps 5 chars: precision 5/10, recall 5/10
    tally.add([(0, 10)], [(5, 15)])
    # a second article: a miss and a false alarm
    tally.add([(0, 4)], [(20, 24)])
    s = tally.scores()
    assert s.precision == pytest.approx(0.25)
    assert s.recall == pytest.approx(0.25)
    assert s.f1 == pytest.approx(0.25)


def test_tc_scores_multi_label_fragment():
    from sourcetrace.evaluation.propaganda import tc_scores

    pairs = [("Loaded_Language", "Loaded_Language"), ("Repetition", "Doubt"), ("Doubt", "Doubt")]
    s = tc_scores(pairs)
    assert s.micro_f1 == pytest.approx(2 / 3)
    assert s.per_technique["Doubt"].precision == pytest.approx(0.5)
    assert s.per_technique["Doubt"].recall == pytest.approx(1.0)


def test_shipped_weights_metadata():
    from sourcetrace.extractors.propaganda.model import METADATA_FILE, shipped_model_dir

    directory = shipped_model_dir()
    meta = json.loads((directory / METADATA_FILE).read_text())
    assert meta["machine"] == "2 cores, 24 GiB, CPU"
    assert meta["training_seconds"] > 0
    for name, size in meta["files"].items():
        assert (directory / name).stat().st_size == size
        assert size < 50 * 1024 * 1024


@pytest.mark.shared
def test_ptc_reader_offsets():
    from sourcetrace.corpora.ptc import read_ptc

    articles = read_ptc(require_shared("ptc", "train"), limit=3)
    assert len(articles) == 3
    for a in articles:
        assert a.spans
        for s in a.spans:
            assert 0 <= s.start < s.end <= len(a.text)
            fragment = a.text[s.start:s.end]
            assert fragment.strip() == fragment  # v2 trimmed boundaries


@pytest.mark.shared
def test_cross_validation_smoke_on_ptc_articles():
    from sourcetrace.evaluation.propaganda import cross_validate
    from sourcetrace.corpora.ptc import read_ptc
    from sourcetrace.training.propaganda_crf import TrainConfig, parse_articles

    parsed = parse_articles(read_ptc(require_shared("ptc", "train"), limit=9))
    result = cross_validate(parsed, folds=3, config=TrainConfig(crf_iterations=30))
    assert result.articles == 9 and len(result.fold_si_f1) == 3
    assert result.si.n_gold > 0 and result.tc.n > 0
    assert 0.0 <= result.si.f1 <= 1.0
    assert result.tc.micro_f1 > 0.2  # far above chance over 14 techniques


@pytest.mark.shared
def test_cli_eval_propaganda_smoke(tmp_path):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    gold = require_shared("ptc", "train")
    result = CliRunner().invoke(app, ["eval", "propaganda", "--gold", str(gold), "--folds", "2", "--limit", "4", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout[result.stdout.index("{"):])
    assert scores["articles"] == 4 and "per_technique" in scores


@pytest.mark.shared
@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_cli_eval_propaganda_scores_the_shipped_model(tier):
    """--shipped scores the installed model as the analysis runs it (held-out data), training nothing."""
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app
    from sourcetrace.evaluation.propaganda import SITally, score_shipped
    from sourcetrace.extractors.propaganda.loaded_language import load_propaganda_model
    from sourcetrace.corpora.ptc import read_ptc
    from sourcetrace.training.propaganda_crf import merged_spans, parse_articles

    _load_commands()
    gold = require_shared("ptc", "train")
    result = CliRunner().invoke(app, ["eval", "propaganda", "--gold", str(gold), "--limit", "3", "--shipped",
                                      "--model", tier, "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout[result.stdout.index("{"):])
    assert scores["tier"] == tier and scores["articles"] == 3 and scores["tc_instances"] > 0
    # the same figure as the model's own predictions, scored article by article
    parsed = parse_articles(read_ptc(gold, limit=3))
    tally = SITally()
    for p in parsed:
        tally.add(merged_spans(p.article.spans),
                  [(f.start, f.end) for f in load_propaganda_model(tier).predict_features(p.feats)])
    assert scores["si"]["f1"] == pytest.approx(tally.scores().f1) == pytest.approx(score_shipped(parsed, tier).si.f1)


def test_cli_eval_propaganda_shipped_does_not_write_docs():
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    result = CliRunner().invoke(app, ["eval", "propaganda", "--gold", ".", "--shipped", "--write-docs"])
    assert result.exit_code == 2 and "--shipped" in result.output and "Traceback" not in result.output


def test_technique_probabilities_do_not_depend_on_string_hashing():
    """The technique classifier sums its feature weights in one order whatever the process's hash seed (a sum in
    set order gave 0.2689 in one run and 0.269 in the next)."""
    import subprocess
    import sys

    script = (
        "import numpy as np\n"
        "from sourcetrace.extractors.propaganda.model import TechniqueClassifier\n"
        "rng = np.random.default_rng(3)\n"
        "vocab = [f'w={i}' for i in range(400)]\n"
        "model = TechniqueClassifier(vocab, rng.normal(size=(400, 5)).astype(np.float32) * 3, np.zeros(5), list('abcde'))\n"
        "print(repr(model.proba(vocab[::3] + ['unseen']).tolist()))\n"
    )
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1, outputs


LEXICON_TEXT = ("The senator lashed out at the witch hunt, calling it a vicious power grab.\n\n"
                "  Critics said the left had blood on their hands; “a con job,” one wrote.\n \n"
                "Is this the iron fist? Huge crowds flooded in!")


@pytest.mark.parametrize("text", [
    LEXICON_TEXT,
    # lowering changes the length (İ) or reads the context (final Σ): the word-by-word way is taken
    "İstanbul officials lashed out at the witch hunt. " + LEXICON_TEXT,
    "ΟΔΟΣ. " + LEXICON_TEXT,
])
def test_lexicon_hits_in_one_pass_equal_word_by_word(analyzer, text):
    """The Aho-Corasick pass over the text tags each word as lowering and looking up every stretch of words does."""
    from sourcetrace.extractors.propaganda import features
    from sourcetrace.lexicons import english

    feats = features.DocFeatures.of(analyzer.nlp(text), english())
    by_slices = features._lexicon_hits_by_slices(feats.text, feats.starts, feats.ends, feats.lemma, english())
    assert feats.lex == by_slices
    tagged = {feats.lower[i] for i, tags in enumerate(feats.lex) if tags}
    # phrases of several words, single words and a word found by its lemma ("flooded": flood)
    assert {"witch", "hunt", "power", "grab", "blood", "hands", "vicious", "flooded"} <= tagged, tagged


def test_doc_features_columns_match_the_tokens(analyzer):
    """Word columns read in bulk equal the tokens' own attributes; sentences are spaCy's, without space tokens."""
    from sourcetrace.extractors.propaganda.features import DocFeatures
    from sourcetrace.lexicons import english

    doc = analyzer.nlp(LEXICON_TEXT)
    feats = DocFeatures.of(doc, english())
    words = [t for t in doc if not t.is_space]
    assert feats.starts == [t.idx for t in words] and feats.ends == [t.idx + len(t) for t in words]
    assert feats.lower == [t.lower_ for t in words] and feats.pos == [t.pos_ for t in words]
    assert feats.lemma == [t.lemma_.lower() for t in words]
    assert feats.head_lemma == [t.head.lemma_.lower() for t in words]
    assert feats.shape == [t.shape_[:4] for t in words] and feats.ent == [t.ent_type_ for t in words]
    index = {t.i: k for k, t in enumerate(words)}
    expected = []
    for sent in doc.sents:
        inside = [index[t.i] for t in sent if not t.is_space]
        if inside:
            expected.append((inside[0], inside[-1] + 1))
    assert feats.sentences == expected and len(expected) >= 4
    assert feats.sentence_of == [k for k, (first, end) in enumerate(expected) for _ in range(first, end)]
    assert DocFeatures.of(analyzer.nlp(""), english()).sentences == []


def test_technique_probabilities_of_many_spans_equal_one_at_a_time():
    """``proba_many`` gives each feature list exactly (bit for bit) what ``proba`` gives it alone: reports must not
    change with the batching."""
    import numpy as np

    from sourcetrace.extractors.propaganda.model import TechniqueClassifier

    rng = np.random.default_rng(5)
    vocab = [f"w={i}" for i in range(3000)]
    model = TechniqueClassifier(vocab, rng.normal(size=(3000, 14)).astype(np.float32) * 3, rng.normal(size=14),
                                [f"t{i}" for i in range(14)])
    lists = [[vocab[i] for i in rng.integers(0, 3000, size=int(rng.integers(1, 120)))] + ["unseen"] for _ in range(300)]
    lists += [[], ["unseen"]]
    many = model.proba_many(lists)
    assert many.shape == (len(lists), 14)
    for features, row in zip(lists, many):
        assert np.array_equal(model.proba(features), row)


def _quoted_word_by_word(lower: list[str]) -> list[bool]:
    """The quotation state walked one word at a time: straight marks toggle, curly ones open and close."""
    inside, out = False, []
    for w in lower:
        if w in ('"', "''", "``"):
            inside = not inside
            out.append(inside)
        elif w in ("“", "«"):
            inside = True
            out.append(inside)
        elif w in ("”", "»"):
            out.append(inside)
            inside = False
        else:
            out.append(inside)
    return out


@pytest.mark.parametrize("words", [
    "the mayor called it “ a con job ” and left".split(),
    'he said " fake news " twice and `` never again'.split(),  # the last quotation is never closed
    "” a stray closing mark “ then an opening one “ twice ” done".split(),
    "« nested \" marks \" inside » after".split(),
    [],
    "no marks at all".split(),
])
def test_quoted_words_found_from_the_marks_equal_a_walk_over_every_word(words):
    from sourcetrace.extractors.propaganda.features import _quoted

    assert _quoted(words) == _quoted_word_by_word(words)
