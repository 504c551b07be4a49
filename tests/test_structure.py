"""Real-page structures, on articles written for these tests (tests/data/structure/*.txt): captions and
credits around a quote, a block quote after "said:", an embedded post, a three-speaker transcript, a Q&A, a
first-person column, "she said" quotes whose antecedent changes, and an uncued continuation paragraph. Each
asserts the exact spans and resolved names of the live analysis."""
from __future__ import annotations


from conftest import STRUCTURE_ARTICLES, statements
from sourcetrace.extractors.structure import article_regions
from sourcetrace.lexicons import english
from sourcetrace.model import Article

DATA = STRUCTURE_ARTICLES


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
    # the board's approval is an event the outlet reports in its own voice, no statement of the board's
    assert [c.text for c in report.claims] == ["Harbor Board Approves Dredging Plan",
                                               "The harbor board approved a $40 million dredging plan on Tuesday"]


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


def test_unlabelled_paragraph_goes_on_with_the_last_turns_speaker(read):
    report = read("n_turns.txt")
    assert (None, "GUEST", "We have known for two weeks that the hospitals were full. Nobody wanted to say it out loud.") \
        in statements(report)  # after ". . .", the guest's turn goes on until the next label


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


def test_pronoun_chain_through_possessors_untagged_surnames_and_hearsay(read):
    report = read("i_chain.txt")
    assert statements(report)[1:] == [
        ("Pride", "Tom Pride", "several officers had already put in for early retirement"),
        ("he", "Tom Pride", "“Officers are very afraid of being sued,”"),
        # the subject's possessor is the one the story is about
        ("she", "Leslie Herod", "“I feel conflicted about that,”"),
        # "West" alone, a subject the entity tagger misses, continues Kanye West (not the reporter asking)
        ("he", "Kanye West", "“You had one question,”"),
        # "is said to": hearsay about Kelly from no one, not Kelly speaking
        (None, None, "to have lost his temper at least twice"),
        ("Speaker Mike Johnson", "Mike Johnson", "the plan on Friday"),
        # one of the plural subject named by example, just before the quote, not the last speaker
        ("he", "Rand Paul", "“This plan spends money we do not have,”")]


def test_descriptions_possessed_bodies_handles_and_slash_credits_resolve(read):
    report = read("j_describe.txt")
    assert kinds(report) == [("photo_credit", "(Maria Lopez/Reuters)")]
    sources = {s.id: s for s in report.sources}
    said = [(a.source.text, sources[a.source_id].name, sources[a.source_id].kind) for a in report.attributions]
    assert said == [
        ("the journal", "Lancet", "organization"),  # introduced as "The medical journal The Lancet"
        ("The National Rifle Association", "National Rifle Association", "organization"),
        ("The gun group", "National Rifle Association", "organization"),  # the last body named before it
        ("Senator Elizabeth Warren", "Elizabeth Warren", "person"),
        ("Her campaign", "Elizabeth Warren's campaign", "organization"),
        ("Sen. @BernieSanders", "Bernie Sanders", "person"),  # the handle is the name run together
        ("The Ninth Circuit majority", "The Ninth Circuit majority", "group"),
        ("the majority", "The Ninth Circuit majority", "group")]  # the body named before with the same noun


def test_post_flattened_into_one_line_and_the_quote_it_carries(read):
    report = read("k_inline_post.txt")
    post_line, second_post = report.text.splitlines()[2], report.text.splitlines()[6]
    assert kinds(report) == [("embedded_post", post_line), ("embedded_post", second_post)]
    post, quoted = statements(report)[:2]
    # the post's words, less its picture link, are its author's; the quote inside it is the senator's
    assert post == ("Capitol News", "Capitol News",
                    'Senator Dana Reyes to @jdoe: "We will not fund this wall. Not this year, not next year."')
    assert quoted == ("Senator Dana Reyes", "Dana Reyes", "We will not fund this wall. Not this year, not next year.")
    assert report.attributions[1].parent == report.attributions[0].id
    # a post whose words the model also reads as the senator's ("tells @jdoe she had ...") is still the post's
    assert statements(report)[-2:] == [
        ("Capitol News", "Capitol News", "Sen. @DanaReyes tells @jdoe she had no knowledge of the memo before it was published."),
        ("Sen. @DanaReyes", "Dana Reyes", "she had no knowledge of the memo before it was published")]


def test_fact_check_rubrics_and_page_headings_never_speak(read):
    report = read("l_factcheck.txt")
    assert kinds(report) == [("heading", "Ruiz Says City Will Balance Its Budget ‘Without Any New Taxes’")]
    said = statements(report)
    # the turns are the mayor's; "THE FACTS:" is the outlet's rubric, and the headline inside the page says nothing
    assert ("RUIZ", "Ann Ruiz", "“We have cut spending every single year.”") in said
    assert ("RUIZ", "Ann Ruiz", "“Crime is down by half since I took office.”") in said
    assert ("the city’s budget office", "the city’s budget office", "Spending rose in three of the last four years") in said
    assert not any(m == "THE FACTS" or "Balance Its Budget" in c for m, _, c in said)


def test_role_age_and_body_descriptions_resolve_to_who_they_are(read):
    report = read("o_roles.txt")
    sources = {s.id: s for s in report.sources}
    said = {a.source.text: sources[a.source_id].name for a in report.attributions if a.source is not None}
    assert said["the justice"] == "Elena Kagan"
    assert said["The firm"] == "Pfizer Inc"
    assert said["The 45-year-old"] == "Mark Olsen"  # introduced as "Mark Olsen, 45,"
    # the body the last sentence is about, not the last body quoted (Pfizer)
    assert said["The central bank"] == "Federal Reserve"
    # "Justin Tolomeo" is tagged ORG by the parse: a first name and a surname make him a person, and "he" his
    assert said["Tolomeo"] == "Justin Tolomeo" and said["he"] == "Justin Tolomeo"
    assert said["Judge Mary Stone, a Bush appointee,"] == "Mary Stone"  # not the president in her apposition
    assert said["they"] == "Adam Schiff and Democratic leaders"  # not "the American people" inside their quote


