"""High-precision syntactic attributions over the shared parse, merged with the fast tier's CRF output.

The CRF cue tagger misses some unambiguous patterns (its cue recall is ~0.61 on PolNeAR dev):
  * a speech verb with a nominal subject and a clausal complement: "X said (that) ...";
  * the speaker after the content: "..., council member John Park told the Valley Tribune.",
    "“...,” the mayor said.", "..., the Post noted.";
  * "X has called Y Z" (a verdict on something);
  * "according to X";
  * a speech noun with a "that" clause: "the governor's claim that ...", "a warning by the UN that ...";
  * a hedging adverb: "The general reportedly resigned" (no source; the clause is the content);
  * the pieces around a parenthetical cue or an "as" clause ("— which is why, Groshen said, it's ...", "“...,” as she
    told me, mostly isn't ..."), and around "according to X" between a subject and its verb;
  * a quotation's own closing "..., people close to them said.”" (the one cue read inside quotation marks);
  * "for X, “...” ... “...”": a person or group set off by commas whose words the sentence's quotations are;
and three line layouts, read from the text with the parse's part-of-speech tags:
  * a speaker label opening a line: a transcript turn ("PENCE: Well, look, ...") or a headline
    ("Poll: Trump Ties Clinton ...");
  * a quotation with its speaker after a dash on one line ("“...” ― Karen Bobadilla"), as reader
    quotes and embedded posts are set;
  * a quotation a line introduces with a name and a colon, no verb ("More from the Post: “...”").
Each pattern yields token ranges ``(cue, source, contents)``; ``fast`` adds those whose cue
overlaps no CRF cue. Every pattern reads the one parse, so the layer costs well under a millisecond
per sentence.
"""
from __future__ import annotations

import bisect
import re

import numpy
from spacy.tokens import Doc, Token

from ...lexicons import Lexicons
from ...nlp import T_LEMMA, T_LOWER, T_POS, column_in, doc_text, line_break_tokens, token_array, token_heads
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
FINDING_VERBS = {"hold", "rule", "find", "conclude", "determine", "show", "allow"}  # "allowed that ...": a concession
# beliefs' verbs that a study or record states as its finding, read only in its relative clause ("a study that
# estimated ...": a person's "estimate" or "suggest" is left to the CRF with the other beliefs)
DOCUMENT_ESTIMATES = {"estimate", "indicate", "suggest", "project", "calculate"}
# what counts or studies, whose "found"/"showed" with a bare object is a finding ("The surveys found similar
# results"); not pictures, whose "show" depicts ("The video shows officers ...")
COUNTING_DOCUMENTS = {"report", "poll", "survey", "study", "analysis", "assessment", "review", "audit", "estimate",
                      "projection", "forecast", "finding", "data", "statistic", "figure", "number", "tally", "count",
                      "census", "record", "research", "investigation", "inquiry", "probe", "test", "trial", "index",
                      "polling", "model", "paper"}
MENTAL_VERBS = {"believe", "think", "feel", "estimate", "indicate", "suggest", "describe", "express", "point"}
# a speech noun's clause; a "relcl" counts only when "that" opens it as its subordinator ("a report [that] workers
# claim to have been underpaid", which the parser may take for a relative clause), never as its pronoun
NOUN_CLAUSE_DEPS = {"acl", "ccomp", "relcl"}
# nouns that say something as a copula's subject ("The White House message is that ..."), not with a clause of
# their own ("sent a message that ...": the sender's, whom the noun does not name)
COPULA_SPEECH_NOUNS = {"message", "position", "point", "view", "stance", "line"}
# a saying that is only imagined ("as he might say")
# the tags of a finite verb ("said", "says", "say"): a clause of its own, not a participle or an infinitive
FINITE_TAGS = {"VBD", "VBZ", "VBP"}
HYPOTHETICAL_MODALS = {"might", "would", "could", "may"}
# speech verbs that name an occasion of speaking, not words said: an "as" clause of theirs opening a sentence tells when
# ("As Trump spoke, protesters chanted ..."), not what
AS_CLAUSE_NON_SAYINGS = {"speak", "talk", "testify", "address", "chat", "debate", "campaign", "meet", "vote", "listen",
                         "chant", "shout", "scream", "yell", "cheer", "applaud", "laugh", "pray", "speak out"}
# nor one of committing or foreseeing: "As Messina had promised, assumptions were rarely left ..." tells that it came
# true, in the writer's words
AS_CLAUSE_NON_SAYINGS |= {"promise", "vow", "pledge", "threaten", "predict", "forecast", "expect", "hope", "plan",
                          "intend", "anticipate", "demand", "request", "order", "instruct", "urge"}
# first and second person speak inside quotations and letters, rarely as a reported source
PERSONAL = {"i", "we", "you"}
# a line's speaker label: up to five capitalised words, then a colon and the words spoken
# (a label in capitals may add the speaker's role on the programme after a comma: "MARA LIASSON, BYLINE: ..."); a label
# alone on its line heads the paragraph after it ("RACHEL MARTIN, HOST:" above the host's words)
# capitals of the labels, accented ones included ("JOSÉ DÍAZ:", "ÁLVARO NÚÑEZ:"); one class for every label pattern
CAPITAL = "A-ZÀ-ÖØ-Þ"
# a word of a label in capitals ("SECRETARY", "O'REILLY", "DÍAZ")
CAPITALS_WORD = rf"[{CAPITAL}][{CAPITAL}.’'&-]*"
_ROLE = rf"(?:,[ \t]*(?P<role>{CAPITALS_WORD}(?:[ \t]+{CAPITALS_WORD}){{0,3}}))?"
_LABEL_WORDS = rf"[{CAPITAL}][\w.’'&-]*(?:[ \t]+[{CAPITAL}][\w.’'&-]*){{0,4}}"
_LABEL_LINE = re.compile(r"^[ \t\"“]*(?P<label>" + _LABEL_WORDS + ")" + _ROLE
                         + r"(?:[ \t]*\((?P<place>[^()\n]{1,80})\))?"
                         + r"[ \t]*:(?:[ \t]+|[ \t]*\n(?:[ \t]*\n)*[ \t]*(?P<alone>)"
                         r"(?![^\n:]{1,80}:[ \t]))(?P<content>\S[^\n]*)$", re.MULTILINE)
# labels that head a line but speak for no one
NON_SPEAKER_LABELS = {"note", "editor's note", "editor’s note", "update", "updated", "correction", "related", "photo",
                      "video", "watch", "read more", "source", "sources", "disclosure", "advertisement", "q", "a",
                      "transcript", "q&a", "breaking", "exclusive", "analysis", "opinion", "editorial", "by", "tags", "topics",
                      "warning", "live", "also", "plus", "more", "see also", "listen", "image", "caption", "credit"}
# fact-check and explainer rubrics: "TRUMP: ..." / "THE FACTS: ..." take turns like a transcript, but the rubric is
# the outlet's own voice
RUBRIC_LABELS = {"the facts", "the fact", "fact check", "the bottom line", "bottom line", "verdict", "our ruling",
                 "why it matters", "what we know", "background", "myth", "the myth", "fact", "reality", "the reality"}
NON_SPEAKER_LABELS |= RUBRIC_LABELS
# a person's name in normal case as a line's label: "Hewitt: ...", "Hugh Hewitt: ..."
# (a panel's label adds the speaker's place in brackets: "John Ash (Central High School, Murfreesboro, Tenn.): ...")
_PLACE = r"(?:[ \t]*\([^()\n]{1,80}\))?"
_NAME_LABEL = re.compile(r"^[ \t]*(?P<label>(?:[A-Z]\.)+[ \t]*[A-Z][a-z’'.-]+|[A-Z][a-z’'.-]+(?:[ \t]+[A-Z][a-z’'.-]+){0,2})"
                         + _PLACE + r"[ \t]*:[ \t]+\S", re.MULTILINE)
_NOT_FIRST_NAMES = frozenset({"the", "a", "an", "this", "that", "these", "those", "our", "their", "his", "her", "its",
                              "my", "your", "no", "on", "in", "at", "for", "and", "but", "or", "if", "when", "mr", "mrs",
                              "ms", "dr"})


_MINOR_LABEL_WORDS = frozenset({"the", "and", "for", "with", "from", "into", "out", "off", "its", "their", "our", "what",
                                "how", "why", "who", "they", "them", "this", "that"})


def name_dialogue_labels(text: str) -> frozenset[str]:
    """The labels of an interview written in normal case ("Hugh Hewitt: ...", then "Hewitt: ...", "Trump: ..."): at
    least two speakers, each labelling two lines or more, whose label's last word the text also writes after another
    capitalised word, as a surname ("Hugh Hewitt", "Donald Trump"). Rubrics that take turns ("Upside:" / "Downside:",
    "Winner:" / "Loser:") are no one's surname."""
    found = [m.group("label") for m in _NAME_LABEL.finditer(text)]
    if len(found) < 4:
        return frozenset()
    counts: dict[str, int] = {}
    for label in found:
        if label.lower() not in NON_SPEAKER_LABELS:
            key = label.split()[-1]
            counts[key] = counts.get(key, 0) + 1
    surnames = {key for key, n in counts.items() if n >= 2 and any(
        m.group(1).lower() not in _NOT_FIRST_NAMES
        for m in re.finditer(r"(?<![\w.])([A-Z][a-z]+|(?:[A-Z]\.)+)[ \t]*" + re.escape(key) + r"\b", text))}
    if len(surnames) < 2:
        return frozenset()
    return frozenset(label for label in found if label.split()[-1] in surnames and label.lower() not in NON_SPEAKER_LABELS)


# a quotation, a dash, and its speaker, alone on a line
_DASH_LINE = re.compile(r"^[ \t]*(?P<content>[“\"”](?:[^\n]*)[”\"])[ \t\u00a0]*(?P<cue>[―—–])[ \t\u00a0]*"
                        r"(?P<source>[A-Z][^\n(,]{0,80}?)[. \t\u00a0]*(?:[(,][ \t]*(?P<affiliation>[^\n]*?)[. \t]*)?$", re.MULTILINE)
