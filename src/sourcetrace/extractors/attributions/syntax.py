"""High-precision syntactic attributions over the shared parse, merged with the fast tier's CRF output.

The CRF cue tagger misses some unambiguous patterns (its cue recall is ~0.61 on PolNeAR dev):
  * a speech verb with a nominal subject and a clausal complement: "X said (that) ...";
  * the speaker after the content: "..., council member John Park told the Valley Tribune.",
    "“...,” the mayor said.", "..., the Post noted.";
  * "X has called Y Z" (a verdict on something);
  * "according to X";
  * a speech noun with a "that" clause: "the governor's claim that ...", "a warning by the UN that ...";
  * a hedging adverb: "The general reportedly resigned" (no source; the clause is the content);
and two line layouts, read from the text with the parse's part-of-speech tags:
  * a speaker label opening a line: a transcript turn ("PENCE: Well, look, ...") or a headline
    ("Poll: Trump Ties Clinton ...");
  * a quotation with its speaker after a dash on one line ("“...” ― Karen Bobadilla"), as reader
    quotes and embedded posts are set.
Each pattern yields token ranges ``(cue, source, contents)``; ``fast`` adds those whose cue
overlaps no CRF cue. Every pattern reads the one parse, so the layer costs well under a millisecond
per sentence.
"""
from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Token

from ...lexicons import Lexicons
from ...nlp import T_LEMMA, T_LOWER, T_POS, line_break_tokens, token_rows
from .features import token_range

SUBJECTS = {"nsubj", "nsubjpass"}
# subjects that are not sources: expletive "it", relative pronouns (their antecedent is the source)
NON_SOURCES = {"it", "which", "who", "that", "what", "whom"}
CUE_PREFIX_DEPS = {"aux", "auxpass", "neg", "advmod"}
# tokens a content or source span does not start or end with
EDGE = {",", ";", ":", "-", "—", "–", "\n", "\n\n", " "}
# children whose subtree is cut from a source or "call" content (", which ...", "(...)")
CUT_DEPS = {"relcl", "appos", "punct", "acl"}

HEDGE_ADVERBS = {"reportedly", "allegedly", "purportedly", "supposedly"}
# verbs that report a ruling, finding or document only with a "that" clause ("the court held that ...", "the study
# found that ...", "polls show that ..."): cues of the syntactic layer, not speech verbs of the lexicon (which the CRF
# reads for every use: "held a rally", "found the keys")
FINDING_VERBS = {"hold", "rule", "find", "conclude", "determine", "show"}
MENTAL_VERBS = {"believe", "think", "feel", "estimate", "indicate", "suggest", "describe", "express", "point"}
# first and second person speak inside quotations and letters, rarely as a reported source
PERSONAL = {"i", "we", "you"}
# a line's speaker label: up to five capitalised words, then a colon and the words spoken
_LABEL_LINE = re.compile(r"^[ \t\"“]*(?P<label>[A-Z][\w.’'&-]*(?:[ \t]+[A-Z][\w.’'&-]*){0,4})[ \t]*:[ \t]+(?P<content>\S[^\n]*)$",
                         re.MULTILINE)
# labels that head a line but speak for no one
NON_SPEAKER_LABELS = {"note", "editor's note", "editor’s note", "update", "updated", "correction", "related", "photo",
                      "video", "watch", "read more", "source", "sources", "disclosure", "advertisement", "q", "a",
                      "transcript", "breaking", "exclusive", "analysis", "opinion", "editorial", "by", "tags", "topics",
                      "warning", "live", "also", "plus", "more", "see also", "listen", "image", "caption", "credit"}
# fact-check and explainer rubrics: "TRUMP: ..." / "THE FACTS: ..." take turns like a transcript, but the rubric is
# the outlet's own voice
RUBRIC_LABELS = {"the facts", "the fact", "fact check", "the bottom line", "bottom line", "verdict", "our ruling",
                 "why it matters", "what we know", "background"}
NON_SPEAKER_LABELS |= RUBRIC_LABELS
# a quotation, a dash, and its speaker, alone on a line
_DASH_LINE = re.compile(r"^[ \t]*(?P<content>[“\"”](?:[^\n]*)[”\"])[ \t\u00a0]*(?P<cue>[―—–])[ \t\u00a0]*"
                        r"(?P<source>[A-Z][^\n(,]{0,80}?)[. \t\u00a0]*(?:[(,][^\n]*)?$", re.MULTILINE)