def test_uncued_continuation_paragraph_goes_to_the_speaker_being_quoted(read):
    report = read("h_cont.txt")
    assert statements(report)[1:4] == [
        ("Kelly", "Laura Kelly", "“We have balanced the books without raising a single tax,”"),
        ("Kelly", "Laura Kelly", "“That was not easy."),
        (None, "Laura Kelly", "“Every agency had to find savings, and every agency did.”")]


def test_a_quote_running_over_several_paragraphs_stays_with_its_speaker(read):
    report = read("m_cont3.txt")
    assert [(m, n, c) for m, n, c in statements(report) if m is None] == [
        (None, "Laura Kelly", "“Schools get the money the court asked for."),
        (None, "Laura Kelly", "“Roads get the repairs we put off for a decade."),
        (None, "Laura Kelly", "“And nobody’s taxes go up to pay for any of it.”")]


def test_a_quotation_is_never_its_next_paragraphs(read):
    report = read("p_next_cue.txt")
    quote = "“We have lost six officers since June. Nobody wants this job right now.”"
    # the cue of its own paragraph, once (the parse lent it "Spurlock told me" from the paragraph after)
    assert [(m, n) for m, n, c in statements(report) if c == quote] == [("Ortiz", "Ana Ortiz")]


def test_regions_cover_lines_and_index_text():
    text = (DATA / "a_caption.txt").read_text(encoding="utf-8")
    regions = article_regions(text, ["Lena Ortiz"], lexicons=english())
    assert all(text[r.start:r.end].strip() == text[r.start:r.end] and r.start < r.end for r in regions)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = "".join(text[r.start:r.end] for r in regions).replace(" ", "")
    assert body == "".join(lines).replace(" ", "")  # every non-blank character is in exactly one region


def test_pronouns_inside_reported_words_and_after_a_question_and_shared_subjects(read):
    report = read("q_nested_pronoun.txt")
    assert statements(report) == [
        ("She", "Diana Whitcomb", "Riverside Mayor Angela Brooks risked the lives of deputies when she warned that "
                                  "federal raids were coming"),
        # a pronoun inside reported words goes to the subject of those words, not to the one reporting them
        ("she", "Angela Brooks", "that federal raids were coming"),
        # (the reporter's question, "asked Governor Teresa Alvarez about the law", is no statement: whom it was put to
        # and what it was about: syntax.is_addressee, fast.is_question_put)
        # the woman asked, not the reporter asking; and the next paragraph's "she said" carries her on
        ("she", "Teresa Alvarez", "it at length"),
        ("she", "Teresa Alvarez", "“We are not going to apologize for keeping families together,”"),
        (None, None, "to have lost his temper at the meeting"),
        # "... and described": the speech verb shares the subject of the verb it is joined to
        ("Budget director Paul Kessler", "Paul Kessler", "the plan as “a fantasy.”")]


def test_party_tags_and_hover_cards_lead_back_to_the_lawmaker(read):
    report = read("r_party_tag.txt")
    assert statements(report) == [
        # "Sen. Maria Delgado <hover card: her name run into headlines> MORE (D-N.M.) said": the senator speaks
        ("Maria Delgado", "Maria Delgado", "that the drought relief bill would reach the floor before the August recess"),
        ("Delgado", "Maria Delgado", "that ranchers in her state could not wait another season"),
        ("she", "Maria Delgado", "“Every week we lose is another herd sold off,”"),
        ("Rep. Owen Pruitt (R-Idaho)", "Owen Pruitt", "the bill spent too much"),
        ("Tom Hale", "Tom Hale", "he would vote for the bill if it reached the floor")]
    # the hover card is page furniture inside the paragraph: no statement is read from it
    assert [(k, t[:30]) for k, t in kinds(report)] == [
        ("boilerplate", "Maria Elena DelgadoSenate pass"), ("boilerplate", "Tom Hale2020 hopefuls court ru")]


def test_hearsay_is_read_twice_and_people_named_together_get_their_full_names(read):
    report = read("s_hearsay_names.txt")
    said = statements(report)
    # "reportedly told", "is reported to have said": a sourceless report first, then the subject's statement
    assert said[:4] == [
        (None, None, "that the stadium deal was dead"), ("The mayor", "The mayor", "that the stadium deal was dead"),
        (None, None, "that the council would never approve it"),
        ("Deputy Mayor Carl Weston", "Carl Weston", "that the council would never approve it")]
    assert [a.form for a in report.attributions[:3:2]] == ["reported", "reported"]
    assert ("he", "Ivo Marak", "“We would be paying for this until 2060,”") in said
    # "Both Dorsey and Collins": each by the fullest name the article gives, "both" left out
    assert said[-1] == ("Both Dorsey and Collins", "Frank Dorsey and Nadia Collins", "the deal could still be saved")


def test_a_relative_pronoun_source_is_linked_to_the_phrase_it_stands_for(read):
    report = read("t_relative.txt")
    assert statements(report) == [("who", "the one", "she saw the truck leave")]
    assert [m.text for m in report.sources[0].mentions] == ["the one", "who"]  # "the one who says"
    report = read("t_relative_who.txt")
    assert statements(report)[0] == ("who", "Amara Linwood", "she could not defend a policy “that is so cruel.”")
    linwood = next(s for s in report.sources if s.name == "Amara Linwood")
    assert [m.text for m in linwood.mentions] == ["state Judge Amara Linwood", "who"]


def test_unnamed_referents_stay_unnamed(read):
    report = read("u_unnamed.txt")
    sources = {s.id: s for s in report.sources}
    found = [(a.source.text.split(",")[0], sources[a.source_id].kind, sources[a.source_id].named)
             for a in report.attributions]
    assert found == [
        ("a coalition of farm groups", "organization", False),
        ("the letter", "document", False),  # "an open letter ... the letter said": never named
        ("Automakers", "group", False),  # a plural noun the tagger took for a place
        ("Others", "group", False),  # "including a majority of the justices on the State Supreme Court": no member named
        ("Other Republicans", "group", True),  # "including Senator Grace Whitfield"
        ("The North American auto industry as a whole", "organization", False)]  # a sector, not one body


