"""Speaker resolution on articles written for these tests (tests/data/structure/z_*.txt): each asserts the exact
spans and resolved names of the live analysis for one structure whose speaker the fast tier used to get wrong."""
from __future__ import annotations

from conftest import statements

from sourcetrace.model import Article


def test_passive_hearsay_is_sourceless_and_a_reported_saying_is_also_the_subjects(read):
    """"X is said to have demanded ...": a sourceless report and X's demand (two records, as the guide counts a nested
    report); "Marches are expected to resume": sourceless, the marches say nothing."""
    said = statements(read("z_hearsay_passive.txt"))
    assert (None, None, "to have demanded a meeting with the governor") in said
    assert ("Union leader Dana Whitcombe", "Dana Whitcombe", "to have demanded a meeting with the governor") in said
    assert (None, None, "to resume on Friday") in said
    assert not any(mention == "Marches" for mention, _, _ in said)
    # a passive infinitive is no saying of the subject's: "is expected to be asked whether ..."
    asked = [s for s in said if s[2].startswith("to be asked")]
    assert asked and all(mention is None for mention, _, _ in asked)
    # nor a saying still to come: "is expected to announce ..."
    announced = [s for s in said if s[2].startswith("to announce")]
    assert announced and all(mention is None for mention, _, _ in announced)


def test_they_who_speak_are_not_the_policies_they_speak_of(read):
    """"The governor's health policies are cruel! She's closing too many clinics, they shouted": the plural subject
    before "they" is what was shouted about; "they" goes back to the people before it."""
    report = read("z_they_screamed.txt")
    said = statements(report)
    assert ("they", "the governor's critics", "She's closing too many clinics") in said
    shouted = next(s for s in report.sources if s.name == "the governor's critics")
    assert (shouted.kind, shouted.named) == ("group", False)


def test_a_speech_noun_that_speaks_is_the_speaker_and_one_that_is_made_is_its_makers(read):
    """"The NRA's complaint argues that ...": one statement, the complaint's (a document the article names), not a
    second reading with "complaint" as cue and the NRA as speaker; "the piece tries to create the impression that
    ...": the piece's statement."""
    report = read("z_speech_noun_speaker.txt")
    said = statements(report)
    law = "that the law is particularly unfair to hunters under the age of 21"
    assert [(m, n) for m, n, c in said if c == law] == [("The NRA’s complaint", "The NRA’s complaint")]
    assert ("the Channel 9 piece", "the Channel 9 piece",
            "that the governor is handing out permits like candy") in said
    piece = next(s for s in report.sources if s.name == "the Channel 9 piece")
    assert (piece.kind, piece.named) == ("document", True)


def test_every_layer_of_a_statement_speaks_each_of_its_pieces(read):
    """'"So there is another audit coming," Mayor Ruth Adeyemi says, according to a recording .... "Fine by me."': the
    recording's report reads both pieces; the mayor's saying, read on the first, is hers on the second too. The
    recording "obtained by the Ledger" is named with the outlet's full name, The Harbor Ledger."""
    said = statements(read("z_layers_on_pieces.txt"))
    recording = "a recording of that call obtained by the Ledger"
    assert ("Mayor Ruth Adeyemi", "Ruth Adeyemi", "“So there is another audit coming,”") in said
    # the outlet in the recording's name as the article named it in full
    assert (recording, "a recording of that call obtained by the Harbor Ledger", "“Fine by me.”") in said
    assert ("Mayor Ruth Adeyemi", "Ruth Adeyemi", "“Fine by me.”") in said
    assert len([s for s in said if s[2] == "“Fine by me.”"]) == 2


def test_a_reported_act_is_a_sourceless_report_first(read):
    """"Mr. Alder's reported use of a slur": the article has it from reports it does not name (read first, as for
    "reportedly"), besides what it says of Alder; "The Post reported" stays a verb with its speaker."""
    said = statements(read("z_hearsay_passive.txt"))
    use = "use of a slur to describe the strikers during a closed meeting"
    assert [(m, n) for m, n, c in said if c == use] == [(None, None), ("Mr. Alder’s", "Alder")]


def test_a_family_member_the_article_does_not_name_is_unnamed(read):
    """"his 24-year-old son, ... who recently confided to him that ...": the son is resolved through "who", and no
    reader could look him up by "his son"."""
    report = read("z_family_unnamed.txt")
    assert statements(report) == [("who", "his 24-year-old son", "that the new rules had made him rethink his career")]
    son = report.sources[0]
    assert (son.kind, son.named) == ("person", False)


def test_a_document_introduced_with_its_author_is_that_authors(read):
    """"a forthcoming memoir by former aide Paula Brandt" ... "it portrays" / "the memoir alleges": Paula Brandt's
    memoir (the fullest name the article gives), not "an early copy of the former aide's memoir"; "the budget
    director", whom the article never names, is not the one person it named once before."""
    report = read("z_authored_document.txt")
    said = statements(report)
    assert ("it", "Paula Brandt's memoir", "a mayor who rarely read his briefings") in said
    assert ("the memoir", "Paula Brandt's memoir",
            "that the budget director told colleagues the mayor had never opened the audit") in said
    memoir = next(s for s in report.sources if s.name == "Paula Brandt's memoir")
    assert (memoir.kind, memoir.named, [m.text for m in memoir.mentions]) == ("document", True, ["it", "the memoir"])
    assert ("the budget director", "the budget director", "the mayor had never opened the audit") in said


def test_a_name_the_tagger_missed_after_lower_case_titles_is_a_person_for_the_chain(read):
    """"former mayor Ana Ruiz said" (no entity tagged): the person is Ana Ruiz, "former mayor" her descriptor, and the
    "She" after her is hers, not the man quoted before."""
    report = read("z_untagged_titled_name.txt")
    said = statements(report)
    assert ("former mayor Ana Ruiz", "Ana Ruiz", "“We will fight it,”") in said
    assert ("She", "Ana Ruiz", "she had no regrets") in said
    ruiz = next(s for s in report.sources if s.name == "Ana Ruiz")
    assert (ruiz.kind, ruiz.named, ruiz.descriptor) == ("person", True, "former mayor")


def test_a_described_body_is_one_of_its_sort(read):
    """"The hospital said" is no government office named before it ("Harmon's office", the FDA): with no
    institution named before, it stays the description; "The network" is CNN, not the White House quoted between."""
    said = statements(read("z_described_body.txt"))
    assert ("The hospital", "The hospital", "that supplies were adequate") in said
    assert ("The agency", "Food and Drug Administration", "that it was monitoring the situation") in said
    assert ("The network", "CNN", "that two more states were affected") in said


def test_said_in_a_statement_read_on_its_noun_is_the_verbs_subjects(read):
    """"But Delgado's campaign said in a statement that ...", read with "statement" as its cue and no source (as the
    tagger does here), is the campaign's; and the pronouns around go to the person each paragraph is about."""
    said = statements(read("z_campaign_statement.txt"))
    assert ("Delgado's campaign", "Delgado's campaign", "that the district faced a $2 million shortfall") in said
    assert ("He", "Tom Fisher", "that attendance had doubled") in said
    assert ("she", "Maria Delgado", "“Meetings are not listening,”") in said
    assert ("She", "Karen Wu", "both candidates cared about students") in said
    assert ("She", "Lynn Park", "it would do so in March") in said


def test_a_description_named_in_apposition_takes_the_name_into_its_mention(read):
    """"The city's former mayor, Dana Cole, said, '...'" inside a quotation the Ledger is cited for: the nested
    speaker's mention takes in the name that follows it, and the speaker is Dana Cole (was "The city's former mayor")."""
    said = statements(read("z_apposed_name.txt"))
    assert ("The city’s former mayor, Dana Cole,", "Dana Cole", "I admire the courage of the council") in said


def test_a_quoted_question_or_exclamation_is_read_with_the_cue_after_it(read):
    """"“Can you really blame them ...?” Park said": the parser ended the sentence at "?”", and the question was no
    one's; the quotation and its cue are one sentence when a lower-case word or a short name and a speech verb
    follow the closing mark."""
    said = statements(read("z_quoted_question_cue.txt"))
    assert said[1:] == [
        ("Park", "Ellen Park", "“Can you really blame them for being angry?”"),
        ("Park", "Ellen Park", "“We promised this wall in 2019.”"),
        ("Tom Reyes, a retired ferry pilot", "Tom Reyes", "“Who pays when it fails?”"),
        ("the mayor", "Ellen Park", "“What a mess!”")]


def test_a_paragraph_after_one_ending_in_an_abbreviation_is_a_sentence_of_its_own(read):
    """"... opened in Port Alder, Md.¶Weekend riders ..., according to ...": the parser ran the abbreviation's period
    and the blank line into one sentence, and the first piece of the next paragraph's "according to" reading was lost
    (its source cut to "harbor researchers"); a blank line after a word ending in a period ends the sentence."""
    report = read("z_paragraph_after_abbreviation.txt")
    said = statements(report)
    assert ("harbor researchers Dana Whitcombe and Luis Ortega", "Dana Whitcombe and Luis Ortega",
            "Weekend riders from the city") in said
    assert not any(content.startswith("Dana Whitcombe") for _, _, content in said)


