"""Nested sources: a speaker named inside what another speaker is reported to have said.

"The Voice reported that the teacher defended her rights", "he said that many Republicans perceive the growth
... to be helping Democrats", "“Mr. McGahn also told officials that Mr. Trump would not follow through,” reads
the Times report", "NBC reported that Feinstein had a secret letter that said something serious": the outer
report is one attribution; the inner speaker's words are a second one with the inner speaker as its source
(the gold guide's "one record per layer"). The CRF decides nested cues only now and then, and the syntactic
layer leaves every cue inside a content to it, so this reader looks inside each content for a speech verb whose
speaker is named in the same content, and adds that layer where no cue was read yet.

Each layer is read from the parse as ``(cue, source, contents)`` token ranges, like the syntactic layer's:
  * the verb's nominal subject ("many Republicans perceive ..."), or for a relative clause the noun it
    describes ("a secret letter that said ...", "one judge who called ..."), or for a participle or a second
    verb with no subject of its own the subject it shares ("WHO reaffirmed ..., stating: ...");
  * the content: the verb's clausal complement ("that ..."), else its infinitive ("claim to have been
    harassed"), else its object ("defended her First Amendment rights", "said something serious"); for "call",
    the object and its predicate ("called the policy “heartless”"); a complement before the subject is read too
    ("‘Morbidly obese,’ they say"); for a parenthetical ("The ACLU, critics say, is now ...", "X is reckless,
    residents complain") the clause it interrupts, less the parenthetical, in two pieces when it stands inside;
  * for a speech noun with a "that" clause, its possessor, its "by"/"from" agent or the name compounded on it ("a
    New York Times report that ...").
Both lie inside the outer content: a speaker outside it is no nested layer (the CRF and the syntactic layer read
those). First and second person ("I told him", "you said") and expletives are left alone: inside a quotation
they are the quoted speaker or whom the speaker addresses, whose resolution is the outer layer's. The fast tier
hands each content over the whole quotation it opens or closes, as the attribution reports it.
The layout stage (block quotes) and the speakers stage (continuation paragraphs, answers) add statements after
the attributions stage ran; they call ``nested_relations`` on those too.
"""
from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from ...lexicons import Lexicons
from .syntax import (NON_SOURCES, NOUN_CLAUSE_DEPS, PERSONAL, Range, Relation, _cue, _phrase, _speaker_phrase, _trim,
                     named_compound, shared_subject)

# a relative clause's subject: its antecedent is the speaker
RELATIVE_SUBJECTS = {"who", "that", "which"}
CLAUSE_COMPLEMENTS = ("ccomp",)
# verbs whose infinitive is what is said ("claim to have been harassed", "deny having", not "want to go")
INFINITIVE_SPEECH = {"claim", "allege", "deny", "promise", "threaten", "vow", "pledge", "admit", "appear"}
SUBJECTLESS_DEPS = {"advcl", "conj", "xcomp"}
SPEAKER_ENTITIES = {"PERSON", "ORG", "NORP", "GPE"}
SPEAKER_NOUN_LEXICONS = ("source_nouns_person", "source_nouns_group", "source_nouns_media", "source_nouns_government",
                         "source_nouns_organization", "source_nouns_document")
# a speech verb the parser makes an auxiliary of the clause it interrupts ("who associates say increasingly believes")
MISPARSED_ASIDE_DEPS = {"aux"}
# the roles of a noun phrase
NOMINAL_DEPS = {"pobj", "dobj", "nsubj", "nsubjpass"}
# verbs whose object alone is what was said
OBJECT_SPEECH = {"say", "write", "tweet", "call"}
# "let me say this": the parser's subject of "say" is the object of "let", first or second person all the same
OBJECT_PERSONAL = {"me", "us"}
# an object that only points at what is said ("say this", "said so") is no content
POINTING_OBJECTS = {"this", "that", "it", "so", "these", "those"}


