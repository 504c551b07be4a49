"""Who "he" and "she" are: third-person pronoun sources resolved by the article's speaker chain.

``sources`` resolves a pronoun to the nearest person the parse finds before it, which in news copy is often
someone the speaker talks about: in ``"Mayor Schaaf endangered officers," he said`` the nearest person is the
mayor, inside the quoted words. Newsroom convention is that "he said" continues the person being quoted
unless the story has moved on to someone else as its subject. So, for each attribution whose source is
"he" or "she", this step walks back from the pronoun over the people the article has made salient: earlier
speakers (the resolved sources of earlier attributions) and people who are the grammatical subject of a
sentence, leaving out everyone mentioned inside reported words. The nearest of them whose gender fits the
pronoun (from a title or a first name; unknown fits both) is the speaker. Sources are then merged by
referent, so ``sources[].name`` is the fullest name the article gives and every mention stays linked.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from typing import cast

from spacy.tokens import Span as SpacySpan

from ..languages import lexicons_for
from ..lexicons import Lexicons
from ..model import Attribution, Source, SourceKind, Span
from ..nlp import T_DEP, T_LOWER, T_POS, T_SENT_START, T_TAG, column_in, doc_text, token_array, tokens_of
from ..textspans import normalise
from .attributions.features import quotation_char_ranges
from .attributions.nested import layers_named_inside
from .attributions.syntax import CAPITAL, NON_SPEAKER_LABELS
from .layout import AttributionPositions, add_attribution, drop_tentative_under, remove_attributions
from .sources import MentionInfo, mention_resolver
from .sources.classify import PARTY_MEMBERS
from .sources.coreference import ROLE_MODIFIERS, foreign_title, is_bare_title, is_subject
from .sources.mentions import np_tokens, strip_tokens, tokens_text
from .structure import region_at

SUBJECT_PRONOUNS = {"he": "m", "she": "f"}
# relatives a speaker may mention in their own words, and their gender ("" when the word does not say)
RELATIVES = {"son": "m", "daughter": "f", "wife": "f", "husband": "m", "brother": "m", "sister": "f", "mother": "f",
             "father": "m", "mom": "f", "dad": "m", "grandson": "m", "granddaughter": "f", "grandmother": "f",
             "grandfather": "m", "uncle": "m", "aunt": "f", "nephew": "m", "niece": "f", "boyfriend": "m",
             "girlfriend": "f", "partner": "", "friend": "", "cousin": ""}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# prepositions before a person a sentence may still be about: the one spoken to ("said to Governor Alvarez"), the
# agent ("statements made by Trump, in which he claimed"), the topic ("knew little about Sanders before he announced")
KEPT_PREPOSITIONS = {"to", "by", "about"}


# what a person has that speaks as a body: "her campaign said", "his own administration has warned"
POSSESSED_BODIES = {"campaign": "organization", "administration": "government", "office": "government",
                    "government": "government", "lawyers": "group", "attorneys": "group", "legal team": "group",
                    "team": "group", "family": "group", "company": "organization", "foundation": "organization",
                    "firm": "organization"}
_POSSESSED = re.compile(r"^(his|her)\s+(?:own\s+)?(" + "|".join(sorted(POSSESSED_BODIES, key=len, reverse=True)) + r")$")
_POSSESSIVE_TO_SUBJECT = {"his": "he", "her": "she"}


def possessed_body(mention: str) -> tuple[str, str] | None:
    """("she", "campaign") for "her campaign", ("he", "administration") for "his own administration"."""
    m = _POSSESSED.match(" ".join(mention.strip().lower().split()))
    return (_POSSESSIVE_TO_SUBJECT[m.group(1)], m.group(2)) if m else None


def about_subject(tok) -> bool:
    """The subject, in it or whose it is: "Pride said", "Herod's work isn't done", "a portion of Brokaw's remarks
    stoked anger" (the person a sentence is about, for the "he said" that follows); or one of a plural subject
    named by example: "Other Republicans criticized the resolution, including Kevin McCarthy."."""
    t = tok
    for _ in range(5):
        if t.dep_ in SUBJECT_DEPS:
            return True
        if t.dep_ == "pobj" and t.head.lower_ == "including" and _plural_subject(t.sent):
            return True
        if t.dep_ not in {"compound", "flat", "poss", "appos", "amod", "conj", "pobj", "prep"} or t.head.i == t.i:
            return False
        if t.dep_ == "compound" and t.head.pos_ != "PROPN" and t.head.dep_ == "appos":
            return False  # a name modifying someone's description ("Sen. Graham, a staunch Trump ally, told ..."): not
            # who it is about ("Fiorina friends say she ..." still is Fiorina's)
        if t.dep_ == "prep" and t.lower_ != "of":
            return False  # "said Amos Snead, former spokesman for Roy Blunt": whom the speaker works for, not the subject
        t = t.head
    return False


def _plural_subject(sent) -> bool:
    return any(t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT" and t.tag_ in {"NNS", "NNPS"} for t in sent)


def mid_sentence_names(doc) -> frozenset[str]:
    """Lower-case proper nouns the article capitalises somewhere other than at a sentence's or a quote's start: a
    capitalised word only ever seen opening a sentence ("Criticism", "Acknowledging") is no evidence of a name."""
    candidates = column_in(doc, T_POS, ("PROPN",)) & (token_array(doc)[:, T_SENT_START] != 1)  # not is_sent_start
    candidates[:1] = False
    return frozenset(t.lower_ for t in tokens_of(doc, candidates) if t.text[:1].isupper()
                     and not doc[t.i - 1].is_quote and doc[t.i - 1].text not in {"\n", "\n\n"}
                     and not doc[t.i - 1].is_space)


def quote_opens_sentence(text: str, lo: int, start: int) -> bool:
    """Whether the quotation at ``start`` opens a sentence: a stop just before it, also one inside a quoted title that
    ends the sentence before ('... Morell told “CBS This Morning.” “There is ...')."""
    return text[max(lo, start - 8):start].rstrip().rstrip("”\"’")[-1:] in (".", "!", "?")


@dataclass(frozen=True)
class SalientPerson:
    position: int  # character offset of the mention
    info: MentionInfo
    gender: str | None
    scope: tuple[int, int] | None = None  # the reported words it is mentioned in
    sentence: int | None = None  # set for a person named in a role other than subject: only its sentence's pronouns
    own_sentence: int | None = None  # set for an unnamed person brought in as a speaker: not its sentence's pronouns
    until: int | None = None  # ... nor pronouns past this offset (an unnamed speaker is taken up again at once)


INDEFINITE_DETERMINERS = frozenset({"a", "an", "another", "one"})
INTRODUCED_REACH = 600  # characters after an unnamed speaker's mention in which a "he" / "she" may be them
_FEMALE_DESCRIPTIONS = frozenset({"woman", "spokeswoman", "mother", "wife", "daughter", "sister", "girl", "grandmother",
                                  "congresswoman", "chairwoman", "businesswoman", "actress", "widow", "aunt", "niece"})
_MALE_DESCRIPTIONS = frozenset({"man", "spokesman", "father", "husband", "son", "brother", "boy", "grandfather",
                                "congressman", "chairman", "businessman", "actor", "widower", "uncle", "nephew"})

# words written just before a name that say the person's gender ("Congresswoman Ada Pell", "his wife Ilse Brandt")
_GENDERED_BEFORE_NAME = {w: g for g, words in (("f", _FEMALE_DESCRIPTIONS), ("m", _MALE_DESCRIPTIONS))
                         for w in words if w not in {"woman", "man", "girl", "boy"}}
# those of them that are titles ("Congresswoman Ada Pell", "Chairman Pell")
_GENDERED_ROLE_TITLES = frozenset({"congresswoman", "congressman", "chairwoman", "chairman", "spokeswoman", "spokesman",
                                   "businesswoman", "businessman", "actress", "actor"})


def _described_gender(description: str) -> str | None:
    """"f" or "m" where an unnamed person's description says it ("a woman who ...", "a spokesman for ...")."""
    words = set(re.findall(r"[a-z]+", description.lower()))
    if words & _FEMALE_DESCRIPTIONS and not words & _MALE_DESCRIPTIONS:
        return "f"
    if words & _MALE_DESCRIPTIONS and not words & _FEMALE_DESCRIPTIONS:
        return "m"
    return None


def _in_relative_clause(doc, position: int) -> bool:
    """Whether the token at character ``position`` sits in a relative clause ("..., in which he called ...")."""
    span = doc.char_span(position, position + 1, alignment_mode="expand")
    if span is None or not len(span):
        return False
    t = span[0]
    for _ in range(6):
        if t.head.i == t.i:
            return False
        if t.dep_ == "relcl":
            return True
        t = t.head
    return False


def _continues(source: Source) -> bool:
    """Whether an uncued quotation after this source's goes on with it: a named speaker, or one unnamed person
    ("the sailor, who requested anonymity") whom the next quote still quotes; not an unnamed crowd or body."""
    return source.kind == "person" or (source.named and source.kind in ("group", "organization", "government"))


def _reports_a_clause(doc, start: int, end: int) -> bool:
    """Whether the characters ``[start, end)`` of the parse hold a verb with its own subject (a statement reported,
    not a thing named); without a parse, no."""
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if span is None:
        return False
    return any(t.dep_ in ("nsubj", "nsubjpass", "expl") and t.head.pos_ in ("VERB", "AUX") for t in span)


def info_of_source(source: Source, keys: dict[str, str]) -> MentionInfo:
    """A source already in the report, as a mention info: its name, kind and the referent key it is kept under."""
    key = next((k for k, v in keys.items() if v == source.id), f"{source.kind}:{source.name.lower()}")
    return MentionInfo(0, 0, source.kind, source.named, source.name, source.descriptor, key)


def link_sources(ctx, infos: dict[str, MentionInfo]) -> None:
    """Point each attribution named in ``infos`` (by id) at its referent's source, merging sources by referent
    key; the attribution's source mention (when it has one) moves with it. Sources left without an
    attribution are dropped."""
    report = ctx.report
    text = report.text
    keys: dict[str, str] = dict(ctx.source_keys)
    by_id = {s.id: s for s in report.sources}
    next_id = max((int(s.id[1:]) for s in report.sources if s.id[1:].isdigit()), default=0) + 1
    for attribution in report.attributions:
        info = infos.get(attribution.id)
        if info is None:
            continue
        target_id = keys.get(info.key)
        if target_id is None:
            target = Source(id=f"s{next_id}", name=info.name, kind=cast(SourceKind, info.kind), named=info.named,
                            descriptor=info.descriptor)
            next_id += 1
            by_id[target.id] = target
            keys[info.key] = target_id = target.id
        old = by_id.get(attribution.source_id) if attribution.source_id else None
        src = attribution.source
        if old is not None and old.id != target_id and src is not None:
            old.mentions = [m for m in old.mentions if (m.start, m.end) != (src.start, src.end)]
        target = by_id[target_id]
        if src is not None and all((m.start, m.end) != (src.start, src.end) for m in target.mentions):
            target.mentions.append(Span.of(text, src.start, src.end))
            target.mentions.sort(key=lambda m: m.start)
        attribution.source_id = target_id
    used = {a.source_id for a in report.attributions if a.source_id}
    report.sources = [s for s in by_id.values() if s.id in used]
    ctx.source_keys = {k: v for k, v in keys.items() if v in used}


# a speaker's own words in the first person singular: an organisation speaks as "we", only a person as "I"
_FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})


class PersonsBySpeech:
    """A bare name the tagger took for an organisation ("Herod said", tagged ORG) that the article quotes saying
    "I" is a person: a body speaks as "we" through a spokesperson, never as "I". Such sources are re-keyed as
    people, so the speaker chain can carry "she said" back to them."""

    name = "persons_by_speech"

    def __call__(self, ctx) -> frozenset[str]:
        """Re-keys the sources so found; returns their surnames, lower case, for the speaker chain (the chain's
        test of a bare name, a tagged person or a name seen mid-sentence, does not know them)."""
        report = ctx.report
        candidates = {s.id: s for s in report.sources if s.kind == "organization" and s.named}
        if not candidates:
            return frozenset()
        resolver = mention_resolver(ctx)
        lex = resolver.index.lex
        doc = ctx.doc
        first_person: set[str] = set()
        for a in report.attributions:
            if a.source_id not in candidates or a.source_id in first_person or a.form not in ("direct", "mixed"):
                continue
            span = doc.char_span(a.content.start, a.content.end, alignment_mode="expand")
            if span is not None and any(t.lower_ in _FIRST_SINGULAR and t.pos_ == "PRON" and (t.lower_ != "i" or t.text == "I")
                                        for t in span):
                first_person.add(a.source_id)
        infos: dict[str, MentionInfo] = {}
        surnames: set[str] = set()
        for source_id in first_person:
            source = candidates[source_id]
            words = source.name.split()
            if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words) or normalise(source.name) in lex.known_orgs \
                    or any(w.lower() in lex.org_lex or w.lower() in lex.gov_lex or w.lower() in lex.media_name_words
                           for w in words):
                continue  # "Google", "the Ledger", "Harbor Board": a name the lexicons know for a body
            name = resolver.index.full_names.get(source.name.lower().replace("’", "'"), source.name)
            info = MentionInfo(0, 0, "person", True, name, source.descriptor, f"person:{name.lower()}")
            surnames.add(words[-1].lower())
            for a in report.attributions:
                if a.source_id == source_id:
                    infos[a.id] = info.with_span(a.source.start, a.source.end) if a.source is not None else info
        if infos:
            link_sources(ctx, infos)
        return frozenset(surnames)


