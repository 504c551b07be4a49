"""The shared parse's own components: one label for one person's name (person_names)."""
from __future__ import annotations

from spacy.tokens import Span

from sourcetrace.nlp import load_pipeline, parse_variant, person_names


def _ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_a_name_the_model_labels_otherwise_becomes_a_person_after_a_title_or_with_a_known_surname():
    nlp = load_pipeline()
    doc = nlp("Pete Buttigieg spoke first. Later the Rev. Herring thanked Buttigieg and Capt. Ridley, and the "
              "Washington Post and Ford Motor reported it.")
    # what the small model does on some pages: people's names as organisations and places
    tokens = [t.text for t in doc]
    wrong = [Span(doc, 0, 2, label="PERSON"), Span(doc, 6, 9, label="ORG"), Span(doc, 10, 11, label="ORG"),
             Span(doc, 12, 14, label="GPE"), Span(doc, 16, 19, label="ORG"), Span(doc, 20, 22, label="ORG")]
    assert [w.text for w in wrong] == ["Pete Buttigieg", "the Rev. Herring", "Buttigieg", "Capt. Ridley",
                                       "the Washington Post", "Ford Motor"], tokens
    doc.set_ents(wrong)
    ents = _ents(person_names(doc))
    assert ("Herring", "PERSON") in ents and ("Buttigieg", "PERSON") in ents and ("Ridley", "PERSON") in ents
    assert not [e for e in ents if e[0] in ("the Rev. Herring", "Rev. Herring")]
    # an outlet, a company and a place keep their labels
    assert ("Pete Buttigieg", "PERSON") in ents
    assert not [e for e in ents if "Post" in e[0] and e[1] == "PERSON"]
    assert not [e for e in ents if "Ford" in e[0] and e[1] == "PERSON"]


def test_the_projects_parse_changes_are_named_in_the_parse_cache_key():
    nlp = load_pipeline()
    assert "person_names" in nlp.pipe_names and nlp.pipe_names.index("person_names") > nlp.pipe_names.index("ner")
    assert "-person_names" in parse_variant(nlp) and "-cases" in parse_variant(nlp)


def test_a_name_shaped_surname_the_model_tags_a_common_noun_becomes_a_person():
    """"O’Rourke", "O’Malley": the small model tags such surnames NOUN, and leaves them untagged or an organisation
    after the article has named the person in full; they are that person (so "He decried ..." can point back)."""
    nlp = load_pipeline()
    doc = nlp("Former congressman Beto O’Rourke spoke in El Paso on Monday.\n\nO’Rourke relished the prime-time "
              "platform. He decried the plan.")
    assert [(t.text, t.ent_type_) for t in doc if t.text == "O’Rourke"] == [("O’Rourke", "PERSON")] * 2
    doc = nlp("State senator Dana O’Malley voted no.\n\nO’Malley relished the fight, and the crowd cheered O’Malley.")
    assert [(t.text, t.ent_type_) for t in doc if t.text == "O’Malley"] == [("O’Malley", "PERSON")] * 3

def test_column_in_picks_the_tokens_whose_column_holds_one_of_the_strings():
    """The boolean per token a rule's candidates are picked with equals asking each Token."""
    from sourcetrace.nlp import T_DEP, T_LOWER, T_POS, column_in

    nlp = load_pipeline()
    doc = nlp("She told my son that he would win the seat. Later, Marta Ruiz said he had.")
    subjects = column_in(doc, T_LOWER, {"he", "she"}) & column_in(doc, T_DEP, {"nsubj", "nsubjpass"})
    assert [t.text for t in doc if subjects[t.i]] == ["She", "he", "he"]
    assert column_in(doc, T_POS, ("PROPN",)).tolist() == [t.pos_ == "PROPN" for t in doc]
    assert not column_in(doc, T_LOWER, ("nowhere",)).any()
    assert column_in(nlp(""), T_POS, ("NOUN",)).tolist() == []
