"""Sources, stance, chains, claims and profile on real spaCy parses; source accuracy on the labelled mentions."""
from __future__ import annotations

import csv

import pytest

from conftest import REPO, assert_spans_index_text, require_shared

GOLD = REPO / "tests" / "data" / "source_mentions.tsv"


@pytest.fixture(scope="module")
def nlp():
    from sourcetrace.nlp import load_pipeline

    return load_pipeline()


def classify(nlp, text, mention, occurrence=0):
    from sourcetrace.extractors.sources import MentionResolver
    from sourcetrace.lexicons import english

    start = -1
    for _ in range(occurrence + 1):
        start = text.index(mention, start + 1)
    return MentionResolver(nlp(text), english()).classify(start, start + len(mention))


def with_attributions(text, specs):
    """Run this issue's extractors (structure, layout, chains, sources, speakers, stance, confidence, claims,
    profile) over
    given attributions.

    ``specs``: (source phrase or None, cue phrase, content phrase, form), located by first occurrence,
    so these tests do not depend on what the attribution model of the day finds.
    """
    from sourcetrace.extractors.chains import make_chain_linker
    from sourcetrace.extractors.claims import make_claim_finder
    from sourcetrace.extractors.confidence import make_confidence_scorer
    from sourcetrace.extractors.layout import make_layout_statements
    from sourcetrace.extractors.profile import make_profile_builder
    from sourcetrace.extractors.sources import make_source_resolver
    from sourcetrace.extractors.speakers import make_speaker_resolution
    from sourcetrace.extractors.stance import make_stance_classifier
    from sourcetrace.extractors.structure import make_structure_reader
    from sourcetrace.model import Article, Attribution, Span
    from sourcetrace.pipeline import AnalysisOptions, Analyzer

    def span(phrase):
        start = text.index(phrase)
        return Span.of(text, start, start + len(phrase))

    def given(ctx):
        ctx.report.attributions = [
            Attribution(id=f"a{i + 1}", source=span(src) if src else None, cue=span(cue), content=span(content), form=form)
            for i, (src, cue, content, form) in enumerate(specs)
        ]

    # stands in for the attribution extractor, and for the loaded-language one (none here) that profile runs after
    given.assigns = ("attributions", "loaded_language")
    steps = [given] + [make(AnalysisOptions()) for make in (make_structure_reader, make_layout_statements, make_chain_linker,
                                                make_source_resolver, make_speaker_resolution, make_stance_classifier,
                                                make_confidence_scorer, make_claim_finder, make_profile_builder)]
    report = Analyzer(extractors=steps).analyze(Article(text=text))
    assert_spans_index_text(report)
    return report


def analyse(analyzer, text):
    from sourcetrace.model import Article

    report = analyzer.analyze(Article(text=text))
    assert_spans_index_text(report)
    return report


# --- resolution ------------------------------------------------------------------------------------

def test_partial_names_and_pronouns_resolve_to_the_full_name(nlp):
    text = ("US National Security Adviser Jake Sullivan met the ministers on Monday. "
            "Sullivan said the talks went well. He added that more meetings were planned.")
    full = classify(nlp, text, "US National Security Adviser Jake Sullivan")
    assert (full.kind, full.named, full.name) == ("person", True, "Jake Sullivan")
    assert full.descriptor == "US National Security Adviser"
    assert classify(nlp, text, "Sullivan", 1).key == full.key
    assert classify(nlp, text, "He").key == full.key


