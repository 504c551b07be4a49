"""Fast tier: two CRFs over the shared spaCy parse (see ``features`` and ``train``).

1. The cue tagger marks cue spans ("said", "according to", "told reporters", ...) in each sentence.
2. For each cue, the role tagger marks its source and content in a window of sentences around it.
3. Small repairs where PolNeAR's conventions are unambiguous: a content that opens a quotation
   runs to its closing mark (and to the whole multi-sentence quotation); in passive hearsay the
   subject is the source, an expletive "it" is none.
4. A high-precision syntactic layer (``syntax``) adds the unambiguous attributions the cue tagger
   misses ("..., council member John Park told the Valley Tribune."), and a few parse-based repairs
   (``repair_relation``) fix headlines, "reportedly", passive agents and nested intentions.

Both run on features of the one parse every extractor shares, so the tier
costs a small fraction of the parse itself.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from spacy.tokens import Doc

from ... import packaged
from ...lexicons import Lexicons
from ...model import Attribution, AttributionForm, Span
from ...nlp import doc_text
from ...textspans import RangeIndex
from .syntax import (FINITE_TAGS, is_for_gerund, HEDGE_ADVERBS, SyntacticAttributions, agent_object, cue_head_token, hedged_clause, line_bounds,
                     is_addressee, is_rubric_label, is_saying_circumstance, shared_subject, verb_attachment)
from .according import according_to_source
from .nested import nested_relations
from .features import cue_head, cue_sequence, doc_features, quotation_char_ranges, role_sequence, role_window

MODEL_NAME = "attributions-fast"
QUOTE_CHARS = "\"“”"
# edge characters that do not decide whether a content is a clean quotation
_FORM_EDGE = " \t\r\n,.;:!?—–-"
# marginal probability of B-CUE above which a token starts a cue candidate (chosen on dev, kept in meta.json):
# 0.3 / 0.4 / 0.5 / 0.6 gave source exact F1 0.725 / 0.722 / 0.724 / 0.724, content exact 0.548 / 0.553 / 0.563 /
# 0.565, content overlap 0.766 / 0.763 / 0.761 / 0.759, relation F1 0.778 / 0.772 / 0.767 / 0.765
CUE_THRESHOLD = 0.5
CLOSE_QUOTES = True
_ACCORDING = re.compile(r"^according\b", re.IGNORECASE)
# passive hearsay cues ("is said to believe", "was reported") and hedging adverbs ("reportedly")
_HEARSAY = re.compile(r"\b(?:is|are|was|were|been|be)\s+(?:said|reported|rumou?red|alleged|believed|thought)\b"
                      r"|\b(?:reportedly|allegedly|purportedly|supposedly)\b", re.IGNORECASE)


def model_dir() -> Path:
    return packaged.model_dir(MODEL_NAME)


@dataclass
class TokenRelation:
    """One predicted relation as token ranges ``[start, end)``."""

    cue: tuple[int, int]
    source: tuple[int, int] | None = None
    content: list[tuple[int, int]] = field(default_factory=list)


def bio_runs(labels: list[str], tag: str, offset: int = 0) -> list[tuple[int, int]]:
    """Token ranges labelled ``B-tag I-tag*`` (a stray ``I-tag`` starts a run too; a run goes on over ``I-`` and
    ``L-`` of its own label), plus ``offset``: the runs spaCy's ``tags_to_entities(iob_to_biluo(labels))`` gives
    (a test checks), decoded in one pass: spaCy's pops from the front of a list, and every cue's role labels were
    decoded twice (contents, sources), a twentieth of the fast tier's time on AllSides articles."""
    runs = []
    i, n = 0, len(labels)
    while i < n:
        first = labels[i]
        if first == "O":
            i += 1
            continue
        inside, last = "I" + first[1:], "L" + first[1:]
        end = i + 1
        while end < n and (labels[end] == inside or labels[end] == last):
            end += 1
        if first[2:] == tag:
            runs.append((i + offset, end + offset))
        i = end
    return runs


def attribution_form(text: str, content: tuple[int, int], source: tuple[int, int] | None,
                     cue: tuple[int, int] | None) -> AttributionForm:
    """direct / mixed / indirect by quotation marks; according_to by cue; reported when no source."""
    if cue is not None and _ACCORDING.match(text[cue[0]:cue[1]]):
        return "according_to"
    if cue is not None and _HEARSAY.search(text[cue[0]:cue[1]]):
        return "reported"
    body = text[content[0]:content[1]].strip(_FORM_EDGE).replace("''", '"')
    quotes = sum(body.count(q) for q in QUOTE_CHARS)
    form: AttributionForm
    if quotes >= 2 and body[:1] in QUOTE_CHARS and body[-1:] in QUOTE_CHARS and quotes == 2:
        form = "direct"
    elif quotes >= 2 and body[:1] in QUOTE_CHARS and body[-1:] in QUOTE_CHARS:
        # several quoted stretches: direct when nothing but quotes and attribution glue lies between them
        form = "direct" if re.fullmatch(r'(\s*[“"][^“”"]*[”"]\s*[,.;:]?\s*)+', body) else "mixed"
    elif quotes >= 1:
        form = "mixed"
    else:
        form = "indirect"
    if source is None and form == "indirect":
        return "reported"
    return form


def _subject_as_source(df, cue: tuple[int, int], contents: list[tuple[int, int]]):
    """In passive raising ("The White House is said to believe that ...") the tagger may mark the
    subject as a second content run: it is the source; an expletive "it" ("it was reported") is nothing."""
    head = df.doc[cue_head(df, *cue)]
    if not any(c.dep_ == "auxpass" for c in head.children):
        return None, contents
    for child in head.children:
        if child.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        subj = (child.left_edge.i, child.right_edge.i + 1)
        if subj in contents:
            rest = [c for c in contents if c != subj]
            return (None if child.lower_ == "it" else subj), rest
    return None, contents


RELATIVE_PRONOUNS = {"which", "who", "whom", "that", "what"}
# passive raising verbs whose subject is talked about: "is said / reported / rumoured / believed to"
HEARSAY_RAISING = {"say", "report", "rumor", "rumour", "believe", "allege", "understand"}
NORMATIVE_VERBS = {"ban", "prohibit", "require", "forbid", "outlaw", "allow", "permit", "mandate", "bar"}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _from_cue_sentence(df, content: tuple[int, int], cue: tuple[int, int], sent: tuple[int, int]) -> tuple[int, int]:
    """A content reaching back into an earlier sentence is a quotation that began there; one that starts
    outside any quotation begins in the cue's own sentence ("Officials should act. “We will not sign it,” the
    minister said.": the first sentence is the outlet's). Likewise a reported clause after its cue ends with
    the cue's sentence ("He asserts that the report is clear. But these forms ...": the second is the
    outlet's), unless a quotation or a colon carries it on."""
    start, end = content
    sent_start, sent_end = sent
    if start < sent_start < end and df.quote_id[start] < 0 and not df.doc[start].is_space:
        return sent_start, end
    if (cue[1] <= start < sent_end < end and df.quote_id[start] < 0 and df.quote_id[sent_end] < 0
            and not any(df.doc[i].text == ":" for i in range(cue[1], start + 1))):
        stop = sent_end
        while stop > start and df.doc[stop - 1].is_space:
            stop -= 1
        # only at a full stop: the parser also splits sentences inside phrases ("the 13th | Amendment")
        tail = df.doc[sent_end:end].text
        if stop > start + 1 and df.doc[stop - 1].text in {".", "!", "?"} and not any(q in tail for q in ("''", *QUOTE_CHARS)):
            return start, stop - 1
    return content


_COMPLEMENTS = {"ccomp", "xcomp", "dobj", "pobj", "pcomp"}


def whole_complement(doc: Doc, cue: tuple[int, int], head, content: tuple[int, int]) -> tuple[int, int]:
    """"They worry that Mr. Clarke [is breathing new life into ...]": a content that opens the complement clause
    of the cue verb ``head`` runs to that clause's end (the tagger tends to stop inside long clauses)."""
    start, end = content
    if start < cue[1]:
        return content
    for child in head.children:
        if child.dep_ == "prep" and child.i == cue[1] - 1:  # "spoke out about": the object of the cue's preposition
            child = next((c for c in child.children if c.dep_ in {"pobj", "pcomp"}), child)
        if child.dep_ in _COMPLEMENTS and child.left_edge.i == start and start <= child.i < end:
            stop = child.right_edge.i + 1
            while stop > end and (doc[stop - 1].is_space or doc[stop - 1].is_punct and doc[stop - 1].text not in QUOTE_CHARS
                                  and doc[stop - 1].text != "''"):
                stop -= 1
            # only across words: where the tagger stopped at a comma, dash or bracket, it is usually right
            if stop > end and not any(t.is_punct for t in doc[end - 1:stop - 1]):
                return (start, stop)
            return content
    return content


# prepositions that carry what a person is accused, blamed or praised for ("accused [him] of lying")
_CHARGE_PREPOSITIONS = {"of", "for"}


def _charge_of_person(verb, content: tuple[int, int]) -> tuple[int, int] | None:
    """"DeSantis, whom Jones has accused of [interfering with state data]": where the relative pronoun the cue takes is
    a person, what is said of them is the object of the cue's "of"/"for", not the pronoun; ``None`` otherwise."""
    if verb.doc[content[0]].lower_ not in {"who", "whom"}:
        return None
    for prep in verb.rights:
        if prep.dep_ == "prep" and prep.lower_ in _CHARGE_PREPOSITIONS:
            obj = next((c for c in prep.children if c.dep_ in {"pcomp", "pobj"}), None)
            if obj is not None:
                return obj.left_edge.i, obj.right_edge.i + 1
    return None