class SpeakerChain:
    name = "speaker_chain"

    def __call__(self, ctx, spoken_persons: frozenset[str] = frozenset()) -> None:
        """``spoken_persons``: surnames (lower case) of people known by their quoted "I" (``PersonsBySpeech``)."""
        report = ctx.report
        pronoun_attributions = [a for a in report.attributions if a.source is not None
                                and (a.source.text.strip().lower() in SUBJECT_PRONOUNS
                                     or possessed_body(a.source.text) is not None)]
        if not pronoun_attributions:
            return
        resolver = mention_resolver(ctx)
        reported = sorted((a.content.start, a.content.end) for a in report.attributions)
        starts = [s for s, _ in reported]

        def reported_scope(pos: int) -> tuple[int, int] | None:
            """The innermost reported words around ``pos``."""
            i = bisect_right(starts, pos)
            around = [(s, e) for s, e in reported[max(0, i - 8):i] if s <= pos < e]
            return min(around, key=lambda r: r[1] - r[0]) if around else None

        source_names = {s.id: s.name for s in report.sources}
        regions = report.structure or []
        direct = [a for a in report.attributions if a.source_id in source_names and (
            a.form in ("direct", "mixed") or getattr(region_at(regions, a.content.start, a.content.end), "kind", None)
            in ("transcript_turn", "block_quote", "embedded_post"))]  # a speaker's own words, told as they said them

        quotations = quotation_char_ranges(report.text)
        quotation_starts = [s for s, _ in quotations]

        def in_quotation(pos: int) -> bool:
            i = bisect_right(quotation_starts, pos) - 1
            return i >= 0 and pos < quotations[i][1]

        def quoting(pos: int) -> str | None:
            """Who is speaking in the quoted words around ``pos``: their "he" or "she" is someone else (they
            would say "I"); in a statement only partly quoted, only inside its quotation marks ("Kim has never
            pledged to abandon what he calls his “treasured sword”": Kim's own "he", reported)."""
            around = [a for a in direct if a.content.start <= pos < a.content.end
                      and (a.form != "mixed" or in_quotation(pos))]
            inner = min(around, key=lambda a: a.content.end - a.content.start) if around else None
            return source_names[inner.source_id] if inner is not None else None

        self._mid_sentence = mid_sentence_names(ctx.doc) | spoken_persons
        self._titled = self._titled_genders(ctx.doc, resolver)
        people = self._salient_people(ctx.doc, resolver, report, reported_scope)
        infos: dict[str, MentionInfo] = {}
        # a person's gender once a pronoun has named them ("Pride ... he said"): surnames alone carry none
        learned: dict[str, str] = {}
        # the pronoun sources, and the "he"/"she" subjects of other sentences, in reading order: each resolved
        # pronoun carries its person on ("... asked Harris about it, she promoted her plan. '...,' she said")
        events: list[tuple[int, str, Attribution | None, int | None]] = []  # position, mention, attribution, sentence
        for a in pronoun_attributions:
            assert a.source is not None
            token = ctx.doc.char_span(a.source.start, a.source.end, alignment_mode="expand")
            events.append((a.source.start, a.source.text, a,
                           token.sent.start_char if token is not None and len(token) else None))
        sourced = {e[0] for e in events}
        subjects = column_in(ctx.doc, T_LOWER, SUBJECT_PRONOUNS) & column_in(ctx.doc, T_DEP, SUBJECT_DEPS)
        events += [(t.idx, t.text, None, t.sent.start_char) for t in tokens_of(ctx.doc, subjects) if t.idx not in sourced]
        events.sort(key=lambda e: e[0])
        for position, mention, attribution, sentence in events:
            possessed = possessed_body(mention)
            pronoun = possessed[0] if possessed else mention.strip().lower()
            gender = SUBJECT_PRONOUNS[pronoun]
            scope = reported_scope(position)
            chosen = self._antecedent(people, position, gender, learned, scope, sentence, quoting(position))
            if chosen is None:
                continue
            if possessed is None:
                learned.setdefault(chosen.info.key, gender)
                if not _in_relative_clause(ctx.doc, position):
                    # a pronoun in a relative clause ("drawing on Kennedy's speech, in which he called ...") is
                    # about someone aside: it does not make them the person the next "he said" continues
                    insort(people, SalientPerson(position, chosen.info, gender, scope), key=lambda p: p.position)
            if attribution is None or attribution.source is None:
                continue
            start, end = attribution.source.start, attribution.source.end
            if possessed is not None:
                # "her campaign" is the campaign of the woman the chain points to, named through her
                kind, noun = POSSESSED_BODIES[possessed[1]], possessed[1]
                name = f"{chosen.info.name}'s {noun}"
                infos[attribution.id] = MentionInfo(start, end, kind, True, name, None, f"{kind}:{name.lower()}")
                continue
            infos[attribution.id] = chosen.info.with_span(start, end)
        # a "she" the chain left to the resolver's nearest name, when that name is a man by his first name, title or
        # the article's own "he" for him (or a "he" for a woman): no one the chain can name, rather than the wrong one
        sources = {s.id: s for s in report.sources}
        key_of = {source_id: key for key, source_id in ctx.source_keys.items()}
        for a in pronoun_attributions:
            src = sources.get(a.source_id) if a.source_id else None
            if a.id in infos or a.source is None or src is None or src.kind != "person" or not src.named:
                continue
            mention = a.source.text.strip().lower()
            if mention not in SUBJECT_PRONOUNS:
                continue
            known = self._person_gender(resolver, src.name) or learned.get(key_of.get(src.id, f"person:{src.name.lower()}"))
            if known is not None and known != SUBJECT_PRONOUNS[mention]:
                start = a.source.start
                infos[a.id] = MentionInfo(start, a.source.end, "person", True, a.source.text.strip(), None, f"person:?{start}")
        if infos:
            link_sources(ctx, infos)

    def _salient_people(self, doc, resolver, report, reported_scope) -> list[SalientPerson]:
        """Speakers and sentence subjects (each with the reported words it sits in, if any), and the people a
        sentence names in another role, for a pronoun later in that sentence ("when a journalist asked Harris
        about her support, she promoted ...")."""
        people: list[SalientPerson] = []
        sources = {s.id: s for s in report.sources}
        quoted = quotation_char_ranges(report.text)
        for a in report.attributions:
            src = sources.get(a.source_id) if a.source_id else None
            introduced = self._introduced_speaker(doc, resolver, a, src)
            if introduced is not None and a.source is not None:
                info, sentence = introduced
                # not for a pronoun in the sentence that brings them in: "A man who knew her said she ..."
                people.append(SalientPerson(a.source.start, info, _described_gender(info.name),
                                            reported_scope(a.source.start), own_sentence=sentence,
                                            until=a.source.end + INTRODUCED_REACH))
                continue
            if (a.source is None or src is None or src.kind != "person" or not src.named
                    or a.source.text.strip().lower() in SUBJECT_PRONOUNS
                    or not self._names_person(doc, resolver, a.source.start, a.source.end)):
                continue  # only speakers the parse names as people ("Criticism" at a sentence start is not one)
            info = resolver.classify(a.source.start, a.source.end)
            people.append(SalientPerson(a.source.start, info, self._person_gender(resolver, info.name),
                                        reported_scope(a.source.start)))
        for ent in resolver.index.persons:
            # the subject, or whose the subject is ("Herod's work isn't done. ... she said")
            subject = any(about_subject(t) for t in ent)
            info = resolver.classify(ent.start_char, ent.end_char)
            if info.kind != "person" or not info.named:
                continue
            gender = self._person_gender(resolver, info.name)
            if subject:
                people.append(SalientPerson(ent.start_char, info, gender, reported_scope(ent.start_char)))
            elif gender is not None and not any(s <= ent.start_char < e for s, e in quoted) \
                    and not (ent.root.dep_ == "compound" and ent.root.head.pos_ == "NOUN") \
                    and not (ent.root.dep_ == "poss" and not any(t.dep_ == "relcl" for t in ent.doc[ent.end:ent.sent.end])) \
                    and not (ent.root.dep_ == "pobj" and ent.root.head.lower_ not in KEPT_PREPOSITIONS
                             and not any(c.dep_ == "relcl" for c in ent.root.children)):
                # (not a name that only modifies a noun: "Sen. Graham, a staunch Trump ally, said that he ...", "In
                # a veiled attack on the Trump administration, he railed against ...")
                # nor whose something is, unless a relative clause after it may be on that thing ("Ridley's address
                # at the same spot, in which he promised"), nor a name after a preposition ("who was at the CIA with
                # Trump, ... after he submitted"; "protests surrounding Trump's visit, but he believes") unless a
                # relative clause is on it ("Think of Barry Goldwater, who was so frightened ... that he told"), but
                # the person spoken to: the object of a question or a request ("asked Governor Alvarez about the law")
                # counts for the pronoun of its own sentence even when the question is read as reported words
                people.append(SalientPerson(ent.start_char, info, gender, None, ent.sent.start_char))
        people += self._untagged_surnames(doc, resolver, report, reported_scope)
        people += self._described_subjects(doc, resolver, reported_scope)
        people += self._relatives_in_quotes(doc, reported_scope)
        people.sort(key=lambda p: p.position)
        return people

    @staticmethod
    def _introduced_speaker(doc, resolver, attribution: Attribution,
                            source: Source | None) -> tuple[MentionInfo, int] | None:
        """An unnamed person the article brings in as a speaker with an indefinite description ("an Israeli
        official said", "A woman who asked not to be named told ..."), or with "the" after introducing them so ("a
        nurse ... The nurse said"): someone new, whom no earlier name can be, so the "he" or "she" of the sentences
        after is that person until the story names someone else (a definite "the president" may be a person
        named before, and is left out), with the start of the sentence bringing them in."""
        mention = attribution.source
        if mention is None or source is None or source.kind != "person" or source.named:
            return None
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span) or span[0].lower_ in SUBJECT_PRONOUNS:
            return None
        first = span[0].lower_
        if first not in INDEFINITE_DETERMINERS:
            if first != "the" or not resolver.coreference.introduced_indefinitely(span.root):
                return None
        head = span.root
        if head.tag_ != "NN" or head.lemma_.lower() not in resolver.index.lex.person_lex:
            return None  # one person ("a port official"), not "two officials" nor "a new disclosure by her campaign"
        before = doc[span.start - 2] if span.start > 1 and doc[span.start - 1].text == "," else None
        if head.dep_ == "appos" or before is not None and (before.text == ")" or before.i in resolver.index.person_tokens):
            return None  # "Sen. Tom Cotton (R-Ark.), a Trump ally, said": the description of someone named
        return resolver.classify(mention.start, mention.end), span.sent.start_char

    @staticmethod
    def _relatives_in_quotes(doc, reported_scope) -> list[SalientPerson]:
        """The speaker's own relative, named in their own words ("I've spoken with my son. He says, how bad is this?"):
        an unnamed person the "he" or "she" after it in the same words may be (the speaker would say "I"), not someone
        outside the quote."""
        found = []
        for tok in tokens_of(doc, column_in(doc, T_LOWER, RELATIVES) & column_in(doc, T_POS, ("NOUN",))):
            gender = RELATIVES[tok.lower_]
            if not any(c.dep_ == "poss" and c.lower_ in {"my", "our"} for c in tok.children):
                continue  # "his son ..., he said": the "he" is more likely the father; "my son. He says" the son
            scope = reported_scope(tok.idx)
            if scope is None:
                continue  # outside anyone's words the article names people itself
            start = min(c.idx for c in tok.children if c.dep_ in {"poss", "amod"} and c.i < tok.i)
            text = doc_text(doc)[start:tok.idx + len(tok.text)]
            info = MentionInfo(start, tok.idx + len(tok.text), "person", False, text, None, f"person:?{start}")
            found.append(SalientPerson(start, info, gender or None, scope))
        return found

    def _described_subjects(self, doc, resolver, reported_scope) -> list[SalientPerson]:
        """Subjects that are a person's title with "the" ("So the president is not taking it, and yet he's telling
        Americans ..."), as the person the article gave that title: the story's subject, for the "he" that follows,
        though the title names no one by itself."""
        lex = resolver.index.lex
        found = []
        nouns = column_in(doc, T_DEP, SUBJECT_DEPS) & column_in(doc, T_POS, ("NOUN",)) & column_in(doc, T_TAG, ("NN",))
        for tok in tokens_of(doc, nouns):
            if tok.lemma_.lower() not in lex.person_lex or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
                continue
            if tok.head.dep_ == "ccomp":
                continue  # what someone says or thinks of them ("Comey does not think the president should be
                # impeached. ... he told"): the one spoken of, not who the sentence is about
            start = min(c.idx for c in tok.children if c.dep_ in {"det", "amod", "compound"} and c.i < tok.i)
            info = resolver.classify(start, tok.idx + len(tok.text))
            if info.kind != "person" or not info.named or info.name.lower() == doc_text(doc)[start:tok.idx + len(tok.text)].lower():
                continue  # "the sailor", never named: no one the chain can carry on
            found.append(SalientPerson(start, info, self._person_gender(resolver, info.name), reported_scope(start)))
        return found

    def _names_person(self, doc, resolver, start: int, end: int) -> bool:
        """A person entity, or a bare capitalised name the tagger left untagged ("Pride said", "Hugo Balta, the
        organization's president, said")."""
        index = resolver.index
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        if any(t.i in index.person_tokens for t in span):
            return True
        # the name before an apposition ("Hugo Balta, the organization's president, said")
        comma = next((k for k, t in enumerate(span) if k and t.text == ","), len(span))
        words = [t for t in span[:comma] if not t.is_punct]
        lead = 0  # "former mayor Ana Ruiz": lower-case title words before the name
        while lead < len(words) - 1 and words[lead].text[:1].islower() and words[lead].pos_ in {"ADJ", "NOUN", "DET"}:
            lead += 1
        if lead and any(t.lemma_.lower() in index.lex.person_lex for t in words[:lead]):
            words = words[lead:]
        if not (0 < len(words) <= 3 and all(t.pos_ == "PROPN" and index.name_like(t) for t in words)):
            return False
        # a name the tagger reads as a person elsewhere in the article, a first name and surname, or a name the
        # article capitalises inside a sentence ("Criticism" at a sentence start is none of them)
        return words[-1].lower_ in index.person_words or words[-1].lower_ in self._mid_sentence \
            or (len(words) >= 2 and self._gender(resolver, " ".join(t.text for t in words)) is not None)

    def _untagged_surnames(self, doc, resolver, report, reported_scope) -> list[SalientPerson]:
        """Subjects (or their possessors) that repeat the surname of a person the article names in full or quotes
        by name, but that the entity tagger left untagged or took for a place ("West snapped at him" after "Kanye
        West"; "Herod's work isn't done" where "Herod said" comes later)."""
        index = resolver.index
        known: dict[str, str] = {}
        for source in report.sources:
            words = source.name.split()
            if source.kind == "person" and source.named and words \
                    and (words[-1].lower() in index.person_words or words[-1].lower() in self._mid_sentence):
                known.setdefault(words[-1].lower(), source.name)
        for full in index.full_names.values():
            if len(full.split()) >= 2:
                known[full.split()[-1].lower()] = full
        found = []
        for tok in tokens_of(doc, column_in(doc, T_POS, ("PROPN",))):
            if tok.i in index.person_tokens or not tok.text[:1].isupper() or not about_subject(tok):
                continue
            full = known.get(tok.lower_)
            if full is None or any(c.dep_ in {"compound", "flat"} for c in tok.children):
                continue
            info = MentionInfo(tok.idx, tok.idx + len(tok.text), "person", True, full, None, f"person:{full.lower()}")
            found.append(SalientPerson(tok.idx, info, self._person_gender(resolver, full), reported_scope(tok.idx)))
        return found

    @staticmethod
    def _titled_genders(doc, resolver) -> dict[str, str]:
        """The surnames the article writes after a gendered title or noun ("Mr. Quennell", "Congresswoman Ada Pell",
        "his wife, Ilse Brandt"), with that gender: a name shortened to the surname loses its "Mr." but keeps him a
        man. A surname given both genders (a couple, "Mr. and Mrs. Brandt") says none."""
        lex = resolver.index.lex
        words = set(lex.male_titles) | set(lex.female_titles) | set(_GENDERED_BEFORE_NAME)
        found: dict[str, str | None] = {}
        for tok in tokens_of(doc, column_in(doc, T_LOWER, words)):
            if tok.lower_ in lex.male_titles:
                gender = "m"
            elif tok.lower_ in lex.female_titles:
                gender = "f"
            else:
                gender = _GENDERED_BEFORE_NAME[tok.lower_]
            j = tok.i + 1
            if j < len(doc) and doc[j].text == "," and tok.lower_ in _GENDERED_BEFORE_NAME:
                j += 1  # "his wife, Ilse Brandt,"
            k = j
            while k < len(doc) and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper() and not doc[k].is_punct:
                k += 1
            if k == j or k - j > 3:
                continue
            # a title goes with the surname ("Mr. Quennell" is "Quennell" later); a relative's or a role's lower-case
            # noun only with the name it is written with ("Brandt's wife, Ilse Brandt" says nothing of Hollis Brandt);
            # a relative's noun with a capital is a name's own word ("Mother Jones", "Father Christmas")
            titled = tok.lower_ not in _GENDERED_BEFORE_NAME or tok.lower_ in _GENDERED_ROLE_TITLES and tok.text[:1].isupper()
            if not titled and tok.text[:1].isupper():
                continue
            key = doc[k - 1].lower_ if titled else " ".join(t.lower_ for t in doc[j:k])
            found[key] = gender if found.get(key, gender) == gender else None
        return {name: gender for name, gender in found.items() if gender is not None}

    def _person_gender(self, resolver, name: str) -> str | None:
        """The gender a name's title or first name says, or else the title the article writes before its surname."""
        gender = self._gender(resolver, name)
        words = name.lower().split()
        if gender is None and words:
            gender = self._titled.get(" ".join(words)) or self._titled.get(words[-1])
        return gender

    @staticmethod
    def _gender(resolver, name: str) -> str | None:
        words = name.lower().split()
        if not words:
            return None
        if words[0] in resolver.index.lex.male_titles:
            return "m"
        if words[0] in resolver.index.lex.female_titles:
            return "f"
        first = next((w for w in words if w.rstrip(".") not in {"mr", "mrs", "ms", "dr"}), "")
        if first in resolver.index.lex.female_names and first not in resolver.index.lex.male_names:
            return "f"
        if first in resolver.index.lex.male_names and first not in resolver.index.lex.female_names:
            return "m"
        return None

    @staticmethod
    def _antecedent(people: list[SalientPerson], position: int, gender: str, learned: dict[str, str],
                    scope: tuple[int, int] | None, sentence: int | None, quoting: str | None = None) -> SalientPerson | None:
        """The nearest person before ``position`` whose gender fits: one inside reported words only for a
        pronoun inside the same words ("He said Mayor Schaaf risked lives when she warned ...") or inside words
        reported within them ("Lewis warns that Kim has never pledged to abandon what he calls ...": Kim's), one
        named in another role only for a pronoun in the same sentence."""
        i = bisect_right([p.position for p in people], position - 1)
        for person in reversed(people[:i]):
            if person.scope is not None and (scope is None or not (
                    scope[0] <= person.scope[0] < person.scope[1] <= scope[1]  # the same words, or words inside them
                    or person.scope[0] <= position < person.scope[1])):  # words around a layer the pronoun is in
                continue
            if person.sentence is not None and person.sentence != sentence or person.info.name == quoting:
                continue
            if person.own_sentence is not None and person.own_sentence == sentence \
                    or person.until is not None and position > person.until:
                continue
            if (person.gender or learned.get(person.info.key)) in (None, gender):
                return person
        return None