def test_block_quote_after_a_long_told_that_colon_goes_to_the_named_speaker(read):
    report = read("v_block_relative.txt")
    assert ("block_quote", "So the council is not paying for something that its own engineers said will fail. That is "
                           "what the bond lawyers will say, too.") in kinds(report)
    assert statements(report)[1] == (
        "who", "Rita Okafor", "So the council is not paying for something that its own engineers said will fail. "
                              "That is what the bond lawyers will say, too.")


def test_a_pseudo_cleft_has_its_own_speaker_and_an_adverbial_is_no_source(read):
    report = read("w_shared_subject.txt")
    # "What the health department recently noted is that ...": the department, not a sourceless report
    assert statements(report)[0] == ("the health department", "health department",
                                     "that there are elevated risks for patients taking the drug at home")
    # a source span that took in the adverbial before the subject is named by the subject
    assert statements(report)[-1][1:] == ("Mayor Ortiz -- and his senior advisers",
                                          "that he never considered firing the police chief")


def test_a_pronoun_in_a_speakers_own_words_is_someone_else(read):
    report = read("x_turn_pronoun.txt")
    # inside Morales's turn, "he said" is the governor she talks about, never Morales herself
    assert ("he", "Hale", "it's bad, it's really bad") in statements(report)


def test_a_quote_after_a_quoted_speakers_cue_in_the_same_paragraph_goes_on_with_them(read):
    report = read("y_quote_after_quote.txt")
    # with the mention that named the speaker for the quote it goes on from
    assert statements(report)[-1] == ("he", "Kane Wexler", "“I was connected with a doctor that works with the athletes "
                                      "in the league. He looked at my charts. It is all in order.”")
    # the scare quote inside the cue sentence is no statement of its own
    assert not any(c == "“trap door”" for _, _, c in statements(report))


def test_nested_sources_are_a_second_record_with_the_inner_speaker(read):
    report = read("z_nested_sources.txt")
    said = statements(report)
    # "X reported that Y had a memo that said ...": the outlet's report, and inside it the memo's words
    assert said[:2] == [
        ("The Riverton Tribune", "Riverton Tribune",
         "that Superintendent Alma Grant had a memo that said the change would save $2 million a year"),
        ("a memo", "a memo", "the change would save $2 million a year")]
    # "Y believed that ..., according to X": both layers, the short outlet name resolved to the one named before
    assert said[2:4] == [
        ("the Tribune", "Riverton Tribune", "Many parents believed that the 7:10 a.m. start was too early for teenagers"),
        ("Many parents", "Many parents", "the 7:10 a.m. start was too early for teenagers")]
    # a speaker named inside a quotation speaks too, resolved to the fullest name
    assert said[5] == ("Ms. Grant", "Superintendent Alma Grant", "that the budget would not balance without the change")
    assert report.attributions[1].parent == report.attributions[0].id
    assert report.attributions[5].parent == report.attributions[4].id
    # a body described with its own noun is not the outlet named last before it
    assert ("the county council", "the county council", "that no further review was needed") in said
    # a speech noun's possessor inside a report: "reported that Ms. Grant's comments that ..."
    assert ("Ms. Grant", "Superintendent Alma Grant", "the schedule was final") in said
    # "As X has said, ...," inside a quote: the clause the "as" clause hangs on is X's too
    assert said[-1] == ("the transit authority", "the transit authority", "the buses cannot run any earlier")


def test_a_description_by_title_is_the_person_given_that_title_before_or_just_after(read):
    report = read("z_title_cataphora.txt")
    said = {a.source.text: name for a, (_, name, _) in zip(report.attributions, statements(report)) if a.source}
    # the name comes in the next sentence ("the judge ruled ... U.S. District Judge Karen Whitfield ... said")
    assert said["the judge"] == "Karen Whitfield"
    # a title's modifier makes another role: the deputy mayor is not the mayor, and the other way round
    assert said["The deputy mayor"] == "Carl Weston"
    assert said["the mayor"] == "Ann Ruiz"
    whitfield = next(s for s in report.sources if s.name == "Karen Whitfield")
    assert [m.text for m in whitfield.mentions] == ["the judge", "U.S. District Judge Karen Whitfield, an Obama appointee,"]


def test_a_description_takes_the_fullest_name_the_article_gives_later(read):
    report = read("z_same_head_after.txt")
    # "the minority" first, "The Ninth Circuit's minority" a paragraph later: one referent, by its fullest name
    assert statements(report) == [
        ("The minority", "The Ninth Circuit’s minority", "that the rule had been stable for decades"),
        ("The Ninth Circuit’s minority", "The Ninth Circuit’s minority", "that the agency had ignored its own scientists")]
    assert len(report.sources) == 1


def test_a_title_description_is_not_someone_named_inside_reported_words(read):
    report = read("z_title_quoted.txt")
    # "Ms Holt said that President Harold Fenn once ...": Fenn is spoken of; the president who goes on is Holt
    assert statements(report)[-1] == ("The president", "Dana Holt",
                                      'the island "strategically important" for the country')


def test_according_to_x_has_x_for_its_source(read):
    report = read("z_according_cue.txt")
    quoted = next(a for a in report.attributions if a.content.text.startswith('"Ortega disagreed'))
    # not the sentence's subject ("Ortega objected because, according to the Ledger: ..."), and the cue stops at "to"
    assert (quoted.source.text, quoted.cue.text, quoted.form) == ("the Ledger", "according to", "according_to")


def test_an_unnamed_witness_stays_unnamed_and_keeps_their_quotes(read):
    """A definite description outside the role lexicon ("the deckhand") that the article introduced with "a" and
    never names is an unnamed source, and the uncued quote after their cue in the same paragraph is still theirs."""
    report = read("z_unnamed_witness.txt")
    deckhand = [s for s in report.sources if s.name == "the deckhand"]
    assert len(deckhand) == 1 and deckhand[0].kind == "person" and deckhand[0].named is False
    theirs = [a.content.text for a in report.attributions if a.source_id == deckhand[0].id]
    assert theirs == ["The ferry left the dock twenty minutes behind schedule and the captain ordered everyone below deck",
                      "“Nobody could hear the radio over the wind,”",
                      "“We tied the cars down twice before we were halfway across.”"]