# a signature that names the page, not a person: "— Editorial, Los Angeles Times" is the paper's
BOARD_SIGNATURES = {"editorial", "editorial board", "the editorial board", "editors", "the editors", "editorial staff"}
# a quotation introduced on its line by a name and a colon, with no verb: "More from the Post: “...”"
_INTRO_QUOTE = re.compile(r"^[ \t]*(?P<intro>[^\n:“”\"]{3,60}?)[ \t]*(?P<colon>:)[ \t]+(?P<content>[“\"][^\n“”\"]{2,}[”\"])",
                          re.MULTILINE)
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
# prepositions whose gerund shares the clause's subject ("by telling", "after saying", "without mentioning")
GERUND_PREPOSITIONS = {"by", "after", "before", "while", "without", "upon", "in"}
# verbs whose object, a speech noun with a "that" clause, is the subject's own statement ("tries to create the
# impression that ...", "raised concerns that ...", "issued a warning that ..."); not "rejected the claim that ..."
LIGHT_SPEECH_VERBS = {"make", "create", "give", "raise", "issue", "express", "voice", "offer", "float", "repeat",
                      "reiterate", "share", "leave", "convey", "sound", "spread", "push", "peddle", "send", "deliver"}

# documents that rule or plan rather than say: a participle after them is someone else's ("Reagan-era tax policies
# claiming ...", "a bill requiring ...")
RULE_DOCUMENTS = {"policy", "law", "bill", "act", "rule", "regulation", "guideline", "order", "plan", "proposal",
                  "budget", "treaty", "charter", "constitution", "contract", "deal", "agreement", "platform"}
# verbs whose object, a statement or document, is the subject's own words ("issued a statement saying ...")
ISSUING_VERBS = {"issue", "release", "publish", "post", "write", "pen", "sign", "file", "tweet", "put", "send", "deliver",
                 "share", "give", "circulate", "distribute"}


def shared_subject(verb: Token) -> Range | None:
    """The subject a subjectless verb shares with the verb it is coordinated with or hangs from, as a
    token range (appositions included: "Clinton, the former secretary of State, ... and said")."""
    while not any(c.dep_ in SUBJECTS for c in verb.children):
        if (verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.lower_ in GERUND_PREPOSITIONS
                and verb.pos_ == "VERB" and verb.head.head.pos_ in {"VERB", "AUX"}):
            verb = verb.head.head  # "By telling Trump that ..., his lawyers keep ...": the clause's subject
            continue
        if verb.dep_ not in SHARED_SUBJECT_DEPS or verb.head is verb or verb.pos_ not in {"VERB", "AUX"}:
            return None
        verb = verb.head
    subj = next(c for c in verb.children if c.dep_ in SUBJECTS)
    if subj.dep_ == "nsubjpass" or subj.lower_ in SHARED_NON_SOURCES:
        return None
    return _trim(subj.doc, subj.left_edge.i, subj.right_edge.i + 1)


# subjects that say no one did it ("No one took the time to explain ...")
NEGATIVE_SUBJECTS = {"nobody", "none", "neither", "nothing", "noone"}
# words that rank the one who said something first or last among others ("the latest to say")
RANK_WORDS = {"first", "last", "latest", "only", "second", "third", "next", "newest", "lone", "sole"}
# verbs whose infinitive complement is said, not meant or refused ("went on to say", "proceeded to argue"; not
# "wants to say", "declined to say", "is expected to announce")
CONTINUING_VERBS = {"continue", "proceed", "begin", "start", "go"}


def is_for_gerund(verb: Token) -> bool:
    """A verb's gerund after "for" on a verb ("criticized for saying", "praised the governor for arguing")."""
    prep = verb.head
    return (verb.dep_ == "pcomp" and verb.tag_ == "VBG" and prep.lower_ == "for" and prep.dep_ == "prep"
            and prep.head.pos_ in {"VERB", "AUX"} and not any(c.dep_ in SUBJECTS for c in verb.children))


def for_gerund_sayer(verb: Token, persons: frozenset[str] | set[str] = frozenset()) -> Token | None:
    """Who says what a speech verb's gerund after "for" says, the reason for praise, blame or a sanction: the object
    of the verb "for" hangs on when it names someone ("praised the governor for saying", "slammed Pelosi for
    claiming"), else that verb's subject, active or passive ("apologized for calling", "drew criticism for saying",
    "was fired for tweeting"). ``None`` for any other verb."""
    if not is_for_gerund(verb):
        return None
    prep = verb.head
    head = prep.head
    obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < prep.i), None)
    if obj is not None and (obj.pos_ == "PROPN" or obj.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
                            or obj.lemma_.lower() in persons
                            or obj.pos_ == "PRON" and obj.lower_ in OBJECT_PERSONS):
        return obj
    if obj is not None and obj.pos_ == "NOUN" and obj.lemma_.lower() not in REACTION_NOUNS:
        return None  # "praised the plan for ...", "thanked the crowd for ...": a thing or a crowd, left to the CRF
    subj = next((c for c in head.children if c.dep_ in SUBJECTS), None)
    if subj is None or subj.lower_ in SHARED_NON_SOURCES or subj.tag_ in {"WDT", "WP"} or _negative(subj):
        return None
    return subj


# pronoun objects that name someone ("slammed her for saying")
OBJECT_PERSONS = {"him", "her", "them", "us", "me"}
# what a subject draws or takes for something said ("drew criticism for saying", "took heat for ...")
REACTION_NOUNS = {"criticism", "heat", "flak", "fire", "backlash", "scorn", "condemnation", "ire", "rebuke", "praise",
                  "applause", "ridicule", "outrage", "blame", "credit", "apology", "censure", "reprimand", "suspension",
                  "attention", "headline", "firestorm", "uproar", "storm", "bill", "grief"}


def _purpose_saying(verb: Token) -> bool:
    """"Rep. Rhodes took to the floor to say he trusted ...", "She called reporters to say ...": the infinitive of a
    speech verb that gives the purpose of its subject's act (an adverbial clause, not the complement of "want" or
    "decline") says what the subject said."""
    head = verb.head
    return (verb.dep_ == "advcl" and head is not verb and head.i < verb.i and head.pos_ == "VERB"
            and any(c.tag_ == "TO" for c in verb.children)
            and not any(c.dep_ == "neg" or c.dep_ == "nsubj" and _negative(c) for c in head.children))


def _negative(subj: Token) -> bool:
    """"No one", "nobody", "none of them": a subject that says no one did it."""
    return subj.lower_ in NEGATIVE_SUBJECTS or any(c.dep_ == "det" and c.lower_ == "no" for c in subj.children)


def ranked_sayer(verb: Token) -> Token | None:
    """"Sen. Nelson was the latest to say ...", "He is the first Republican to argue ...": the subject of the copula
    whose ranked predicate ("the latest", "the first Republican") the speech verb's infinitive describes."""
    pred = verb.head
    if not (verb.dep_ in {"relcl", "acl"} and pred is not verb and pred.dep_ == "attr" and pred.i < verb.i
            and any(c.tag_ == "TO" for c in verb.children) and pred.head.lemma_.lower() == "be"):
        return None
    if not any(w.lower_ in RANK_WORDS for w in pred.subtree if w.i < verb.i):
        return None
    return next((c for c in pred.head.children if c.dep_ == "nsubj"), None)


def _continued_saying(verb: Token) -> bool:
    """"McEnany went on to say ...", "He then proceeded to argue ...": the infinitive of a speech verb hanging on a
    verb of going on (go only with "on") says what the subject said."""
    head = verb.head
    return (verb.dep_ in {"xcomp", "advcl"} and head is not verb and head.i < verb.i
            and any(c.tag_ == "TO" for c in verb.children) and head.lemma_.lower() in CONTINUING_VERBS
            and (head.lemma_.lower() != "go" or any(c.dep_ == "prt" and c.lower_ == "on" for c in head.children)))


# words of a time phrase between a speech noun and its clause ("the secretary's argument yesterday that ...")
TIME_WORDS = {"yesterday", "today", "tonight", "earlier", "last", "this", "next", "week", "month", "year", "weekend",
              "on", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
              "afternoon", "evening", "night"}


def _clause_after_time(doc: Doc, noun: Token, lhi: int) -> Token | None:
    """The clause a possessed speech noun reports across a time phrase the parser hung elsewhere ("the press
    secretary's argument yesterday that Trump ...", "Beijing's announcement last week it plans to ..."): the verb
    of a clause that starts right after the time words, with "that" or with its subject there."""
    i = noun.i + 1
    while i < lhi and doc[i].lower_ in TIME_WORDS and i - noun.i <= 3:
        i += 1
    if i == noun.i + 1 or i >= lhi:
        return None
    first = doc[i]
    clause = first.head
    if (first.lower_ == "that" and first.dep_ == "mark" or first.dep_ in {"nsubj", "nsubjpass", "expl"}) and (
            clause.pos_ in {"VERB", "AUX"} and clause.left_edge.i == i and clause.i > i
            and clause.dep_ in {"ccomp", "advcl", "acl", "relcl", "conj"}):
        return clause
    return None


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


def _speaker_phrase(subj: Token) -> Range:
    """A speaker's phrase: ``_phrase``, and a description's apposed name with it ("[The city's former mayor, Tom
    Reyes,] said": the name is who the description is)."""
    start, end = _phrase(subj)
    if subj.pos_ != "PROPN" and end == subj.i + 1:
        name = next((c for c in subj.rights if c.dep_ == "appos" and c.pos_ == "PROPN" and c.ent_type_ == "PERSON"
                     and subj.doc[c.left_edge.i - 1].text == ","), None)
        if name is not None:
            end = name.right_edge.i + 1
    return start, end