MIN_CONTINUED_WORDS = 4  # a quotation shorter than this after a quoted speaker is a term, not more of the quote
_QA = re.compile(r"^(?P<label>Q|A)\s*[:.]\s+\S")
_OPENING = ("“", '"', "‘")
_ELLIPSIS_LINE = re.compile(r"^[\s.…]+$")
# a credit line between two quoted paragraphs: a name, a comma, an outlet, alone on its line
_CREDIT_BETWEEN = re.compile(r"^[ \t]*[A-Z][^\n.,“”\"?!:]{2,60},[ \t]+[A-Z][^\n.“”\"?!:]{1,60}[ \t]*$", re.MULTILINE)
# a label of the page's own, no speaker's ("THE FACTS:", "EDITOR'S NOTE:")
_OWN_LABEL = re.compile(rf"^(?P<label>[{CAPITAL}](?:[^\W\d_]|['’ ]){{0,30}}):")


def _opening_quote_ends_sentence(line: str) -> bool:
    """Whether a paragraph's opening quotation is a sentence of its own, as a quote paragraph's is: "“We will see,”
    deadpanned the coach." (a cue the stages did not read) and "“The Crown,” starring Claire Foy, won again" (a
    title) go on with words after a comma or none, and no quoted speaker's words go on in them."""
    quotes = quotation_char_ranges(line)
    if not quotes or quotes[0][0] != 0:
        return True
    inside = line[:quotes[0][1]].rstrip("”\"’' ")
    rest = line[quotes[0][1]:].lstrip()
    return not rest or inside[-1:] in (".", "!", "?", "…", ":", ";") or rest[:1] in (".", "!", "?", "…", "“", '"')


class UncuedStatements:
    """Continuation paragraphs and Q&A answers, linked to their speaker's source once sources are known."""

    name = "uncued_statements"

    def __init__(self, lexicons: Lexicons | None = None):
        """``lexicons``: the article language's word lists, for the speakers named inside uncued statements."""
        self.lexicons = lexicons

    def __call__(self, ctx) -> None:
        report = ctx.report
        self._own_sayings_in_turns(report)
        regions = [r for r in (report.structure or [])
                   if r.kind in ("body", "block_quote", "list_item", "transcript_turn")]
        if not regions:
            return
        text = report.text
        sources = {s.id: s for s in report.sources}
        positions = AttributionPositions(report)  # look-ups by position: a long text has thousands of paragraphs
        links: dict[str, MentionInfo] = {}
        interviewee = None
        turn_speaker: MentionInfo | None = None  # the last transcript turn's speaker, while unlabelled paragraphs follow
        for n, region in enumerate(regions):
            line = text[region.start:region.end]
            qa = _QA.match(line)
            if region.kind == "transcript_turn" and not qa:
                turn_speaker = self._turn_speaker(ctx, region, sources, positions)
                continue
            if _ELLIPSIS_LINE.match(line):
                continue  # ". . ." between the excerpts of one turn
            if turn_speaker is not None and region.kind == "body" and self._writer_after_turn(text, region, turn_speaker):
                turn_speaker = None  # the writer has taken over from the transcript: what follows is theirs too
            if turn_speaker is not None and region.kind == "body":
                # a transcript's unlabelled paragraph goes on with the last labelled speaker
                if not positions.covered(region.start, region.end, ctx.recall_stage):
                    a = Attribution(id=positions.next_id(), content=Span.of(text, region.start, region.end),
                                    form="direct")
                    positions.add(a)
                    links[a.id] = turn_speaker
                continue
            turn_speaker = None
            if qa and qa.group("label") == "A":
                if interviewee is None:
                    interviewee = self._interviewee(ctx, regions[0].start, region.start)
                if interviewee is not None and not positions.covered(region.start, region.end, ctx.recall_stage):
                    content = (region.start + qa.end() - 1, region.end)
                    a = Attribution(id=positions.next_id(), content=Span.of(text, *content), form="direct")
                    positions.add(a)
                    links[a.id] = interviewee
                continue
            self._quotes_after_a_quote(ctx, region, sources, links, positions)
            if not line.startswith(_OPENING) or n == 0 or positions.covered(region.start, region.end, ctx.recall_stage):
                continue
            if region.kind == "block_quote":
                continue  # a line of its own introduced it ("But not everyone was pleased:"): no earlier quote's
            if _CREDIT_BETWEEN.search(text, regions[n - 1].end, region.start):
                continue  # a round-up's credit line ("Katrina vanden Heuvel, Washington Post") closed the quote above
            if positions.cue_within(region.start, region.end) or not _opening_quote_ends_sentence(line):
                continue
            speaker = self._quoted_before(ctx, regions[n - 1], sources, links, positions)
            if speaker is None:
                continue
            a = Attribution(id=positions.next_id(), content=Span.of(text, region.start, region.end), form="direct")
            positions.add(a)
            links[a.id] = speaker
        if links:
            self._nested_in_uncued(ctx, links, positions)
            drop_tentative_under(ctx, [a for a in report.attributions if a.id in links])
            link_sources(ctx, links)

    @staticmethod
    def _own_sayings_in_turns(report) -> None:
        """A turn's speaker saying "I think ..." or "I said ..." inside their own labelled turn ("BARR: Well, I think
        ...") says nothing besides the turn: the guide keeps one record per turn, and layers only for others."""
        by_id = {a.id: a for a in report.attributions}
        gone = set()
        for a in report.attributions:
            turn = by_id.get(a.parent) if a.parent else None
            if (turn is not None and turn.cue is not None and turn.cue.text == ":" and turn.source is not None
                    and a.source is not None and a.source.text.lower() == "i" and a.source_id == turn.source_id
                    and a.source_id is not None):
                gone.add(a.id)
        remove_attributions(report, gone)

    def _nested_in_uncued(self, ctx, links: dict[str, MentionInfo], positions: AttributionPositions) -> None:
        """A speaker named inside a continuation paragraph or an answer ("... then he believes that he would be
        exonerated") speaks too: one record per layer, as the attributions stage reads them inside its own contents
        (it never saw these, which have no cue)."""
        if self.lexicons is None or ctx.doc is None:
            return
        doc, text = ctx.doc, ctx.report.text
        resolver = mention_resolver(ctx)
        by_id = {a.id: a for a in ctx.report.attributions if a.id in links}
        for outer_id in list(links):
            outer = by_id.get(outer_id)
            if outer is None:
                continue
            for cue, source, contents in layers_named_inside(doc, outer.content.start, outer.content.end,
                                                             self.lexicons):
                mention = doc.char_span(*source)
                if len(mention) == 1 and mention[0].pos_ == "PRON":
                    continue  # "he said that ...": the speaker chain, which reads pronouns, has already run
                info = resolver.classify(*source)
                for content in contents:
                    inner = Attribution(id=positions.next_id(), source=Span.of(text, *source), cue=Span.of(text, *cue),
                                        content=Span.of(text, *content), form="indirect", parent=outer.id)
                    positions.add(inner)
                    links[inner.id] = info

    @staticmethod
    def _quotes_after_a_quote(ctx, region, sources, links: dict[str, MentionInfo], positions: AttributionPositions) -> None:
        """A quotation that opens a sentence after a quoted speaker's cue in the same paragraph, with no cue of its
        own, goes on with that speaker ('"...," she told the station. "You owe it to them ..."')."""
        report = ctx.report
        text = report.text
        for start, end in quotation_char_ranges(text[region.start:region.end]):
            start, end = region.start + start, region.start + end
            words = text[start:end].split()
            if start == region.start or len(words) < MIN_CONTINUED_WORDS:
                continue  # a paragraph's own first quote is the paragraph rule's; a scare quote is no statement
            opens_sentence = quote_opens_sentence(text, region.start, start)
            if not opens_sentence and sum(w.strip("“”\"‘’'")[:1].isupper() for w in words) == len(words):
                continue  # "“Fear: Trump In The White House”": a title quoted in a sentence, no one's words
            if positions.covered(start, end, ctx.recall_stage):
                continue
            after = text[end:end + 40]
            sentence_end = 0 if text[start:end].rstrip("”\"’' ")[-1:] in (".", "!", "?") else min(
                (i for i in (after.find(". "), after.find("\n")) if i >= 0), default=len(after))  # '... the fact.”' ends it
            # a quotation inside a sentence ("Since then, however, “nothing has changed more” than ...") is the
            # speaker's only when nothing in its sentence cues anyone else
            sentence_start = start if opens_sentence else max(
                [region.start] + [text.rfind(mark, region.start, start) + 2 for mark in (". ", "? ", "! ")])
            if positions.cue_within(sentence_start, end + sentence_end):
                continue  # the quote has a cue of its own
            before = [a for a in positions.starting_within(region.start, start) if a.content.end <= start
                      and a.form in ("direct", "mixed") and a.cue is not None and (a.source_id in sources or a.id in links)]
            if not before:
                continue
            last = max(before, key=lambda a: a.content.end)
            if last.id in links:
                speaker = links[last.id]
            else:
                source = sources[last.source_id]
                if not _continues(source):
                    continue
                speaker = info_of_source(source, ctx.source_keys)
            # the mention that names the speaker for the quote it goes on from names them for this one too
            source = Span.of(text, last.source.start, last.source.end) if last.source is not None else None
            a = Attribution(id=positions.next_id(), source=source, content=Span.of(text, start, end), form="direct")
            positions.add(a)
            links[a.id] = speaker

    @staticmethod
    def _writer_after_turn(text: str, region, turn_speaker: MentionInfo) -> bool:
        """Whether an unlabelled paragraph after a labelled turn is the writer's, not more of the turn: a fact check's
        or a column's own label ("THE FACTS: ..."), or the turn's speaker named in the third person outside quotation
        marks ("DeVos is not misunderstood"): speakers do not talk of themselves so."""
        line = text[region.start:region.end]
        if (label := _OWN_LABEL.match(line)) and label.group("label").lower() in NON_SPEAKER_LABELS:
            return True
        surname = turn_speaker.name.split()[-1] if turn_speaker.name else ""
        if len(surname) < 3 or not surname[0].isupper() or surname.isupper():
            return False
        named = [m.start() for m in re.finditer(rf"\b{re.escape(surname)}\b", line)]
        quoted = quotation_char_ranges(line)
        return any(not any(lo <= at < hi for lo, hi in quoted) for at in named)

    @staticmethod
    def _turn_speaker(ctx, region, sources, positions: AttributionPositions) -> MentionInfo | None:
        """The speaker of a labelled turn ("SCARBOROUGH: ..."): the source of its attribution at the label."""
        turn = next((a for a in positions.starting_within(region.start, region.end) if a.source is not None
                     and a.source_id in sources and region.start <= a.source.start < region.start + 60), None)
        if turn is None:
            return None
        return info_of_source(sources[turn.source_id], ctx.source_keys)

    @staticmethod
    def _quoted_before(ctx, previous, sources, continued: dict[str, MentionInfo],
                       positions: AttributionPositions) -> MentionInfo | None:
        """The speaker of the last direct quotation in the paragraph before, as a mention info (a continuation
        paragraph found just before carries its speaker on: a quote may run over several paragraphs)."""
        said = [a for a in positions.starting_within(previous.start, previous.end)
                if a.source_id in sources or a.id in continued]
        quoted = [a for a in said if a.form in ("direct", "mixed")]
        # a paragraph that ends by reporting a person's words ("Pelosi said she knows better than anyone why ...")
        # introduces the quote paragraph after it as well; a thing named ("offered a different approach") does not
        reported = max(said, key=lambda a: a.content.end, default=None)
        if (reported is not None and reported.form == "indirect" and reported.cue is not None
                and reported.parent is None and sources.get(reported.source_id) is not None
                and sources[reported.source_id].kind == "person"
                and not ctx.report.text[reported.content.end:previous.end].strip(" .\n\"”’'")
                and _reports_a_clause(ctx.doc, reported.content.start, reported.content.end)):
            quoted = [reported]
        if not quoted:
            return None
        last = max(quoted, key=lambda a: a.content.end)
        if last.id in continued:
            return continued[last.id]
        source = sources[last.source_id]
        if not _continues(source):
            return None
        return info_of_source(source, ctx.source_keys)

    @staticmethod
    def _interviewee(ctx, start: int, end: int):
        """The first named person of the introduction, before the first answer."""
        resolver = mention_resolver(ctx)
        for ent in resolver.index.persons:
            if start <= ent.start_char and ent.end_char <= end:
                info = resolver.classify(ent.start_char, ent.end_char)
                if info.kind == "person" and info.named:
                    return info
        return None