def test_a_quote_paragraph_after_a_reported_statement_goes_on_with_its_speaker(read):
    """"Board chair Nora Blake said the increase would pay for ...¶“We have run the same three boats ...”": an uncued
    quote paragraph after a paragraph that ends by reporting a person's words is that person's (newsroom convention),
    as it is after a quotation."""
    said = statements(read("z_quote_after_indirect.txt"))
    assert said == [
        ("Board chair Nora Blake", "Nora Blake", "the increase would pay for two new boats and a longer winter schedule"),
        (None, "Nora Blake", "“We have run the same three boats since 1998. Riders deserve better than that, and this is "
                             "the fairest way to do it.”")]


def test_a_common_noun_is_no_outlet_and_a_title_in_apposition_names_its_description(read):
    """"the economist said" is a person described, not the outlet The Economist (whose name is capitalised); she is
    the person the article gave that title in apposition ("Lena Okafor, the chief economist at Tidewater Bank")."""
    report = read("z_common_noun_outlet.txt")
    said = statements(report)
    assert ("the economist", "Lena Okafor", "Orders are already picking up") in said
    assert ("The Economist", "The Economist", "that ports along the coast were losing business to rail") in said
    outlet = next(s for s in report.sources if s.name == "The Economist")
    assert outlet.kind == "media" and [m.text for m in outlet.mentions] == ["The Economist"]


def test_names_after_a_plural_role_are_the_speakers(read):
    """"according to Harbor College sociologists Stacie Morrow and Dana Whitfield, ...": the names are who speak (the
    mention takes them in when it stopped at the role), the role only describes them; so for a subject
    "Economists Ana Ruiz and Lee Park said"."""
    report = read("z_role_then_names.txt")
    said = statements(report)
    assert ("Harbor College sociologists Stacie Morrow and Dana Whitfield", "Stacie Morrow and Dana Whitfield",
            "make up a growing share of the buyers") in said
    assert ("Economists Ana Ruiz and Lee Park", "Ana Ruiz and Lee Park", "the boom would fade by next spring") in said
    pair = next(s for s in report.sources if s.name == "Ana Ruiz and Lee Park")
    assert (pair.kind, pair.named, pair.descriptor) == ("group", True, "Economists")
    assert ("a county housing survey", "a county housing survey",
            "Most newcomers to the valley settle within a few miles of relatives") in said


def test_both_candidates_are_the_two_people_just_quoted(read):
    """"Both candidates stressed that ..." after quotes of Maria Lopez and Tom Becker: one named group, the two in the
    order the article names them, the description kept as its descriptor."""
    report = read("z_both_candidates.txt")
    said = statements(report)
    assert ("Both candidates", "Maria Lopez and Tom Becker", "that the city budget must be balanced by June") in said
    pair = next(s for s in report.sources if s.name == "Maria Lopez and Tom Becker")
    assert (pair.kind, pair.named, pair.descriptor) == ("group", True, "Both candidates")
    assert ("Becker", "Tom Becker", "“Every neighborhood deserves a clinic within walking distance,”") in said


def test_the_judge_is_the_one_just_criticized_not_an_earlier_one(read):
    """"Mr. Venn also criticized U.S. District Judge Omar Whitfield, who ... The judge fired back": the judge the
    reported words open with is the one spoken of, whom "the judge" goes on to describe; not Judge Carla Mendez,
    named before."""
    said = statements(read("z_judge_spoken_of.txt"))
    assert ("The judge", "Omar Whitfield", "the governor did not understand the law") in said
    assert ("Mr. Venn", "Harold Venn",
            "U.S. District Judge Omar Whitfield, who last year called the toll plan “reckless.”") in said


def test_a_description_is_the_thing_just_introduced_with_its_noun(read):
    """"A survey of riders ... The survey found that ...": the survey introduced in between, not the study named
    before it ("The study also found" still is the study)."""
    said = statements(read("z_survey_introduced.txt"))
    assert ("The study", "A 2021 study by Harbor College", "that fares rose") in said
    assert ("The survey", "The survey", "that most riders want later trains") in said


def test_a_lede_description_is_the_person_named_further_down_under_a_title_sharing_its_word(read):
    """"the city's top transport official warned ..." in the lede, "Transport Commissioner Maria Lopez said ..."
    two paragraphs down: one source, Maria Lopez; the unnamed "A union spokesman" after her stays unnamed."""
    report = read("z_lede_named_later.txt")
    said = statements(report)
    assert ("the city's top transport official", "Maria Lopez", "that the ferries would stop running by Friday") in said
    lopez = next(s for s in report.sources if s.name == "Maria Lopez")
    assert [m.text for m in lopez.mentions] == ["the city's top transport official", "Transport Commissioner Maria Lopez"]
    assert ("A union spokesman, who asked not to be named,", "A union spokesman",
            "the crews would stay out until their pay was restored") in said


def test_one_judge_is_the_judge_the_article_later_quotes_saying_the_same_words(read):
    """"one judge who called his toll plan “reckless”" in the lede, "Circuit Judge Omar Whitfield told ... a plan “so
    reckless.”" further down: the same quoted word from a judge, so the same person."""
    report = read("z_one_judge_quoted_again.txt")
    said = statements(report)
    assert ("one judge", "Omar Whitfield", "his toll plan “reckless,”") in said
    whitfield = next(s for s in report.sources if s.name == "Omar Whitfield")
    assert [m.text for m in whitfield.mentions] == ["one judge", "Circuit Judge Omar Whitfield"]


def test_a_role_named_by_a_media_word_is_the_person_not_the_press(read):
    """"the press secretary": the head noun says what the source is, the modifier only what it is about; it is the
    person given that title ("City Hall Press Secretary Dana Whitfield"), not a news medium called "the press"."""
    report = read("z_press_secretary.txt")
    said = statements(report)
    assert [(source, name) for source, name, _ in said] == [
        ("City Hall Press Secretary Dana Whitfield", "Dana Whitfield"), ("The press secretary", "Dana Whitfield")]
    assert {s.kind for s in report.sources} == {"person"}


def test_a_trailing_report_is_a_second_layer_of_the_words_it_reports(read):
    """"Firefighters said nine people were injured ..., the Valley Courier reported Sunday": two layers with the same
    words (the guide's one record per layer); the inner report ends at the comma. A trailing report with no inner one
    reports the clause before it; ", with 30 percent saying ..." and ", and others complained" are no trailing report."""
    said = statements(read("z_trailing_report.txt"))
    injured = "nine people were injured when a roof collapsed in Millbrook on Saturday"
    assert ("Firefighters", "Firefighters", injured) in said
    assert ("the Valley Courier", "Valley Courier", injured) in said
    shelters = "that two shelters would stay open through Tuesday"
    assert ("The county's emergency manager", "The county's emergency manager", shelters) in said
    assert ("a spokeswoman for the county", "a spokeswoman for the county", shelters) in said
    assert ("Harbor Electric", "Harbor Electric", "Power was restored to most homes by noon") in said
    assert ("Residents", "Residents", "the sirens sounded late") in said
    assert not any(mention == "others" and content.startswith("the sirens") for mention, _, content in said)
    assert ("30 percent", "30 percent", "it did poorly") in said
    assert not any(mention and "30 percent" in mention and "handled" in content for mention, _, content in said)


def test_the_two_named_together_just_before_are_the_two(read):
    """"Ald. Marta Quintero (12th) and Ald. Devon Pryce (14th) handed out cards ... The two aldermen said": the pair
    named together in the sentence before, by their full names; two of a list of three are not "the two"."""
    report = read("z_two_named_together.txt")
    said = statements(report)
    assert ("The two aldermen", "Marta Quintero and Devon Pryce",
            "they fear the neighborhood could be targeted") in said
    heard = [s for s in said if s[2] == "they had heard nothing"]
    assert heard and all(name == "The two shopkeepers" for _, name, _ in heard)

def test_first_names_give_the_gender_that_keeps_he_off_a_woman_named_in_a_relative_clause(read):
    """"Desmond Delgado, whom Rhonda Okafor hired ..., has come out against ... He told the council": the name
    lexicon knows "Rhonda" is a woman's name, so "He" is Delgado, and her later "she said" is still Okafor (a wrong
    "he" would have taught the chain that Okafor is a man)."""
    said = statements(read("z_gendered_first_names.txt"))
    assert ("He", "Desmond Delgado", "that the fees would close small kitchens across the district") in said
    assert ("she", "Rhonda Okafor", "“We pay twice for the same inspection,”") in said
    assert ("He", "Karl Hendricks", "the money would pay for two more inspectors") in said


def test_he_after_an_unnamed_speaker_introduced_as_a_port_official_is_that_official(read):
    """"a port official said ... “...,” he said": someone new, whom the mayor named before cannot be; the "he" is
    the official, unnamed, not Mayor Paul Brandt."""
    report = read("z_unnamed_speaker_then_he.txt")
    said = statements(report)
    assert ("The mayor", "Paul Brandt", "the city could not cover the full cost this year") in said
    assert ("a port official", "a port official",
            "the talks had stalled over the second phase of the work") in said
    assert ("he", "a port official", "“Nobody wants to sign a blank cheque,”") in said
    official = next(s for s in report.sources if s.name == "a port official")
    assert not official.named and [m.text for m in official.mentions] == ["a port official", "he"]


def test_a_he_inside_someones_partly_quoted_words_is_that_speaker_in_reported_speech(read):
    """"Carvalho warns ... that Governor Frank Ostrowski has never pledged to abandon what he calls his “treasured
    lifeline”": the "he" is outside the quotation marks of the governor's reported words, so it is the governor
    (indirect speech keeps the third person), not the hydrologist whose words hold his."""
    said = statements(read("z_pronoun_in_partly_quoted_words.txt"))
    calls = [(source, name) for source, name, content in said if source == "he"]
    assert calls == [("he", "Frank Ostrowski")]