def test_a_bare_name_quoted_saying_i_is_a_person_and_carries_she_said(read):
    """The tagger reads "Thackeray" as an organisation (checked below, so the test exercises the rule), but the
    article quotes Thackeray saying "I": a person, and the "she said" after "Thackeray's work isn't done" is hers,
    not the earlier speaker's."""
    report = read("z_speaks_as_i.txt")
    assert {e.label_ for e in report_doc_ents(report, "Thackeray")} == {"ORG"}
    thackeray = [s for s in report.sources if s.name == "Thackeray"]
    assert len(thackeray) == 1 and thackeray[0].kind == "person" and thackeray[0].named is True
    assert [(src, name, content) for src, name, content in statements(report) if name == "Thackeray"] == [
        ("she", "Thackeray", "how quickly the bill was written"),
        ("she", "Thackeray", "lawmakers would revisit its language next year"),
        ("she", "Thackeray", "“I feel conflicted about that,”"),
        ("Thackeray", "Thackeray", "“Departments that ignore the law will be held to it,”"),
        ("Thackeray", "Thackeray", "“I will be watching them closely.”"),
    ]
    assert ("he", "Dale Pruitt", "“We cannot do this job without the public,”") in statements(report)


def report_doc_ents(report, text: str):
    from sourcetrace.nlp import load_pipeline
    return [e for e in load_pipeline()(report.text).ents if e.text == text]


def test_other_members_of_a_group_are_not_the_group_named_before(read):
    """"Other Republicans" are a different set from the "Three Republicans" quoted before them."""
    report = read("z_other_group.txt")
    assert statements(report) == [
        ("Three Republicans", "Three Republicans", "the inquiry had been rushed and that they would vote against it"),
        ("Other Republicans", "Other Republicans", "the resolution as a partisan exercise"),
    ]
    assert len({a.source_id for a in report.attributions}) == 2


def test_a_role_noun_is_a_title_only_when_it_hangs_on_the_name(read):
    """"a sailor on the USS Boxer" gives the name no title: "the sailor who attended Monday's meeting" is the
    unnamed sailor, not a person called Boxer (whom the tagger reads as a person; checked below)."""
    report = read("z_role_not_title.txt")
    assert "PERSON" in {e.label_ for e in report_doc_ents(report, "Boxer")}
    sailor = [(src, name, content) for src, name, content in statements(report) if content.startswith("they were told")]
    assert sailor == [("The sailor who attended Monday's meeting", "The sailor who attended Monday's meeting",
                       "they were told that few testing kits were available")]
    source = next(s for s in report.sources if s.name == "The sailor who attended Monday's meeting")
    assert source.kind == "person" and source.named is False


def test_its_thing_is_named_through_the_body_and_an_apposed_name_names_the_source(read):
    """"its schedule page" is the page of the ship "its" points back to; "The port's founding charter, the Harbor
    Transit Act of 1921," is the law named in apposition, not the description before it."""
    report = read("z_owned_and_apposed.txt")
    assert statements(report) == [
        ("its schedule page", "Sea Lark's schedule page", "riders that “every trip will leave on time.”"),
        ("The port's founding charter, the Harbor Transit Act of 1921,", "the Harbor Transit Act",
         "that the ferry must run every day of the year"),
    ]
    assert {s.name: (s.kind, s.named) for s in report.sources} == {
        "Sea Lark's schedule page": ("document", True), "the Harbor Transit Act": ("document", True)}


def test_he_after_a_title_subject_is_the_titled_person_not_the_last_speaker(read):
    """"Yet the governor is not cutting his own office, and he has told every agency ...": "the governor" is the
    subject the "he" goes on with (Governor Tom Harlan), not State Senator Greg Olson, quoted last."""
    report = read("z_described_subject.txt")
    assert ("he", "Tom Harlan", "that it must trim its spending by a tenth") in statements(report)
    assert [name for src, name, _ in statements(report) if src == "State Senator Greg Olson"] == ["Greg Olson"] * 2


def test_quotations_inside_later_sentences_go_on_with_the_speaker_quoted(read):
    """A column's convention: after '"...," said the judge', quoted words inside the paragraph's later sentences
    ("Since the closures, however, “nothing has changed more ...”") are the judge's, even when the quote does not
    open its sentence; a quoted title ("“The Quiet War On Public Libraries”") is nobody's words."""
    report = read("z_quotes_in_prose.txt")
    judge = "the judge who wrote for the majority"
    assert [content for _, name, content in statements(report) if name == judge] == [
        "“The county cannot close a library to punish a neighborhood,”",
        "“nothing has changed more than the county’s explanation for them,”",
        "“read like a list of excuses written after the fact.”",
    ]
    assert not [a for a in report.attributions if "Quiet War" in a.content.text]


def test_a_blank_line_after_an_unpunctuated_line_ends_the_sentence(read):
    """A heading or a "READ: ..." link with no full stop does not run into the next paragraph's sentence (the parser
    ran "... the recovery" and "Simon Okoro-Blake, the owner ..., told the council" into one, and took the name for
    an apposition of "recovery"); a transcript's speaker label after it stays one phrase; a "READ:" line is
    boilerplate."""
    from sourcetrace.nlp import load_pipeline
    nlp = load_pipeline()
    report = read("z_heading_runs_on.txt")
    sentences = [s.text for s in nlp(report.text).sents]
    assert not [s for s in sentences if "\n\n" in s.strip()]
    assert "Simon Okoro-Blake, the owner of a bakery near the station, told the council that the curfew had already " \
           "cost him half of his evening trade.\n\n" in sentences
    labels = [s.text for s in nlp("Transcript: the morning panel on the storm\n\nGOVERNOR HALE: We are going to get "
                                  "through this.").sents]
    assert labels == ["Transcript: the morning panel on the storm\n\n", "GOVERNOR HALE: We are going to get through this."]
    assert ("boilerplate", "READ: The city is accusing shop owners of “sabotaging” the recovery") in kinds(report)
    assert statements(report) == [
        ("Simon Okoro-Blake, the owner of a bakery near the station,", "Simon Okoro-Blake",
         "that the curfew had already cost him half of his evening trade"),
        ("he", "Simon Okoro-Blake", "“We cannot survive another month of this,”"),
    ]