_NAME = r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,2}"
# two or more names joined by commas and "and", maybe after "both"
_NAMED_PEOPLE = re.compile(rf"^(?P<both>[Bb]oth )?(?P<names>{_NAME}(?:, {_NAME})*,? and {_NAME})$")
_NAME_FILLERS = {"of", "the", "and", "for", "on", "in", "&"}
# "the journal", "The gun group", "that same poll": a determiner, at most two lower-case words, a singular noun
_DESCRIPTION = re.compile(r"^(?:[Tt]he|[Tt]hat|[Tt]his)(?: same)?(?: [a-z][\w-]*){1,3}$")
BODY_KINDS = {"organization", "media", "government"}
_AGE_DESCRIPTION = re.compile(r"^[Tt]he (\d{1,3})-year-old(?: [a-z]+)?$")  # "the 45-year-old", "the 45-year-old mother"
DESCRIBED_ENTITIES = {"ORG", "WORK_OF_ART"}
DESCRIPTION_REACH = 1500  # characters: a description points back a few paragraphs, not across the article


# a person described by a title: "the judge", "The US president", "this senator"
_TITLE_DESCRIPTION = re.compile(r"^(?:[Tt]he|[Tt]hat|[Tt]his)(?: [\w.-]+){0,3} [a-z][\w-]*$")
# how far after a description its name may come ("the judge ruled ..., which Judge Edward M. Chen said ...")
CATAPHORA_REACH = 400
# words that make a title another role: "Deputy Mayor" is not "the mayor"
# nouns a person is described by that are no title the article gives them ("the man", "the woman")
TITLE_NOT_ROLE = {"man", "woman", "person", "people", "guy", "boy", "girl", "individual", "one"}


# institutions outside government ("the hospital" may be "University of Nebraska Medical Center", not the FDA)
SPECIFIC_BODY_NOUNS = frozenset({"hospital", "university", "college", "school", "church", "club", "institute", "center",
                                 "centre", "foundation", "charity", "think tank", "museum", "clinic"})


# endings of nouns for people the person lexicon does not list ("the freshman", "the militant", "the organiser")
_PERSON_ENDINGS = ("man", "woman", "men", "er", "or", "ist", "ian", "ant", "ee")


def _person_noun(word: str, person_lex: frozenset[str]) -> bool:
    """A noun that can describe a person: one of the lexicon's, or one with an agent's ending (either part of a
    compound: "the commander-in-chief")."""
    return any(low in person_lex or low.endswith(_PERSON_ENDINGS) and not low.endswith(("ment", "ter", "der", "ber"))
               for low in word.lower().split("-"))


def _described_otherwise(name: str, head: str) -> bool:
    """Whether a body's name is someone's body of another sort ("Harmon's office"): no referent for "the hospital",
    which a name of its own ("Pharmacorp Inc.", "Food and Drug Administration") may be."""
    words = name.split()
    last = words[-1] if words else ""
    return len(words) > 1 and words[-2].endswith(("'s", "’s")) and last.isalpha() and last.islower() \
        and last != head and last.rstrip("s") != head


def _title_tokens(ent) -> list:
    """The words of a person entity and the title words right before it that hang on it ("U.S. District Judge
    Edward M. Chen", "Senate Majority Leader Mitch McConnell")."""
    doc = ent.doc
    words = list(ent)
    i = ent.start - 1
    while i >= 0 and doc[i].dep_ in {"compound", "amod", "nmod"} and i < doc[i].head.i < ent.end:
        words.insert(0, doc[i])
        i -= 1
    return words


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w and w.lower() not in _NAME_FILLERS and w[0].isupper())


# a name the article gives a short form of its own: "The Justice Department (DOJ)", "Mohammed bin Salman, also known as
# MBS," (the name: capitalised words and the small words inside names; the short form: capitals, maybe with "&" or ".")
_NAME_RUN = r"(?:[A-Z][\w&.'’-]*)(?:\s+(?:of|for|and|on|the|bin|al|de|del|van|von|&|[A-Z][\w&.'’-]*)){0,8}"
_DECLARED_ALIAS = re.compile(rf"(?P<full>{_NAME_RUN})(?:\s*\((?P<bracketed>[A-Z][A-Z&.]{{1,7}})\)|,?\s+(?:also\s+)?"
                             rf"known as\s+(?P<known>[A-Z][\w&.]{{1,10}}))")


def declared_aliases(text: str) -> dict[str, str]:
    """Short forms the article declares for a name, short form -> the name (without "the"): the short form opens with
    an initial of the name and two in three of its capitals are initials ("DOJ" for "Justice Department", "MBS" for
    "Mohammed bin Salman")."""
    out: dict[str, str] = {}
    for m in _DECLARED_ALIAS.finditer(text):
        # an owner before the name is no part of it ("January's Center for American Progress’ (CAP)")
        full = re.sub(r"^(?:.*\s)?\S+(?:'s|’s)\s+", "", m.group("full")).rstrip("’'")
        full = re.sub(r"^(?:The|the)\s+", "", re.sub(r"(?:'s|’s)$", "", full))
        alias = (m.group("bracketed") or m.group("known")).rstrip(".")
        initials = {w[0] for w in full.split() if w[:1].isupper()}
        capitals = [ch for ch in alias if ch.isupper()]
        if " " in full and capitals and capitals[0] in initials and alias.lower() != full.lower() \
                and 3 * sum(ch in initials for ch in capitals) >= 2 * len(capitals):
            out.setdefault(alias, full)
    return out


class _LongForms:
    """The article's multi-word organisation names (without "the") by their initials and by each leading part
    of their first word (three characters or more, not the whole word), in text order: an acronym or a clipped
    name is looked up, not compared with every organisation name (names x names: quadratic on long texts)."""

    def __init__(self, orgs, text: str = ""):
        self.declared = declared_aliases(text)  # what the article itself spells out: first, before any guess
        self.by_initials: dict[str, list[str]] = {}
        self.by_first_word_start: dict[str, list[str]] = {}
        for ent in orgs:
            full = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            self.by_initials.setdefault(_initials(full), []).append(full)
            words = full.split()
            if len(words) >= 2:
                for k in range(3, len(words[0])):
                    self.by_first_word_start.setdefault(words[0][:k], []).append(full)


class _ArticleLookups:
    """What the fullest-name look-ups search, by position or by word, built once per article: the entities' and
    persons' start offsets, the mentions of named non-person sources in text order, and non-person sources by the
    last word of their name (each look-up scanned them all for every source: quadratic on long texts)."""

    def __init__(self, resolver, report):
        self.ent_starts = [e.start_char for e in resolver.index.ents]  # in text order, as Doc.ents are
        self.person_starts = [e.start_char for e in resolver.index.persons]
        self.by_last_word: dict[str, list[Source]] = {}
        mentions: list[tuple[int, int]] = []  # (mention start, source's place in report.sources)
        for k, other in enumerate(report.sources):
            if other.kind == "person" or _DESCRIPTION.match(other.name):
                continue
            words = other.name.lower().replace("’s", "").replace("'s", "").split()
            if words:
                self.by_last_word.setdefault(words[-1], []).append(other)
            if other.named:
                mentions.extend((m.start, k) for m in other.mentions)
        mentions.sort()
        self.named_mentions = mentions
        self.mention_starts = [m for m, _ in mentions]


# a description of two people: "Both candidates", "both men", "the two leaders"
_PAIR = re.compile(r"^(?:both|the two)\s+(?:men|women|candidates|leaders|senators|lawmakers|justices|judges|presidents|"
                   r"officials|researchers|scientists|executives|governors|mayors|brothers|sisters|players|coaches)$",
                   re.IGNORECASE)
# "The two aldermen", "Both owners", "the two veteran lawmakers": two people described by a plural noun
_ANY_PAIR = re.compile(r"^(?:both|the two)\s+(?:[a-z-]+\s+)?[a-z-]+(?:s|men)$", re.IGNORECASE)
# nouns before a description's head that do not tell one body from another ("the state agency", "the U.S.
# department"); its adjectives never do ("the federal agency", "the sole company")
GENERIC_BODY_MODIFIERS = {"state", "u.s.", "government", "city", "county", "federal", "nation", "country"}
COORDINATED_PAIR_REACH = 400  # characters back to "A and B" who are then "the two ...": the sentence before
# between two names joined as a pair: an aside in brackets, "and", a title ("(33rd) and Ald. ", " and Sen. ")
_JOINED_PAIR = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?and\s+(?:[A-Z][A-Za-z]*\.?\s+){0,3}")
_LISTED_BEFORE = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?,\s*(?:[A-Z][A-Za-z]*\.?\s+){0,3}")
_LISTED_AFTER = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?,?\s*(?:and|or)\s+[A-Z]")
PAIR_REACH = 3000  # characters back from such a description to the two people it stands for


# pronouns that stand for a mention given before them
_STANDING_PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them", "who", "which", "that"})
_DEFINITE = re.compile(r"^(?:[Tt]he|[Tt]hat|[Tt]his)\s")
# a courtesy title written without a full stop, as British papers do ("Mrs Merkel", "Mr Hariri", "Dr Fauci")
_BARE_COURTESY = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+(?=[A-Z])")
# the words after a surname that are no part of it ("Donald B. Verrilli Jr.")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# lower-case words that join title words before a name ("Speaker of the House Nancy Pelosi")
_TITLE_JOINERS = frozenset({"of", "the", "for", "and", "on", "at"})
_NAME_PARTICLES = frozenset({"de", "da", "di", "del", "della", "van", "von", "der", "den", "la", "le", "al", "el", "bin",
                             "ibn", "dos", "du", "st."})