def test_a_name_that_only_modifies_a_noun_is_not_the_he_of_its_sentence(read):
    """"Senator Mark Ellery, a longtime Halvorsen ally, told ... that he does not believe ...": "Halvorsen" only says
    whose ally; the "he" is the senator, the speaker of the sentence, not Governor Erik Halvorsen."""
    said = statements(read("z_pronoun_after_a_name_modifying_a_noun.txt"))
    assert ("he", "Mark Ellery", "the permit is lawful") in said


def test_a_pronoun_in_a_relative_clause_does_not_carry_the_speaker_chain(read):
    """"..., drawing on Governor Tom Ridley's 1968 address ..., in which he promised ...": the "he" there is
    Ridley, but he is mentioned aside; the next "He said" and "he said" go on with the mayor quoted."""
    said = statements(read("z_pronoun_in_a_relative_clause.txt"))
    assert ("he", "Tom Ridley", "the bridge would join two towns") in said
    assert ("He", "Dana Kessler", "the city would spend more on repairs next year") in said
    assert ("he", "Dana Kessler", "“Nobody should wait an hour to cross the river,”") in said


def test_the_person_a_speaker_works_for_is_not_the_subject_the_next_he_continues(read):
    """"said Amos Kettering, a former spokesman for Senator Roy Hallam. He added ...": the senator is whom the speaker
    worked for, named inside his description; the "He" goes on with Kettering."""
    said = statements(read("z_speaker_who_works_for_someone.txt"))
    assert ("He", "Amos Kettering", "that the visit would be announced next week") in said


def test_a_government_unit_described_by_its_field_is_not_another_body(read):
    """"the weather service" after the White House: the noun before a unit's head names the unit, so it is not the
    last body named; "the federal agency" (an adjective) is still the agency just named."""
    said = statements(read("z_unit_described.txt"))
    assert ("the weather service", "the weather service", "Heavy rain will continue through Friday") in said
    assert ("The federal agency", "Environmental Protection Agency",
            "wells near the river should be tested") in said

def test_capitalised_names_inside_sentences_are_those_a_walk_over_every_token_finds():
    """``mid_sentence_names`` picks its candidates from the token columns; the names are those asking every token
    finds: not a word only seen opening a sentence or a quotation, nor one after a line break."""
    from sourcetrace.extractors.speakers import mid_sentence_names
    from sourcetrace.nlp import load_pipeline

    nlp = load_pipeline()
    doc = nlp("Criticism came fast. Officials said Marta Ruiz would answer.\n\nRuiz declined. "
              "“Ortega knows,” said a friend of Ortega.")
    walked = frozenset(t.lower_ for t in doc if t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_sent_start
                       and t.i > 0 and not doc[t.i - 1].is_quote and doc[t.i - 1].text not in {"\n", "\n\n"}
                       and not doc[t.i - 1].is_space)
    assert mid_sentence_names(doc) == walked
    assert {"marta", "ruiz", "ortega"} <= walked and "criticism" not in walked


def test_a_cues_head_and_a_writers_question_read_from_the_heads():
    """The cue's syntactic head (read from the heads column) and the writer's own question (the sentence's last words
    looked at first) are what the tokens say."""
    from sourcetrace.extractors.attributions.fast import is_writers_question
    from sourcetrace.extractors.attributions.syntax import cue_head_token
    from sourcetrace.nlp import load_pipeline

    nlp = load_pipeline()
    doc = nlp("Can you really blame the voters who said they were tired? The mayor has said the bridge is safe.")
    said = [t.i for t in doc if t.lower_ == "said"]
    has = next(t.i for t in doc if t.lower_ == "has")
    assert cue_head_token(doc, (has, said[1] + 1)) == said[1]  # "has said": the verb, not its auxiliary
    assert doc[said[1]].head.i == said[1] and doc[has].head.i == said[1]  # the root: its own head
    assert is_writers_question(doc, (said[0], said[0] + 1))
    assert not is_writers_question(doc, (has, said[1] + 1))
    quoted = nlp("“Can you really blame the voters who said they were tired?” she asked.")
    said = next(t.i for t in quoted if t.lower_ == "said")
    assert not is_writers_question(quoted, (said, said + 1))  # a question quoted is someone's


def test_a_fact_checks_own_paragraphs_after_quoted_turns_are_the_outlets(read):
    """A fact check quotes each claim after a speaker label ("HALE: ...") and answers it in its own voice: "THE
    FACTS: ..." and a paragraph that names the claimant in the third person ("Odom is leaving out ...") are the
    outlet's, not more of the claimant's turn."""
    said = statements(read("z_fact_check_turns.txt"))
    contents = [c for _, _, c in said]
    assert any("cut the state's debt in half" in c for c in contents)
    assert any("Every school in this state" in c for c in contents)
    assert any("never been healthier" in c for c in contents)
    assert not any(c.startswith("THE FACTS") or "has not been cut in half" in c or "third of rural districts" in c
                   or "leaving out" in c for c in contents)


def test_a_turn_under_a_long_titled_label_is_one_statement_of_its_speaker(read):
    """"PUBLIC WORKS MINISTER TOMAS REIS: ..." (five words in capitals) is a turn like any other: the whole line is
    the minister's statement, and the "I" in it is his, not the writer's."""
    report = read("z_long_titled_label.txt")
    said = statements(report)
    turn = ("Obviously, the vote did not go the way we hoped. And I know it has left some of you uncertain. I will not "
            "stand here and guess at what the new council will do.")
    assert [(m, n) for m, n, c in said if c == turn] == [("PUBLIC WORKS MINISTER TOMAS REIS", "Tomas Reis")]
    assert not any(s.name in ("the author", "the authors") for s in report.sources)


def test_myth_and_fact_rubrics_are_no_speakers(read):
    """"MYTH: ..." / "FACT: ..." take turns like a transcript, but both rubrics are the outlet's own voice: no source
    called MYTH or FACT, and the statements inside the answers keep their own speakers."""
    report = read("z_myth_fact.txt")
    assert not any(s.name.upper() in ("MYTH", "FACT") for s in report.sources)
    said = statements(report)
    assert ("The county", "The county", "the work will take about nine months, weather permitting") in said
    assert any(name and "transport agency" in name for _, name, _ in said)


def test_a_claim_introduced_by_a_name_and_its_topic_is_the_names(read):
    """"GOV. HALE on the school budget: "..."": the source mention is the name, not the topic after it, and it
    resolves to the governor the article names in full."""
    said = statements(read("z_label_on_topic.txt"))
    assert ("GOV. HALE", "Ellen Hale", "\"Every school in this state now has a full-time nurse.\"") in said


def test_a_name_on_a_sign_is_no_fuller_name_for_the_person(read):
    """"signs that said “Recall Delgado”": the sign's words are no name the article gives the governor, so her quote
    goes to Maria Delgado, not to "Recall Delgado"."""
    said = statements(read("z_name_on_a_sign.txt"))
    assert ("Delgado", "Maria Delgado", "“This plan is about the next fifty years, not the next election,”") in said


def test_the_writers_own_participle_takes_no_source(read):
    """"I criticized ... while describing ...": the participle shares the writer's "I" as its subject; the writer's
    own voice is no source, so no reading goes to "the author"; the moderator's statement stays hers."""
    report = read("z_writer_participle.txt")
    assert not any(s.name in ("the author", "the authors") for s in report.sources)
    assert ("The moderator, Jennifer Walsh,", "Jennifer Walsh",
            "the audience had heard that complaint before") in statements(report)
def test_a_studys_or_filings_relative_clause_and_a_gerund_after_for_say_what_they_say(read):
    """"co-author of a recent study that estimated ...", "filed a lawsuit that alleges ...": the document named before
    "that" states the clause (also where the parser takes "that estimated" for a marker and an adjective); "drew
    criticism for saying ...": the subject said it; "praised Okafor for arguing that ...": the praised one did; "A
    second survey found similar results": the survey's finding."""
    said = statements(read("z_study_relative_and_for_gerund.txt"))
    assert ("a recent study", "a recent study", "the cold could send 900 residents to hospital") in said
    assert ("a lawsuit", "a lawsuit", "the shelters turned away families") in said
    assert ("The county manager", "The county manager", "the shelters had plenty of room") in said
    assert ("Okafor", "Marisol Okafor", "that the county should open its libraries at night") in said
    assert not any(mention == "Advocates" and content == "that the county should open its libraries at night"
                   for mention, _, content in said)
    # what a survey shows or finds is its finding, with a clause the parser reads as a bare object or with none
    assert ("A county survey released in March", "A county survey released in March",
            "40 percent of shelter beds sat empty") in said
    assert ("A second survey", "A second survey", "similar results") in said
    # "pointed to polls that show ...": the polls' finding inside the officials' reading; "surveys that do not note
    # that ...": the writer's point, no one's statement
    assert ("polls", "polls", "most residents would pay more for shelters") in said
    assert not any(content.startswith("that many families") for _, _, content in said)