def repair_relation(doc: Doc, lo: int, hi: int, rel: TokenRelation) -> TokenRelation | None:
    """PolNeAR-independent repairs of one CRF relation; ``None`` when nothing is left of it."""
    cue_tokens = doc[rel.cue[0]:rel.cue[1]]
    verb = doc[cue_head_token(doc, rel.cue)]
    rel.content = [whole_complement(doc, rel.cue, verb, c) for c in rel.content]
    # "is", "have" alone are no cue ("Washington's role is to ...", "many US allies have banned"):
    # dropping them raises dev source/cue/content exact F1 (0.710/0.629/0.502 -> 0.715/0.641/0.510)
    if all(t.pos_ == "AUX" or t.lemma_ in {"be", "have"} for t in cue_tokens):
        return None
    # "The Ottawa Treaty bans this type of weapon": what a rule allows or forbids is the outlet's claim about
    # the rule, not anyone's statement (on PolNeAR train 58 of 436 such verbs are cues)
    if verb.lemma_.lower() in NORMATIVE_VERBS:
        return None
    # a headline has no final stop: the newline after it ends its sentence
    llo, lhi = line_bounds(doc, lo, hi, rel.cue[0])
    if lhi < hi and doc[lhi - 1].text[-1:].isalnum():
        def clip(r):
            if r is None or r[1] <= lo or r[0] >= hi:  # outside the sentence: the window's look-back
                return r
            r = (max(r[0], llo), min(r[1], lhi))
            return r if r[1] > r[0] else None
        rel.source = clip(rel.source)
        rel.content = [c for c in map(clip, rel.content) if c is not None]
    # "a proxy war, which the White House intends to wage “to the last Ukrainian”": the relative pronoun is
    # what the cue's verb takes; the words after it are no content of its own (the quote is Moscow's)
    objects = [c for c in rel.content if c[1] - c[0] == 1 and doc[c[0]].lower_ in RELATIVE_PRONOUNS
               and doc[c[0]].dep_ == "dobj" and rel.cue[0] <= doc[c[0]].head.i < rel.cue[1]]
    if objects:
        rel.content = [_charge_of_person(verb, c) or c for c in objects]
        # "which Lee described [as “a hoax”]", "whom the board accused [of fraud]" where the pronoun stays (not a
        # person's "who"/"whom" with a charge, read above): what the antecedent is called or accused of is said too,
        # a piece of its own
        if any(c[1] - c[0] == 1 and doc[c[0]].lower_ in RELATIVE_PRONOUNS for c in rel.content):
            for prep in verb.rights:
                said = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)
                if prep.dep_ == "prep" and prep.lower_ in {"of", "as"} and said is not None and prep.i < hi:
                    piece = (said.left_edge.i, min(said.right_edge.i + 1, hi))
                    if piece not in rel.content:
                        rel.content.append(piece)
    head = doc[rel.cue[1] - 1]
    if len(cue_tokens) == 1 and head.lower_ in HEDGE_ADVERBS:
        # "Biden reportedly authorized ...": no source; one content across the adverb, the clause it modifies
        clause = hedged_clause(doc, lo, hi, head)
        if clause is not None:
            rel.source, rel.content = None, [clause]
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    said = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if subject is not None and said is not None and verb.i < hi:
        # "She was told [the school would reopen]", "Trump was told by aides that ...": the passive subject heard it;
        # what was said is the clause, not the hearer
        heard = (subject.left_edge.i, subject.right_edge.i + 1)
        kept = [c for c in rel.content if not (heard[0] <= c[0] and c[1] <= heard[1])]
        if len(kept) < len(rel.content):
            rel.content = kept or [(said.left_edge.i, min(said.right_edge.i + 1, hi))]
    if (rel.source is not None and subject is not None and rel.source[0] <= subject.i < rel.source[1]
            and not any(c.dep_ == "xcomp" for c in verb.children)):
        # "Mr. Quiros was accused of fraud": the passive subject is talked about, not talking (on PolNeAR train
        # 12 % of passive cues have their subject as the source, mostly raising: "is said to believe")
        rel.source = None
    elif (rel.source is not None and subject is not None and rel.source[0] <= subject.i < rel.source[1]
          and verb.lemma_.lower() in HEARSAY_RAISING and any(
              c.dep_ == "xcomp" and any(lo_ <= c.i < hi_ for lo_, hi_ in rel.content) for c in verb.children)):
        # "Cohn is said to have stolen a letter": hearsay about what the subject did, from no one (the gold
        # guide's sourceless report); in "X is said to believe that ..." the content is X's belief and X its source
        rel.source = None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if rel.source is not None and subj is not None and lo <= subj.i and not rel.source[0] <= subj.i < rel.source[1] and (
            rel.source[1] <= lo or any(
            t.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass"} and rel.source[0] <= c.i for c in t.children)
            and not (t.dep_ in {"relcl", "acl"} and rel.source[0] <= t.head.i < rel.source[1])  # "a woman who ..."
            for t in doc[rel.source[0]:rel.source[1]])):
        # "Hatice Cengiz, who was preparing to marry Khashoggi when [he was killed ...], complained that ...": a source
        # that is a clause of its own names no one, nor does one before the sentence when the cue verb has a subject
        # in it; the cue verb's subject speaks (its words before any relative clause)
        own_words = [c for c in subj.children if c.dep_ not in {"relcl", "acl", "appos", "punct", "cc", "conj"}]
        rel.source = (subj.left_edge.i, max([subj.i] + [c.right_edge.i for c in own_words if c.i > subj.i]) + 1)
    pobj = agent_object(verb)
    if pobj is not None:
        agent = pobj.head
        # "Ukraine has been accused by the UN of breaching ...": the agent speaks
        by = (pobj.left_edge.i, pobj.right_edge.i + 1)
        if any(_overlaps(by, c) for c in rel.content) or _overlaps(by, rel.cue):
            rel.source = by
            if rel.cue[1] > agent.i >= rel.cue[0]:
                rel.cue = (rel.cue[0], agent.i)
            rest = []
            for c in rel.content:
                c = (max(c[0], by[1]), c[1]) if _overlaps(by, c) else c
                while c[0] < c[1] and doc[c[0]].dep_ == "prep":
                    c = (c[0] + 1, c[1])
                if c[1] > c[0]:
                    rest.append(c)
            rel.content = rest
    if verb.dep_ == "pcomp" and verb.pos_ == "VERB":
        # "By telling Trump [that it will all be over soon], his lawyers keep ...": a content of a fronted gerund ends
        # with its clause, not in the main clause after it (also for adverbial clauses: one PolNeAR relation fewer)
        main_verb = verb.head.head
        stop = verb.right_edge.i + 1
        if main_verb.i > stop:
            clipped = []
            for c in rel.content:
                if c[0] > verb.i and c[0] < stop < c[1] and c[1] > main_verb.i:
                    end = stop
                    while end > c[0] + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
                        end -= 1
                    c = (c[0], end)
                clipped.append(c)
            rel.content = clipped
    if rel.source is None and verb.dep_ in {"conj", "advcl", "xcomp", "pcomp"} and verb.pos_ == "VERB":
        # "two speechwriters implored her to bring it back, arguing that ...": the shared subject speaks
        shared = shared_subject(verb)
        if shared is not None and not any(_overlaps(shared, c) for c in rel.content) and not _overlaps(shared, rel.cue):
            rel.source = shared
    return rel if rel.content else None


def without_relative_duplicates(doc: Doc, relations: list[TokenRelation]) -> list[TokenRelation]:
    """"According to the Washington Post, which was the first to report ...": a relation whose source is a
    relative pronoun and whose content another relation already reports is that relation's echo.
    (A relative pronoun is a source in PolNeAR otherwise: "a contractor who said he was stiffed".)"""
    def echo(r):
        return (r.source is not None and r.source[1] - r.source[0] == 1
                and doc[r.source[0]].lower_ in RELATIVE_PRONOUNS
                and any(o is not r and any(_overlaps(a, b) for a in o.content for b in r.content) for o in relations))
    return [r for r in relations if not echo(r)]


def without_nested_intentions(doc: Doc, relations: list[TokenRelation], speech_verbs) -> list[TokenRelation]:
    """"Biden has decided to send landmines, multiple news outlets reported": inside a reported content, a
    non-speech verb with an infinitive ("has decided to send", "intends to wage") is what was reported,
    not a second source speaking."""
    def nested_intention(r):
        verb = doc[cue_head_token(doc, r.cue)]
        if verb.lemma_.lower() in speech_verbs or not all(
                doc[c[0]].dep_ == "aux" and doc[c[0]].head.dep_ == "xcomp" and doc[c[0]].head.head.i == verb.i
                or doc[c[0]].lower_ in RELATIVE_PRONOUNS for c in r.content):
            return False
        return any(o is not r and any(c[0] <= r.cue[0] and r.cue[1] <= c[1] for c in o.content) for o in relations)
    return [r for r in relations if not nested_intention(r)]


CITING_VERBS = {"cite", "quote"}
# who can be cited as a source (not "citing her work"): people, groups, media, governments, organisations
_CITED_NOUN_LEXICONS = ("source_nouns_person", "source_nouns_group", "source_nouns_media", "source_nouns_government",
                        "source_nouns_organization")
_CITED_ENTITIES = {"PERSON", "ORG", "NORP", "GPE"}


def _citable(token, lexicons: Lexicons) -> bool:
    return token.ent_type_ in _CITED_ENTITIES or any(token.lemma_.lower() in lexicons.words(name)
                                                      for name in _CITED_NOUN_LEXICONS)


def with_cited_sources(doc: Doc, relations: list[TokenRelation], lexicons: Lexicons) -> list[TokenRelation]:
    """"Multiple outlets reported on Tuesday, citing unnamed American officials": the cited officials are
    whom the report rests on, so they are the source of what was reported. (PolNeAR would make the
    officials the content of "citing"; an editor asking "who says so?" reads them as the source.)
    ``lexicons``: the word lists of the doc's language (who can be cited)."""
    for r in relations:
        verb = doc[cue_head_token(doc, r.cue)]
        relative = verb.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in RELATIVE_PRONOUNS for c in verb.children)
        if verb.lemma_.lower() not in CITING_VERBS or verb.dep_ != "advcl" and not relative:
            continue
        cited = next((c for c in verb.children if c.dep_ == "dobj"), None)
        # the report the participle hangs on: the one whose cue is the verb it modifies ("Reuters, citing ...,
        # reported"), or whose source it describes ("according to the Post, which cited three aides"); else the nearest
        # cue before it whose content it is not part of
        own = [o for o in relations if o is not r and (
            relative and o.source is not None and o.source[0] <= verb.head.i < o.source[1]
            or not relative and o.cue[0] <= verb.head.i < o.cue[1])]
        before = [o for o in relations if o is not r and o.cue[1] <= r.cue[0]
                  and not any(c[0] <= r.cue[0] < c[1] for c in o.content)]
        reported = own[0] if own else None if relative else max(before, key=lambda o: o.cue[1], default=None)
        if cited is None or reported is None or not _citable(cited, lexicons):
            continue
        span = (cited.left_edge.i, cited.right_edge.i + 1)
        if any(_overlaps(span, c) for c in r.content):
            r.source, r.content = span, list(reported.content)
    return relations


def embedded_subject(doc: Doc, source: tuple[int, int], speaker: tuple[int, int]) -> bool:
    """Whether ``source`` holds the subject of a relative clause on the ``speaker`` phrase's head (the "I" of "[Few
    people] I've read"), outside that phrase."""
    return any(t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ in {"relcl", "acl"} and speaker[0] <= t.head.head.i < speaker[1]
               and not speaker[0] <= t.i < speaker[1] and t.lower_ not in RELATIVE_PRONOUNS  # "the sailor who attended"
               for t in doc[source[0]:source[1]])


def _relative_antecedent_source(doc: Doc, cue: tuple[int, int], source: tuple[int, int]) -> bool:
    """Whether the cue verb heads a relative clause on a noun of the source phrase ("[a recent study] that
    estimated ...")."""
    verb = doc[cue[1] - 1]
    return verb.dep_ == "relcl" and source[0] <= verb.head.i < source[1] and verb.i >= source[1]


def merge_syntactic(crf: list[TokenRelation], rules, doc: Doc, quote_id: list[int] | None = None) -> list[TokenRelation]:
    """Add each rule relation whose cue overlaps no CRF cue; a CRF relation without a source takes the
    source of a rule relation on the same cue (and after "according to", its shorter noun phrase). ``quote_id[i] >= 0``
    marks token ``i`` inside a quotation."""
    out = list(crf)
    for cue, source, contents in rules:
        according = doc[cue[0]].lower_ == "according"
        same = [r for r in crf if _overlaps(r.cue, cue)]
        # a cue inside a reported content is PolNeAR's nested case, which the CRF decides; not a study's or filing's
        # own relative clause inside a cited noun phrase ("cited [a poll which showed ...]": the poll's finding)
        gerund = source is not None and is_for_gerund(doc[cue[1] - 1])
        if not same and any(c[0] <= cue[0] and cue[1] <= c[1] for r in crf for c in r.content) and not (
                source is not None and _relative_antecedent_source(doc, cue, source) or gerund):
            continue
        if not same:
            out.append(TokenRelation(cue=cue, source=source, content=list(contents)))
            continue
        for r in same:
            if (source is not None and r.source is not None and r.source[1] - r.source[0] == 1
                    and doc[r.source[0]].lower_ in {"that", "which"} and _relative_antecedent_source(doc, cue, source)):
                # "polls that show ...": the tagger's source is the relative pronoun, which a cited document's own
                # clause inside another reading would be dropped for as an echo; the document named speaks
                r.source = source
            if gerund and r.source != source:
                # "The senator praised the governor for saying that ...": the tagger's cue runs across both verbs and
                # gives the clause to the praising subject; the gerund's own sayer says it
                r.cue, r.source, r.content = cue, source, list(contents)
                continue
            # "<content>, Pride said, and <more>", "— which is why, Groshen said, it's ...": where the tagger agrees on one
            # piece, the rule's other pieces that no relation reads go on with it
            if len(contents) > 1 and any(_overlaps(p, c) for p in contents for c in r.content):
                r.content.extend(c for c in contents if not any(_overlaps(c, o) for rel in out for o in rel.content))
            # "“Only after,” West assured Trump. “2024.”": where the tagger reads the quotation after the cue, the
            # rule's quotation before it, which no relation reads, is the same speaker's
            # (the quotation may have opened in a sentence before: “A. B,” Trump reiterated. “C.”; its content is
            # stretched to the whole quotation later)
            r.content.extend(c for c in contents if c[1] <= r.cue[0]
                             and (doc[c[0]].is_quote or quote_id is not None and quote_id[c[0]] >= 0)
                             and all(o[0] >= r.cue[1] for o in r.content)
                             and not any(_overlaps(c, o) for rel in out for o in rel.content))
            if (r.source is None and source is not None and r.cue == cue
                    and any(c[0] == source[0] for c in r.content) and all(doc[c[0]].is_quote for c in contents)):
                # "“Not us!” shouted a woman near the back": the tagger read the speaker after the cue as what was said
                # (only for a quotation: PolNeAR's readings of the kind are often right the other way round)
                r.source, r.content = source, list(contents)
            elif r.source is None and source is not None and not any(_overlaps(source, c) for c in r.content):
                r.source = source
            elif source is not None and r.source is not None and embedded_subject(doc, r.source, source):
                # "Few people I've read argue that ...": the tagger took the subject of the relative clause inside the
                # speaker's phrase, and the cue across both verbs; the verb's own subject speaks
                r.source, r.cue = source, cue
            elif (according and source is not None and r.source is not None
                  and r.source[0] == source[0] < source[1] < r.source[1] and doc[source[1]].lower_ in RELATIVE_PRONOUNS
                  and doc[source[1]].head.dep_ == "relcl"):
                # "according to two U.S. officials who spoke on the condition of anonymity": the source is the
                # noun phrase; the clause describing it is the outlet's (the rule's phrase stops before it)
                r.source = source
    return out