def test_a_stray_word_before_a_named_speaker_is_not_the_source(read):
    """The parse made "levies" (the clause before's last word) the subject, coordinated with the senator: the
    speaker is the person named after the comma, not a group called "levies"."""
    report = read("z_stray_subject.txt")
    assert statements(report)[-1] == (
        "levies, Sen. Dana Whitcomb (R-OR), who has been among the loudest voices in opposition to the new policy,",
        "Dana Whitcomb", "that she doubts whether Congress would have enough votes")
    assert not [s for s in report.sources if s.name == "levies"]


def test_she_in_a_turn_after_the_speakers_own_relative_is_that_relative(read):
    """"I talked with my daughter this morning. She says ...": in the mayor's own words "she" is the daughter, an
    unnamed person, not the host of the previous turn."""
    report = read("z_my_relative.txt")
    assert ("She", "my daughter", "the water is still rising near the school") in statements(report)
    daughter = next(s for s in report.sources if s.name == "my daughter")
    assert daughter.kind == "person" and daughter.named is False
    assert [m.text for m in daughter.mentions] == ["She"]


def test_a_person_the_article_names_only_by_a_given_name_is_not_named(read, analyzer):
    """"says Linda, a cashier ...": a lone given name (one the name lexicon knows, or one introduced with an
    indefinite apposition and never titled: "Darnell, one of the volunteers") is a person a reader cannot look up,
    named false; a surname the article gives with a first name elsewhere stays named, and so does a lone name the
    article titles ("Mr. Darnell" is a surname)."""
    report = read("z_first_name_only.txt")
    assert statements(report) == [
        ("Linda, a cashier at a grocery in Port Avery", "Linda", '"We have bread until Friday, and after that we will see,"'),
        ("Linda, a cashier at a grocery in Port Avery", "Linda", '"People are calm so far."'),
        ("Darnell, one of the volunteers unloading water at the church", "Darnell", '"It feels good to be useful,"'),
        ("The county's emergency manager, Gloria Okafor,", "Gloria Okafor", "the road would reopen by the weekend"),
        ("Okafor", "Gloria Okafor", "crews were already clearing the debris"),
    ]
    named = {s.name: s.named for s in report.sources}
    assert named == {"Linda": False, "Darnell": False, "Gloria Okafor": True}
    text = report.text.replace("says Darnell,", "says Mr. Darnell,")
    titled = analyzer.analyze(Article(text=text, id="z_first_name_only_titled"))
    assert {s.name: s.named for s in titled.sources}["Darnell"] is True


def test_a_speaker_the_parse_hung_elsewhere_is_still_the_subject(read):
    """A finite speech verb the parse left without a subject: the name before a comma-closed relative clause is the
    subject, though the parse took it into the phrase before ("with radio host Daniel Carver, Ortega, who ran the
    harbor office ..., identified") or ran a boilerplate line into the sentence and made that the subject
    ("Advertisement:" over "Gov. Ellen Marsh, whom ..., dismissed")."""
    report = read("z_misparsed_subject.txt")
    found = statements(report)
    assert ("Gov. Ellen Marsh", "Ellen Marsh", 'the rise as a "blip"') in found
    assert ("Ortega", "Ortega", "a number of problems since she left her post") in found


def _parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str], ents: list[str]):
    from spacy.tokens import Doc
    from sourcetrace.nlp import load_pipeline
    pos = {"VBD": "VERB", "VBN": "VERB", "VBZ": "VERB", "VBP": "AUX", "NNP": "PROPN", "RB": "ADV", "JJ": "ADJ",
           "IN": "ADP", "DT": "DET", "NN": "NOUN", ",": "PUNCT", "PRP": "PRON", "NNPS": "PROPN", "CC": "CCONJ"}
    return Doc(load_pipeline().vocab, words=words, heads=heads, deps=deps, tags=tags, pos=[pos[t] for t in tags],
               ents=ents)


def test_a_subject_the_parse_hung_on_the_auxiliary_or_an_adverb_is_the_speakers():
    """Two misparses seen on real pages, written as parses: the subject hung on the auxiliary ("Kline and Vale have
    all said", 'Kline' nsubj of 'have') and the name hung on the adverb before it as a bare noun modifier ("Now
    Ottawa, impatient ..., has said")."""
    from sourcetrace.extractors.sources.coreference import shared_subject
    doc = _parsed(["Sen.", "Ada", "Kline", "and", "Nina", "Vale", "have", "all", "said", "they", "agree"],
                  [2, 2, 6, 2, 5, 2, 8, 8, 8, 10, 8],
                  ["compound", "compound", "nsubj", "cc", "compound", "conj", "aux", "dep", "ROOT", "nsubj", "ccomp"],
                  ["NNP", "NNP", "NNP", "CC", "NNP", "NNP", "VBP", "RB", "VBN", "PRP", "VBP"],
                  ["O", "B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O"])
    assert [t.text for t in shared_subject(doc[8])] == ["Sen.", "Ada", "Kline", "and", "Nina", "Vale"]
    doc = _parsed(["Now", "Ottawa", ",", "impatient", ",", "has", "said", "it", "agrees"],
                  [6, 0, 6, 6, 6, 6, 6, 8, 6],
                  ["advmod", "npadvmod", "punct", "advcl", "punct", "aux", "ROOT", "nsubj", "ccomp"],
                  ["RB", "NNP", ",", "JJ", ",", "VBZ", "VBN", "PRP", "VBZ"],
                  ["O", "B-GPE", "O", "O", "O", "O", "O", "O", "O"])
    assert [t.text for t in shared_subject(doc[6])] == ["Ottawa"]
    # a subject of its own (not across a line) stays: "Ottawa has said" is no misparse to repair
    doc = _parsed(["Ottawa", "has", "said", "it", "agrees"], [2, 2, 2, 4, 2],
                  ["nsubj", "aux", "ROOT", "nsubj", "ccomp"], ["NNP", "VBZ", "VBN", "PRP", "VBZ"],
                  ["B-GPE", "O", "O", "O", "O"])
    assert shared_subject(doc[2]) is None