def test_a_relative_brought_in_by_kinship_does_not_take_the_surname(read):
    """"Governor Alvarez ... Alvarez said", then "His wife, Carmen Alvarez, attended": the surname alone stays the
    governor's (it went to the longest full name, the wife's, and her gender kept every later "he" from him)."""
    said = statements(read("z_relative_shares_surname.txt"))
    assert ("Alvarez", "Alvarez", "the plan would protect schools and hospitals") in said
    assert ("He", "Alvarez", "that the deal was not perfect") in said
    assert ("Alvarez", "Alvarez", "he would travel the state next week to explain the budget") in said
    assert not any(name == "Carmen Alvarez" for _, name, _ in said)


def test_a_name_modifying_a_noun_is_not_the_he_of_its_sentence(read):
    """"In a pointed attack on the Brennan administration, he promised ...": the "he" is the candidate the story is
    about, not the mayor whose name only modifies "administration"."""
    said = statements(read("z_name_modifying_noun.txt"))
    assert ("he", "Daniel Okafor", "to fix the city's roads within two years") in said
    assert ("he", "Daniel Okafor", '"We have waited long enough,"') in said


def test_a_name_after_a_preposition_is_not_the_he_of_its_sentence(read):
    """"Mark Olsen, who served in the army with Governor Tom Reyes, has faced questions since he said ...": the name
    after "with" is not whom the sentence is about; one after "by" (the agent), "to" or "about" may be."""
    said = statements(read("z_name_after_preposition.txt"))
    assert ("he", "Mark Olsen", "his unit had never been deployed overseas") in said
    # the agent after "by" still is: "remarks made by Governor Tom Reyes ..., in which he said"
    assert ("he", "Tom Reyes", "the army's records from that time were sealed") in said


def test_a_title_with_former_or_vice_is_another_role(read):
    """"The president said ..." after "President Mark Dunn" far back and, nearer, "Vice President Ana Lopez" and
    "Former President Ruth Okoro": the president, not the nearest person whose title holds the word."""
    said = statements(read("z_title_with_modifier.txt"))
    assert ("The president", "Mark Dunn", "the budget would protect pensions and schools") in said


def test_a_thing_described_is_not_the_person_mentioned_most(read):
    """"The dispute shows how divided the council has become": no person's description, so not the mayor the
    article mentions most."""
    said = statements(read("z_thing_described.txt"))
    assert ("The dispute", "The dispute", "how divided the council has become over the cost of the plan") in said
def test_an_act_done_to_a_thing_is_no_statement(read):
    """"Governor Alma Pruitt signed [legislation ...]", "released [dozens of people]", "voted against [a measure]",
    "has pumped [millions] into", "ordered [a review]": the object of an act verb is an event, not something said (the
    guide's "X signed the bill"); "denied the allegations", "called Pruitt "a reckless spender"", "accused her of ...",
    "confirmed the report", a statement released with its words and "according to" stay."""
    said = statements(read("z_events_without_statement.txt"))
    assert said == [
        ("Marsh", "Owen Marsh", "the allegations"),
        ("He", "Owen Marsh", 'Pruitt "a reckless spender"'),
        ("He", "Owen Marsh", "her of ignoring the island towns"),
        ("The harbor master", "The harbor master", "the report"),
        ("The port authority", "The port authority", "the ferries would keep their summer timetable"),
        ("the port authority", "The port authority", "ferry traffic fell by a third last year"),
    ]


def test_an_act_objects_words_and_what_an_order_says_stay():
    """``is_act_object`` drops the thing an act is done to, but not an object that names words ("released [a
    statement]", "fired off [a series of tweets]"), a clause of saying inside the object ("filed a lawsuit [contending
    that ...]"), what an order says ("ordered [residents] to leave") nor a verb outside the acts ("praised [the
    decision]")."""
    from sourcetrace.extractors.attributions.fast import is_act_object
    from sourcetrace.nlp import load_pipeline

    nlp = load_pipeline()
    speech = {"say", "contend", "argue", "claim"}
    words = {"statement", "tweet", "report"}

    def dropped(sentence: str, cue_word: str, content: str) -> bool:
        doc = nlp(sentence)
        cue = next(t.i for t in doc if t.text == cue_word)
        start = sentence.index(content)
        first = next(t.i for t in doc if t.idx == start)
        last = next(t.i for t in doc if t.idx + len(t) == start + len(content))
        return is_act_object(doc, (cue, cue + 1), (first, last + 1), speech, words)

    assert dropped("The mayor signed the bill on Monday.", "signed", "the bill on Monday")
    assert dropped("Three senators voted against the measure.", "voted", "the measure")
    assert dropped("The jail released hundreds of inmates.", "released", "hundreds of inmates")
    assert not dropped("The agency released a statement on Monday.", "released", "a statement on Monday")
    assert not dropped("The president fired off a series of tweets.", "fired", "a series of tweets")
    assert not dropped("The group filed a lawsuit contending that the law is void.", "filed",
                       "a lawsuit contending that the law is void")
    assert not dropped("The governor ordered residents to leave the coast.", "ordered", "residents")
    assert not dropped("Republicans praised the decision.", "praised", "the decision")


def test_the_writer_quoting_their_own_column_is_no_block_quote(read):
    """"In a column last spring, I wrote:" and the paragraph after it is the writer quoting themself: the outlet's own
    voice, no statement of "the author"; the mayor's block quote after "Walsh said:" stays hers."""
    report = read("z_writer_block_quote.txt")
    said = statements(report)
    assert not any(s.name in ("the author", "the authors") for s in report.sources)
    assert not any("slow leak" in c for _, _, c in said)
    assert ("Walsh", "Jennifer Walsh",
            "We will fix the fund this year, and we will not raise the sales tax to do it.") in said


def test_a_held_belief_is_the_holders_position_and_a_guess_is_not(read):
    """"She believes we need ..." (no "that") is Rosa Ibarra's position; a belief in a condition ("If the board
    thought ...") or the writer's guess about others ("may have thought ...") is no one's statement."""
    said = statements(read("z_held_belief.txt"))
    assert ("She", "Rosa Ibarra", "we need a second sorting plant before the landfill fills up") in said
    assert not any(c.startswith("the plant would pay") or c.startswith("the program was ending") for _, _, c in said)
def test_the_president_is_not_another_countrys_and_the_senator_is_the_unnamed_one(read):
    """"the president" after "Chilean President Mateo Ibarra" is the president titled without a country; "the
    senator" after "One Republican senator said" is that unnamed senator, not the article's most-mentioned person
    (the commerce secretary) nor the senator titled before."""
    said = statements(read("z_unnamed_and_foreign_titles.txt"))
    assert ("the president", "Dana Whitfield", '"I have no doubt the talks will go well,"') in said
    assert ("Ibarra", "Mateo Ibarra", "his government would answer any new duty with one of its own") in said
    assert ("Sen. Alma Ruiz, a Democrat from Arizona,", "Alma Ruiz", "the duties a tax on families") in said
    assert ("One Republican senator", "One Republican senator",
            "the caucus had not been told about the plan before it was announced") in said
    assert ("the senator", "the senator", '"Nobody called us,"') in said


def test_an_office_title_is_not_the_leading_person_who_holds_another(read):
    """"The president" is not the article's most-mentioned person when she is titled "Speaker" and never
    "President": the description stays unresolved."""
    said = statements(read("z_leader_with_another_title.txt"))
    assert said == [
        ("Moss", "Lena Moss", "the plan would pass the House by Friday"),
        ("Moss", "Lena Moss", "that her caucus would not accept new taxes"),
        ("The president", "The president", "that he would veto any plan that cuts school lunches"),
    ]


def test_a_courtesy_title_is_no_other_office_of_the_leading_person(read):
    """"Mr. Hale", the only person the article names, is still "the president": "Mr." holds no office."""
    said = statements(read("z_courtesy_title_leader.txt"))
    assert said == [
        ("the president", "Hale", '"They keep me indoors all the time,"'),
        ("the president", "Hale", "to the volunteers"),
    ]


def test_the_prime_minister_is_not_a_minister_of_another_post():
    """"the prime minister" goes back past "Justice Minister Owen Pike" to "Prime Minister Ruth Calder"."""
    from sourcetrace.extractors.sources import MentionResolver
    from sourcetrace.languages import lexicons_for
    from sourcetrace.nlp import load_pipeline
    from sourcetrace.pipeline import AnalysisOptions

    doc = load_pipeline()("Prime Minister Ruth Calder met union leaders on Monday. Justice Minister Owen Pike said the "
                          "courts were ready. The prime minister said a deal was close.")
    resolver = MentionResolver(doc, lexicons_for(AnalysisOptions()))
    head = [t for t in doc if t.lower_ == "minister"][-1]
    assert resolver.coreference.role_antecedent(head) == "Ruth Calder"
def test_a_label_with_a_role_is_a_turn_and_a_surname_label_is_the_full_labels_person(read):
    """NPR's layout: "DANA WHITLOCK, HOST:" alone on its line heads the paragraph after it, "OMAR FELD, BYLINE: ..."
    is a turn with the role left out of the source; the later "WHITLOCK:" / "FELD:" are the people the longer labels
    name, in normal case; the transcript's notice of itself ("NPR transcripts are created on a rush deadline ...") is
    no one's turn."""
    report = read("z_role_labels.txt")
    said = statements(report)
    host = "It took all night, but the council finally passed the harbour bill. Our council correspondent joins us now. Hey, Omar."
    assert ("DANA WHITLOCK", "Dana Whitlock", host) in said
    assert ("OMAR FELD", "Omar Feld", "Good morning.") in said
    assert ("WHITLOCK", "Dana Whitlock", "So what happened last night? Did anyone see this coming?") in said
    assert ("FELD", "Omar Feld", "Thank you.") in said
    assert (None, "Omar Feld", "I think the mayor will claim a win, though her own party is split on the bill.") in said
    assert not any("rush deadline" in c for _, _, c in said)
    whitlock = next(s for s in report.sources if s.name == "Dana Whitlock")
    assert (whitlock.kind, whitlock.named) == ("person", True)


