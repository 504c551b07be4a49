"""The accurate tier as a recall stage under the fast tier's precision.

Read alone, the MiniLM tagger finds nearly every attributed statement on recent articles but reports far more
than is there (statement precision 0.64 against the fast tier's 0.78 on the who-says-so gold), and its
speakers are worse. So the accurate tier keeps every attribution of the fast tier (CRFs and syntactic
patterns) and adds the tagger's only where the fast tier found nothing: a statement whose content overlaps
no fast-tier content and that names a source. What the tagger adds is kept only when the tier's confidence
model (``extractors/confidence.py``) believes it enough. And the tier reads by the modern-news guide's convention
where PolNeAR's is broader: a content that is only the cue verb's noun-phrase object ("criticized the judge",
"signed the bill") is no statement (most such readings on the tuning part of the who-says-so gold are no
statement by its guide), so the tier drops it; the fast tier keeps PolNeAR's convention (docs/accuracy.md).

The tagger often marks a content and no source where the parse names the speaker plainly ("Mueller has denied
[that ...]", "his son confided [that ...]"): such a reading takes the subject of its saying verb as its source
(``parsed_source``), and so does a fast-tier reading whose saying verb has a subject that the fast tier left out.
"""
from __future__ import annotations

from collections.abc import Sequence
from bisect import bisect_left
from itertools import accumulate

from spacy.tokens import Doc

from ...model import Attribution, Span
from ...nlp import doc_text
from .fast import attribution_form, link_nested
from .syntax import (HEDGE_ADVERBS, NON_SOURCES, PERSONAL, agent_object, cue_head_token, is_bare_object,
                     shared_subject)


class _ContentCover:
    """Whether a span overlaps any of the given contents, in log time: long texts hold thousands of readings of
    both tiers, and checking every pair grew with their product."""

    def __init__(self, attributions: list[Attribution]):
        spans = sorted((a.content.start, a.content.end) for a in attributions)
        self.starts = [start for start, _ in spans]
        self.furthest_end = list(accumulate((end for _, end in spans), max))

    def overlaps(self, attribution: Attribution) -> bool:
        # the contents starting before this one ends; one of them overlaps it if the furthest of their ends passes its start
        before_end = bisect_left(self.starts, attribution.content.end)
        return before_end > 0 and self.furthest_end[before_end - 1] > attribution.content.start


def _opens_a_clause(doc, attribution: Attribution) -> bool:
    """Whether the content opens with a complementizer ("that", "whether"): a clause the parse misread as a noun
    phrase ("showed [that only 26 percent of Americans like the idea]", "like" read as a preposition) is still what
    was said."""
    span = doc.char_span(attribution.content.start, attribution.content.end, alignment_mode="expand")
    first = next((t for t in span if not (t.is_punct or t.is_space)), None) if span is not None else None
    return first is not None and first.dep_ == "mark"


def _names_a_thing(doc, attribution: Attribution) -> bool:
    cue = (attribution.cue.start, attribution.cue.end) if attribution.cue is not None else None
    return (attribution.form in ("indirect", "reported") and not _opens_a_clause(doc, attribution)
            and is_bare_object(doc, cue, (attribution.content.start, attribution.content.end)))


# subjects that are no speaker: expletives and pronouns whose antecedent is the content's own ("this", "there")
_NOT_SPEAKERS = NON_SOURCES | PERSONAL | {"there", "this", "these", "those"}
# the complement relations of a saying verb that hold what is said
_RELATIVE = {"who", "that", "which"}
_SAID_DEPS = {"ccomp", "xcomp", "dobj", "advcl", "prep", "pobj", "attr", "oprd"}


def _saying_verb(doc: Doc, attribution: Attribution, speech_verbs: frozenset[str]):
    """The verb that introduces the content, outside it: the cue's head (a verb the tagger or the fast tier read as
    a cue: "confided", "wondered", "has denied"), else the verb the content's root hangs on, when it is a saying
    verb of the lexicon."""
    content = doc.char_span(attribution.content.start, attribution.content.end, alignment_mode="expand")
    if content is None or not len(content):
        return None
    if attribution.cue is not None:
        cue = doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
        if cue is None or not len(cue):
            return None
        verb = doc[cue_head_token(doc, (cue.start, cue.end))]
    else:
        root = content.root
        if root.dep_ not in _SAID_DEPS or root.head is root:
            return None
        verb = root.head
    if content.start <= verb.i < content.end or verb.pos_ not in {"VERB", "AUX"}:
        return None
    return verb if attribution.cue is not None or verb.lemma_.lower() in speech_verbs else None


def _active_saying_verb(doc: Doc, attribution: Attribution, speech_verbs: frozenset[str]):
    """The reading's saying verb when it is active and unhedged: a passive or hearsay verb ("is said to",
    "reportedly") reports a statement with no speaker."""
    verb = _saying_verb(doc, attribution, speech_verbs)
    if verb is None or any(c.dep_ == "auxpass" or c.lower_ in HEDGE_ADVERBS for c in verb.children):
        return None
    return verb