def test_a_surname_the_tagger_calls_a_product_is_the_person_named_before(read):
    """"Cole argues" with "Cole" tagged a product, in an article that named Miriam Cole: the surname is hers (named),
    not an unnamed person called "Cole"."""
    report = read("z_surname_tagged_product.txt")
    assert statements(report) == [
        ("Miriam Cole, the transit board's chief economist,", "Miriam Cole",
         "that a fare freeze would cost the system about $40 million a year"),
        ("Cole", "Miriam Cole", "that the loss could be made up by higher parking fees downtown"),
    ]
    assert [(s.name, s.kind, s.named, [m.text for m in s.mentions]) for s in report.sources] == [
        ("Miriam Cole", "person", True, ["Miriam Cole, the transit board's chief economist,", "Cole"])]


def test_a_said_coordinated_with_the_verb_before_shares_its_subject(read):
    """"He has praised the nurses, said he has no doubt ...": the parse made the first verb the complement of
    "said" and left "said" without a subject; the subject of the verb it is coordinated with is the speaker."""
    report = read("z_coordinated_said.txt")
    assert ("He", "Ray Tillman", "he has no doubt about the vaccine rollout and thanked the hospitals for their work") \
        in statements(report)


def test_line_kinds_in_one_match_equal_the_rows_in_order():
    """The line patterns matched as one alternation type every line as trying the rows one by one does (the first
    row that matches wins), on the lines of the structure test articles and the rows' own sample lines."""
    from sourcetrace.extractors import structure
    from sourcetrace.textspans import text_lines

    lexicons = english()
    rows = structure.line_patterns(lexicons)
    assert structure.line_kind_pattern(lexicons) is not None
    lines = [text[s:e] for path in sorted(DATA.glob("*.txt")) for text in [path.read_text(encoding="utf-8")]
             for s, e in text_lines(text)]
    lines += ["Enlarge this image toggle caption NPR", "Image copyright Reuters Image caption A crowd",
              "Advertisement", "Sign up for our newsletter", "Photo: AP"]
    kinds = [structure.line_kind(line, lexicons) for line in lines]
    assert kinds == [next((k for k, p in rows if p.match(line)), None) for line in lines]
    assert {"caption", "boilerplate"} <= set(kinds) and None in kinds


def test_parenthetical_speaker_inside_a_quote_speaks_the_clause_around_it(read):
    report = read("z_parenthetical_say.txt")
    said = statements(report)
    # "The group, critics say, is now ...": the critics' words are the clause the parenthetical interrupts, in two
    # pieces, and the quoted writer keeps the whole quotation as the outer layer
    assert said[1][:2] == ("he", "Charles Oliver")
    assert said[2:4] == [("critics", "critics", "The group"),
                         ("critics", "critics", "is now more committed to social goals than to defending free speech.")]
    assert report.attributions[2].parent == report.attributions[1].id
    # "X is reckless, residents complain" at a quotation's end: the clause before the parenthetical
    assert said[6] == ("residents", "residents", "The cuts are reckless")
    assert said[5][:2] == ("Mayor Dana Whitfield", "Dana Whitfield")
    # "a governor who aides say increasingly feels isolated": the aides' words are the relative clause past "say",
    # without the pronoun the parser hangs on it
    assert ("aides", "aides", "increasingly feels isolated") in said
    # "believe the new tax to be a mistake": the object and its infinitive are what the voters believe
    assert said[-1] == ("many voters", "many voters", "the new tax to be a mistake")


def test_speakers_named_inside_a_block_quote_are_records_of_their_own(read):
    report = read("z_nested_in_block.txt")
    said = statements(report)
    block = next(a for a in report.attributions if a.content.text.startswith("\"He knows"))
    assert (block.source.text, block.cue.text) == ("she", "thinks")
    inner = [a for a in report.attributions if a.parent == block.id]
    # "he believes that ...", "a school of thought that says ...": one record per layer, the block keeps its words
    assert [(a.source.text, a.cue.text, a.content.text) for a in inner] == [
        ("he", "believes", "he would win the vote easily"),
        ("a school of thought", "says", "a recall would only make him stronger")]
    assert ("he", "the mayor", "he would win the vote easily") in said


def test_speakers_named_inside_a_continuation_paragraph_are_records_of_their_own(read):
    report = read("z_nested_in_continuation.txt")
    said = statements(report)
    # the uncued paragraph goes on with Ruth Alvarez and keeps all its words; the speakers named inside speak too
    continued = next(a for a in report.attributions if a.content.text.startswith("\"There is"))
    assert continued.cue is None and said[report.attributions.index(continued)][1] == "Ruth Alvarez"
    inner = [a for a in report.attributions if a.parent == continued.id]
    assert [(a.source.text, a.cue.text, a.content.text) for a in inner] == [
        ("a school of thought", "says", "a recall would only make him stronger"),
        ("County Clerk Omar Haddad", "warned", "the ballots cannot be printed before March")]
    assert ("County Clerk Omar Haddad", "Omar Haddad", "the ballots cannot be printed before March") in said


