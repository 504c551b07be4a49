"""Classification of one source mention: what kind of source it is (person, group, government,
organization, media, document), whether the article names it, its name and the key that makes
mentions of one source one source. Pronouns go through coreference, titles through descriptors."""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span as SpacySpan, Token

from ...nlp import doc_text
from ...textspans import normalise
from .coreference import Coreference
from .descriptors import Descriptors
from .mentions import EDGE, MentionIndex, MentionInfo, is_plural, np_tokens, phrase_head, strip_tokens, tokens_text

GOVERNMENT_ENTS = {"GPE"}
# entities whose name, in apposition to a description, names the source ("the country's charter, the Basic Law")
NAMED_BODY_ENTS = {"LAW", "ORG", "WORK_OF_ART", "FAC"}


def _phrase_in(tokens: list[Token], lexicon: frozenset[str]) -> str | None:
    """The first one- or two-word lemma phrase of ``tokens`` found in ``lexicon`` that ends with the last token (the
    head): a modifier alone says what the head is about, not what it is ("the press secretary" is no press)."""
    lemmas = [t.lemma_.lower() for t in tokens]
    words = [t.lower_ for t in tokens]
    for i in range(len(tokens) - 1):
        for cand in (f"{words[i]} {words[i + 1]}", f"{words[i]} {lemmas[i + 1]}"):
            if cand in lexicon:
                return cand
    if tokens and (lemmas[-1] in lexicon or words[-1] in lexicon):
        return lemmas[-1] if lemmas[-1] in lexicon else words[-1]
    return None


def _inside_clause(tok: Token, head: Token) -> bool:
    """Whether ``tok`` hangs off ``head`` through a clause (relative, participle) rather than a plain modifier."""
    t = tok
    while t.i != head.i and t.head.i != t.i:
        if t.dep_ in {"acl", "relcl", "advcl", "ccomp"}:
            return True
        t = t.head
    return False


SECTOR_NOUNS = frozenset({"industry", "sector"})
# determiners that set a mention apart from the like mentions before it: "other officials", "another aide"
DISTINCT_SET_DETS = frozenset({"other", "another"})

# nouns for one member of a party ("the Republican said"): a person the article named just before
PARTY_MEMBERS = frozenset({"republican", "democrat", "independent", "libertarian"})
# what a plural pronoun that speaks ("they said") is never taken to be: things, which people talk about
SPEAKERLESS_KINDS = frozenset({"document", "unknown"})


def _unknown(text: str) -> MentionInfo:
    return MentionInfo(0, 0, "unknown", False, text or "unknown", None, f"unknown:{normalise(text)}")