def parsed_source(doc: Doc, attribution: Attribution, speech_verbs: frozenset[str]) -> tuple[int, int] | None:
    """The character span of the speaker the parse gives a reading without a source: the active subject of its
    saying verb (or the subject that verb shares: "X smiled and said ..."), outside the content. Nothing for a
    passive or hearsay verb ("is said to", "reportedly"), an expletive or first- or second-person subject."""
    said = _saying_verb(doc, attribution, speech_verbs)
    agent = agent_object(said) if said is not None else None
    if agent is not None and not any(c.lower_ in HEDGE_ADVERBS for c in said.children):
        # a passive with its speaker: "the view expressed by this president that ...", "was announced by the ministry"
        chars = (doc[agent.left_edge.i].idx, agent.idx + len(agent))
        return None if _overlap(chars, _content(attribution)) or agent.lower_ in _NOT_SPEAKERS else chars
    verb = _active_saying_verb(doc, attribution, speech_verbs)
    subject = shared_subject(verb) if verb is not None else None
    if subject is None:
        return None
    start, end = subject
    if end - start == 1 and doc[start].lower_ in _RELATIVE and verb.dep_ == "relcl":
        # "his son, who confided that ...": the speaker is the noun the clause hangs on, up to that noun
        noun = verb.head
        start, end = noun.left_edge.i, noun.i + 1
    elif end - start == 1 and doc[start].lower_ in _NOT_SPEAKERS:
        return None
    span = doc[start:end]
    chars = (span.start_char, span.end_char)
    return None if _overlap(chars, _content(attribution)) else chars


def _content(attribution: Attribution) -> tuple[int, int]:
    return attribution.content.start, attribution.content.end


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def tagged_source(doc: Doc, attribution: Attribution, tagged: Sequence[Attribution],
                  speech_verbs: frozenset[str]) -> tuple[int, int] | None:
    """For a reading whose active saying verb has a subject the parse misplaced ("He has defended Kavanaugh, said
    he ...", read as "said [He has defended ...]"), the source the tagger gave the same content (overlapping it by
    half the shorter of the two), when it lies outside the content."""
    if _active_saying_verb(doc, attribution, speech_verbs) is None:
        return None
    content = _content(attribution)
    for other in tagged:
        if other.source is None:
            continue
        theirs = _content(other)
        source = (other.source.start, other.source.end)
        if (2 * _overlap(content, theirs) >= min(content[1] - content[0], theirs[1] - theirs[0])
                and not _overlap(source, content)):
            return source
    return None


def with_parsed_source(doc: Doc, text: str, attribution: Attribution, speech_verbs: frozenset[str],
                       tagged: Sequence[Attribution] = ()) -> Attribution:
    """The reading with the parse's speaker as its source when it has none, else the tagger's (``tagged_source``);
    unchanged when it has one or neither gives one."""
    if attribution.source is not None:
        return attribution
    source = parsed_source(doc, attribution, speech_verbs) or tagged_source(doc, attribution, tagged, speech_verbs)
    if source is None:
        return attribution
    cue = (attribution.cue.start, attribution.cue.end) if attribution.cue is not None else None
    return attribution.model_copy(update={"source": Span.of(text, *source),
                                          "form": attribution_form(text, _content(attribution), source, cue)})


class RecallStageExtractor:
    name = "attributions"
    requires: tuple[str, ...] = ()
    assigns = ("attributions",)

    def __init__(self, fast, tagger, speech_verbs: frozenset[str] | None = None):
        self.fast = fast
        self.tagger = tagger
        lexicons = getattr(fast, "lexicons", None)
        words = speech_verbs if speech_verbs is not None else (lexicons.words("speech_verbs") if lexicons else ())
        self.speech_verbs = frozenset(w.lower() for w in words)

    def __call__(self, ctx) -> None:
        ctx.report.attributions, ctx.recall_stage = self.extract(ctx.doc)

    def extract(self, doc) -> tuple[list[Attribution], dict[str, float]]:
        """The merged attributions, and for those the tagger added, by id, the tagger's belief in each."""
        text = doc_text(doc)
        base = self.fast.extract(doc, text) if hasattr(self.fast, "predict") else self.fast.extract(doc)
        tagged, beliefs = self.tagger.extract_with_beliefs(doc)
        base = [with_parsed_source(doc, text, a, self.speech_verbs, tagged) for a in base if not _names_a_thing(doc, a)]
        fast_contents = _ContentCover(base)
        added = []
        for a in tagged:
            if _names_a_thing(doc, a) or fast_contents.overlaps(a):
                continue
            a = with_parsed_source(doc, text, a, self.speech_verbs)  # the copy keeps its id, so its belief
            if a.source is not None:
                added.append(a)
        added_ids = {id(a): beliefs[a.id] for a in added}
        merged = sorted(base + added, key=lambda a: (a.content.start, -a.content.end))
        renumbered = [a.model_copy(update={"id": f"a{i + 1}", "parent": None}) for i, a in enumerate(merged)]
        recall = {new.id: added_ids[id(old)] for old, new in zip(merged, renumbered) if id(old) in added_ids}
        return link_nested(renumbered), recall