@pytest.mark.parametrize("sentence, mention, name", [
    ("After two days of talks with Chinese President Xi Jinping, Secretary of State John Kerry said the talks would "
     "resume.", "After two days of talks with Chinese President Xi Jinping, Secretary of State John Kerry", "John Kerry"),
    ("Speaking to reporters in Beijing, Secretary of State John Kerry said the talks would resume.",
     "Speaking to reporters in Beijing, Secretary of State John Kerry", "John Kerry"),
    ("Fresh off meetings with Chinese President Xi Jinping and Premier Li Keqiang, Kerry once again expressed "
     "confidence that Beijing would act.", "Fresh off meetings with Chinese President Xi Jinping and Premier Li "
     "Keqiang, Kerry", "Kerry"),
    ("Days after the governor's election victory, a news agency in the state capital reported that the deal was done.",
     "Days after the governor's election victory, a news agency in the state capital",
     "a news agency in the state capital")])
def test_a_span_that_took_in_the_opening_adverbial_is_named_by_its_subject(nlp, sentence, mention, name):
    assert classify(nlp, sentence, mention).name == name


@pytest.mark.parametrize("sentence, mention, name, kind", [
    ("Center for Immigration Studies Policy Director Jessica Vaughan told reporters that the plan was amnesty.",
     "Center for Immigration Studies Policy Director Jessica Vaughan", "Jessica Vaughan", "person"),
    ("On Sunday night, Trump adviser and former House speaker Newt Gingrich tweeted: \"Why is she debating Trump?\"",
     "Trump adviser and former House speaker Newt Gingrich", "Newt Gingrich", "person"),
    # two speakers, and people who back a senator, are not the person named last
    ("Twitter and President Trump said on Friday that the account would stay.", "Twitter and President Trump",
     "Twitter and President Trump", "group"),
    ("Supporters of Senator Bernie Sanders said the rules were unfair.", "Supporters of Senator Bernie Sanders",
     "Supporters of Senator Bernie Sanders", "group"),
    # "both X and Y" is two speakers, each by the fullest name the article gives
    ("Secretary of State John Kerry flew to Beijing. Afterwards both Kerry and Chinese Foreign Minister Wang Yi said "
     "the talks had gone well.", "both Kerry and Chinese Foreign Minister Wang Yi", "John Kerry and Wang Yi", "group")])
def test_titles_that_lead_up_to_a_name_are_that_person(nlp, sentence, mention, name, kind):
    info = classify(nlp, sentence, mention)
    assert (info.name, info.kind) == (name, kind)


@pytest.mark.parametrize("sentence, mention, name", [
    ("North Korean leader Kim Jong-un said the tests would stop.", "North Korean leader Kim Jong-un", "Kim Jong-un"),
    ("Sen. Cindy Hyde-Smith said she would vote against the bill.", "Sen. Cindy Hyde-Smith", "Cindy Hyde-Smith")])
def test_a_hyphenated_name_keeps_its_spelling(nlp, sentence, mention, name):
    assert classify(nlp, sentence, mention).name == name


def test_she_skips_a_male_antecedent(nlp):
    text = "Hillary Clinton spoke after Donald Trump left the stage. She said the plan would work."
    assert classify(nlp, text, "She").name == "Hillary Clinton"


def test_short_outlet_names_follow_the_outlet_the_article_named(nlp):
    wapo = "The Washington Post reported the deal. The Post said talks continue."
    nyp = "The New York Post reported the deal. The Post said talks continue."
    for text, name in ((wapo, "The Washington Post"), (nyp, "New York Post")):
        short = classify(nlp, text, "The Post")
        assert (short.kind, short.named, short.name) == ("media", True, name)


@pytest.mark.parametrize("mention", ["Moscow", "The Kremlin", "The White House", "Kyiv", "Downing Street"])
def test_governments_by_metonymy(nlp, mention):
    info = classify(nlp, f"{mention} said on Tuesday that the talks would go on.", mention)
    assert (info.kind, info.named) == ("government", True)


def test_kiev_and_kyiv_are_one_government(nlp):
    text = "Kiev said the attack failed. Later Kyiv said it had repelled a second one."
    assert classify(nlp, text, "Kiev").key == classify(nlp, text, "Kyiv").key