def test_capital_labels_are_people_named_in_normal_case_without_their_titles(read):
    """"ELIJAH BRANDT:" then "BRANDT:" is Elijah Brandt; "GOVERNOR HALE:" is the Marta Hale the article names;
    "TRANSPORT MINISTER PAUL OKAFOR:" and "SEC. DUVALL:" are Paul Okafor and Duvall: people, named, without the
    title, in normal case. "This is a rush transcript." is no turn's words."""
    report = read("z_capital_labels.txt")
    said = statements(report)
    assert ("ELIJAH BRANDT", "Elijah Brandt",
            "Thank you for having me. We are asking for what we were promised three years ago, nothing more than that.") in said
    assert ("BRANDT", "Elijah Brandt", "They offered a bonus and no change to the shifts. That is not an offer, that is an "
            "insult to every family on this dock.") in said
    assert ("GOVERNOR HALE", "Marta Hale", "The state will not send anyone to break this strike. I have told both sides "
            "to come back to the table.") in said
    assert ("TRANSPORT MINISTER PAUL OKAFOR", "Paul Okafor", "We have made our position clear to both sides.") in said
    assert ("SEC. DUVALL", "Duvall", "The department is watching the talks closely.") in said
    assert not any("rush transcript" in c for _, _, c in said)
    for name in ("Elijah Brandt", "Paul Okafor", "Duvall"):
        source = next(s for s in report.sources if s.name == name)
        assert (source.kind, source.named) == ("person", True)


def test_an_interview_labelled_in_normal_case_takes_turns_and_an_i_think_in_a_turn_is_the_turn(read):
    """"Lena Ortiz: ..." / "Victor Hale: ..." then "Ortiz:" / "Hale:": two speakers whose surnames the text writes
    after a given name, taking turns: every line is one turn of its speaker, short ones too ("Hale: The steel came
    late."); "I think ..." inside Hale's own turn is no second record of his."""
    report = read("z_named_interview.txt")
    said = statements(report)
    assert ("Victor Hale", "Victor Hale", "No. I think the autumn is more honest, and I would rather say so now.") in said
    assert ("Ortiz", "Lena Ortiz", "Why the delay?") in said
    assert ("Hale", "Victor Hale", "The steel came late.") in said
    assert ("Hale", "Victor Hale", "Unchanged, so far.") in said
    assert not any(m == "I" for m, _, _ in said)


def test_section_rubrics_in_capitals_are_no_speakers(read):
    """An explainer's rubrics take turns like a transcript ("ISSUE: ...", "PROTEST GROUP: ...", "WHAT THEY PLAN: ..."),
    but their words are the article's own, written in lower case elsewhere in it, and none names a person: no turn of
    theirs, and the statements inside keep their own speakers."""
    report = read("z_rubric_labels.txt")
    said = statements(report)
    assert not any(m in ("ISSUE", "PROTEST GROUP", "WHAT THEY PLAN") for m, _, _ in said)
    assert not any(s.name in ("ISSUE", "PROTEST GROUP", "WHAT THEY PLAN") for s in report.sources)
    assert ("Organizer Dana Fisk", "Dana Fisk", "the fees push small shops out of the centre") in said
def test_a_state_about_a_bare_pronoun_and_a_loose_expectation_are_no_statements(read):
    """"found out about [it on Friday]" (a state of knowing, ``is_state_about``), "several of them support [it]" (a
    content that is one pronoun, ``is_bare_pronoun``), "[Final approval of the fares] is widely expected" and "riders
    can be expected [to complain]" (``is_loose_expectation``): no statements; "plans [to raise ferry fares]" (PolNeAR
    annotates plans) and "has denied knowing about [the proposal]" (a verb of saying in the cue) stay; "talked about
    [the budget ...]" is a topic talked of (``is_talk_topic``), no statement."""
    said = statements(read("z_plans_and_pronouns.txt"))
    assert said == [
        ("The Lakeport council", "The Lakeport council", "to raise ferry fares next spring"),
        ("Councilwoman Irene Dahl", "Irene Dahl", "the increase would pay for two new boats"),
        ("Dock workers", "Dock workers", "the boats were badly needed"),
        ("Harbor master Leon Tran", "Leon Tran", "the proposal"),
    ]


def test_a_panel_label_with_a_place_in_brackets_is_a_turn(read):
    """"John Ash (Central High School, Murfreesboro, Tenn.): ...": the tokenizer makes one token of the bracket and the
    colon; the line is still the panellist's turn, and "Ash:" later is his again."""
    said = statements(read("z_panel_labels.txt"))
    assert ("John Ash", "John Ash", "We need books before we need tablets.") in said
    assert ("Mary Lee", "Mary Lee", "Smaller classes, and a nurse in every building.") in said
    assert ("Ash", "John Ash", "Also heat that works in January.") in said
    assert ("Lee", "Mary Lee", "And substitutes who stay longer than a week.") in said


def test_labels_in_accented_capitals_are_turns_named_in_normal_case(read):
    """"ÁLVARO NÚÑEZ: ..." / "JOSÉ DÍAZ: ..." then "NÚÑEZ:" / "DÍAZ:": labels in accented capitals take turns as
    plain ones do (one class of capitals for every label pattern), each named in normal case, and the first-name
    lists match "José" as "jose"."""
    said = statements(read("z_accented_labels.txt"))
    assert ("ÁLVARO NÚÑEZ", "Álvaro Núñez",
            "We were promised the bridge by March, and March came and went without it.") in said
    assert ("JOSÉ DÍAZ", "José Díaz",
            "The steel came late from the mill, and nobody at the county planned for that.") in said
    assert ("NÚÑEZ", "Álvaro Núñez", "That is the answer we hear every time the money runs short.") in said
    assert ("DÍAZ", "José Díaz", "The county has paid every invoice on time.") in said


def test_the_subject_of_a_passive_telling_heard_it_and_is_no_content(read):
    """"Residents were warned by the county that ...", "Ana Weller was told the building would reopen": the passive
    subject is the hearer; what was said is the clause, never the hearer's name."""
    said = statements(read("z_passive_hearer.txt"))
    assert ("the county", "the county", "that the water in the east wing was unsafe to drink") in said
    assert not any(c in ("Residents", "Principal Ana Weller", "Ana Weller") for _, _, c in said)


def test_inverted_quotes_with_any_verb_and_refusals_to_comment(read):
    """"“...,” intoned Councilman Eli Brandt." and "“...,” chipped in Mara Quist." (verbs outside the speech lexicon,
    the speaker after them), "“...,” Mayor Lena Ortiz followed up." (a particle after the verb): each the speaker's
    quotation. A title opening a paragraph ("“Ferry Tales,” written by ...") goes on with no quoted speaker's words,
    and a refusal to speak ("declined to comment", "refused to say whether ...") holds no statement."""
    said = statements(read("z_inverted_quotes.txt"))
    assert said == [
        ("Councilman Eli Brandt", "Eli Brandt", "“There will be riders who cannot afford the new fares,”"),
        ("Mara Quist", "Mara Quist", "“We are selling a cheaper boat with a costlier ticket,”"),
        ("Mayor Lena Ortiz", "Lena Ortiz", "“The numbers have been public since March,”"),
    ]


def test_a_board_signature_names_the_paper(read):
    """"“...” — Editorial, Harbor Ledger": a signature that names the page, not a person, is the paper's (a media
    source); "— Dana Fisk, Island Courier" stays the writer's."""
    report = read("z_board_signature.txt")
    said = statements(report)
    assert ("Harbor Ledger", "Harbor Ledger", "“The boats are old and the fares have not moved in a decade. Someone has "
            "to pay for the new ones.”") in said
    assert ("Dana Fisk", "Dana Fisk", "“A worker who crosses twice a day will pay more for the ferry than for lunch.”") in said
    assert next(s for s in report.sources if s.name == "Harbor Ledger").kind == "media"


def test_a_noun_phrase_naming_the_day_again_is_no_content(read):
    """"... told reporters Thursday, [the anniversary of the first fare rise]": the day named again after a comma is
    no second content of the cue."""
    said = statements(read("z_date_apposition.txt"))
    assert said == [("Councilwoman Irene Dahl", "Irene Dahl",
                     "“That is a crisis for every family on the island,”")]


def test_a_caption_with_its_credit_in_square_brackets_and_a_clause_for_a_source(read):
    """A line that ends with its photo credit in square brackets ("... [File: Ana Ruiz/Reuters]") is a caption: what
    the mayor "says" there is no statement. "Irene Dahl, who was preparing to retire when [the board was formed ...],
    complained that ...": a source that is a clause of its own names no one; the cue verb's subject speaks."""
    report = read("z_bracket_caption.txt")
    said = statements(report)
    assert not any("fares will rise" in c for _, _, c in said)
    assert ("Irene Dahl", "Irene Dahl", 'that "no one asked the riders" before the vote') in said