def _inside(span: Range | None, within: Range) -> bool:
    return span is not None and within[0] <= span[0] and span[1] <= within[1]


def _overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _subtree(verb_child: Token, within: Range) -> Range | None:
    doc = verb_child.doc
    return _trim(doc, max(verb_child.left_edge.i, within[0]), min(verb_child.right_edge.i + 1, within[1]))


def _speaker(verb: Token, within: Range, speaker_nouns: frozenset[str]) -> Range | None:
    """The inner speaker's token range inside ``within``, or ``None`` (no subject, a pronoun that stands for the
    quoted speaker, an expletive)."""
    doc = verb.doc
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if verb.dep_ in MISPARSED_ASIDE_DEPS:
        # "a president who associates say increasingly believes ...": the relative pronoun is the clause's, the
        # other subject the aside's
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ not in RELATIVE_SUBJECTS), None)
        if subj is None:
            return None
    if subj is None:
        if verb.dep_ not in SUBJECTLESS_DEPS or any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
            return None
        source = shared_subject(verb)
    elif subj.lower_ in RELATIVE_SUBJECTS and verb.dep_ == "relcl":
        antecedent = verb.head
        # "the reasons that Trump believed": the antecedent of a relative clause speaks only if it can
        if not (antecedent.ent_type_ in SPEAKER_ENTITIES or antecedent.lemma_.lower() in speaker_nouns):
            return None
        source = _trim(doc, *_phrase(antecedent))
    elif (subj.lower_ in NON_SOURCES or subj.lower_ in PERSONAL | OBJECT_PERSONAL or subj.tag_ in {"WDT", "WP"}
          or any(c.dep_ == "case" for c in subj.children)):  # "The president’s denied right": a misparse
        return None
    else:
        source = _trim(doc, *_speaker_phrase(subj))
    if source is None or not _inside(source, within):
        return None
    if any(doc[i].lower_ in PERSONAL or doc[i].lower_ in {"my", "our", "your"} for i in range(*source)) and source[1] - source[0] == 1:
        return None
    return source


def _around(verb: Token, within: Range) -> list[Range]:
    """"The ACLU, critics say, is now more committed ...", "X is draconian, critics say": a parenthetical speech
    verb's words are the clause it interrupts, less the parenthetical (two pieces when it stands inside)."""
    doc, head = verb.doc, verb.head
    lo, hi = max(head.left_edge.i, within[0]), min(head.right_edge.i + 1, within[1])
    pieces = [_trim(doc, lo, min(verb.left_edge.i, hi)), _trim(doc, max(verb.right_edge.i + 1, lo), hi)]
    return [p for p in pieces if p is not None and p[0] < p[1]]