@pytest.mark.parametrize("sentence,mention,kind", [
    ("A senior official said the deal was close.", "A senior official", "person"),
    ("Officials familiar with the matter said the deal was close.", "Officials familiar with the matter", "group"),
    ("Sources said the deal was close.", "Sources", "group"),
    ("Critics say the plan will fail.", "Critics", "group"),
    ("US officials said the deal was close.", "US officials", "group"),
    ("Multiple news outlets reported that the deal was close.", "Multiple news outlets", "media"),
    ("Unnamed American officials said the deal was close.", "Unnamed American officials", "group"),
    ("A new poll found that most voters disagree.", "A new poll", "document"),
])
def test_anonymous_and_vague_sources(nlp, sentence, mention, kind):
    info = classify(nlp, sentence, mention)
    assert (info.kind, info.named) == (kind, False), info
    assert info.descriptor


@pytest.mark.parametrize("sentence,mention,kind", [
    ("The FBI said it would not recommend charges.", "The FBI", "government"),
    ("The Trump campaign said the ad was misleading.", "The Trump campaign", "organization"),
    ("A Government Accountability Office report found gaps in oversight.", "A Government Accountability Office report", "document"),
    ("Reuters reported that the talks had stalled.", "Reuters", "media"),
])
def test_named_organisations_documents_and_media(nlp, sentence, mention, kind):
    info = classify(nlp, sentence, mention)
    assert (info.kind, info.named) == (kind, True), info


def test_sources_group_mentions_and_link_attributions(analyzer):
    text = ("Joe Biden said on Monday that the bill would pass. "
            "Biden added that he expected support from both parties. "
            "A senior official said the vote could slip.")
    report = analyse(analyzer, text)
    by_name = {s.name: s for s in report.sources}
    assert "Joe Biden" in by_name
    biden = by_name["Joe Biden"]
    assert {m.text for m in biden.mentions} >= {"Joe Biden", "Biden"}
    anonymous = [s for s in report.sources if not s.named]
    assert anonymous and anonymous[0].kind == "person"
    for a in report.attributions:
        if a.source is not None:
            assert a.source_id in {s.id for s in report.sources}


# --- stance ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,source,cue,stance", [
    ("The ministry said that the convoy arrived on Monday.", "The ministry", "said", "neutral"),
    ("The ministry confirmed that the convoy arrived on Monday.", "The ministry", "confirmed", "assertive"),
    ("The ministry claimed that the convoy arrived on Monday.", "The ministry", "claimed", "distancing"),
    ("The ministry denied that the convoy arrived on Monday.", "The ministry", "denied", "negated"),
    ("The ministry did not say that the convoy arrived on Monday.", "The ministry", "say", "negated"),
    ("The ministry has not officially confirmed that the convoy arrived.", "The ministry", "has not officially confirmed", "negated"),
    ("The ministry is said to believe that the convoy arrived.", "The ministry", "said", "hedged"),
    ("The ministry reportedly said that the convoy arrived.", "The ministry", "said", "hedged"),
])
def test_stance(sentence, source, cue, stance):
    content = sentence[sentence.index("that"):].rstrip(".")
    report = with_attributions(sentence, [(source, cue, content, "indirect")])
    assert report.attributions[0].stance == stance


def test_according_to_reports_is_hedged():
    text = "The convoy arrived on Monday, according to reports."
    report = with_attributions(text, [("reports", "according to", "The convoy arrived on Monday", "according_to")])
    assert report.attributions[0].stance == "hedged"
    assert report.sources[0].kind == "media" and not report.sources[0].named