Range = tuple[int, int]
Relation = tuple[Range, Range | None, list[Range]]


def line_bounds(doc: Doc, lo: int, hi: int, at: int) -> Range:
    """The token range of ``[lo, hi)`` on the same text line as token ``at``: a newline inside a
    parser sentence ends it (a headline without final punctuation runs into the next line otherwise)."""
    breaks = line_break_tokens(doc)
    before = bisect.bisect_left(breaks, at) - 1  # the last break token before ``at``
    start = breaks[before] + 1 if before >= 0 and breaks[before] >= lo else lo
    after = bisect.bisect_right(breaks, at)  # the first break token after ``at``
    end = breaks[after] if after < len(breaks) and breaks[after] < hi else hi
    return start, end


def hedged_clause(doc: Doc, lo: int, hi: int, adverb: Token) -> Range | None:
    """"The general reportedly resigned after the defeat.": the hedged report is the whole clause the adverb
    modifies, subject included, on the adverb's line, without its subordinator and final stop; ``None`` if the adverb
    modifies no verb."""
    if adverb.dep_ != "advmod" or adverb.head.pos_ not in {"VERB", "AUX"}:
        return None
    llo, lhi = line_bounds(doc, lo, hi, adverb.i)
    clause = adverb.head
    start = clause.left_edge.i
    while start < clause.i and doc[start].dep_ in {"mark", "cc"} and doc[start].head.i == clause.i:
        start += 1  # "after Biden reportedly authorized ...": the subordinator is the outlet's
    end = clause.right_edge.i + 1
    # "..., a policy shift that his administration has not confirmed": a closing apposition is the outlet's comment
    last = end
    while last > adverb.i + 1 and (doc[last - 1].is_punct or doc[last - 1].is_space):
        last -= 1
    for tok in doc[adverb.i + 1:last]:
        comment = tok.dep_ == "appos" or (tok.dep_ == "npadvmod" and tok.pos_ == "NOUN"
                                          and any(c.dep_ == "relcl" for c in tok.rights))  # ", a move that ..."
        if comment and doc[tok.left_edge.i - 1].text == "," and tok.right_edge.i + 1 >= last:
            end = tok.left_edge.i
            break
    content = _trim(doc, max(start, llo), min(end, lhi))
    while content is not None and doc[content[1] - 1].text in {".", "?", "!"}:
        content = _trim(doc, content[0], content[1] - 1)
    return content