def test_title_abbreviations_spacy_does_not_know_stay_one_token(read):
    """"Sgt." and "Capt." are one token, as "Sen." is: the tokenizer split the period off, the parser ended the
    sentence after "said Sgt.", and the quote went to a person called "Sgt"."""
    from sourcetrace.nlp import load_pipeline
    nlp = load_pipeline()
    assert [t.text for t in nlp.tokenizer("said Sgt. Lena Markovic and Capt. Ridley")][1:5] == [
        "Sgt.", "Lena", "Markovic", "and"]
    assert statements(read("z_title_abbreviations.txt")) == [
        ("Sgt. Lena Markovic, a spokeswoman for the sheriff’s office", "Lena Markovic",
         "“We have never had to do this before,”"),
        ("she", "Lena Markovic", "“It is the safest choice we have,”"),
        ("Capt. Owen Ridley, who runs the jail,", "Owen Ridley",
         "that the motel would be guarded around the clock"),
    ]


def test_the_articles_own_outlet_is_its_own_voice(analyzer):
    """An outlet citing its own reporting speaks in its own voice: in The Harbor Ledger's article "The Harbor Ledger
    reported" is no source, while the AP's report is; the same text as the AP's article
    keeps the Ledger as a source and drops the AP's own report."""
    text = (DATA / "z_own_outlet.txt").read_text(encoding="utf-8")
    own = statements(analyzer.analyze(Article(text=text, id="own", outlet="The Harbor Ledger (Online News)")))
    assert [name for _, name, _ in own] == ["two county officials", "The Associated Press", "Dana Whitfield"]
    other = statements(analyzer.analyze(Article(text=text, id="other", outlet="The Associated Press")))
    assert [name for _, name, _ in other] == [
        "Harbor Ledger", "two county officials", "Dana Whitfield"]


def test_a_caption_ending_in_its_wire_credit_and_a_dated_correction_are_never_statements(read):
    """"A dock worker shows the new fare cards ... (Dana Field/Reuters)": a wire photo's caption, its credit at the end;
    "CORRECTION (March 5, 2020, 9:10 a.m.): An earlier version ... stated that ...": the outlet's note."""
    report = read("z_caption_credit_and_dated_correction.txt")
    assert ("caption", "A dock worker shows the new fare cards at the ferry terminal in Port Ellis, Maine, March 3, "
                       "2020. (Dana Field/Reuters)") in kinds(report)
    assert any(kind == "boilerplate" and text.startswith("CORRECTION (March 5") for kind, text in kinds(report))
    assert statements(report) == [("board chair Ruth Alden", "Ruth Alden",
                                   "“We need another month to hear from riders,”")]


def test_a_caption_with_its_wire_credit_after_the_date_unbracketed_is_a_caption(read):
    """"... Maine, March 3, 2020. REUTERS/Dana Field", "... in the rain. Lee Marsh | AFP | Getty Images": a wire photo's
    caption with its credit after the date's sentence, no brackets; never a statement."""
    report = read("z_caption_unbracketed_credit.txt")
    captions = [text for kind, text in kinds(report) if kind == "caption"]
    assert [c[-24:] for c in captions] == ["2020. REUTERS/Dana Field", "Lee Marsh | AFP | Getty Images"[-24:]]
    assert statements(report) == [("board chair Ruth Alden", "Ruth Alden", "“Riders will save twenty minutes a day,”")]


def test_lines_in_capitals_are_heads_not_turns_and_a_follow_line_is_boilerplate(read):
    """"FLASHBACK: ALDEN SAYS ...", "ISLAND VOICES: THE FERRY BOARD ...", "‘A FAIR PRICE’": lines all in capitals are
    section heads and related stories' headlines, never transcript turns (which had read the paragraphs after them as
    the "speaker's") nor quotations going on; "Follow Dana Field on Twitter @danafield" is the writer's sign-off."""
    report = read("z_capitals_heads.txt")
    kinds_of = dict((text, kind) for kind, text in kinds(report))
    assert kinds_of["FLASHBACK: ALDEN SAYS FERRY FARES WILL DOUBLE BY SUMMER"] == "heading"
    assert kinds_of["ISLAND VOICES: THE FERRY BOARD HAS LOST ITS WAY"] == "heading"
    assert kinds_of["‘A FAIR PRICE’"] == "heading"
    assert kinds_of["Follow Dana Field on Twitter @danafield"] == "boilerplate"
    assert statements(report) == [
        ("board chair Ruth Alden", "Ruth Alden", "“We need another month to hear from riders,”"),
        ("Several", "Several", "the old fares were already too high"),
        ("Alden", "Ruth Alden", "“Nobody on this board wants to price out the islanders,”")]


def test_a_speakers_turn_in_capitals_stays_a_turn_in_a_transcript():
    """"PAUL GLASTRIS: OK—" in a transcript whose speakers talk in mixed case is that speaker's turn, not a heading."""
    text = ("AMY GOODMAN: Welcome back to the show.\n\nPAUL GLASTRIS: OK—\n\nAMY GOODMAN: Tell us more.\n\n"
            "PAUL GLASTRIS: Well, the magazine ran it.\n")
    assert [r.kind for r in article_regions(text, lexicons=english())] == ["transcript_turn"] * 4


def test_interrupted_and_closing_cues_give_every_piece(read):
    report = read("z_interrupted_pieces.txt")
    said = statements(report)
    # a participle shares its clause's subject: "pushed back on Tuesday, saying ..."
    assert said[0] == ("The harbor master", "The harbor master",
                       "the council had ignored “every warning about the old pier.”")
    # a quotation that closes with its own "people close to the mayor said" is their statement, and the quotation is
    # the Gazette's, which the line introduces with a colon: one record per layer
    assert said[1:3] == [
        ("the Gazette", "Gazette",
         '"The mayor and her deputies worry about whom on the board they can still rely on, people close to the mayor '
         'said."'),
        ("people close to the mayor", "people close to the mayor",
         "The mayor and her deputies worry about whom on the board they can still rely on")]
    assert report.attributions[2].parent == report.attributions[1].id
    # the quotation before the cue as well as the one after it
    assert [c for m, _, c in said if m == "Mayor Ellen Park"] == ["“Not this year,”", "“Maybe in 2026.”"]
    # a parenthetical cue: the piece before it starts after the dash; an "as" clause: both pieces around it
    assert [c for m, _, c in said if m == "treasurer Sam Odum"] == ["which is why", "the contract has to be rebid"]
    assert [(n, c) for m, n, c in said if m == "Nora Banks"] == [
        ("Nora Banks", "“Shipowner whining about a ferry tax,”"), ("Nora Banks", "mostly isn’t newsworthy")]
    # what someone might say is no statement
    assert not any("tide" in c for _, _, c in said)