def test_negated_stance_of_a_relative_clause_cue(nlp):
    """The seed's "a policy shift that his administration has not officially confirmed"."""
    from sourcetrace.extractors.stance import StanceLexicon, classify_stance
    from sourcetrace.lexicons import english
    from sourcetrace.model import Attribution, Span

    text = "Biden authorized the use of the missiles, a policy shift that his administration has not officially confirmed."
    doc = nlp(text)
    cue_start = text.index("has not officially confirmed")
    att = Attribution(id="a1", source=Span.of(text, text.index("his administration"), text.index("his administration") + 18),
                      cue=Span.of(text, cue_start, cue_start + len("has not officially confirmed")),
                      content=Span.of(text, text.index("a policy shift"), text.index("a policy shift") + 14), form="indirect")
    assert classify_stance(doc, att, StanceLexicon(english())) == "negated"


def test_unsourced_report_is_hedged():
    text = "The general reportedly resigned after the defeat."
    report = with_attributions(text, [(None, "reportedly", "The general reportedly resigned after the defeat", "reported")])
    a = report.attributions[0]
    assert a.stance == "hedged" and a.source_id is None
    assert report.profile["attributions_by_source"]["unsourced"] == 1 and report.profile["anonymous_share"] == 1.0


def test_unsourced_report_end_to_end_is_hedged(analyzer):
    report = analyse(analyzer, "The general reportedly resigned after the defeat.")
    hedged = [a for a in report.attributions if a.source is None]
    assert hedged and all(a.stance == "hedged" for a in hedged)


# --- chains and first reports ---------------------------------------------------------------------

def test_citing_makes_a_nested_attribution():
    text = "The company will close two plants, several news outlets reported on Friday, citing people familiar with the plan."
    report = with_attributions(text, [])
    citing = next(a for a in report.attributions if a.cue is not None and a.cue.text == "citing")
    parent = next(a for a in report.attributions if a.id == citing.parent)
    assert citing.source.text == "people familiar with the plan"
    assert parent.source.text == "several news outlets" and parent.cue.text == "reported"
    assert parent.content.text == citing.content.text == "The company will close two plants"
    assert [a.id for a in report.attributions] == [f"a{i + 1}" for i in range(len(report.attributions))]
    sources = {s.id: s for s in report.sources}
    assert sources[citing.source_id].named is False and sources[parent.source_id].kind == "media"
    assert report.profile["nested_attributions"] == 1


def test_citing_links_to_an_existing_report():
    text = "Reuters reported on Friday that the company will close two plants, citing two people familiar with the plan."
    report = with_attributions(text, [("Reuters", "reported", "the company will close two plants", "indirect")])
    outer, inner = report.attributions
    assert outer.source.text == "Reuters" and inner.parent == outer.id and inner.source.text == "two people familiar with the plan"


def test_first_report_is_recorded():
    text = ("According to The New York Times, which was the first to report the talks, the deal is close. "
            "The Times said an announcement could come on Monday.")
    report = with_attributions(text, [
        ("The New York Times", "According to", "the deal is close", "according_to"),
        ("The Times", "said", "an announcement could come on Monday", "indirect"),
    ])
    firsts = report.profile["first_reports"]
    assert [f["name"] for f in firsts] == ["The New York Times"]
    times = next(s for s in report.sources if s.name == "The New York Times")
    assert firsts[0]["source_id"] == times.id and len(times.mentions) == 2
    assert report.profile["media_cited"] == [{"source_id": times.id, "name": "The New York Times", "attributions": 2}]


def test_first_report_end_to_end(analyzer):
    text = ("According to The New York Times, which was the first to report the talks, the deal is close. "
            "The Times said an announcement could come on Monday.")
    report = analyse(analyzer, text)
    assert [f["name"] for f in report.profile["first_reports"]] == ["The New York Times"]


# --- claims and profile ---------------------------------------------------------------------------

def test_own_voice_claims_and_checkability(analyzer):
    text = ("The treaty has been ratified by 164 countries since 1997. "
            "The government should do more to protect civilians from the weapons. "
            "\"We will not sign it,\" the minister said.")
    report = analyse(analyzer, text)
    by_text = {c.text: c for c in report.claims}
    treaty = next(c for t, c in by_text.items() if t.startswith("The treaty has been ratified"))
    assert treaty.checkable and {"number", "date"} <= set(treaty.reasons)
    opinion = next(c for t, c in by_text.items() if t.startswith("The government should"))
    assert not opinion.checkable
    assert not any("We will not sign it" in t for t in by_text)