# titles that go with a given name rather than a surname ("Prince Mohammed" for Mohammed bin Salman)
GIVEN_NAME_TITLES = frozenset({"prince", "princess", "king", "queen", "sheikh", "sheikha", "emir", "sultan", "sir",
                               "dame"})


class _PeopleBySurname:
    """The people the article names in full, by surname, each by their name alone ("Nancy Pelosi" for "Speaker of
    the House Nancy Pelosi", "Donald B. Verrilli Jr." under "verrilli"), with where the article first gives that
    name; built once per article from the person sources and the tagged person names."""

    def __init__(self, resolver, report):
        index = resolver.index
        self.lex = index.lex
        self.text = report.text.replace("’", "'")
        line_end = self.text.find("\n")
        self.body_start = line_end + 1 if line_end > 0 else 0  # past the headline line
        first: dict[str, int] = {}  # full name -> where the article first gives it
        named = [(s.name, min((m.start for m in s.mentions), default=len(report.text))) for s in report.sources
                 if s.kind == "person" and s.named]
        named += [(ent.text, ent.start_char) for ent in index.persons]
        for name, at in named:
            full = self.name_alone(name)
            if full is not None and at < first.get(full, len(report.text) + 1):
                first[full] = at
        self.by_surname: dict[str, list[tuple[str, int]]] = {}
        for full, at in first.items():
            self.by_surname.setdefault(self.surname(full), []).append((full, at))

    @staticmethod
    def surname(name: str) -> str:
        words = name.lower().split()
        while len(words) > 2 and words[-1].rstrip(".") in _NAME_SUFFIXES:
            words.pop()
        return words[-1].strip(",")

    def name_alone(self, name: str) -> str | None:
        """A person's name without the title words before it (from the first given name after the last title word,
        else just after that title word), when what is left is two or more capitalised words; None for anything
        else ("The State Department inspector general fired by U.S. President Donald Trump", a quotation)."""
        lex = self.lex
        words = re.sub(r"'s$", "", name.replace("’", "'").strip()).split()  # "James O'Keefe's latest attempt"
        if len(words) < 2 or any(q in name for q in '"“”'):
            return None
        core = len(words)
        while core > 2 and words[core - 1].rstrip(".").lower() in _NAME_SUFFIXES:
            core -= 1

        def titled(w: str) -> bool:
            low = w.lower()
            return low in lex.title_abbreviations or low.rstrip(".") in lex.person_lex or low in lex.person_lex

        title_end = max((j + 1 for j in range(core - 1) if titled(words[j])), default=0)
        given = next((j for j in range(title_end, core - 1)
                      if words[j].lower() in lex.first_names), None)
        start = given if given is not None else title_end
        while start > title_end and re.fullmatch(r"[A-Z]\.", words[start - 1]):
            start -= 1  # an initial before the given name is part of the name ("L. Rafael Reif")
        lead, rest = words[:start], words[start:core]
        if len(rest) < 2 or not all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in rest) \
                or not rest[-1][:1].isupper() or not rest[-1].replace("-", "").replace("'", "").isalpha():
            return None
        # before the name, only titles and the words that join them ("former Vice President", "Speaker of the House",
        # "Liberty Hill resident"): a verb or a preposition of its own says the name is someone else's
        if any(w[:1].islower() and w.lower() not in _TITLE_JOINERS and w.lower() not in ROLE_MODIFIERS and not titled(w)
               for w in lead):
            return None
        return " ".join(words[start:]).strip(",")

    def _by_given_name(self, given: str, position: int) -> str | None:
        """The one person named in full before ``position`` whose name opens with ``given``: a royal's or a knight's
        title goes with the given name ("Crown Prince Mohammed bin Salman ... Prince Mohammed said", "King Charles",
        "Sir Keir")."""
        found = {full for names in self.by_surname.values() for full, at in names
                 if at < position and full.split()[0] == given and len(full.split()) > 1}
        return found.pop() if len(found) == 1 else None

    def _written_in_full(self, surname: str, position: int) -> list[tuple[str, int]]:
        """A given name (and an initial) before the surname in the text before ``position``, where the tagger named
        no one ("hit back at Barack Obama after ..." read as no person)."""
        lex = self.lex
        found = []
        for m in re.finditer(r"\b([A-Z][a-z]+)((?: [A-Z]\.)?) " + re.escape(surname) + r"\b", self.text[:position]):
            if m.group(1).lower() in lex.first_names:
                found.append((m.group(1) + m.group(2) + " " + surname, m.start()))
        return found

    def fuller(self, source: Source, mention: str, position: int) -> str | None:
        """The fullest name for a source named by surname alone ("Pelosi", "Mrs Merkel", "Verrilli", "O'Keefe") or
        with title words before the name: the one person the article has named in full with that surname before
        ``position`` (a surname used before any full name with it may be someone else's: "Trump said ..." before
        "his wife, Melania Trump")."""
        name = _BARE_COURTESY.sub("", source.name.strip()).replace("’", "'")
        words = name.split()
        if len(words) == 2 and words[0].lower() in GIVEN_NAME_TITLES and words[1][:1].isupper():
            return self._by_given_name(words[1], position)
        if len(words) != 1:
            alone = self.name_alone(source.name) if source.kind == "person" and source.named else None
            return alone if alone is not None and alone != source.name else None
        word = words[0]
        if not word[:1].isupper() or word.isupper() or not word.replace("-", "").replace("'", "").isalpha():
            return None
        if source.kind != "person" and _BARE_COURTESY.sub("", mention.strip()).replace("’", "'") != word:
            return None  # "Sessions said" read as a document: only its own mention, the bare name, says it is one
        found = [(full, at) for full, at in self.by_surname.get(word.lower(), []) if at < position]
        if not found:
            found = self._written_in_full(word, position)
        # the first time the article writes the surname (past its headline line) must be in that full name: "Trump"
        # written alone before "Ivanka Trump" is someone else
        first = re.search(r"(?<![\w'-])" + re.escape(word) + r"(?![\w-])", self.text[self.body_start:])
        if first is not None:
            found = [(full, at) for full, at in found if at <= self.body_start + first.start()]
        if not found:
            return None
        def words_of(full: str) -> set[str]:
            return {w.rstrip(".,") for w in full.split()}

        longest = min(found, key=lambda f: (-len(words_of(f[0])), f[1]))[0]  # the most words, then the first given
        if any(not words_of(full) <= words_of(longest) for full, _ in found):
            return None  # two people of that surname ("Donald Trump", "Melania Trump")
        return longest


def _object_named(lead: str) -> bool:
    """Whether the reported words open with the person, titles aside: "criticized U.S. District Judge Nicholas
    Garaufis, who ...", the one spoken of, whom the article goes on to describe ("The judge fired back")."""
    return all(w[:1].isupper() or w.lower() == "the" for w in lead.split())


def _introduced_between(text: str, since: int, until: int, head: str) -> bool:
    """Whether the article introduces a new thing of the description's noun between ``since`` and ``until`` ("a
    survey of riders", "another hospital"): a later "the survey" is that one, not a source named before it."""
    return re.search(r"\b(?:[Aa]n?|[Aa]nother|[Oo]ne|[Nn]ew)\s+(?:[\w’'-]+\s+){0,2}" + re.escape(head) + r"\b",
                     text[since:until]) is not None


# "one judge", "a senator", "another lawmaker": a person of a title the article may name further down
_ONE_OF_ROLE = re.compile(r"^(?:[Oo]ne|[Aa]n?|[Aa]nother)\s+(?:[a-z][\w-]*\s+)?(?:judge|justice|senator|lawmaker|governor|"
                          r"mayor|congressman|congresswoman|official|minister|representative)$")
_QUOTATION = re.compile(r"[“\"]([^”\"]{1,400})[”\"]")
LEDE_CHARS = 800  # the opening paragraphs, where a news story may describe someone it names only further down
# title words too common to tie a description to a person named under another title
GENERIC_TITLE_WORDS = frozenset({"official", "government", "top", "senior", "former", "pro", "the", "a", "an", "new",
                                 "state", "federal", "national", "city", "local", "s", "chief", "head", "leader"})


def _people_named(names: list[str], description: str | None) -> MentionInfo:
    """Several people as one named group, "A and B" / "A, B and C" in the order given (``description``: how the
    article described them, "the two aldermen", if it did)."""
    name = ", ".join(names[:-1]) + " and " + names[-1]
    return MentionInfo(0, 0, "group", True, name, description, f"group:{name.lower()}")


# verbs by which a named subject gives out a document ("issued a statement"), the entities and kinds that issue one
ISSUING_VERBS = frozenset({"issue", "release", "publish", "post", "send", "file"})
ISSUER_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
ISSUER_KINDS = frozenset({"person", "organization", "government", "media"})