def merge_lines(crf: list[TokenRelation], rules) -> list[TokenRelation]:
    """Add the line-layout relations (transcript turns, signed quotations): such a line is its own
    speaker's, so a CRF content from a cue outside the line loses the segments that reach into it."""
    out = list(crf)
    for cue, source, contents in rules:
        same = [r for r in out if _overlaps(r.cue, cue)]
        if same:
            whole = (min(c[0] for c in contents), max(c[1] for c in contents))
            for r in same:
                if r.source is None:
                    r.source = source
                if all(whole[0] <= c[0] and c[1] <= whole[1] for c in r.content):
                    r.content = list(contents)  # the CRF's reading of the colon stops early: the whole line is the turn
            continue
        line = (min(c[0] for c in contents + [cue, source]), max(c[1] for c in contents + [cue, source]))
        for r in out:
            if not _overlaps(r.cue, line):
                r.content = [c for c in r.content if not _overlaps(c, line)]
        out = [r for r in out if r.content]
        out.append(TokenRelation(cue=cue, source=source, content=list(contents)))
    return out


def free_relative_content(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> tuple[int, int] | None:
    """What a free relative "what" as the content stands for: the complement of the copula it is the subject of
    ("despite what Woodward said [were repeated attempts to contact him]", "What the FDA noted is [that there are
    elevated risks]"); ``None`` when the content is no such "what". (A relative "which"/"that" with an antecedent
    stays the content, as PolNeAR marks it: see ``repair_relation``.)"""
    verb = doc[cue_head_token(doc, cue)]
    # a cue read with the copula ("recently noted is"): the saying verb is the copula's clausal subject in it
    verb = next((t for t in doc[cue[0]:cue[1]] if t.dep_ == "csubj" and t.head.i == verb.i), verb)
    what = copula = None
    # "what X said were Y": the copula clause after the verb, "what" its subject or the verb's object
    for clause in verb.rights:
        if clause.dep_ == "ccomp" and clause.lemma_ == "be":
            subjects = [d for d in clause.children if d.dep_ in {"nsubj", "nsubjpass", "expl"}]
            objects = [d for d in verb.lefts if d.dep_ == "dobj" and d.lower_ == "what"]
            if subjects and subjects[0].lower_ == "what" and subjects[0].i < verb.i:
                what, copula = subjects[0], clause
            elif not subjects and objects:
                what, copula = objects[0], clause
            break
    # "What X noted is Y": the clause is the copula's subject
    if copula is None and verb.dep_ == "csubj" and verb.head.lemma_ == "be":
        what = next((c for c in verb.lefts if c.dep_ == "dobj" and c.lower_ == "what"), None)
        copula = verb.head
    if what is None or copula is None:
        return None
    complement = next((c for c in copula.rights if c.dep_ in {"attr", "acomp", "ccomp"}), None)
    # the content read is the pronoun (alone or with the clause it opens: "[What the FDA]"), or the copula clause from
    # its verb on
    if complement is None or not (content[0] == what.i and content[1] <= copula.i or content[0] == copula.i):
        return None
    start, end = complement.left_edge.i, complement.right_edge.i + 1
    while end > start + 1 and (doc[end - 1].is_punct and not doc[end - 1].is_quote or doc[end - 1].is_space):
        end -= 1
    return start, end


# what may hang on a cue verb between it and its clause: where, when, to whom ("wondered [on her blog] whether",
# "confided [to reporters] that", "said [Monday] that")
_CUE_ADJUNCTS = {"prep", "advmod", "npadvmod"}


def clause_after_adjuncts(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> tuple[int, int] | None:
    """A content that opens with the cue verb's own adjuncts before its clause is the clause ("wondered on [her blog
    whether the council ...]" -> "whether the council ..."); ``None`` when the content is no such reading."""
    if content[0] < cue[1] or doc[content[0]].is_quote or doc[content[0]].is_punct:
        return None
    verb = doc[cue_head_token(doc, cue)]
    clause = next((c for c in verb.rights if c.dep_ == "ccomp" and content[0] < c.left_edge.i < content[1]), None)
    if clause is None:
        return None
    adjuncts = [c for c in verb.rights if c.dep_ in _CUE_ADJUNCTS and c.i < clause.left_edge.i]
    covered = {t.i for c in adjuncts for t in c.subtree} | {t.i for t in doc[content[0]:clause.left_edge.i]
                                                            if t.is_punct or t.is_space}
    if not all(i in covered for i in range(content[0], clause.left_edge.i)):
        return None
    return clause.left_edge.i, content[1]


_MODALS = {"should", "must", "can", "could", "may", "might", "would", "will"}
_QUESTION_WORDS = {"what", "why", "how", "whether", "if", "who", "whom", "when", "where", "which"}


def is_writer_aside(doc: Doc, cue: tuple[int, int]) -> bool:
    """"It should be noted that ...", "it must be said that ...": the writer's own aside, no one else's statement. So
    is the concessive "That said, ..." (= "even so"; one AllSides text in a hundred has it), which the parser reads as
    "That" saying the clause after the comma."""
    verb = doc[cue_head_token(doc, cue)]
    kids = list(verb.children)
    if (verb.lower_ == "said" and verb.i >= 1 and verb.i + 1 < len(doc) and doc[verb.i + 1].text == ","
            and doc[verb.i - 1].lower_ in {"that", "this"} and doc[verb.i - 1].is_sent_start):
        return True
    return (any(k.dep_ in {"nsubjpass", "expl"} and k.lower_ == "it" for k in kids)
            and any(k.dep_ == "auxpass" for k in kids) and any(k.dep_ == "aux" and k.lower_ in _MODALS for k in kids))


def is_question_put(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """"Trump was asked whether West could be a candidate": the question someone unnamed put to the subject, not a
    statement of the subject's (the answer, if reported, is); nor is what a question was about ("asked Harris about
    her support for reparations")."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() != "ask" or doc[content[0]].is_quote:
        return False
    first = next((t for t in doc[content[0]:content[1]] if not t.is_punct and not t.is_space), None)
    if any(k.dep_ == "auxpass" for k in verb.children) and first is not None and first.lower_ in _QUESTION_WORDS:
        return True
    # "asked Harris about [her support for reparations]": the topic of the question
    prep = verb_attachment(doc, verb, content)
    return prep is not None and (prep.dep_ == "prep" and prep.lower_ == "about" or prep.head.lower_ == "about")


# verbs of answering: what they take with "to" is what was answered ("responded [to requests for clarification]")
_ANSWERING_VERBS = {"respond", "reply", "react"}


def is_thing_answered(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """"FEMA responded [to requests for clarification]", "Responding [to criticism from Sen. Cory Booker], Biden said":
    what someone answered is someone else's words or act, not a statement of the answerer's (the answer, if reported,
    is). A clause inside stays ("responded to a report [that ...]": that report's words), and so does a quotation."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() not in _ANSWERING_VERBS:
        return False
    span = doc[content[0]:content[1]]
    if not len(span) or any(t.is_quote or t.dep_ in {"nsubj", "nsubjpass", "mark"} for t in span):
        return False
    prep = verb_attachment(doc, verb, content)
    opener = doc[content[0]]
    return (prep is not None and prep.dep_ == "prep" and prep.lower_ == "to"
            or opener.dep_ == "prep" and opener.lower_ == "to" and opener.head.i == verb.i)


def is_relative_antecedent(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A content that holds the noun the cue's relative clause describes, not the clause ("[The land of opportunity]
    he imagined was ...", "[The idea] — explicitly expressed by this president — that ..."): a thing named, nothing
    said. (A quotation stays: "“rigged,” which he repeated".)"""
    verb = doc[cue_head_token(doc, cue)]
    if verb.dep_ not in {"relcl", "acl"} or content[0] <= verb.i < content[1] or any(
            t.is_quote for t in doc[content[0]:content[1]]):
        return False
    # the noun, or what the sentence says of it ("the land he imagined [was full of challenges]")
    noun = verb.head
    return content[0] <= noun.i < content[1] or noun.dep_ in {"nsubj", "nsubjpass"} and content[0] <= noun.head.i < content[1]


# what is refused when someone "declines to comment": saying itself, so nothing is said
_REFUSING = {"decline", "refuse"}
_REFUSED_SAYINGS = {"comment", "say", "discuss", "elaborate", "respond", "answer", "confirm", "deny", "specify",
                    "speculate", "disclose", "reveal", "identify", "name", "detail", "address", "explain", "talk"}


def is_refusal_to_say(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """"Facebook declined [to comment for this article]", "a spokesman refused [to say whether ...]": a refusal to
    speak holds no statement (none of the 5 in the who-says-so gold is labelled; PolNeAR dev labels 1 of 2)."""
    verb = doc[cue_head_token(doc, cue)]
    cue_lemmas = {t.lemma_.lower() for t in doc[cue[0]:cue[1]]}
    if cue_lemmas & _REFUSED_SAYINGS and (cue_lemmas & _REFUSING or verb.dep_ == "xcomp"
                                          and verb.head.lemma_.lower() in _REFUSING):
        return True  # the cue holds the refusal: "[refused to say] whether ..."
    if verb.lemma_.lower() not in _REFUSING:
        return False
    words = [t for t in doc[content[0]:content[1]] if not (t.is_punct or t.is_space)]
    return len(words) >= 2 and words[0].lower_ == "to" and words[1].lemma_.lower() in _REFUSED_SAYINGS


def is_date_apposition(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """"Pelosi told reporters Thursday, [the anniversary of the Parkland school shooting]": a noun phrase after the
    day of the saying and a comma names the day again (the parser may take it for a second object); no clause, no
    statement."""
    first = content[0]
    while first < content[1] and (doc[first].is_space or doc[first].is_quote):
        first += 1
    if first < 2 or doc[first - 1].text != "," or doc[first - 2].ent_type_ not in {"DATE", "TIME"}:
        return False
    if not cue[1] <= first - 2 or doc[first - 2].head.i != cue_head_token(doc, cue):
        return False
    span = doc[first:content[1]]
    return not any(t.pos_ in {"VERB", "AUX"} or t.is_quote for t in span)


# a negated belief is still a stance ("does not believe that the plan works" says it does not)
_STANCE_VERBS = {"believe", "think", "expect", "feel", "want", "suppose", "consider", "agree", "doubt", "trust", "see"}


# subjects that deny the saying as "not" does ("[neither] mentioned ...", "[no one] says", "[No progressive] finds")
_NEGATIVE_SUBJECTS = {"neither", "none", "nobody", "nothing"}


def _has_negative_subject(verb) -> bool:
    for c in verb.children:
        if c.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        # "No 10" (Downing Street) is a source, not a negation
        if c.lower_ in _NEGATIVE_SUBJECTS or any(d.dep_ == "det" and d.lower_ in {"no", "neither"}
                                                 and not d.nbor().like_num for d in c.children):
            return True
    return False


def is_negated_saying(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """"Sessions didn't mention [that case]", "the people in charge don't know [what's coming]": a negated cue over a
    thing, a question or an act reports what was not said or known, no one's statement (the guide's reading; PolNeAR
    annotates some), and so does a quoted term ("does not mention “human-to-human transmission”"). A negative subject
    negates the cue too ("neither mentioned [the possibility ...]", "No progressive finds [that rate acceptable]"). A
    negated belief stays, and so do a quoted clause and a withheld proposition ("has not confirmed that ...": the stance
    "negated")."""
    verb = doc[cue_head_token(doc, cue)]
    span = doc[content[0]:content[1]]
    if not (any(c.dep_ == "neg" for c in verb.children) or _has_negative_subject(verb)) \
            or verb.lemma_.lower() in _STANCE_VERBS or not len(span):
        return False
    if any(t.is_quote for t in span):
        # a quoted term not mentioned ("does not mention “human-to-human transmission”") is no quotation of anyone's;
        # a quoted clause stays
        return not any(t.pos_ in {"VERB", "AUX"} for t in span)
    # a withheld proposition stays, with the stance "negated" ("has not confirmed [that ...]", "a shift [that] the
    # ministry has not confirmed"): what is dropped names a thing, a question or an act
    first = next((t for t in span if not t.is_punct and not t.is_space), span[0])
    if first.lower_ in _QUESTION_WORDS:
        return True
    if len(span) == 1 and first.lower_ in RELATIVE_PRONOUNS or first.lower_ == "that" and first.dep_ == "mark":
        return False
    root = span.root
    return not (root.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in root.children))


# verbs of appearance: "X seems / appears (to be) Y", "It seems that ..." is how things look to the writer
_APPEARANCE_VERBS = {"seem", "appear"}


def is_appearance(doc: Doc, cue: tuple[int, int], contents: list[tuple[int, int]], speech_verbs) -> bool:
    """A cue that is only a verb of appearance ("Democrats seem [to have a decent chance]", "It appears [that the
    impact ... is larger]", "Beijing appears [to be exerting more leverage]"): the writer's impression, no one's statement
    (the guide's reading; PolNeAR annotates some). A speech verb it carries stays ("appeared to suggest", "seemed [to
    think that ...]"), and so does a quotation."""
    verbs = [t for t in doc[cue[0]:cue[1]] if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}]
    if not verbs or any(t.lemma_.lower() not in _APPEARANCE_VERBS for t in verbs):
        return False
    for content in contents:
        span = doc[content[0]:content[1]]
        if any(t.is_quote for t in span):
            return False
        # "seemed [to think the outreach was phony]": the infinitive says, the appearance only hedges it
        if any(t.dep_ == "xcomp" and t.head.i in {v.i for v in verbs} and t.lemma_.lower() in speech_verbs for t in span):
            return False
    return True


def is_writers_imperative(doc: Doc, cue: tuple[int, int]) -> bool:
    """A cue that is the writer's own imperative to the reader ("Consider that the Senate found itself ...", "Note that
    ...", "Remember: ..."): a verb in its base form opening its sentence, with no subject and no auxiliary, is the writer
    speaking, not a report of anyone's words. A sentence with a quotation in it stays (a quoted order is someone's)."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.tag_ != "VB" or verb.dep_ not in {"ROOT", "conj"} or any(
            c.dep_ in {"nsubj", "nsubjpass", "expl", "aux", "auxpass"} for c in verb.children):
        return False
    sent = verb.sent
    if any(t.is_quote for t in sent):
        return False
    first = next((t for t in sent if not (t.is_punct or t.is_space or t.dep_ in {"cc", "advmod", "intj"} and t.i < verb.i)),
                 None)
    return first is not None and first.i == verb.i


def is_writers_question(doc: Doc, cue: tuple[int, int]) -> bool:
    """A cue inside the writer's own direct question ("Can you really blame [them]?", "What model does Sanders have in
    mind?", "Is there anyone who doubts they hope [to gain seats]?"): the sentence asks, it reports no one's statement.
    A direct question here is a sentence ending with a question mark whose main verb or auxiliary comes before its
    subject; a sentence with a quotation in it stays (a question quoted is someone's)."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.pos_ not in {"VERB", "AUX", "NOUN"}:  # a speaker label's colon ("WALLACE: Do you ...?") asks as that speaker
        return False
    sent = verb.sent
    # the sentence's last two words first (most sentences end otherwise): no Token objects for the rest of it
    words: list = []
    k = sent.end - 1
    while k >= sent.start and len(words) < 2:
        if not doc[k].is_space:
            words.insert(0, doc[k])
        k -= 1
    if not words:
        return False
    if words[-1].text != "?" and not (len(words) > 1 and words[-1].is_punct and words[-2].text == "?"):
        return False
    if any(t.is_quote for t in sent):
        return False
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
    if subject is None:
        return False
    # "Can you ...", "What model does Sanders have ...": an auxiliary before the subject; "Is there anyone ...": the
    # copula itself before it
    return (root.pos_ == "AUX" and root.i < subject.i
            or any(c.dep_ in {"aux", "auxpass"} and c.i < subject.i for c in root.children))


def is_adverbial_piece(doc: Doc, cue: tuple[int, int], content: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """A piece before a parenthetical cue that is only an adverbial opening the clause after it ("[For one thing],
    Groshen said, it came out on time", "[Actually], he says, ..."): the clause after the cue is the content, the
    opener says nothing of its own. Only where the relation reads that clause too; a quotation or a verb stays."""
    span = doc[content[0]:content[1]]
    if content[1] > cue[0] or not len(span) or any(t.is_quote or t.pos_ in {"VERB", "AUX"} for t in span):
        return False
    if not any(o[0] >= cue[1] for o in others):
        return False
    return span.root.dep_ in {"advmod", "prep", "npadvmod", "intj", "cc", "mark"}


def is_first_conjunct(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """"He has defended Kavanaugh, said he has a hard time believing the allegations and ...": a clause with its own
    subject before a cue verb that has none, and a clause of its own after it, is the first of a series of things the
    subject did, not what was said (the parser hangs it on the cue verb). A quotation stays."""
    verb = doc[cue_head_token(doc, cue)]
    span = doc[content[0]:content[1]]
    if content[1] > cue[0] or not len(span) or any(t.is_quote for t in span):
        return False
    if any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children):
        return False
    root = span.root
    return (root.head.i == verb.i and any(c.dep_ in {"nsubj", "nsubjpass"} for c in root.children)
            and any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children))


_LINKING_VERBS = {"be", "seem", "appear", "look", "sound", "feel", "become", "remain"}


def is_bare_adjective(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A content that is only an adjective the cue verb takes ("pled [guilty and agreed to cooperate]"): an act, nothing
    said. A linking verb's adjective ("seems credible"), a small clause ("called [him crazy]") and a quotation stay."""
    span = doc[content[0]:content[1]]
    if not len(span) or any(t.is_quote for t in span):
        return False
    root = span.root
    verb = doc[cue_head_token(doc, cue)]
    # a linking verb's adjective says what the subject is ("Nothing about them [seems] credible": PolNeAR reads it)
    return (root.pos_ == "ADJ" and root.dep_ in {"oprd", "acomp"} and root.head.i == verb.i and content[0] == root.i
            and verb.lemma_.lower() not in _LINKING_VERBS and not any(c.dep_ in {"dobj", "dative"} for c in verb.children))


def is_result_clause(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """"The definition has so expanded [that a large share of people qualify]": a "that" clause after "so" (or "such")
    on the verb says what followed, not what was said. A quotation stays."""
    verb = doc[cue_head_token(doc, cue)]
    span = doc[content[0]:content[1]]
    first = next((t for t in span if not t.is_punct and not t.is_space), None)
    if first is None or first.lower_ != "that" or first.dep_ != "mark" or any(t.is_quote for t in span):
        return False
    return any(c.dep_ == "advmod" and c.lower_ == "so" and c.i < content[0] for c in verb.children) or any(
        c.dep_ in {"dobj", "attr"} and any(d.lower_ == "such" for d in c.children) for c in verb.children)


# verbs of consenting, refusing and attempting: with an infinitive they report an act agreed to, refused or tried
# ("agreed [to waive dues]", "refused [to do the dirty work]", "has sought [to restrict voting]"), not a statement;
# the modern-news guide labels none of them (PolNeAR annotates some)
COMMITMENT_VERBS = {"agree", "refuse", "decline", "seek", "attempt", "try", "propose", "offer", "volunteer", "consent"}
# verbs of aspect: "continues [to push for his wall]", "are starting [to get antsy]" say that an act goes on or begins
ASPECT_VERBS = {"start", "begin", "continue", "keep", "resume"}
# adjectives of readiness and likelihood after "be": "is reluctant [to push tax reform into 2018]", "were eager [to
# challenge Heller]", "are likely [to win]": a disposition or a forecast, no statement
DISPOSITION_ADJECTIVES = {"eager", "reluctant", "willing", "unwilling", "poised", "ready", "likely", "unlikely", "set",
                          "slated", "able", "unable", "keen", "loath", "quick", "slow"}
# verbs of talking outside the speech-verb lexicon: "declined [to discuss] it", "refused [to answer]" withhold a statement
TALKING_VERBS = {"discuss", "speak", "talk", "answer", "elaborate", "specify", "threaten"}


def is_committed_act(doc: Doc, cue: tuple[int, int], content: tuple[int, int], speech_verbs) -> bool:
    """A content that is the infinitive of a consenting, refusing or attempting cue ("agreed [to change the fund]",
    "declined [to participate in a trial]"), of a verb of aspect ("continues [to push for his wall]") or of an adjective
    of readiness or likelihood ("is reluctant [to push tax reform]", "were eager [to challenge Heller]"): an act, not a
    statement. An infinitive of saying stays ("declined [to comment]", "refused [to say]", "continue [to demand]"), and
    so does a quotation."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() == "be":  # "is reluctant to ...": the adjective takes the infinitive
        verb = next((c for c in verb.children if c.dep_ == "acomp" and c.lemma_.lower() in DISPOSITION_ADJECTIVES), verb)
        if verb.lemma_.lower() == "be":
            return False
    elif verb.lemma_.lower() not in COMMITMENT_VERBS | ASPECT_VERBS:
        return False
    # a cue that names a saying itself stays ("continued to call for", "is determined to warn")
    if any(t.lemma_.lower() in speech_verbs for t in doc[cue[0]:cue[1]] if t.i != verb.i):
        return False
    span = doc[content[0]:content[1]]
    if not len(span) or any(t.is_quote for t in span):
        return False
    root = span.root
    if root.dep_ != "xcomp" or root.head.i != verb.i or not any(c.dep_ == "aux" and c.lower_ == "to" for c in root.children):
        return False
    return root.lemma_.lower() not in speech_verbs | TALKING_VERBS


# auxiliaries of obligation: what someone should or must say is not what they said
_OBLIGATION = {"should", "must", "ought"}


def is_obligation(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """"The Supreme Court needs to remind Congress [that ...]", "X should say [that ...]": what someone needs, should or
    must say, said by no one. A direct quotation stays."""
    verb = doc[cue_head_token(doc, cue)]
    if doc[content[0]].is_quote:
        return False
    span = doc[content[0]:content[1]]
    if not len(span):
        return False
    # "needs to remind Congress [that ...]": the content is what the infinitive "need" takes would say (a content holding
    # the infinitive itself, "needs [to tell the truth]", is an act needed, read as PolNeAR does)
    if verb.lemma_.lower() == "need" and any(c.dep_ == "xcomp" and not content[0] <= c.i < content[1]
                                             for c in verb.children):
        return True
    # an obligation auxiliary of the same line ("He really should.\n\nDean poked ..." is a parse across paragraphs)
    return any(c.dep_ == "aux" and c.lower_ in _OBLIGATION and "\n" not in doc[c.i:verb.i].text for c in verb.children)


def with_coordinated_quotations(doc: Doc, relations: list[TokenRelation], quotes: list[tuple[int, int]]
                                ) -> list[TokenRelation]:
    """"others chanted “Free Hong Kong,” and “Independence is the only way out.”": a quotation joined by "and"/"or" to a
    relation's quoted content in the same sentence, and read by no relation, is the same speaker's (``quotes``: token
    ranges of the quotations, marks included)."""
    by_start = {q[0]: q for q in quotes}
    starts = [q[0] for q in quotes]  # in text order, not overlapping: the one holding a token is found by bisection
    taken = [c for r in relations for c in r.content]
    for rel in relations:
        for content in list(rel.content):
            k = bisect_right(starts, content[0]) - 1
            quote = quotes[k] if k >= 0 else None
            if quote is None or not content[0] < quote[1] <= content[1] + 1:
                continue
            j = quote[1]
            while j < len(doc) and doc[j].is_punct and not doc[j].is_quote:
                j += 1
            if j >= len(doc) or doc[j].lower_ not in {"and", "or"} or j + 1 not in by_start:
                continue
            following = by_start[j + 1]
            if doc[following[0]].sent.start != doc[content[0]].sent.start or any(_overlaps(following, c) for c in taken):
                continue
            rel.content.append(following)
            taken.append(following)
    return relations


# the head words of a share of people a poll reports ("30 percent", "a third", "the rest")
SHARE_HEADS = frozenset({"percent", "%", "half", "third", "quarter", "fifth", "majority", "rest", "minority"})
# the words that join a share's clause to the one before ("..., and 12 percent were ...", "while 46 percent would")
GAP_JOINS = frozenset({"and", "while", "but", "whereas"})


def _share(tok) -> bool:
    """Whether ``tok`` heads a share of those asked ("23 percent", "just a quarter"), not a thing counted."""
    return tok.lower_ in SHARE_HEADS or tok.like_num and tok.dep_ in {"nsubj", "nsubjpass"} and not tok.children


def with_gapped_shares(doc: Doc, relations: list[TokenRelation], speech_verbs) -> list[TokenRelation]:
    """"Just 30 percent said they were avoiding large gatherings, 23 percent were skipping travel and 12 percent were
    staying away from restaurants": a poll's share that says something, followed in its content by clauses of other
    shares with the saying left out; each such clause is its own share's statement, under the same cue, and the
    first content ends before it. A clause with its own saying ("... and 9% said foreign policy") is read under its
    own verb; one another relation already reads is left to it."""
    added: list[TokenRelation] = []
    taken = [(r.cue, c) for r in relations for c in r.content]
    for rel in relations:
        if rel.source is None or not any(_share(doc[i]) for i in range(*rel.source)):
            continue
        contents: list[tuple[int, int]] = []
        for lo, hi in rel.content:
            # a share that is the subject of a clause after a comma or "and" in the content (the parser hangs such a
            # clause anywhere: a conjunct, a complement, the root)
            gapped = [(subj, subj.head) for subj in doc[lo:hi] if subj.dep_ in {"nsubj", "nsubjpass"} and _share(subj)
                      and lo < subj.left_edge.i and subj.head.i > subj.i
                      and (doc[subj.left_edge.i - 1].text == "," or doc[subj.left_edge.i - 1].lower_ in GAP_JOINS)]
            if not gapped:
                contents.append((lo, hi))
                continue
            gapped.sort(key=lambda sv: sv[0].left_edge.i)
            cut = gapped[0][0].left_edge.i
            end = cut
            while end > lo and (doc[end - 1].is_punct or doc[end - 1].lower_ in GAP_JOINS):
                end -= 1
            contents.append((lo, end))
            for k, (subj, verb) in enumerate(gapped):
                stop = gapped[k + 1][0].left_edge.i if k + 1 < len(gapped) else hi
                while stop > subj.i + 1 and (doc[stop - 1].is_punct or doc[stop - 1].lower_ in GAP_JOINS):
                    stop -= 1
                start, cue = subj.right_edge.i + 1, rel.cue
                if verb.lemma_.lower() in speech_verbs and verb.i >= start:
                    start, cue = verb.i + 1, (verb.i, verb.i + 1)
                if start < stop and not any(_overlaps((start, stop), c) and c != (lo, hi) for _, c in taken):
                    added.append(TokenRelation(cue=cue, source=(subj.left_edge.i, subj.right_edge.i + 1),
                                               content=[(start, stop)]))
        rel.content = contents
    return relations + added


# a trailing report's tail after its verb: when it was said or to whom ("Sunday", "in a statement", "told CNN"),
# never a clause of its own
TRAILING_TAIL_MAX = 8
# a trailing report's speaker: a noun phrase ("the Chicago Sun-Times", "a spokesman for the agency", "CNN's Jake Tapper")
# of a few tokens
TRAILING_SPEAKER_MAX = 8
SPEAKER_PHRASE_POS = {"DET", "PROPN", "NOUN", "ADJ", "NUM", "PART", "ADP", "CCONJ", "PRON", "PUNCT"}


def trailing_report(doc: Doc, lo: int, hi: int, speech_verbs) -> tuple[int, tuple[int, int], tuple[int, int]] | None:
    """"Police said 13 people were killed, the Chicago Sun-Times reported Sunday.": a sentence closed by a comma, a
    speaker, a speech verb and at most when or to whom it was said reports the whole sentence before the comma;
    ``(comma, cue, source)`` token positions, or ``None``. A quotation before it is left to the quotation readers."""
    end = hi
    while end > lo and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    # the comma stands at most a speaker phrase, the verb and its tail (and two tokens to spare) before the end
    reach = max(lo, end - 3 - TRAILING_SPEAKER_MAX - TRAILING_TAIL_MAX)
    comma = next((i for i in range(end - 1, reach, -1) if doc[i].text == ","), None)
    if comma is None or comma <= lo:
        return None
    verbs = [t for t in doc[comma + 1:end] if t.pos_ in {"VERB", "AUX"}]
    # a finite verb: ", with 55% saying the same" adds a second finding, it does not report the first
    if (len(verbs) != 1 or verbs[0].lemma_.lower() not in speech_verbs or verbs[0].tag_ not in FINITE_TAGS
            or end - verbs[0].i - 1 > TRAILING_TAIL_MAX):
        return None
    verb = verbs[0]
    source = (comma + 1, verb.i)
    # ", and others acknowledged": the last item of a list of speakers, not a trailing report
    if (source[0] >= source[1] or doc[source[0]].pos_ in {"CCONJ", "ADP"} or not any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in doc[source[0]:source[1]])
            or any(t.pos_ not in SPEAKER_PHRASE_POS or t.is_quote for t in doc[source[0]:source[1]])
            or any(t.lower_ in {"that", "if", "whether"} or t.is_quote for t in doc[verb.i + 1:end])
            or any(t.is_quote for t in doc[lo:comma])):
        return None
    return comma, (verb.i, verb.i + 1), source


def reports_the_sentence(doc: Doc, cue: tuple[int, int], trailing_verb, speech_verbs) -> bool:
    """An inner report under a trailing one is the sentence's own clause, not a verb inside it ("a poll identifying
    ...", "if they feel ...", "as Avenatti suggests"): its cue heads the sentence or is linked to the trailing verb.
    "was asked if ...", "asked his staff to ...": a question or a request put to someone reports no words."""
    head = doc[cue_head_token(doc, cue)]
    if (head.lemma_.lower() not in speech_verbs or head.lemma_.lower() == "ask"
            or any(c.dep_ == "auxpass" for c in head.children)):
        return False
    return head.dep_ == "ROOT" or head.head.i == trailing_verb.i or trailing_verb.head.i == head.i


def with_trailing_reports(doc: Doc, relations: list[TokenRelation], speech_verbs) -> list[TokenRelation]:
    """"Police said 13 people were killed ..., the Chicago Sun-Times reported Sunday": two layers with the same words
    (the gold guide's "one record per layer"). The inner report's content ends at the comma, and the trailing
    speaker's content is the inner report's, not the inner speaker and cue with it; where no relation was read for
    the trailing verb, its layer is added. A sentence with no inner report is left alone ("Seven people were shot,
    WOIO-TV reported" is read already)."""
    by_sentence: dict[int, list[TokenRelation]] = {}
    for rel in relations:
        by_sentence.setdefault(doc[rel.cue[0]].sent.start, []).append(rel)
    added: list[TokenRelation] = []
    for start, rels in by_sentence.items():
        sent = doc[start].sent
        found = trailing_report(doc, sent.start, sent.end, speech_verbs)
        if found is None:
            continue
        comma, cue, source = found
        inner = [r for r in rels if r.cue[1] <= comma and r.content
                 and reports_the_sentence(doc, r.cue, doc[cue[0]], speech_verbs)]
        # the outermost reports only: "Bolton wrote that Trump told him ..." is reported whole, Bolton's layer
        inner = [r for r in inner if not any(o is not r and any(c[0] <= r.cue[0] < c[1] for c in o.content) for o in inner)]
        if not inner:
            continue
        said: list[tuple[int, int]] = []
        for rel in inner:
            kept = []
            for c in rel.content:
                if c[0] >= comma:
                    continue
                c = (c[0], min(c[1], comma))
                if c[0] < c[1]:
                    kept.append(c)
            if kept:
                rel.content = kept
                said.extend(c for c in kept if c[0] >= rel.cue[1])
        if not said:
            continue
        outer = [r for r in rels if _overlaps(r.cue, cue)]
        for rel in outer:
            rel.content = list(said)
            # the speaker is the phrase between the comma and the verb ("where authorities said 14 people were wounded
            # — two critically — ..., WSB-TV reported": not "two critically")
            if rel.source is None or not (source[0] <= rel.source[0] and rel.source[1] <= source[1]):
                rel.source = source
        if not outer:
            added.append(TokenRelation(cue=cue, source=source, content=list(said)))
    return relations + added


def is_cut_off_by_semicolon(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A content before its cue with a semicolon between them, or a "but" that opens the cue's own clause, is a clause
    of its own ("Women are most of the victims; according to the Post, 80 percent of ...", "[the administration shared
    it with allies], but according to the White House, the president was kept in the dark", "[The cases ... are few],
    but the intelligence community has long been concerned about ..."): the attribution starts after it. A quotation
    stays, and so does a "but" inside the content's own clause ("[hackers breached, but did not make public ...],
    according to an official")."""
    if content[1] > cue[0] or any(t.is_quote for t in doc[content[0]:content[1]]):
        return False
    if any(t.text == ";" for t in doc[content[1]:cue[0]]):
        return True
    buts = [t.i for t in doc[content[1]:cue[0]] if t.lower_ == "but"]
    if not buts:
        return False
    # what follows the "but" up to the cue is the cue's own clause: its subject, auxiliaries, adverbs
    verb = doc[cue_head_token(doc, cue)]
    return all(t.is_punct or t.is_space or verb in t.ancestors for t in doc[buts[-1] + 1:cue[0]])


def is_conditional_saying(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A cue inside a condition or an indirect question ("If Trump and his doctor think [it's okay]", "I asked if she
    believed [that ...]", "if he's angry about [being taped]") says what someone would or might hold: no statement.
    A quotation stays."""
    verb = doc[cue_head_token(doc, cue)]
    return (any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in verb.children)
            and not any(t.is_quote for t in doc[content[0]:content[1]]))


def is_verb_particle(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A content that is only the cue verb's particle or adverb with what hangs on it ("shot [back at the smear]",
    "according to [basically]"): how it was said, not what."""
    span = doc[content[0]:content[1]]
    if not len(span) or any(t.is_quote or t.pos_ in {"VERB", "AUX"} for t in span):
        return False
    root = span.root
    return (root.head.i == doc[cue_head_token(doc, cue)].i and root.dep_ in {"advmod", "prt"}
            and root.pos_ in {"ADV", "ADP"})


# verbs of acts done to a thing, with no words in them (the guide's "events without a statement": "X signed the
# bill", "X voted against"): enacting, filing, ordering and writing, whose object may be a document that is the act's,
# not words said ("signed legislation ...", "filed a lawsuit", "ordered a review", "wrote [the bill]", "will write
# [the guidelines]": what the document says is the content, when it is given; a written thing with a participle of
# what it says stays: "wrote [an open letter ... demanding a delay]"); freeing, hiring and firing, money moved, force,
# voting, trying out, adding ("Construction added [16,000 jobs]", "prosecutors added [17 criminal counts]"),
# referring on ("referred [the altered forms to federal prosecutors]"; "refers to [...]" is no object), whose
# object may name words ("fired off [a series of tweets]", "released [a statement]": that stays)
_WRITING_VERBS = {"write", "draft"}
ENACTING_VERBS = {"sign", "veto", "enact", "pass", "ratify", "approve", "introduce", "file", "order"} | _WRITING_VERBS
ACT_VERBS = ENACTING_VERBS | {
    "release", "free", "pardon", "arrest", "detain", "deport", "fire", "hire", "appoint", "nominate", "sue",
    "pump", "pour", "spend", "donate", "invest", "loan", "lend", "pay", "fund", "shoot", "launch", "deploy", "vote",
    "try", "test", "add", "refer"}
# verbs of doing, seeing and backing whose bare noun-phrase object is a thing done, met or backed, not words ("read
# [The Turner Diaries]", "months have seen [job creation ...]", "the Fed has offered [$1.5 trillion in loans]", "pushed
# [bond yields to 1.7%]", "has supported [more Democrats]", "embarked on [a quest]"): an object with an "as" predicate
# or a clause ("see [the order as a tactic]", "supports [the view that ...]") stays, and so do verbs the gold labels
# with a noun object ("endorsing [X]", "announced [the plan]", "called for [reform]", "touts", "highlighted")
DOING_VERBS = {"read", "see", "offer", "push", "support", "embark", "seek", "demonstrate", "welcome"}
# what is offered or expressed in words ("offered [its support for Miller]", "offered [his condolences]")
_SAID_OBJECTS = {"support", "advice", "condolence", "apology", "praise", "thanks", "explanation", "response", "defense",
                 "criticism", "assessment", "view", "opinion", "prediction", "assurance", "reassurance", "endorsement",
                 "sympathy", "congratulation", "insight", "perspective", "suggestion", "idea", "argument", "warning"}
# a poll's share holds what it backs as its stated view ("90 percent of Americans [support] gun reforms")
_SHARE_WORDS = {"percent", "%", "majority", "majorities", "most", "half", "third", "quarter", "share", "minority"}
# prepositions that take the object of an act ("voted [for] the measure"; "pumped millions [into]" is an adjunct)
_ACT_PREPOSITIONS = {"for", "against", "on"}
# what the parser may hang on the verb after its object, inside the content ("voted against a measure [to expand] ...",
# "signed legislation ..., [the first change] in a decade")
_AFTER_OBJECT = {"dobj", "xcomp", "advcl", "prep", "prt", "npadvmod", "advmod", "cc", "conj", "punct"}


def is_act_object(doc: Doc, cue: tuple[int, int], content: tuple[int, int], speech_verbs,
                  word_nouns: frozenset[str] | set[str] = frozenset()) -> bool:
    """A content that is only the thing an act is done to: a noun phrase object of an act verb of the cue ("Gov. Rick
    Scott signed [legislation placing new restrictions on guns]", "the Sheriff's Office has released [hundreds of
    people]", "Police fired [tear gas and water cannons at demonstrators]", "voted against [a measure to ...]"): an
    event, no statement (the modern-news guide's reading; PolNeAR annotates some, so the verbs are few). Stays: a
    quotation, a clause of saying inside the phrase ("filed a lawsuit [... contending that ...]"), what an order says
    ("ordered them [to leave]"), and, but for enacting, filing and ordering, an object that names words
    (``word_nouns``: "released [a statement]", "fired off [a series of tweets]"); for ``DOING_VERBS`` see the note
    there. (The passive subject of an act verb, "[The document] was signed by the general", was tried: PolNeAR dev
    lost 3 relations it annotates, and no test article showed the gain.)"""
    if not any(doc[i].lemma_.lower() in ACT_VERBS or doc[i].lemma_.lower() in DOING_VERBS
               for i in range(cue[0], cue[1])):  # most cues: no look at the content
        return False
    span = doc[content[0]:content[1]]
    words = [t for t in span if not (t.is_punct or t.is_space or t.pos_ == "ADV")]
    if (doc[cue_head_token(doc, cue)].lemma_.lower() == "vote" and words and not any(t.is_quote for t in span)
            and words[0].lower_ in {"to", *_ACT_PREPOSITIONS}):
        # "voted [to impeach the president]", "voted [twice to convict]", "voted [for Social Security in 1935]": the
        # vote is the act, no words in it
        return True
    # the phrase's own heads: the object first, then what the parser hung on the verb after it
    tops = [t for t in span if not content[0] <= t.head.i < content[1] or t.head.i == t.i]
    tops = [t for t in tops if not (t.is_punct or t.is_space)]
    if not tops or any(t.is_quote for t in span):
        return False
    root = tops[0]
    if root.pos_ not in {"NOUN", "PROPN", "PRON", "NUM"}:
        return False
    verb = root.head
    if root.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ in _ACT_PREPOSITIONS:
        verb = verb.head
    elif root.dep_ != "dobj":
        return False
    lemma = verb.lemma_.lower()
    if verb.pos_ != "VERB" or lemma not in ACT_VERBS | DOING_VERBS or not cue[0] <= verb.i < cue[1] \
            or content[0] <= verb.i < content[1]:
        return False
    # "pushed back against [the narrative]" answers it; "see [them as ...]" says what they are thought to be
    if lemma in DOING_VERBS and (any(c.dep_ in {"oprd", "ccomp", "xcomp"} or (c.dep_ == "prep" and c.lower_ == "as")
                                     or (c.dep_ in {"prt", "advmod"} and c.lower_ == "back")
                                     for c in (*verb.children, *root.children))
                                 or any(t.dep_ in {"acl", "relcl", "ccomp"} and t.pos_ in {"VERB", "AUX"}
                                        and t.head.i == root.i for t in span)
                                 or any(t.dep_ == "prep" and t.lower_ == "as" for t in span)
                                 or root.lemma_.lower() in _SAID_OBJECTS
                                 or any(c.lower_ in _SHARE_WORDS or c.like_num
                                        for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"})
                                 or (verb.dep_ == "relcl" and verb.head.lower_ in _SHARE_WORDS)):
        return False
    if any(t.head.i != verb.i or t.dep_ not in _AFTER_OBJECT for t in tops[1:]):
        return False
    # a clause of saying inside the phrase stays; a participle that only names the thing does not count ("the
    # so-called sanctuary bill")
    if any(t.pos_ == "VERB" and t.lemma_.lower() in speech_verbs and t.dep_ != "amod" for t in span):
        return False
    # "ordered him [to stop]": what was ordered is said ("ordered [a pullout]" names the act only)
    if lemma == "order" and any(c.dep_ in {"xcomp", "ccomp", "oprd"} and c.i > root.i for c in verb.children):
        return False
    # "wrote [an open letter ... demanding a delay]": a participle says what the document says, a statement
    if lemma in _WRITING_VERBS and any(t.dep_ == "acl" and t.tag_ == "VBG" and t.head.i == root.i for t in span):
        return False
    if lemma in ENACTING_VERBS:
        return True
    named = [root, *(g for p in root.children if p.dep_ == "prep" and p.lower_ == "of"
                     for g in p.children if g.dep_ == "pobj")]
    return not any(t.lemma_.lower() in word_nouns for t in named)


# verbs of knowing, hearing and caring whose "about" phrase names what the state is about, not words said ("hadn't
# heard about [the raids]", "found out about [it]", "knew about [the birds and bees]"); verbs of saying with "about"
# ("complained about", "asked about") stay, and so do "worried / concerned about", which go both ways ("talked about"
# a bare topic is ``is_talk_topic``'s)
_STATE_ABOUT_VERBS = {"hear", "know", "learn", "find", "read", "forget", "care"}


def is_state_about(doc: Doc, cue: tuple[int, int], content: tuple[int, int], speech_verbs) -> bool:
    """A cue of knowing, hearing or caring ending in "about" ("Alvarado hadn't heard about [the reported raids]",
    "found out about [it]"): what a state is about, no statement. Stays: a quotation, a cue with a verb of saying in
    it ("has denied knowing about [the meeting]")."""
    if cue[1] - cue[0] < 2 or doc[cue[1] - 1].lower_ != "about":
        return False
    words = doc[cue[0]:cue[1] - 1]
    return (any(t.lemma_.lower() in _STATE_ABOUT_VERBS and t.pos_ in {"VERB", "ADJ"} for t in words)
            and not any(t.pos_ == "VERB" and t.lemma_.lower() in speech_verbs for t in words)
            and not any(t.is_quote for t in doc[content[0]:content[1]]))


# verbs of talking whose object or "about"/"on" phrase names the topic talked of, not what was said ("did discuss
# [real estate projects in Russia]", "talked about [the half-life of the virus]", "touched on [other issues]");
# "spoke out about [X]" and "commented on [X]" stay (PolNeAR dev annotates 3 of them: with them, F1 fell 0.002)
_TOPIC_VERBS = {"talk", "discuss", "touch"}
_FINITE = {"VBD", "VBZ", "VBP", "MD"}


def is_talk_topic(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A verb of talking over a bare topic ("Bryan talked about [the half-life of the coronavirus on surfaces]", "The
    President spoke ... to discuss [the events in Turkey]", "did touch briefly on [other issues]"):
    what the talk was about, no statement (the guide's reading). Stays: a quotation, a clause said ("talked about [how
    he had been misdiagnosed]", "commented [that ...]"), and a cue with another verb of saying ("said ... discussing")."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() not in _TOPIC_VERBS or verb.pos_ != "VERB":
        return False
    words = [t for t in doc[content[0]:content[1]] if not (t.is_punct or t.is_space)]
    if not words or any(t.is_quote for t in doc[content[0]:content[1]]):
        return False
    if words[0].lower_ in _QUESTION_WORDS or words[0].lower_ == "that":
        return False
    return not any(t.tag_ in _FINITE for t in words)


def is_bare_pronoun(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A content that is one pronoun or determiner ("a few journalists have noted [this]", "he will not disclose
    [that]", "what he believes about [what]", "the paper noted [Both]", "some Christians support [it]"): the words
    are elsewhere or nowhere, the reading says nothing. Stays: a quotation, the object of a naming cue with its name
    ("procedures [that] he called the 'gold standard'"), and a relative pronoun, which stands for its antecedent
    (PolNeAR's convention: "a move [that] the ministry has not confirmed"), but for "who" and "whom" (a person)."""
    words = [t for t in doc[content[0]:content[1]] if not (t.is_punct or t.is_space)]
    if any(t.is_quote for t in doc[content[0]:content[1]]):
        return False
    if len(words) != 1 or words[0].pos_ not in {"PRON", "DET"}:
        return False
    verb = doc[cue_head_token(doc, cue)]
    # a relative pronoun stands for its antecedent ("a move [that] the ministry has not confirmed", "The policy,
    # [which] Lee described as ..."): PolNeAR's convention, kept; but "who" and "whom" stand for a person, never for
    # words said ("the official [who] was dismissed by Trump", "Vindman, [whom] Trump attacked")
    if words[0].tag_ in {"WDT", "WP", "WP$"} and verb.dep_ == "relcl" and words[0].lower_ not in {"who", "whom"}:
        return False
    return not any(c.dep_ in {"oprd", "xcomp", "ccomp"} for c in verb.children)


def is_cue_subject(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A content before its cue that holds the cue verb's own active subject ("[That generation] saw tens of
    thousands ...", "[the president] seemed to realize that ...", "[That article] goes on to point out that ..."): the
    one who saw, realized or pointed out, never what was said (the words, when there
    are any, follow the cue and are read from there). Stays: a quotation (its words are said), a passive cue's subject
    ("[The vote] is expected": ``is_loose_expectation`` judges those), a content with a clause of its own before the
    subject, and "according to" (no subject: "[Biden leads by 9 points] according to FiveThirtyEight")."""
    if content[1] > cue[0] or any(t.is_quote for t in doc[content[0]:content[1]]):
        return False
    verbs = [t for t in doc[cue[0]:cue[1]] if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() != "accord"]
    subjects = [c for t in verbs for c in t.children if c.dep_ in {"nsubj", "csubj"}]
    # a second subject outside the content is the speaker, the one inside a misparse ("[14 people were wounded -
    # two critically], WSB-TV reported": "two" and "WSB-TV" both read as the subject)
    if not subjects or not all(content[0] <= c.i < content[1] for c in subjects):
        return False
    # the content is the subject and nothing more: a clause of its own before it ("[Moon called a meeting, the
    # Joint Chiefs] said") is a statement whose span ran on into its source
    inside = {t.i for c in subjects for t in c.subtree}
    return not any(t.pos_ in {"VERB", "AUX"} and t.i not in inside for t in doc[content[0]:content[1]])


_GUESSING_MODALS = frozenset("would could can might may must should".split())


def is_generic_one(doc: Doc, cue: tuple[int, int], source: tuple[int, int] | None) -> bool:
    """The writer's generic "one" ("One could say [...]", "one can argue [...]", "One wonders [if ...]", "One would
    hope [...]"): the writer's own voice put as anyone's, no one's statement. Stays: "one" for one of a group named
    before, which reports what was said ("Two aides spoke; one told [...]": a past tense, no modal)."""
    if source is None or source[1] - source[0] != 1 or doc[source[0]].lower_ != "one":
        return False
    verb = doc[cue_head_token(doc, cue)]
    modal = any(c.dep_ == "aux" and c.lower_ in _GUESSING_MODALS for c in verb.children) or any(
        t.lower_ in _GUESSING_MODALS for t in doc[cue[0]:cue[1]])
    return modal or verb.tag_ in {"VBZ", "VBP", "NNS"}  # ("One wonders" parsed as a plural noun)


def is_knowing(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A cue of knowing ("Cruz knows [that Rubio actually does hate Trump]", "Everyone knows [that's not real
    life]", "Who knows [what comes next]", "the administration knew [this was a lie]"): the writer's claim about
    what someone knows (the verb holds the clause true), no statement of theirs; the gold counts none. Stays: a
    verb of saying in the cue ("ever claim to know [...]"), "let [them] know" (a telling), "deserves to know"
    (its cue is the other verb) and a quotation."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() != "know" or verb.pos_ != "VERB" or any(t.is_quote for t in doc[content[0]:content[1]]):
        return False
    if verb.head.lemma_.lower() == "let" or any(t.lower_ == "let" for t in doc[cue[0]:cue[1]]):
        return False
    return True


_POSITION_VERBS = frozenset({"support", "oppose", "favor", "favour"})


def is_stance(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """A stance put as a verb with a thing for its object ("Self-identified Republicans support [Trump over
    McMullin]", "the NRA opposes [most gun-control efforts]", "The right supports [keeping pressure on Iran]"): a
    position the writer reports, with no words of anyone's; the gold counts none. Stays: a quotation, a clause said
    ("supports [that ...]"), a verb of saying in the cue ("said they support [...]" reads from the saying)."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() not in _POSITION_VERBS or verb.pos_ != "VERB":
        return False
    words = doc[content[0]:content[1]]
    if any(t.is_quote for t in words) or (len(words) and words[0].lower_ in {"that", "what", "whether"}):
        return False
    return not any(t.pos_ in {"VERB", "AUX"} and t.i != verb.i and t.lemma_.lower() not in _POSITION_VERBS
                   and t.tag_ not in {"VBG"} for t in doc[cue[0]:cue[1]])


def is_loose_expectation(doc: Doc, cue: tuple[int, int], content: tuple[int, int]) -> bool:
    """An expectation that reports no one's words: one whose content is no clause of its own ("widely expected
    [acquittal next week]", "[This hostility] can be expected", "[The vote] is expected") or that is put with a modal
    or to the reader ("can be expected [to add force ...]", "don't expect [Bloomberg to be pressed]": the writer's
    forecast). Stays: "are expected [to kick off again]" (the guide's sourceless report), a forecast someone made
    ("economists expected [an increase in payrolls]"), "is expected to emphasize [...]" (a verb of saying in the cue)
    and a quotation. Plans ("plans [to release designs]") stay too: PolNeAR annotates them."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() != "expect" or verb.pos_ != "VERB" or any(t.is_quote for t in doc[content[0]:content[1]]):
        return False
    first = doc[content[0]]
    # "is expected to emphasize [...]": a forecast of words, the cue's own verb of saying takes the content
    if any(t.pos_ == "VERB" and t.i > verb.i for t in doc[cue[0]:cue[1]]):
        return False
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        return True
    # "economists expected [an increase ...]": a forecast someone made stays; a sourceless one must be a clause
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
    subject = any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
    return (passive or not subject) and first.lower_ not in {"to", "that"}


def without_misread_contents(doc: Doc, relations: list[TokenRelation],
                             person_nouns: frozenset[str] | set[str] = frozenset(),
                             speech_verbs: frozenset[str] | set[str] = frozenset(),
                             word_nouns: frozenset[str] | set[str] = frozenset()) -> list[TokenRelation]:
    """Contents that say nothing by PolNeAR's convention or the modern-news guide's: where or when something was said
    ("Trump said [at] a campaign stop"), whom it was said to ("told [Chuck Todd]", "questioned [Patterson]"), a fact-check rubric ("THE FACTS"); a free
    relative "what" stands for what the sentence says it was (``free_relative_content``); the cue verb's own adjuncts
    before its clause are left out ("wondered [on her blog] whether ...": ``clause_after_adjuncts``). Wrong by both
    conventions too: the writer's aside ("it should be noted that"), a question put to the subject ("was asked whether"),
    the noun a relative-clause cue describes ("[the land] he imagined"), the cue verb's particle ("shot [back at the
    smear]"), a clause before a semicolon ("[X]; according to Y, Z"), a cue inside a condition ("if they think [...]");
    by the guide's reading, a negated saying ("did
    not mention [that case]") and a refusal to say ("declined [to comment]"). On PolNeAR dev the first three were 12 of the
    fast tier's 217 false relations (and 2 of its 1,526 true ones)."""
    out = []
    for rel in relations:
        rel.content = [free_relative_content(doc, rel.cue, c) or clause_after_adjuncts(doc, rel.cue, c) or c
                       for c in rel.content]
        if is_writer_aside(doc, rel.cue):
            continue
        if rel.content and (is_writers_question(doc, rel.cue) or is_writers_imperative(doc, rel.cue)):
            continue
        if rel.content and is_appearance(doc, rel.cue, rel.content, speech_verbs):
            continue
        if is_generic_one(doc, rel.cue, rel.source):
            continue
        contents = rel.content
        rel.content = [c for c in rel.content if not (is_saying_circumstance(doc, rel.cue, c)
                                                      or is_adverbial_piece(doc, rel.cue, c, contents)
                                                      or is_first_conjunct(doc, rel.cue, c)
                                                      or is_bare_adjective(doc, rel.cue, c)
                                                      or is_result_clause(doc, rel.cue, c)
                                                      or is_committed_act(doc, rel.cue, c, speech_verbs)
                                                      or is_obligation(doc, rel.cue, c)
                                                      or is_addressee(doc, rel.cue, c, person_nouns) or is_rubric_label(doc, c)
                                                      or is_question_put(doc, rel.cue, c)
                                                      or is_thing_answered(doc, rel.cue, c)
                                                      or is_relative_antecedent(doc, rel.cue, c)
                                                      or is_negated_saying(doc, rel.cue, c)
                                                      or is_refusal_to_say(doc, rel.cue, c)
                                                      or is_date_apposition(doc, rel.cue, c)
                                                      or is_verb_particle(doc, rel.cue, c)
                                                      or is_cut_off_by_semicolon(doc, rel.cue, c)
                                                      or is_conditional_saying(doc, rel.cue, c)
                                                      or is_act_object(doc, rel.cue, c, speech_verbs, word_nouns)
                                                      or is_state_about(doc, rel.cue, c, speech_verbs)
                                                      or is_talk_topic(doc, rel.cue, c)
                                                      or is_bare_pronoun(doc, rel.cue, c)
                                                      or is_loose_expectation(doc, rel.cue, c)
                                                      or is_cue_subject(doc, rel.cue, c)
                                                      or is_knowing(doc, rel.cue, c)
                                                      or is_stance(doc, rel.cue, c))]
        if rel.content:
            out.append(rel)
    return out


def without_repeated_readings(relations: list[TokenRelation]) -> list[TokenRelation]:
    """One statement read twice from one cue and one source (two readings of the same words, one a stretch of the
    other: "What the FDA noted is [that there are elevated risks ...[, which is entirely different]]", once as the
    tagger's content and once as the free relative's) is kept once, as the shorter reading (the longer runs on into
    the writer's words)."""
    by_reader: dict[tuple, list[tuple[int, int]]] = {}
    for rel in relations:
        by_reader.setdefault((rel.cue, rel.source), []).extend(rel.content)
    seen: set[tuple] = set()
    out: list[TokenRelation] = []
    for rel in relations:
        segments = by_reader[(rel.cue, rel.source)]
        kept = []
        for c in rel.content:
            key = (rel.cue, rel.source, c)
            if key in seen or any(oc != c and c[0] <= oc[0] and oc[1] <= c[1] for oc in segments):
                continue
            seen.add(key)
            kept.append(c)
        if kept:
            rel.content = kept
            out.append(rel)
    return out


class FastAttributionExtractor:
    name = "attributions"
    requires: tuple[str, ...] = ()
    assigns = ("attributions",)

    def __init__(self, lexicons: Lexicons, path: Path | None = None, cue_threshold: float | None = None,
                 syntax: bool = True):
        """``lexicons``: the word lists of the language the model reads (its speech verbs are a feature)."""
        import pycrfsuite

        self.lexicons = lexicons
        path = Path(path) if path else model_dir()
        if not (path / "cue.crfsuite").exists():
            raise FileNotFoundError(f"{path}: no trained fast attribution model (run `sourcetrace train attributions`)")
        self.cue_tagger = pycrfsuite.Tagger()
        self.cue_tagger.open(str(path / "cue.crfsuite"))
        self.role_tagger = pycrfsuite.Tagger()
        self.role_tagger.open(str(path / "role.crfsuite"))
        meta = path / "meta.json"
        self.meta = json.loads(meta.read_text()) if meta.exists() else {}
        self.cue_threshold = cue_threshold if cue_threshold is not None else self.meta.get("cue_threshold", CUE_THRESHOLD)
        self.syntax = SyntacticAttributions(lexicons) if syntax else None
        self.person_nouns = lexicons.words("source_nouns_person")
        self.speech_verbs = lexicons.words("speech_verbs")
        # nouns that name words said or written ("a statement", "tweets"): an act's object that names them stays
        self.word_nouns = lexicons.words("speech_nouns") | lexicons.words("source_nouns_document")

    def __call__(self, ctx) -> None:
        ctx.report.attributions = self.extract(ctx.doc, ctx.report.text)

    def find_cues(self, df, sent: int) -> list[tuple[int, int]]:
        """Viterbi cue runs, plus tokens whose marginal B-CUE probability reaches ``cue_threshold``.

        The second set raises recall on rarer cues; the role tagger (trained with
        false cues labelled all O) drops those it finds no content for.
        """
        lo, hi = df.sent_bounds[sent]
        tagger = self.cue_tagger
        tagger.set(cue_sequence(df, sent))
        cues = bio_runs(tagger.tag(), "CUE", lo)
        if self.cue_threshold < 1.0:
            taken = {i for s, e in cues for i in range(s, e)}
            n = hi - lo
            for j in range(n):
                if lo + j in taken or tagger.marginal("B-CUE", j) < self.cue_threshold:
                    continue
                end = j + 1
                while end < n and lo + end not in taken and tagger.marginal("I-CUE", end) >= 0.5:
                    end += 1
                cues.append((lo + j, lo + end))
                taken.update(range(lo + j, lo + end))
        return cues

    def predict(self, doc: Doc, text: str | None = None) -> list[TokenRelation]:
        df = doc_features(doc, text, lexicons=self.lexicons)
        relations = []
        for k, (lo, hi) in enumerate(df.sent_bounds):
            if hi - lo < 2:
                continue
            found: list[TokenRelation] = []
            for cue in self.find_cues(df, k):
                wlo, whi = role_window(df, cue[0])
                roles = self.role_tagger.tag(role_sequence(df, cue[0], cue[1], wlo, whi))
                contents = bio_runs(roles, "CON", wlo)
                if not contents:
                    continue
                sources = bio_runs(roles, "SRC", wlo)
                # several source runs: the one nearest the cue
                source = min(sources, key=lambda s: min(abs(s[0] - cue[1]), abs(cue[0] - s[1]))) if sources else None
                if source is None and len(contents) > 1:
                    source, contents = _subject_as_source(df, cue, contents)
                contents = [_from_cue_sentence(df, c, cue, (lo, hi)) for c in contents]
                rel = repair_relation(doc, lo, hi, TokenRelation(cue=cue, source=source, content=contents))
                if rel is not None:
                    found.append(rel)
            if self.syntax is not None:
                found = merge_syntactic(found, self.syntax.sentence(doc, lo, hi, df.quote_id), doc, df.quote_id)
                found = without_nested_intentions(doc, found, self.syntax.verbs)
            # after the merge: the relation a relative clause echoes may be the syntactic layer's ("according to")
            relations.extend(with_cited_sources(doc, without_relative_duplicates(doc, found), self.lexicons))
        if self.syntax is not None:
            relations = merge_lines(relations, self.syntax.lines(doc, text if text is not None else doc_text(doc)))
            relations = with_coordinated_quotations(doc, relations, df.quotes)
            for r in relations:
                repaired = according_to_source(doc, r.cue, r.source, r.content)
                if repaired is not None:
                    r.cue, r.source = repaired
            # after the lines: a transcript turn or a signed quotation holds nested speakers too; a content is read
            # over the whole quotation it opens or closes, as it is reported (see ``whole_quotation``)
            quote_starts, quote_ends = [q[0] for q in df.quotes], [q[1] for q in df.quotes]

            def quoted(r: TokenRelation) -> list[tuple[int, int]]:
                return [whole_quotation(c[0], c[1], r.cue, df.quotes[bisect_right(quote_ends, c[0]):
                                                                     bisect_left(quote_starts, c[1])]) for c in r.content]
            relations.extend(TokenRelation(cue=cue, source=source, content=contents) for cue, source, contents
                             in nested_relations(doc, [(r.cue, r.source, quoted(r)) for r in relations],
                                                 self.lexicons))
            relations = with_trailing_reports(doc, relations, self.speech_verbs)
            relations = with_gapped_shares(doc, relations, self.speech_verbs)
        return without_repeated_readings(without_misread_contents(doc, relations, self.person_nouns, self.speech_verbs,
                                                                   self.word_nouns))

    def extract(self, doc: Doc, text: str | None = None) -> list[Attribution]:
        text = doc_text(doc) if text is None else text
        return relations_to_attributions(doc, text, self.predict(doc, text))


def _char_span(doc: Doc, text: str, tokens: tuple[int, int]) -> tuple[int, int] | None:
    start = doc[tokens[0]].idx
    last = doc[tokens[1] - 1]
    end = last.idx + len(last)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


_CLOSING_AFTER = re.compile(r"[,.;:?!]{0,2}(?:[”\"]|'')")


def close_open_quote(text: str, start: int, end: int) -> int:
    """A content that opens with a quotation mark ends with its closing mark (PolNeAR's convention in
    ~95 % of train contents); the tagger sometimes stops one or two punctuation tokens short."""
    mark = "''" if text.startswith("''", start) else text[start]
    if mark not in ("“", '"', "''") or text.endswith(("”", '"', "''"), start + len(mark), end):
        return end
    if text.count(mark, start + len(mark), end) == 0:
        m = _CLOSING_AFTER.match(text, end)
        if m:
            return m.end()
    return end


_TRAILING_GLUE = ",―—–-"


def settle_content_end(text: str, start: int, end: int, quotations: list[tuple[int, int]]) -> int:
    """The end of a content by PolNeAR's conventions: a quotation opened inside the content closes inside it
    ("... people would ''learn nothing,''"), and glue before the cue is not content ("Those talks are
    continuing, he said": no comma; "“...” ― Name": no dash), nor is a bracket closed outside it."""
    for qs, qe in quotations:
        if qs >= end:
            break
        if start <= qs < end < qe and not any(ch.isalnum() for ch in text[end:qe]):
            return qe
    while end > start + 1 and (text[end - 1] in _TRAILING_GLUE
                               or text[end - 1] == ")" and text.count("(", start, end) < text.count(")", start, end)):
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return end


def whole_quotation(start: int, end: int, cue: tuple[int, int] | None,
                    quotations: list[tuple[int, int]]) -> tuple[int, int]:
    """Stretch a content that opens or closes a multi-sentence quotation to the whole quotation
    (the role tagger's window can cut a long quote), unless the cue sits inside it."""
    for qs, qe in quotations:
        if qe <= start or qs >= end:
            continue
        if cue is not None and qs <= cue[0] < qe:
            continue
        if qs == start and end < qe:
            end = qe
        elif qe == end and qs < start:
            start = qs
    return start, end


# a wire dateline ("WASHINGTON -- ", "BRUSSELS - ") opens the first paragraph but belongs to no one's words
_DATELINE = re.compile(r"[A-Z][A-Z.]+(?:[ ,]+[A-Z][A-Za-z.]+)*[ \t]+(?:-{1,2}|[—―–])[ \t]+")


@overload
def without_dateline(text: str, span: tuple[int, int]) -> tuple[int, int]: ...
@overload
def without_dateline(text: str, span: None) -> None: ...
def without_dateline(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    if span is None:
        return None
    m = _DATELINE.match(text, span[0], span[1])
    return (m.end(), span[1]) if m and m.end() < span[1] else span


_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose)\b")


def _without_relative_clause(text: str, source: tuple[int, int]) -> tuple[int, int]:
    """"according to the Washington Post, which was the first to report it": the source is the Post.
    (PolNeAR is split on such clauses in general; after "according to" its sources mostly stop at the name.)"""
    m = _RELATIVE_CLAUSE.search(text, source[0], source[1])
    return (source[0], m.start()) if m else source


# contracted verbs; "'s" is one only when the parse says so (else a possessive: "the president's")
_VERB_CLITICS = {"'m", "'re", "'ve", "'ll", "'d"}


def _is_verb_clitic(token) -> bool:
    form = token.lower_.replace("’", "'")
    return form in _VERB_CLITICS or form == "'s" and token.pos_ in {"AUX", "VERB"}


def tidy_source(doc: Doc, source: tuple[int, int], according: bool) -> tuple[int, int]:
    """Edges of a source span that name no one: leading punctuation (", advisers to Mr. Obama"), a trailing
    time ("The Times on Saturday"), a dangling relative pronoun ("Mr. Kamin, who"); and its closing comma, which
    an apposition keeps and a plain name drops (after "according to" the name stops before any comma)."""
    start, end = source
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    # a contraction's verb read into its subject ("[I’m] also not suggesting", "[He’s] overstating"): the pronoun speaks
    while end - start > 1 and not doc[end - 2].whitespace_ and _is_verb_clitic(doc[end - 1]):
        end -= 1
    changed = True
    while changed and end - start > 1:
        changed = False
        last = doc[end - 1]
        if last.lower_ in RELATIVE_PRONOUNS and end - 2 > start and doc[end - 2].text == ",":
            end, changed = end - 2, True
            continue
        # a final prepositional phrase or noun of time hanging off the source's verb, not off the source
        tail = last.head if last.dep_ == "pobj" else last
        if (tail.dep_ in {"prep", "npadvmod"} and tail.i > start and tail.left_edge.i > start
                and last.ent_type_ in {"DATE", "TIME"} and not start <= tail.head.i < tail.left_edge.i):
            end, changed = tail.left_edge.i, True
    while end > start + 1 and doc[end - 1].is_space:
        end -= 1
    # a comma closes an apposition ("Brian Fallon, the campaign's press secretary, noted"), not a plain name
    inner_comma = any(t.text == "," for t in doc[start:end - 1])
    if end > start + 1 and doc[end - 1].text == "," and not inner_comma:
        end -= 1
    elif (inner_comma and not according and end < len(doc) and doc[end].text == "," and doc[end - 1].text != ","
          and not doc[end - 1].whitespace_):
        end += 1
    return start, end


def relations_to_attributions(doc: Doc, text: str, relations: list[TokenRelation]) -> list[Attribution]:
    """One attribution per content segment (a quote interrupted by "he said" gives two, sharing cue and source);
    ``parent`` points to the attribution whose content holds this one's cue (nested attribution)."""
    rows = []
    quotations = quotation_char_ranges(text) if relations else []
    # in order of start, each ending where or before the next starts (see quotation_char_ranges): the ones a
    # content can touch are found by bisection, not by scanning them all for each content (quadratic on long texts)
    quote_starts = [qs for qs, _ in quotations]
    quote_ends = [qe for _, qe in quotations]
    for rel in relations:
        cue = _char_span(doc, text, rel.cue)
        according = doc[rel.cue[0]].lower_ == "according"
        source = without_dateline(text, _char_span(doc, text, tidy_source(doc, rel.source, according))) if rel.source else None
        for seg in rel.content:
            content = _char_span(doc, text, seg)
            content = without_dateline(text, content)
            if content is not None and CLOSE_QUOTES:
                content = (content[0], close_open_quote(text, *content))
                overlapping = quotations[bisect_right(quote_ends, content[0]):bisect_left(quote_starts, content[1])]
                content = whole_quotation(*content, cue, overlapping)
                opened_inside = quotations[bisect_left(quote_starts, content[0]):bisect_left(quote_starts, content[1])]
                content = (content[0], settle_content_end(text, *content, opened_inside))
            if content is not None:
                rows.append((content, source, cue))
    rows.sort(key=lambda r: (r[0][0], -r[0][1]))
    out: list[Attribution] = []
    for content, source, cue in rows:
        form = attribution_form(text, content, source, cue)
        if form == "according_to" and source is not None:
            source = _without_relative_clause(text, source)
        out.append(Attribution(
            id=f"a{len(out) + 1}",
            source=Span.of(text, *source) if source else None,
            cue=Span.of(text, *cue) if cue else None,
            content=Span.of(text, *content),
            form=form,
        ))
    return link_nested(out)


def link_nested(attributions: list[Attribution]) -> list[Attribution]:
    """Point each attribution's ``parent`` to the shortest other attribution whose content holds its cue
    (the first of the shortest, in list order)."""
    contents = RangeIndex([(b.content.start, b.content.end) for b in attributions])
    for a in attributions:
        if a.cue is None:
            continue
        holders = [b for b in (attributions[j] for j in contents.candidates(a.cue.start, a.cue.end))
                   if b is not a and b.content.start <= a.cue.start and a.cue.end <= b.content.end]
        if holders:
            a.parent = min(holders, key=lambda b: b.content.end - b.content.start).id
    return attributions