def test_a_short_form_the_article_declares_is_the_full_name(read):
    """"The Justice Department (DOJ)", "Crown Prince Omar bin Khalid, also known as OBK,": a later "DOJ said" or "OBK
    said" is the body or person the article spelled out, though the letters are no plain initials."""
    report = read("z_declared_aliases.txt")
    said = statements(report)
    assert any((m, n) == ("DOJ", "Justice Department") and c.startswith("the review would take several months")
               for m, n, c in said)
    assert ("OBK", "Omar bin Khalid", '"We will finish what we started,"') in said
def test_the_cue_verbs_subject_knowing_and_the_writers_generic_one_are_no_statements(read):
    """"[That decade] saw ...", "[the mayor] seemed to realize ..." (the cue verb's own subject read as what was said,
    ``is_cue_subject``), "Ray Okafor knows [that ...]", "Who knows [what ...]" (a cue of knowing, ``is_knowing``),
    "One could say [...]", "One wonders [if ...]" (the writer's generic one, ``is_generic_one``): no statements. The
    words after the cues stay, and so does "one" for one of the two residents ("one told the council that ...")."""
    said = statements(read("z_subject_and_knowing.txt"))
    contents = [content for _, _, content in said]
    assert not {"That decade", "the mayor"} & set(contents)
    assert "hundreds of families lose their homes to the water" in contents
    assert ("the mayor", "the mayor", "that the plan had little support") in said
    assert not any("cannot pay" in c or "the state will offer" in c for c in contents)
    assert not any("monument to indecision" in c or "engineers were ever asked" in c for c in contents)
    assert ("one", "one", "that the water reached her porch twice last winter") in said
    assert ("Engineer Priya Lund", "Priya Lund", "the wall would take three years to build") in said


def test_a_line_ending_in_a_colon_introduces_the_quotation_after_it_and_a_credit_line_credits_the_ones_above(read):
    """"Harbor master Leon Tran closed the meeting with this:" above a paragraph in quotation marks: the paragraph is
    his (no verb of saying on the line; the line's own verb and subject), not the councilwoman's quoted before it;
    "But not everyone ... was troubled:" names
    no one, so the quotation after it is nobody's, nor the quotation's before it. A round-up's credit line ("Marta
    Greene, Lakeport Ledger") gives the quoted paragraphs above it to the writer it names, one record a paragraph; a
    credit run on after the closing mark ("” Tomas Reyes, Harbor Weekly") gives that paragraph to its writer."""
    said = statements(read("z_intro_line_and_credits.txt"))
    assert said == [
        ("Councilwoman Irene Dahl", "Irene Dahl",
         "“We are asking the people who can least afford it to pay for boats they did not ask for.”"),
        ("Harbor master Leon Tran", "Leon Tran", "“The boats will run every half hour, fares or no fares.”"),
        ("Marta Greene", "Marta Greene",
         "“A dollar is a small price for a ferry that runs on time. The council should have done this years ago."),
        ("Marta Greene", "Marta Greene", "“The real question is why the boats cost twice what the town was promised.”"),
        ("Tomas Reyes", "Tomas Reyes", "“Fares rise, service stays the same, and riders are told to be grateful.”"),
    ]


def test_a_stance_with_a_thing_for_its_object_is_no_statement(read):
    """"Commuters support [the increase]", "retirees oppose [it]", "Most shop owners favor [a smaller rise]", "The
    harbor union opposes [any cut in service]": positions the writer reports, no one's words (``is_stance``); what
    the councilwoman said stays, with her support inside it."""
    said = statements(read("z_stance_verbs.txt"))
    assert not any(content in ("the increase", "it", "a smaller rise", "any cut in service") for _, _, content in said)
    assert ("Councilwoman Irene Dahl", "Irene Dahl", "she supports the increase because the boats need repairs") in said
def test_a_surname_alone_is_the_person_named_in_full_before(read):
    """"Mrs Varga" (a courtesy title without a full stop, as British papers write it) and "Hallam" after "Solicitor
    General Peter J. Hallam Jr." are the people named in full before them, and "she" and the quotation after "Mrs
    Varga" with them."""
    said = statements(read("z_surname_alone.txt"))
    assert ("Mrs Varga", "Helena Varga", "the government would not be rushed") in said
    assert ("she", "Helena Varga", '"We will read every page first,"') in said
    assert (None, "Helena Varga", '"Nobody should expect a signature in May."') in said  # her quotation after it
    assert ("Obi", "Marcus Obi", "his crews had been ready for months") in said
    assert ("Hallam", "Peter J. Hallam Jr", '"There is nothing here that breaks the rules,"') in said
    assert ("The opposition", "The opposition", "a vote on the deal") in said


def test_a_pronoun_for_a_lede_description_or_a_company_is_the_one_named(read):
    """"The governor of Wexford County ... he says" in the lede is "Governor Paul Dresner" quoted further down;
    "The company ... when it announced" is Microsoft, the company just named."""
    said = statements(read("z_pronoun_for_description.txt"))
    assert ("he", "Paul Dresner", "the rules were written without asking a single farmer") in said
    assert ("it", "Microsoft", "that it would close three offices") in said


def test_who_after_an_apposition_or_an_as_phrase_is_the_person(read):
    """"Rosa Delgado, director of the Harbor Health Alliance, who called ...": the parse hangs "who" on the
    alliance; it is Rosa Delgado. "Tom Reyes has spent the week campaigning as a fiscal hawk who warned ...": the
    hawk is Tom Reyes."""
    said = statements(read("z_who_after_apposition.txt"))
    assert ("who", "Rosa Delgado", 'the cuts "a slow emergency,"') in said
    assert ("who", "Tom Reyes", "that the city could not afford new spending") in said


def test_a_quotation_credited_on_the_line_after_it_is_the_credited_writers(read):
    """A round-up's quotation paragraphs with a credit line under them ("Dana Whitlock, Harbor Gazette"): the writer
    credited said them, not the summary's "The left" before; a run of paragraphs of one quotation goes to the credit
    after its last, and "Editorial Board, Valley Tribune" signs for the paper."""
    said = statements(read("z_credit_lines.txt"))
    assert ("The left", "The left", "that the transit plan will leave the suburbs behind") in said
    by_start = {content[:25]: (mention, name) for mention, name, content in said}
    assert by_start["“The new routes look good"] == ("Dana Whitlock", "Dana Whitlock")
    assert by_start["“Riders have heard these "] == ("Omar Castell", "Omar Castell")
    assert by_start["“Every budget season brin"] == ("Omar Castell", "Omar Castell")
    assert by_start["“The council could have f"] == ("Valley Tribune", "Valley Tribune")


def test_no_one_inside_a_pages_hover_card_is_a_person_of_the_article(read):
    """"Council Leader Maria Ostend Maria OstendRivera says ... | Governor Tom Hale signs ferry bill MORE (D-Ward 3)
    when she called ...": the card runs her full name into a headline and names other people; "she" is Maria
    Ostend, not the run-on "Maria OstendRivera" nor anyone in the card's headlines."""
    said = statements(read("z_hover_card_people.txt"))
    assert ("she", "Maria Ostend", "the budget a lifeline for the port") in said
    assert not any(name and ("Hale" in name or "OstendRivera" in name) for mention, name, _ in said if mention == "she")


def test_a_surname_written_alone_before_a_relatives_full_name_is_not_that_relative(read):
    """"Finnegan said" after "Governor Orla Finnegan's allies" is Orla Finnegan (a possessive full name counts); "Walsh
    has promised ..." written before "His daughter, Nora Walsh," is not the daughter: the first time the article
    writes the surname must be in the full name it is given."""
    said = statements(read("z_surname_written_first.txt"))
    assert ("Finnegan", "Orla Finnegan", '"We will not sign a bill that puts the river at risk,"') in said
    assert ("Walsh", "Walsh", '"The steel will come from this state,"') in said
    assert not any(name == "Nora Walsh" for _, name, _ in said)


def test_the_party_member_is_the_person_named_as_a_subject_just_before(read):
    """"Gov. Harold Brisco ... is blaming ... the Republican said": a party noun for one person is the person named
    as a subject in the sentences before; "Democrat Lena Okoro lost to Republican Victor Hale. But Hale ...
    the Democrat said": not the one the article gave the other party; "A Democrat who works in the statehouse ...
    the Democrat said": someone unnamed."""
    said = statements(read("z_party_member.txt"))
    assert ("the Republican", "Harold Brisco", "the state had waited too long to fix the span over the Pell River") in said
    assert ("the Democrat", "Lena Okoro", '"We will look at every line of the budget,"') in said
    assert ("the Democrat", "the Democrat", '"Nobody wants to talk about next year,"') in said


def test_each_share_of_a_poll_says_its_own_clause(read):
    """"Just 40 percent said they supported the levy, 25 percent were undecided and ...", "60 percent said ..., while
    20 percent expected ...": the saying is left out of the later clauses, each its own share's statement; the first
    share's ends at its own."""
    said = statements(read("z_poll_shares.txt"))
    assert ("Just 40 percent", "Just 40 percent", "they supported the levy") in said
    assert ("25 percent", "25 percent", "were undecided") in said
    assert ("60 percent", "60 percent", "grain prices had fallen this year") in said
    assert ("20 percent", "20 percent", "expected a recovery by autumn") in said
