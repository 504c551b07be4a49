"""Who the sources are: resolve each attribution's source span to one source of the article.

Offline, from the shared spaCy parse, its named entities and rules (no coreference model ships
with the installed pipeline):

- partial names and pronouns go to the full name the article uses ("Sullivan", "he" -> Jake
  Sullivan); titles and appositions become the ``descriptor``;
- outlets and their short forms ("the Post" -> The Washington Post once the article named it) and
  governments named by metonymy ("Moscow", "the White House") come from lexicon files;
- ``kind`` and ``named`` follow from the entity type, the head noun's lexicon class and the
  determiner ("a senior official" and "officials familiar with the matter" are anonymous).

``MentionResolver.classify(start, end)`` classifies any span in its article context; the
extractor uses it for attribution sources and ``sourcetrace eval sources`` for gold spans.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from ... import lexicons
from ...model import Source, Span
from ...nlp import doc_text
from ...textspans import NAME_EDGE, normalise

PERSONAL_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
FIRST_PERSON_SINGULAR = {"i", "me", "my", "mine", "myself"}
FIRST_PERSON_PLURAL = {"we", "us", "our", "ours", "ourselves"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
NEUTER_PRONOUNS = {"it", "its", "itself"}
RELATIVE_PRONOUNS = {"who", "whom", "whose", "that", "which"}
SECOND_PERSON = {"you", "your", "yours", "yourself", "yourselves"}
INDEFINITE_PERSON = {"someone", "somebody", "anyone", "anybody", "one", "everyone", "everybody", "nobody", "no one"}

DEFINITE_DETS = {"the", "this", "that", "these", "those"}
INDEFINITE_DETS = {"a", "an", "one", "some", "several", "many", "multiple", "few", "various", "numerous",
                   "other", "another", "any", "two", "three", "four", "five", "most", "certain", "no", "all"}
POSSESSIVE_DETS = {"his", "her", "its", "their", "our", "my", "your"}
# "52 percent of voters", "a group of doctors", "one of the polls": the "of" phrase says who it is
PARTITIVE_HEADS = {"percent", "%", "majority", "minority", "number", "group", "half", "third", "quarter",
                   "share", "lot", "most", "some", "many", "one", "few", "several", "dozen", "dozens",
                   "hundred", "hundreds", "thousand", "thousands", "million", "millions", "handful",
                   "couple", "pair", "each", "all", "both", "none", "any", "rest", "bulk", "plurality"}
TITLE_ABBREVIATIONS = {"mr.": "", "mrs.": "", "ms.": "", "dr.": "doctor", "sen.": "senator", "rep.": "representative",
                       "gov.": "governor", "gen.": "general", "lt.": "lieutenant", "col.": "colonel",
                       "adm.": "admiral", "sgt.": "sergeant", "capt.": "captain", "prof.": "professor",
                       "rev.": "reverend", "pres.": "president", "sec.": "secretary", "atty.": "attorney",
                       "amb.": "ambassador", "del.": "delegate"}
MALE_TITLES = {"mr.", "mr", "sir", "lord", "king", "prince"}
FEMALE_TITLES = {"mrs.", "ms.", "mrs", "ms", "miss", "madam", "lady", "queen", "princess"}
COUNTRY_VARIANTS = {"u.s.": "us", "u.s": "us", "american": "us", "united": "us", "america": "us",
                    "usa": "us", "british": "uk", "u.k.": "uk", "russian": "russia", "ukrainian": "ukraine",
                    "chinese": "china", "european": "eu", "e.u.": "eu"}
EDGE = NAME_EDGE
GOVERNMENT_ENTS = {"GPE"}


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


@lru_cache(maxsize=None)
@lru_cache(maxsize=1)
def _government_aliases() -> dict[str, tuple[str, str]]:
    out = {}
    for canonical, aliases, note in lexicons.load_table("source_governments"):
        for alias in aliases + (canonical,):
            out[normalise(alias)] = (canonical, note)
    return out


def _phrase_in(tokens: list[Token], lexicon: frozenset[str]) -> str | None:
    """The first one- or two-word lemma phrase of ``tokens`` found in ``lexicon``."""
    lemmas = [t.lemma_.lower() for t in tokens]
    words = [t.lower_ for t in tokens]
    for i in range(len(tokens) - 1):
        for cand in (f"{words[i]} {words[i + 1]}", f"{words[i]} {lemmas[i + 1]}"):
            if cand in lexicon:
                return cand
    for lemma, word in zip(lemmas, words):
        if lemma in lexicon or word in lexicon:
            return lemma if lemma in lexicon else word
    return None


def _is_plural(tok: Token) -> bool:
    return tok.tag_ in {"NNS", "NNPS"} or "Number=Plur" in str(tok.morph)


class MentionResolver:
    """Classifies source mentions of one article, using the whole article as context."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc_text(doc)
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
        self.governments = _government_aliases()
        self.media = lexicons.media_aliases()
        self.media_short = lexicons.media_short_forms()
        self.female_names = lexicons.load("first_names_female")
        self.male_names = lexicons.load("first_names_male")
        # Doc.ents builds new Span objects on every access: read them once
        self.ents = list(doc.ents)
        self._ent_of_token = {i: ent for ent in self.ents for i in range(ent.start, ent.end)}
        self.persons = [e for e in self.ents if self._is_person_entity(e)]
        self._full_names = self._build_full_names()
        self._outlet_mentions = self._find_outlets()
        self._sents = list(doc.sents)

    # ---- article-level indices -------------------------------------------------------------
    def _is_person_entity(self, ent: SpacySpan) -> bool:
        """PERSON entities, less the tagger's slips ("Kiev", "Scholars", "the Post")."""
        if ent.label_ != "PERSON" or normalise(ent.text) in self.governments or normalise(ent.text) in self.media:
            return False
        if normalise(ent.text) in self.known_orgs:
            return False
        if not any(self._name_like(t) for t in ent):
            return False
        return ent[0].text[:1].isupper() or ent[0].lower_ in TITLE_ABBREVIATIONS

    def _build_full_names(self) -> dict[str, str]:
        """Each surname (and each full name) -> the longest full name the article uses for it."""
        out: dict[str, str] = {}
        for ent in self.persons:
            name = self._clean_person_name(ent)
            if not name:
                continue
            parts = name.split()
            # every tail of the name ("de Blasio", "Blasio") points to the longest full form
            for k in range(len(parts)):
                key = " ".join(parts[k:]).lower()
                if len(name) > len(out.get(key, "")):
                    out[key] = name
        return out

    @staticmethod
    def _clean_person_name(ent: SpacySpan) -> str:
        words = [t.text for t in ent if t.lower_ not in TITLE_ABBREVIATIONS and t.tag_ != "POS" and t.text not in {"'s", "’s"}]
        return " ".join(words).replace("’", "'").strip(EDGE)

    def _find_outlets(self) -> list[tuple[int, str]]:
        """Where the article names an outlet in full: (offset, canonical name)."""
        found = []
        low = self.text.lower().replace("’", "'")
        for alias, canonical in self.media.items():
            if len(alias) <= 3 and alias.isalpha() and alias not in {"cnn", "nbc", "cbs", "abc", "bbc", "npr", "pbs", "afp", "rt", "ap"}:
                continue
            if alias not in low:
                continue  # a plain substring test first: most of the lexicon never occurs in one article
            for m in re.finditer(r"(?<![\w])" + re.escape(alias) + r"(?![\w])", low):
                if len(alias) <= 3:
                    # short acronyms only in capitals ("AP", not "ap")
                    if self.text[m.start():m.end()] != self.text[m.start():m.end()].upper():
                        continue
                found.append((m.start(), canonical))
        for ent in self.ents:
            words = [t for t in ent if t.lower_ != "the"]
            if ent.label_ == "ORG" and len(words) > 1 and words[-1].lower_ in self.media_name_words \
                    and normalise(ent.text) not in self.media:
                found.append((ent.start_char, self._text(words)))
        return sorted(found)

    # ---- public ----------------------------------------------------------------------------
    def classify(self, start: int, end: int) -> MentionInfo:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not span.text.strip():
            return MentionInfo(start, end, "unknown", False, self.text[start:end], None, f"unknown:{start}")
        tokens = [t for t in span if not t.is_space]
        return self._classify_tokens(tokens, depth=0).with_span(start, end)

    # ---- the classifier ----------------------------------------------------------------------
    def _classify_tokens(self, tokens: list[Token], depth: int) -> MentionInfo:
        tokens = self._strip(tokens)
        if not tokens:
            return self._unknown("")
        others = next((i for i, t in enumerate(tokens) if t.lower_ == "and" and i + 1 < len(tokens)
                       and tokens[i + 1].lower_ in {"other", "others"}), None)
        if others is not None and depth < 3:
            # "Craig Bryan, head of the centre, and other scientists": a group led by the first
            lead = self._classify_tokens(tokens[:others], depth + 1)
            text = self._text(tokens)
            return MentionInfo(0, 0, "group", lead.named, text, lead.name if lead.named else None, f"group:{normalise(text)}")
        core, tail = self._split_apposition(tokens)
        if tail and core and self._head(core).pos_ == "NOUN" and self._head(core).lemma_.lower() in self.person_lex:
            name_ent = next((e for e in self.persons if e.start == tail[0].i and e.end >= tail[-1].i), None)
            if name_ent is not None:
                core, tail = tail, core
        text = self._text(core)
        norm = normalise(text)

        info = self._lexicon_match(core, norm)
        if info is None and len(core) == 1 and (core[0].lower_ in self._all_pronouns() or core[0].tag_ in {"PRP", "PRP$", "WP", "WDT"}):
            info = self._pronoun(core[0], depth)
        if info is None:
            info = self._phrase(core, depth)
        if tail:
            info = self._with_apposition(info, tail)
        return info

    @staticmethod
    def _all_pronouns() -> set[str]:
        return (PERSONAL_PRONOUNS | FIRST_PERSON_SINGULAR | FIRST_PERSON_PLURAL | PLURAL_PRONOUNS
                | NEUTER_PRONOUNS | RELATIVE_PRONOUNS | SECOND_PERSON)

    def _strip(self, tokens: list[Token]) -> list[Token]:
        while tokens and (tokens[0].is_punct or tokens[0].is_space):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].tag_ == "POS"
                          or tokens[-1].text in {"'s", "’s", "'", "’"}):
            tokens = tokens[:-1]
        return tokens

    def _split_apposition(self, tokens: list[Token]) -> tuple[list[Token], list[Token]]:
        """"Rendell, a Clinton surrogate" -> (Rendell, a Clinton surrogate)."""
        for i, tok in enumerate(tokens):
            if tok.text in {",", "(", "—", "–"} and i > 0:
                head_part, tail = tokens[:i], self._strip(tokens[i + 1:])
                # "Smith, Jones and Brown" is a list, not an apposition
                if tail and tail[0].lower_ in {"and", "or"}:
                    return tokens, []
                if any(t.lower_ in {"and", "or"} for t in tail) and tail[0].ent_type_ == "PERSON" and tail[-1].ent_type_ == "PERSON":
                    return tokens, []
                return head_part, tail
        return tokens, []

    @staticmethod
    def _text(tokens: list[Token]) -> str:
        if not tokens:
            return ""
        # the span's slice of the (cached) document text: Span.text would rebuild it token by token
        first, last = tokens[0], tokens[-1]
        return doc_text(first.doc)[first.idx: last.idx + len(last)]

    def _unknown(self, text: str) -> MentionInfo:
        return MentionInfo(0, 0, "unknown", False, text or "unknown", None, f"unknown:{normalise(text)}")

    # lexicon look-ups: governments by metonymy and outlets --------------------------------------
    def _lexicon_match(self, core: list[Token], norm: str) -> MentionInfo | None:
        text = self._text(core)
        if norm in self.governments:
            canonical, note = self.governments[norm]
            key = normalise(canonical)
            if key == "kiev":
                key = "kyiv"
            return MentionInfo(0, 0, "government", True, canonical, note or None, f"government:{key}")
        if norm in self.known_orgs and text[-1:].isalpha() and core[-1].text[:1].isupper() and (len(norm) > 3 or core[-1].text.isupper()):
            name = text[4:] if text.lower().startswith("the ") else text
            return MentionInfo(0, 0, "organization", True, name, None, f"organization:{norm}")
        if norm in self.media:
            canonical = self.media[norm]
            if len(norm) <= 3 and text != text.upper():
                return None
            return MentionInfo(0, 0, "media", True, canonical, None, f"media:{normalise(canonical)}")
        if " " not in norm and text[-1:].isalpha() and core[-1].text[:1].isupper():
            # "the Ledger" after "The Harbor Ledger": the last word of an outlet named before
            before = [c for off, c in self._outlet_mentions if off < core[0].idx and c.split()[-1].lower() == norm
                      and normalise(c) != norm]
            if before and norm not in self.media_short:
                return MentionInfo(0, 0, "media", True, before[-1], None, f"media:{normalise(before[-1])}")
        if norm in self.media_short and (text[:1].isupper() or text.lower().startswith("the ")):
            # "the Post", "the paper": the nearest outlet the article named before this mention
            candidates = self.media_short[norm]
            before = [(off, c) for off, c in self._outlet_mentions if off < core[0].idx and (not candidates or c in candidates)]
            if before:
                canonical = before[-1][1]
                return MentionInfo(0, 0, "media", True, canonical, None, f"media:{normalise(canonical)}")
            if candidates and text[-1:].isalpha() and any(t.text[:1].isupper() for t in core if t.lower_ != "the"):
                return MentionInfo(0, 0, "media", True, text, None, f"media:{norm}")
        return None

    # pronouns --------------------------------------------------------------------------------------
    def _pronoun(self, tok: Token, depth: int) -> MentionInfo:
        low = tok.lower_
        if low in SECOND_PERSON:
            return MentionInfo(0, 0, "unknown", False, tok.text, "the reader (generic \"you\")", "unknown:you")
        if low in FIRST_PERSON_SINGULAR:
            return MentionInfo(0, 0, "person", True, "the author", "the article's author", "person:the author")
        if low in FIRST_PERSON_PLURAL:
            return MentionInfo(0, 0, "group", True, "the authors", "the article's authors", "group:the authors")
        if depth > 2:
            return self._unknown(tok.text)
        if low in RELATIVE_PRONOUNS:
            antecedent = self.relative_antecedent(tok)
            if antecedent is not None:
                return self._classify_tokens(antecedent, depth + 1)
            return self._unknown(tok.text)
        if low in PERSONAL_PRONOUNS:
            antecedent = self._person_antecedent(tok)
            if antecedent is not None:
                return self._classify_tokens(antecedent, depth + 1)
            return MentionInfo(0, 0, "person", True, tok.text, None, f"person:?{tok.idx}")
        if low in PLURAL_PRONOUNS:
            antecedent = self._plural_antecedent(tok)
            if antecedent is not None:
                return self._classify_tokens(antecedent, depth + 1)
            return MentionInfo(0, 0, "group", False, tok.text, None, f"group:?{tok.idx}")
        if low in NEUTER_PRONOUNS:
            antecedent = self._neuter_antecedent(tok)
            if antecedent is not None:
                return self._classify_tokens(antecedent, depth + 1)
        return self._unknown(tok.text)

    def _np_tokens(self, head: Token) -> list[Token]:
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

    def relative_antecedent(self, tok: Token) -> list[Token] | None:
        verb = tok.head
        while verb.dep_ not in {"relcl", "acl"} and verb.head.i != verb.i and verb.i >= tok.i - 1 and verb.dep_ != "ROOT":
            verb = verb.head
        if verb.dep_ in {"relcl", "acl"} and verb.head.i < tok.i:
            noun = verb.head
            if noun.dep_ == "appos" and noun.head.i < noun.i:
                noun = noun.head
            # "Patti LaBelle and Stevie Wonder, who joked": the clause belongs to the nearest conjunct
            return self._strip(self._np_tokens(noun))
        # fall back: the nearest noun to the left
        for t in reversed(tok.doc[max(0, tok.i - 8):tok.i]):
            if t.pos_ in {"PROPN", "NOUN"}:
                return self._np_with_conj(t)
        return None

    def _np_with_conj(self, head: Token) -> list[Token]:
        toks = list(head.subtree)
        cut = [t for t in toks if t.dep_ in {"relcl", "acl"} and t.head.i == head.i]
        if cut:
            stop = min(t.left_edge.i for t in cut)
            toks = [t for t in toks if t.i < stop]
        return self._strip(toks)

    def _sent_index(self, tok: Token) -> int:
        for i, s in enumerate(self._sents):
            if s.start <= tok.i < s.end:
                return i
        return len(self._sents) - 1

    def _candidate_sents(self, tok: Token):
        """The pronoun's own sentence (the part before it), then earlier sentences, nearest first."""
        si = self._sent_index(tok)
        own = self._sents[si]
        yield self.doc[own.start:tok.i], True
        for j in range(si - 1, -1, -1):
            yield self._sents[j], False

    @staticmethod
    def _is_subject(tok: Token) -> bool:
        t = tok
        for _ in range(4):
            if t.dep_ in {"nsubj", "nsubjpass"}:
                return True
            if t.dep_ not in {"compound", "flat", "poss", "appos", "amod", "conj"} or t.head.i == t.i:
                return False
            t = t.head
        return False

    def _gender(self, ent: SpacySpan) -> str | None:
        """"f", "m" or None, from a title or a first name, for this name or the article's full form of it."""
        prev = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        words = {t.lower_ for t in ent} | {prev}
        if words & MALE_TITLES:
            return "m"
        if words & FEMALE_TITLES:
            return "f"
        full = self._full_name(ent).lower().split()
        first = full[0] if full else ""
        if first in self.female_names:
            return "f"
        if first in self.male_names:
            return "m"
        return None

    def _gender_ok(self, pronoun: Token, ent: SpacySpan) -> bool:
        gender = self._gender(ent)
        if pronoun.lower_ in {"she", "her", "hers", "herself"}:
            return gender != "m"
        if pronoun.lower_ in {"he", "him", "his", "himself"}:
            return gender != "f"
        return True

    def _person_antecedent(self, tok: Token) -> list[Token] | None:
        for sent, own in self._candidate_sents(tok):
            persons = [e for e in self.persons if e.start >= sent.start and e.end <= sent.end and self._gender_ok(tok, e)]
            roles = [t for t in sent if t.pos_ == "NOUN" and not _is_plural(t) and t.lemma_.lower() in self.person_lex
                     and t.dep_ in {"nsubj", "nsubjpass"} and not any(t.i >= e.start and t.i < e.end for e in persons)]
            cands: list[tuple[int, list[Token]]] = [(e.start, list(e)) for e in persons]
            cands += [(t.i, self._np_tokens(t)) for t in roles]
            if not cands:
                continue
            subjects = [c for c in cands if any(self._is_subject(t) for t in c[1])]
            pool = subjects or cands
            if own:
                return max(pool, key=lambda c: c[0])[1]
            return min(pool, key=lambda c: c[0])[1]
        return None

    def _plural_antecedent(self, tok: Token) -> list[Token] | None:
        for sent, own in self._candidate_sents(tok):
            cands = []
            for t in sent:
                if t.dep_ not in {"nsubj", "nsubjpass"} or t.pos_ not in {"NOUN", "PROPN"}:
                    continue
                has_conj = any(c.dep_ == "conj" for c in t.children)
                if _is_plural(t) or has_conj or t.ent_type_ in {"ORG", "NORP"}:
                    cands.append(t)
            if cands:
                head = cands[-1] if own else cands[0]
                return self._strip(self._np_with_conj(head))
        return None

    def _neuter_antecedent(self, tok: Token) -> list[Token] | None:
        for sent, own in self._candidate_sents(tok):
            cands = [t for t in sent if t.dep_ in {"nsubj", "nsubjpass"} and t.pos_ in {"NOUN", "PROPN"}
                     and not _is_plural(t) and t.ent_type_ != "PERSON"]
            if cands:
                head = cands[-1] if own else cands[0]
                return self._np_tokens(head)
        return None

    # noun phrases ------------------------------------------------------------------------------------
    def _head(self, tokens: list[Token]) -> Token:
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

    def _phrase(self, core: list[Token], depth: int) -> MentionInfo:
        text = self._text(core)
        norm = normalise(text)
        head = self._head(core)
        ids = {t.i for t in core}
        first = core[0].lower_

        if norm in INDEFINITE_PERSON:
            return MentionInfo(0, 0, "person", False, text, None, f"person:?{core[0].idx}")

        # partitives: "52 percent of voters", "one of the first polls", "a group of doctors"
        if head.lower_ in PARTITIVE_HEADS or head.lemma_.lower() in PARTITIVE_HEADS or head.like_num:
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None and depth < 3:
                inner = self._classify_tokens([t for t in pobj.subtree if t.i in ids], depth + 1)
                named = inner.named and first not in INDEFINITE_DETS and head.lower_ not in {"percent", "%", "majority", "number", "group"}
                return MentionInfo(0, 0, inner.kind if inner.kind != "person" else "group", named, text,
                                   self._descriptor(core, None), inner.key if named else f"{inner.kind}:{norm}")

        # coordinations: "China and Russia", "Mr. Grassley and Mr. Leahy", "Developers and supporters"
        conjuncts = [c for c in head.children if c.dep_ == "conj" and c.i in ids]
        people = [e for e in self.persons if e.start >= core[0].i and e.end <= core[-1].i + 1]
        if conjuncts and len(people) == 1 and people[0].end == core[-1].i + 1 and not _is_plural(head) and all(
                c.i < people[0].start and c.lemma_.lower() in self.person_lex and not _is_plural(c) for c in conjuncts) \
                and not any(t.pos_ == "ADP" for t in core):
            # "Clinton's chief pollster and strategist Joel Benenson": two titles, one person
            name = self._full_name(people[0])
            return MentionInfo(0, 0, "person", True, name, self._descriptor(core, people[0]), f"person:{name.lower()}")
        if conjuncts and depth < 3:
            parts = [self._np_tokens(head)] + [self._np_tokens(c) for c in conjuncts]
            infos = [self._classify_tokens([t for t in p if t.i in ids], depth + 1) for p in parts]
            kinds = {i.kind for i in infos}
            kind = kinds.pop() if len(kinds) == 1 else "group"
            if kind == "person":
                kind = "group"
            named = any(i.named for i in infos)
            return MentionInfo(0, 0, kind, named, text, None, f"{kind}:{norm}")

        anonymous = self._has_anon_marker(core)
        ent = self._entity_at(head)

        if ent is not None and ent.label_ == "PERSON" and self._is_person_entity(ent):
            name = self._full_name(ent)
            return MentionInfo(0, 0, "person", True, name, self._descriptor(core, ent), f"person:{name.lower()}")
        if ent is not None and ent.label_ in {"LAW", "WORK_OF_ART", "EVENT"}:
            return MentionInfo(0, 0, "document", True, ent.text, None, f"document:{normalise(ent.text)}")
        if head.pos_ == "PROPN" and self._plural_role(head):
            return self._common(core, head, text, norm, anonymous, depth)
        if ent is not None and ent.label_ in {"ORG", "GPE", "FAC", "NORP", "LOC"} or (self._name_like(head) and ent is None):
            person = self._known_person(head, ent)
            if person is not None:
                return MentionInfo(0, 0, "person", True, person, self._descriptor(core, ent), f"person:{person.lower()}")
            return self._proper(core, head, ent, text, norm, anonymous)

        return self._common(core, head, text, norm, anonymous, depth)

    def _name_like(self, tok: Token) -> bool:
        """A proper name, or a capitalised word the tagger took for a noun ("Trump", "Sanders")."""
        if tok.pos_ == "PROPN":
            return not self._plural_role(tok)
        if not tok.text[:1].isupper() or tok.pos_ not in {"NOUN", "ADJ", "VERB"}:
            return False
        lemma = tok.lemma_.lower()
        return not any(lemma in lex or tok.lower_ in lex for lex in (self.person_lex, self.group_lex, self.document_lex,
                                                                     self.org_lex, self.gov_lex, self.media_lex))

    def _plural_role(self, tok: Token) -> bool:
        """"Scholars", "Black Lawmakers": capitalised plural role nouns the tagger took for names."""
        low = tok.lower_
        stem = low[:-1] if low.endswith("s") else None
        return stem is not None and (stem in self.person_lex or low in self.group_lex or stem in self.group_lex)

    def _known_person(self, head: Token, ent: SpacySpan | None) -> str | None:
        """A name the tagger labelled ORG/GPE ("Trump", "Caddell") that the article uses for a person."""
        if not self._name_like(head) or (ent is not None and head.i != ent.end - 1 and ent.label_ != "ORG"):
            return None
        if ent is not None and (ent.label_ == "NORP" or ent.label_ != "ORG" and len(ent) > 1):
            return None
        words = [t for t in (ent if ent is not None else [head]) if t.tag_ != "POS" and t.text not in {"'s", "’s"}]
        if any(t.lemma_.lower() in self.org_lex or t.lower_ in self.gov_lex or t.lower_ in self.media_name_words for t in words):
            return None
        name = " ".join(t.text for t in words if t.lower_ != "the").replace("’", "'")
        full = self._full_names.get(name.lower()) or self._full_names.get(head.lower_.replace("’", "'"))
        if full and head.lower_ in full.lower().split():
            return full
        return None

    def person_title(self, name: str) -> str | None:
        """The title the article gives a person where it names them ("Outgoing US President" Joe Biden)."""
        for ent in self.persons:
            if self._full_name(ent) != name:
                continue
            words = []
            i = ent.start - 1
            while i >= 0:
                tok = self.doc[i]
                if tok.dep_ not in {"compound", "amod", "nmod", "npadvmod"} or not (i < tok.head.i < ent.end) or tok.is_punct:
                    break
                words.insert(0, tok)
                i -= 1
            if words:
                return self._text(words)
        return None

    def _entity_at(self, tok: Token) -> SpacySpan | None:
        return self._ent_of_token.get(tok.i)

    def _full_name(self, ent: SpacySpan) -> str:
        name = self._clean_person_name(ent)
        parts = name.split()
        if not parts:
            return ent.text
        full = self._full_names.get(name.lower()) or self._full_names.get(parts[-1].lower()) or name
        # a first name alone ("Joe") only joins a full name the article uses
        return full if parts[-1].lower() in full.lower().split() else name

    def _has_anon_marker(self, core: list[Token]) -> bool:
        words = [t.lower_ for t in core]
        joined = " " + " ".join(words) + " "
        for marker in self.anon_markers:
            if " " in marker:
                if f" {marker} " in joined:
                    return True
            elif marker in words:
                return True
        return False

    def _descriptor(self, core: list[Token], ent: SpacySpan | None) -> str | None:
        """Title words around a name ("US National Security Adviser"), or the description itself."""
        if ent is not None:
            before = [t for t in core if t.i < ent.start and t.lower_ not in DEFINITE_DETS | {"a", "an"}]
            titles = [t for t in ent if t.lower_ in TITLE_ABBREVIATIONS and TITLE_ABBREVIATIONS[t.lower_]]
            words = [t.text for t in before]
            if titles and not words:
                words = [TITLE_ABBREVIATIONS[t.lower_] for t in titles]
            after = [t for t in core if t.i >= ent.end and not t.is_punct and t.tag_ != "POS"]
            desc = " ".join(words + ([self._text(after)] if after else [])).strip(EDGE)
            return desc or None
        toks = [t for t in core if t.lower_ not in DEFINITE_DETS | {"a", "an"}]
        return self._text(toks).strip(EDGE) or None

    def _proper(self, core, head, ent, text, norm, anonymous) -> MentionInfo:
        words = [t for t in (ent if ent is not None else core)]
        lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
        name = (ent.text if ent is not None and len(ent.text) >= len(text) - 4 else text).strip(EDGE)
        if name.lower().startswith("the "):
            name = name[4:]
        if (ent is not None and ent.label_ == "NORP" and head.i in range(ent.start, ent.end)) or (
                ent is None and head.tag_ == "NNPS" and core[0].lower_ in INDEFINITE_DETS | {"the"}):
            # "Republicans", "Democrats", "Americans": a group of people, not anyone in particular
            return MentionInfo(0, 0, "group", False, text, self._descriptor(core, None), f"group:{self._anon_key(core)}")
        if normalise(name) in self.media or lemmas & self.media_name_words and ent is not None and ent.label_ == "ORG":
            canonical = self.media.get(normalise(name), name)
            return MentionInfo(0, 0, "media", not anonymous, canonical, None, f"media:{normalise(canonical)}")
        if ent is not None and ent.label_ in GOVERNMENT_ENTS or lemmas & self.gov_lex:
            return MentionInfo(0, 0, "government", not anonymous, name, None, f"government:{normalise(name)}")
        if ent is not None and ent.label_ in {"ORG", "FAC"} or lemmas & self.org_lex:
            return MentionInfo(0, 0, "organization", not anonymous, name, None, f"organization:{normalise(name)}")
        if ent is None and len(core) == 1 and head.is_sent_start and head.lower_.endswith(("men", "people", "ers", "ists", "ians")):
            # "Fishermen say", "Farmers say": a capitalised plural noun, not a name
            return MentionInfo(0, 0, "group", False, text, text, f"group:{norm}")
        # a capitalised name the tagger did not label: a surname the article uses for a person,
        # else most often a person in news sourcing
        full = self._full_names.get(head.lower_) or self._full_names.get(norm)
        if full:
            return MentionInfo(0, 0, "person", True, full, self._descriptor(core, None) if len(core) > 1 else None, f"person:{full.lower()}")
        if head.lemma_.lower() in self.person_lex and not _is_plural(head):
            return self._common(core, head, text, norm, anonymous, 0)
        return MentionInfo(0, 0, "person", not anonymous, text.strip(EDGE), None, f"person:{norm}")

    def _anon_key(self, core: list[Token]) -> str:
        """A key for vague descriptions: "unnamed American officials" ~ "US officials"."""
        words = []
        for t in core:
            low = t.lower_
            if t.is_punct or low in DEFINITE_DETS | INDEFINITE_DETS | POSSESSIVE_DETS or low in self.anon_markers:
                continue
            if t.dep_ in {"relcl", "acl"} or t.tag_ == "POS":
                continue
            words.append(COUNTRY_VARIANTS.get(low, t.lemma_.lower()))
        return " ".join(words)

    def _common(self, core, head, text, norm, anonymous, depth) -> MentionInfo:
        lemma = head.lemma_.lower()
        if head.pos_ == "PROPN" and self._plural_role(head):
            lemma = head.lower_[:-1] if head.lower_[:-1] in self.person_lex | self.group_lex else head.lower_
        plural = _is_plural(head) or (head.pos_ == "PROPN" and lemma != head.lower_)
        first = core[0].lower_
        ids = {t.i for t in core}
        outside = [c for c in head.children if c.dep_ in {"det", "poss"} and c.i not in ids and c.i < head.i]
        if outside:
            # "the government's" where the span starts at "government"
            first = outside[0].lower_
        compound = [t for t in core if t.i < head.i]
        phrase = _phrase_in(compound[-1:] + [head], self.media_lex) if compound else None
        definite = first in DEFINITE_DETS
        possessive = first in POSSESSIVE_DETS - SECOND_PERSON or any(t.dep_ == "poss" and t.lower_ not in SECOND_PERSON for t in core if t.head.i == head.i)
        indefinite = first in INDEFINITE_DETS or (not definite and not possessive and plural)
        ent_modifier = any(t.ent_type_ in {"ORG", "PERSON", "GPE", "NORP"} or t.pos_ == "PROPN" for t in compound)
        if lemma in self.document_lex:
            # "a report by the GAO", "Article 21 of the U.N. Charter": the issuer names it
            ent_modifier = ent_modifier or any(t.ent_type_ in {"ORG", "PERSON", "GPE", "LAW"} for t in core
                                               if t.i != head.i and not self._inside_clause(t, head))
        descriptor = self._descriptor(core, None)

        def result(kind: str, named: bool) -> MentionInfo:
            named = named and not anonymous
            key = f"{kind}:{self._anon_key(core)}" if not named else f"{kind}:{norm}"
            return MentionInfo(0, 0, kind, named, text, descriptor, key)

        if lemma in {"report"} and plural and not definite and not possessive:
            return result("media", False)  # "according to reports"
        if phrase or lemma in self.media_lex and lemma not in self.document_lex:
            return result("media", (definite or possessive) and not plural)
        if lemma in self.gov_lex and lemma not in self.person_lex:
            return result("government", (definite or possessive or ent_modifier) and not indefinite)
        if lemma in self.document_lex:
            return result("document", (definite or possessive or ent_modifier) and first not in INDEFINITE_DETS - {"a", "an"}
                          and (not indefinite or ent_modifier))
        if lemma in self.org_lex and lemma not in self.person_lex:
            # "the country's largest tech companies": which ones is not said
            return result("organization", (definite or possessive or ent_modifier) and not indefinite and not plural)
        if lemma in self.person_lex and not plural:
            named = (definite or possessive) and lemma not in self.anon_heads and first not in INDEFINITE_DETS
            if named and depth < 3:
                resolved = self._role_antecedent(head)
                if resolved is not None:
                    return MentionInfo(0, 0, "person", True, resolved, descriptor, f"person:{resolved.lower()}")
                if definite and self._introduced_indefinitely(head):
                    named = False
            return result("person", named)
        if lemma in self.person_lex or lemma in self.group_lex:
            named = definite and lemma not in self.anon_heads and lemma not in self.group_lex
            return result("group", named)
        if head.pos_ == "PRON" or not head.is_alpha:
            return self._unknown(text)
        # a noun outside the lexicons: sources are mostly people, several of them when plural
        # ("the young ones", "superdelegates", "farmers")
        if plural:
            return result("group", False)
        if depth > 0:
            return self._unknown(text)  # an antecedent found by rules: not sure enough to call it a person
        return result("person", (definite or possessive) and first not in INDEFINITE_DETS)

    @staticmethod
    def _inside_clause(tok: Token, head: Token) -> bool:
        """Whether ``tok`` hangs off ``head`` through a clause (relative, participle) rather than a plain modifier."""
        t = tok
        while t.i != head.i and t.head.i != t.i:
            if t.dep_ in {"acl", "relcl", "advcl", "ccomp"}:
                return True
            t = t.head
        return False

    def _introduced_indefinitely(self, head: Token) -> bool:
        """"A nurse ... The nurse said": the article introduced this role without a name."""
        lemma = head.lemma_.lower()
        for tok in self.doc[:head.i]:
            if tok.lemma_.lower() == lemma and tok.pos_ == "NOUN" and not _is_plural(tok):
                dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "nummod"}}
                if dets & {"a", "an", "one", "another"}:
                    return True
        return False

    def _role_antecedent(self, head: Token) -> str | None:
        """"the senator" -> the nearest earlier person introduced with that title ("Sen. Graham")."""
        lemma = head.lemma_.lower()
        abbrevs = {a for a, full in TITLE_ABBREVIATIONS.items() if full == lemma}
        best = None
        for ent in self.persons:
            if ent.start >= head.i:
                break
            window = [t for t in ent.doc[max(0, ent.start - 4):ent.end]]
            words = {t.lemma_.lower() for t in window} | {t.lower_ for t in window}
            if lemma in words or abbrevs & words:
                best = ent
        return self._full_name(best) if best is not None else None

    def _with_apposition(self, info: MentionInfo, tail: list[Token]) -> MentionInfo:
        rel = next((i for i, t in enumerate(tail) if i > 0 and t.lower_ in RELATIVE_PRONOUNS and t.tag_ in {"WP", "WDT"}), None)
        if rel is not None:
            tail = self._strip(tail[:rel])
        tail_text = self._text(tail).strip(EDGE)
        if not tail_text:
            return info
        if tail[0].lower_ in RELATIVE_PRONOUNS:
            desc = info.descriptor
        else:
            desc = ", ".join(d for d in (info.descriptor, tail_text) if d)
        named = info.named
        # "mining companies, including Patriot": the list names one of them
        if not named and tail[0].lower_ in {"including", "like", "such"} and any(t.pos_ == "PROPN" for t in tail):
            named = True
        return MentionInfo(info.start, info.end, info.kind, named, info.name, desc or None, info.key)