class FullestNames:
    """``sources[].name`` as the fullest name the article gives the referent.

    - "the NRA", "the Fed": an acronym or clipped form becomes the organisation's full name when the article
      spells it out ("National Rifle Association", "Federal Reserve");
    - "The Barron County sheriff, Chris Fitzgerald,": a description with the person's name in apposition
      is that person;
    - "the veteran newsman": a definite description of a person with no name of its own is the person the
      article mentions most before it, when one clearly leads (by two mentions or more).
    """

    name = "fullest_names"

    def __call__(self, ctx) -> None:
        report = ctx.report
        if not report.sources:
            return
        resolver = mention_resolver(ctx)
        orgs = [e for e in resolver.index.ents if e.label_ in {"ORG", "GPE", "FAC", "NORP"} and len(e.text.split()) > 1]
        infos: dict[str, MentionInfo] = {}
        sources = {s.id: s for s in report.sources}
        long_forms: dict[str, str | None] = {}  # a source's spelled-out name, looked up once per name
        counted = _MentionCounts(resolver)
        lookups: _ArticleLookups | None = None  # built when a look-up first needs it
        reported: list[tuple[int, int]] | None = None  # the attributions' contents, when a look-up first needs them
        speaking: list[tuple[int, int]] = []  # and their source mentions
        contents: list[tuple[int, int]] = []  # the attributions' contents, speakers and all, when first needed
        org_names: _LongForms | None = None  # built when an organisation's name is first looked up
        authored: dict[str, list[tuple[int, SpacySpan]]] | None = None  # document nouns with their author, when first needed
        issued: dict[str, list[tuple[int, SpacySpan]]] | None = None  # and those a named subject gave out
        issued_phrases: dict[int, str] = {}  # their words where the article gives them out, by position
        people: _PeopleBySurname | None = None  # the people named in full, by surname, when first needed
        for a in report.attributions:
            source = sources.get(a.source_id) if a.source_id else None
            if source is not None and a.source is None and source.kind == "person":
                # a quotation with no mention of its own, linked to "Mrs Merkel" who spoke before it
                if people is None:
                    people = _PeopleBySurname(resolver, report)
                at = min((m.start for m in source.mentions), default=a.content.start if a.content else 0)
                full = people.fuller(source, source.name, at)
                if full is not None:
                    infos[a.id] = self._person_named(report, ctx.source_keys, source, full)
                continue
            if source is None or a.source is None:
                continue
            # the mention the look-ups read: for a pronoun that stands for a description ("The mayor of Birmingham ...
            # In fact, he says ..."), the description where the article gave it
            d_start, d_end, d_text = self._described_mention(report.text, source, a.source)
            info = self._handle_owner(resolver, source) if "@" in source.name else None
            if info is None and source.kind in ("person", "document", "unknown"):
                # "Pelosi", "Mrs Merkel", "Verrilli" after "Speaker of the House Nancy Pelosi", "German Chancellor
                # Angela Merkel", "Donald B. Verrilli Jr.": the person named in full before
                if people is None:
                    people = _PeopleBySurname(resolver, report)
                full = people.fuller(source, a.source.text, min((m.start for m in source.mentions), default=a.source.start))
                if full is not None:
                    info = self._person_named(report, ctx.source_keys, source, full)
            if info is None and source.kind == "group" and source.named:
                # "both Pride and Spurlock"; "they" for the people named together before
                info = self._named_people(resolver, a.source.text) or self._named_people(resolver, source.name)
            # (named or not: "the two senators" the article has just named are named by the labelling conventions)
            if info is None and source.kind in ("person", "group") and _ANY_PAIR.match(a.source.text.strip()) \
                    and _ANY_PAIR.match(source.name):
                # "Ald. Rossana Rodriguez Sanchez and Ald. Carlos Ramirez-Rosa handed out cards ... The two aldermen
                # said": the two people just named together
                info = self._coordinated_pair(resolver, a.source.start, a.source.text.strip())
            if info is None and not source.named and _PAIR.match(a.source.text.strip()):
                # "Both candidates emphasized ...", "the two men said": the two people the article has just quoted
                info = self._pair_of_speakers(resolver, report, sources, a)
            if info is None and source.kind == "person" and _TITLE_DESCRIPTION.match(a.source.text.strip()):
                # "the judge ruled ..." -> "U.S. District Judge Edward M. Chen", named before or just after
                if reported is None:
                    # the reported words, less the speakers named inside them (who speak, not are spoken of)
                    reported = sorted((b.content.start, b.content.end) for b in report.attributions)
                    speaking = sorted((b.source.start, b.source.end) for b in report.attributions if b.source)
                info = self._titled_person(resolver, a.source.start, a.source.end, reported, speaking)
                if info is not None:
                    info = self._subject_holder(resolver, a.source.start, a.source.end, info, counted)
            if info is None and source.kind == "document" and source.name == a.source.text.strip():
                # "a tape of that conversation published by The Post": the outlet by the name the article gave it
                info = self._outlets_spelled_out(resolver, source, a.source.start, a.source.end)
            if info is None and not source.named and source.kind in ("document", "unknown"):
                # "the book", "it" after "a forthcoming book by veteran reporter Bob Woodward": Bob Woodward's book
                if authored is None:
                    authored = self._authored_documents(resolver)
                info = self._authored_before(resolver, source, a.source.start, authored)
            if info is None and source.kind == "person" and a.source.start < LEDE_CHARS \
                    and source.name == a.source.text.strip():
                # "the pro-Beijing government's top security official denounced ..." in the lede, "Secretary for
                # Security John Lee said ..." further down: the first person named after it with a title word of it
                info = self._named_later(resolver, report, a.source.start, a.source.end)
            if info is None and d_start != a.source.start:
                # a pronoun for a definite description: the lede's description of the person named further down ("The
                # mayor of Birmingham ... he says" -> "Mayor Randall Woodfin"); a company's ("the company ... when it
                # reiterated" -> Facebook)
                if source.kind == "person" and d_start < LEDE_CHARS:
                    info = self._named_later(resolver, report, d_start, d_end)
                elif source.kind == "organization" and d_text.split()[-1].lower() not in resolver.index.lex.media_lex:
                    lookups = lookups or _ArticleLookups(resolver, report)
                    info = self._described_before(resolver, report, source, d_start, d_end, ctx.source_keys, lookups)
            if info is None and source.kind == "person" and not source.named and _ONE_OF_ROLE.match(a.source.text.strip()):
                # "one judge who called the policy “heartless”", then "Judge Nicholas Garaufis, who ... a policy “that
                # is so heartless.”": the same quoted words, given to a person of that title
                info = self._quoted_again(resolver, report, a)
            if info is None and source.kind == "group" and source.name == a.source.text.strip():
                # "Sen. Lindsey Graham isn't buying it. "...," the South Carolina Republican told": one party member
                # (a description of a person read as a group) is the person the sentence before had as its subject
                contents = contents or sorted((b.content.start, b.content.end) for b in report.attributions)
                info = self._subject_described(resolver, report, ctx.source_keys, source, a.source.start, a.source.end,
                                               contents, counted)
            described = _DESCRIPTION.match(a.source.text.strip()) is not None
            if info is None and not source.named and source.kind == "document" and not described:
                # "the statement" after "The Justice Department said in a statement": the department's statement (a
                # description the look-ups below read is first looked up as they do)
                if issued is None:
                    issued = self._authored_documents(resolver, issued=True)
                    issued_phrases = self._document_phrases(resolver, issued)
                info = self._authored_before(resolver, source, a.source.start, issued, issued_phrases)
            if info is None and not source.named and (source.kind == "person" or not described):
                continue
            if source.kind in ("organization", "government", "media"):
                if source.name not in long_forms:
                    if org_names is None:
                        org_names = _LongForms(orgs, report.text)
                    long_forms[source.name] = self._spelled_out(source.name, org_names)
                long_form = long_forms[source.name]
                if long_form is not None:
                    info = MentionInfo(0, 0, source.kind, True, long_form, source.descriptor,
                                       f"{source.kind}:{long_form.lower()}")
            if info is None and source.named and source.kind in ("person", "organization", "government", "media"):
                if org_names is None:
                    org_names = _LongForms(orgs, report.text)
                info = self._declared(resolver, source, org_names.declared)
            if info is None and source.kind in ("person", "government"):  # "the county sheriff, Chris Fitzgerald,"
                lookups = lookups or _ArticleLookups(resolver, report)
                info = self._apposed_person(resolver, a.source.start, a.source.end, lookups)
            if info is None and source.kind == "person" and (age := _AGE_DESCRIPTION.match(a.source.text.strip())):
                info = self._of_age(resolver, a.source.start, age.group(1))  # "the 45-year-old" -> "Mark Olsen, 45,"
            # "the veteran newsman", not "the Ledger": a name of its own is no description
            if info is None and source.kind == "person" and _DESCRIPTION.match(a.source.text.strip()) \
                    and _person_noun(a.source.text.split()[-1], resolver.index.lex.person_lex):
                # ("The dollar continued its retreat", "The showdown is revealing ...": no person's description)
                info = self._leading_referent(resolver, a.source.start, source.kind, counted)
                if info is not None and not self._may_lead(resolver, a.source.start, a.source.end, info, counted):
                    info = None
            if info is None and source.kind == "person" and source.name == a.source.text.strip():
                # "Dick Cheney said Sunday ... The former vice president said": a description no look-up named is the
                # person the sentence before had as its subject
                contents = contents or sorted((b.content.start, b.content.end) for b in report.attributions)
                info = self._subject_described(resolver, report, ctx.source_keys, source, a.source.start, a.source.end,
                                               contents, counted)
            if info is None and source.kind != "person":  # "the journal", "the gun group", "that same poll"
                lookups = lookups or _ArticleLookups(resolver, report)
                info = self._described_before(resolver, report, source, a.source.start, a.source.end, ctx.source_keys,
                                              lookups)
            if (info is None or not info.named) and not source.named and source.kind == "document" and described:
                if issued is None:
                    issued = self._authored_documents(resolver, issued=True)
                    issued_phrases = self._document_phrases(resolver, issued)
                info = self._authored_before(resolver, source, a.source.start, issued, issued_phrases) or info
            if info is not None and info.name != source.name:
                infos[a.id] = info.with_span(a.source.start, a.source.end)
        if infos:
            link_sources(ctx, infos)

    @staticmethod
    def _subject_described(resolver, report, keys: dict[str, str], source: Source, start: int, end: int,
                           reported: list[tuple[int, int]], counted: "_MentionCounts") -> MentionInfo | None:
        """A singular definite description of a person ("the former vice president", "the South Carolina
        Republican", "the former Army captain and Iraq War veteran") that names no one itself: the person named as
        a subject just before it, in its sentence or the one before (``Coreference.subject_antecedent``); not a
        description the article brought in with "a" ("a strategist ... The strategist said"), nor one that names a
        post of its own ("the head of the police union in China"), nor one after someone else named since the
        subject ("Hillary Clinton ... beating Bernie Sanders ..., but the Vermont senator"), nor one that stays
        anonymous ("the official"), nor one in someone's quoted words, nor a subject inside reported words ("He
        predicted that his daughter, Liz Cheney, would win ... The former vice president said"), nor, for a bare
        office title, a person the article titles otherwise ("Speaker Lena Moss ... The president said": ``_may_lead``;
        "Sen. Bob Corker ... the Senate Foreign Relations Committee chairman" names a post a senator may hold too)."""
        index = resolver.index
        span = index.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) < 2 or span[0].lower_ != "the":
            return None
        head = span.root
        lex = index.lex
        if head.tag_ not in ("NN", "NNP") or not (head.lemma_.lower() in lex.person_lex or head.lower_ in PARTY_MEMBERS) \
                or head.lemma_.lower() in lex.anon_heads or any(c.dep_ == "prep" for c in head.children):
            return None  # (a post of its own, "the head of the police union", "the U.S. Attorney in New Jersey", brings
            # someone in)
        if any(t.i in index.person_tokens for t in span) or resolver.coreference.introduced_indefinitely(head) \
                or any(s <= start < e for s, e in quotation_char_ranges(report.text)):
            return None
        name = resolver.coreference.subject_antecedent(head, 1, tuple(reported))
        if name is None:
            return None
        described = _described_gender(span.text)
        if described is not None and SpeakerChain._gender(resolver, name) not in (None, described):
            return None
        info = FullestNames._person_named(report, keys, source, name)
        if is_bare_title(head) and not FullestNames._may_lead(resolver, start, end, info, counted):
            return None
        return info

    @staticmethod
    def _person_named(report, keys: dict[str, str], source: Source, full: str) -> MentionInfo:
        """The person of that full name: the source already so named (to merge with it), else a new one."""
        same = next((s for s in report.sources if s.kind == "person" and s.name == full), None)
        if same is not None:
            return info_of_source(same, keys)
        return MentionInfo(0, 0, "person", True, full, source.descriptor, f"person:{full.lower()}")

    @staticmethod
    def _described_mention(text: str, source: Source, mention: Span) -> tuple[int, int, str]:
        """Where the look-ups read a source's mention: the mention itself, or for a pronoun ("he", "it", "who") of a
        source the article names only by a description ("The mayor of Birmingham", "the company"), the last place
        before it that gives that description (a definite one: "a man" stays as it is)."""
        if not _DEFINITE.match(source.name) or mention.text.strip().lower() not in _STANDING_PRONOUNS:
            return mention.start, mention.end, mention.text
        name = source.name.strip()
        at = text.rfind(name, 0, mention.start)
        if at < 0:
            return mention.start, mention.end, mention.text
        return at, at + len(name), name

    @staticmethod
    def _authored_documents(resolver, issued: bool = False) -> dict[str, list[tuple[int, SpacySpan]]]:
        """Document nouns the article gives an author ("a forthcoming book by veteran reporter Bob Woodward",
        "Woodward's book"), by lemma: (position, the author's name entity), in text order; one pass over the article.
        With ``issued``, the documents a named subject gives out instead ("The Justice Department said in a
        statement")."""
        index = resolver.index
        lex = index.lex
        found: dict[str, list[tuple[int, SpacySpan]]] = {}
        for tok in tokens_of(index.doc, column_in(index.doc, T_POS, ("NOUN",))):
            if tok.lemma_.lower() not in lex.document_lex:
                continue
            by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            names = [c for c in by.children if c.dep_ == "pobj"] if by is not None else []
            names += [c for c in tok.children if c.dep_ == "poss"]
            ent = None if issued else next((index.entity_at(n) for n in names if n.i in index.person_tokens), None)
            if ent is None and issued:
                ent = FullestNames._issuer(index, tok)
            if ent is not None:
                found.setdefault(tok.lemma_.lower(), []).append((tok.idx, ent))
        return found

    @staticmethod
    def _document_phrases(resolver, documents: dict[str, list[tuple[int, SpacySpan]]]) -> dict[int, str]:
        """The words of each document noun's phrase at its position, less its determiner ("draft research plan for
        ocean acidification")."""
        doc = resolver.index.doc
        phrases = {}
        for found in documents.values():
            for at, _ in found:
                span = doc.char_span(at, at + 1, alignment_mode="expand")
                if span is None or not len(span):
                    continue
                words = [t for t in np_tokens(span[0]) if t.dep_ != "det" or t.head.i != span[0].i]
                phrases[at] = tokens_text(strip_tokens(words))
        return phrases

    @staticmethod
    def _issuer(index, tok) -> SpacySpan | None:
        """The named subject that gives out a document ("The Justice Department said in a statement", "Huawei issued a
        statement"): a body or a person the tagger named, as the subject of the verb the document is "in" or the
        object of."""
        if not any(c.dep_ == "det" and c.lower_ in INDEFINITE_DETERMINERS for c in tok.children):
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ == "in" and tok.head.head.pos_ == "VERB":
            verb = tok.head.head
        elif tok.dep_ == "dobj" and tok.head.lemma_.lower() in ISSUING_VERBS:
            verb = tok.head
        else:
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return None
        ent = index.entity_at(subject)
        return ent if ent is not None and ent.label_ in ISSUER_ENTS else None

    @staticmethod
    def _authored_before(resolver, source: Source, position: int, authored: dict[str, list[tuple[int, SpacySpan]]],
                         phrases: dict[int, str] | None = None) -> MentionInfo | None:
        """An unnamed document ("the book", "it" for "an early copy of the editor's book") that the article
        introduced before with its author: that author's, named "Bob Woodward's book" (the nearest such mention of
        the same noun before it); with ``phrases``, by the words the article gave the document there, less the
        article ("NOAA said in a draft research plan for ocean acidification" -> "NOAA's draft research plan for
        ocean acidification")."""
        lex = resolver.index.lex
        head = next((w for w in reversed(re.findall(r"[a-z][\w-]*", source.name.lower())) if w in lex.document_lex), None)
        before = [(at, ent) for at, ent in authored.get(head or "", []) if at < position]
        if not before:
            return None
        at, author = before[-1]
        person = resolver.classify(author.start_char, author.end_char)
        if person.kind not in ISSUER_KINDS or not person.named:
            return None
        name = f"{person.name}'s {phrases.get(at, head) if phrases else head}"
        return MentionInfo(0, 0, "document", True, name, source.descriptor, f"document:{normalise(name)}")

    @staticmethod
    def _outlets_spelled_out(resolver, source: Source, start: int, end: int) -> MentionInfo | None:
        """A description that names an outlet by its short form ("a tape ... published by The Post", "a report in the
        Times"), with the outlet's name as the article gave it in full ("The Washington Post")."""
        doc, text = resolver.index.doc, resolver.index.text
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        pieces, at, k = [], start, span.start
        while k < span.end:
            the = doc[k]
            names = k + 1
            while names < span.end and doc[names].pos_ == "PROPN":
                names += 1
            if the.lower_ == "the" and names > k + 1:
                sub = (the.idx, doc[names - 1].idx + len(doc[names - 1].text))
                outlet = resolver.classify(*sub)
                short = text[sub[0]:sub[1]]
                if outlet.kind == "media" and outlet.named and normalise(outlet.name) != normalise(short) \
                        and normalise(short).removeprefix("the ") in normalise(outlet.name):
                    full = outlet.name if outlet.name.lower().startswith("the ") else f"{the.text} {outlet.name}"
                    pieces += [text[at:sub[0]], full]
                    at = sub[1]
                k = names
            else:
                k += 1
        if not pieces:
            return None
        name = "".join(pieces) + text[at:end]
        return MentionInfo(0, 0, source.kind, source.named, name, source.descriptor, f"{source.kind}:{normalise(name)}")

    @staticmethod
    def _named_people(resolver, mention: str) -> MentionInfo | None:
        """People named together ("both Pride and Spurlock", "Warren, Booker and Harris"), each by the fullest
        name the article gives them: "Pride and Tony Spurlock"."""
        m = _NAMED_PEOPLE.match(mention.strip())
        if m is None:
            return None
        names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("names")) if n.strip()]
        full_names = resolver.index.full_names
        full = [full_names.get(n.lower().replace("’", "'"), n) for n in names]
        if len(full) < 2 or full == names and m.group("both") is None:
            return None
        return _people_named(full, None)

    @staticmethod
    def _of_age(resolver, position: int, age: str) -> MentionInfo | None:
        """The last person before ``position`` the article gives that age ("Mark Olsen, 45," / "45-year-old Mark
        Olsen")."""
        text = resolver.index.text
        found = None
        for ent in resolver.index.persons:
            if ent.start_char >= position:
                break
            after = text[ent.end_char:ent.end_char + 8]
            before = text[max(0, ent.start_char - 16):ent.start_char]
            if re.match(r",\s*" + age + r"\b", after) or re.search(r"\b" + age + r"-year-old\s+$", before):
                found = ent
        if found is None:
            return None
        info = resolver.classify(found.start_char, found.end_char)
        return info if info.kind == "person" and info.named else None

    @staticmethod
    def _handle_owner(resolver, source) -> MentionInfo | None:
        """"Sen. @BernieSanders" is the person the article names Bernie Sanders (a handle is a name run together)."""
        handle = re.search(r"@(\w+)", source.name)
        if handle is None:
            return None
        wanted = handle.group(1).lower()
        for full in set(resolver.index.full_names.values()):
            if "".join(full.split()).lower() == wanted:
                return MentionInfo(0, 0, "person", True, full, source.descriptor, f"person:{full.lower()}")
        return None

    @staticmethod
    def _described_before(resolver, report, source, start: int, end: int, keys: dict[str, str],
                          lookups: _ArticleLookups) -> MentionInfo | None:
        """A definite description with no name of its own ("the journal", "that same poll") is the last source
        of a fitting kind the article named before it, within a few paragraphs."""
        mention = report.text[start:end].strip()
        if not _DESCRIPTION.match(mention):
            return None
        head = mention.split()[-1].lower()
        same_head = FullestNames._same_head_before(source, start, head, keys, lookups)
        if same_head is not None:
            return same_head  # "the majority" after "The Seventh Circuit majority said ..."
        lex = resolver.index.lex
        if head in lex.publication_heads:
            wanted = BODY_KINDS | {"document"}  # "the journal": The Lancet
        elif head in lex.document_lex:
            wanted = {"document"}  # "that same poll"
        elif head in lex.org_lex or head in lex.gov_lex or head in lex.media_lex:
            # a body; an outlet only for a noun that names one ("the county council" is no newspaper named before it),
            # and then no government ("the network" is no White House); an institution named by its type only a body
            # outside government ("the hospital" is no agency)
            wanted = BODY_KINDS - {"government"} if head in lex.media_lex else BODY_KINDS - {"media"}
            if head in SPECIFIC_BODY_NOUNS:
                wanted = {"organization"}
        else:
            return None
        # "the weather service", "the labor department" are not the White House named before them: the noun before
        # the head of a government unit names the unit, so it must be in the name ("the federal agency", "the agency"
        # fit any agency); before a body's type it says what the body does ("the gun group" is the NRA)
        described = resolver.index.doc.char_span(start, end, alignment_mode="expand")
        own = {t.lower_ for t in described[:-1] if t.pos_ in {"NOUN", "PROPN"}} - GENERIC_BODY_MODIFIERS \
            if described is not None and head in lex.gov_lex else set()

        def fits(name: str) -> bool:
            words = {w.strip(".,’'").lower() for w in name.split()}
            return not own or bool(own & words) or head in words

        best: tuple[int, MentionInfo] | None = None
        # the named source of a wanted kind mentioned last in the reach (the first in report order on a tie)
        starts, named = lookups.mention_starts, lookups.named_mentions
        last: tuple[int, int] | None = None
        for k in range(bisect_left(starts, start - DESCRIPTION_REACH), bisect_left(starts, start)):
            at, order = named[k]
            other = report.sources[order]
            if other.id != source.id and other.kind in wanted and (last is None or at > last[0]) \
                    and not _described_otherwise(other.name, head) and fits(other.name):
                last = (at, order)
        if last is not None:
            best = (last[0], info_of_source(report.sources[last[1]], keys))
        if last is not None and _introduced_between(report.text, max(
                (m.end for m in report.sources[last[1]].mentions if m.start == last[0]), default=last[0]), start, head):
            return None  # "A 2021 study ... A survey of riders ... The survey found": the survey just introduced
        # a body the article named without quoting it yet: introduced with the description's noun ("the medical
        # journal The Lancet") or the subject of its sentence ("The Federal Reserve raised rates again.")
        regions = report.structure or []
        ents = resolver.index.ents
        for ent in ents[bisect_left(lookups.ent_starts, start - DESCRIPTION_REACH):bisect_left(lookups.ent_starts, start)]:
            if ent.label_ not in DESCRIBED_ENTITIES:
                continue
            region = region_at(regions, ent.start_char, ent.end_char)
            if region is not None and region.kind != "body":
                continue  # a headline the tagger took for a name ("Harbor Board Approves Dredging Plan")
            if best is not None and ent.start_char <= best[0]:
                continue
            window = ent.doc[max(0, ent.start - 3):ent.end + 2]
            if not any(t.lemma_.lower() == head or t.lower_ == head for t in window) \
                    and not any(is_subject(t) for t in ent):
                continue
            info = resolver.classify(ent.start_char, ent.end_char)
            if info.named and info.kind in wanted and not _DESCRIPTION.match(info.name) and fits(info.name):
                best = (ent.start_char, info)
        return best[1] if best is not None else None

    @staticmethod
    def _same_head_before(source, start: int, head: str, keys: dict[str, str],
                          lookups: _ArticleLookups) -> MentionInfo | None:
        """The last non-person source before ``start`` with a name of its own ("The Seventh Circuit majority", not
        another "the majority") ending in the description's noun; with none before, the first after it (the fullest
        name the article gives: "the minority said ..." before "The Seventh Circuit's minority said ...")."""
        best: tuple[int, Source] | None = None
        after: tuple[int, Source] | None = None
        for other in lookups.by_last_word.get(head, []):
            if other.id == source.id:
                continue
            before = [m.start for m in other.mentions if m.start < start]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), other)
            later = [m.start for m in other.mentions if m.start > start]
            # after it, only a name of its own (a capitalised word past "The"), not a stray span that ends in the noun
            if (not before and later and (after is None or min(later) < after[0])
                    and any(w[:1].isupper() for w in other.name.split()[1:])
                    and len(other.name.split()) <= 6 and not any(q in other.name for q in '"“”')):
                after = (min(later), other)
        best = best or after
        if best is None:
            return None
        return info_of_source(best[1], keys)

    @staticmethod
    def _spelled_out(name: str, long_forms: "_LongForms") -> str | None:
        short = name[4:] if name.lower().startswith("the ") else name
        if not short or " " in short:
            return None
        if short.isupper() and 2 <= len(short) <= 6:
            candidates = long_forms.by_initials.get(short, [])
        elif len(short) >= 3 and short[0].isupper() and not short.isupper():
            candidates = long_forms.by_first_word_start.get(short, [])  # "Fed" -> "Federal Reserve"
        else:
            return None
        return max(candidates, key=len) if candidates else None

    @staticmethod
    def _declared(resolver, source: Source, declared: dict[str, str]) -> MentionInfo | None:
        """"The Justice Department (DOJ)", "Crown Prince Omar bin Khalid, also known as OBK,": a short form the article
        declares is the name it spells out; a person's when a person's name is in it (the tagger may take "OBK"
        for a body), past the titles ("Crown Prince")."""
        short = source.name[4:] if source.name.lower().startswith("the ") else source.name
        full = declared.get(short)
        if full is None:
            return None
        words = full.split()
        lex = resolver.index.lex
        given = next((k for k, w in enumerate(words) if w.lower() in lex.first_names), None)
        name = " ".join(words[given:]) if given is not None else full
        person = max((n for n in set(resolver.index.full_names.values()) if " " in n and n in name), key=len, default=None)
        if person is not None or source.kind == "person" and given is not None:
            person = person or name
            return MentionInfo(0, 0, "person", True, person, source.descriptor, f"person:{person.lower()}")
        if source.kind == "person":
            return None
        return MentionInfo(0, 0, source.kind, True, full, source.descriptor, f"{source.kind}:{full.lower()}")

    @staticmethod
    def _apposed_person(resolver, start: int, end: int, lookups: _ArticleLookups) -> MentionInfo | None:
        mention = resolver.index.text[start:end]
        comma = mention.find(",")
        if comma < 0:
            return None
        persons, starts = resolver.index.persons, lookups.person_starts  # in text order: only those in the mention
        if any(e.end_char <= start + comma for e in persons[bisect_left(starts, start):bisect_right(starts, start + comma)]):
            return None  # "Judge Edward M. Chen, an Obama appointee,": named before the comma already
        for ent in persons[bisect_right(starts, start + comma):bisect_right(starts, end)]:
            if ent.end_char <= end:
                info = resolver.classify(ent.start_char, ent.end_char)
                return info if info.kind == "person" and info.named else None
        return None

    @staticmethod
    def _titled_person(resolver, start: int, end: int, reported: list[tuple[int, int]],
                       speaking: list[tuple[int, int]]) -> MentionInfo | None:
        """A description by title ("the judge", "the senator") is the person the article gives that title: the
        nearest so titled before it within a few paragraphs, else the first in the lines just after it ("the judge
        ruled ... which U.S. District Judge Edward M. Chen said ...", the name given after the description). A person
        named inside someone's reported words ("Trump said US President Harry Truman once ...") is not who the
        article goes on to describe, unless the description is inside the same words."""
        starts = [s for s, _ in reported]

        speaker_starts = [s for s, _ in speaking]

        def quoted_apart(pos: int) -> bool:
            k = bisect_right(speaker_starts, pos)
            if k and speaking[k - 1][0] <= pos < speaking[k - 1][1]:
                return False  # named as a speaker ("..., which Judge Edward M. Chen said showed animus")
            i = bisect_right(starts, pos)
            return any(s <= pos < e and not s <= start < e and not _object_named(index.text[s:pos])
                       for s, e in reported[max(0, i - 8):i])

        index = resolver.index
        head = index.text[start:end].split()[-1].lower()
        if head not in index.lex.person_lex or head in TITLE_NOT_ROLE:
            return None
        described = set(index.text[start:end].lower().split())
        modifiers = described & ROLE_MODIFIERS
        abbreviations = index.lex.title_abbreviations
        before: MentionInfo | None = None
        # "One GOP senator said ..." since the last so titled: "the senator" is that unnamed one
        unnamed = _indefinite_subject_at(resolver, start, end)
        # "the president" is not "Russian President Vladimir Putin" (left to the title look-up of the sources, which
        # takes another country's only when the article titles no one else so)
        span = index.doc.char_span(start, end, alignment_mode="expand")
        home = span is not None and len(span) == 2 and span.root.i == span.end - 1 and is_bare_title(span.root)
        for ent in index.persons:
            if ent.start_char >= end + CATAPHORA_REACH or (before is not None and ent.start_char >= start):
                break
            if ent.end_char <= start - DESCRIPTION_REACH or start <= ent.start_char < end or quoted_apart(ent.start_char):
                continue
            if unnamed is not None and ent.start_char < unnamed:
                continue
            if home and foreign_title(ent, _title_tokens(ent)):
                continue
            # "Gov. Jay Nixon" for "the governor"; "former" either side ("the former mayor" for "Mayor Rudy Giuliani")
            title = [abbreviations.get(t.lower_) or t.lower_ for t in _title_tokens(ent)]
            if head not in title or not _same_role(title[:title.index(head)], modifiers):
                continue  # "the mayor" is not "Deputy Mayor Carl Weston", nor "the deputy mayor" "Mayor Ann Ruiz"
            info = resolver.classify(ent.start_char, ent.end_char)
            if info.kind != "person" or not info.named:
                continue
            if ent.start_char < start:
                before = info  # the nearest before wins
            else:
                return info  # none before: the first just after
        return before

    @staticmethod
    def _subject_holder(resolver, start: int, end: int, titled: MentionInfo, counted: "_MentionCounts") -> MentionInfo:
        """The article's leading person for a description by title instead of the nearest person so titled, when
        the leader holds that title too and the article has come back to the leader since ("Sen. Rand Paul" ... "Sen.
        Ted Cruz pressed Holder ..." ... "Paul said ..." ... "the senator said": Paul)."""
        if titled.start >= start:
            return titled  # named just after the description
        leader = FullestNames._leading_referent(resolver, start, "person", counted)
        if leader is None or leader.key == titled.key:
            return titled
        index = resolver.index
        mentions = counted.mentions_of(leader.key, start)
        if not mentions or mentions[-1].start_char < titled.end:
            return titled
        head = index.text[start:end].split()[-1].lower()
        modifiers = set(index.text[start:end].lower().split()) & ROLE_MODIFIERS
        abbreviations = index.lex.title_abbreviations
        for ent in mentions:
            title = [abbreviations.get(t.lower_) or t.lower_ for t in _title_tokens(ent)]
            if head in title and _same_role(title[:title.index(head)], modifiers):
                return leader
        return titled

    @staticmethod
    def _pair_of_speakers(resolver, report, sources: dict[str, Source], attribution: Attribution) -> MentionInfo | None:
        """The two named people quoted last before ``attribution`` (within PAIR_REACH characters; not those quoted inside
        someone's words), as one group
        named "A and B" in the order the article first names them; None when fewer than two were."""
        if attribution.source is None:
            return None
        start = attribution.source.start
        contents = [(b.content.start, b.content.end) for b in report.attributions]
        pair: list[Source] = []
        for b in sorted(report.attributions, key=lambda b: -b.content.start):
            if b.content.start >= start or b.source is None:
                continue
            if any(s <= b.source.start < e for s, e in contents):
                continue  # a speaker inside someone's quote ("(The pope) has said ...") is not one of the two quoted
            if b.content.end < start - PAIR_REACH:
                break
            source = sources.get(b.source_id) if b.source_id else None
            if source is not None and source.kind == "person" and source.named and source not in pair \
                    and source.name.split()[0].lower() not in {"the", "a", "an"} \
                    and source.name.split()[-1].lower() not in resolver.index.lex.person_lex:
                # "The final Gallup Poll", "President" (a title left unresolved): no name of one of the two
                pair.append(source)
                if len(pair) == 2:
                    break
        if len(pair) < 2:
            return None
        noun = attribution.source.text.split()[-1].lower()
        sex = "m" if noun in {"men", "brothers"} else "f" if noun in {"women", "sisters"} else None
        if sex is not None and any(SpeakerChain._gender(resolver, p.name) not in (sex, None) for p in pair):
            return None  # "Both men" are not Bernie Sanders and Hillary Clinton
        pair.sort(key=lambda s: min((m.start for m in s.mentions), default=start))
        return _people_named([p.name for p in pair], attribution.source.text.strip())

    @staticmethod
    def _coordinated_pair(resolver, start: int, description: str) -> MentionInfo | None:
        """The last two people named together ("A and B", "Ald. A (33rd) and Ald. B") in the COORDINATED_PAIR_REACH
        characters before ``start``, as one group "A and B" by their fullest names; not two of a longer list. Read on
        the text between the names: the parse of a title the tokenizer does not know ("Ald.") is no help."""
        index = resolver.index
        persons, text = index.persons, index.text
        at = index.doc.char_span(start, start + 1, alignment_mode="expand")
        if at is None:
            return None
        for k in range(index.persons_before(at.start) - 1, 0, -1):
            first, second = persons[k - 1], persons[k]
            if second.end_char < start - COORDINATED_PAIR_REACH:
                break
            if not _JOINED_PAIR.fullmatch(text[first.end_char:second.start_char]):
                continue
            if k >= 2 and _LISTED_BEFORE.fullmatch(text[persons[k - 2].end_char:first.start_char]) \
                    or _LISTED_AFTER.match(text, second.end_char):
                return None  # "C, A and B" are not two
            names = [resolver.classify(e.start_char, e.end_char) for e in (first, second)]
            if any(n.kind != "person" or not n.named for n in names):
                return None
            return _people_named([n.name for n in names], description)
        return None

    @staticmethod
    def _quoted_again(resolver, report, attribution: Attribution) -> MentionInfo | None:
        """The person of the description's title who the article says, further down, used the same quoted words:
        the nearest person so titled before a later quotation holding the statement's words, in the same sentence."""
        pieces = [q.group(1) for q in _QUOTATION.finditer(attribution.content.text)] or [attribution.content.text]
        said = max(pieces, key=len).strip(" “”\"‘’'.,;:").lower()  # the quoted words, when it quotes some
        if attribution.source is None:
            return None
        head = attribution.source.text.split()[-1].lower()
        if len(said) < 5:
            return None
        text, index = report.text, resolver.index
        for quote in _QUOTATION.finditer(text, attribution.content.end):
            if said not in quote.group(1).lower():
                continue
            at = quote.start()
            sent = index.doc.char_span(at, at + 1, alignment_mode="expand")
            if sent is None:
                return None
            for ent in reversed(index.persons_within(sent.sent.start, sent[0].i)):
                if head in {t.lower_ for t in _title_tokens(ent)}:
                    info = resolver.classify(ent.start_char, ent.end_char)
                    return info if info.kind == "person" and info.named else None
            return None
        return None

    @staticmethod
    def _named_later(resolver, report, start: int, end: int) -> MentionInfo | None:
        """A lede's description of a person the article names further down under a title sharing a distinctive
        word with it (not "official", "government" and such), the first such person who is quoted."""
        index = resolver.index
        doc = index.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        # definite only: "a U.S. defense official" is an unnamed source, not the secretary named below; a noun for a
        # person ("the anatomy of this dispute" is no one); words of its own, not a name it hangs on ("a Boehner
        # aide", "A spokeswoman for Patrick" are not Boehner or Patrick)
        if span is None or span[0].lower_ != "the" or span.root.lemma_.lower() not in index.lex.person_lex \
                or span.root.lemma_.lower() in TITLE_NOT_ROLE:
            return None
        words = {t.lemma_.lower() for t in span if t.pos_ in {"NOUN", "ADJ"} and t.is_alpha} - GENERIC_TITLE_WORDS
        modifiers = {t.lower_ for t in span} & ROLE_MODIFIERS
        if not words:
            return None
        speakers = {(b.source.start, b.source.end) for b in report.attributions if b.source is not None}
        for ent in index.persons:
            if ent.start_char < end:
                continue
            lead = [t for t in doc[max(ent.sent.start, ent.start - 4):ent.start] if t.is_alpha]
            titles = {t.lemma_.lower() for t in lead + list(_title_tokens(ent))} - GENERIC_TITLE_WORDS
            if not words & titles or {t.lower_ for t in lead + list(_title_tokens(ent))} & ROLE_MODIFIERS != modifiers:
                continue  # "the president" is not "Vice President Mike Pence"
            # quoted: the name is (inside) a speaker's mention
            if any(s <= ent.start_char < e for s, e in speakers):
                info = resolver.classify(ent.start_char, ent.end_char)
                return info if info.kind == "person" and info.named else None
        return None

    @staticmethod
    def _leading_referent(resolver, position: int, kind: str, counted: "_MentionCounts") -> MentionInfo | None:
        """The referent mentioned most often before ``position``, when it leads the next by two mentions."""
        counts = counted.before(position, kind)
        ranked = sorted(counts.values(), key=lambda c: -c[0])
        # a lone person named once leads no one: "the budget director" after one mention of the memoir's author
        runner_up = ranked[1][0] if len(ranked) > 1 else 0
        if not ranked or ranked[0][0] < runner_up + 2:
            return None
        return ranked[0][1]


    @staticmethod
    def _may_lead(resolver, start: int, end: int, leader: MentionInfo, counted: "_MentionCounts") -> bool:
        """Whether the article's leading person may be the description at ``start``-``end``: not when the
        article brought in someone of that noun without a name as a subject ("One GOP senator said ... "I don't
        like trade wars," the senator said"), nor, for an office title ("the senator", "the president"), when the
        leading person holds other titles and never that one ("Commerce Secretary Wilbur Ross", "Speaker
        Boehner", "Dr. Ford" are no "the senator" or "the president")."""
        index = resolver.index
        head = index.text[start:end].split()[-1].lower()
        if _indefinite_subject_at(resolver, start, end) is not None:
            return False
        lex = index.lex
        if head not in OFFICE_TITLES and head not in lex.title_abbreviations.values():
            return True
        titles: set[str] = set()
        for ent in counted.mentions_of(leader.key, start):
            for t in _title_tokens(ent):
                if t.i >= ent.start:
                    break
                word = lex.title_abbreviations.get(t.lower_, t.lemma_.lower())  # "" for "Mr.", "Ms."
                if word and (word in OFFICE_TITLES or word in lex.title_abbreviations.values()):
                    titles.add(word)
        if titles:
            return head in titles
        # no title of its own: not when the article gave someone else that title before ("Missouri Gov. Jay Nixon
        # ordered ...", "the governor said" in an article mostly about Michael Brown)
        # ... but "President Donald Trump" is no "the former vice president")
        modifiers = set(index.text[start:end].lower().split()) & ROLE_MODIFIERS
        own = {ent.start_char for ent in counted.mentions_of(leader.key, start)}
        for ent in index.persons:
            if ent.start_char >= start:
                break
            if ent.start_char in own or ent.text.split()[-1].lower() == head:
                continue  # the leader's own ("President Trump" read whole), a title alone ("Mr. President")
            title = [lex.title_abbreviations.get(t.lower_) or t.lower_ for t in _title_tokens(ent)]
            if head in title and _same_role(title[:title.index(head)], modifiers):
                return False
        return True