def named_compound(noun: Token) -> Range | None:
    """"a New York Times report", "a White House statement": the name that issued a speech noun, as its compound."""
    name = next((c for c in noun.lefts if c.dep_ == "compound" and c.i == noun.i - 1
                 and (c.pos_ == "PROPN" or c.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"})), None)
    return (name.left_edge.i, name.i + 1) if name is not None else None


# particles of a saying verb between it and its speaker: "chipped in Van Jones", "piped up a neighbour"
_SAYING_PARTICLES = {"in", "up", "back", "out", "on"}


def _cue(verb: Token) -> Range:
    """The verb with its auxiliaries, negation and adverbs right before it ("has not officially confirmed")."""
    start = verb.i
    lefts = sorted((c for c in verb.lefts if c.dep_ in CUE_PREFIX_DEPS), key=lambda c: -c.i)
    for child in lefts:
        if child.i == start - 1:
            start = child.i
    return start, verb.i + 1


def _finite_clause(verb: Token) -> bool:
    """Whether ``verb`` heads a clause of its own: a subject, and no participle or infinitive ("masks cut ...", not
    "the man lying ..."; the tagger's tense of a bare "cut" or "reduce" is unreliable)."""
    return (any(c.dep_ in SUBJECTS for c in verb.children) and verb.tag_ != "VBG"
            and not any(c.tag_ == "TO" for c in verb.children))


def _line_start(doc: Doc, llo: int) -> int:
    """The first token of a line that is no quote mark or space (a paragraph may open inside a quotation)."""
    while llo < len(doc) - 1 and (doc[llo].is_space or doc[llo].is_quote):
        llo += 1
    return llo


def _closing_question(doc: Doc, start: int) -> Range | None:
    """"“Did it include the $6 million ...?” Bush aide Tim Miller wrote on Twitter": a quotation that ends on a question
    or exclamation mark, alone on its line before the sentence at ``start``, which the parser ends there (a
    capitalised speaker after it opens a new sentence); its tokens, marks included."""
    close = start - 1
    while close > 0 and doc[close].is_space:
        close -= 1
    if close < 2 or not doc[close].is_quote or doc[close - 1].text not in {"?", "!"}:
        return None
    opening = close - 1
    while opening >= 0 and not doc[opening].is_quote and "\n" not in doc[opening].text:
        opening -= 1
    if opening < 0 or not doc[opening].is_quote or not _quotation(doc, opening, close + 1):
        return None
    if opening > 0 and not (doc[opening - 1].is_space or "\n" in doc[opening - 1].text
                            or doc[opening - 1].text in {".", "!", "?"}):
        return None  # the quotation does not open its sentence
    return opening, close + 1


def _puts_it(verb: Token) -> bool:
    """"As Wilson puts it, ...", "The deal, as one analyst put it, is ...": "put it" in an "as" clause is a way of
    saying (not "as he put it away")."""
    return (verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
            and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)
            and all(c.dep_ in {"mark", "nsubj", "dobj", "punct", "advmod"} and c.lower_ not in PARTICLES
                    for c in verb.children))


# adverbs that make "put it" a placing, not a saying
PARTICLES = {"away", "down", "back", "off", "on", "out", "up", "aside", "there", "here", "in"}


def _has_clause(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``[start, end)`` hold a verb with its subject ("At least 180 people were arrested")."""
    return any(t.dep_ in SUBJECTS and start <= t.head.i < end and t.head.pos_ in {"VERB", "AUX"}
               for t in doc[start:end])


def _quotation(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``[start, end)`` are one quotation, marks and glue trimmed ("“Only after,” West assured Trump")."""
    span = _trim(doc, start, end)
    return (span is not None and span[1] - span[0] > 2 and doc[span[0]].is_quote and doc[span[1] - 1].is_quote
            and not any(t.is_quote for t in doc[span[0] + 1:span[1] - 1]))


_CANDIDATES_KEY = "sourcetrace.pattern_candidates"
# the words that start a pattern whatever their POS (``SyntacticAttributions._kind``); otherwise only verbs and nouns do
_PATTERN_WORDS = {"according", "for", *HEDGE_ADVERBS}


def pattern_candidates(doc: Doc) -> tuple[list[int], list[tuple[int, int, int]]]:
    """The tokens that may start a pattern of ``SyntacticAttributions.sentence``, in order, with their (LOWER, LEMMA,
    POS) string ids, picked once per document from the token columns (about a third of the tokens)."""
    found = doc.user_data.get(_CANDIDATES_KEY)
    if found is None:
        picked = numpy.flatnonzero(column_in(doc, T_POS, ("VERB", "NOUN")) | column_in(doc, T_LOWER, _PATTERN_WORDS))
        keys = token_array(doc)[picked][:, [T_LOWER, T_LEMMA, T_POS]].tolist()
        found = doc.user_data[_CANDIDATES_KEY] = (picked.tolist(), [(a, b, c) for a, b, c in keys])
    return found


class SyntacticAttributions:
    """The patterns of the module docstring over one sentence of a parsed ``Doc``."""

    def __init__(self, lexicons: Lexicons):
        # beliefs ("I think", "believes") are attributions in PolNeAR only now and then: left to the CRF
        self.verbs = set(lexicons.words("speech_verbs")) - MENTAL_VERBS
        self.nouns = lexicons.words("speech_nouns")
        self.documents = lexicons.words("source_nouns_document")
        # who can hold a view ("for the concurring judge, ..."): people and groups
        self.speakers = lexicons.words("source_nouns_person") | lexicons.words("source_nouns_group")
        # words that make a label in capitals someone's ("REPORTER:", "AMY GOODMAN:"), not a rubric's ("MARKETS:")
        self.person_words = (lexicons.words("source_nouns_person") | lexicons.words("first_names_male")
                             | lexicons.words("first_names_female"))
        # who a relative "that"/"which" may speak for ("a think tank that has warned ...")
        self.bodies = (self.speakers | lexicons.words("source_nouns_organization")
                       | lexicons.words("source_nouns_government") | lexicons.words("source_nouns_media"))
        self._kinds: dict[tuple[int, int, int], str | None] = {}  # string ids -> pattern kind, across documents

    def sentence(self, doc: Doc, lo: int, hi: int, quote_id: list[int] | None = None) -> list[Relation]:
        """``quote_id[i] >= 0`` marks token ``i`` inside a quotation: a speaker quoted by another is skipped."""
        out: list[Relation] = []
        candidates, keys = pattern_candidates(doc)
        for k in range(bisect.bisect_left(candidates, lo), bisect.bisect_left(candidates, hi)):
            i, key = candidates[k], keys[k]
            # which pattern a token can start, from its string ids (most tokens start none: no Token built)
            kind = self._kinds.get(key, "")
            if kind == "":
                kind = self._kinds[key] = self._kind(doc.vocab.strings, key)
            if kind is None:
                continue
            tok = doc[i]
            if quote_id is not None and quote_id[i] >= 0:
                # inside a quotation only the quoted text's own closing attribution ("“..., people close to them
                # said.”"): a layer of its own whoever quotes it
                rel = self._quoted_attribution(doc, tok, quote_id) if kind == "verb" else None
                if rel is not None:
                    out.append(rel)
                continue
            if kind == "according":
                if not (i + 1 < hi and doc[i + 1].lower_ == "to"):
                    continue
                rel = self._according_to(doc, lo, hi, tok, doc[i + 1])
            elif kind == "verb":
                rel = self._speech_verb(doc, lo, hi, tok)
            elif kind == "put":
                rel = self._speech_verb(doc, lo, hi, tok) if _puts_it(tok) else None
            elif kind == "belief":
                rel = self._speech_verb(doc, lo, hi, tok) if _states_a_belief(tok) else None
            elif kind == "finding":
                rel = self._finding(doc, lo, hi, tok) or self._document_participle(doc, lo, hi, tok)
            elif kind == "estimate":
                subj = next((c for c in tok.lefts if c.dep_ == "nsubj"), None)
                if subj is None and tok.dep_ == "acl":  # "a report suggesting that ..."
                    rel = self._document_participle(doc, lo, hi, tok)
                elif subj is not None and self._relative_document(tok, subj):
                    rel = self._finding(doc, lo, hi, tok)
                elif subj is None and is_for_gerund(tok):  # "was criticized for suggesting that ..."
                    sayer = for_gerund_sayer(tok, self.speakers)
                    rel = self._for_gerund(doc, lo, hi, tok, sayer) if sayer is not None else None
                else:
                    rel = None
            elif kind == "noun":
                rel = self._speech_noun(doc, lo, hi, tok)
            elif kind == "viewpoint":
                rel = self._viewpoint(doc, lo, hi, tok, quote_id) if quote_id is not None else None
            else:
                content = hedged_clause(doc, lo, hi, tok)
                rel = ((i, i + 1), None, [content]) if content else None
            if rel is None and kind in {"verb", "finding", "estimate"}:
                rel = self._misparsed_relative(doc, lo, hi, tok)
            if rel is not None:
                out.append(rel)
        asked = _closing_question(doc, lo) if quote_id is not None else None
        if asked is not None and quote_id is not None:  # "“...?” Okafor asked.": the parse ends a sentence at "?"
            edge = self._verb_after_quotation(doc, lo, hi, quote_id, lo, asked[0])
            if edge is not None and not any(rel[0] == edge[0] for rel in out):
                out.append(edge)
        if quote_id is not None and hi > lo and max(quote_id[lo:hi]) >= 0:
            # a quotation's edges: any verb right before or after a whole quotation may introduce it
            for j in range(max(lo, 2), hi):
                edge = None
                if quote_id[j] >= 0 and quote_id[j - 1] < 0 and doc[j - 1].text in {",", ":"}:
                    edge = self._verb_before_quotation(doc, lo, hi, quote_id, j)
                elif quote_id[j - 1] >= 0 and quote_id[j] < 0:
                    edge = self._verb_after_quotation(doc, lo, hi, quote_id, j)
                if edge is not None:
                    out.append(edge)
        return out

    def _verb_before_quotation(self, doc: Doc, lo: int, hi: int, quote_id: list[int], opening: int) -> Relation | None:
        """"The New York Times similarly gushed, “Flashing a smile ...”", "HuffPost pondered, “How much ...?”": a finite
        verb with a subject, no object and nothing between it and the comma or colon but its adverbs, introduces the
        quotation that ends its sentence, whatever the verb (a speech verb of the lexicon is read as such anyway)."""
        verb = doc[opening - 2]
        if verb.pos_ == "ADV" and verb.dep_ == "advmod":
            verb = verb.head  # "... gushed again, “...”"
        if verb.pos_ != "VERB" or verb.tag_ not in FINITE_TAGS or verb.lemma_.lower() in self.verbs:
            return None
        if any(c.dep_ in {"dobj", "ccomp", "xcomp", "auxpass", "attr", "acomp", "dative"} and c.i < opening
               for c in verb.children):
            return None
        if any(t.pos_ in {"VERB", "AUX"} and t.i != verb.i for t in doc[verb.i + 1:opening - 1]):
            return None
        subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        if (subj is None or subj.lower_ in NON_SOURCES | PERSONAL or subj.tag_ in {"WDT", "WP"}
                or not llo <= subj.i < lhi or not llo <= opening < lhi):
            return None
        end = opening
        while end < lhi and quote_id[end] == quote_id[opening]:
            end += 1
        if any(not (t.is_punct or t.is_space) for t in doc[end:lhi]) or end - opening < 5:
            return None  # the quotation does not end the sentence, or is a word or two
        source = _trim(doc, *_speaker_phrase(subj))
        content = _trim(doc, opening, end)
        return (_cue(verb), source, [content]) if source and content else None

    def _verb_after_quotation(self, doc: Doc, lo: int, hi: int, quote_id: list[int], after: int,
                              opening: int | None = None) -> Relation | None:
        """"“This is the best day of my life,” she gushed.": a quotation that opens its sentence and closes on a comma,
        then a subject and a finite verb with nothing after it but adverbs and time or place: the subject's words,
        whatever the verb (the tagger reads those of the speech-verb lexicon)."""
        llo, lhi = line_bounds(doc, lo, hi, after)
        if opening is not None:  # a question before the sentence (``_closing_question``)
            start = opening
        else:
            start = after - 1
            while start > llo and quote_id[start - 1] == quote_id[after - 1]:
                start -= 1
            if start > _line_start(doc, llo) or not any(t.text == "," for t in doc[max(start, after - 2):after]):
                return None
        inverted = self._any_verb_then_speaker(doc, start, after, lhi)
        if inverted is not None:
            return inverted
        verb = next((t for t in doc[after:lhi] if t.pos_ in {"VERB", "AUX"}), None)
        if (verb is None or verb.pos_ != "VERB" or verb.tag_ not in FINITE_TAGS
                or verb.lemma_.lower() in self.verbs):
            return None
        # (the parser may give the verb a subject inside the quotation too)
        subj = next((c for c in verb.lefts if c.dep_ == "nsubj" and c.left_edge.i == after), None)
        if (subj is None or subj.right_edge.i != verb.i - 1
                or subj.lower_ in NON_SOURCES | PERSONAL or subj.tag_ in {"WDT", "WP"}):
            return None
        # the quotation's own words may hang on the verb anyhow; after the subject only adverbs, time and place, and
        # the one spoken to ("“Who is he?” Trump chided Bredesen.", "the president prodded the crowd")
        if any(c.i >= after and c.dep_ not in {"advmod", "npadvmod", "prep", "punct", "nsubj", "aux", "neg", "prt"}
               and not (c.dep_ == "dobj" and c.i > verb.i and self._addressed(c))
               for c in verb.children):  # ("Lee followed up.": a particle too)
            return None
        if any(t.pos_ in {"VERB", "AUX"} for t in doc[verb.i + 1:lhi]):
            return None
        source = _trim(doc, *_speaker_phrase(subj))
        content = _trim(doc, start, after)
        if content is None or content[1] - content[0] < 4:
            return None
        return (_cue(verb), source, [content]) if source else None

    def _addressed(self, obj: Token) -> bool:
        """Whether a verb's object is someone spoken to: a name, a personal pronoun, a person or group noun."""
        return (obj.pos_ == "PROPN" and obj.ent_type_ in {"PERSON", "ORG", "NORP", "GPE", ""}
                or obj.lower_ in OBJECT_PERSONS or obj.pos_ == "NOUN" and obj.lemma_.lower() in self.speakers)

    def _any_verb_then_speaker(self, doc: Doc, start: int, after: int, lhi: int) -> Relation | None:
        """"“There will be Democrats offended,” intoned Jake Tapper.", "“...,” chipped in Van Jones.": the inverted
        order of ``_verb_after_quotation``: a past or present verb of any kind right after the quotation (maybe with
        its particle), then a name or a person noun that ends the sentence. The speech-verb lexicon's verbs are read
        by ``_inverted_after_quotation``; a participle ("“The Crown,” starring Claire Foy, ...") or a verb with
        more after its subject is no saying."""
        if after >= lhi:
            return None
        verb = doc[after]
        if verb.pos_ != "VERB" or verb.tag_ not in {"VBD", "VBZ", "VBN"} or verb.lemma_.lower() in self.verbs:
            return None
        first = after + 1
        if first < lhi and doc[first].lower_ in _SAYING_PARTICLES:  # "chipped in", "piped up", "shot back"
            first += 1
        end = first
        while end < lhi and not (doc[end].is_punct or doc[end].is_space):
            end += 1
        words = doc[first:end]
        if not 1 <= len(words) <= 5 or any(not (t.is_punct or t.is_space) for t in doc[end:lhi]) or words[0].lower_ == "by":
            return None
        if not (all(t.pos_ == "PROPN" for t in words)
                or words[0].lower_ in {"the", "a", "an", "one"} and words[-1].lemma_.lower() in self.speakers):
            return None
        content = _trim(doc, start, after)
        if content is None or content[1] - content[0] < 4:
            return None
        return (verb.i, first), (first, end), [content]

    def _kind(self, strings, key: tuple[int, int, int]) -> str | None:
        # a token of any other POS and word starts no pattern: see ``pattern_candidates``
        lower, lemma, pos = (strings[k] for k in key)
        if lower == "according":
            return "according"
        if pos == "VERB" and lemma.lower() in self.verbs:
            return "verb"
        if pos == "VERB" and lemma.lower() in FINDING_VERBS:
            return "finding"
        if pos == "VERB" and lemma.lower() in DOCUMENT_ESTIMATES:
            return "estimate"
        if pos == "VERB" and lemma.lower() == "put":
            return "put"
        if pos == "VERB" and lemma.lower() in BELIEF_VERBS:
            return "belief"
        if pos == "NOUN" and (lemma.lower() in self.nouns or lemma.lower() in COPULA_SPEECH_NOUNS):
            return "noun"
        if lower == "for" and pos == "ADP":
            return "viewpoint"
        return "hedge" if lower in HEDGE_ADVERBS else None

    def _speech_verb(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        if verb.dep_ == "acl" and verb.head.i == verb.i - 1:
            return self._trailing_acl(doc, lo, hi, verb) or self._document_participle(doc, lo, hi, verb)
        inverted = self._inverted_after_quotation(doc, lo, hi, verb)
        if inverted is not None:
            return inverted
        # the parser may give the verb the clause's subject too ("Hackers ... should be prosecuted, he said, but ..."):
        # the speaker is the subject nearest it
        subj = next((c for c in reversed(list(verb.lefts)) if c.dep_ == "nsubj"), None)
        if subj is None:
            return (self._passive_agent(doc, lo, hi, verb) or self._shared_subject_clause(doc, lo, hi, verb)
                    or self._quoted_as_saying(doc, lo, hi, verb))
        # "Paul Krugman, who wondered on Twitter whether ...": the relative pronoun of a person is the source (both
        # PolNeAR and the modern-news guide mark it; the speakers stage resolves it to its antecedent)
        relative_speaker = self._relative_speaker(verb, subj)
        document = self._relative_document(verb, subj)
        if (subj.lower_ in NON_SOURCES or subj.lower_ in PERSONAL or subj.tag_ in {"WDT", "WP"}) and not (
                relative_speaker or document is not None):
            return None
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        if not (llo <= subj.i < lhi):
            return None
        source = _trim(doc, *_speaker_phrase(subj)) if document is None else document
        if document is not None:
            relative_speaker = True  # its clause is read below as any speaker's
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
            if content is None:
                return None
            return cue, source, [content] + self._further_that_clauses(doc, verb, content[1], lhi)
        displaced = self._displaced_clause(doc, verb, lhi) if not comps else None
        if displaced is not None:
            return cue, source, [displaced]
        shared = self._shared_object(doc, verb, lhi) if not comps else None
        if shared is not None:
            return cue, source, [shared]
        if verb.dep_ in {"parataxis", "advcl"} and not comps:
            pieces = self._interrupted(doc, llo, lhi, verb)
            if verb.lemma_.lower() == "put" and any(t.is_quote for a, b in pieces for t in doc[a:b]):
                # "as X put it" names the wording quoted next to it, the rest is the writer's ("If this is what the
                # U.S. sees as “the trajectory ...,” as Pompeo put it, then maybe ...")
                pieces = [(a, b) for a, b in pieces if any(t.is_quote for t in doc[a:b])]
            if pieces:
                return cue, source, pieces
        if verb.dep_ == "ROOT" and not comps and source[0] == _line_start(doc, llo) and not any(
                c.dep_ in {"ccomp", "xcomp"} for c in verb.children):
            asked = _closing_question(doc, llo)
            if asked is not None:
                return cue, source, [asked]
        # the speaker after the content: "<content>, SOURCE said/told X/noted." (the parser may hang a first clause
        # that opens the paragraph on the sentence before it: a clause with its subject there is the content too)
        # (the parser may also take a closing "..., analysts caution." for a complement of the clause before it)
        closing = verb.dep_ == "ccomp" and verb.head.i < source[0] and all(t.is_punct for t in doc[verb.i + 1:lhi])
        trailing = (verb.dep_ == "ROOT" and (before or _has_clause(doc, llo, source[0]) or _quotation(doc, llo, source[0]))
                    or (verb.dep_ == "conj" and verb.head.i < source[0])
                    or closing and _has_clause(doc, llo, source[0]))
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
        # a participle with no subject of its own ("..., they screamed, forgetting that ...") is the writer's remark on
        # the speaker, not more of what was said
        remark = all(c.dep_ == "advcl" and c.tag_ in {"VBG", "VBN"} and not any(d.dep_ in SUBJECTS for d in c.children)
                     for c in tail)
        rest = _trim(doc, verb.i + 2, lhi) if tail and not remark and self._said_on(doc, verb.i + 2, lhi) else None
        if rest is not None and doc[rest[0]].dep_ == "cc":  # ", and they supported ...": the conjunction is glue
            rest = _trim(doc, rest[0] + 1, rest[1])
        if rest is not None and doc[rest[1] - 1].text in {".", "!", "?"}:
            rest = (rest[0], rest[1] - 1) if rest[1] - 1 > rest[0] else None
        return (cue, source, [content, rest] if rest else [content])

    def _viewpoint(self, doc: Doc, lo: int, hi: int, prep: Token, quote_id: list[int]) -> Relation | None:
        """"Ripeness means, for the concurring judge, “taking advantage of ...” in order to correct “statutory
        obsolescence”": a person set off by commas with "for" is whose words the sentence's quotations are, when no
        speech verb there has a speaker of its own."""
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if prep.dep_ != "prep" or pobj is None or not (
                pobj.ent_type_ in {"PERSON", "ORG", "NORP"} or pobj.lemma_.lower() in self.speakers):
            return None
        llo, lhi = line_bounds(doc, lo, hi, prep.i)
        end = pobj.right_edge.i + 1
        if not ((prep.i == llo or doc[prep.i - 1].text == ",") and end < lhi and doc[end].text == ","):
            return None
        if any(t.lemma_.lower() in self.verbs and t.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in t.children)
               for t in doc[llo:lhi] if quote_id[t.i] < 0):
            return None
        pieces: list[Range] = []
        # the quotations of the clause the phrase opens, up to a colon or semicolon ("For the Iranians, it's no
        # mystery: ... could be “snapped back”": the writer's own after the colon)
        stop = next((t.i for t in doc[end:lhi] if t.text in {":", ";"} and quote_id[t.i] < 0), lhi)
        i = llo
        while i < stop:
            if quote_id[i] < 0 or doc[i].is_space:
                i += 1
                continue
            j = i
            while j < lhi and quote_id[j] == quote_id[i]:
                j += 1
            if j > stop:
                break
            if i >= end and doc[i].is_quote:  # a quotation opened after the speaker, marks and all
                pieces.append((i, j))
            i = j
        source = _trim(doc, *_phrase(pobj))
        return ((prep.i, prep.i + 1), source, pieces) if pieces and source else None

    @staticmethod
    def _further_that_clauses(doc: Doc, verb: Token, after: int, lhi: int) -> list[Range]:
        """"The officials said Obama had no timeline, but that he still would act before the end of the year": a
        second "that" clause the parser coordinates with the speech verb itself (its subject its own) is said too."""
        out = []
        for conj in verb.rights:
            if not (conj.dep_ == "conj" and after <= conj.i < lhi and conj.pos_ in {"VERB", "AUX"}
                    and conj.left_edge.lower_ == "that" and conj.left_edge.dep_ == "mark"
                    and any(c.dep_ in SUBJECTS for c in conj.children)):
                continue
            piece = _trim(doc, conj.left_edge.i, min(conj.right_edge.i + 1, lhi))
            if piece is not None:
                out.append(piece)
        return out

    def _shared_object(self, doc: Doc, verb: Token, lhi: int) -> Range | None:
        """"The majority acknowledged but disregarded the fact that Congress ...", "The minority acknowledged, and
        clearly welcomed, the “striking cultural change”": a speech verb with no object of its own, coordinated with a
        verb after it, says that verb's object when the object holds a statement (a "that" clause or a quotation)."""
        if any(c.dep_ in {"dobj", "ccomp", "xcomp", "prep"} for c in verb.rights):
            return None
        conj = next((c for c in verb.rights if c.dep_ == "conj" and c.pos_ == "VERB"
                     and not any(g.dep_ in SUBJECTS for g in c.children)), None)
        obj = next((c for c in conj.rights if c.dep_ == "dobj"), None) if conj is not None else None
        if obj is None or obj.i >= lhi:
            return None
        words = doc[obj.left_edge.i:min(obj.right_edge.i + 1, lhi)]
        if not (any(t.is_quote for t in words) or any(
                c.dep_ in NOUN_CLAUSE_DEPS and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                for c in obj.rights)):
            return None
        return _trim(doc, words.start, words.end)

    def _displaced_clause(self, doc: Doc, verb: Token, lhi: int) -> Range | None:
        """"Democrats said in April, when the president first proposed withholding money, that it would be illegal": the
        parser hangs the "that" clause after the aside's closing comma on the aside's verb; a speech verb with no
        complement of its own says it (not when the aside's verb is a saying or knowing verb itself)."""
        if any(c.dep_ in {"ccomp", "xcomp", "dobj"} for c in verb.children):
            return None
        for adjunct in verb.rights:
            if adjunct.dep_ not in {"prep", "advcl", "npadvmod", "advmod"}:
                continue
            for t in adjunct.subtree:
                first = t.left_edge
                if (t.dep_ == "ccomp" and t.i < lhi and first.dep_ == "mark" and first.lower_ == "that"
                        and first.head.i == t.i and doc[first.i - 1].text == "," and t.head.pos_ == "VERB"
                        and t.head.lemma_.lower() not in self.verbs | MENTAL_VERBS | FINDING_VERBS):
                    return _trim(doc, first.i, min(t.right_edge.i + 1, lhi))
        return None

    def _introduced_quote(self, doc: Doc, text: str, m: re.Match) -> Relation | None:
        """"More from the Post: “The president ... fret about whom they can trust, people close to them said.”": a
        quotation a line introduces with a name and a colon (no verb: "X said:" is the speech verb's, a label line of
        capitalised words a transcript turn's) is that name's."""
        from ..structure import POST_INLINE_SIGNATURE  # (structure reads this module's labels)

        line_end = text.find("\n", m.end())
        if POST_INLINE_SIGNATURE.search(text, m.start(), len(text) if line_end < 0 else line_end):
            return None  # an embedded post on one line: the layout stage reads it and the quote it carries
        if _LABEL_LINE.match(m.group(0)) and re.fullmatch(_LABEL_WORDS, m.group("intro")):
            return None
        intro = _token_range(doc, m.start("intro"), m.end("intro"))
        colon = doc.char_span(m.start("colon"), m.end("colon"), alignment_mode="expand")
        content = _token_range(doc, m.start("content"), m.end("content"))
        source = _introduced_quote_source(doc, intro) if intro is not None else None
        if source is None or colon is None or content is None:
            return None
        return (colon.start, colon.end), source, [content]

    def _interrupted(self, doc: Doc, llo: int, lhi: int, verb: Token) -> list[Range]:
        """"— which is why, Groshen said, it's so important ...", "“Billionaire whining ...,” as Ilyana Kuziemko told
        me, mostly isn't newsworthy": a speech verb set off by commas inside the clause it hangs on (the parser's
        parataxis, or an "as" clause) says that clause, in the pieces around it: the one before starts after a dash,
        semicolon or colon, and a piece with no verb and no quotation ("For one thing, she said, ...") is glue."""
        head = verb.head
        if head.i == verb.i or head.pos_ not in {"VERB", "AUX"} or any(
                c.dep_ in {"ccomp", "xcomp", "dobj"} and c.pos_ not in {"PRON", "PROPN"} for c in verb.children):
            return []
        as_clause = any(c.dep_ == "mark" and c.lower_ == "as" and c.i == verb.left_edge.i for c in verb.children)
        if verb.dep_ == "advcl" and not as_clause:
            return []
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_MODALS for c in verb.children):
            return []  # "as Mr. Serling might say, ...": what someone would say, no statement
        aside = (verb.left_edge.i, verb.right_edge.i + 1)
        while aside[0] < aside[1] - 1 and doc[aside[0]].is_punct:
            aside = (aside[0] + 1, aside[1])
        while aside[1] > aside[0] + 1 and doc[aside[1] - 1].is_punct:
            aside = (aside[0], aside[1] - 1)
        # set off by commas ("“...,” as she told me, ..." has its comma inside the quotation), or an "as" clause that
        # opens its line ("As George Orwell wrote, the word ... is used ..."): not one of telling when, a saying in
        # progress or a verb of speaking that takes no words ("As he was speaking, ...", "As she testified, ...")
        opened = aside[0] > llo and (doc[aside[0] - 1].text == "," or doc[aside[0] - 1].is_quote
                                     and aside[0] - 1 > llo and doc[aside[0] - 2].text == ",")
        opened = opened or (as_clause and aside[0] == _line_start(doc, llo) and verb.tag_ != "VBG"
                            and verb.lemma_.lower() not in AS_CLAUSE_NON_SAYINGS)
        if not (opened and aside[1] < lhi and doc[aside[1]].text == ","):
            return []
        clause = head
        while clause.dep_ in {"csubj", "nsubj"} and clause.head.i != clause.i:
            clause = clause.head  # "“Billionaire whining ...,” as she told me, mostly isn't newsworthy"
        start = max(llo, clause.left_edge.i)
        for j in range(aside[0] - 1, start, -1):
            if doc[j].text in {"—", "–", ";", ":"} and not doc[j].is_quote:
                start = j + 1
                break
        end = min(lhi, clause.right_edge.i + 1)
        pieces = [_trim(doc, start, aside[0]), _trim(doc, aside[1], end)]
        out = []
        for piece in pieces:
            if piece is None:
                continue
            while piece[1] - piece[0] > 1 and doc[piece[1] - 1].text in {".", "!", "?"}:
                piece = (piece[0], piece[1] - 1)
            if any(t.is_quote or t.pos_ in {"VERB", "AUX"} for t in doc[piece[0]:piece[1]]):
                out.append(piece)
        return out

    def _quoted_attribution(self, doc: Doc, verb: Token, quote_id: list[int]) -> Relation | None:
        """"More from the Post: “The president ... fret about whom they can trust, people close to them said.”": a
        quotation that ends with its own "SOURCE said" is that source's (the outer quote is whoever quotes it, a
        record of its own); the content runs from the quotation's opening to the comma before the speaker. A pronoun
        or first-person speaker stays with the quoted text, a verb with an object or clause of its own is no such
        closing."""
        subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
        if (subj is None or subj.pos_ == "PRON" or subj.lower_ in NON_SOURCES | PERSONAL or subj.tag_ in {"WDT", "WP"}
                or verb.dep_ not in {"ROOT", "parataxis"} or any(not c.is_punct for c in verb.rights)):
            return None
        quote = quote_id[verb.i]
        end = verb.i + 1
        while end < len(doc) and quote_id[end] == quote and doc[end].is_punct:
            end += 1
        if end < len(doc) and quote_id[end] == quote:
            return None  # words after the verb inside the quotation: the speaker is not closing it
        start = verb.i
        while start > 0 and quote_id[start - 1] == quote:
            start -= 1
        source = _trim(doc, *_phrase(subj))
        if source is None or source[0] <= start + 1 or doc[source[0] - 1].text != ",":
            return None
        content = _trim(doc, start + 1, source[0])
        if content is None or not _has_clause(doc, *content):
            return None
        return _cue(verb), source, [content]

    def _said_on(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the words after "<content>, SOURCE said," go on with the content: not when they hold another
        speech verb with a clause of its own ("..., adding that ...": that is the next cue's) or a quotation."""
        return not any(t.is_quote or t.pos_ == "VERB" and t.lemma_.lower() in self.verbs
                       and any(c.dep_ in {"ccomp", "xcomp"} for c in t.children) for t in doc[start:end])

    def _relative_speaker(self, verb: Token, subj: Token) -> bool:
        """"Paul Krugman, who wondered ...", "a think tank that has warned ...", "the ACLU, which said ...": a
        relative pronoun as the subject of the clause on a person, group or organisation speaks for it (the pronoun
        is the source; the speakers stage resolves it to its antecedent)."""
        if verb.dep_ != "relcl" or not subj.i < verb.i:
            return False
        if subj.lower_ == "who":
            return True
        noun = verb.head
        return subj.lower_ in {"that", "which"} and (
            noun.pos_ == "PROPN" and noun.ent_type_ in {"ORG", "NORP", "GPE"}
            or noun.pos_ == "NOUN" and noun.lemma_.lower() in self.bodies)

    def _relative_document(self, verb: Token, subj: Token) -> Range | None:
        """"co-author of a recent study that estimated the virus could ...", "a lawsuit, which alleges ...": a
        relative "that"/"which" as the subject of a speech or finding verb stands for a study, report, poll or filing
        named right before it; its phrase (without the clause) is the source. ``None`` for any other antecedent."""
        noun = verb.head
        if (verb.dep_ != "relcl" or subj.lower_ not in {"that", "which"} or noun.pos_ != "NOUN"
                or noun.lemma_.lower() not in self.documents or not subj.i < verb.i):
            return None
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_MODALS | {"will", "should", "must"} for c in verb.children):
            return None  # "a decision that would directly state ...": a document still to come says nothing yet
        if any(c.dep_ == "neg" for c in verb.children):
            return None  # "surveys that do not note that ...": the writer's point about them
        if noun.dep_ == "pobj" and noun.head.lower_ in {"in", "through", "via", "with"}:
            return None  # "FIFA in a statement which noted that ...": the statement is how its issuer spoke
        return _trim(verb.doc, *_phrase(noun))

    def _misparsed_relative(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"a recent study that estimated coronavirus could hospitalize ...": the same relative clause where the parser
        took "that" for a clause's marker and the verb for an adjective or a participle (the clause after it then
        hangs on the noun): right after a document noun and "that"/"which", a verb with no subject of its own says
        the clause that follows it, up to the end of the noun's phrase."""
        i = verb.i
        if i - 2 < lo or doc[i - 1].lower_ not in {"that", "which"} or doc[i - 1].dep_ in SUBJECTS:
            return None
        noun = doc[i - 2]
        if (noun.pos_ != "NOUN" or noun.lemma_.lower() not in self.documents or verb.tag_ not in {"VBD", "VBZ", "VBN"}
                or any(c.dep_ in SUBJECTS for c in verb.children)
                or noun.dep_ == "pobj" and noun.head.lower_ in {"in", "through", "via", "with"}):
            return None
        llo, lhi = line_bounds(doc, lo, hi, i)
        end = min(max(noun.right_edge.i, verb.right_edge.i) + 1, lhi)
        start = i + 2 if i + 1 < end and doc[i + 1].lower_ == "that" else i + 1
        if not llo <= noun.i or not _has_clause(doc, start, end):
            return None
        content = _trim(doc, start, end)
        source = _trim(doc, *_phrase(noun))
        return ((i, i + 1), source, [content]) if content and source else None

    def _finding(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"The Seventh Circuit held, in effect, that Congress ...": a finding verb with its subject and a "that"
        clause after it."""
        subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
        relative = self._relative_document(verb, subj) if subj is not None else None
        if subj is None or (subj.lower_ in NON_SOURCES | PERSONAL or subj.tag_ in {"WDT", "WP"}) and relative is None \
                and not self._relative_speaker(verb, subj):
            return None
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        # a study, poll or record finds or shows a clause without "that" too ("A study found masks cut transmission"),
        # where a person's "found" may be a discovery ("found the body floating")
        document = relative is not None or subj.lemma_.lower() in self.documents
        clause = next((c for c in verb.rights if c.dep_ == "ccomp" and c.i < lhi and (any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children) or document and _finite_clause(c))), None)
        source = relative or _trim(doc, *_phrase(subj)) if llo <= subj.i < lhi else None
        if clause is None and source is not None and verb.lemma_.lower() in {"find", "show"} and (
                (verb.head if relative is not None else subj).lemma_.lower() in COUNTING_DOCUMENTS):
            # "The surveys found similar results", "State records show only about 8,000 living centenarians", "A poll
            # showed 55% of voters disapproved ...": what a count or a study finds is its finding, clause or not
            obj = next((c for c in verb.rights if c.dep_ == "dobj" and c.i < lhi), None)
            if obj is None or obj.pos_ not in {"NOUN", "PROPN", "NUM"} or obj.lemma_.lower() in {"way", "time"}:
                return None
            end = min(obj.right_edge.i + 1, lhi)
            if end < lhi and doc[end].tag_ in {"VBP", "VBZ", "VBD", "MD"}:
                # "polls that show [the majority of the country] is now in line ...", "numbers that showed 45% of
                # Americans would blame ...": the object is the subject of a clause the parser broke off; the clause
                # runs to the end of the sentence
                end = min(verb.sent.end, lhi)
            elif verb.dep_ == "ccomp" and verb.head.i > verb.i or any(
                    c.i > obj.i and c.pos_ in {"VERB", "AUX"} and not any(d.dep_ in SUBJECTS for d in c.children)
                    for c in verb.rights):
                # "statistics that show [illegal immigration] there is at a 20-year low", "A poll showed [voters]
                # across party lines ... agree ...": the clause's verb hangs elsewhere
                return None
            content = _trim(doc, obj.left_edge.i, end)
            if content is not None and doc[content[1] - 1].text in {".", "!", "?"}:
                content = (content[0], content[1] - 1)
            return (_cue(verb), source, [content]) if content else None
        if clause is None or source is None:
            return None
        if relative is not None and any(c.dep_ in {"dobj", "dative"} and c.i < clause.i for c in verb.children):
            return None  # "videos that purportedly show UFOs [The Navy videos have ...]": a headline run into the text
        content = _trim(doc, clause.left_edge.i, min(clause.right_edge.i + 1, lhi))
        return (_cue(verb), source, [content]) if content else None

    def _inverted_after_quotation(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"“Not us!” shouted a woman near the back": a speech verb right after a quotation, its speaker after it (the
        parser takes the speaker for the object, and a word of the quotation for the subject): the speaker says the
        quotation. The speaker is a person or group noun, or a name."""
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        if verb.i - 2 < llo or not doc[verb.i - 1].is_quote or any(
                c.dep_ == "nsubj" and c.i > verb.i for c in verb.children):
            return None
        opening = next((j for j in range(verb.i - 2, llo - 1, -1) if doc[j].is_quote), None)
        if opening is None or not _quotation(doc, opening, verb.i):
            return None
        speaker = next((c for c in verb.rights if c.dep_ in {"dobj", "attr", "npadvmod"}), None)
        if speaker is None or speaker.left_edge.i != verb.i + 1 or not (
                speaker.pos_ == "PROPN" or speaker.ent_type_ in {"PERSON", "ORG", "NORP"}
                or speaker.lemma_.lower() in self.speakers):
            return None
        source = _trim(doc, *_speaker_phrase(speaker))
        content = _trim(doc, opening, verb.i)
        return (_cue(verb), source, [content]) if source and content else None

    def _shared_subject_clause(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"Mueller left the club in 2011 but has denied there was any dispute": a coordinated speech verb without a
        subject of its own speaks for the first verb's subject; the content is its clause after it. So does a
        participle hanging on the clause ("The judge fired back, saying Mr. Sessions seemed ..."), and an infinitive
        that goes on with the subject's saying ("McEnany went on to say the president ...", see ``_continued_saying``)."""
        participle = verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.i < verb.i
        # "Rubio sided with Republicans in saying the bill ...", "After saying he would resign, ...": a gerund after a
        # preposition of manner or time ("without saying" says nothing)
        participle = participle or (verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep"
                                    and verb.head.lower_ in GERUND_PREPOSITIONS - {"without"})
        if is_for_gerund(verb):
            sayer = for_gerund_sayer(verb, self.speakers)
            return self._for_gerund(doc, lo, hi, verb, sayer) if sayer is not None else None
        ranked = ranked_sayer(verb)
        if (verb.dep_ != "conj" and not participle and not _continued_saying(verb) and not _purpose_saying(verb)
                and ranked is None or any(c.dep_ == "auxpass" for c in verb.children)):
            return None
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        if ranked is not None and ranked.lower_ not in SHARED_NON_SOURCES:
            source = _trim(doc, *_speaker_phrase(ranked))
        else:
            source = shared_subject(verb)
        clause = next((c for c in verb.rights if c.dep_ == "ccomp" and c.i < lhi), None)
        if source is None or clause is None or not llo <= source[0] < lhi:
            return None
        content = _trim(doc, clause.left_edge.i, min(clause.right_edge.i + 1, lhi))
        return (_cue(verb), source, [content]) if content else None

    def _for_gerund(self, doc: Doc, lo: int, hi: int, verb: Token, sayer: Token) -> Relation | None:
        """"Republicans slammed Pelosi for claiming the bill would ...", "Trump was criticized for suggesting that
        ...": what the gerund after "for" says (its clause, or "calling X Y"), said by ``for_gerund_sayer``."""
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        if not llo <= sayer.i < lhi:
            return None
        source = _trim(doc, *_speaker_phrase(sayer))
        if source is None:
            return None
        cue = _cue(verb)
        if verb.lemma_.lower() == "call":
            return self._call(doc, verb, cue, source)
        clause = next((c for c in verb.rights if c.dep_ == "ccomp" and c.i < lhi), None)
        if clause is None or clause.left_edge.lower_ in {"whose", "who", "whom", "which"}:
            return None  # "for telling her grandson [whose visa has expired], “...”": a relative clause misread
        content = _trim(doc, clause.left_edge.i, min(clause.right_edge.i + 1, lhi))
        return (cue, source, [content]) if content else None

    def _quoted_as_saying(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"“The talks must go on,” Xi was quoted as saying.", "He was quoted as saying that ...": the passive
        subject of "quoted as" says the clause after the speech verb, or the quotation before the subject."""
        prep = verb.head
        quoted = prep.head
        if not (verb.dep_ == "pcomp" and prep.lower_ == "as" and quoted.lemma_.lower() == "quote"
                and any(c.dep_ == "auxpass" for c in quoted.children)):
            return None
        subj = next((c for c in quoted.children if c.dep_ == "nsubjpass"), None)
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        if subj is None or subj.lower_ in NON_SOURCES or not llo <= subj.i < lhi:
            return None
        source = _trim(doc, *_speaker_phrase(subj))
        if source is None:
            return None
        clause = next((c for c in verb.rights if c.dep_ == "ccomp" and c.i < lhi), None)
        if clause is not None:
            content = _trim(doc, clause.left_edge.i, min(clause.right_edge.i + 1, lhi))
        elif source[0] > llo + 1 and doc[source[0] - 1].text in {",", "”", "\""} and (
                _has_clause(doc, llo, source[0]) or _quotation(doc, llo, source[0])):
            content = _trim(doc, llo, source[0])
        else:
            return None
        return ((quoted.i, verb.i + 1), source, [content]) if content else None

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
        """"The governor's claim that the budget was balanced", "The governor's argument is that ...": the content is
        the "that" clause (with "that", as PolNeAR marks it); the source the possessor, or the agent of "by"/"from", if any. A relative
        clause ("the claim that he made") has "that" as its subject or object, not as its marker: no content."""
        llo, lhi = line_bounds(doc, lo, hi, noun.i)
        clause = next((c for c in noun.rights if c.dep_ in NOUN_CLAUSE_DEPS and c.i < lhi), None)
        if noun.lemma_.lower() not in self.nouns:  # a noun that says something only as a copula's subject
            clause = None
        copula = clause is None and noun.dep_ == "nsubj" and noun.head.lemma_ == "be"
        if copula:
            # "The governor's argument is that ...", "The media/Democrat message is that ...": the copula's clause
            clause = next((c for c in noun.head.rights if c.dep_ == "ccomp" and c.i < lhi), None)
        poss = next((c for c in noun.lefts if c.dep_ == "poss"), None)
        if clause is None and poss is not None and noun.lemma_.lower() in self.nouns:
            clause = _clause_after_time(doc, noun, lhi)
            if clause is not None:
                # "Beijing's announcement last week it plans to ...": a clause with no "that" starts at its subject
                start = clause.left_edge.i
                content = _trim(doc, start, min(clause.right_edge.i + 1, lhi))
                return ((noun.i, noun.i + 1), (poss.left_edge.i, poss.right_edge.i + 1), [content]) if content else None
        if clause is None:
            return None
        mark = next((c for c in clause.lefts if c.dep_ == "mark" and c.lower_ == "that"), None)
        if mark is None or mark.i != clause.left_edge.i:
            return None
        content = _trim(doc, mark.i, min(clause.right_edge.i + 1, lhi))
        source = None
        if poss is not None:
            source = (poss.left_edge.i, poss.right_edge.i + 1)
        else:
            prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in {"by", "from"} and c.i < mark.i), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if pobj is not None:
                source = _trim(doc, *_phrase(pobj))
            else:
                source = named_compound(noun)
        if source is None and noun.dep_ == "dobj" and noun.head.lemma_.lower() in LIGHT_SPEECH_VERBS:
            subject = shared_subject(noun.head)  # "the CNN piece tries to create impression that ..."
            source = _trim(doc, *_phrase(doc[subject[0]:subject[1]].root)) if subject is not None else None
        if copula and source is not None and all(t.pos_ == "PRON" for t in doc[source[0]:source[1]] if not t.is_punct):
            # "Their message has been that “...”" inside someone's quoted account: a pronoun's message is read by the
            # speakers stage as part of that account, not as a layer of its own
            return None
        if (copula or clause.dep_ == "relcl") and source is None:
            # "The point is that ...": the writer's own; a clause the parser took for a relative one is read only for a
            # noun that names whose it is ("the idea that ..." is no one's statement)
            return None
        return ((noun.i, noun.i + 1), source, [content]) if content else None

    def _document_participle(self, doc: Doc, lo: int, hi: int, verb: Token) -> Relation | None:
        """"The mayor issued a statement saying the city would appeal", "a petition calling on the board to resign",
        "data showing a spike in sales": a participle of a speech, finding or estimating verb right after a noun of
        words or records says its clause (or its object with the infinitive after it: "urging lawmakers to act"); the
        source is whoever issued it (the subject of "issued", "released", "wrote" ...), else the noun's own phrase ("a
        Change.org petition", "Trump's letter": the guide names a document as the article does)."""
        noun = verb.head
        words = {noun.lemma_.lower(), noun.lower_}  # "data": lemma "datum"
        if not (verb.dep_ == "acl" and verb.tag_ == "VBG" and noun.i == verb.i - 1 and noun.pos_ == "NOUN"
                and words & (self.documents | self.nouns) and not words & RULE_DOCUMENTS):
            return None
        if any(c.dep_ == "neg" for c in verb.children):
            return None
        llo, lhi = line_bounds(doc, lo, hi, verb.i)
        if not llo <= noun.left_edge.i:
            return None
        lemma = verb.lemma_.lower()
        if lemma in FINDING_VERBS and not words & COUNTING_DOCUMENTS:
            return None  # "a video showing him speaking ...": a picture's "show" depicts
        content: Range | None = None
        clause = next((c for c in verb.rights if c.dep_ == "ccomp" and c.i < lhi), None)
        objects = [c for c in verb.rights if c.i < lhi and (
            c.dep_ in {"dobj", "dative"} or c.dep_ == "prep" and c.lower_ == "on" and lemma == "call")]
        infinitive = next((c for c in verb.rights if c.dep_ == "xcomp" and c.i < lhi
                           and any(a.tag_ == "TO" for a in c.lefts)), None)
        if clause is not None:
            content = _trim(doc, clause.left_edge.i, min(clause.right_edge.i + 1, lhi))
        elif objects and infinitive is not None and lemma in self.verbs:
            content = _trim(doc, objects[0].left_edge.i + (objects[0].dep_ == "prep"),
                            min(infinitive.right_edge.i + 1, lhi))
        elif objects and lemma in {"show", "find"} and words & COUNTING_DOCUMENTS:
            obj = objects[0]
            if obj.dep_ != "dobj" or obj.pos_ not in {"NOUN", "PROPN", "NUM", "PRON"}:
                return None
            end = min(verb.right_edge.i + 1, lhi)
            if obj.right_edge.i + 1 < lhi and doc[obj.right_edge.i + 1].tag_ in {"VBP", "VBZ", "VBD", "MD"}:
                # "a report showing [the agency] had broken ...": the object is the subject of a clause the parser broke
                # off (as for ``_finding``); the clause runs to the end of the sentence
                end = min(verb.sent.end, lhi)
            content = _trim(doc, obj.left_edge.i, end)
            if content is not None and doc[content[1] - 1].text in {".", "!", "?"}:
                content = (content[0], content[1] - 1) if content[1] - 1 > content[0] else None
        if content is None:
            return None
        source: Range | None = None
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in ISSUING_VERBS:
            subject = shared_subject(noun.head)
            source = _trim(doc, *_phrase(doc[subject[0]:subject[1]].root)) if subject is not None else None
        if source is None:
            source = _trim(doc, *_phrase(noun))
        return ((verb.i, verb.i + 1), source, [content]) if source else None

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
        if content is None:
            return None
        # "The reasons ..., according to the Times, were: ...": set off by commas between a clause's subject and its
        # verb, the phrase interrupts one statement, read in the pieces on both sides
        head = according.head.head if according.head.dep_ in SUBJECTS else according.head  # (the parser may hang
        # the phrase on the subject)
        if (llo < according.i and doc[according.i - 1].text == "," and phrase_end < lhi and doc[phrase_end].text == ","
                and head.pos_ in {"VERB", "AUX"} and head.i > phrase_end
                and any(c.dep_ in SUBJECTS and c.i < according.i for c in head.children)):
            before, after = _trim(doc, llo, according.i), _trim(doc, phrase_end, lhi)
            if after is not None and doc[after[1] - 1].text in {".", "?", "!"}:
                after = _trim(doc, after[0], after[1] - 1)
            return (according.i, to.i + 1), source, [p for p in (before, after) if p is not None]
        return (according.i, to.i + 1), source, [content]

    def _rubric(self, label: str, text: str, seen: dict[str, bool]) -> bool:
        """Whether a label in capitals among a transcript's is a section rubric ("AIRLINES:", "PROTEST GROUP:",
        "COSTS MOUNT:"): each of its words the text also writes in lower case, none a person's noun or given name,
        and its last word never written after a capitalised word, as a surname is ("Jong-Min You")."""
        if label not in seen:
            words = [w.strip(".'’-").lower() for w in label.split()]
            content = [w for w in words if len(w) > 2 and w.isalpha() and w not in _MINOR_LABEL_WORDS]
            last = words[-1].capitalize()
            seen[label] = bool(content) and not any(
                w in self.person_words or w.rstrip("s") in self.person_words for w in words) and all(
                re.search(rf"(?<![\w’'-]){re.escape(w)}(?![\w’'-])", text) for w in content) and not any(
                m.group(1).lower() not in _NOT_FIRST_NAMES
                for m in re.finditer(r"(?<![\w.])([A-Z][\w’'-]*)[ \t]+" + re.escape(last) + r"\b", text))
        return seen[label]

    def lines(self, doc: Doc, text: str) -> list[Relation]:
        """The line layouts of the module docstring, over the whole text."""
        out: list[Relation] = []
        first_line = len(text) - len(text.lstrip())
        turns = [m for m in _LABEL_LINE.finditer(text) if m.group("label").lower() not in NON_SPEAKER_LABELS - RUBRIC_LABELS]
        # a transcript: capitalised labels ("WALLACE:", "PENCE:") taking turns; one capitalised label alone is
        # a headline's kicker ("BOOM:", "BUSTED:")
        dialogue = len({m.group("label") for m in turns if m.group("label").isupper() and m.group("alone") is None}) >= 2
        labelled = [m for m in turns if m.group("label").lower() not in RUBRIC_LABELS]
        named_turns = name_dialogue_labels(text) if labelled else frozenset()
        rubrics: dict[str, bool] = {}
        for m in labelled:
            label = m.group("label")
            if (m.group("role") or m.group("alone") is not None) and not (dialogue and label.isupper()):
                continue  # a role after a comma, or the words on the next line: a transcript's labels only
            if label.isupper() and dialogue and self._rubric(label, text, rubrics):
                continue  # "AIRLINES: Airlines are cutting flights ...", "ISSUE: ...": an explainer's rubric
            if m.group("place") and not named_turns:
                continue  # "Ohio (AP): ...": a place in brackets labels a panel's speakers only
            source = _token_range(doc, m.start("label"), m.end("label"))
            colon = doc.char_span(m.end("label"), m.start("content"), alignment_mode="expand")
            # the colon, or the token the tokenizer made of it with a closing bracket ("John Ash (Ohio): ...")
            cue = next(((t.i, t.i + 1) for t in colon if t.text in (":", "):")), None) if colon is not None else None
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
            # (in an interview labelled in normal case, the interviewer's label in capitals is a turn too: "NPR: ...")
            if not (((dialogue or named_turns) and label.isupper() or label in named_turns or m.group("place")) and words) and not (
                    len(words) >= 3 and all(t.pos_ == "PROPN" for t in name) and any(t.ent_type_ == "PERSON" for t in name)):
                continue
            out.append((cue, source, [content]))
        for m in _INTRO_QUOTE.finditer(text):
            rel = self._introduced_quote(doc, text, m)
            if rel is not None:
                out.append(rel)
        for m in _DASH_LINE.finditer(text):
            dash = doc.char_span(m.start("cue"), m.end("cue"), alignment_mode="expand")
            cue = (dash.start, dash.end) if dash is not None else None  # a dash is an EDGE mark: not trimmed
            source = _token_range(doc, m.start("source"), m.end("source"))
            if m.group("source").strip().lower() in BOARD_SIGNATURES and m.group("affiliation"):
                source = _token_range(doc, m.start("affiliation"), m.end("affiliation"))
            content = _token_range(doc, m.start("content"), m.end("content"))
            if cue is None or source is None or content is None or source[1] - source[0] > 8:
                continue
            out.append((cue, source, [content]))
        return out


# beliefs the modern-news guide counts as a person's position ("He believes we need to ...", "has long believed the
# city needs ..."): read here only where the parse shows a held view of a third person, the rest left to the CRF
BELIEF_VERBS = {"believe", "think"}


def _states_a_belief(verb: Token) -> bool:
    """"X believes [a finite clause]" said of someone else: a subject neither the writer nor the reader, a content
    clause with its own subject and a finite verb, in a clause of its own that no modal makes a guess of."""
    subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    clause = next((c for c in verb.rights if c.dep_ == "ccomp"), None)
    if subj is None or clause is None or subj.lower_ in PERSONAL or subj.lower_ in NON_SOURCES:
        return False
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children):
        return False
    if clause.tag_ not in FINITE_TAGS and not any(c.dep_ == "aux" and c.tag_ in (*FINITE_TAGS, "MD") for c in clause.children):
        return False
    if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_MODALS for c in verb.children):
        return False  # "they may have thought ...": the writer's guess
    # a main clause, a coordinated or relative one: not a clause of another verb ("make them believe ...") nor an
    # adverbial one ("so long as they think ...", "if she believed ...")
    return verb.dep_ in ("ROOT", "conj", "relcl", "parataxis")


def _introduced_quote_source(doc: Doc, intro: Range) -> Range | None:
    """The name an introduction without a verb gives ("More from [the Post]", "From [the Times] report"): the phrase of
    its first person, else its first proper noun or named body; ``None`` when it has a verb or names no one."""
    tokens = doc[intro[0]:intro[1]]
    if not len(tokens) or any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        return None
    # the first name: "Kanye West in [the Oval Office]" is Kanye West's
    name = next((t for t in tokens if t.ent_type_ == "PERSON"), None) or next(
        (t for t in tokens if t.pos_ == "PROPN" or t.ent_type_ in {"ORG", "NORP"}), None)
    if name is None:
        return None
    while name.dep_ == "compound" and intro[0] <= name.head.i < intro[1]:
        name = name.head
    start, end = _phrase(name)
    # the name, not the topic after it: "[PRES. TRUMP] on his tax legislation", "[REP. NANCY PELOSI], House leader"
    end = next((t.i for t in doc[name.i + 1:end] if t.text == "," or t.pos_ == "ADP"), end)
    return _trim(doc, max(start, intro[0]), min(end, intro[1]))


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
# prepositions of time and manner: what they open on any cue verb is when or how it was said ("reported, [without
# identifying the officials]", "warned [during a briefing]"), never what (unlike "for", "of", "on", "to", "in")
CIRCUMSTANCE_PREPOSITIONS = {"without", "during", "after", "before", "since", "despite", "amid", "until"}


def is_saying_circumstance(doc: Doc, cue: Range, content: Range) -> bool:
    """Whether a content (token range) is only a prepositional phrase hanging on a "say"/"tell" cue: where, when or
    to whom something was said, not what ("Trump said [at] a campaign stop this week", "she said [after] reading the
    outline"). Such readings are wrong by PolNeAR's convention and by the modern-news guide's alike."""
    verb = doc[cue_head_token(doc, cue)]
    if doc[content[0]].is_quote:
        return False
    if verb.lemma_.lower() not in SAYING_LEMMAS:
        # a clause inside stays ("warned during [a briefing that the pier would close]": the parser hung it on the noun)
        if any(t.dep_ in {"nsubj", "nsubjpass", "mark"} for t in doc[content[0]:content[1]]):
            return False
        prep = verb_attachment(doc, verb, content)
        opener = doc[content[0] - 1] if content[0] > 0 else None
        return (prep is not None and prep.dep_ == "prep" and prep.lower_ in CIRCUMSTANCE_PREPOSITIONS
                or opener is not None and opener.dep_ == "prep" and opener.head.i == verb.i
                and opener.lower_ in CIRCUMSTANCE_PREPOSITIONS and content[0] <= opener.right_edge.i)
    first = doc[content[0]]
    if first.dep_ == "mark" and first.lower_ == "that" and first.head.dep_ == "ccomp":
        return False  # "said in April, when ..., that it would be illegal": a clause the parser hung on the aside
    prep = verb_attachment(doc, verb, content)
    if prep is not None and prep.dep_ == "prep" and prep.lower_ not in TOPIC_PREPOSITIONS:
        return True
    # "Flake said on [NBC's Meet the Press]" with half the programme's name parsed as a clause of its own: the content
    # opens with the object of a preposition of the verb's
    before = doc[content[0] - 1] if content[0] > 0 else None
    return (before is not None and before.dep_ == "prep" and before.head.i == verb.i
            and before.lower_ not in TOPIC_PREPOSITIONS and content[0] <= before.right_edge.i)


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
    span = doc[content[0]:content[1]]  # its text sliced from the document's: Span.text makes every Token
    text = doc_text(doc)[span.start_char:span.end_char] if len(span) else ""
    return text.strip(" :").lower() in RUBRIC_LABELS


def cue_head_token(doc: Doc, cue: Range) -> int:
    """The cue token whose head lies outside the cue (its syntactic head)."""
    heads = token_heads(doc)  # every filter asks this of its cue: no Token objects for it
    for i in range(cue[0], cue[1]):
        if not (cue[0] <= heads[i] < cue[1]) or heads[i] == i:
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
