"""Attribution extraction (fast tier), the PolNeAR reader and the attribution metrics.

Span tests run the shipped model on real spaCy parses of sentences written
for each attribution form; the eval smoke test needs ../shared/data/polnear.
"""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from conftest import assert_spans_index_text, invoke_cli, require_shared
from sourcetrace.evaluation.attributions import relations_from_report, score_relations, score_reports, trim
from sourcetrace.model import Article
from sourcetrace.corpora.polnear import GoldRelation, PolnearDoc, load_split, parse_ann


@pytest.fixture(scope="module")
def fast(analyzer):
    return analyzer


def attributions(analyzer, text: str):
    report = analyzer.analyze(Article(text=text))
    assert_spans_index_text(report)
    return report


def readings(report) -> list[tuple[str, str, str]]:
    """(source, cue, content) of every attribution, in text order (each must have a source and a cue)."""
    return [(a.source.text, a.cue.text, a.content.text) for a in report.attributions]


def find(report, content_part: str):
    """The attribution whose content contains ``content_part``."""
    for a in report.attributions:
        if content_part in a.content.text:
            return a
    raise AssertionError(f"no attribution with content containing {content_part!r}: "
                         f"{[(a.source and a.source.text, a.cue and a.cue.text, a.content.text) for a in report.attributions]}")


# --- forms -----------------------------------------------------------------------------------

def test_direct_quote(fast):
    r = attributions(fast, '"We will not raise taxes on working families," Senator Maria Lopez said on Monday.')
    a = find(r, "We will not raise taxes")
    assert a.source.text == "Senator Maria Lopez"
    assert a.cue.text == "said"
    assert a.content.text.startswith('"We will not raise taxes on working families')
    assert a.form == "direct"


def test_indirect_with_that(fast):
    r = attributions(fast, "The mayor said that the new bridge would open in the spring.")
    a = find(r, "the new bridge would open in the spring")
    assert a.source.text == "The mayor"
    assert a.cue.text == "said"
    assert a.form == "indirect"


def test_indirect_without_that(fast):
    r = attributions(fast, "The spokesman said the talks had collapsed after midnight.")
    a = find(r, "the talks had collapsed")
    assert a.source.text == "The spokesman"
    assert a.cue.text == "said"
    assert a.form == "indirect"


def test_mixed_quote(fast):
    r = attributions(fast, 'Johnson said the plan was "a disaster waiting to happen" for rural hospitals.')
    a = find(r, "a disaster waiting to happen")
    assert a.source.text == "Johnson"
    assert a.form == "mixed"


def test_according_to(fast):
    r = attributions(fast, "According to the Census Bureau, the population grew by two percent last year.")
    a = find(r, "the population grew by two percent last year")
    assert a.source.text == "the Census Bureau"
    assert a.cue.text.lower().startswith("according to")
    assert a.form == "according_to"


def test_noun_cue(fast):
    r = attributions(fast, "The governor's claim that the budget was balanced drew sharp criticism from economists.")
    a = find(r, "the budget was balanced")
    assert a.source is not None and "governor" in a.source.text
    assert a.cue is not None and "claim" in a.cue.text


def test_noun_cue_with_agent_and_not_relative_clause(fast):
    r = attributions(fast, "A warning by the United Nations that the dam could fail within weeks went unheeded. "
                           "It was not the claim that the minister made on Monday.")
    a = find(r, "the dam could fail")
    assert (a.source.text, a.cue.text) == ("the United Nations", "warning")
    assert a.content.text.startswith("that the dam could fail within weeks")
    assert not any(a.cue is not None and a.cue.text == "claim" for a in r.attributions)


def test_passive_is_said_to(fast):
    r = attributions(fast, "The White House is said to believe that the weapons will help Kiev hold the line.")
    # two readings of hearsay (the attribution guide): a sourceless report first, then the subject's (PolNeAR: the
    # subject of passive hearsay is its source)
    sourceless, a = [x for x in r.attributions if "the weapons will help Kiev" in x.content.text]
    assert (sourceless.source, sourceless.source_id, sourceless.form) == (None, None, "reported")
    assert a.cue is not None and "said" in a.cue.text
    assert a.source is not None and a.source.text == "The White House"
    assert a.form == "reported"


def test_it_was_reported_that(fast):
    r = attributions(fast, "It was reported that the factory would close by the end of the year.")
    a = find(r, "the factory would close")
    assert a.source is None  # the expletive "it" is no source
    assert a.form == "reported"


def test_multi_sentence_quote(fast):
    text = ('"We knew the storm was coming. We did everything we could to prepare. It still was not enough," '
            'said Karen Wu, the county emergency manager.')
    r = attributions(fast, text)
    a = find(r, "It still was not enough")
    assert "We knew the storm was coming" in a.content.text or any(
        "We knew the storm" in b.content.text and b.cue == a.cue for b in r.attributions)
    assert a.source is not None and "Karen Wu" in a.source.text
    assert a.form == "direct"


def test_speaker_in_earlier_sentence(fast):
    text = ("Senator Paul Grant spoke to supporters in Des Moines on Friday. He said the campaign would "
            "focus on farm prices and rural broadband.")
    r = attributions(fast, text)
    a = find(r, "the campaign would focus on farm prices")
    assert a.source is not None and a.source.text == "He"
    # the pronoun is linked to the person named earlier by the sources stage
    if a.source_id is not None:
        source = next(s for s in r.sources if s.id == a.source_id)
        assert source.mentions


# --- syntactic layer and repairs over the CRF output -------------------------------------

def test_trailing_speaker_told_outlet(fast):
    r = attributions(fast, "The city council approved $40 million on Monday night to rebuild the Elm Street bridge, "
                           "council member John Park told the Valley Tribune.")
    a = find(r, "The city council approved $40 million")
    assert (a.source.text, a.cue.text) == ("council member John Park", "told")
    assert a.content.text == "The city council approved $40 million on Monday night to rebuild the Elm Street bridge"


def test_trailing_outlet_noted(fast):
    r = attributions(fast, "He called the change “reckless” and reinstated the restriction after coming to power, the Post noted.")
    a = find(r, "reinstated the restriction")
    assert (a.source.text, a.cue.text) == ("the Post", "noted")
    assert a.content.text.startswith("He called the change")


def test_called_verdict(fast):
    r = attributions(fast, "Moscow has called the Ukraine conflict a US-led proxy war against Russia.")
    a = find(r, "a US-led proxy war")
    assert (a.source.text, a.cue.text) == ("Moscow", "has called")
    assert a.content.text == "the Ukraine conflict a US-led proxy war against Russia"


def test_headline_ends_at_newline(fast):
    r = attributions(fast, "The new mines will help blunt the advance, officials have claimed\n"
                           "The president has decided to send mines to the front, several outlets reported on Tuesday.")
    a = find(r, "The new mines will help blunt the advance")
    assert (a.source.text, a.cue.text) == ("officials", "have claimed")
    assert "\n" not in a.content.text


def test_reportedly_is_one_attribution(fast):
    r = attributions(fast, "The move comes days after Biden reportedly authorized the use of long-range missiles.")
    hedged = [a for a in r.attributions if a.cue is not None and a.cue.text == "reportedly"]
    assert len(hedged) == 1
    assert hedged[0].source is None and hedged[0].form == "reported"
    assert hedged[0].content.text.startswith("Biden") and "authorized the use" in hedged[0].content.text


def test_passive_agent_is_the_source(fast):
    r = attributions(fast, "Ukraine signed the treaty in 2005, and has been accused by the UN of breaching its obligations.")
    a = find(r, "breaching its obligations")
    assert a.source is not None and a.source.text == "the UN"


def test_spans_index_text_on_crlf(fast):
    text = 'Line one.\r\n\r\n"It is over," she said.\r\n'
    r = attributions(fast, text)
    assert r.text == text
    assert_spans_index_text(r)


