"""Coreference by rules: what a pronoun, a relative pronoun or a bare title ("the senator") points back to."""
from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Span as SpacySpan, Token

from ...nlp import T_POS, doc_text, token_rows
from ..attributions.features import quotation_char_ranges

from .mentions import MentionIndex, is_plural, np_tokens, np_with_conj, strip_tokens

# words that make a title another role: "Deputy Mayor" is not "the mayor", "former President Bill Clinton" not "the
# president"
ROLE_MODIFIERS = {"deputy", "vice", "assistant", "associate", "acting", "former", "ex", "lieutenant", "under", "interim",
                  "co", "sub", "senior", "junior", "prime"}
# of those, the ones writers keep when they describe the person again ("the defence secretary" for "acting Defense
# Secretary Patrick Shanahan" is the same post)
OTHER_ROLE = ROLE_MODIFIERS - {"acting", "interim", "senior", "junior"}


# words that stand for a person in "the one who says", "those who", "anyone who"
_STANDS_FOR_PEOPLE = frozenset({"one", "ones", "those", "anyone", "someone", "everyone", "anybody", "somebody",
                                "everybody", "whoever"})


def is_subject(tok: Token) -> bool:
    t = tok
    for _ in range(4):
        if t.dep_ in {"nsubj", "nsubjpass"}:
            return True
        if t.dep_ not in {"compound", "flat", "poss", "appos", "amod", "conj"} or t.head.i == t.i:
            return False
        t = t.head
    return False


SHARED_SUBJECT_DEPS = {"conj", "advcl", "xcomp"}
_NO_SUBJECT = {"it", "there", "this", "that", "which", "what"}


