"""The accurate tier's recall stage finds the speaker the parse names for a reading without a source, and its
operating point drops what the confidence model doubts (written sentences, real spaCy parses)."""
from __future__ import annotations

import pytest

from sourcetrace.extractors.attributions.recall import parsed_source, tagged_source, with_parsed_source
from sourcetrace.languages import lexicons_for
from sourcetrace.model import Attribution, Span
from sourcetrace.nlp import load_pipeline
from sourcetrace.options import AnalysisOptions


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def speech_verbs():
    return lexicons_for(AnalysisOptions()).words("speech_verbs")


def _reading(text: str, cue: str | None, content: str, source: str | None = None, id: str = "a1") -> Attribution:
    def span(part):
        at = text.index(part)
        return Span.of(text, at, at + len(part))

    return Attribution(id=id, source=span(source) if source else None, cue=span(cue) if cue else None,
                       content=span(content), form="reported")


def _source_text(text, chars):
    return text[chars[0]:chars[1]] if chars else None


@pytest.mark.parametrize("text, cue, content, speaker", [
    ("The senator has denied that there was any dispute over the dues.", "has denied",
     "there was any dispute over the dues", "The senator"),
    # a relative "who" is no speaker: the noun the clause hangs on is
    ("Her son, who confided to reporters that the new law had changed his mind, left the force.", "confided",
     "the new law had changed his mind", "Her son"),
    ("Economist Paul Krugman, who wondered on Twitter whether the numbers were real, disagreed.", "wondered",
     "whether the numbers were real", "Economist Paul Krugman"),
    # a subject shared over a coordination
    ("The mayor smiled and said the bridge would open in May.", "said", "the bridge would open in May", "The mayor"),
    # a passive with a "by" agent names its speaker
    ("The view expressed by the senator that the tariffs would fail was widely shared.", "expressed by",
     "the tariffs would fail", "the senator"),
    # hearsay and passives report a statement with no speaker
    ("The general is said to have resigned in protest.", "is said", "to have resigned in protest", None),
    ("The general reportedly said that he would resign.", "said", "he would resign", None),
    ("It was reported that the general would resign.", "was reported", "the general would resign", None),
])
def test_parsed_source_is_the_active_subject_of_the_saying_verb(nlp, speech_verbs, text, cue, content, speaker):
    doc = nlp(text)
    assert _source_text(text, parsed_source(doc, _reading(text, cue, content), speech_verbs)) == speaker


def test_no_cue_needs_a_saying_verb_of_the_lexicon(nlp, speech_verbs):
    text = "The governor warned that the dam could fail. The engineers hoped that the rain would stop."
    doc = nlp(text)
    assert _source_text(text, parsed_source(doc, _reading(text, None, "the dam could fail"), speech_verbs)) == "The governor"
    assert parsed_source(doc, _reading(text, None, "the rain would stop"), speech_verbs) is None


def test_a_misparsed_subject_comes_from_the_taggers_reading(nlp, speech_verbs):
    """"He has defended the judge, said he ..." parses "said" as the root with the first clause as its object, so
    the parse gives no subject; the tagger's reading of the same content has the source "He"."""
    text = "He has defended the judge, said he has a hard time believing the allegations and ripped the Democrats."
    doc = nlp(text)
    fast = _reading(text, "said", "he has a hard time believing the allegations")
    assert parsed_source(doc, fast, speech_verbs) is None
    tagged = [_reading(text, "said", "he has a hard time believing the allegations and ripped the Democrats", "He")]
    assert _source_text(text, tagged_source(doc, fast, tagged, speech_verbs)) == "He"
    filled = with_parsed_source(doc, text, fast, speech_verbs, tagged)
    assert filled.source.text == "He" and filled.form == "indirect" and filled.id == fast.id
    # a tagger reading of some other content lends nothing
    assert tagged_source(doc, fast, [_reading(text, "defended", "the judge", "He")], speech_verbs) is None


def test_hearsay_takes_no_source_from_the_tagger(nlp, speech_verbs):
    text = "Trump is said to have demanded an inquiry into the leak."
    doc = nlp(text)
    fast = _reading(text, "is said", "to have demanded an inquiry into the leak")
    tagged = [_reading(text, "is said", "to have demanded an inquiry into the leak", "Trump")]
    assert with_parsed_source(doc, text, fast, speech_verbs, tagged).source is None


def test_a_reading_with_a_source_keeps_it(nlp, speech_verbs):
    text = "Officials said the mayor told them that the bridge would close."
    doc = nlp(text)
    reading = _reading(text, "told", "the bridge would close", "Officials")
    assert with_parsed_source(doc, text, reading, speech_verbs) is reading


def test_doubt_threshold_is_the_highest_cut_with_few_statements_below():
    from sourcetrace.training.confidence import doubt_threshold, keep_threshold

    fast = [(0.12, False, {})] * 10 + [(0.22, False, {})] * 8 + [(0.22, True, {})] * 1 + [(0.27, True, {})] * 3
    fast += [(0.9, True, {})] * 80 + [(0.9, False, {})] * 10
    # below 0.15: 0 of 10; below 0.25: 1 of 19 (<= 1 in 10); below 0.3: 4 of 22 (> 1 in 10)
    assert doubt_threshold(fast) == 0.25
    assert doubt_threshold([(0.9, True, {})] * 5) is None
    # the recall stage's readings are kept down to where the whole reading, less the doubted, holds the floor
    added = [(0.6, True, {"recall_stage": 1.0})] * 8 + [(0.3, False, {"recall_stage": 1.0})] * 10
    # all fast readings: 84 of 112 (0.75, under the floor), so what is added must be as precise: from 0.35
    assert keep_threshold(fast + added, doubted=None) == 0.35
    # less the 19 doubted: 83 of 93; with all that is added 91 of 111 = 0.82 >= 0.81, so the lowest cut holds, and
    # the lowest cut searched is the doubt cut itself (a reading below it is dropped whatever the keep cut says)
    assert keep_threshold(fast + added, doubted=0.25) == 0.25
    assert keep_threshold(fast + added, floor=0.85, doubted=0.25) == 0.35


def test_a_clause_the_parse_read_as_a_noun_phrase_is_no_bare_object(nlp):
    """spaCy reads "like" as a preposition here, so the clause looks like the cue's noun-phrase object; its
    complementizer "that" says it is what the poll showed."""
    from sourcetrace.extractors.attributions.recall import _names_a_thing
    from sourcetrace.extractors.attributions.syntax import is_bare_object

    text = "A 2016 Marist poll showed that only 26 percent of Americans like the idea of reparations."
    doc = nlp(text)
    reading = _reading(text, "showed", "that only 26 percent of Americans like the idea of reparations",
                       "A 2016 Marist poll").model_copy(update={"form": "indirect"})
    assert is_bare_object(doc, (reading.cue.start, reading.cue.end), (reading.content.start, reading.content.end))
    assert not _names_a_thing(doc, reading)
    named = "The committee criticized the new budget plan on Tuesday."
    thing = _reading(named, "criticized", "the new budget plan", "The committee").model_copy(update={"form": "indirect"})
    assert _names_a_thing(nlp(named), thing)