def mention_resolver(ctx) -> MentionResolver:
    """The article's one ``MentionResolver``, built by the first extractor that needs it and kept in
    ``ctx.mentions`` (building it scans the whole text for outlets and names)."""
    if ctx.mentions is None:
        ctx.mentions = MentionResolver(ctx.doc)
    return ctx.mentions


class SourceResolver:
    """Fills ``sources[]`` and each attribution's ``source_id``."""

    name = "sources"
    requires = ("attribution_chains",)
    assigns = ("sources", "source_keys")

    def __call__(self, ctx) -> None:
        resolver = mention_resolver(ctx)
        text = ctx.report.text
        by_key: dict[str, Source] = {}
        for attribution in ctx.report.attributions:
            if attribution.source is None:
                continue
            info = self._quoted_speaker(resolver, attribution, ctx.report.attributions)
            if info is None:
                info = resolver.classify(attribution.source.start, attribution.source.end)
            source = by_key.get(info.key)
            if source is None:
                source = Source(id=f"s{len(by_key) + 1}", name=info.name, kind=info.kind, named=info.named,
                                descriptor=info.descriptor)
                by_key[info.key] = source
            else:
                if not source.descriptor and info.descriptor:
                    source.descriptor = info.descriptor
                if info.named and not source.named:
                    source.named = True
                    source.name = info.name
            mention = Span.of(text, attribution.source.start, attribution.source.end)
            if all((m.start, m.end) != (mention.start, mention.end) for m in source.mentions):
                source.mentions.append(mention)
            attribution.source_id = source.id
        for source in by_key.values():
            if source.kind == "person" and source.named and not source.descriptor:
                source.descriptor = resolver.person_title(source.name)
        ctx.report.sources = list(by_key.values())
        # later extractors (profile's first reports) map other mentions onto these sources by key
        ctx.source_keys = {key: source.id for key, source in by_key.items()}


    @staticmethod
    def _quoted_speaker(resolver: MentionResolver, attribution, attributions) -> MentionInfo | None:
        """"I"/"we" inside someone's quoted words is that speaker, not the article's author."""
        src = attribution.source
        if src.text.strip().lower() not in FIRST_PERSON_SINGULAR | FIRST_PERSON_PLURAL:
            return None
        outer = [a for a in attributions if a is not attribution and a.source is not None
                 and a.content.start <= src.start < a.content.end
                 and a.source.text.strip().lower() not in FIRST_PERSON_SINGULAR | FIRST_PERSON_PLURAL]
        if not outer:
            return None
        speaker = min(outer, key=lambda a: a.content.end - a.content.start)
        info = resolver.classify(speaker.source.start, speaker.source.end)
        if src.text.strip().lower() in FIRST_PERSON_PLURAL:
            # "we" in a quote: the speaker and those they speak for
            return MentionInfo(src.start, src.end, "group", info.named, f"{info.name} and colleagues",
                               info.descriptor, f"group:{info.key}")
        return info.with_span(src.start, src.end)


def make_source_resolver(options):
    return SourceResolver()
