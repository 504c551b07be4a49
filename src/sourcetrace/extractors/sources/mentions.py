"""The article's mention index: its entities, the people it names (and the longest name it uses for
each), the outlets it names, its sentences; and the token helpers every part of the resolver shares."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from ...nlp import doc_text
from ...textspans import NAME_EDGE, normalise
from ..structure import HOVER_CARD
from .words import SourceLexicons

EDGE = NAME_EDGE


@dataclass
class MentionInfo:
    """What one source mention refers to."""

    start: int
    end: int
    kind: str
    named: bool
    name: str
    descriptor: str | None
    key: str  # mentions with the same key are one source

    def with_span(self, start: int, end: int) -> "MentionInfo":
        return MentionInfo(start, end, self.kind, self.named, self.name, self.descriptor, self.key)


def is_plural(tok: Token) -> bool:
    return tok.tag_ in {"NNS", "NNPS"} or "Number=Plur" in str(tok.morph)


def tokens_text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    # the span's slice of the (cached) document text: Span.text would rebuild it token by token
    first, last = tokens[0], tokens[-1]
    return doc_text(first.doc)[first.idx: last.idx + len(last)]


def strip_tokens(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].tag_ == "POS"
                      or tokens[-1].text in {"'s", "’s", "'", "’"}):
        tokens = tokens[:-1]
    return tokens


def phrase_head(tokens: list[Token]) -> Token:
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    # "Clinton spokesman Nick Merrill": the last root; "percent of voters": the first
    nominal = [t for t in roots if t.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}]
    if not nominal:
        # a misparse such as "skittish Democrats" with the adjective as root: the last noun
        nouns = [t for t in tokens if t.pos_ in {"NOUN", "PROPN", "PRON"}]
        if nouns:
            return nouns[-1]
    return (nominal or roots or tokens)[0]


def np_tokens(head: Token) -> list[Token]:
    """A noun phrase around ``head`` without relative clauses, appositions or trailing punctuation."""
    drop = {"relcl", "appos", "punct", "acl", "advcl", "cc", "conj"}
    toks = [head]
    for child in head.children:
        if child.dep_ in drop:
            continue
        toks.extend(child.subtree)
    toks.sort(key=lambda t: t.i)
    # keep it contiguous
    i = toks.index(head)
    lo = i
    while lo > 0 and toks[lo - 1].i == toks[lo].i - 1:
        lo -= 1
    hi = i
    while hi + 1 < len(toks) and toks[hi + 1].i == toks[hi].i + 1:
        hi += 1
    return toks[lo:hi + 1]


def np_with_conj(head: Token) -> list[Token]:
    toks = list(head.subtree)
    cut = [t for t in toks if t.dep_ in {"relcl", "acl"} and t.head.i == head.i]
    if cut:
        stop = min(t.left_edge.i for t in cut)
        toks = [t for t in toks if t.i < stop]
    return strip_tokens(toks)


def clean_person_name(ent: SpacySpan, title_abbreviations) -> str:
    kept = [t for t in ent if t.lower_ not in title_abbreviations and t.tag_ != "POS" and t.text not in {"'s", "’s"}]
    # a dash set off by spaces is no part of a name: the tagger ran two names into one ("Secretary Alex Azar - Trump
    # said"); the last is the one next to what follows
    dashes = [k for k, t in enumerate(kept) if t.text in {"-", "—", "–", "--"} and t.whitespace_
              and k and kept[k - 1].whitespace_]
    if dashes:
        kept = kept[dashes[-1] + 1:]
    words = [t.text for t in kept]
    # a page's hover card glued to the name: "Bernie Sanders Bernie Sanders2020 Democrats make play ..." (the
    # name, then the name again run into a headline): the name is what comes before it repeats
    if len(words) >= 3 and words[0] in words[1:]:
        kept = kept[:words.index(words[0], 1)]
    # the words as the text spaces them: "Kim Jong-un", "Ocasio-Cortez", not "Kim Jong - un"
    name = "".join(t.text + (" " if t.whitespace_ else "") for t in kept[:-1]) + (kept[-1].text if kept else "")
    return name.replace("’", "'").strip(EDGE)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what ``re``'s \w matches in a str pattern


def whole_word_offsets(text: str, word: str) -> list[int]:
    """Where ``word`` occurs in ``text`` with no word character just before or after it: the starts of
    ``re.finditer(r"(?<![\\w])" + re.escape(word) + r"(?![\\w])", text)`` (left to right, none overlapping), found
    with ``str.find``: the regex tried every position of the article for each outlet alias it names."""
    if not word:
        return [m.start() for m in re.finditer(r"(?<![\w])(?![\w])", text)]
    found: list[int] = []
    size, end = len(word), len(text)
    at = text.find(word)
    while at >= 0:
        if (at == 0 or not _is_word_char(text[at - 1])) and (at + size == end or not _is_word_char(text[at + size])):
            found.append(at)
            at = text.find(word, at + size)
        else:
            at = text.find(word, at + 1)
    return found


# kinship nouns that bring in a relative of someone the article is about
KIN_NOUNS = frozenset({"wife", "husband", "son", "daughter", "brother", "sister", "mother", "father", "widow", "widower",
                       "stepson", "stepdaughter", "grandson", "granddaughter", "niece", "nephew", "spouse"})


class MentionIndex:
    """What the whole article tells about its mentions, built once per article."""

    def __init__(self, doc: Doc, lex: SourceLexicons):
        self.doc = doc
        self.text = doc_text(doc)
        self.lex = lex
        # Doc.ents builds new Span objects on every access: read them once
        self.ents = list(doc.ents)
        self._ent_of_token = {i: ent for ent in self.ents for i in range(ent.start, ent.end)}
        # a page's hover card ("Nancy Pelosi Nancy PelosiGiuliani pens op-ed ... | Sanders gets endorsement ... MORE")
        # names no one the article speaks of: the full name run into a headline, the headlines' people
        cards = [(m.start("card"), m.end("card")) for m in HOVER_CARD.finditer(self.text)] if " MORE" in self.text else []
        self.persons = [e for e in self.ents if self.is_person_entity(e)
                        and not any(s <= e.start_char < end for s, end in cards)]
        self._person_starts = [e.start for e in self.persons]  # in document order, as Doc.ents are
        # the tokens of person entities, and their words: whether a word names a person somewhere in the article
        self.person_tokens = frozenset(i for e in self.persons for i in range(e.start, e.end))
        self.person_words = frozenset(t.lower_ for e in self.persons for t in e)
        self.full_names = self._build_full_names()
        self.outlet_mentions = self._find_outlets()
        self._outlet_offsets = [off for off, _ in self.outlet_mentions]
        # outlets by the last word of their name (those of more than that word) and by name, for the
        # look-backs from "the Ledger" and "the Post": built on first use
        self._outlets_by_last_word: dict[str, tuple[list[int], list[str]]] | None = None
        self._outlets_by_name: dict[str, list[int]] | None = None
        self.sents = list(doc.sents)

    # Look-ups by position: a long text has thousands of mentions, persons and outlet names, and scanning
    # every person or outlet for each mention made the sources stage quadratic in the text's length.
    def persons_within(self, start: int, end: int) -> list[SpacySpan]:
        """The person entities wholly inside tokens [start, end), in document order."""
        found = []
        for k in range(bisect_left(self._person_starts, start), len(self.persons)):
            ent = self.persons[k]
            if ent.start >= end:
                break
            if ent.end <= end:
                found.append(ent)
        return found

    def persons_before(self, i: int) -> int:
        """How many person entities start before token ``i`` (those are ``persons[:n]``)."""
        return bisect_left(self._person_starts, i)

    def last_outlet_before(self, offset: int, names: Iterable[str] | None = None) -> str | None:
        """The last outlet named in full before character ``offset`` (one of ``names`` when given): the
        latest of ``outlet_mentions`` (sorted by offset, then name) that qualifies."""
        if not names:
            k = bisect_left(self._outlet_offsets, offset)
            return self.outlet_mentions[k - 1][1] if k else None
        if self._outlets_by_name is None:
            self._outlets_by_name = {}
            for off, name in self.outlet_mentions:
                self._outlets_by_name.setdefault(name, []).append(off)
        best: tuple[int, str] | None = None
        for name in set(names):
            offsets = self._outlets_by_name.get(name, [])
            k = bisect_left(offsets, offset)
            if k and (best is None or (offsets[k - 1], name) > best):
                best = (offsets[k - 1], name)
        return best[1] if best is not None else None

    def last_outlet_ending_with(self, word: str, offset: int) -> str | None:
        """The last outlet named before character ``offset`` whose name ends in ``word`` (lower-case) and
        is more than that word ("The Harbor Ledger" for "the Ledger")."""
        if self._outlets_by_last_word is None:
            self._outlets_by_last_word = {}
            for off, name in self.outlet_mentions:
                words = name.split()
                if words and normalise(name) != words[-1].lower():
                    offsets, names = self._outlets_by_last_word.setdefault(words[-1].lower(), ([], []))
                    offsets.append(off)
                    names.append(name)
        offsets, names = self._outlets_by_last_word.get(word, ([], []))
        k = bisect_left(offsets, offset)
        return names[k - 1] if k else None

    def is_person_entity(self, ent: SpacySpan) -> bool:
        """PERSON entities, less the tagger's slips ("Kiev", "Scholars", "the Post"), and a first name and surname
        the tagger took for an organisation ("Justin Tolomeo, FBI special agent")."""
        lex = self.lex
        if ent.label_ == "ORG":
            return self._first_named(ent)
        if ent.label_ != "PERSON":
            return False
        name = normalise(ent.text)  # once: a Span's text is rebuilt from its tokens on every access
        if name in lex.governments or name in lex.media or name in lex.known_orgs:
            return False
        if not any(self.name_like(t) for t in ent):
            return False
        if all(t.lower_ in lex.title_abbreviations or t.is_punct for t in ent):
            return False  # a title the tagger cut off the name after it ("Adm. [Dr.] [Ronny Jackson]"): no one's name
        return ent[0].text[:1].isupper() or ent[0].lower_ in lex.title_abbreviations

    def _first_named(self, ent: SpacySpan) -> bool:
        """Two or three capitalised proper nouns opening with a first name, none of them an organisation word."""
        lex = self.lex
        words = [t for t in ent if t.tag_ != "POS" and t.text not in {"'s", "’s"}]
        if not 2 <= len(words) <= 3 or not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words):
            return False
        if words[0].lower_ not in lex.first_names:
            return False
        norm = normalise(ent.text)
        if norm in lex.known_orgs or norm in lex.governments or norm in lex.media:
            return False
        return not any(t.lemma_.lower() in lex.org_lex or t.lower_ in lex.gov_lex or t.lower_ in lex.media_name_words
                       for t in words)

    def _build_full_names(self) -> dict[str, str]:
        """Each surname (and each full name) -> the longest full name the article uses for it.

        A relative brought in by their kinship after the article has used the surname alone ("Trump said ...",
        then "first lady Melania Trump", "his wife, Melania Trump", "the president's daughter-in-law, Lara
        Trump") shares the surname of the person it already meant: the surname alone is not that relative."""
        out: dict[str, str] = {}
        alone: set[str] = set()  # surnames used alone (or after a title only) so far
        kin: set[str] = set()  # full names the article first gives a relative of someone
        seen: set[str] = set()
        surnames: set[str] = set()  # surnames of the full names given so far, relatives' aside
        for ent in self.persons:
            if self._whole_quotation(ent):
                continue  # a sign's or a chant's words ("signs that said “Impeach Obama”"), not a name for anyone
            name = clean_person_name(ent, self.lex.title_abbreviations)
            if not name:
                continue
            parts = name.split()
            if len(parts) == 1:
                alone.add(name.lower())
            elif name not in seen and (parts[-1].lower() in alone or parts[-1].lower() in surnames) \
                    and self._kin_before(ent):
                kin.add(name)
            seen.add(name)
            if len(parts) > 1 and name not in kin:
                surnames.add(parts[-1].lower())
            # every tail of the name ("de Blasio", "Blasio") points to the longest full form
            for k in range(len(parts)):
                key = " ".join(parts[k:]).lower()
                if k == len(parts) - 1 and k and name in kin:
                    continue
                if len(name) > len(out.get(key, "")):
                    out[key] = name
        return out

    def _whole_quotation(self, ent: SpacySpan) -> bool:
        """Whether a name is all there is between a pair of quotation marks."""
        before = self.text[max(0, ent.start_char - 2):ent.start_char].rstrip()
        after = self.text[ent.end_char:ent.end_char + 2].lstrip(" ,.")
        return before[-1:] in ("“", '"', "‘") and after[:1] in ("”", '"', "’")

    def _kin_before(self, ent: SpacySpan) -> bool:
        """The name is introduced by a kinship noun just before it or among its title words ("first lady Melania
        Trump", "his wife, Melania Trump", "the president's daughter-in-law Lara Trump")."""
        doc = ent.doc
        words = [t.lower_ for t in ent if not t.is_punct]
        i = ent.start - 1
        while i >= max(ent.sent.start, ent.start - 6) and (doc[i].is_punct or doc[i].lower_ in {"in", "law", "-in-law"}):
            i -= 1  # "his wife, Melania Trump"; "daughter-in-law Lara Trump"
        if i >= ent.sent.start:
            words = [doc[i - 1].lower_ if i > ent.sent.start else "", doc[i].lower_] + words
        return any(w in KIN_NOUNS for w in words) or any(a == "first" and b == "lady" for a, b in zip(words, words[1:]))

    def _find_outlets(self) -> list[tuple[int, str]]:
        """Where the article names an outlet in full: (offset, canonical name)."""
        found = []
        low = self.text.lower().replace("’", "'")
        # the aliases that occur in the text, found in one pass first: most of the lexicon never occurs in one article
        for alias, canonical in self.lex.outlet_aliases_in(low):
            for at in whole_word_offsets(low, alias):
                if len(alias) <= 3:
                    # short acronyms only in capitals ("AP", not "ap")
                    if self.text[at:at + len(alias)] != self.text[at:at + len(alias)].upper():
                        continue
                found.append((at, canonical))
        for ent in self.ents:
            if ent.label_ != "ORG":
                continue
            words = [t for t in ent if t.lower_ != "the"]
            if len(words) > 1 and words[-1].lower_ in self.lex.media_name_words \
                    and normalise(ent.text) not in self.lex.media:
                found.append((ent.start_char, tokens_text(words)))
        return sorted(found)

    def entity_at(self, tok: Token) -> SpacySpan | None:
        return self._ent_of_token.get(tok.i)

    def full_name(self, ent: SpacySpan) -> str:
        name = clean_person_name(ent, self.lex.title_abbreviations)
        parts = name.split()
        if not parts:
            return ent.text
        full = self.full_names.get(name.lower()) or self.full_names.get(parts[-1].lower()) or name
        # a first name alone ("Joe") only joins a full name the article uses
        return full if parts[-1].lower() in full.lower().split() else name

    def name_like(self, tok: Token) -> bool:
        """A proper name, or a capitalised word the tagger took for a noun ("Trump", "Sanders")."""
        if tok.pos_ == "PROPN":
            return not self.plural_role(tok)
        if not tok.text[:1].isupper() or tok.pos_ not in {"NOUN", "ADJ", "VERB"}:
            return False
        lemma = tok.lemma_.lower()
        lex = self.lex
        return not any(lemma in words or tok.lower_ in words for words in (lex.person_lex, lex.group_lex, lex.document_lex,
                                                                           lex.org_lex, lex.gov_lex, lex.media_lex))

    def plural_role(self, tok: Token) -> bool:
        """"Scholars", "Black Lawmakers": capitalised plural role nouns the tagger took for names."""
        low = tok.lower_
        stem = low[:-1] if low.endswith("s") else None
        return stem is not None and (stem in self.lex.person_lex or low in self.lex.group_lex or stem in self.lex.group_lex)