def shared_subject(verb: Token) -> list[Token] | None:
    """The subject a subjectless speech verb shares with the verb it hangs on: "He has defended Kavanaugh, said
    he ...", "Trump accuses WHO ... and assails the group", "Williamson has the most straightforward approach,
    saying ...", "Kelly is reported to have lost his temper, and described Trump as ..."."""
    own = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
    if own is not None and own.i < verb.i and "\n" in doc_text(verb.doc)[own.idx:verb.idx] and own.sent.start == verb.sent.start:
        # "Advertisement:\n\nGov. Ron DeSantis, whom ..., dismissed": a line before the paragraph is no subject
        return _misparsed_subject(verb)
    if own is not None:
        # "What the FDA recently noted is that ...": a speech verb heading a clausal subject has its own speaker
        if verb.dep_ == "csubj" and own.dep_ == "nsubj" and own.lower_ not in _NO_SUBJECT and own.pos_ != "PRON":
            return strip_tokens(np_tokens(own))
        return None
    misparsed = _misparsed_subject(verb)
    if misparsed is not None:
        return misparsed
    t = verb
    for _ in range(4):
        if t.dep_ == "pcomp" and t.tag_ == "VBG" and t.head.dep_ == "prep":
            t = t.head  # "by telling Trump that ..., his lawyers keep ...": the participle's subject is the clause's
        if t.dep_ not in SHARED_SUBJECT_DEPS | {"prep"} or t.head.i == t.i:
            return None
        if t.dep_ == "advcl" and t.tag_ != "VBG":
            return None  # "when asked, ..." / "to say": only a participle shares its clause's subject
        t = t.head
        subject = next((c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None:
            if subject.lower_ in _NO_SUBJECT:
                return None
            return strip_tokens(np_tokens(subject))
        if t.pos_ not in {"VERB", "AUX"}:
            return None
    return None


def main_clause_subject(verb: Token) -> list[Token] | None:
    """The subject of the sentence's main verb for a participle the parse hung lower, where ``shared_subject``
    finds none: "Pence signaled his readiness to abandon talks ..., telling reporters that ..." (the participle
    read as a modifier of "abandon"), "Mrs. Clinton grinned a little before saying, ..." ("before" read as an
    adverb). Only a participle set off by a comma or after a preposition, and a subject written before it."""
    if verb.tag_ != "VBG":
        return None
    if verb.dep_ == "pcomp":
        if verb.head.tag_ != "IN" or verb.head.dep_ != "advmod":
            return None
    elif verb.dep_ != "advcl" or verb.i == 0 or verb.doc[verb.i - 1].text != "," \
            and not (verb.doc[verb.i - 1].pos_ == "ADV" and verb.i > 1 and verb.doc[verb.i - 2].text == ","):
        return None
    root = verb.sent.root
    if root.pos_ not in {"VERB", "AUX"} or root.i > verb.i:
        return None
    subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None or subject.i > verb.i or subject.lower_ in _NO_SUBJECT:
        return None
    return strip_tokens(np_tokens(subject))


_NAME_ENTS = {"PERSON", "ORG", "GPE", "NORP"}


def _name_phrase(head: Token) -> list[Token]:
    """A name and the titles and modifiers right before it ("Republican Gov. Ron DeSantis"), not what hangs on it."""
    left = head
    while left.i > 0:
        before = head.doc[left.i - 1]
        if before.head.i != head.i or before.dep_ not in {"compound", "amod", "det", "nmod", "poss", "case"} \
                or before.is_punct:
            break
        left = before
    return strip_tokens(list(head.doc[left.i:head.i + 1]))


def _misparsed_subject(verb: Token) -> list[Token] | None:
    """The subject of a finite speech verb that the parse left without one, where the parse hung it elsewhere:
    on the verb's auxiliary ("Warren, Castro, ... have all in some way said"), as a bare noun modifier ("Now
    Beijing, impatient with ..., has said"), or as the noun a comma-closed relative clause before the verb
    hangs on, taken into the phrase before it ("In an interview with host Lawrence O'Donnell, Jones, who built the
    portal, identified ..."; "Advertisement: Gov. Ron DeSantis, whom Jones has accused ..., dismissed ...")."""
    if verb.tag_ not in {"VBD", "VBZ", "VBP", "VBN"} or verb.dep_ not in {"ROOT", "ccomp", "conj"}:
        return None
    for aux in verb.lefts:
        if aux.dep_ == "aux":
            subject = next((c for c in aux.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None and subject.lower_ not in _NO_SUBJECT and subject.pos_ in {"PROPN", "NOUN"}:
                return np_with_conj(subject)  # all the people coordinated, as for a subject parsed right
    for child in verb.lefts:
        # "Now Beijing, ...": the name may hang on the adverb before it
        for tok in [child, *(c for c in child.children if child.dep_ == "advmod")]:
            if tok.dep_ == "npadvmod" and tok.pos_ == "PROPN" and tok.ent_type_ in _NAME_ENTS:
                return _name_phrase(tok)
    # "He has defended Kavanaugh, said he has a hard time ...": a verb coordinated with the one before, which the
    # parse made that verb's complement; the reported words are the complement after it
    lefts = [c for c in verb.lefts if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}]
    if lefts and any(c.dep_ == "ccomp" for c in verb.rights) and verb.i > 0 and verb.doc[verb.i - 1].text == ",":
        subject = next((c for c in lefts[-1].children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.lower_ not in _NO_SUBJECT \
                and not any(t.text in {'"', "“", "”", "'", "‘", "’"} for t in verb.doc[lefts[-1].left_edge.i:verb.i]):
            return strip_tokens(np_tokens(subject))
    # the word before the verb, past its auxiliaries and adverbs and one comma
    j = verb.i - 1
    doc = verb.doc
    while j >= 0 and doc[j].head.i == verb.i and doc[j].dep_ in {"aux", "neg", "advmod"}:
        j -= 1
    if j < 1 or doc[j].text != ",":
        return None
    last = doc[j - 1]
    clause = next((a for a in [last, *last.ancestors] if a.dep_ == "relcl"), None)
    if clause is None or clause.right_edge.i != last.i:
        return None
    named = clause.head
    before = clause.left_edge.i - 2  # "O'Donnell, Jones, who built ...": the relative clause may hang on the first
    if before > named.i and doc[before + 1].text == "," and doc[before].dep_ == "appos" and doc[before].head.i == named.i:
        named = doc[before]  # of two names in apposition; the one right before it is the subject
    if named.pos_ != "PROPN" or named.ent_type_ not in _NAME_ENTS or named.dep_ not in {"appos", "pobj", "dobj", "conj"} \
            or named.i >= clause.i or doc[named.i + 1].text != ",":
        return None
    return _name_phrase(named)


class Coreference:
    def __init__(self, index: MentionIndex):
        self.index = index
        self._quotes: list[tuple[int, int]] | None = None
        self._quote_starts: list[int] = []
        self._title_words: dict[int, set[str]] = {}  # a person's position -> the words of it and the four before
        self._appositive_titles: dict[int, set[str]] = {}  # ... -> the title words in apposition after it
        self._foreign_titles: set[int] = set()  # persons whose title is another country's ("Russian President")
        self._sent_starts: list[int] | None = None  # where each of index.sents starts (a token index)
        # a noun's lemma -> where "a/an/one/another NOUN" first is, among the tokens before _swept_to
        self._first_indefinite: dict[str, int] = {}
        self._swept_to = 0
        # a noun's lemma -> where a singular "a/an/one/another NOUN" is a subject ("An unnamed senator told ..."),
        # among the tokens before _swept_to
        self._indefinite_subjects: dict[str, list[int]] = {}
        self._other_party: dict[str, set[str]] | None = None  # see _not_party

    def relative_antecedent(self, tok: Token) -> list[Token] | None:
        verb = tok.head
        while verb.dep_ not in {"relcl", "acl"} and verb.head.i != verb.i and verb.i >= tok.i - 1 and verb.dep_ != "ROOT":
            verb = verb.head
        if verb.dep_ in {"relcl", "acl"} and verb.head.i < tok.i:
            noun = verb.head
            if tok.lower_ == "which" and not self._speaking_thing(noun):
                noun = self._speaking_thing_above(noun)
            if tok.lower_ in {"who", "whom"} and not self._personal(noun):
                above = self._person_above(noun)
                if above.i != noun.i:
                    # the person's phrase up to the clause ("three operatives familiar with the organization's
                    # inner workings", not "... who declined to speak")
                    return strip_tokens([t for t in np_tokens(above) if t.i < tok.i])
            # "Sen. Grassley, the chairman, who said": the phrase the apposition is about; but "Trump's former
            # bestie, Joe Scarborough, who told": the name, not the description it names
            if noun.dep_ == "appos" and noun.head.i < noun.i and not (
                    noun.i in self.index.person_tokens and noun.head.i not in self.index.person_tokens):
                noun = noun.head
            named = [c for c in noun.children if c.dep_ == "appos" and c.i < tok.i and c.i in self.index.person_tokens]
            if named and noun.i not in self.index.person_tokens:
                noun = named[-1]
            # "Patti LaBelle and Stevie Wonder, who joked": the clause belongs to the nearest conjunct
            return strip_tokens(np_tokens(noun))
        # fall back: the nearest noun to the left
        for t in reversed(tok.doc[max(0, tok.i - 8):tok.i]):
            if t.pos_ in {"PROPN", "NOUN"}:
                return np_with_conj(t)
        return None

    def _personal(self, tok: Token) -> bool:
        """A noun for a person or people: a person's name, or a noun of the person or group lexicons."""
        lex = self.index.lex
        lemma = tok.lemma_.lower()
        return tok.i in self.index.person_tokens or lemma in lex.person_lex or lemma in lex.group_lex \
            or tok.lower_ in lex.person_lex or tok.lower_ in lex.group_lex or tok.pos_ == "PRON" \
            or tok.lower_ in _STANDS_FOR_PEOPLE

    def _speaking_thing(self, tok: Token) -> bool:
        """A noun for something that can say or show: an organisation, a government body, an outlet, a document, a
        group (the lexicons' nouns), or a name the model tags an organisation."""
        lex = self.index.lex
        lemma = tok.lemma_.lower()
        return tok.ent_type_ in {"ORG", "NORP"} or any(
            lemma in words for words in (lex.org_lex, lex.gov_lex, lex.media_lex, lex.document_lex, lex.group_lex,
                                         lex.publication_heads))

    def _speaking_thing_above(self, noun: Token) -> Token:
        """The thing a "which" clause is about when the parse hung it on a noun inside that thing's phrase: "a
        survey of households, which showed", "Partners In Health, a nonprofit based in Boston, which plans"
        (up the prepositions, and a participle they hang on, to a noun that can speak); the noun itself when there
        is no such noun."""
        t = noun
        for _ in range(4):
            if not (t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.i != t.head.i):
                break
            up = t.head.head
            if up.pos_ == "VERB" and up.dep_ == "acl" and up.head.i < up.i:
                up = up.head  # "a nonprofit based in Boston"
            if up.pos_ not in {"NOUN", "PROPN"}:
                break
            if self._speaking_thing(up):
                return up
            t = up
        return noun

    def _person_above(self, noun: Token) -> Token:
        """The person a "who" clause is about when the parse hung it on a thing named inside that person's phrase:
        "Eliseo Medina, secretary-treasurer of the SEIU, who", "Harold Hamm, a donor and the founder of oil producer
        Continental Resources, who", "three operatives familiar with the organization's inner workings who" (up the prepositions, and the
        adjective they hang on, to the person's noun), "Mr. Cruz was campaigning as a populist firebrand who" (the
        subject a predicate "as ..." describes); the noun itself when there is no such person."""
        t = noun
        for _ in range(5):
            if t.dep_ == "appos" and t.head.i < t.i:
                t = t.head  # "secretary-treasurer of the SEIU" after "Eliseo Medina,"
                if self._personal(t) or t.pos_ == "PROPN" and t.i != noun.i:
                    return t  # a description's noun, or the name the apposition describes (tagged a place or not)
                continue
            if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.i != t.head.i:
                up = t.head.head
                if up.pos_ == "ADJ" and up.dep_ == "amod":
                    up = up.head
                if up.pos_ == "ADJ" and up.dep_ in {"acomp", "advmod"}:
                    return noun
                if up.pos_ in {"VERB", "AUX"}:
                    # "campaigning as a populist firebrand who": the verb's subject, when it is a person's name
                    if t.head.lower_ != "as":
                        return noun
                    verb = up
                    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                    while subject is None and verb.dep_ in {"xcomp", "advcl", "conj"} and verb.head.i != verb.i:
                        verb = verb.head  # "has spent the week campaigning as ...": the subject of the clause
                        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                    return subject if subject is not None and subject.i in self.index.person_tokens else noun
                t = up
                if self._personal(t):
                    # "director of the Harbor Health Alliance" after "Rosa Delgado,": the name it describes
                    top = t
                    while top.dep_ == "conj" and top.head.i < top.i:
                        top = top.head  # "Harold Hamm, a Trump donor and the founder of ..., who"
                    named = top.head if top.dep_ == "appos" and top.head.i < top.i else None
                    return named if named is not None and named.i in self.index.person_tokens else t
                continue
            break
        return noun

    def _sent_index(self, tok: Token) -> int:
        sents = self.index.sents
        if self._sent_starts is None:
            self._sent_starts = [s.start for s in sents]
        # sentences follow one another: bisect for the one holding the token, not a scan per pronoun (quadratic)
        i = bisect_right(self._sent_starts, tok.i) - 1
        if i >= 0 and sents[i].start <= tok.i < sents[i].end:
            return i
        return next((i for i, s in enumerate(sents) if s.start <= tok.i < s.end), len(sents) - 1)

    def _candidate_sents(self, tok: Token):
        """The pronoun's own sentence (the part before it), then earlier sentences, nearest first."""
        sents = self.index.sents
        si = self._sent_index(tok)
        own = sents[si]
        yield self.index.doc[own.start:tok.i], True
        for j in range(si - 1, -1, -1):
            yield sents[j], False

    def _gender(self, ent: SpacySpan) -> str | None:
        """"f", "m" or None, from a title or a first name, for this name or the article's full form of it."""
        prev = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        words = {t.lower_ for t in ent} | {prev}
        if words & self.index.lex.male_titles:
            return "m"
        if words & self.index.lex.female_titles:
            return "f"
        full = self.index.full_name(ent).lower().split()
        first = full[0] if full else ""
        if first in self.index.lex.female_names:
            return "f"
        if first in self.index.lex.male_names:
            return "m"
        return None

    def _gender_ok(self, pronoun: Token, ent: SpacySpan) -> bool:
        gender = self._gender(ent)
        if pronoun.lower_ in {"she", "her", "hers", "herself"}:
            return gender != "m"
        if pronoun.lower_ in {"he", "him", "his", "himself"}:
            return gender != "f"
        return True

    def person_antecedent(self, tok: Token) -> list[Token] | None:
        person_lex = self.index.lex.person_lex
        for sent, own in self._candidate_sents(tok):
            persons = [e for e in self.index.persons_within(sent.start, sent.end) if self._gender_ok(tok, e)]
            roles = [t for t in sent if t.pos_ == "NOUN" and not is_plural(t) and t.lemma_.lower() in person_lex
                     and t.dep_ in {"nsubj", "nsubjpass"} and not any(t.i >= e.start and t.i < e.end for e in persons)]
            cands: list[tuple[int, list[Token]]] = [(e.start, list(e)) for e in persons]
            cands += [(t.i, np_tokens(t)) for t in roles]
            if not cands:
                continue
            subjects = [c for c in cands if any(is_subject(t) for t in c[1])]
            pool = subjects or cands
            if own:
                return max(pool, key=lambda c: c[0])[1]
            return min(pool, key=lambda c: c[0])[1]
        return None

    def _quoted(self, tok: Token) -> bool:
        """Whether the token lies inside quotation marks (someone's words, not the article's own subjects)."""
        if self._quotes is None:
            self._quotes = quotation_char_ranges(self.index.text)
            self._quote_starts = [s for s, _ in self._quotes]
        i = bisect_right(self._quote_starts, tok.idx) - 1
        return i >= 0 and tok.idx < self._quotes[i][1]

    def plural_antecedent(self, tok: Token) -> list[Token] | None:
        for sent, own in self._candidate_sents(tok):
            cands = []
            for t in sent:
                if t.dep_ not in {"nsubj", "nsubjpass"} or t.pos_ not in {"NOUN", "PROPN"}:
                    continue
                if own and self._quoted(t):
                    continue  # '"... where the American people will learn ...," they wrote': not the quote's words
                if t.ent_type_ not in {"ORG", "NORP"} and t.lemma_.lower() in self.index.lex.document_lex:
                    continue  # "Trump's policies are draconian! ..., they screamed": things said, not who says them
                has_conj = any(c.dep_ == "conj" for c in t.children)
                if is_plural(t) or has_conj or t.ent_type_ in {"ORG", "NORP"}:
                    cands.append(t)
            if cands:
                head = cands[-1] if own else cands[0]
                return strip_tokens(np_with_conj(head))
        return None

    def neuter_antecedent(self, tok: Token) -> list[Token] | None:
        for sent, own in self._candidate_sents(tok):
            cands = [t for t in sent if t.dep_ in {"nsubj", "nsubjpass"} and t.pos_ in {"NOUN", "PROPN"}
                     and not is_plural(t) and t.ent_type_ != "PERSON"]
            if cands:
                head = cands[-1] if own else cands[0]
                return np_tokens(head)
        return None

    def introduced_indefinitely(self, head: Token) -> bool:
        """"A nurse ... The nurse said": the article introduced this role without a name."""
        # each role's first "a nurse" found in one sweep that goes as far as the furthest head asked about, not by
        # a scan of the tokens before every role noun (quadratic on long texts); nouns picked from the token rows
        doc = self.index.doc
        if head.i > self._swept_to:
            rows = token_rows(doc)
            noun = doc.vocab.strings["NOUN"]
            first = self._first_indefinite
            for i in range(self._swept_to, head.i):
                if rows[i][T_POS] != noun:
                    continue
                tok = doc[i]
                if not is_plural(tok):
                    dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "nummod"}}
                    if dets & {"a", "an", "one", "another"}:
                        first.setdefault(tok.lemma_.lower(), i)
                        if tok.dep_ in {"nsubj", "nsubjpass"} and self._someone_new(tok, dets):
                            self._indefinite_subjects.setdefault(tok.lemma_.lower(), []).append(i)
            self._swept_to = head.i
        at = self._first_indefinite.get(head.lemma_.lower())
        return at is not None and at < head.i

    def _someone_new(self, tok: Token, dets: set[str]) -> bool:
        """Whether an indefinite subject brings in someone the article does not name ("One GOP senator", "another
        official", "An unnamed Republican senator", "a Democratic senator"), not a person just named ("an emotional
        vice president recalled ...") or anyone at all ("an innocent president would need ...")."""
        if dets & {"one", "another"}:
            return True
        return any(c.dep_ in {"amod", "compound", "nmod"} and (c.lower_ in self.index.lex.anon_markers
                                                               or c.ent_type_ in {"NORP", "ORG", "GPE"})
                   for c in tok.children)

    def indefinite_subject_before(self, head: Token) -> int:
        """Where the last singular "a/an/one/another NOUN" of ``head``'s lemma is a subject before it ("One GOP
        senator said ..." before "the senator said"): its token index, -1 when there is none."""
        self.introduced_indefinitely(head)
        return max((i for i in self._indefinite_subjects.get(head.lemma_.lower(), ()) if i < head.i), default=-1)

    def subject_antecedent(self, head: Token, sentences_before: int = 2,
                           reported: tuple[tuple[int, int], ...] | None = None) -> str | None:
        """"Gov. Pat McCrory is blaming ... the Republican said", "Pelosi also said ... The Democrat said": a party
        noun for one person (or another description of one: "Dick Cheney said ... The former vice president said")
        stands for the nearest person named as a subject, outside quotation marks, in its sentence or the
        ``sentences_before`` before; None when there is none, or when "a Democrat" came after that person ("A
        Democrat cited ... the Democrat said", "A Wisconsin Republican said ...": someone unnamed). With
        ``reported`` (character ranges of someone's reported words), not a subject inside them, and None when the
        article names someone else between, outside them ("To hear Hillary Clinton tell it, she's on the verge of
        beating Bernie Sanders ..., but the Vermont senator has told ...")."""
        persons = self.index.persons
        doc = self.index.doc
        first = self._sent_index(head) - sentences_before
        between: set[str] = set()  # the people named since, outside quotation marks and reported words
        for k in range(self.index.persons_before(head.i) - 1, -1, -1):
            ent = persons[k]
            if self._sent_index(ent[0]) < first:
                return None
            if ent.end > head.i or self._quoted(ent[0]):
                continue
            if reported is not None and any(s <= ent.start_char < e for s, e in reported):
                continue
            if not is_subject(ent.root):
                between.add(self.index.full_name(ent))
                continue
            name = self.index.full_name(ent)
            if reported is not None and between - {name}:
                return None
            if head.lower_ in self._not_party().get(name, ()):
                continue  # "Democrat Jon Ossoff conceded to Republican Karen Handel ... But Handel ... The Democrat"
            if any(t.lower_ == head.lower_ and any(c.dep_ == "det" and c.lower_ in {"a", "an", "another", "one"}
                                                   for c in t.children) for t in doc[ent.end:head.i]):
                return None
            return name
        return None

    def _not_party(self) -> dict[str, set[str]]:
        """A person's full name -> the party nouns that are not theirs, from a party word before any mention of
        them ("Republican Karen Handel": not "the Democrat"); one pass over the persons, once per article."""
        if self._other_party is None:
            doc = self.index.doc
            self._other_party = {}
            for ent in self.index.persons:
                others = {OTHER_PARTY[t.lower_] for t in doc[max(0, ent.start - 4):ent.start] if t.lower_ in OTHER_PARTY}
                if others:
                    self._other_party.setdefault(self.index.full_name(ent), set()).update(others)
        return self._other_party

    def role_antecedent(self, head: Token) -> str | None:
        """"the senator" -> the nearest earlier person introduced with that title ("Sen. Graham")."""
        lemma = head.lemma_.lower()
        abbrevs = {a for a, full in self.index.lex.title_abbreviations.items() if full == lemma}
        persons = self.index.persons
        # from the nearest person back: the first that qualifies is the last before the head (each person's
        # words are read once per article, not once per role noun: long texts have thousands of persons).
        # A title before the name ("Sen. Graham", "the senator, Lindsey Graham") first; only when none has it, a
        # title in apposition after a name ("Lena Okafor, the chief economist at Tidewater Bank, ..." for a later
        # "the economist"): "Michael Beckerman, president of the Internet Association" is not "the president" of
        # an article that named President Trump
        # "the former director of the KGB" is not "Dan Coats, the director of national intelligence": a
        # description with its own "of"/"at" phrase names its post, which one title word does not match
        own_post = any(c.dep_ == "prep" for c in head.children)
        # "One GOP senator said ... "I don't like trade wars," the senator said": someone brought in without a name
        # as the subject of a sentence after the last titled person is who "the senator" goes back to
        barrier = self.indefinite_subject_before(head)
        # words that make a title another role: "the president" is not "Vice President Mike Pence" nor "former
        # President Bill Clinton", "the former vice president" not "Vice President Mike Pence"
        described = {t.lower_ for t in head.doc[head.left_edge.i:head.i]} & OTHER_ROLE
        # "Russian President Vladimir Putin" is not "the president" of an article that also names a president
        # without a country ("President Donald Trump"): that one is, the foreign one only when there is none
        home = is_bare_title(head)
        foreign: str | None = None
        for words_of in (self._title_words,) if own_post else (self._title_words, self._appositive_titles):
            for k in range(self.index.persons_before(head.i) - 1, -1, -1):
                if persons[k].end <= barrier:
                    break
                words = words_of.get(k)
                if words is None:
                    ent = persons[k]
                    near = (ent.doc[max(0, ent.start - 4):ent.end] if words_of is self._title_words
                            else ent.doc[ent.end:ent.end + 8])
                    titles = [t for t in near if _titles(t, ent)]
                    words = words_of[k] = {t.lemma_.lower() for t in titles} | {t.lower_ for t in titles}
                    if foreign_title(ent, titles):
                        self._foreign_titles.add(k)
                if (lemma in words or abbrevs & words) and words & OTHER_ROLE == described:
                    if home and words_of is self._title_words and k in self._foreign_titles:
                        foreign = foreign or self.index.full_name(persons[k])
                        continue
                    return self.index.full_name(persons[k])
            if foreign is not None:
                return foreign
        return None


# a party word before a name -> the party noun that name is not ("Republican Karen Handel" is no "the Democrat")
OTHER_PARTY = {"republican": "democrat", "gop": "democrat", "democrat": "republican", "democratic": "republican"}


# a country word in a title that names no other country's office in American news ("U.S. President Donald Trump")
HOME_COUNTRY = frozenset({"u.s.", "us", "u.s", "american", "america", "united", "states", "the"})


def foreign_word(tok: Token) -> bool:
    """A country word that makes a title another country's or body's ("Russian", "Sierra Leone's", not "U.S.")."""
    return ((tok.ent_type_ in {"NORP", "GPE"} or tok.dep_ == "poss" and tok.pos_ == "PROPN")
            and tok.lower_ not in HOME_COUNTRY and tok.dep_ != "punct")


def is_bare_title(head) -> bool:
    """Whether a role noun stands with its article only ("the president", not "the foreign minister" nor "the
    Russian president"): such a title is the home country's unless the article titles no one else so."""
    return all(t.dep_ == "det" for t in head.doc[head.left_edge.i:head.i])


def foreign_title(ent, titles) -> bool:
    """Whether a title word before the name ``ent``, or a word hanging on one, is another country's ("Russian
    President Vladimir Putin", "Sierra Leone's President ...")."""
    return any(t.i < ent.start and foreign_word(w) for t in titles for w in (t, *t.children))


def _titles(tok: Token, ent) -> bool:
    """Whether ``tok`` is a word of the name ``ent`` or a title that hangs on it ("Sen.", "Senate Majority Leader",
    "the senator, Lindsey Graham"), not a noun the name merely follows ("a sailor on the USS Boxer": no title)."""
    if ent.start <= tok.i < ent.end:
        return True
    root = ent.root
    if root.dep_ == "appos" and root.head.i == tok.i:
        return True
    t = tok
    for _ in range(4):
        if t.dep_ not in {"compound", "amod", "nmod", "appos", "punct", "det"} or t.head.i == t.i:
            return False
        t = t.head
        if ent.start <= t.i < ent.end:
            return True
    return False
