"""The seed article read the way a careful editor reads it (sources, stance, chains, own-voice claims)."""
from __future__ import annotations

import pytest

from conftest import assert_spans_index_text


def _source_with_mention(report, text):
    """The source one of whose mentions is ``text`` (or starts with it: "the Washington Post, which ...").

    The mentions are the attribution extractor's source spans.
    """
    def is_it(span):
        return span.text == text or span.text.startswith((text + ",", text + " "))

    for source in report.sources:
        if any(is_it(m) for m in source.mentions):
            return source
    found = [a.source.text for a in report.attributions if a.source is not None]
    raise AssertionError(f"no source has the mention {text!r}: {[(s.name, [m.text for m in s.mentions]) for s in report.sources]}; "
                         f"attribution sources: {found}")


def _attribution_with_cue_at(report, phrase, word):
    """The attribution whose cue covers ``word`` inside the first occurrence of ``phrase``."""
    at = report.text.index(phrase) + phrase.index(word)
    for a in report.attributions:
        if a.cue is not None and a.cue.start <= at < a.cue.end:
            return a
    return None


def _require_cue(report, phrase, word):
    a = _attribution_with_cue_at(report, phrase, word)
    assert a is not None, f"no attribution with the cue {word!r} in {phrase!r}: {[a.cue.text for a in report.attributions if a.cue]}"
    return a


def test_seed_spans_index_text(seed_report):
    assert_spans_index_text(seed_report)
    for fr in seed_report.profile["first_reports"]:
        for key in ("mention", "cue"):
            span = fr[key]
            assert seed_report.text[span["start"]:span["end"]] == span["text"]


def test_washington_post_and_the_post_are_one_media_source(seed_report):
    wapo = _source_with_mention(seed_report, "the Washington Post")
    assert wapo.kind == "media" and wapo.named
    assert wapo.name == "The Washington Post"
    assert [m["name"] for m in seed_report.profile["media_cited"]].count("The Washington Post") == 1
    assert wapo.id == _source_with_mention(seed_report, "the Post").id


def test_unnamed_officials_are_anonymous(seed_report):
    officials = _source_with_mention(seed_report, "unnamed American officials")
    assert officials.named is False
    assert officials.descriptor and "officials" in officials.descriptor
    for mention in ("US officials", "American officials"):
        assert _source_with_mention(seed_report, mention).named is False
    outlets = _source_with_mention(seed_report, "multiple news outlets")
    assert outlets.kind == "media" and outlets.named is False


@pytest.mark.parametrize("mention", ["The White House", "Moscow"])
def test_moscow_and_the_white_house_are_governments(seed_report, mention):
    source = _source_with_mention(seed_report, mention)
    assert source.kind == "government", source
    assert source.named


def test_jake_sullivan_is_a_person_with_his_title(seed_report):
    sullivan = next(s for s in seed_report.sources if s.name == "Jake Sullivan")
    assert sullivan.kind == "person" and sullivan.named
    assert "National Security Adviser" in (sullivan.descriptor or "")


def test_he_is_biden(seed_report):
    he = _source_with_mention(seed_report, "He")
    assert he.name == "Joe Biden" and he.kind == "person"


def test_is_said_to_believe_is_hedged(seed_report):
    assert _require_cue(seed_report, "is said to believe", "said").stance == "hedged"


@pytest.mark.parametrize("phrase,word", [("US officials have claimed", "claimed"), ("American officials claim", "claim")])
def test_claim_is_distancing(seed_report, phrase, word):
    assert _require_cue(seed_report, phrase, word).stance == "distancing"


def test_has_not_officially_confirmed_is_negated(seed_report):
    assert _require_cue(seed_report, "has not officially confirmed", "confirmed").stance == "negated"


def test_reportedly_authorized_is_a_hedged_report_without_source(seed_report):
    a = _require_cue(seed_report, "reportedly authorized", "reportedly")
    assert a.source is None and a.source_id is None
    assert a.form == "reported"
    assert a.stance == "hedged"


def test_outlets_citing_officials_is_a_nested_chain(seed_report):
    outlets = _attribution_with_cue_at(seed_report, "multiple news outlets reported", "reported")
    citing = _attribution_with_cue_at(seed_report, "citing unnamed American officials", "citing")
    assert outlets is not None and citing is not None  # the chains step adds them when the extractor does not
    assert outlets.source.text == "multiple news outlets"
    assert citing.source.text == "unnamed American officials"
    assert citing.parent == outlets.id
    assert "send anti-personnel landmines to Ukraine" in citing.content.text
    assert seed_report.profile["nested_attributions"] >= 1