def test_worries_fears_and_professions_are_cues(read):
    report = read("z_new_cues.txt")
    said = statements(report)
    assert said == [
        # "which many fear will ...": the fear is read from the relative clause it interrupts
        ("many", "many", "will spell an end to the island’s freedoms"),
        # the speaker is the verb's subject, not the "I" of the relative clause inside it
        ("Few analysts", "Few analysts", "that the tax will raise much money"),
        ("Shop owners", "Shop owners", "that tourists will stay away"),
        ("dock workers", "dock workers", "that the ferries will run half empty"),
        ("The council", "The council", "to have “no plan to raise the tax again.”")]
    assert report.attributions[1].cue.text == "argue"


def test_speakers_inside_a_whole_reported_quotation(read):
    report = read("z_nested_whole_quote.txt")
    said = statements(report)
    gazette = next(a for a in report.attributions if a.source is not None and a.source.text == "the Harbor Gazette")
    inner = [(s, n, c) for (s, n, c), a in zip(said, report.attributions) if a.parent == gazette.id]
    # every sentence of the reported quotation is read for its speakers, not only the one the tagger stopped at; a
    # description's apposed name is part of its mention
    assert inner == [
        ("Former Governor Ann Hale", "Ann Hale", "The council clearly deserves credit for the speed of the repairs"),
        ("The city’s former mayor, Tom Reyes,", "Tom Reyes", "I admire the courage of the council"),
        ("Mayor Lin Park", "Lin Park", "I want to personally thank the crews")]
    # "let me just say this": neither "me" nor "this" is a speaker or a statement of its own
    assert [m for m, _, c in said if "plainly" in c or c == "this"] == ["Reyes"]


def test_a_speech_noun_is_the_name_that_issued_it(read):
    report = read("z_named_report.txt")
    said = statements(report)
    # "a Harbor Gazette report that ...": a layer of its own inside the mayor's response, the Gazette's
    response = next(a for a in report.attributions if a.cue is not None and a.cue.text == "responded")
    inner = next(a for a in report.attributions if a.parent == response.id)
    assert (inner.source.text, inner.cue.text, inner.content.text) == (
        "Harbor Gazette", "report", "nearly a dozen dock workers on the night shift claim to have been underpaid")
    assert ("White House", "The White House", "that the grant would be delayed") in said


def test_studies_and_opinions_find_and_write(read):
    report = read("z_findings.txt")
    said = [(a.source.text if a.source else None, a.cue.text if a.cue else None, a.content.text)
            for a in report.attributions]
    # a study or survey finds a clause without "that" as well
    assert said[:2] == [("A 2021 study", "found", "masks cut transmission by half"),
                        ("The survey", "found", "most voters want change")]
    # an opinion, a concurring judge and the dissent, each with its words
    assert said[2:5] == [("The majority", "wrote", "that the law “cannot be read” that way"),
                         ("Judge Amy Ruiz", "wrote", "that the statute was “ripe for reinterpretation.”"),
                         ("The dissent", "argued", "that the ruling “rewrites the Act.”")]
    # "for the dissenting judge, “...” ... “...”": the quotations are the judge's; "For the first time" names no one
    assert said[5:7] == [("the dissenting judge", "for", "“reading the words as they were written”"),
                         ("the dissenting judge", "for", "“judicial updating”")]
    # a concession with "that"
    assert said[7] == ("Dr. Lena Cruz", "allowed", "that there could be limited cases of transmission")
    # a speech verb coordinated with a verb that takes a statement as its object ("acknowledged but dismissed the fact
    # that ...", "acknowledged, and clearly welcomed, the “...”"): the object is said (by either cue)
    assert [(m, c) for m, _, c in said[8:]] == [
        ("The panel", "the fact that the council had “repeatedly” delayed the vote"),
        ("The chair", "the “striking economic change” since 2019")]
    assert said[9][1] == "acknowledged"


def test_a_report_and_whom_it_cites_are_two_layers(read):
    report = read("z_cited_layers.txt")
    said = [(a.source.text, a.cue.text, a.content.text) for a in report.attributions]
    # "according to the Post, which cited three aides": the Post's record and the aides', with the same words
    assert said[:2] == [("the Post", "according to", "The mayor plans to resign next month"),
                        ("three aides", "cited", "The mayor plans to resign next month")]
    # "Reuters, citing a source ..., reported that ...": the citing participle before the report it hangs on
    assert sorted(said[2:]) == [("Reuters", "reported", "that the ferry deal was dead"),
                                ("a source close to the talks", "citing", "that the ferry deal was dead")]


def test_an_object_and_its_infinitive_are_what_is_perceived(read):
    report = read("z_object_infinitive.txt")
    said = statements(report)
    assert said[1] == ("many islanders", "many islanders",
                       "the growth of the summer population in the harbor towns to be helping the mainland")
    assert report.attributions[1].parent == report.attributions[0].id


def test_block_quote_after_reported_or_noted_colon(read):
    """"The Coastal Ledger reported in June, when ...:" and "Mira Salo noted in a letter to customers:" introduce the
    paragraph after them as a block quote, as "said:" does; each is its introducer's."""
    report = read("z_block_after_reported.txt")
    ledger = ("The judges, in a 5-2 decision, found that the board had no power to close the bakery's dock. The "
              "ruling sends the dispute back to the county.")
    letter = "We never stopped baking. We only stopped shipping by water, and that ends now."
    assert ("block_quote", f'"{ledger}"') in kinds(report) or ("block_quote", ledger) in kinds(report)
    said = statements(report)
    assert ("The Coastal Ledger", "The Coastal Ledger", f'"{ledger}"') in said
    assert ("Bakery owner Mira Salo", "Mira Salo", f'"{letter}"') in said
