"""The word lists the source resolver reads, from the lexicon files of the article's language
(``source_*.txt``, the names and outlet tables)."""
from __future__ import annotations

import unicodedata
from functools import cached_property, lru_cache
from typing import Any

from ...lexicons import Lexicons


def unaccented(word: str) -> str:
    """``word`` without its accents: "josé" -> "jose", "núñez" -> "nunez"."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


class FirstNames(frozenset[str]):
    """A first-name list matched without accents: the lists write "jose", articles write "José" as often."""

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and frozenset.__contains__(self, unaccented(word))


class SourceLexicons:
    """Every word list of the source resolver in one language (pronoun classes, determiners, titles; nouns for
    people, groups, documents, media, organisations, governments; known names; anonymity markers), loaded once
    per process and language and shared by every article."""

    def __init__(self, lexicons: Lexicons) -> None:
        words = lexicons.words
        self.personal_pronouns = words("source_pronouns_personal")
        self.first_person_singular = words("source_pronouns_first_singular")
        self.first_person_plural = words("source_pronouns_first_plural")
        self.plural_pronouns = words("source_pronouns_plural")
        self.neuter_pronouns = words("source_pronouns_neuter")
        self.relative_pronouns = words("source_pronouns_relative")
        self.second_person = words("source_pronouns_second")
        self.all_pronouns = (self.personal_pronouns | self.first_person_singular | self.first_person_plural
                             | self.plural_pronouns | self.neuter_pronouns | self.relative_pronouns | self.second_person)
        self.indefinite_person = words("source_indefinite_person")
        self.definite_dets = words("source_determiners_definite")
        self.indefinite_dets = words("source_determiners_indefinite")
        self.possessive_dets = words("source_determiners_possessive")
        self.partitive_heads = words("source_partitive_heads")
        self.title_abbreviations = lexicons.mapping("source_title_abbreviations")
        self.male_titles = words("source_titles_male")
        self.female_titles = words("source_titles_female")
        self.publication_heads = words("source_nouns_publication")
        self.country_variants = lexicons.mapping("source_country_variants")
        self.media_acronyms = words("source_media_acronyms")

        self.person_lex = words("source_nouns_person")
        self.group_lex = words("source_nouns_group")
        self.document_lex = words("source_nouns_document")
        self.media_lex = words("source_nouns_media")
        self.media_name_words = words("source_media_name_words")
        self.org_lex = words("source_nouns_organization")
        self.gov_lex = words("source_nouns_government")
        self.known_orgs = words("source_organizations")
        self.anon_markers = words("source_anonymous")
        self.anon_heads = words("source_anonymous_heads")
        self.governments = lexicons.government_aliases()
        self.media = lexicons.media_aliases()
        self.media_short = lexicons.media_short_forms()
        self.female_names = FirstNames(unaccented(w) for w in words("first_names_female"))
        self.male_names = FirstNames(unaccented(w) for w in words("first_names_male"))
        # a given name of either gender: what "is this word a first name?" asks
        self.first_names = FirstNames(self.female_names | self.male_names)

    @cached_property
    def outlet_aliases(self) -> tuple[list[tuple[str, str]], Any]:  # Any: pyahocorasick ships no types
        """The outlet aliases an article is searched for, (alias, canonical name) in the table's order (short
        ones only when they are acronyms), and an Aho-Corasick automaton of them: which occur in a text is one
        pass over it, not a substring search of the whole text for each alias."""
        import ahocorasick

        wanted = [(alias, canonical) for alias, canonical in self.media.items()
                  if not (len(alias) <= 3 and alias.isalpha() and alias not in self.media_acronyms)]
        automaton = ahocorasick.Automaton()
        for alias, _ in wanted:
            if alias:
                automaton.add_word(alias, alias)
        automaton.make_automaton()
        return wanted, automaton

    def outlet_aliases_in(self, text: str) -> list[tuple[str, str]]:
        """The (alias, canonical name) pairs of ``outlet_aliases`` whose alias occurs in ``text``, in their order."""
        wanted, automaton = self.outlet_aliases
        if not wanted:
            return []
        found = {alias for _, alias in automaton.iter(text)} if len(automaton) else set()
        return [(alias, canonical) for alias, canonical in wanted if not alias or alias in found]


@lru_cache(maxsize=None)
def source_lexicons(lexicons: Lexicons) -> SourceLexicons:
    """The source resolver's word lists of one language (``lexicons``: that language's files)."""
    return SourceLexicons(lexicons)
