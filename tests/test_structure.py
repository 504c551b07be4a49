"""Real-page structures, on articles written for these tests (tests/data/structure/*.txt): captions and
credits around a quote, a block quote after "said:", an embedded post, a three-speaker transcript, a Q&A, a
first-person column, "she said" quotes whose antecedent changes, and an uncued continuation paragraph. Each
asserts the exact spans and resolved names of the live analysis."""
from __future__ import annotations

import pytest

from conftest import REPO
from sourcetrace.extractors.structure import article_regions
from sourcetrace.lexicons import english
from sourcetrace.model import Article

DATA = REPO / "tests" / "data" / "structure"


@pytest.fixture(scope="module")
def read(analyzer):
    cache = {}

    def read(name: str):
        if name not in cache:
            cache[name] = analyzer.analyze(Article(text=(DATA / name).read_text(encoding="utf-8"), id=name))
        return cache[name]

    return read


def statements(report) -> list[tuple[str | None, str | None, str]]:
    """(source mention, resolved speaker name, content) of every attribution, in text order."""
    sources = {s.id: s for s in report.sources}
    return [(a.source.text if a.source else None, sources[a.source_id].name if a.source_id in sources else None,
             a.content.text) for a in report.attributions]


def kinds(report) -> list[tuple[str, str]]:
    return [(r.kind, report.text[r.start:r.end]) for r in report.structure if r.kind != "body"]


def test_captions_credits_bylines_and_boilerplate_are_never_statements(read):
    report = read("a_caption.txt")
    assert kinds(report) == [
        ("heading", "Harbor Board Approves Dredging Plan"), ("byline", "By Lena Ortiz"),
        ("dateline", "PORTSMOUTH, N.H. (AP) —"), ("caption", "A combination photo shows the harbor in 2019 and in 2024."),
        ("photo_credit", "(Photo: Jane Roe/Reuters)"), ("boilerplate", "Advertisement"),
        ("boilerplate", "Sign up for our daily newsletter")]
    said = statements(report)
    assert ("board chair Maria Velasquez", "Maria Velasquez", "“This keeps the port open for another generation,”") in said
    # the caption is no anonymous source, the photographer speaks for no one, and neither is an own-voice claim
    assert not any("combination photo" in (m or "") or "Jane Roe" in (m or "") for m, _, _ in said)
    assert [c.text for c in report.claims] == ["Harbor Board Approves Dredging Plan"]


def test_block_quote_after_said_colon(read):
    report = read("b_block.txt")
    assert ("block_quote", "The internet was not broken in 2015. We are restoring the light-touch framework that "
                           "served consumers well for two decades.") in kinds(report)
    block = next(a for a in report.attributions if a.content.text.startswith("The internet"))
    assert (block.source.text, block.cue.text, block.form) == ("Chairman Ajit Pai", "said", "direct")
    assert statements(report)[0][1] == "Ajit Pai"
    assert not any("internet was not broken" in c.text for c in report.claims)  # not the outlet's claim


def test_embedded_post_has_its_author(read):
    report = read("c_post.txt")
    post = next(a for a in report.attributions if a.content.text.startswith("This decision"))
    assert post.content.text == ("This decision is a victory for every family that waited years for justice. "
                                 "We will keep fighting.")
    assert (post.source.text, post.cue.text) == ("Tammy Duckworth", "—")
    assert [k for k, _ in kinds(report)] == ["embedded_post", "embedded_post"]


def test_transcript_turns_go_to_each_speaker(read):
    report = read("d_transcript.txt")
    turns = [(m, c) for m, _, c in statements(report) if m and m.isupper()]
    assert turns == [("O'REILLY", "Let me ask you about the border. Is it secure?"),
                     ("WILLIAMS", "No, and everybody in Washington knows it."),
                     ("INGRAHAM", "I disagree. The numbers have come down every month this year."),
                     ("O'REILLY", "We will leave it there.")]
    assert [k for k, _ in kinds(report)] == ["transcript_turn"] * 4


def test_qa_answers_are_the_interviewees(read):
    report = read("e_qa.txt")
    assert statements(report) == [
        (None, "Nadia Karim", "Worse than last year. We are already seeing twice as many cases as in November."),
        (None, "Nadia Karim", "Get the shot now, not in January.")]
    assert [k for k, _ in kinds(report)] == ["transcript_turn"] * 4


def test_first_person_column_is_the_outlets_voice(read):
    report = read("f_column.txt")
    assert statements(report) == [("The mayor", "The mayor", "the stadium would pay for itself within a decade")]
    assert not any(s.name in ("the author", "the authors") for s in report.sources)
    claims = [c.text for c in report.claims]
    assert "I think the council is making a mistake" in claims
    assert any(c.startswith("We argued in this space last year") for c in claims)


def test_she_said_follows_the_speaker_not_the_last_name(read):
    report = read("g_she.txt")
    assert statements(report) == [
        ("she", "Ruth Bader Ginsburg", "“The court is not a political body,”"),
        ("she", "Sonia Sotomayor", "“We are more divided than we admit,”"),
        ("Ginsburg", "Ruth Bader Ginsburg", "“I will stay as long as I can do the job,”"),
        ("Senator Mitch McConnell", "Mitch McConnell", "Ginsburg's candor"),
        ("he", "Mitch McConnell", "“She is a remarkable jurist,”")]
    ginsburg = next(s for s in report.sources if s.name == "Ruth Bader Ginsburg")
    assert [m.text for m in ginsburg.mentions] == ["she", "Ginsburg"]  # the mentions stay linked


def test_uncued_continuation_paragraph_goes_to_the_speaker_being_quoted(read):
    report = read("h_cont.txt")
    assert statements(report)[1:4] == [
        ("Kelly", "Laura Kelly", "“We have balanced the books without raising a single tax,”"),
        ("Kelly", "Laura Kelly", "“That was not easy."),
        (None, "Laura Kelly", "“Every agency had to find savings, and every agency did.”")]


def test_regions_cover_lines_and_index_text():
    text = (DATA / "a_caption.txt").read_text(encoding="utf-8")
    regions = article_regions(text, ["Lena Ortiz"], lexicons=english())
    assert all(text[r.start:r.end].strip() == text[r.start:r.end] and r.start < r.end for r in regions)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = "".join(text[r.start:r.end] for r in regions).replace(" ", "")
    assert body == "".join(lines).replace(" ", "")  # every non-blank character is in exactly one region