def agent_object(verb: Token) -> Token | None:
    """The noun of a passive verb's "by" phrase ("accused by the UN" -> UN), if it has one."""
    agent = next((c for c in verb.rights if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


# how a verb without a subject of its own shares one: "X implored her, arguing ...", "X agreed and seemed to think ..."
SHARED_SUBJECT_DEPS = {"conj", "advcl", "xcomp"}
SHARED_NON_SOURCES = {"it", "there", "that", "this", "what", "which"} | PERSONAL


def shared_subject(verb: Token) -> Range | None:
    """The subject a subjectless verb shares with the verb it is coordinated with or hangs from, as a
    token range (appositions included: "Clinton, the former secretary of State, ... and said")."""
    while not any(c.dep_ in SUBJECTS for c in verb.children):
        if verb.dep_ not in SHARED_SUBJECT_DEPS or verb.head is verb or verb.pos_ not in {"VERB", "AUX"}:
            return None
        verb = verb.head
    subj = next(c for c in verb.children if c.dep_ in SUBJECTS)
    if subj.dep_ == "nsubjpass" or subj.lower_ in SHARED_NON_SOURCES:
        return None
    return _trim(subj.doc, subj.left_edge.i, subj.right_edge.i + 1)


def _trim(doc: Doc, start: int, end: int) -> Range | None:
    while start < end and (doc[start].text in EDGE or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in EDGE or doc[end - 1].is_space):
        end -= 1
    return (start, end) if end > start else None


def _phrase(tok: Token, cut: set[str] = CUT_DEPS) -> Range:
    """``tok``'s subtree up to the first cut child ("the Washington Post, which ..." -> "the Washington Post")."""
    start = tok.left_edge.i
    for child in tok.lefts:
        if child.dep_ in cut and child.dep_ != "punct":
            start = max(start, child.right_edge.i + 1)
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ in cut:
            break
        end = child.right_edge.i + 1
    return start, end


def _cue(verb: Token) -> Range:
    """The verb with its auxiliaries, negation and adverbs right before it ("has not officially confirmed")."""
    start = verb.i
    lefts = sorted((c for c in verb.lefts if c.dep_ in CUE_PREFIX_DEPS), key=lambda c: -c.i)
    for child in lefts:
        if child.i == start - 1:
            start = child.i
    return start, verb.i + 1


def _has_clause(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``[start, end)`` hold a verb with its subject ("At least 180 people were arrested")."""
    return any(t.dep_ in SUBJECTS and start <= t.head.i < end and t.head.pos_ in {"VERB", "AUX"}
               for t in doc[start:end])


class SyntacticAttributions:
    """The patterns of the module docstring over one sentence of a parsed ``Doc``."""

    def __init__(self, lexicons: Lexicons):
        # beliefs ("I think", "believes") are attributions in PolNeAR only now and then: left to the CRF
        self.verbs = set(lexicons.words("speech_verbs")) - MENTAL_VERBS
        self.nouns = lexicons.words("speech_nouns")
        self._kinds: dict[tuple[int, int, int], str | None] = {}  # string ids -> pattern kind, across documents

    def sentence(self, doc: Doc, lo: int, hi: int, quote_id: list[int] | None = None) -> list[Relation]:
        """``quote_id[i] >= 0`` marks token ``i`` inside a quotation: a speaker quoted by another is skipped."""
        out: list[Relation] = []
        rows = token_rows(doc)
        for i in range(lo, hi):
            if quote_id is not None and quote_id[i] >= 0:
                continue
            row = rows[i]
            # which pattern a token can start, from its string ids (most tokens start none: no Token built)
            key = (row[T_LOWER], row[T_LEMMA], row[T_POS])
            kind = self._kinds.get(key, "")
            if kind == "":
                kind = self._kinds[key] = self._kind(doc.vocab.strings, key)
            if kind is None:
                continue
            tok = doc[i]
            if kind == "according":
                if not (i + 1 < hi and doc[i + 1].lower_ == "to"):
                    continue
                rel = self._according_to(doc, lo, hi, tok, doc[i + 1])
            elif kind == "verb":
                rel = self._speech_verb(doc, lo, hi, tok)
            elif kind == "finding":
                rel = self._finding(doc, lo, hi, tok)
            elif kind == "noun":
                rel = self._speech_noun(doc, lo, hi, tok)
            else:
                content = hedged_clause(doc, lo, hi, tok)
                rel = ((i, i + 1), None, [content]) if content else None
            if rel is not None:
                out.append(rel)
        return out

    def _kind(self, strings, key: tuple[int, int, int]) -> str | None:
        lower, lemma, pos = (strings[k] for k in key)
        if lower == "according":
            return "according"
        if pos == "VERB" and lemma.lower() in self.verbs:
            return "verb"
        if pos == "VERB" and lemma.lower() in FINDING_VERBS:
            return "finding"
        if pos == "NOUN" and lemma.lower() in self.nouns:
            return "noun"
        return "hedge" if lower in HEDGE_ADVERBS else None

    def _speech_verb(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        if verb.dep_ == "acl" and verb.head.i == verb.i - 1:
            return self._trailing_acl(doc, lo, hi, verb)
        subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
        if subj is None:
            return self._passive_agent(doc, lo, hi, verb) or self._shared_subject_clause(doc, lo, hi, verb)
        # "Paul Krugman, who wondered on Twitter whether ...": the relative pronoun of a person is the source (both
        # PolNeAR and the modern-news guide mark it; the speakers stage resolves it to its antecedent)
        relative_speaker = subj.lower_ == "who" and verb.dep_ == "relcl"
        if (subj.lower_ in NON_SOURCES or subj.lower_ in PERSONAL or subj.tag_ in {"WDT", "WP"}) and not relative_speaker:
            return None
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        if not (llo <= subj.i < lhi):
            return None
        source = _trim(doc, *_phrase(subj))
        cue = _cue(verb)
        if source is None:
            return None
        if verb.lemma_.lower() == "call":
            return self._call(doc, verb, cue, source)
        if verb.dep_ == "relcl" and not relative_speaker:
            # "a policy shift that his administration has not officially confirmed": what is (not) confirmed is
            # the relative pronoun's antecedent; PolNeAR marks the pronoun as the content
            obj = next((c for c in verb.lefts if c.dep_ == "dobj" and c.lower_ in {"that", "which"}), None)
            return (cue, source, [(obj.i, obj.i + 1)]) if obj is not None else None
        # the parser often takes "wondered whether ..." for an adverbial clause
        comps = [c for c in verb.children if llo <= c.i < lhi and (c.dep_ == "ccomp" or c.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ == "whether" for m in c.children))]
        after = [c for c in comps if c.i > verb.i]
        before = [c for c in comps if c.i < source[0]]
        if after:
            content = _trim(doc, after[0].left_edge.i, min(after[0].right_edge.i + 1, lhi))
            return (cue, source, [content]) if content else None
        # the speaker after the content: "<content>, SOURCE said/told X/noted." (the parser may hang a first clause
        # that opens the paragraph on the sentence before it: a clause with its subject there is the content too)
        trailing = (verb.dep_ == "ROOT" and (before or _has_clause(doc, llo, source[0]))
                    or (verb.dep_ == "conj" and verb.head.i < source[0]))
        if not trailing or not any(doc[j].text in {",", "”", "\"", "—"} for j in range(max(llo, source[0] - 2), source[0])):
            return None
        # nothing but the verb's object, time and place may follow the speaker, or, after a comma, the rest of what
        # was said ("At least 180 people were arrested, police said, most for illegal assembly, while ...")
        tail = [c for c in verb.rights if c.dep_ in {"ccomp", "xcomp", "advcl", "conj"} and c.i < lhi]
        if tail and (verb.i + 1 >= lhi or doc[verb.i + 1].text != "," or any(c.dep_ in {"ccomp", "xcomp"} for c in tail)):
            return None
        content = _trim(doc, llo, source[0])
        if content is None:
            return None
        rest = _trim(doc, verb.i + 2, lhi) if tail and self._said_on(doc, verb.i + 2, lhi) else None
        if rest is not None and doc[rest[0]].dep_ == "cc":  # ", and they supported ...": the conjunction is glue
            rest = _trim(doc, rest[0] + 1, rest[1])
        if rest is not None and doc[rest[1] - 1].text in {".", "!", "?"}:
            rest = (rest[0], rest[1] - 1) if rest[1] - 1 > rest[0] else None
        return (cue, source, [content, rest] if rest else [content])

    def _said_on(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the words after "<content>, SOURCE said," go on with the content: not when they hold another
        speech verb with a clause of its own ("..., adding that ...": that is the next cue's) or a quotation."""
        return not any(t.is_quote or t.pos_ == "VERB" and t.lemma_.lower() in self.verbs
                       and any(c.dep_ in {"ccomp", "xcomp"} for c in t.children) for t in doc[start:end])

    def _finding(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"The Seventh Circuit held, in effect, that Congress ...": a finding verb with its subject and a "that"
        clause after it."""
        subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in NON_SOURCES | PERSONAL or subj.tag_ in {"WDT", "WP"}:
            return None
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        clause = next((c for c in verb.rights if c.dep_ == "ccomp" and c.i < lhi and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        source = _trim(doc, *_phrase(subj)) if llo <= subj.i < lhi else None
        if clause is None or source is None:
            return None
        content = _trim(doc, clause.left_edge.i, min(clause.right_edge.i + 1, lhi))
        return (_cue(verb), source, [content]) if content else None

    def _shared_subject_clause(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"Mueller left the club in 2011 but has denied there was any dispute": a coordinated speech verb without a
        subject of its own speaks for the first verb's subject; the content is its clause after it."""
        if verb.dep_ != "conj" or any(c.dep_ == "auxpass" for c in verb.children):
            return None
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        source = shared_subject(verb)
        clause = next((c for c in verb.rights if c.dep_ == "ccomp" and c.i < lhi), None)
        if source is None or clause is None or not llo <= source[0] < lhi:
            return None
        content = _trim(doc, clause.left_edge.i, min(clause.right_edge.i + 1, lhi))
        return (_cue(verb), source, [content]) if content else None

    def _passive_agent(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"Ukraine has been accused by the UN of breaching its obligations": the agent speaks; the content
        is what follows it (without its preposition), the passive subject is whom it is about."""
        pobj = agent_object(verb)
        if pobj is None or not any(c.dep_ == "auxpass" for c in verb.lefts):
            return None
        agent = pobj.head
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        rest = next((c for c in verb.rights if c.i > agent.right_edge.i and c.dep_ in {"prep", "ccomp", "xcomp"}), None)
        if rest is None or rest.i >= lhi:
            return None
        if rest.dep_ == "prep":
            rest = next((c for c in rest.children if c.dep_ in {"pobj", "pcomp"}), None)
            if rest is None:
                return None
        content = _trim(doc, rest.left_edge.i, min(rest.right_edge.i + 1, lhi))
        source = _trim(doc, *_phrase(pobj))
        return (_cue(verb), source, [content]) if content and source else None

    def _speech_noun(self, doc: Doc, lo: int, hi: int, noun: Token) -> Relation | None:
        """"The governor's claim that the budget was balanced": the content is the "that" clause (with
        "that", as PolNeAR marks it); the source the possessor, or the agent of "by"/"from", if any. A relative
        clause ("the claim that he made") has "that" as its subject or object, not as its marker: no content."""
        llo, lhi = line_bounds(doc, lo, hi, noun.i)
        clause = next((c for c in noun.rights if c.dep_ in {"acl", "ccomp"} and c.i < lhi), None)
        if clause is None:
            return None
        mark = next((c for c in clause.lefts if c.dep_ == "mark" and c.lower_ == "that"), None)
        if mark is None or mark.i != clause.left_edge.i:
            return None
        content = _trim(doc, mark.i, min(clause.right_edge.i + 1, lhi))
        poss = next((c for c in noun.lefts if c.dep_ == "poss"), None)
        source = None
        if poss is not None:
            source = (poss.left_edge.i, poss.right_edge.i + 1)
        else:
            prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in {"by", "from"} and c.i < mark.i), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if pobj is not None:
                source = _trim(doc, *_phrase(pobj))
        return ((noun.i, noun.i + 1), source, [content]) if content else None

    def _trailing_acl(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"<content>, multiple news outlets reported on Tuesday, citing ...": the parser often hangs the verb
        on the speaker as a reduced relative clause (acl); after a comma that ends the content it is the cue."""
        speaker = verb.head
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        start = speaker.left_edge.i
        if start - 1 <= llo or doc[start - 1].text != "," or speaker.dep_ not in {"dobj", "npadvmod", "appos", "conj"}:
            return None
        if any(c.dep_ in {"ccomp", "dobj", "xcomp"} for c in verb.rights):
            return None
        content = _trim(doc, llo, start - 1)
        source = _trim(doc, start, speaker.i + 1)
        return ((verb.i, verb.i + 1), source, [content]) if content and source else None

    def _call(self, doc: Doc, verb: Token, cue: Range, source: Range) -> Relation | None:
        """"Moscow has called the Ukraine conflict a US-led proxy war against Russia, which ...": content =
        object + predicate with what hangs on it (the relative clause is part of the verdict)."""
        obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
        pred = next((c for c in verb.rights if c.dep_ == "oprd"), None)
        if obj is None or pred is None:
            return None
        content = _trim(doc, obj.left_edge.i, pred.right_edge.i + 1)
        return (cue, source, [content]) if content else None

    def _according_to(self, doc: Doc, lo: int, hi: int, according: Token, to: Token) -> Relation | None:
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        llo, lhi = line_bounds(doc, lo, hi, according.i)
        source = _trim(doc, *_phrase(pobj))
        phrase_end = pobj.right_edge.i + 1
        # the content is the rest of the sentence on the side the phrase does not close
        if according.i - llo <= lhi - phrase_end:
            content = _trim(doc, phrase_end, lhi)
        else:
            content = _trim(doc, llo, according.i)
        if source is None or content is None:
            return None
        if doc[content[1] - 1].is_punct and doc[content[1] - 1].text in {".", "?", "!"}:
            content = (content[0], content[1] - 1) if content[1] - 1 > content[0] else None
        return ((according.i, to.i + 1), source, [content]) if content else None

    def lines(self, doc: Doc, text: str) -> list[Relation]:
        """The line layouts of the module docstring, over the whole text."""
        out: list[Relation] = []
        first_line = len(text) - len(text.lstrip())
        turns = [m for m in _LABEL_LINE.finditer(text) if m.group("label").lower() not in NON_SPEAKER_LABELS - RUBRIC_LABELS]
        # a transcript: capitalised labels ("WALLACE:", "PENCE:") taking turns; one capitalised label alone is
        # a headline's kicker ("BOOM:", "BUSTED:")
        dialogue = len({m.group("label") for m in turns if m.group("label").isupper()}) >= 2
        labelled = [m for m in turns if m.group("label").lower() not in RUBRIC_LABELS]
        for m in labelled:
            label = m.group("label")
            source = _token_range(doc, m.start("label"), m.end("label"))
            colon = doc.char_span(m.end("label"), m.start("content"), alignment_mode="expand")
            cue = next(((t.i, t.i + 1) for t in colon if t.text == ":"), None) if colon is not None else None
            end = m.end("content")
            if m.start() <= first_line and text[end - 1] == "." and text[end - 2:end] != "..":
                end -= 1  # a headline's closing stop is the outlet's typography, not the speaker's words
            content = _token_range(doc, m.start("content"), end)
            if source is None or cue is None or content is None:
                continue
            words = [t for t in doc[content[0]:content[1]] if t.is_alpha]
            name = doc[source[0]:source[1]]
            # otherwise a person's name ("Bernie Sanders: I'm Not Much Of A Socialist ..."): not a list entry
            # ("Clinton: 547.") nor a title ("The Latest: ...", "Clinton Wades In: ...")
            if not (dialogue and label.isupper() and words) and not (
                    len(words) >= 3 and all(t.pos_ == "PROPN" for t in name) and any(t.ent_type_ == "PERSON" for t in name)):
                continue
            out.append((cue, source, [content]))
        for m in _DASH_LINE.finditer(text):
            dash = doc.char_span(m.start("cue"), m.end("cue"), alignment_mode="expand")
            cue = (dash.start, dash.end) if dash is not None else None  # a dash is an EDGE mark: not trimmed
            source = _token_range(doc, m.start("source"), m.end("source"))
            content = _token_range(doc, m.start("content"), m.end("content"))
            if cue is None or source is None or content is None or source[1] - source[0] > 8:
                continue
            out.append((cue, source, [content]))
        return out


def _token_range(doc: Doc, start: int, end: int) -> Range | None:
    """Token range of the characters ``[start, end)`` trimmed of edge marks (``None`` if empty)."""
    tokens = token_range(doc, start, end)
    return _trim(doc, *tokens) if tokens else None


NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
OBJECT_DEPS = {"dobj", "dative", "oprd", "attr"}
CLAUSE_DEPS = {"relcl", "acl", "ccomp", "xcomp", "advcl", "csubj"}


# a cue verb's own time and place ("criticized the judge [on Tuesday]", "[at a rally]"); "accused it [of ...]",
# "portrayed them [as ...]" make a small clause, a statement
ADJUNCT_PREPS = {"on", "at", "in", "during", "after", "before", "since"}


def _verb_adjunct(token: Token, cue_tokens: range) -> bool:
    """Whether ``token`` is in a time or place phrase that hangs on the cue verb itself."""
    for t in [token, *token.ancestors]:
        if t.head.i in cue_tokens and t.i not in cue_tokens:
            return t.dep_ in ("npadvmod", "advmod") or (t.dep_ == "prep" and t.lower_ in ADJUNCT_PREPS)
    return False


def is_bare_object(doc: Doc, cue: tuple[int, int] | None, content: tuple[int, int]) -> bool:
    """Whether a content (character offsets) is only the cue verb's noun-phrase object: "criticized [the judge]",
    "signed [the bill]" name a thing, not what was said. A small clause ("called [Trump a liar]", "accused [it of
    ...]"), a clause inside the phrase ("the claim [that ...]") or a quote is a statement and stays."""
    if cue is None:
        return False
    span = doc.char_span(*content, alignment_mode="expand")
    cue_span = doc.char_span(*cue, alignment_mode="expand")
    if span is None or cue_span is None or not len(span) or span[0].is_quote:
        return False
    root = span.root
    if root.pos_ not in NOMINAL:
        return False
    cue_tokens = range(cue_span.start, cue_span.end)
    words = [t for t in span if not t.is_punct and not _verb_adjunct(t, cue_tokens)]
    if any(t.i != root.i and not root.is_ancestor(t) for t in words) or any(t.dep_ in CLAUSE_DEPS for t in words):
        return False
    if root.dep_ in OBJECT_DEPS:
        return root.head.i in cue_tokens
    return root.dep_ == "pobj" and (root.head.i in cue_tokens or root.head.head.i in cue_tokens)


# prepositions whose object is what a saying verb speaks of ("said little about the deal"); any other preposition on
# "say"/"tell" places the saying ("said at a campaign stop", "said after showing Trump the plans", "told the meeting")
TOPIC_PREPOSITIONS = {"about"}
SAYING_LEMMAS = {"say", "tell"}


def is_saying_circumstance(doc: Doc, cue: Range, content: Range) -> bool:
    """Whether a content (token range) is only a prepositional phrase hanging on a "say"/"tell" cue: where, when or
    to whom something was said, not what ("Trump said [at] a campaign stop this week", "she said [after] reading the
    outline"). Such readings are wrong by PolNeAR's convention and by the modern-news guide's alike."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() not in SAYING_LEMMAS or doc[content[0]].is_quote:
        return False
    prep = verb_attachment(doc, verb, content)
    return prep is not None and prep.dep_ == "prep" and prep.lower_ not in TOPIC_PREPOSITIONS


# verbs whose person object is whom something is said to ("told Bret Baier", "questioned Patterson", "pitched the
# president", "dared Trump", "called Woodward in August"), not what is said
ADDRESSING_LEMMAS = {"tell", "ask", "question", "interview", "thank", "pitch", "push", "press", "dare", "remind",
                     "assure", "reassure", "inform", "urge", "warn", "brief", "call", "contact"}


def is_addressee(doc: Doc, cue: Range, content: Range, person_nouns: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether a content (token range) opens with the person an addressing cue addresses and holds no clause or
    quotation of what was said ("told [Bret Baier]", "told [CNN's Anderson Cooper, regarding his knowledge]",
    "questioned [Patterson, who is unemployed ...]", "pitched [the president]"): whom it was said to is not what was
    said. ``person_nouns``: role nouns naming a person ("president", "panelist"). "called [Trump a liar]" (a second
    predicate) is a statement."""
    verb = doc[cue_head_token(doc, cue)]
    if verb.lemma_.lower() not in ADDRESSING_LEMMAS or doc[content[0]].is_quote or content[0] < cue[1]:
        return False
    addressee = next((c for c in verb.rights if c.dep_ in {"dobj", "dative", "oprd"} and c.left_edge.i <= content[0] <= c.i),
                     None)
    if addressee is None or not (addressee.pos_ in {"PROPN", "PRON"} or addressee.ent_type_ in {"PERSON", "ORG", "NORP"}
                                 or addressee.lemma_.lower() in person_nouns):
        return False
    if any(c.dep_ == "oprd" and c.i != addressee.i for c in verb.children):
        return False
    return not any(t.dep_ in {"ccomp", "xcomp"} or t.is_quote for t in doc[content[0]:content[1]])


def is_rubric_label(doc: Doc, content: Range) -> bool:
    """A fact-check or explainer rubric read as a content ("THE FACTS: Tedros did praise ..."): the outlet's label."""
    return doc[content[0]:content[1]].text.strip(" :").lower() in RUBRIC_LABELS


def cue_head_token(doc: Doc, cue: Range) -> int:
    """The cue token whose head lies outside the cue (its syntactic head)."""
    for i in range(cue[0], cue[1]):
        if not (cue[0] <= doc[i].head.i < cue[1]) or doc[i].head.i == i:
            return i
    return cue[1] - 1


def verb_attachment(doc: Doc, verb: Token, content: Range) -> Token | None:
    """The child of ``verb`` whose subtree holds the whole content (``None`` when no one child's does)."""
    span = doc[content[0]:content[1]]
    if not len(span) or content[0] <= verb.i < content[1]:
        return None
    for t in [span.root, *span.root.ancestors]:
        if t.head.i == verb.i and t.i != verb.i:
            return t if t.left_edge.i <= content[0] and content[1] <= t.right_edge.i + 1 else None
    return None