def test_transcript_turns_are_attributed_to_their_labels(fast):
    r = attributions(fast, "Pence spoke with the host on Sunday.\n\n"
                           "WALLACE: Let me ask you about the debate tomorrow night and who will be there.\n\n"
                           "PENCE: Well, look, the question really should be about the economy.\n")
    a = find(r, "Well, look, the question")
    assert (a.source.text, a.cue.text) == ("PENCE", ":")
    assert a.content.text.rstrip(".") == "Well, look, the question really should be about the economy"
    assert find(r, "Let me ask you").source.text == "WALLACE"


def test_headline_kicker_is_no_speaker(fast):
    r = attributions(fast, "BOOM: Senate Passes The Budget After A Long Night\n\nThe vote came at dawn.")
    assert not any(a.source is not None and a.source.text == "BOOM" for a in r.attributions)


def test_person_label_headline(fast):
    r = attributions(fast, "Bernie Sanders: I Am Not Much Of A Socialist Compared To Eisenhower.\n\nThe senator spoke in Iowa.")
    a = find(r, "Not Much Of A Socialist")
    assert (a.source.text, a.cue.text) == ("Bernie Sanders", ":")
    assert a.content.text == "I Am Not Much Of A Socialist Compared To Eisenhower"


def test_quotation_signed_after_a_dash(fast):
    r = attributions(fast, "Readers told us what they thought of the debate.\n\n"
                           "“He can’t even answer a question without scaring people first.” ― Esther Tapia\n\n"
                           "“Maybe we can build a wall around him.” — Steve Quinlan.\n")
    a = find(r, "He can’t even answer")
    assert (a.source.text, a.cue.text) == ("Esther Tapia", "―")
    assert a.content.text == "“He can’t even answer a question without scaring people first.”"
    assert a.form == "direct"
    assert find(r, "build a wall").source.text == "Steve Quinlan"


def test_two_apostrophe_quotation_marks(fast):
    r = attributions(fast, "''It's more tinkering at the edges,'' said Alan Cole, an economist at the Tax Foundation.")
    a = find(r, "tinkering at the edges")
    assert a.content.text == "''It's more tinkering at the edges,''"
    assert a.form == "direct"
    assert a.source.text.startswith("Alan Cole")


def test_quotation_opened_inside_a_content_closes_inside_it(fast):
    r = attributions(fast, 'The senator said that the hearing would "change nothing." The vote is on Friday.')
    a = find(r, "the hearing would")
    assert a.content.text == 'that the hearing would "change nothing."'
    assert a.form == "mixed"


def test_content_before_the_cue_drops_its_comma(fast):
    r = attributions(fast, "Those discussions are continuing, the official said on Tuesday.")
    assert find(r, "Those discussions").content.text == "Those discussions are continuing"


def test_apposition_in_a_source_closes_with_its_comma(fast):
    r = attributions(fast, "Brian Fallon, the campaign's press secretary, noted that the debate had been moved.")
    assert find(r, "the debate had been moved").source.text == "Brian Fallon, the campaign's press secretary,"


def test_conjoined_or_participle_cue_shares_the_subject(fast):
    r = attributions(fast, "Two Democratic speechwriters implored her to bring the issue back, arguing that it "
                           "agitated Trump and exposed a clear weakness.")
    a = find(r, "it agitated Trump")
    assert a.cue.text == "arguing"
    assert a.source.text == "Two Democratic speechwriters"


def test_passive_subject_is_talked_about_not_talking(fast):
    r = attributions(fast, "Mr. Quiros was accused of using $50 million for personal expenses, the filing said.")
    assert all(a.source is None or "Quiros" not in a.source.text for a in r.attributions), \
        [(a.source and a.source.text, a.cue and a.cue.text, a.content.text) for a in r.attributions]
    r = attributions(fast, "The White House is said to believe that the weapons will help.")
    # the subject's reading of the hearsay (a sourceless report of the same words comes first)
    assert [a.source and a.source.text for a in r.attributions if "the weapons will help" in a.content.text] \
        == [None, "The White House"]


def test_relative_clause_cue_and_closing_apposition(fast):
    r = attributions(fast, "The army reportedly withdrew from the town on Sunday, a move that the ministry has not confirmed.")
    hedged = find(r, "withdrew")
    assert hedged.source is None and hedged.content.text == "The army reportedly withdrew from the town on Sunday"
    confirmed = next(a for a in r.attributions if a.cue is not None and "confirmed" in a.cue.text)
    assert confirmed.source.text == "the ministry"
    assert confirmed.content.text == "that"


def test_what_a_rule_forbids_is_no_attribution(fast):
    r = attributions(fast, "The Ottawa Treaty bans this type of weapon, and the law requires that stocks be destroyed.")
    assert not [a for a in r.attributions if a.cue is not None and a.cue.text in {"bans", "requires"}], \
        [(a.source and a.source.text, a.cue and a.cue.text, a.content.text) for a in r.attributions]


def test_according_to_source_stops_before_its_relative_clause(fast):
    r = attributions(fast, "President Biden has approved the transfer of land mines to Ukraine, according to two U.S. "
                           "officials who spoke on the condition of anonymity to discuss the decision.")
    assert find(r, "President Biden has approved").source.text == "two U.S. officials"


def test_settle_content_end_rules():
    from sourcetrace.extractors.attributions.fast import settle_content_end
    from sourcetrace.extractors.attributions.features import quotation_char_ranges

    text = "He said people would ''learn nothing,'' and left."
    end = text.index(",''")
    assert text[:settle_content_end(text, 3, end, quotation_char_ranges(text))].endswith("''learn nothing,''")
    text = "Those talks are continuing, he said."
    assert settle_content_end(text, 0, text.index(" he"), []) == text.index(",")
    text = '"We are done," he said.'
    assert settle_content_end(text, 0, text.index(" he"), quotation_char_ranges(text)) == text.index(" he")


# --- seed article ----------------------------------------------------------------------------

def test_bio_runs_decodes_one_tag_of_the_taggers_labels():
    from sourcetrace.extractors.attributions.fast import bio_runs

    labels = ["O", "B-CON", "I-CON", "I-SRC", "I-CON", "B-CON", "B-CON", "I-CON", "O", "B-SRC", "I-SRC"]
    # a run ends at any other label; a stray I- starts one; B- after a run starts the next; offsets are added
    assert bio_runs(labels, "CON", 10) == [(11, 13), (14, 15), (15, 16), (16, 18)]
    assert bio_runs(labels, "SRC") == [(3, 4), (9, 11)]
    assert bio_runs(labels, "CUE") == [] and bio_runs([], "CON") == []


def test_bio_runs_are_spacy_s_iob_decoding():
    """The one-pass decoder gives the runs of spaCy's IOB utilities on any sequence of the taggers' labels."""
    import random

    from spacy.training.iob_utils import iob_to_biluo, tags_to_entities

    from sourcetrace.extractors.attributions.fast import bio_runs

    rng = random.Random(7)
    labels = ["O", "B-CON", "I-CON", "B-SRC", "I-SRC", "B-CUE", "I-CUE"]
    for _ in range(2_000):
        seq = rng.choices(labels, weights=[6, 1, 3, 1, 2, 1, 1], k=rng.randrange(0, 40))
        offset = rng.randrange(0, 100)
        for tag in ("CON", "SRC", "CUE"):
            expected = [(s + offset, e + 1 + offset) for label, s, e in tags_to_entities(iob_to_biluo(seq)) if label == tag]
            assert bio_runs(seq, tag, offset) == expected, seq


def test_seed_direct_quotes_and_according_to(seed_report):
    contents = " || ".join(a.content.text for a in seed_report.attributions)
    for quoted in ("“blunt”", "“nonpersistent”", "“reckless”"):
        assert quoted in contents, quoted
    according = [a for a in seed_report.attributions if a.form == "according_to"]
    assert any(a.source and a.source.text == "the Washington Post" for a in according), according
    assert_spans_index_text(seed_report)