def test_washington_post_reported_first(seed_report):
    firsts = seed_report.profile["first_reports"]
    assert [f["name"] for f in firsts] == ["The Washington Post"]
    assert firsts[0]["mention"]["text"].startswith("the Washington Post")
    wapo = _source_with_mention(seed_report, "the Washington Post")
    assert firsts[0]["source_id"] == wapo.id


@pytest.mark.parametrize("fragment,reason", [
    ("the US and Russia are not among the 164 nations which have ratified it", "number"),
    ("Ukraine did so in 2005", "date"),
])
def test_checkable_own_voice_claims(seed_report, fragment, reason):
    claim = next((c for c in seed_report.claims if fragment in c.text), None)
    assert claim is not None, [c.text for c in seed_report.claims]
    assert claim.checkable and reason in claim.reasons
    # own voice: outside every attribution's content
    for a in seed_report.attributions:
        assert not (a.content.start <= claim.start < a.content.end), (a.content.text, claim.text)


def test_profile_counts(seed_report):
    p = seed_report.profile
    assert p["attributions"] == len(seed_report.attributions)
    assert p["sources"] == len(seed_report.sources)
    assert p["named_sources"] + p["anonymous_sources"] == p["sources"]
    assert sum(p["stance"].values()) == p["attributions"]
    assert p["stance"]["hedged"] >= 2 and p["stance"]["distancing"] >= 2
    assert p["attributions_by_source"]["unsourced"] >= 1
    assert 0.0 < p["anonymous_share"] < 1.0
    assert p["checkable_claims"] >= 2


def test_seed_with_reference_attributions(seed_path):
    """This issue's steps on the attributions a careful editor marks in the seed, whatever the model finds."""
    from sourcetrace.ingest import read_inputs

    from test_sources import with_attributions

    (article,) = list(read_inputs([str(seed_path)]))
    text = article.text
    report = with_attributions(text, [
        ("US officials", "have claimed", "The anti-personnel landmines will help “blunt” Russian progress", "mixed"),
        ("multiple news outlets", "reported", "Outgoing US President Joe Biden has decided to send anti-personnel landmines to Ukraine", "indirect"),
        ("The White House", "is said to believe", "that the weapons will help Kiev “blunt” the advancement of Russian forces", "mixed"),
        (None, "reportedly", "Biden reportedly authorized the use of long-range ATACMS missiles deep inside Russian territory", "reported"),
        ("his administration", "has not officially confirmed", "a policy shift", "indirect"),
        ("the Washington Post", "According to", "the weapons will only be used within what the US considers Ukrainian territory", "according_to"),
        ("the Post", "noted", "He called the change “reckless” and reinstated the restriction after coming to power", "mixed"),
        ("He", "called", "the change “reckless”", "mixed"),
        ("American officials", "claim", "that Kiev ultimately decides how to conduct its conflict with Russia", "indirect"),
        ("Moscow", "has called", "the Ukraine conflict a US-led proxy war against Russia", "indirect"),
        ("US National Security Adviser Jake Sullivan", "urged", "Kiev to send more troops to the front line", "indirect"),
    ])
    by_mention = {m.text: s for s in report.sources for m in s.mentions}
    wapo = by_mention["the Washington Post"]
    assert wapo is by_mention["the Post"] and (wapo.kind, wapo.named, wapo.name) == ("media", True, "The Washington Post")
    for anonymous in ("US officials", "unnamed American officials", "American officials", "multiple news outlets"):
        assert by_mention[anonymous].named is False
    assert by_mention["Moscow"].kind == by_mention["The White House"].kind == "government"
    sullivan = by_mention["US National Security Adviser Jake Sullivan"]
    assert (sullivan.kind, sullivan.name) == ("person", "Jake Sullivan") and "National Security Adviser" in sullivan.descriptor
    assert by_mention["He"].name == "Joe Biden"
    stance = {a.cue.text: a.stance for a in report.attributions}
    assert stance["is said to believe"] == "hedged"
    assert stance["have claimed"] == stance["claim"] == "distancing"
    assert stance["has not officially confirmed"] == "negated"
    assert stance["reportedly"] == "hedged"
    citing = next(a for a in report.attributions if a.cue.text == "citing")
    outlets = next(a for a in report.attributions if a.cue.text == "reported")
    assert citing.parent == outlets.id and citing.source.text == "unnamed American officials"
    assert [f["name"] for f in report.profile["first_reports"]] == ["The Washington Post"]
    checkable = [c for c in report.claims if c.checkable]
    assert any("164 nations" in c.text and "number" in c.reasons for c in checkable)
    assert any(c.text.startswith("Ukraine did so in 2005") and "date" in c.reasons for c in checkable)
