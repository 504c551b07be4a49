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