def _said(verb: Token, source: Range, within: Range) -> list[Range] | Range | None:
    """What the inner speaker said: complement clause, else infinitive, else object (with its predicate), else
    for a parenthetical ("X, critics say, is ...") the clause around it."""
    children = [c for c in verb.children if within[0] <= c.i < within[1] and not source[0] <= c.i < source[1]]
    comp = next((c for c in children if c.dep_ in CLAUSE_COMPLEMENTS and c.i > verb.i), None)
    if comp is None:
        comp = next((c for c in children if c.dep_ in CLAUSE_COMPLEMENTS and c.right_edge.i < source[0]), None)
    if comp is None and verb.lemma_.lower() in INFINITIVE_SPEECH:
        comp = next((c for c in children if c.dep_ == "xcomp" and c.i > verb.i), None)
    if comp is not None:
        span = _subtree(comp, within)
        if span is not None and comp.i > verb.i:
            # "that the teacher defended ...": the subordinator is glue, not the inner speaker's words
            # "a governor who aides say increasingly feels isolated": the relative pronoun the parser hangs on the
            # complement stands before the speaker and is not said
            start = max(span[0], verb.i + 1)
            while start < span[1] and verb.doc[start].dep_ == "mark" and verb.doc[start].head.i == comp.i:
                start += 1
            span = _trim(verb.doc, start, span[1])
        return span
    as_clause = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    if as_clause is not None and verb.dep_ == "advcl":
        # "As the White House has said for months, there is no consideration ..." / "There is no plan, as the
        # White House has said": the clause the "as" clause hangs on, without it
        head = verb.head
        if head.i > verb.right_edge.i:
            return _trim(verb.doc, max(verb.right_edge.i + 1, within[0]), min(head.right_edge.i + 1, within[1]))
        if head.i < verb.left_edge.i:
            return _trim(verb.doc, max(head.left_edge.i, within[0]), min(verb.left_edge.i, within[1]))
        return None
    # an object is what was said only after "say" ("said something serious") or as a verdict with its predicate
    # ("called the policy “heartless”"); "expressed concern", "tell the truth" name no statement
    obj = next((c for c in children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None and verb.dep_ in {"parataxis"} | MISPARSED_ASIDE_DEPS and verb.head.i != verb.i:
        return _around(verb, within) or None
    if obj is not None and any(c.dep_ in {"acl", "relcl"} and any(a.tag_ == "TO" for a in c.children if a.i < c.i)
                               for c in obj.children if c.i > obj.i):
        # "perceive the growth ... to be helping Democrats": the object and its infinitive are a clause
        return _trim(verb.doc, max(obj.left_edge.i, within[0]), min(obj.right_edge.i + 1, within[1]))
    infinitive = next((c for c in children if obj is not None and c.dep_ in {"advcl", "xcomp"} and c.i > obj.right_edge.i
                       and any(a.tag_ == "TO" for a in c.children if a.i < c.i)), None)
    if obj is not None and infinitive is not None:
        # the same clause where the parser hangs the infinitive on the verb
        return _trim(verb.doc, max(obj.left_edge.i, within[0]), min(infinitive.right_edge.i + 1, within[1]))
    if obj is None or obj.lower_ in NON_SOURCES | POINTING_OBJECTS:
        return None
    pred = next((c for c in children if c.dep_ == "oprd" and c.i > obj.i), None)
    if pred is None and verb.lemma_.lower() not in OBJECT_SPEECH:
        return None
    if pred is None and verb.lemma_.lower() == "call":
        return None
    end = (pred or obj).right_edge.i + 1
    return _trim(verb.doc, max(obj.left_edge.i, within[0]), min(end, within[1]))


def inner_relation(verb: Token, within: Range, speaker_nouns: frozenset[str] = frozenset()) -> Relation | None:
    """The layer a speech ``verb`` inside the content ``within`` opens, if its speaker is named there;
    ``speaker_nouns``: lemmas of nouns that can speak ("judge", "letter"), for relative clauses."""
    source = _speaker(verb, within, speaker_nouns)
    if source is None:
        return None
    said = _said(verb, source, within)
    contents = said if isinstance(said, list) else [said] if said is not None else []
    if not contents or any(_overlaps(c, source) for c in contents):
        return None
    cue = _cue(verb)
    # "who associates say increasingly believes": an aside the parser made the verb's auxiliary is no part of its cue
    aside = max((c.i for c in verb.children if c.dep_ in MISPARSED_ASIDE_DEPS and c.i < verb.i
                 and any(g.dep_ == "nsubj" for g in c.children)), default=-1)
    cue = (max(cue[0], within[0], aside + 1), cue[1])
    if any(_overlaps(cue, c) for c in contents) or _overlaps(cue, source):
        cue = (verb.i, verb.i + 1)
    return cue, source, contents


def inner_noun_relation(noun: Token, within: Range) -> Relation | None:
    """"Brokaw's comments that Hispanics should ...", "a warning by the UN that ...": a speech noun with a "that"
    clause and its speaker (the possessor, or the "by"/"from" phrase) inside the content ``within``."""
    doc = noun.doc
    clause = next((c for c in noun.rights if c.dep_ in NOUN_CLAUSE_DEPS and c.i < within[1]), None)
    mark = next((c for c in clause.lefts if c.dep_ == "mark" and c.lower_ == "that"), None) if clause is not None else None
    if clause is None or mark is None or mark.i != clause.left_edge.i:
        return None  # "the claim that he made": a relative clause, no content
    poss = next((c for c in noun.lefts if c.dep_ == "poss"), None)
    if poss is not None:
        source = _trim(doc, poss.left_edge.i, poss.right_edge.i + 1)
        if source is not None and doc[source[1] - 1].dep_ == "case":
            source = _trim(doc, source[0], source[1] - 1)  # "Brokaw's": the name without its possessive ending
    else:
        prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in {"by", "from"} and c.i < mark.i), None)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        source = _trim(doc, *_phrase(pobj)) if pobj is not None else named_compound(noun)
    # the possessor may begin before the content that holds the noun ("Tom [Brokaw's comments that ...]"): it is
    # the noun's own speaker, not one named elsewhere
    if source is None or source[1] <= within[0] or source[1] - source[0] == 1 and doc[source[0]].lower_ in PERSONAL | {"my", "our", "your"}:
        return None
    content = _trim(doc, mark.i + 1, min(clause.right_edge.i + 1, within[1]))
    return ((noun.i, noun.i + 1), source, [content]) if content is not None else None