def _indefinite_subject_at(resolver, start: int, end: int) -> int | None:
    """Where (a character offset) someone of the description's noun at ``start``-``end`` was last brought in
    without a name as a subject before it ("One GOP senator said ..." for "the senator"); None when never."""
    span = resolver.index.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    at = resolver.coreference.indefinite_subject_before(span[-1])
    return resolver.index.doc[at].idx if at >= 0 else None


# modifiers for a title held before: an article may introduce as "Mayor Rudy Giuliani" whom it calls "the former mayor"
PAST = frozenset({"former", "ex"})


def _same_role(before_title: list[str], modifiers: set[str]) -> bool:
    """Whether a title's words before its noun (``before_title``) make the role of a description with the role
    modifiers ``modifiers``: the same modifiers, except that "the former mayor" may be "Mayor Rudy Giuliani" (but
    "the president" is no "Former President Ruth Okoro")."""
    held = ROLE_MODIFIERS.intersection(before_title)
    return held == modifiers or bool(modifiers & PAST) and held - PAST == modifiers - PAST


# office titles a person is given before the name, for which "the <title>" is that office's holder
OFFICE_TITLES = frozenset({"president", "senator", "governor", "mayor", "secretary", "minister", "speaker", "judge",
                           "justice", "chancellor", "ambassador", "congressman", "congresswoman", "representative",
                           "sheriff", "premier", "leader", "chairman", "chairwoman", "commissioner", "director"})