def test_seed_cli_json(seed_path):
    out = invoke_cli("analyze", str(seed_path), "--format", "json", text=True)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    report = data[0] if isinstance(data, list) else data
    sources = [a["source"]["text"] for a in report["attributions"] if a["source"]]
    assert "the Washington Post" in sources


# --- shipped model ---------------------------------------------------------------------------

def test_shipped_model_loads_with_network_off(monkeypatch):
    from sourcetrace.extractors.attributions.fast import FastAttributionExtractor, model_dir
    from sourcetrace.lexicons import english

    def refuse(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert (model_dir() / "cue.crfsuite").exists() and (model_dir() / "role.crfsuite").exists()
    extractor = FastAttributionExtractor(english())
    meta = extractor.meta
    assert meta["seed"] is not None and meta["seconds"]["total"] > 0 and meta["machine"]
    assert all(size < 50_000_000 for size in meta["files"].values())


# --- reader and metrics ----------------------------------------------------------------------

ANN = """T1\tSource 0 5\tSmith
T2\tCue 6 10\tsaid
T3\tContent 11 20;25 30\tthe plan  is ok
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 40 50\tsomething
T6\tAttribution 40 41\ts
E2\tAttribution:T6 Content:T5
"""


def test_parse_ann_discontinuous_and_missing_roles():
    rels = parse_ann(ANN)
    assert rels[0] == GoldRelation(source=[(0, 5)], cue=[(6, 10)], content=[(11, 20), (25, 30)])
    assert rels[1].source is None and rels[1].cue is None and rels[1].content == [(40, 50)]


def test_trim_edges():
    text = ' "Hello, world." '
    assert text[slice(*trim(text, 0, len(text), punctuation=True))] == "Hello, world"
    assert text[slice(*trim(text, 0, len(text), punctuation=False))] == '"Hello, world."'


def test_scores_exact_overlap_relation():
    text = "Smith said the plan is fine and good."
    gold = PolnearDoc("d", text, "x", [GoldRelation([(0, 5)], [(6, 10)], [(11, 36)])])
    # content predicted a bit short: not exact, but high overlap and the relation is found
    pred = [GoldRelation([(0, 5)], [(6, 10)], [(11, 27)])]
    s = score_relations([gold], [pred])
    assert s.exact["source"].f1 == 1.0 and s.exact["cue"].f1 == 1.0
    assert s.exact["content"].f1 == 0.0
    assert s.overlap["content"].precision == 1.0
    assert s.overlap["content"].recall == pytest.approx(16 / 25)
    assert s.relation.recall == 1.0 and s.relation.source_accuracy == 1.0
    # less than half the gold content: not found
    s = score_relations([gold], [[GoldRelation(None, None, [(11, 19)])]])
    assert s.relation.recall == 0.0 and s.relation.precision == 1.0


def test_report_segments_group_into_one_relation(fast):
    r = attributions(fast, '"We are ready," she said. "We have been ready for years."')
    rels = relations_from_report(r)
    assert len(rels) <= len(r.attributions)


def test_load_split_reads_text_exactly():
    dev = require_shared("polnear", "dev")
    docs = load_split(dev, limit=3)
    assert len(docs) == 3
    for d in docs:
        raw = (dev / "text" / f"{d.name}.txt").read_bytes().decode("utf-8")
        assert d.text == raw
        for rel in d.relations:
            for s, e in rel.content:
                assert 0 <= s < e <= len(d.text)


def test_multiply_annotated_text_uses_first_annotator():
    dev = require_shared("polnear", "dev")
    names = sorted(p.name for p in (dev / "attributions").glob("politico_2016-09-08_flynn-says-trump*"))
    if len(names) < 2:
        pytest.skip("the multiply-annotated dev text is not present")
    (doc,) = [d for d in load_split(dev) if d.name.startswith("politico_2016-09-08_flynn-says-trump")]
    assert names[0].endswith(f"_{doc.annotator}.ann")


# --- evaluation smoke test on real data ------------------------------------------------------

@pytest.mark.shared
def test_eval_smoke_five_dev_articles(analyzer):
    dev = require_shared("polnear", "dev")
    docs = load_split(dev, limit=5)
    reports = [analyzer.analyze(Article(text=d.text, id=d.name)) for d in docs]
    s = score_reports(docs, reports)
    assert s.documents == 5
    assert s.overlap["content"].f1 > 0.5
    assert s.exact["source"].f1 > 0.5


@pytest.mark.shared
def test_eval_cli_smoke():
    dev = require_shared("polnear", "dev")
    out = invoke_cli("eval", "attributions", "--gold", str(dev), "--limit", "5", "--no-baseline", text=True,
                     cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr
    assert "content" in out.stdout and "relations" in out.stdout


# --- contents that say nothing by either convention ----------------------------------------------

@pytest.mark.parametrize("sentence, cue, content, circumstance, addressee", [
    ("Trump said at a campaign stop this week that the race was rigged.", "said", "a campaign stop this week", True, False),
    ("“I was diagnosed with bipolar disorder,” he said after explaining the amendment.", "said",
     "explaining the amendment", True, False),
    ("The senator said little about the deal.", "said", "the deal", False, False),  # what he spoke of
    ("The mayor said that the bridge is safe.", "said", "that the bridge is safe", False, False),
    ("“We will win,” Sanders told CNN's Anderson Cooper, regarding the allegations.", "told",
     "CNN's Anderson Cooper, regarding the allegations", False, True),
    ("The governor told Chuck Todd.", "told", "Chuck Todd", False, True),
    ("The governor told reporters the plan was dead.", "told", "the plan was dead", False, False),
    ("She told the truth about the plan.", "told", "the truth about the plan", False, False),
    ("Investigators questioned Patterson, who has no criminal record, on Friday morning.", "questioned",
     "Patterson, who has no criminal record", False, True),
    ("McGahn dared Trump.", "dared", "Trump", False, True),
    ("Critics called Smith a liar.", "called", "Smith a liar", False, False),
    ("The envoy urged Jones to resign.", "urged", "Jones to resign", False, False),
])
def test_contents_that_are_circumstances_or_addressees(analyzer, sentence, cue, content, circumstance, addressee):
    """Where something was said and whom it was told are no content (real parses of written sentences)."""
    from sourcetrace.extractors.attributions.syntax import is_saying_circumstance, is_addressee

    doc = analyzer.nlp(sentence)

    def tokens(part):
        start = sentence.index(part)
        span = doc.char_span(start, start + len(part), alignment_mode="expand")
        return span.start, span.end

    assert is_saying_circumstance(doc, tokens(cue), tokens(content)) is circumstance
    assert is_addressee(doc, tokens(cue), tokens(content)) is addressee


def test_misread_contents_are_dropped_and_the_rest_kept(analyzer):
    """A relation loses the contents that are a rubric or a circumstance; one left with none goes."""
    from sourcetrace.extractors.attributions.fast import TokenRelation, without_misread_contents

    text = "THE FACTS: Tedros did praise China. Trump said at a rally that the vote was rigged."
    doc = analyzer.nlp(text)

    def tokens(part):
        start = text.index(part)
        span = doc.char_span(start, start + len(part), alignment_mode="expand")
        return span.start, span.end

    praise = TokenRelation(cue=tokens("did praise"), source=tokens("Tedros"), content=[tokens("THE FACTS")])
    said = TokenRelation(cue=tokens("said"), source=tokens("Trump"),
                         content=[tokens("a rally"), tokens("that the vote was rigged")])
    kept = without_misread_contents(doc, [praise, said])
    assert kept == [said]
    assert [doc[s:e].text for s, e in said.content] == ["that the vote was rigged"]


def test_near_features_of_every_token_are_the_neighbour_windows():
    """``DocFeatures.all_near`` (built for the whole document at once) gives each token what
    ``_with_neighbours`` gives it alone: its own features, then each neighbour's or the padding (real parse)."""
    from sourcetrace.extractors.attributions.features import NEAR_REACH, _with_neighbours, doc_features
    from sourcetrace.languages import record_for
    from sourcetrace.nlp import load_pipeline

    doc = load_pipeline()("“The bridge will reopen in May,” the mayor said.\n\nShe declined to say more. Ok.")
    df = doc_features(doc, lexicons=record_for("en").lexicon_files())
    near = df.all_near()
    assert len(near) == len(doc) > 2
    assert near == [_with_neighbours(df, i, 0, len(doc), NEAR_REACH) for i in range(len(doc))]
    assert near[0][-3] == "-1pad" and near[-1][-1] == "1pad"


def test_document_features_read_from_columns_are_what_the_tokens_say():
    """Sentences, quotations, paragraphs and dependency flags of ``doc_features`` (read from the token columns in bulk)
    equal what walking the tokens gives."""
    from sourcetrace.extractors.attributions.features import doc_features
    from sourcetrace.languages import record_for
    from sourcetrace.nlp import load_pipeline

    text = ("“The bridge will reopen in May,” the mayor said. Engineers said “it is safe” twice.\n\n"
            "She declined to say more. The council, she added, “will vote”.")
    doc = load_pipeline()(text)
    df = doc_features(doc, lexicons=record_for("en").lexicon_files())
    assert df.sent_bounds == [(s.start, s.end) for s in doc.sents]
    assert df.sent_id == [k for k, s in enumerate(doc.sents) for _ in s]
    assert df.deps == [t.dep_ for t in doc]
    quoted = [t.text for t in doc if df.quote_id[t.i] >= 0]
    assert quoted == ["“", "The", "bridge", "will", "reopen", "in", "May", ",", "”", "“", "it", "is", "safe", "”",
                      "“", "will", "vote", "”"]
    assert [(doc[s].text, doc[e - 1].text) for s, e in df.quotes] == [("“", "”")] * 3
    second = next(t.i for t in doc if t.text == "She")
    assert set(df.paragraph_id[:second]) == {0} and set(df.paragraph_id[second:]) == {1}
    for t in doc:
        assert ("has_subj" in df.static[t.i]) == any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
        assert ("has_ccomp" in df.static[t.i]) == any(c.dep_ == "ccomp" for c in t.children)
        assert ("inq" in df.static[t.i]) == (df.quote_id[t.i] >= 0)


def test_the_syntactic_layer_looks_at_every_token_that_can_start_a_pattern():
    """``pattern_candidates`` (verbs, nouns and the few words that start a pattern whatever their POS) holds every
    token the pattern table gives a kind."""
    from sourcetrace.extractors.attributions.syntax import SyntacticAttributions, pattern_candidates
    from sourcetrace.languages import record_for
    from sourcetrace.nlp import load_pipeline

    doc = load_pipeline()("According to the report, the plan reportedly failed. For the mayor, it was a win, "
                          "aides said in a statement, and the study found that costs rose.")
    syntax = SyntacticAttributions(record_for("en").lexicon_files())
    candidates, keys = pattern_candidates(doc)
    kinds = {t.i: syntax._kind(doc.vocab.strings, (t.lower, t.lemma, t.pos)) for t in doc}
    assert {i for i, kind in kinds.items() if kind is not None} <= set(candidates)
    assert {kinds[i] for i in candidates} >= {"according", "hedge", "viewpoint", "verb", "noun", "finding"}
    assert keys == [(doc[i].lower, doc[i].lemma, doc[i].pos) for i in candidates]


# --- issue #17: structures the fast tier read wrong or not at all (written articles) -----------------------------

def test_trailing_speaker_with_the_rest_of_the_content_after_it(fast):
    """"<content>, SOURCE said, <more>": both pieces are the speaker's; a following "adding that" is its own cue."""
    r = attributions(fast, "Twelve people were detained overnight, the county sheriff said, most of them for curfew "
                           "violations, while two were taken to hospital.\n\nThe bridge will close in May, the mayor "
                           "said, adding that the detour would add ten minutes.")
    first, rest = find(r, "Twelve people"), find(r, "curfew violations")
    assert first.content.text == "Twelve people were detained overnight"
    assert rest.content.text == "most of them for curfew violations, while two were taken to hospital"
    assert {(a.source.text, a.cue.text) for a in (first, rest)} == {("the county sheriff", "said")}
    bridge = find(r, "The bridge will close")
    assert (bridge.source.text, bridge.cue.text, bridge.content.text) == ("the mayor", "said", "The bridge will close in May")
    assert find(r, "the detour").content.text == "that the detour would add ten minutes"


def test_relative_who_speaker_and_the_cue_verbs_adjuncts(fast):
    """"X, who wondered on her blog whether ...": "who" is the source (resolved to X), the clause the content."""
    r = attributions(fast, "The loudest critic was the retired judge Anna Whitfield, who wondered on her blog whether "
                           "the council had broken its own rules.\n\nAmong the staff is a nurse at the clinic who "
                           "confided to reporters that the staff had been told to stay quiet.")
    wondered = find(r, "the council had broken")
    assert (wondered.source.text, wondered.content.text) == ("who", "whether the council had broken its own rules")
    assert next(s for s in r.sources if s.id == wondered.source_id).name == "Anna Whitfield"
    confided = find(r, "the staff had been told")
    assert (confided.source.text, confided.cue.text) == ("who", "confided")
    assert confided.content.text == "that the staff had been told to stay quiet"


def test_free_relative_what_is_what_it_stands_for(fast):
    """"despite what X said were Y" and "What X noted is that Y": the content is Y, not "what"."""
    r = attributions(fast, "The clinic stayed closed, despite what the mayor said were repeated promises to reopen it."
                           "\n\nWhat the inspectors noted is that the pipes had corroded years ago.")
    assert all(a.content.text.strip(" .").lower() != "what" for a in r.attributions)
    said = find(r, "repeated promises")
    assert (said.source.text, said.cue.text, said.content.text) == ("the mayor", "said", "repeated promises to reopen it")
    noted = find(r, "the pipes had corroded")
    assert noted.content.text == "that the pipes had corroded years ago"
    assert noted.source.text == "the inspectors"


def test_asides_questions_put_and_relative_antecedents_are_no_statements(fast):
    """The writer's "it should be noted that", the question put to someone ("was asked whether"), the noun a
    relative-clause cue describes ("the land he imagined"), a cue verb's particle ("shot back at the smear") and a cue
    in a condition or a question ("If Smith and his doctor think ...", "asked if she believed ...") are not read as anyone's statement; the answer is."""
    text = ("It should be noted that the pipes had been inspected twice.\n\n"
            "The mayor was asked whether the clinic would reopen. She said the clinic would reopen in June.\n\n"
            "At a town hall on Monday, a woman asked Sanders about his view on reparations.\n\n"
            "The land of opportunity he imagined was in fact full of challenges.\n\n"
            "Ray Chan, a lawmaker in the Legislative Council, shot back at the smear on social media.\n\n"
            "If Smith and his doctor think it’s okay for him to take it, that’s his business.\n\n"
            "I asked if she believed that the county's police would apply the law in the spirit lawmakers intended.")
    r = attributions(fast, text)
    assert [(a.source and a.source.text, a.content.text) for a in r.attributions] == [
        ("She", "the clinic would reopen in June")]


def test_trailing_speaker_after_a_quotation_paragraph_and_whether_clauses(fast):
    """A paragraph after a closing quotation mark that the parser joins to the sentence before still has its trailing
    speaker; "wondered on Twitter whether ..." (parsed as an adverbial clause) is a statement of the relative "who"."""
    r = attributions(fast, "Many marchers carried umbrellas, while others chanted “Free the city,” and “Independence is "
                           "the only way out.”\n\nAt least 180 people were arrested, the city police said, most for "
                           "illegal assembly, while 10 people were admitted to hospital.\n\nThe best-known skeptic was "
                           "the columnist Paul Kramer, who wondered on Twitter whether the ministry had “gotten to” the "
                           "statistics office, which produces the report.")
    arrested = find(r, "180 people")
    assert (arrested.source.text, arrested.cue.text, arrested.content.text) == (
        "the city police", "said", "At least 180 people were arrested")
    assert find(r, "illegal assembly").content.text == "most for illegal assembly, while 10 people were admitted to hospital"
    wondered = find(r, "the ministry")
    assert (wondered.source.text, wondered.cue.text) == ("who", "wondered")
    assert wondered.content.text.startswith("whether the ministry had “gotten to” the statistics office")
    assert next(s for s in r.sources if s.id == wondered.source_id).name == "Paul Kramer"


def test_negated_saying_is_no_statement_but_a_negated_belief_is(fast):
    """"did not mention the case" reports what was not said (the guide's reading); "does not believe that ..." is a
    stance and stays, as does a withheld proposition ("has not confirmed that ...": stance "negated"), and a negation
    inside the content is no negated cue."""
    r = attributions(fast, "The minister did not mention the pension case in his speech.\n\n"
                           "The governor does not believe that the tax will pass.\n\n"
                           "The coach said the team would not give up.\n\n"
                           "The ministry has not confirmed that the troops have left.")
    contents = [a.content.text for a in r.attributions]
    assert not any("pension case" in c for c in contents)
    assert find(r, "the tax will pass").source.text == "The governor"
    assert find(r, "the team would not give up").source.text == "The coach"
    withheld = find(r, "the troops have left")
    assert (withheld.source.text, withheld.stance) == ("The ministry", "negated")


def test_speculation_and_impression_are_speech_nouns(fast):
    """"fueled speculation that ...", "tries to create the impression that ...": a statement whose content is the clause."""
    r = attributions(fast, "The senator has fueled speculation that she would run for governor next year.\n\n"
                           "The column tries to create the impression that the mayor ignored the floods.")
    assert find(r, "she would run").content.text == "that she would run for governor next year"
    assert find(r, "the mayor ignored").content.text == "that the mayor ignored the floods"


def test_coordinated_speech_verb_shares_the_first_verbs_subject(fast):
    """"X left the club in 2011 but has denied there was any dispute": X denies; the content is the clause."""
    r = attributions(fast, "(The coach left the club in 2011 but has denied there was any dispute over his salary.)")
    a = find(r, "any dispute")
    assert (a.source.text, a.cue.text, a.content.text) == ("The coach", "has denied", "there was any dispute over his salary")


def test_content_going_on_after_the_trailing_speaker_with_and(fast):
    """"<content>, Pride said, and <more>": the piece after the cue is the speaker's too, without the "and"."""
    r = attributions(fast, "Police unions wanted the power to more easily dismiss “bad officers,” Hale said, and they "
                           "supported efforts to require officers to intervene when they see a colleague using excessive "
                           "force.")
    first, more = find(r, "Police unions wanted"), find(r, "supported efforts")
    assert {(a.source.text, a.cue.text) for a in (first, more)} == {("Hale", "said")}
    assert more.content.text == ("they supported efforts to require officers to intervene when they see a colleague "
                                 "using excessive force")


def test_rulings_and_findings_with_a_that_clause(fast):
    """"The appeals court held, in effect, that ...", "The study found that ...": a ruling or a finding is attributed to
    the court or the study; "held a news conference" is no cue."""
    r = attributions(fast, "Then the appeals court held, in effect, that the state can now be said to have banned such "
                           "contracts without meaning to.\n\nThe study found that most of the wells were contaminated."
                           "\n\nThe police held a news conference on Monday.")
    held = find(r, "the state can now")
    assert (held.source.text, held.cue.text) == ("the appeals court", "held")
    assert held.content.text == "that the state can now be said to have banned such contracts without meaning to"
    found = find(r, "the wells")
    assert (found.source.text, found.cue.text, found.content.text) == (
        "The study", "found", "that most of the wells were contaminated")
    assert not any("news conference" in a.content.text for a in r.attributions)


def test_quotations_joined_by_and_share_their_speaker(fast):
    """"others chanted “A,” and “B.”": both quotations are the chanters'."""
    r = attributions(fast, "Many protesters carried umbrellas, symbols of the city’s protest movement, while others "
                           "chanted “Free Lantau,” and “Lantau independence is the only way out.”")
    first, second = find(r, "Free Lantau"), find(r, "independence is")
    assert {(a.source.text, a.cue.text) for a in (first, second)} == {("others", "chanted")}
    assert (first.content.text, second.content.text) == ("“Free Lantau,”", "“Lantau independence is the only way out.”")


def test_a_clause_before_a_semicolon_is_not_the_according_to_content(fast):
    """"(X; according to the Post, Y; Z.)": the Post says Y (and on), not X."""
    r = attributions(fast, "(Women of all ages are disproportionately victims of gun violence in domestic abuse; "
                           "according to the Huffington Post, 80 percent of people killed by intimate partners in the US "
                           "are women; 53 percent of those murders involve a fatal gunshot.)")
    assert not any(a.content.text.startswith("(Women") for a in r.attributions)
    assert find(r, "80 percent").source.text == "the Huffington Post"


def test_the_writers_own_questions_are_no_statements(fast):
    """"Can you really blame them?", "So has the mayor ever called for lower fees?": the writer asks, no one is
    reported; a statement beside them stays."""
    r = attributions(fast, "The council raised parking fees twice this year, and the shop owners on Main Street are "
                           "furious. On that score, can you really blame them?\n\n"
                           "So has the mayor ever called for lower fees? Not once.\n\n"
                           "The mayor said the fees would stay until June.")
    assert readings(r) == [
        ("The mayor", "said", "the fees would stay until June")]


def test_acts_agreed_to_refused_or_tried_are_no_statements(fast):
    """"agreed to waive fees", "refused to raise wages": an act consented to or refused, not a statement; nor is
    "declined to comment", a refusal to speak (the modern-news guide's reading: none of the gold's 5 is labelled;
    PolNeAR dev labels 1 of 2)."""
    r = attributions(fast, "In the end, the union agreed to waive fees for new members for six months. The bakery "
                           "chain refused to raise wages this year. The owner declined to comment on the strike.")
    assert readings(r) == []


def test_an_adverbial_opening_before_a_parenthetical_cue_is_no_piece_of_the_content(fast):
    """"For one thing, Marsh said, the report came out on time": the statement is the clause after the cue."""
    r = attributions(fast, "For one thing, Marsh said, the report came out on time.\n\n"
                           "Actually, she says, the budget is smaller than last year.")
    assert readings(r) == [
        ("Marsh", "said", "the report came out on time"), ("she", "says", "the budget is smaller than last year")]


def test_what_a_person_is_accused_of_is_the_content_not_the_relative_pronoun(fast):
    """"The governor, whom the scientist has accused of hiding ...": the scientist says the governor hid the data."""
    r = attributions(fast, "The governor, whom the scientist has accused of hiding the state's infection data, "
                           "dismissed the surge as a blip.")
    accused = find(r, "infection data")
    assert (accused.source.text, accused.cue.text, accused.content.text) == (
        "the scientist", "has accused of", "hiding the state's infection data")
    assert not any(a.content.text == "whom" for a in r.attributions)


def test_what_someone_needs_to_say_is_no_statement(fast):
    """"the court needs to remind Congress that ..." says what no one has said yet; "need" inside a content is no cue."""
    r = attributions(fast, "It is depressing but clear that the court needs to remind Congress that “statutory "
                           "updating” is Congress’ job.\n\nVoters need to hear the truth about the deficit, the senator "
                           "said.")
    assert readings(r) == [
        ("the senator", "said", "Voters need to hear the truth about the deficit")]


def test_a_contractions_verb_is_no_part_of_the_source(analyzer):
    """"[I’m] also not suggesting that ...": the source is "I" (which the layout stage then reads as the writer's)."""
    from sourcetrace.extractors.attributions.fast import tidy_source
    from sourcetrace.nlp import parse

    doc = parse(analyzer.nlp, "I’m also not suggesting that the plan works.")
    assert [t.text for t in doc[:2]] == ["I", "’m"]
    assert tidy_source(doc, (0, 2), according=False) == (0, 1)
    assert tidy_source(doc, (0, 1), according=False) == (0, 1)


def test_where_it_was_said_and_the_writers_remark_after_the_speaker_are_no_content(fast):
    """"..., Marsh said on NBC’s Meet the Press" (half the name parsed as a clause): where it was said; "..., they
    complained, forgetting that ...": the writer's remark on the speakers, not more of what they said."""
    r = attributions(fast, "“As a Republican who believes in free trade, I could not be re-elected in my party right "
                           "now,” Marsh said on NBC’s Meet the Press.\n\n"
                           "No governor has ever closed the schools, they complained, forgetting that the last one did "
                           "so twice.")
    assert readings(r) == [
        ("Marsh", "said", "“As a Republican who believes in free trade, I could not be re-elected in my party right "
                          "now,”"),
        ("they", "complained", "No governor has ever closed the schools")]


def test_the_first_of_a_series_of_acts_is_not_what_the_next_verb_said(fast):
    """"He has defended the nominee, said he has a hard time believing ...": what he said is the clause after "said";
    the clause before it is the first thing he did (the parser hangs it on "said")."""
    r = attributions(fast, "The senator has stayed quiet on Twitter. He has defended the nominee, said he has a hard "
                           "time believing the allegations and ripped the Democrats for their handling of the matter, "
                           "but has not posted any angry tweets.")
    assert [(a.source.text, a.cue.text) for a in r.attributions] == [("He", "said")]
    assert r.attributions[0].content.text.startswith("he has a hard time believing the allegations")


def test_a_guilty_plea_names_nothing_said(fast):
    """"pled guilty and agreed to cooperate" (an adjective the verb takes): no statement; "deemed the complaint
    “credible”" (a verdict quoted) stays."""
    r = attributions(fast, "The inspector general, Michael Atkinson, deemed the complaint “credible” and testified on "
                           "Thursday.\n\nPaul Hanlon, his former campaign chairman, pled guilty and agreed to cooperate "
                           "with prosecutors.")
    assert readings(r) == [
        ("The inspector general, Michael Atkinson,", "deemed", "the complaint “credible”")]


def test_a_pseudo_cleft_read_with_its_copula_is_read_once_as_what_it_stands_for(fast):
    """"What the FDA recently noted is that ...": the statement is the clause after "is" (not "What the FDA"), read
    once though the tagger and the free relative both read it."""
    r = attributions(fast, "The agency never said the drug would kill anyone. What the FDA recently noted is that there "
                           "are elevated risks associated with patients taking the medication, which is entirely "
                           "different.")
    assert [(a.source.text if a.source else None, a.content.text) for a in r.attributions] == [
        ("The agency", "the drug would kill anyone"),
        ("the FDA", "that there are elevated risks associated with patients taking the medication")]


def test_a_quoted_term_not_mentioned_is_no_quotation(fast):
    """"it does not mention “human-to-human transmission”": a term not used, no one's words; a quoted clause under a
    negated cue stays (PolNeAR's reading, the stance "negated")."""
    r = attributions(fast, "Officials in Taipei did send an email on Dec. 31 that requested more information about the "
                           "outbreak, but it does not mention “human-to-human transmission.”\n\n"
                           "The governor did not say “the plan is dead,” but his aides did.")
    assert readings(r) == [
        ("The governor", "did not say", "“the plan is dead,”")]


def test_a_result_clause_after_so_is_no_statement(fast):
    """"has so expanded that ...": what followed, not what was said; "so common that" inside a content stays in it."""
    r = attributions(fast, "These days, the definition of a disabled driver has so expanded that a large share of the "
                           "population can qualify for special parking privileges.\n\nThe mayor said the permits had "
                           "become so common that the lots were always full.")
    assert readings(r) == [
        ("The mayor", "said", "the permits had become so common that the lots were always full")]


def test_a_question_in_a_speakers_turn_is_that_speakers(fast):
    """"WALLACE: Did the governor call for new taxes?": the question is the moderator's turn, not the writer's own."""
    r = attributions(fast, "WALLACE: Do you really think the plan is dead?\n\nCLINTON: No, I do not.\n\n"
                           "WALLACE: Did the governor call for new taxes?")
    assert [(a.source.text, a.content.text) for a in r.attributions] == [
        ("WALLACE", "Do you really think the plan is dead?"), ("CLINTON", "No, I do not."),
        ("WALLACE", "Did the governor call for new taxes?")]


def test_that_clause_the_parser_hangs_on_an_aside_is_the_speech_verbs(analyzer):
    """"Democrats said in April, when the president first proposed ..., that it would be illegal": in some contexts the
    parser hangs the "that" clause on the aside's verb (seen on a real article); the same parse is rebuilt here from
    the pipeline's own parse of the sentence with that one arc moved."""
    from spacy.tokens import Doc

    from sourcetrace.extractors.attributions.fast import without_misread_contents
    from sourcetrace.extractors.attributions.syntax import SyntacticAttributions
    from sourcetrace.lexicons import english

    text = ("Harbor pilots said in April, when the mayor first proposed withholding money from NOAA, that it would be "
            "illegal without approval from the state and that they would challenge it.")
    parsed = analyzer.nlp(text)
    said = next(t for t in parsed if t.lower_ == "said")
    proposed = next(t for t in parsed if t.lower_ == "proposed")
    clause = next(t for t in said.children if t.dep_ == "ccomp")
    heads = [proposed.i if t.i == clause.i else t.head.i for t in parsed]
    doc = Doc(parsed.vocab, words=[t.text for t in parsed], spaces=[bool(t.whitespace_) for t in parsed], heads=heads,
              deps=[t.dep_ for t in parsed], pos=[t.pos_ for t in parsed], tags=[t.tag_ for t in parsed],
              lemmas=[t.lemma_ for t in parsed], sent_starts=[t.i == 0 for t in parsed])
    assert doc[clause.i].head.i == proposed.i
    relations = SyntacticAttributions(english()).sentence(doc, 0, len(doc))
    assert [(doc[c[0]:c[1]].text, doc[s[0]:s[1]].text, [doc[a:b].text for a, b in contents])
            for c, s, contents in relations] == [
        ("said", "Harbor pilots",
         ["that it would be illegal without approval from the state and that they would challenge it"])]
    # not taken for where it was said: the clause is what was said
    from sourcetrace.extractors.attributions.fast import TokenRelation
    kept = without_misread_contents(doc, [TokenRelation(cue=c, source=s, content=list(cs)) for c, s, cs in relations])
    assert len(kept) == 1 and kept[0].content == relations[0][2]


def test_relative_pronoun_accused_of_or_described_as(fast):
    """"whom Jones has accused of interfering ...": a person's "whom" gives way to what they are accused of (the
    guide's statement); "which Lee described as ...": the pronoun stays the content (PolNeAR's convention) and what
    it is described as is a second piece."""
    report = attributions(fast, "Governor Ron Dale, whom Jones has accused of interfering with state data in the "
                                "interest of his own agenda, dismissed the surge as a blip. The policy, which Lee "
                                "described as “a hoax,” was dropped.")
    accused = [(a.source.text, a.content.text) for a in report.attributions if a.source and a.source.text == "Jones"]
    assert accused == [("Jones", "interfering with state data in the interest of his own agenda")]
    described = [a.content.text for a in report.attributions if a.source and a.source.text == "Lee"]
    assert described == ["which", "a hoax"]


def test_object_and_infinitive_the_parser_hangs_on_the_verb(analyzer):
    """"many voters perceive the growth ... to be helping Democrats": where the parser hangs the infinitive on the verb
    (an adverbial clause, seen on a real article) rather than on the object, the object and infinitive are still what is
    perceived; the parse is the pipeline's own with that one arc moved."""
    from spacy.tokens import Doc

    from sourcetrace.extractors.attributions.nested import inner_relation

    parsed = analyzer.nlp("He said that many voters perceive the growth of the island population to be helping Democrats.")
    perceive = next(t for t in parsed if t.lower_ == "perceive")
    helping = next(t for t in parsed if t.lower_ == "helping")
    heads = [perceive.i if t.i == helping.i else t.head.i for t in parsed]
    deps = ["advcl" if t.i == helping.i else t.dep_ for t in parsed]
    doc = Doc(parsed.vocab, words=[t.text for t in parsed], spaces=[bool(t.whitespace_) for t in parsed], heads=heads,
              deps=deps, pos=[t.pos_ for t in parsed], tags=[t.tag_ for t in parsed], lemmas=[t.lemma_ for t in parsed])
    cue, source, contents = inner_relation(doc[perceive.i], (3, len(doc) - 1))
    assert doc[source[0]:source[1]].text == "many voters"
    assert [doc[a:b].text for a, b in contents] == ["the growth of the island population to be helping Democrats"]


def test_according_to_between_subject_and_verb_reads_both_pieces(fast):
    """"The ferry, according to the Harbor Gazette, was losing money for years.": the phrase interrupts one statement."""
    report = attributions(fast, "The ferry, according to the Harbor Gazette, was losing money for years.")
    assert [(a.source.text, a.cue.text, a.content.text) for a in report.attributions] == [
        ("the Harbor Gazette", "according to", "The ferry"),
        ("the Harbor Gazette", "according to", "was losing money for years")]


def test_a_speech_noun_says_its_copulas_clause(fast):
    """"The governor's argument is that ...": the possessor's statement; "The point is that ..." names no one (the
    writer's own), and "sent a message that ..." is no reading of the noun's."""
    report = attributions(fast, "The White House message is that the ferry cannot sail. The point is that we must act. "
                                "The governor's argument is that the tax will pay for itself.")
    assert [(a.source.text, a.cue.text, a.content.text) for a in report.attributions] == [
        ("White House", "message", "that the ferry cannot sail"),
        ("The governor's", "argument", "that the tax will pay for itself")]
    # a pronoun's message inside a quoted speaker's account is no layer of its own
    report = attributions(fast, 'The island is "a huge boon for them," said Rep. Dan Cole. Their message has been that '
                                '"we are going to recruit all you folks."')
    assert not [a for a in report.attributions if a.cue is not None and a.cue.text == "message"]


def test_light_verb_speech_noun_and_fronted_gerund_have_the_clause_subject(fast):
    """"the Gazette piece tries to create the impression that ...": whoever creates the impression says it (not "sent a
    message that": no such reading); "By telling the mayor that ..., his aides keep ...": the aides tell, and the
    content ends with the gerund's clause."""
    report = attributions(fast, "Yet the Gazette piece tries to create impression that the mayor is popping the tablets "
                                "like mints. By telling the mayor that it will all be over soon, his aides keep his "
                                "anger at bay.")
    said = [(a.source.text if a.source else None, a.cue.text, a.content.text) for a in report.attributions]
    assert said == [("the Gazette piece", "impression", "that the mayor is popping the tablets like mints"),
                    ("his aides", "telling", "that it will all be over soon")]


def test_for_phrase_and_idea_are_no_readings_of_their_own(fast):
    """"For the islanders, it's no mystery: ... “snapped back”": the quotation after the colon is the writer's; "the idea
    that ..." names no one whose statement it is."""
    report = attributions(fast, "Supporters of the law strike back at the idea that Dr. Lee would approve of “death "
                                "panels” or even rationing general health care. For the islanders, it's no mystery: "
                                "years of crippling fees will be lifted, and though the fees could be “snapped back” into "
                                "place, nobody expects it.")
    assert not [a for a in report.attributions if a.cue is not None and a.cue.text in {"idea", "For"}]


def test_went_on_to_say_is_the_subjects_saying(fast):
    """"The mayor went on to say that ...": the infinitive of a speech verb after a verb of going on speaks for the
    subject; "declined to say" or "went to say goodbye" are no such reading of "say"."""
    report = attributions(fast, "The mayor praised the crews on Monday. She went on to say that the bridge would reopen "
                                "in May. Her deputy then proceeded to argue the tolls were too low.")
    said = [(a.source.text, a.cue.text, a.content.text) for a in report.attributions]
    assert said[1:] == [("She", "went on to say", "that the bridge would reopen in May"),
                        ("Her deputy", "to argue", "the tolls were too low")]


def test_a_possessed_speech_noun_reports_its_clause_across_a_time_phrase(fast):
    """"the council's announcement last week it plans to ...": the parser hangs the clause on the sentence's verb, not
    on the noun; a clause starting right after the time words (with "that" or its subject) is the noun's content."""
    report = attributions(fast, "The protest followed the harbor board’s announcement last week it plans to cut the "
                                "winter schedule in half.")
    said = [(a.source.text, a.cue.text, a.content.text) for a in report.attributions]
    assert said == [("the harbor board’s", "announcement", "it plans to cut the winter schedule in half")]


def test_a_speaker_after_the_cue_the_tagger_read_as_content_speaks_the_quotation(fast):
    """"“Not us!” shouted a woman near the back": the parser takes the speaker for the verb's object and the tagger
    reads it as what was shouted; the speaker after a cue that follows a quotation says the quotation."""
    report = attributions(fast, "The meeting ended late. “Not us!” shouted a woman near the back of the hall.")
    assert [(a.source.text, a.cue.text, a.content.text) for a in report.attributions] == [
        ("a woman", "shouted", "“Not us!”")]


def test_an_as_clause_opening_the_sentence_says_the_main_clause(fast):
    """"As the harbor master noted last spring, the pilings ...": the speech verb of an "as" clause that opens its
    sentence says the clause after the comma; an "as" clause of speaking that tells when ("As the mayor spoke, ...")
    or of promising that tells it came true ("As the council had promised, ...") says nothing."""
    report = attributions(fast, "As the harbor master noted last spring, the pilings under the east landing have been "
                                "rotting for years. As the mayor spoke, a crowd gathered outside the hall. As the "
                                "council had promised, the ferry ran on time.")
    assert readings(report) == [("the harbor master", "noted",
                                 "the pilings under the east landing have been rotting for years")]


def test_an_infinitive_of_purpose_or_rank_says_for_the_subject(fast):
    """"took to the microphone to say ...", "was the latest to say ...": the subject says the clause."""
    report = attributions(fast, "Councilwoman Ada Brooks was the latest to say the repairs would cost more than a new "
                                "pier. Council President Tom Reyes took to the microphone to say he trusted the "
                                "engineers' estimate.")
    assert readings(report) == [
        ("Councilwoman Ada Brooks", "to say", "the repairs would cost more than a new pier"),
        ("Council President Tom Reyes", "to say", "he trusted the engineers' estimate")]


def test_gerund_after_a_preposition_and_quoted_as_saying(fast):
    """"sided with the fishermen in saying ...": the clause's subject says it; "“...,” the mayor was quoted as saying":
    the passive subject of "quoted as" says the quotation."""
    report = attributions(fast, "Brooks sided with the fishermen in saying the town should keep one berth open for "
                                "emergencies. “The pier must be rebuilt before the summer season,” the mayor was "
                                "quoted as saying.")
    assert readings(report) == [
        ("Brooks", "saying", "the town should keep one berth open for emergencies"),
        ("the mayor", "quoted as saying", "“The pier must be rebuilt before the summer season,”")]


def test_a_second_that_clause_coordinated_with_the_speech_verb_is_said_too(fast):
    """"said Obama had no timeline, but that he would act ...": the parser coordinates the second "that" clause with
    "said"; it is a second piece of the same statement."""
    report = attributions(fast, "Town engineers said the work had no fixed start date, but that they would begin "
                                "before the summer.")
    assert readings(report) == [("Town engineers", "said", "the work had no fixed start date"),
                                ("Town engineers", "said", "that they would begin before the summer")]


def test_any_verb_introducing_or_closing_a_quotation_cues_it(fast):
    """"The governor marveled, "..."", "“...,” the harbor master fumed.": a verb outside the speech-verb lexicon with
    a subject, set right before or after a whole quotation that makes its sentence, says it."""
    report = attributions(fast, 'The governor marveled, "Nobody expected this many people to show up." The Harbor '
                                'Gazette gushed, “Flashing a wide smile, the new mayor managed to charm the whole '
                                'waterfront.”\n\n“We cannot keep patching a pier that the tide is eating,” the harbor '
                                'master fumed.')
    assert readings(report) == [
        ("The governor", "marveled", '"Nobody expected this many people to show up."'),
        ("The Harbor Gazette", "gushed", "“Flashing a wide smile, the new mayor managed to charm the whole waterfront.”"),
        ("the harbor master", "fumed", "“We cannot keep patching a pier that the tide is eating,”")]


def test_a_quotation_after_a_quoted_title_that_ends_the_sentence_opens_a_sentence():
    """'... told “CBS This Morning.” “There is ...': the stop inside the quoted programme name ends the sentence, so the
    quotation after it opens one and goes on with the speaker (the speakers stage's continuation rule)."""
    from sourcetrace.extractors.speakers import quote_opens_sentence

    text = "“None,” she told “Harbor Radio.” “There is no other way.” And “a fix” is coming."
    assert quote_opens_sentence(text, 0, text.index("“There"))
    assert not quote_opens_sentence(text, 0, text.index("“a fix"))


def test_the_first_piece_of_a_quotation_the_parser_split_before_its_cue(fast):
    """"“Not this year. The pier stays shut,” Reyes repeated. “...”": the parser ends a sentence inside the first piece;
    the piece before the cue is still the speaker's, whole; an unlisted verb ("clarified") closes a quotation too."""
    report = attributions(fast, "“Not this year. The pier stays shut until the spring,” Reyes reiterated. “The tide "
                                "took two pilings last month. We will not risk a third.”\n\n“Ferries, yes. Fishing "
                                "boats, no,” Reyes clarified. “The berth is only for the ferry.”")
    said = [(a.source.text if a.source else None, a.content.text) for a in report.attributions]
    assert said == [("Reyes", "“Not this year. The pier stays shut until the spring,”"),
                    ("Reyes", "“The tide took two pilings last month. We will not risk a third.”"),
                    ("Reyes", "“Ferries, yes. Fishing boats, no,”"),
                    ("Reyes", "“The berth is only for the ferry.”")]


def test_a_question_before_its_capitalised_speaker_is_the_speakers(fast):
    """"“...?” Harbor commissioner Lena Okafor wrote on Twitter.": the parser ends the sentence at the question mark;
    the quotation alone before the speaker's sentence is what they wrote, or asked."""
    report = attributions(fast, "The pier closed on Monday.\n\n“Did anyone check the east pilings before the storm?” "
                                "Harbor commissioner Lena Okafor wrote on Twitter last week.\n\n“Why not?” She shrugged "
                                "and left the room.")
    first = report.attributions[0]
    assert (first.source.text, first.cue.text, first.content.text) == (
        "Harbor commissioner Lena Okafor", "wrote", "“Did anyone check the east pilings before the storm?”")
    # "She shrugged and left" is no cue of the question before it (the paragraph is read as uncued words only)
    assert all(a.cue is None for a in report.attributions[1:])


def test_as_someone_puts_it_says_the_main_clause(fast):
    """"As the harbor master puts it, ...": "put it" in an "as" clause is a way of saying; "as he put it away" is not."""
    report = attributions(fast, "As the harbor master puts it, the old pier has outlived three mayors. As he put it "
                                "away, the phone rang.")
    assert readings(report) == [("the harbor master", "puts", "the old pier has outlived three mayors")]


def test_how_things_seem_to_the_writer_is_no_statement(fast):
    """"X seems to have a fair chance", "It appears that ...": the writer's impression, no one's statement (the guide's
    reading); a speech verb the appearance hedges stays ("appeared to suggest that ...", "seemed to think ...")."""
    r = attributions(fast, "The river district seems to have a fair chance of winning the grant this year. It appears "
                           "that the new bus lanes have cut travel times in half. The mayor appeared to suggest that the "
                           "grant would go to schools. The council members seemed to think the vote was rigged. The "
                           "harbour master said the ferries would resume on Monday.")
    contents = [a.content.text for a in r.attributions]
    assert not any("fair chance" in c or "bus lanes" in c for c in contents)
    suggested = find(r, "the grant would go")
    assert (suggested.source.text, suggested.cue.text, suggested.content.text) == (
        "The mayor", "appeared to suggest", "that the grant would go to schools")
    assert find(r, "the vote was rigged").cue.text == "seemed"
    assert find(r, "the ferries").source.text == "The harbour master"


def test_when_or_how_something_was_said_is_no_content_of_any_cue(fast):
    """"reported, [without naming its sources]", "tweeted [after the vote]": a phrase of time or manner on any cue verb
    says when or how, not what; a clause the parser hung on such a phrase's noun stays ("warned during a briefing that
    ...")."""
    r = attributions(fast, "The council will cut three bus routes next year, the Valley Tribune reported, without "
                           "naming its sources. “We have no choice,” the mayor tweeted after the vote. The harbor board "
                           "warned during a briefing that the pier would close.")
    contents = [a.content.text for a in r.attributions]
    assert not any("naming its sources" in c or c == "the vote" for c in contents)
    assert find(r, "three bus routes").source.text == "the Valley Tribune"
    assert any(a.source.text == "the mayor" and "We have no choice" in a.content.text for a in r.attributions)
    assert find(r, "the pier would close").source.text == "The harbor board"


def test_what_someone_responded_to_is_no_statement_of_theirs(fast):
    """"responded to requests for clarification", "Responding to criticism from the council, ...": what was answered is
    not the answerer's statement; the answer is ("saying the state would pay"), and so is a report's clause ("responded
    to a report that ...")."""
    r = attributions(fast, "FEMA responded to requests for clarification with a short statement. Responding to "
                           "criticism from the council, the mayor said the buses would run. The governor replied to the "
                           "letter on Friday, saying the state would pay. The senator responded to a report that she "
                           "would resign.")
    assert not any("clarification" in a.content.text or "criticism" in a.content.text for a in r.attributions)
    assert find(r, "the buses would run").source.text == "the mayor"
    assert find(r, "the state would pay").source.text == "The governor"
    assert find(r, "she would resign").content.text == "that she would resign"


def test_the_writers_imperative_to_the_reader_is_no_statement(fast):
    """"Consider that ...", "Note that ...", "But remember that ...": the writer speaking to the reader, no one reported;
    a quoted order is its speaker's."""
    r = attributions(fast, "Consider that the council raised fares twice this year. Note that the mayor never mentioned "
                           "the pier. But remember that the budget is still short. “Remember that the pier is ours,” the "
                           "mayor told the crowd. The harbor master said the ferries would resume.")
    assert readings(r) == [
        ("the mayor", "told", "“Remember that the pier is ours,”"),
        ("The harbor master", "said", "the ferries would resume")]


def test_an_act_going_on_or_beginning_is_no_statement(fast):
    """"continues to push for ...", "are starting to come out in support of ...": a verb of aspect with its infinitive
    reports an act, not a statement (so do "is reluctant to", "were eager to"); a saying stays ("continue to demand")."""
    r = attributions(fast, "Despite the decline, the mayor continues to push for his promised seawall along the harbor. "
                           "Harbor Democrats are starting to come out in strong support of a second audit to investigate "
                           "allegations of waste at the port authority. Protesters continue to demand that the pier stay "
                           "open. The harbor master said the ferries would resume.")
    assert readings(r) == [
        ("Protesters", "continue to demand", "that the pier stay open"),
        ("The harbor master", "said", "the ferries would resume")]