def test_she_is_never_a_man_the_article_calls_he(read):
    """"When Corwin Ashdale ... came ..., he signed ... Ashdale ... was then approached by a clerk ... She told him":
    the first name is in no list, but the article's own "he" makes Ashdale a man, so "She" is not he (the resolver's
    nearest name is left for an unnamed "She"); "He asked her ... She said" after "Ruth Calloway ... met Ashdale"
    skips the nearer man for the woman; "Mrs. Dalby ... met Mr. Quennell ... Quennell argued ... She said": the
    "Mr." written before the surname keeps Quennell a man."""
    said = statements(read("z_pronoun_gender.txt"))
    assert ("She", "She", "that the front rows were kept for the board") in said
    assert ("She", "She", "the room was full") in said
    assert ("He", "Corwin Ashdale", "her whether the rule was written down") in said
    assert ("She", "Ruth Calloway", "it was not, and promised to raise it at the next meeting") in said
    assert ("She", "Dalby", "the channel was already too shallow for the larger ships") in said
    assert not any(name in ("Corwin Ashdale", "Quennell") for mention, name, _ in said if (mention or "").lower() == "she")


def test_the_governor_is_the_person_the_article_gives_that_title(read):
    """"Gov. Helen Ardmore ordered ... the governor said" in an article mostly about Owen Pratt: the title written
    abbreviated ("Gov.") is the description's title, and the leading person, who holds no title, is not "the
    governor" when the article gave someone that title."""
    said = statements(read("z_role_holder.txt"))
    assert ("the governor", "Helen Ardmore", '"We will not let the town burn while people sleep,"') in said
    assert not any(name == "Owen Pratt" for mention, name, _ in said if mention == "the governor")


def test_the_senator_is_the_subject_holder_not_the_nearest_senator(read):
    """"Sen. Dana Whitcombe" leads the article; "Sen. Marcus Fellowes asked ..." comes between; "Whitcombe ... said
    ... the senator said": the senator the article came back to, not the nearest one titled so."""
    said = statements(read("z_role_holder_subject.txt"))
    assert ("the senator", "Dana Whitcombe", '"But when the river runs dry, the farms go first,"') in said
def test_a_noun_object_of_a_verb_of_doing_or_seeing_is_no_statement(read):
    """"The past two winters have seen [a steady rise ...]", "Pennick read [a history of the old harbor]", "The rising
    traffic pushed [the waiting time ... to two hours]": a bare noun-phrase object of a verb of doing, meeting or
    backing is an event, no statement; "sees [the plan as a costly gamble]" (an "as" predicate) and the sayings stay."""
    said = statements(read("z_doing_objects.txt"))
    contents = [content for _, _, content in said]
    assert not any(c.startswith(("a steady rise", "a history of", "the waiting time")) for c in contents)
    assert ("Harbor master Tomas Reyl", "Tomas Reyl", "the plan as a costly gamble") in said
    assert ("Pennick", "Ada Pennick", "the pier would bring more visitors to the old market") in said
    assert ("he", "Tomas Reyl", "the council should wait for the spring survey") in said


def test_soft_hyphens_inside_words_read_as_the_words_without_them(read, analyzer):
    """A page hyphenated for the screen ("Eck\u00adhardt", "ar\u00adgued") is read as the same words without the soft
    hyphens: the same statements with the same speakers, whose names hold no invisible character, while every span
    stays a slice of the text as given."""
    report = read("z_soft_hyphens.txt")
    plain = analyzer.analyze(Article(text=report.text.replace("\u00ad", ""), id="plain"))
    said = [(mention, name, content.replace("\u00ad", "")) for mention, name, content in statements(report)]
    assert len(said) >= 6
    assert [(name, content) for _, name, content in said] == [(name, content) for _, name, content in statements(plain)]
    assert "Marisol Eckhardt" in {s.name for s in report.sources}
    assert not any("\u00ad" in s.name for s in report.sources)
    assert report.text.count("\u00ad") == 51  # the text as given
    assert all(report.text[span.start:span.end] == span.text for span in report.iter_spans())
    assert all(0 <= r.start <= r.end <= len(report.text) for r in report.structure or ())
    quote = next(a.content for a in report.attributions if a.content.text.startswith('"We can'))
    assert quote.text == "\"We cannot keep paying for the piers while the ships pay not\u00adhin\u00adg,\""


def test_a_first_line_that_is_the_title_again_is_the_headline_not_a_statement(analyzer):
    """A page copied with its headline as the first line ("Harbor Board Says Ferry Fares Will Rise in Spring", the
    article's title): no statement is read there, the body's are; without a title given, the first line stays read
    (PolNeAR annotates its texts' titles)."""
    from conftest import STRUCTURE_ARTICLES

    text = (STRUCTURE_ARTICLES / "z_title_copy.txt").read_text(encoding="utf-8")
    headline = text.split("\n", 1)[0]
    titled = analyzer.analyze(Article(text=text, id="titled", title=headline))
    assert not any(a.content.end <= len(headline) for a in titled.attributions)
    said = statements(titled)
    assert ("The Port Alder harbor board", "The Port Alder harbor board",
            "that ferry fares would rise by a fifth in the spring, the first increase in six years") in said
    assert ("Ines Varga, who chairs the board", "Ines Varga", '"We held the line as long as we could,"') in said
    untitled = analyzer.analyze(Article(text=text, id="untitled"))
    assert any(a.content.end <= len(headline) for a in untitled.attributions)


def test_that_said_is_the_writers_concession_not_a_saying(read):
    """"That said, the crossings are still cheaper ...": the concessive aside (= "even so") is the writer's, no
    statement of "That"; the quote after it stays its speaker's."""
    said = statements(read("z_that_said.txt"))
    assert not any(mention == "That" or content.startswith("the crossings") for mention, _, content in said)
    assert any(content == '"We kept the increase as small as we could,"' for _, _, content in said)


def test_a_quotation_mark_glued_to_the_sentence_before_opens_the_quote(read):
    """'... to reporters on Monday."I think the evidence was thin, ..." said juror Dana Whitcombe.She said ...': a page
    that lost the spaces after sentence ends. The quotation mark is no part of a word: the quote is the juror's and
    its "I think" no second statement by a source called '"I'."""
    said = statements(read("z_glued_quotes.txt"))
    assert ("juror Dana Whitcombe", "Dana Whitcombe",
            '"I think the evidence was thin, but the records were clear,"') in said
    assert ("She", "Dana Whitcombe", "the foreman kept the vote secret until the end") in said
    assert ("Whitcombe", "Dana Whitcombe", '"We argued for hours,"') in said
    assert not any(mention and (mention[0] in "\"“" or mention == "I") for mention, _, _ in said)


def test_which_is_the_thing_that_speaks_not_the_noun_inside_its_phrase(read):
    """"a survey of households, which showed ...", "Harbor Care, a charity based in Port Alder, which plans ...": the
    parse hangs the clause on the last noun; what shows or plans is the survey, the charity (up the prepositions to a
    noun that can speak)."""
    said = statements(read("z_which_above.txt"))
    assert ("which", "a survey of households", "that fewer dock workers had jobs in March") in said
    assert ("which", "Harbor Care", "to open two more before winter") in said


def test_a_vote_is_an_act_not_a_statement(read):
    """"The harbor council voted [to raise the ferry fee]", "voted [twice against the measure]", "voted [for the
    increase]": the vote is the event (the guide's "X voted against"); the quote after it stays the voter's."""
    said = statements(read("z_votes.txt"))
    assert not any(content.startswith(("to raise", "twice", "against", "for the increase")) for _, _, content in said)
    assert ("she", "Maria Lopez", '"The piers will not repair themselves,"') in said
def test_a_description_no_title_names_is_the_subject_just_before(read):
    """"Ellen Marsh said ... The former port commissioner said ...", "State Sen. Ruth Calder has backed ... the Maine
    Republican told": a description that no title look-up names is the person the sentence before had as its
    subject; not a person named inside reported words ("Tomas Reyl predicted that his deputy, Karl Osten, would ...
    The former navy captain said": Reyl, not Osten), nor a description inside someone's quoted words ("The retired
    ferry captain told me", inside Reyl's quote, stays unnamed)."""
    said = statements(read("z_description_after_subject.txt"))
    assert ("The former port commissioner", "Ellen Marsh", "the dredging alone would take three years") in said
    assert ("The longtime Harbor Street resident", "Rosa Quint", "she feared for the small boats") in said
    assert ("The former navy captain", "Tomas Reyl", "the piers could last another decade") in said
    assert ("The retired ferry captain", "The retired ferry captain", "the plan is dead") in said
    assert ("the Maine Republican", "Ruth Calder", '"It will pay for itself,"') in said


def test_a_participle_the_parse_hung_low_is_said_by_the_main_subject(read):
    """"Harbor master Tomas Reyl signaled his readiness to abandon talks ... in favor of this move, telling reporters
    ... that ...": the participle, parsed as hanging on "abandon", still shares the sentence's subject."""
    said = statements(read("z_participle_subject.txt"))
    assert ("Harbor master Tomas Reyl", "Tomas Reyl",
            "that the harbor represents a “humanitarian and economic crisis.”") in said
def test_a_participle_after_a_statement_or_record_says_its_clause(read):
    """"issued a statement saying ...", "released data showing ...": a speech or finding verb's participle right after
    a noun of words or records says its clause (or its object), and whoever issued the noun is the source."""
    said = statements(read("z_document_participle.txt"))
    assert ("The Harbor Workers Union", "Harbor Workers Union",
            "the dredging contract had been awarded without a public bid") in said
    assert ("The port authority", "The port authority",
            "a steady rise in cargo traffic since the channel was deepened") in said
    assert ("Residents", "Residents", "the harbor board to delay the vote until spring") in said
    # "criticism that ...": a speech noun's clause, no one named (sourceless)
    assert (None, None, "that the silt will smother the oyster beds") in said
    # a picture's "showing" depicts: no statement
    assert not any(content.startswith("the dredger") for _, _, content in said)