class _MentionCounts:
    """How often each named referent of a kind is mentioned by person names before a position, counted in one
    sweep while the positions asked for grow (sources come in text order): each name is classified once, not
    once for every "the X" source after it (quadratic on long texts)."""

    def __init__(self, resolver):
        self.resolver = resolver
        self.infos: dict[int, MentionInfo] = {}  # a person's index -> its classification
        self.sweeps: dict[str, tuple[int, int, dict[str, tuple[int, MentionInfo]]]] = {}  # kind -> (position, next, counts)

    def before(self, position: int, kind: str) -> dict[str, tuple[int, MentionInfo]]:
        """Referent key -> (mentions, its last mention's info), over the persons before the first at ``position``
        or after, in order of first mention."""
        persons = self.resolver.index.persons
        at, k, counts = self.sweeps.get(kind, (0, 0, {}))
        if position < at:
            k, counts = 0, {}
        while k < len(persons) and persons[k].start_char < position:
            info = self.infos.get(k)
            if info is None:
                info = self.infos[k] = self.resolver.classify(persons[k].start_char, persons[k].end_char)
            if info.kind == kind and info.named:
                n, _ = counts.get(info.key, (0, info))
                counts[info.key] = (n + 1, info)
            k += 1
        self.sweeps[kind] = (position, k, counts)
        return counts

    def mentions_of(self, key: str, position: int) -> list[SpacySpan]:
        """The person entities before ``position`` classified as the referent ``key``."""
        persons = self.resolver.index.persons
        found = []
        for k, ent in enumerate(persons):
            if ent.start_char >= position:
                break
            info = self.infos.get(k)
            if info is None:
                info = self.infos[k] = self.resolver.classify(ent.start_char, ent.end_char)
            if info.key == key:
                found.append(ent)
        return found


def layers_on_every_piece(report) -> None:
    """A quotation read in pieces under one cue ('"So I have another bad book coming out," Trump says, according to
    a tape of that conversation. "Big deal."'): a layer read on one quoted piece (Trump's "says", inside the tape's
    report) speaks the quoted pieces after its cue too, one record per layer as the gold guide counts them."""
    pieces: dict[tuple[int, int, str | None], list[Attribution]] = {}
    for a in report.attributions:
        if a.cue is not None:
            pieces.setdefault((a.cue.start, a.cue.end, a.source_id), []).append(a)
    added: list[Attribution] = []

    def covers(a: Attribution, span: tuple[int, int]) -> bool:
        """Whether ``a``'s words hold most of ``span``'s."""
        return 2 * (min(a.content.end, span[1]) - max(a.content.start, span[0])) > span[1] - span[0]

    for group in pieces.values():
        if len(group) < 2:
            continue
        for piece in group:
            within = (piece.content.start, piece.content.end)
            layers = [b for b in report.attributions if b not in group and b.cue is not None and b.source_id is not None
                      and b.source_id != piece.source_id and within[0] <= b.content.start and b.content.end <= within[1]
                      and covers(b, within) and b.content.text.startswith(_OPENING)]
            for layer in layers:
                for other in group:
                    span = (other.content.start, other.content.end)
                    # only the pieces of a quotation that go on after the layer's cue: a speaker named inside reported
                    # words speaks those alone
                    if other is piece or not other.content.text.startswith(_OPENING) or span[0] < layer.cue.end or any(
                            b.source_id == layer.source_id and covers(b, span) for b in [*report.attributions, *added]):
                        continue
                    copy = Attribution(id=f"a{_next_number(report, added)}", source=layer.source, cue=layer.cue,
                                       content=other.content, form=layer.form, stance=layer.stance,
                                       source_id=layer.source_id,
                                       parent=other.id if layer.parent == piece.id else layer.parent)
                    added.append(copy)
    for a in added:
        add_attribution(report, a)


def _next_number(report, added: list[Attribution]) -> int:
    return max((int(a.id[1:]) for a in [*report.attributions, *added] if a.id[1:].isdigit()), default=0) + 1


class SpeakerResolution:
    """Sources resolved to their referents: the speaker chain for "he" / "she", the statements with no mention
    (continuations, Q&A answers) linked to their speaker, and the fullest name for each source."""

    name = "speakers"
    requires = ("sources", "source_keys", "structure")
    assigns = ("speakers",)

    def __init__(self, lexicons: Lexicons | None = None):
        self.persons_by_speech = PersonsBySpeech()
        self.chain = SpeakerChain()
        self.steps = (UncuedStatements(lexicons), FullestNames())

    def __call__(self, ctx) -> None:
        layers_on_every_piece(ctx.report)
        self.chain(ctx, self.persons_by_speech(ctx))
        for step in self.steps:
            step(ctx)


def make_speaker_resolution(options):
    return SpeakerResolution(lexicons_for(options))