def nested_relations(doc: Doc, relations: Sequence[Relation], lexicons: Lexicons) -> list[Relation]:
    """The inner layers of ``relations`` (``(cue, source, contents)`` token ranges) whose cue no relation has yet,
    in text order; ``lexicons``: the doc language's word lists (speech verbs, nouns that can speak)."""
    verbs = set(lexicons.words("speech_verbs"))
    nouns = set(lexicons.words("speech_nouns"))
    speaker_nouns = frozenset().union(*(lexicons.words(name) for name in SPEAKER_NOUN_LEXICONS))
    cue_tokens = {i for r in relations for i in range(*r[0])}  # a set: long texts have thousands of cues
    out: list[Relation] = []
    for _, _, contents in relations:
        for within in contents:
            for i in range(*within):
                if i in cue_tokens:
                    continue
                tok = doc[i]
                lemma = tok.lemma_.lower()
                # a speech noun the tagger took for a verb ("to a New York Times [report] that ...") is read by its role
                nominal = tok.pos_ == "NOUN" or tok.pos_ == "VERB" and tok.dep_ in NOMINAL_DEPS
                if (tok.pos_ == "VERB" or tok.dep_ in MISPARSED_ASIDE_DEPS) and lemma in verbs:
                    rel = inner_relation(tok, within, speaker_nouns)
                    if rel is None and nominal and lemma in nouns:
                        rel = inner_noun_relation(tok, within)
                elif nominal and lemma in nouns:
                    rel = inner_noun_relation(tok, within)
                else:
                    continue
                if rel is not None:
                    out.append(rel)
                    cue_tokens.update(range(*rel[0]))
    out.sort(key=lambda r: r[0])
    return out


def layers_named_inside(doc: Doc, start: int, end: int, lexicons: Lexicons) -> list[tuple[Range, Range, list[Range]]]:
    """The inner layers whose speaker is named inside the text ``start..end`` (characters) of a statement that has no
    cue of its own there (a block quote, a continuation paragraph): ``(cue, source, contents)`` as character ranges."""
    inside = doc.char_span(start, end, alignment_mode="contract")
    if inside is None or len(inside) == 0:
        return []

    def chars(tokens: Range) -> Range:
        last = doc[tokens[1] - 1]
        return doc[tokens[0]].idx, last.idx + len(last.text)

    empty = (inside.start, inside.start)
    return [(chars(cue), chars(source), [chars(c) for c in contents])
            for cue, source, contents in nested_relations(doc, [(empty, empty, [(inside.start, inside.end)])], lexicons)
            if source is not None]  # a nested layer is read only where its speaker is named