def test_a_quotation_then_a_speaker_and_whom_they_address(read):
    """"“Show us the receipts,” a resident heckled the senator.": a verb outside the speech-verb lexicon after a
    quotation, with the person spoken to as its object, says the quotation; "Hackers who ... should be jailed, he said,
    but ...": where the parser gives "said" both subjects, the one nearest it speaks."""
    said = statements(read("z_quote_then_addressee.txt"))
    assert ("a resident", "a resident", "\"Show us the receipts,\"") in said
    assert ("he", "Ray Okafor", "Hackers who break the law to get secret records should be jailed") in said
    assert not any(content == "the senator" for _, _, content in said)


def test_advising_and_instructing_are_sayings(read):
    """"had advised members to postpone ...", "instructed staff to keep ...", "implored residents to attend ...": verbs of the speech-verb lexicon, read
    with their object and infinitive as what was said."""
    said = statements(read("z_advise_instruct.txt"))
    assert ("The board's lawyers", "The board's lawyers",
            "members to postpone the vote until the audit is finished") in said
    assert ("Harbor master Lena Voss", "Lena Voss", "staff to keep every invoice from the project") in said
    assert ("Council member Ada Price", "Ada Price", "residents to attend the hearing on Thursday") in said
    assert ("The dock workers' union", "The dock workers' union",
            "the board reopen the bidding for the dredging contract") in said
def test_a_malformed_source_span_is_named_by_the_name_in_it(read):
    """Source spans the parse cut or ran together name the person in them: a closing quotation mark joined to the
    next sentence's first word ("by far."Local farmers are worried ... They say") is no part of the name; a dash
    set off by spaces ends a run of names ("Treasurer Nils Varga - Brandt said" is Brandt, and "Brandt" alone is
    not "Nils Varga - Brandt"); a clause parsed as a noun phrase after "that" ("tweeted that CBS “completely
    misinterpreted contents of our letter,” saying") is the tweeter's; a title the tagger cut off as a name of its
    own ("Adm. [Dr.] [Peter Hollis]") is no one: the name after it is the person."""
    said = statements(read("z_malformed_source_names.txt"))
    assert ("They", "Local farmers", "the new road would cut their fields in two") in said
    assert ("Deputy Mayor Carl Osric and Treasurer Nils Varga - Brandt", "Hugo Brandt",
            "the budget would be released next week") in said
    assert ("Brandt", "Hugo Brandt", "that the county would pay for it") in said
    assert ("CBS “completely misinterpreted contents of our letter,”", "Ada Pennick",
            "the legal team had not yet reached an agreement with the county") in said
    assert ("The full, detailed description of the mayor's health given by the Navy Rear Adm. Dr. Peter Hollis",
            "Peter Hollis", "that for a 61-year-old male, the mayor is in great health") in said


def test_a_source_span_across_a_paragraph_or_after_a_colon_is_its_last_part():
    """"... friendship)\\n\\nWhite House spokeswoman Amy Brundage" and "His nice-guy image: The Obama team": the part
    of the mention next to the verb, after the paragraph break or the colon, is the speaker."""
    from sourcetrace.extractors.sources.classify import _last_part
    from sourcetrace.nlp import load_pipeline, parse

    doc = parse(load_pipeline(), "The deal was close (a friendship)\n\nHarbor spokeswoman Lena Ostrova dismissed it. "
                                 "Why: The Marlow team believes it.")
    words = [t for t in doc if not t.is_space]
    first = [t.text for t in _last_part(words[5:12])]
    assert first == ["Harbor", "spokeswoman", "Lena", "Ostrova"]
    colon = next(k for k, t in enumerate(words) if t.text == ":")
    assert [t.text for t in _last_part(words[colon - 1:colon + 4])] == ["The", "Marlow", "team"]


def test_a_royal_title_goes_with_the_given_name_and_an_adverb_of_the_verb_is_no_part_of_the_name(read):
    """"Crown Prince Faisal bin Tamim ... Prince Faisal said": the title goes with a given name, so the short form is
    the person named in full with that given name first; "those same councillors relentlessly emphasized": the
    adverb is the verb's, not the speaker's."""
    said = statements(read("z_malformed_source_names.txt"))
    assert ("Prince Faisal", "Faisal bin Tamim", "the gift would come with no conditions") in said
    assert ("those same councillors relentlessly", "those same councillors",
            "polls showing bad news for the old mayor") in said


def test_a_definite_group_of_a_role_no_named_person_holds_is_unnamed(read):
    """"Researchers at the Marrowby marine institute ... The researchers said": people the article never names, so
    not named; "Sen. Ada Pennick and Sen. Hugo Brandt ... The senators said" and "The mayor's lawyers said" stay
    named (people titled so before; a possessor named)."""
    report = read("z_unnamed_definite_group.txt")
    sources = {s.id: s for s in report.sources}
    named = {a.source.text: sources[a.source_id].named for a in report.attributions if a.source and a.source_id}
    assert named["The researchers"] is False
    assert named["The senators"] is True
    assert named["The mayor's lawyers"] is True


def test_a_document_a_named_subject_gave_out_is_theirs(read):
    """"the Marrowby Harbor Authority said in a draft safety plan for the old pier ... The 40-page draft safety plan
    describes" and "Marrowby Ferries issued a statement ... the statement said": the document is the issuer's, named
    by the words the article gave it where it was given out."""
    report = read("z_issued_document.txt")
    said = statements(report)
    assert ("The 40-page draft safety plan", "Marrowby Harbor Authority's draft safety plan for the old pier",
            "how the authority will close the pier to trucks in the spring") in said
    assert ("the statement", "Marrowby Ferries's statement", '"Our passengers will see no change to the timetable,"') in said
    statement = next(s for s in report.sources if s.name == "Marrowby Ferries's statement")
    assert (statement.kind, statement.named) == ("document", True)
def test_a_document_written_is_no_statement(read):
    """"a Marrowby independent who wrote [the levy bill]", "who wrote [the so-called harbor protection act]": the bare
    object of "write" is the document written, an act with no words of it given (like "signed [the bill]"; "so-called"
    is no clause of saying); "wrote that the levy was ..." stays."""
    said = statements(read("z_written_documents.txt"))
    contents = [content for _, _, content in said]
    assert "the levy bill" not in contents and "the so-called harbor protection act" not in contents
    assert ("Reyl", "Tomas Reyl", 'that the levy was "a tax on the poor."') in said
    assert ("Councillor Ada Pennick, a Marrowby independent who wrote the levy bill,", "Ada Pennick",
            "the money would go to the old pier") in said


def test_a_negative_subject_negates_the_saying(read):
    """"neither mentioned [the cost ...]", "No councillor finds [that delay acceptable]", "None of the council members
    has mentioned [the harbor levy]": what no one said is no statement; "Brandt said ..." stays."""
    said = statements(read("z_negative_subject.txt"))
    contents = [content for _, _, content in said]
    assert not any(c.startswith(("the cost of", "that delay", "the harbor levy")) for c in contents)
    assert ("Mayor Hugo Brandt", "Hugo Brandt", "the ferry would run by spring") in said


def test_who_is_a_person_never_a_content(read):
    """"Tomas Reyl, [who] was dismissed by Mayor Hugo Brandt", "Ada Pennick, [whom] Brandt criticized": the relative
    pronoun stands for a person, not for words said; the sayings around stay."""
    said = statements(read("z_who_content.txt"))
    contents = [content for _, _, content in said]
    assert "who" not in contents and "whom" not in contents
    assert ("The harbor master Tomas Reyl, who was dismissed by Mayor Hugo Brandt on Friday,", "Tomas Reyl",
            "he would appeal") in said
    assert ("Brandt", "Hugo Brandt", '"We need the pier now,"') in said


def test_a_topic_talked_of_or_a_thing_added_is_no_statement(read):
    """"Brandt talked about [the cost of the new pier ...]", "He also discussed [the winter timetable ...]": the topic of
    a talk, not what was said; "The yard added [forty jobs]": an act. "talked about [how the old ferry had broken
    down ...]" (a clause) and the quotation stay."""
    said = statements(read("z_talk_topics.txt"))
    contents = [content for _, _, content in said]
    assert not any(c.startswith(("the cost of", "the winter timetable", "forty jobs")) for c in contents)
    assert ("he", "Hugo Brandt", "how the old ferry had broken down twice in May") in said
    assert ("Brandt", "Hugo Brandt", '"We will build the second boat here,"') in said


def test_a_clause_before_but_according_to_is_not_its_content(read):
    """"The authority studied the report, shared it ... and filed it with the state, but according to the council,
    [the mayor was never told ...]": the clause before "but" is the writer's, the attribution starts after it."""
    said = statements(read("z_but_according_to.txt"))
    assert ("the council", "the council", "the mayor was never told of its findings") in said
    assert not any(c.startswith("The authority studied") for _, _, c in said)


def test_a_thing_referred_on_is_no_statement(read):
    """"Ada Pennick referred [the altered forms to federal prosecutors]": an act done to a thing (``ACT_VERBS``), no
    words of hers; her saying stays."""
    said = statements(read("z_referred_on.txt"))
    assert not any(c.startswith("the altered forms") for _, _, c in said)
    assert ("Pennick", "Ada Pennick", "the forms had been printed outside the county") in said
