"""The word lists the source resolver reads, from lexicon files (``data/lexicons/source_*.txt``)."""
from __future__ import annotations

from functools import lru_cache

from ... import lexicons

PERSONAL_PRONOUNS = lexicons.load("source_pronouns_personal")
FIRST_PERSON_SINGULAR = lexicons.load("source_pronouns_first_singular")
FIRST_PERSON_PLURAL = lexicons.load("source_pronouns_first_plural")
PLURAL_PRONOUNS = lexicons.load("source_pronouns_plural")
NEUTER_PRONOUNS = lexicons.load("source_pronouns_neuter")
RELATIVE_PRONOUNS = lexicons.load("source_pronouns_relative")
SECOND_PERSON = lexicons.load("source_pronouns_second")
ALL_PRONOUNS = (PERSONAL_PRONOUNS | FIRST_PERSON_SINGULAR | FIRST_PERSON_PLURAL | PLURAL_PRONOUNS
                | NEUTER_PRONOUNS | RELATIVE_PRONOUNS | SECOND_PERSON)
INDEFINITE_PERSON = lexicons.load("source_indefinite_person")

DEFINITE_DETS = lexicons.load("source_determiners_definite")
INDEFINITE_DETS = lexicons.load("source_determiners_indefinite")
POSSESSIVE_DETS = lexicons.load("source_determiners_possessive")
PARTITIVE_HEADS = lexicons.load("source_partitive_heads")
TITLE_ABBREVIATIONS = lexicons.load_mapping("source_title_abbreviations")
MALE_TITLES = lexicons.load("source_titles_male")
FEMALE_TITLES = lexicons.load("source_titles_female")
COUNTRY_VARIANTS = lexicons.load_mapping("source_country_variants")
MEDIA_ACRONYMS = lexicons.load("source_media_acronyms")


class SourceLexicons:
    """The larger lexicons (nouns for people, groups, documents, media, organisations, governments; known
    names; anonymity markers), loaded once per process and shared by every article."""

    def __init__(self) -> None:
        self.person_lex = lexicons.load("source_nouns_person")
        self.group_lex = lexicons.load("source_nouns_group")
        self.document_lex = lexicons.load("source_nouns_document")
        self.media_lex = lexicons.load("source_nouns_media")
        self.media_name_words = lexicons.load("source_media_name_words")
        self.org_lex = lexicons.load("source_nouns_organization")
        self.gov_lex = lexicons.load("source_nouns_government")
        self.known_orgs = lexicons.load("source_organizations")
        self.anon_markers = lexicons.load("source_anonymous")
        self.anon_heads = lexicons.load("source_anonymous_heads")
        self.governments = lexicons.government_aliases()
        self.media = lexicons.media_aliases()
        self.media_short = lexicons.media_short_forms()
        self.female_names = lexicons.load("first_names_female")
        self.male_names = lexicons.load("first_names_male")


@lru_cache(maxsize=1)
def source_lexicons() -> SourceLexicons:
    return SourceLexicons()