def test_profile_on_an_article_without_attributions(analyzer):
    report = analyse(analyzer, "The bridge opened in 1932. It is 503 metres long.")
    p = report.profile
    assert p["attributions"] == 0 and p["sources"] == 0 and p["anonymous_share"] == 0.0
    assert p["checkable_claims"] == 2


# --- labelled mentions and the eval command ----------------------------------------------------

def test_gold_file_is_well_formed():
    from sourcetrace.evaluation.sources import KINDS

    rows = list(csv.DictReader(open(GOLD, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) >= 200
    assert {r["kind"] for r in rows} <= set(KINDS)
    assert {r["named"] for r in rows} <= {"true", "false"}
    assert len({(r["file"], r["start"], r["end"]) for r in rows}) == len(rows)
    texts = require_shared("polnear", "dev", "text")
    for r in rows:
        text = (texts / f"{r['file']}.txt").read_text(encoding="utf-8")
        assert text[int(r["start"]):int(r["end"])] == r["text"]


def test_source_accuracy_meets_the_targets():
    from sourcetrace.evaluation.sources import evaluate_sources, read_gold

    texts = require_shared("polnear", "dev", "text")
    result = evaluate_sources(read_gold(GOLD), texts)
    assert result.total >= 200
    assert result.kind_accuracy >= 0.90, result.kind_accuracy
    assert result.named_accuracy >= 0.95, result.named_accuracy


def test_eval_sources_command_and_docs_section(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands
    from sourcetrace.cli.app import app

    texts = require_shared("polnear", "dev", "text")
    rows = GOLD.read_text(encoding="utf-8").splitlines()
    small = tmp_path / "gold.tsv"
    small.write_text("\n".join(rows[:6]) + "\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "accuracy.md").write_text("# Accuracy\n\n<!-- attributions:begin -->\nkept\n<!-- attributions:end -->\n")
    monkeypatch.chdir(tmp_path)
    _load_commands()
    result = CliRunner().invoke(app, ["eval", "sources", "--gold", str(small), "--texts", str(texts), "--write-docs"])
    assert result.exit_code == 0, result.output
    assert "kind" in result.output and "named" in result.output and "confusion" in result.output
    written = (docs / "accuracy.md").read_text()
    assert "kept" in written and "<!-- sources:start -->" in written and "| kind |" in written
    # a second run replaces the section instead of appending another
    CliRunner().invoke(app, ["eval", "sources", "--gold", str(small), "--texts", str(texts), "--write-docs"])
    assert (docs / "accuracy.md").read_text().count("<!-- sources:start -->") == 1


def test_eval_sources_missing_gold_is_a_usage_error(tmp_path):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands
    from sourcetrace.cli.app import app

    _load_commands()
    result = CliRunner().invoke(app, ["eval", "sources", "--gold", str(tmp_path / "none.tsv")])
    assert result.exit_code == 2


def test_outlet_outside_the_lexicon_and_its_short_form(nlp):
    text = "The Harbor Ledger reported the plan on Monday. According to the Ledger, the plant will close."
    full = classify(nlp, text, "The Harbor Ledger")
    short = classify(nlp, text, "the Ledger")
    assert full.kind == short.kind == "media" and short.key == full.key


def test_title_then_name_apposition_is_the_named_person(nlp):
    text = "Her chief of staff, Paul Grady, told reporters the review would be published in April."
    info = classify(nlp, text, "Her chief of staff, Paul Grady")
    assert (info.kind, info.named, info.name, info.descriptor) == ("person", True, "Paul Grady", "Her chief of staff")


def test_a_role_introduced_without_a_name_stays_anonymous(nlp):
    text = ("One senior nurse, who asked not to be named, described long waits. "
            "The nurse said staff had warned managers.")
    info = classify(nlp, text, "The nurse")
    assert (info.kind, info.named) == ("person", False)


def test_first_reported_by(analyzer):
    text = ("Mayor Dana Whitfield is closing the plant, as first reported by The Harbor Ledger. "
            "Workers said they were not consulted.")
    report = analyse(analyzer, text)
    assert [f["name"] for f in report.profile["first_reports"]] == ["Harbor Ledger"]


@pytest.mark.parametrize("sentence,mention", [("Twitter said the ad broke its rules.", "Twitter"),
                                              ("The WHO said cases were rising.", "The WHO")])
def test_well_known_organisations(nlp, sentence, mention):
    info = classify(nlp, sentence, mention)
    assert (info.kind, info.named) == ("organization", True)


def test_outlet_aliases_found_in_one_pass_are_those_a_substring_test_finds():
    """``SourceLexicons.outlet_aliases_in`` (an Aho-Corasick pass) picks the same aliases, in the table's order, as
    testing each alias of the outlet table as a substring of the text (the shipped English tables)."""
    from sourcetrace.extractors.sources.words import source_lexicons
    from sourcetrace.languages import record_for
    from sourcetrace.samples import load_samples

    lex = source_lexicons(record_for("en").lexicon_files())
    wanted = [(alias, canonical) for alias, canonical in lex.media.items()
              if not (len(alias) <= 3 and alias.isalpha() and alias not in lex.media_acronyms)]
    texts = [a.text.lower().replace("’", "'") for a in load_samples()]
    texts += ["told the new york times and nyt, then cnn and the ap; wapo", "", "washington postwashington post"]
    for text in texts:
        assert lex.outlet_aliases_in(text) == [(a, c) for a, c in wanted if a in text]
    assert lex.outlet_aliases_in("told the new york times and nyt, then cnn; wapo")  # something is found


def test_a_mention_read_twice_is_read_alike_and_each_caller_gets_its_own_copy(nlp):
    """The resolver reads each mention once; asking again gives an equal reading, not the same object."""
    from sourcetrace.extractors.sources import MentionResolver
    from sourcetrace.lexicons import english

    text = "Harbour Commissioner Lena Okafor opened the pier on Monday. Okafor said it was safe."
    resolver = MentionResolver(nlp(text), english())
    start = text.index("Harbour")
    first = resolver.classify(start, start + len("Harbour Commissioner Lena Okafor"))
    again = resolver.classify(start, start + len("Harbour Commissioner Lena Okafor"))
    assert (first.kind, first.named, first.name) == ("person", True, "Lena Okafor")
    assert again == first and again is not first
    surname = text.index("Okafor said")
    assert resolver.classify(surname, surname + len("Okafor")).key == first.key


@pytest.mark.parametrize("word", ["ap", "the post", "a b a", "fox news", "x", "__", "é", "abc"])
def test_outlet_aliases_are_found_as_whole_words_where_the_regex_finds_them(word):
    """``whole_word_offsets`` (str.find and a look at the characters around) finds what the word-boundary regex finds:
    left to right, none overlapping, no word character (letters of any script, digits, "_") just before or after."""
    import random
    import re

    from sourcetrace.extractors.sources.mentions import whole_word_offsets

    rng = random.Random(word)
    pieces = [word, word, "a", "b", " ", " ", ",", "é", "_", "2", "²", "中", "-", "’", "\n", "ap", "post"]
    texts = ["a b a b a", "ap, ap.ap_ap apé ²ap ap2 (ap)", "the post the posts the post’s", "", word]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    pattern = re.compile(r"(?<![\w])" + re.escape(word) + r"(?![\w])")
    for text in texts:
        assert whole_word_offsets(text, word) == [m.start() for m in pattern.finditer(text)], text