def _split_apposition(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """"Rendell, a Clinton surrogate" -> (Rendell, a Clinton surrogate)."""
    for i, tok in enumerate(tokens):
        if tok.text in {",", "(", "—", "–"} and i > 0:
            head_part, tail = tokens[:i], strip_tokens(tokens[i + 1:])
            # "Smith, Jones and Brown" is a list, not an apposition
            if tail and tail[0].lower_ in {"and", "or"}:
                return tokens, []
            if any(t.lower_ in {"and", "or"} for t in tail) and tail[0].ent_type_ == "PERSON" and tail[-1].ent_type_ == "PERSON":
                return tokens, []
            return head_part, tail
    return tokens, []


# what an opening phrase before the subject hangs on the verb by: "Fresh off meetings with Xi Jinping, Kerry said",
# "Days after the election, a news agency reported"
ADVERBIAL_DEPS = {"prep", "advcl", "npadvmod", "advmod"}


# nouns of time that open an adverbial the parser may take for the subject ("Days after the election, ...")
TIME_NOUNS = {"time", "day", "week", "month", "year", "hour", "minute", "moment", "decade"}


def _opens_adverbial(core: list[Token], tail: list[Token]) -> bool:
    """Whether the words before a source's first comma are an opening adverbial, not the speaker: a phrase no noun
    phrase starts with ("After two days of talks with Xi Jinping, John Kerry", "Speaking to reporters, the mayor")
    or one the parse hangs on the verb, with the subject after the comma."""
    if core[0].lower_ not in {"of", "like", "including", "according"} and (core[0].pos_ in {"ADP", "SCONJ"} or core[0].tag_ == "VBG"):
        return True
    if len(core) > 2 and core[0].pos_ == "ADJ" and core[1].pos_ == "ADP" and core[1].lower_ not in {"of", "to"}:
        return True  # "Fresh off meetings with Xi Jinping, Kerry", "Angry at the ruling, the governor"
    return phrase_head(core).dep_ in ADVERBIAL_DEPS and any(t.dep_ in {"nsubj", "nsubjpass"} for t in tail)


def _last_part(tokens: list[Token]) -> list[Token]:
    """The part of a mention after a paragraph break or a colon inside it, which the parse ran into the subject
    ("... Harry Reid's friendship)\n\nWhite House spokeswoman Amy Brundage", "His nice-guy image: The Obama team",
    "an even grimmer statistic: A South Korean simulation"): the speaker is the part next to the verb; less an
    adverb of the verb at its end ("those same newscasts relentlessly")."""
    ids = {t.i for t in tokens}
    while len(tokens) > 1 and tokens[-1].pos_ == "ADV" and tokens[-1].head.i not in ids:
        tokens = strip_tokens(tokens[:-1])  # an adverb of the verb after it: "those same newscasts relentlessly"
    if len(tokens) < 2:
        return tokens
    text = doc_text(tokens[0].doc)
    for k in range(len(tokens) - 2, -1, -1):
        tok, after = tokens[k], tokens[k + 1]
        if "\n" in text[tok.idx:after.idx] or k and tok.text == ":" and after.text[:1].isupper():
            return strip_tokens(tokens[k + 1:])
    return tokens


FINITE_TAGS = {"VBD", "VBZ", "VBP"}


def _clause_subject(tokens: list[Token]) -> list[Token] | None:
    """The subject of a clause a mention took in whole ("white nationalists marched on the campus, chanting ...";
    "Earlier in the evening Trump resurrected talk of ..., reiterating ...", parsed as a noun phrase with the verb an
    adjective of its object: "Trump" the subject, "resurrected" its verb); after "that" ("X tweeted that CBS
    misinterpreted contents of the letter, saying ..."), the subject of the verb that governs the clause. None for a
    noun phrase."""
    ids = {t.i for t in tokens}
    verbs = [t for t in tokens if (t.head.i not in ids or t.head.i == t.i) and t.pos_ in {"VERB", "AUX"}
             and t.tag_ in FINITE_TAGS]
    head = verbs[0] if len(verbs) == 1 else phrase_head(tokens)
    if head.pos_ in {"VERB", "AUX"} and head.tag_ in FINITE_TAGS:
        subject = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i in ids), None)
        if subject is None or subject.tag_ in {"WP", "WDT"} or subject.pos_ == "PRON":
            return None
        return strip_tokens([t for t in np_tokens(subject) if t.i in ids]) or None
    if head.pos_ != "NOUN":
        return None
    verb = next((c for c in head.lefts if c.dep_ == "amod" and c.pos_ == "VERB" and c.tag_ in {"VBD", "VBN"}
                 and c.i in ids and c.i > tokens[0].i), None)
    if verb is None:
        return None
    k = verb.i - 1
    doc = verb.doc
    while k >= tokens[0].i and (doc[k].dep_ == "advmod" and doc[k].head.i == verb.i or doc[k].is_quote):
        k -= 1
    name = doc[k]
    if k < tokens[0].i or name.dep_ not in {"nmod", "compound"} or name.head.i != head.i or not (
            name.pos_ == "PROPN" and name.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}):
        return None
    if any(c.dep_ in {"det", "poss", "amod", "nummod"} and c.i < name.i for c in head.children):
        return None  # "a Google funded study": a determiner or modifier of the noun before the name
    start = name.i
    while start - 1 >= tokens[0].i and doc[start - 1].ent_iob_ == "I" and doc[start - 1].ent_type_ == name.ent_type_ \
            or start - 1 >= tokens[0].i and start == name.i and doc[start - 1].dep_ == "compound" \
            and doc[start - 1].head.i == name.i:
        start -= 1
    if start > 0 and doc[start - 1].lower_ == "that" and doc[start - 1].dep_ == "mark":
        main = doc[start - 1].head.head  # "tweeted" in "X tweeted that CBS ..., saying"
        subject = next((c for c in main.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ not in {"PROPN", "NOUN"}:
            return None
        return strip_tokens(np_tokens(subject))
    return list(doc[start:name.i + 1])


class MentionClassifier:
    def __init__(self, index: MentionIndex, coreference: Coreference, descriptors: Descriptors):
        self.index = index
        self.lex = index.lex
        self.coreference = coreference
        self.descriptors = descriptors

    def classify(self, start: int, end: int) -> MentionInfo:
        span = self.index.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not span.text.strip():
            return MentionInfo(start, end, "unknown", False, self.index.text[start:end], None, f"unknown:{start}")
        tokens = [t for t in span if not t.is_space]
        return self.classify_tokens(tokens, depth=0).with_span(start, end)

    def classify_tokens(self, tokens: list[Token], depth: int) -> MentionInfo:
        tokens = _last_part(strip_tokens(tokens))
        if not tokens:
            return _unknown("")
        others = next((i for i, t in enumerate(tokens) if t.lower_ == "and" and i + 1 < len(tokens)
                       and tokens[i + 1].lower_ in {"other", "others"}), None)
        if others is not None and depth < 3:
            # "Craig Bryan, head of the centre, and other scientists": a group led by the first
            lead = self.classify_tokens(tokens[:others], depth + 1)
            text = tokens_text(tokens)
            return MentionInfo(0, 0, "group", lead.named, text, lead.name if lead.named else None, f"group:{normalise(text)}")
        subject = _clause_subject(tokens)
        if subject is not None and depth < 3:
            return self.classify_tokens(subject, depth + 1)
        core, tail = _split_apposition(tokens)
        if tail and core and (phrase_head(core).ent_type_ in {"DATE", "TIME"} or phrase_head(core).lemma_.lower() in TIME_NOUNS
                              or _opens_adverbial(core, tail)):
            # "time and time again over the past year, Trump and his advisers have insisted": a span that took in
            # the adverbial before the subject; the subject is after the comma
            core, tail = _split_apposition(tail)
        if tail and core and phrase_head(core).pos_ == "NOUN" and phrase_head(core).lemma_.lower() in self.lex.person_lex:
            name_ent = next((e for e in self.index.persons if e.start == tail[0].i and e.end >= tail[-1].i), None)
            if name_ent is not None:
                core, tail = tail, core
        elif tail and len(core) == 1 and core[0].pos_ == "NOUN" and self._stray_word(core[0]) and self._names_person(tail):
            # "... will nullify that tariffs, Sen. Ron Johnson (R-WI), who ..., said": a word of the clause before
            # that the parse made the subject, the speaker named after it
            core, tail = _split_apposition(tail)
        elif tail and core and phrase_head(core).pos_ == "NOUN" and self._names_body(tail):
            # "Hong Kong's mini-constitution, the Basic Law,": the name in apposition is the source's name
            core, tail = tail, core
        text = tokens_text(core)
        norm = normalise(text)

        info = self._lexicon_match(core, norm)
        if info is None and len(core) == 1 and (core[0].lower_ in self.lex.all_pronouns or core[0].tag_ in {"PRP", "PRP$", "WP", "WDT"}):
            info = self._pronoun(core[0], depth)
        if info is None:
            info = self._phrase(core, depth)
        if tail:
            info = self.descriptors.with_apposition(info, tail)
        return info

    def _stray_word(self, tok: Token) -> bool:
        """A plural common noun no source lexicon knows ("tariffs"): no speaker by itself."""
        lex = self.lex
        lemma = tok.lemma_.lower()
        return is_plural(tok) and not any(lemma in words or tok.lower_ in words for words in (
            lex.person_lex, lex.group_lex, lex.org_lex, lex.gov_lex, lex.media_lex, lex.document_lex))

    def _names_person(self, tokens: list[Token]) -> bool:
        """Whether ``tokens`` open with a person's name, maybe after title words ("Sen. Ron Johnson (R-WI), who ...")."""
        first = next((e for e in self.index.persons_within(tokens[0].i, tokens[-1].i + 1)), None)
        return first is not None and first.start - tokens[0].i <= 3 and all(
            self._title_word(t) or t.lower_ in self.lex.title_abbreviations or t.lower_ == "the"  # "Sen." is keyed so
            for t in tokens[:first.start - tokens[0].i])

    def _names_body(self, tokens: list[Token]) -> bool:
        """Whether ``tokens`` (less a leading "the") are a name of a body, law or work the tagger found, maybe with
        words that hang on it ("the Harbor Transit Act of 1921")."""
        words = [t for t in tokens if not (t.i == tokens[0].i and t.lower_ == "the")]
        if not words:
            return False
        ent = self.index.entity_at(words[0])
        return (ent is not None and ent.label_ in NAMED_BODY_ENTS and words[0].i <= ent.start + 1
                and ent.start <= phrase_head(words).i < ent.end)

    # lexicon look-ups: governments by metonymy and outlets --------------------------------------
    def _lexicon_match(self, core: list[Token], norm: str) -> MentionInfo | None:
        text = tokens_text(core)
        lex = self.lex
        if norm in lex.governments:
            canonical, note = lex.governments[norm]
            key = normalise(canonical)
            if key == "kiev":
                key = "kyiv"
            return MentionInfo(0, 0, "government", True, canonical, note or None, f"government:{key}")
        if norm in lex.known_orgs and text[-1:].isalpha() and core[-1].text[:1].isupper() and (len(norm) > 3 or core[-1].text.isupper()):
            name = text[4:] if text.lower().startswith("the ") else text
            return MentionInfo(0, 0, "organization", True, name, None, f"organization:{norm}")
        if norm in lex.media and any(t.text[:1].isupper() for t in core if t.lower_ != "the"):
            # an outlet's name is capitalised: "the economist said", "the hill", "the independent" are common words
            canonical = lex.media[norm]
            if len(norm) <= 3 and text != text.upper():
                return None
            return MentionInfo(0, 0, "media", True, canonical, None, f"media:{normalise(canonical)}")
        if " " not in norm and text[-1:].isalpha() and core[-1].text[:1].isupper():
            # "the Ledger" after "The Harbor Ledger": the last word of an outlet named before
            before = self.index.last_outlet_ending_with(norm, core[0].idx)
            if before is not None and norm not in lex.media_short:
                return MentionInfo(0, 0, "media", True, before, None, f"media:{normalise(before)}")
        if norm in lex.media_short and (text[:1].isupper() or text.lower().startswith("the ")):
            # "the Post", "the paper": the nearest outlet the article named before this mention
            candidates = lex.media_short[norm]
            earlier = self.index.last_outlet_before(core[0].idx, candidates)
            if earlier is None and " " not in norm and core[-1].text[:1].isupper():
                # "the Tribune" after "The Riverton Tribune", not one of the Tribunes the lexicon knows
                earlier = self.index.last_outlet_ending_with(norm, core[0].idx)
            if earlier is not None:
                return MentionInfo(0, 0, "media", True, earlier, None, f"media:{normalise(earlier)}")
            if candidates and text[-1:].isalpha() and any(t.text[:1].isupper() for t in core if t.lower_ != "the"):
                return MentionInfo(0, 0, "media", True, text, None, f"media:{norm}")
        return None

    # pronouns --------------------------------------------------------------------------------------
    def _pronoun(self, tok: Token, depth: int) -> MentionInfo:
        low = tok.lower_
        coreference = self.coreference
        if low in self.lex.second_person:
            return MentionInfo(0, 0, "unknown", False, tok.text, "the reader (generic \"you\")", "unknown:you")
        if low in self.lex.first_person_singular:
            return MentionInfo(0, 0, "person", True, "the author", "the article's author", "person:the author")
        if low in self.lex.first_person_plural:
            return MentionInfo(0, 0, "group", True, "the authors", "the article's authors", "group:the authors")
        if depth > 2:
            return _unknown(tok.text)
        if low in self.lex.relative_pronouns:
            antecedent = coreference.relative_antecedent(tok)
            if antecedent is not None:
                return self.classify_tokens(antecedent, depth + 1)
            return _unknown(tok.text)
        if low in self.lex.personal_pronouns:
            antecedent = coreference.person_antecedent(tok)
            if antecedent is not None:
                return self.classify_tokens(antecedent, depth + 1)
            return MentionInfo(0, 0, "person", True, tok.text, None, f"person:?{tok.idx}")
        if low in self.lex.plural_pronouns:
            antecedent = coreference.plural_antecedent(tok)
            if antecedent is not None:
                info = self.classify_tokens(antecedent, depth + 1)
                if info.kind not in SPEAKERLESS_KINDS:
                    return info
                # "Trump's policies are draconian! He's deporting too many, they screamed": the subject before is
                # what was said, not who; "they" is left as the unnamed people it is
            return MentionInfo(0, 0, "group", False, tok.text, None, f"group:?{tok.idx}")
        if low in self.lex.neuter_pronouns:
            antecedent = coreference.neuter_antecedent(tok)
            if antecedent is not None:
                return self.classify_tokens(antecedent, depth + 1)
        return _unknown(tok.text)

    # noun phrases ------------------------------------------------------------------------------------
    def _phrase(self, core: list[Token], depth: int) -> MentionInfo:
        text = tokens_text(core)
        norm = normalise(text)
        head = phrase_head(core)
        ids = {t.i for t in core}
        first = core[0].lower_
        index, describe = self.index, self.descriptors.descriptor

        if norm in self.lex.indefinite_person:
            return MentionInfo(0, 0, "person", False, text, None, f"person:?{core[0].idx}")
        if first == "both" and any(t.lower_ == "and" for t in core) and depth < 3:
            # "both Kerry and Chinese State Councilor Yang Jiechi": two speakers, however the parse joins them
            and_token = next(t for t in core if t.lower_ == "and")
            halves = [self.classify_tokens([t for t in core[1:] if t.i < and_token.i], depth + 1),
                      self.classify_tokens([t for t in core if t.i > and_token.i], depth + 1)]
            if all(h.named and h.kind == "person" for h in halves):
                name = " and ".join(h.name for h in halves)  # "John Kerry and Yang Jiechi"
                return MentionInfo(0, 0, "group", True, name, None, f"group:{name.lower()}")
            return MentionInfo(0, 0, "group", any(h.named for h in halves), text, None, f"group:{norm}")

        # partitives: "52 percent of voters", "one of the first polls", "a group of doctors"
        if head.lower_ in self.lex.partitive_heads or head.lemma_.lower() in self.lex.partitive_heads or head.like_num:
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None and depth < 3:
                inner = self.classify_tokens([t for t in pobj.subtree if t.i in ids], depth + 1)
                named = inner.named and first not in self.lex.indefinite_dets and head.lower_ not in {"percent", "%", "majority", "number", "group"}
                return MentionInfo(0, 0, inner.kind if inner.kind != "person" else "group", named, text,
                                   describe(core, None), inner.key if named else f"{inner.kind}:{norm}")

        # coordinations: "China and Russia", "Mr. Grassley and Mr. Leahy", "Developers and supporters"
        conjuncts = [c for c in head.children if c.dep_ == "conj" and c.i in ids]
        people = index.persons_within(core[0].i, core[-1].i + 1)
        named_after_role = self._names_after_plural_role(core, people)
        if named_after_role:
            # "Princeton University researchers Stacie Carr and Marta Tienda": the names are who speak, the plural
            # role before them only describes them
            names = [index.full_name(n) if any(n.start == p.start and n.end == p.end for p in people) else n.text
                     for n in named_after_role]
            name = ", ".join(names[:-1]) + " and " + names[-1]
            lead = core[:named_after_role[0].start - core[0].i]
            return MentionInfo(0, 0, "group", True, name, describe(lead, None), f"group:{name.lower()}")
        titled = self._titled_name(core, people)
        if titled is not None:
            # "Center for Immigration Studies Policy Director Jessica Vaughan", "Trump adviser and former House
            # speaker Newt Gingrich": the name the titles lead up to is the person
            name = index.full_name(titled)
            return MentionInfo(0, 0, "person", True, name, describe(core, titled), f"person:{name.lower()}")
        if conjuncts and len(people) == 1 and people[0].end == core[-1].i + 1 and not is_plural(head) and all(
                c.i < people[0].start and c.lemma_.lower() in self.lex.person_lex and not is_plural(c) for c in conjuncts) \
                and not any(t.pos_ == "ADP" for t in core):
            # "Clinton's chief pollster and strategist Joel Benenson": two titles, one person
            name = index.full_name(people[0])
            return MentionInfo(0, 0, "person", True, name, describe(core, people[0]), f"person:{name.lower()}")
        if conjuncts and depth < 3:
            parts = [np_tokens(head)] + [np_tokens(c) for c in conjuncts]
            infos = [self.classify_tokens([t for t in p if t.i in ids], depth + 1) for p in parts]
            kinds = {i.kind for i in infos}
            kind = kinds.pop() if len(kinds) == 1 else "group"
            if kind == "person":
                kind = "group"
            named = any(i.named for i in infos)
            return MentionInfo(0, 0, kind, named, text, None, f"{kind}:{norm}")

        anonymous = self._has_anon_marker(core)
        ent = index.entity_at(head)
        if ent is not None and len(ent) == 1 and head.pos_ == "NOUN" and head.tag_ == "NNS":
            ent = None  # "Automakers expect ..." tagged as a place: a plural common noun, not a name

        if ent is not None and ent.label_ in {"PERSON", "ORG"} and index.is_person_entity(ent):
            name = index.full_name(ent)
            return MentionInfo(0, 0, "person", True, name, describe(core, ent), f"person:{name.lower()}")
        if ent is not None and len(ent) == 1 and ent.label_ in {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"} \
                and index.name_like(head):
            # "Cole argues" tagged a product in an article that named David Cole: the surname is the person's
            full = index.full_names.get(head.lower_.replace("’", "'"))
            if full and len(full.split()) > 1 and head.lower_ in full.lower().split():
                return MentionInfo(0, 0, "person", True, full, None, f"person:{full.lower()}")
        if ent is not None and ent.label_ in {"LAW", "WORK_OF_ART", "EVENT"}:
            return MentionInfo(0, 0, "document", True, ent.text, None, f"document:{normalise(ent.text)}")
        if head.pos_ == "PROPN" and index.plural_role(head):
            return self._common(core, head, text, norm, anonymous, depth)
        if ent is not None and ent.label_ in {"ORG", "GPE", "FAC", "NORP", "LOC"} or (index.name_like(head) and ent is None):
            person = self._known_person(head, ent)
            if person is not None:
                return MentionInfo(0, 0, "person", True, person, describe(core, ent), f"person:{person.lower()}")
            return self._proper(core, head, ent, text, norm, anonymous)

        return self._common(core, head, text, norm, anonymous, depth)

    def _title_word(self, tok: Token) -> bool:
        return tok.lemma_.lower() in self.lex.person_lex or tok.lower_.rstrip(".") in self.lex.title_abbreviations

    def _names_after_plural_role(self, core: list[Token], people: list[SpacySpan]) -> list[SpacySpan]:
        """The names a mention ends with when they follow a plural noun for people, two or more joined by "and" and commas
        only ("researchers Stacie Carr and Marta Tienda"), each two or more capitalised words that read as a name,
        and at least one a person the tagger found; empty otherwise."""
        k = len(core) - 1
        while k >= 0 and (core[k].pos_ == "PROPN" and core[k].text[:1].isupper() or core[k].lower_ in {"and", ","}):
            k -= 1
        lex = self.lex
        if k < 0 or k == len(core) - 1 or not people or not (is_plural(core[k]) and core[k].pos_ == "NOUN") or any(
                core[k].lemma_.lower() in words for words in (lex.org_lex, lex.gov_lex, lex.media_lex, lex.document_lex)):
            return []  # the role: a plural noun for people ("sociologists"), not for bodies or papers
        names, run = [], []
        for t in core[k + 1:] + [None]:
            if t is not None and t.pos_ == "PROPN" and t.text[:1].isupper():
                run.append(t)
                continue
            if len(run) < 2 or t is not None and t.lower_ not in {"and", ","} or not self._person_like(run):
                return []
            names.append(core[0].doc[run[0].i:run[-1].i + 1])
            run = []
        if len(names) < 2 or not any(n.start == p.start and n.end == p.end for n in names for p in people):
            return []
        return names

    def _person_like(self, words: list[Token]) -> bool:
        """Whether capitalised ``words`` listed with a person after a role noun read as a name: none tagged a body
        or a product, or a given name first; a place is a misread name there ("researchers Stacie Carr and Marta
        Tienda", the second tagged a place)."""
        lex = self.lex
        return all(t.ent_type_ in {"", "PERSON", "GPE", "LOC"} for t in words) or (
            words[0].lower_ in lex.first_names)

    def _titled_name(self, core: list[Token], people: list[SpacySpan]) -> SpacySpan | None:
        """The person a mention ends with when only titles lead up to the name: a title word right before it, no
        preposition outside a name ("Supporters of Senator Bernie Sanders" are not the senator), and every other
        person in it a modifier of a title ("Trump adviser")."""
        if not people or people[-1].end != core[-1].i + 1 or people[-1].start == core[0].i:
            return None
        last = people[-1]
        doc = last.doc
        if not (self._title_word(doc[last.start - 1]) or self._title_word(last[0]) and len(last) > 1):
            return None  # a title right before the name, or opening the name's own span ("Councilor Yang Jiechi")
        for t in core:
            if t.i >= last.start:
                break
            if t.pos_ == "CCONJ" and not (t.i > core[0].i and self._title_word(doc[t.i - 1])):
                return None  # "Twitter and President Trump" are two; "adviser and former speaker" one's titles
            if t.pos_ in {"ADP", "VERB", "AUX", "PRON"} or t.is_punct:
                ent = self.index.entity_at(t)
                if ent is None or ent.label_ == "PERSON" or t.is_punct and t.text != "'s":
                    return None
        for other in people[:-1]:
            if other.end >= last.start or not self._title_word(doc[other.end]) and doc[other.end].tag_ != "POS":
                return None
        return last

    def _known_person(self, head: Token, ent: SpacySpan | None) -> str | None:
        """A name the tagger labelled ORG/GPE ("Trump", "Caddell") that the article uses for a person."""
        if not self.index.name_like(head) or (ent is not None and head.i != ent.end - 1 and ent.label_ != "ORG"):
            return None
        if ent is not None and (ent.label_ == "NORP" or ent.label_ != "ORG" and len(ent) > 1):
            return None
        words = [t for t in (ent if ent is not None else [head]) if t.tag_ != "POS" and t.text not in {"'s", "’s"}]
        lex = self.lex
        if any(t.lemma_.lower() in lex.org_lex or t.lower_ in lex.gov_lex or t.lower_ in lex.media_name_words for t in words):
            return None
        name = " ".join(t.text for t in words if t.lower_ != "the").replace("’", "'")
        full_names = self.index.full_names
        full = full_names.get(name.lower()) or full_names.get(head.lower_.replace("’", "'"))
        if full and head.lower_ in full.lower().split():
            return full
        return None

    def _has_anon_marker(self, core: list[Token]) -> bool:
        words = [t.lower_ for t in core]
        joined = " " + " ".join(words) + " "
        for marker in self.lex.anon_markers:
            if " " in marker:
                if f" {marker} " in joined:
                    return True
            elif marker in words:
                return True
        return False

    def _proper(self, core, head, ent, text, norm, anonymous) -> MentionInfo:
        lex, describe = self.lex, self.descriptors.descriptor
        words = [t for t in (ent if ent is not None else core)]
        lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
        name = (ent.text if ent is not None and len(ent.text) >= len(text) - 4 else text).strip(EDGE)
        if name.lower().startswith("the "):
            name = name[4:]
        if (ent is not None and ent.label_ == "NORP" and head.i in range(ent.start, ent.end)) or (
                ent is None and head.tag_ == "NNPS" and core[0].lower_ in self.lex.indefinite_dets | {"the"}):
            # "Republicans", "Democrats", "Americans": a group of people, not anyone in particular; but "the
            # Republican", one party member named by party, is the person the sentences before named
            if len(core) == 2 and core[0].lower_ == "the" and head.tag_ == "NNP" and head.lower_ in PARTY_MEMBERS:
                person = self.coreference.subject_antecedent(head)
                if person is not None:
                    return MentionInfo(0, 0, "person", True, person, text, f"person:{person.lower()}")
            return MentionInfo(0, 0, "group", False, text, describe(core, None), f"group:{self._anon_key(core)}")
        if normalise(name) in lex.media or lemmas & lex.media_name_words and ent is not None and ent.label_ == "ORG":
            canonical = lex.media.get(normalise(name), name)
            return MentionInfo(0, 0, "media", not anonymous, canonical, None, f"media:{normalise(canonical)}")
        if ent is not None and ent.label_ in GOVERNMENT_ENTS or lemmas & lex.gov_lex:
            return MentionInfo(0, 0, "government", not anonymous, name, None, f"government:{normalise(name)}")
        if ent is not None and ent.label_ in {"ORG", "FAC"} or lemmas & lex.org_lex:
            return MentionInfo(0, 0, "organization", not anonymous, name, None, f"organization:{normalise(name)}")
        if ent is None and len(core) == 1 and head.is_sent_start and head.lower_.endswith(("men", "people", "ers", "ists", "ians")):
            # "Fishermen say", "Farmers say": a capitalised plural noun, not a name
            return MentionInfo(0, 0, "group", False, text, text, f"group:{norm}")
        # a capitalised name the tagger did not label: a surname the article uses for a person,
        # else most often a person in news sourcing
        full = self.index.full_names.get(head.lower_) or self.index.full_names.get(norm)
        if full:
            return MentionInfo(0, 0, "person", True, full, describe(core, None) if len(core) > 1 else None, f"person:{full.lower()}")
        if head.lemma_.lower() in lex.person_lex and not is_plural(head):
            return self._common(core, head, text, norm, anonymous, 0)
        lead = self._title_lead(core)
        if lead:
            # "former mayor Ana Ruiz", a name the tagger did not label after lower-case title words: the name is the
            # person's, the title their descriptor
            name = tokens_text(core[lead:]).strip(EDGE)
            return MentionInfo(0, 0, "person", not anonymous, name, tokens_text(core[:lead]), f"person:{normalise(name)}")
        return MentionInfo(0, 0, "person", not anonymous, text.strip(EDGE), None, f"person:{norm}")

    def _title_lead(self, core: list[Token]) -> int:
        """How many lower-case title words ("former mayor", "state senator") open a mention that ends in two or more
        capitalised names; 0 when it does not so open or end."""
        k = 0
        while k < len(core) and core[k].text[:1].islower() and core[k].pos_ in {"ADJ", "NOUN", "DET"}:
            k += 1
        names = core[k:]
        if not k or len(names) < 2 or not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in names) \
                or not any(self._title_word(t) for t in core[:k]):
            return 0
        return k

    def _described_person(self, head: Token, named: bool, resolve: bool, definite: bool, descriptor,
                          result: Callable[[str, bool], MentionInfo]) -> MentionInfo:
        """A person named by a description ("the senator", "the sailor"): when ``named`` and ``resolve``, the person
        the article gave it to ("Sen. Lindsey Graham ... the senator"), and nobody it names when it introduced them
        with "a" ("a sailor who attended the meeting ... the sailor said"); else the description's own reading."""
        if named and resolve:
            resolved = self.coreference.role_antecedent(head)
            if resolved is not None:
                return MentionInfo(0, 0, "person", True, resolved, descriptor, f"person:{resolved.lower()}")
            if definite and self.coreference.introduced_indefinitely(head):
                named = False
        return result("person", named)

    def _owned_by_antecedent(self, core: list[Token], head: Token, lemma: str, outside: list[Token]) -> MentionInfo | None:
        """"its webpage", "its statement": the thing of the body "its" points back to, named through it ("Boxer's
        webpage" after "the Boxer will head out"); None when "its" has no named body before it."""
        its = outside[0] if outside else core[0]
        antecedent = self.coreference.neuter_antecedent(its)
        if antecedent is None:
            return None
        owner = self.classify_tokens(antecedent, 3)
        if not owner.named or owner.kind == "unknown":  # a "person" here is a name the tagger misread: "its" is no one's
            return None
        noun = tokens_text([t for t in core if t.i > its.i])
        if not noun:
            return None
        lex = self.lex
        kind = ("media" if lemma in lex.media_lex and lemma not in lex.document_lex else
                "government" if lemma in lex.gov_lex else "organization" if lemma in lex.org_lex else "document")
        name = f"{owner.name}'s {noun}"
        return MentionInfo(0, 0, kind, True, name, self.descriptors.descriptor(core, None), f"{kind}:{normalise(name)}")

    def _anon_key(self, core: list[Token]) -> str:
        """A key for vague descriptions: "unnamed American officials" ~ "US officials"."""
        words = []
        for t in core:
            low = t.lower_
            if low in DISTINCT_SET_DETS:
                words.append(low)  # "Other Republicans" are not the "Three Republicans" named before
                continue
            if t.is_punct or low in self.lex.definite_dets | self.lex.indefinite_dets | self.lex.possessive_dets or low in self.lex.anon_markers:
                continue
            if t.dep_ in {"relcl", "acl"} or t.tag_ == "POS":
                continue
            words.append(self.lex.country_variants.get(low, t.lemma_.lower()))
        return " ".join(words)

    def _common(self, core, head, text, norm, anonymous, depth) -> MentionInfo:
        lex = self.lex
        lemma = head.lemma_.lower()
        if head.pos_ == "PROPN" and self.index.plural_role(head):
            lemma = head.lower_[:-1] if head.lower_[:-1] in lex.person_lex | lex.group_lex else head.lower_
        plural = is_plural(head) or (head.pos_ == "PROPN" and lemma != head.lower_)
        first = core[0].lower_
        ids = {t.i for t in core}
        outside = [c for c in head.children if c.dep_ in {"det", "poss"} and c.i not in ids and c.i < head.i]
        if outside:
            # "the government's" where the span starts at "government"
            first = outside[0].lower_
        compound = [t for t in core if t.i < head.i]
        phrase = _phrase_in(compound[-1:] + [head], lex.media_lex) if compound else None
        definite = first in self.lex.definite_dets
        possessive = first in self.lex.possessive_dets - self.lex.second_person or any(t.dep_ == "poss" and t.lower_ not in self.lex.second_person for t in core if t.head.i == head.i)
        indefinite = first in self.lex.indefinite_dets or (not definite and not possessive and plural)
        ent_modifier = any(t.ent_type_ in {"ORG", "PERSON", "GPE", "NORP"} or t.pos_ == "PROPN" for t in compound)
        if lemma in lex.document_lex:
            # "a report by the GAO", "Article 21 of the U.N. Charter": the issuer names it
            ent_modifier = ent_modifier or any(t.ent_type_ in {"ORG", "PERSON", "GPE", "LAW"} for t in core
                                               if t.i != head.i and not _inside_clause(t, head))
        descriptor = self.descriptors.descriptor(core, None)

        def result(kind: str, named: bool) -> MentionInfo:
            named = named and not anonymous
            key = f"{kind}:{self._anon_key(core)}" if not named else f"{kind}:{norm}"
            return MentionInfo(0, 0, kind, named, text, descriptor, key)

        if first == "its" and depth < 3 and lemma not in lex.person_lex and lemma not in lex.group_lex:
            owned = self._owned_by_antecedent(core, head, lemma, outside)
            if owned is not None:
                return owned
        if lemma in {"report"} and plural and not definite and not possessive:
            return result("media", False)  # "according to reports"
        if phrase or lemma in lex.media_lex and lemma not in lex.document_lex:
            return result("media", (definite or possessive) and not plural)
        if lemma in lex.gov_lex and lemma not in lex.person_lex:
            return result("government", (definite or possessive or ent_modifier) and not indefinite)
        if lemma in lex.document_lex:
            named = (definite or possessive or ent_modifier) and first not in self.lex.indefinite_dets - {"a", "an"} \
                and (not indefinite or ent_modifier)
            if named and definite and not ent_modifier and depth < 3 and self.coreference.introduced_indefinitely(head):
                named = False  # "an open letter to NBC ... the letter said": a letter the article never names
            return result("document", named)
        if lemma in lex.org_lex and lemma not in lex.person_lex:
            # "the country's largest tech companies": which ones is not said
            # "the auto industry" is a whole sector, which no reader could look up as one body
            return result("organization", (definite or possessive or ent_modifier) and not indefinite and not plural
                          and lemma not in SECTOR_NOUNS)
        if lemma in lex.person_lex and not plural:
            named = (definite or possessive) and lemma not in lex.anon_heads and first not in self.lex.indefinite_dets
            return self._described_person(head, named, depth < 3, definite, descriptor, result)
        if lemma in lex.person_lex or lemma in lex.group_lex:
            named = definite and lemma not in lex.anon_heads and lemma not in lex.group_lex
            if named and head.pos_ == "NOUN" and depth < 3 and not any(
                    t.dep_ in {"poss", "nummod"} or t.pos_ == "PROPN" and t.i < head.i for t in core) \
                    and self.coreference.role_antecedent(head) is None:
                # "the researchers", "The activists": people of a role the article gave no one it names ("Harvard
                # researchers"), not "the senators" after "Sen. Grassley", "the president's lawyers" nor a counted
                # few ("the four liberal justices")
                named = False
            return result("group", named)
        if head.pos_ == "PRON" or not head.is_alpha:
            return _unknown(text)
        # a noun outside the lexicons: sources are mostly people, several of them when plural
        # ("the young ones", "superdelegates", "farmers")
        if plural:
            return result("group", False)
        if depth > 0:
            return _unknown(text)  # an antecedent found by rules: not sure enough to call it a person
        # as for the lexicon's role nouns: "the sailor" is the person the article named so, or nobody it names
        # ("a sailor who attended the meeting ... the sailor said")
        named = (definite or possessive) and first not in self.lex.indefinite_dets
        return self._described_person(head, named, definite, definite, descriptor, result)
