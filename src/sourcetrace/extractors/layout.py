"""The model's attributions settled against the page's structure (``report.structure``).

- never in page furniture: an attribution whose words lie in a caption, photo credit, byline, dateline or
  boilerplate goes, a source found there is cleared, and the writer's own "I" / "we" outside anyone's quoted
  words is the outlet's voice, not a source;
- statements the layout makes where no sentence does: a block quote ("Chairman Ajit Pai said:" and the
  paragraph after it) and an embedded post (its words above the "— Name (@handle) March 1, 2019" line); both
  name their speaker on the page, so their mentions go through ``sources`` like any other;
- one attribution per content: the same quote found twice (a CRF relation and a syntactic one) is kept once.
Statements with no mention at all (an uncued continuation paragraph, a Q&A answer) are linked to their
speaker once sources are known: ``extractors.speakers``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Collection
from types import SimpleNamespace

from ..languages import lexicons_for
from ..lexicons import Lexicons
from ..model import Attribution, Span
from ..textspans import normalise, trim_range
from .attributions.nested import layers_named_inside
from .attributions.syntax import BOARD_SIGNATURES
from .structure import FIRST_PERSON, POST_INLINE_SIGNATURE, QUOTE_OPENERS, in_unstated_region, region_at

PRONOUN_SOURCES = frozenset({"he", "she", "they", "it"})
_PICTURE_LINK = re.compile(r"\s*(?:pic\.twitter\.com|https?://t\.co)/\S+\s*$")
_POST_QUOTE = re.compile(r"(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})[^:\"“\n]{0,60}?(?P<colon>:)\s*[\"“]"
                         r"(?P<quote>[^\"”\n]+)")
_SIGNATURE = re.compile(r"^[—–-]\s*(?P<name>[^()\n]{1,80}?)\s*\(@\w{1,30}\)")
# a round-up's credit under the quotations it credits: "Therese Raphael, Bloomberg" alone on its line, or run on
# after the closing mark ("“...” Nicholas Kristof, New York Times"): a name of two to four capitalised words, a comma,
# the outlet
_CREDIT_NAME = r"(?P<name>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3}(?:[ \t]+(?:and|&)[ \t]+[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3})?),[ \t]+(?P<outlet>[A-Z][\w.'’&-]*(?:[ \t]+[\w.'’&-]+){0,5})[ \t]*$"
_CREDIT_LINE = re.compile(r"^[ \t]*" + _CREDIT_NAME)
_INLINE_CREDIT = re.compile(r"[”\"][ \t]+" + _CREDIT_NAME)


def _credited(m: re.Match, offset: int) -> tuple[int, int]:
    """Who a credit line credits: the writer's name, or the paper where it signs for its board ("Editorial Board,
    Washington Post", as a dashed signature's "— Editorial, Los Angeles Times")."""
    if m.group("name").strip().lower() in BOARD_SIGNATURES:
        return offset + m.start("outlet"), offset + m.end("outlet")
    return offset + m.start("name"), offset + m.end("name")


def outside_others_words(position: int, attribution: Attribution, attributions) -> bool:
    """Whether ``position`` lies outside every attribution's words but ``attribution``'s own."""
    return not any(o is not attribution and o.content.start <= position < o.content.end for o in attributions)


def writers_own(mention: str, position: int, attribution: Attribution, attributions) -> bool:
    """A first-person mention ("I", "we", "this newspaper") at ``position`` outside everyone's words: the writer's
    own voice, no source."""
    return mention.strip().lower() in FIRST_PERSON and outside_others_words(position, attribution, attributions)


def next_attribution_id(report) -> str:
    return f"a{max((int(a.id[1:]) for a in report.attributions if a.id[1:].isdigit()), default=0) + 1}"


def _text_order(a: Attribution) -> tuple[int, int]:
    return a.content.start, -a.content.end


def add_attribution(report, attribution: Attribution) -> None:
    report.attributions.append(attribution)
    report.attributions.sort(key=_text_order)


def covered_by_attribution(report, start: int, end: int, tentative: Collection[str] = frozenset(),
                           sourced_at: tuple[int, int] | None = None) -> bool:
    """Whether an attribution's content already holds most of ``[start, end)`` (a tentative one, the accurate
    tier's recall stage, does not count: what the page shows outranks the tagger's guess); with ``sourced_at``,
    only one whose source mention overlaps it (a post already read as its author's, at the author line: a
    reading of its words with another source, a quote the post carries, leaves the post's statement to add)."""
    size = max(1, end - start)
    return any(min(a.content.end, end) - max(a.content.start, start) >= 0.5 * size
               and (sourced_at is None or a.source is not None
                    and a.source.start < sourced_at[1] and sourced_at[0] < a.source.end)
               for a in report.attributions if a.id not in tentative)


class AttributionPositions:
    """The report's attributions by where their contents and cues start, for a stage that checks many
    paragraphs against them and adds statements as it goes: each check is a bisection, each addition an
    insertion, where ``covered_by_attribution``, ``next_attribution_id`` and ``add_attribution`` each go over
    every attribution (paragraphs x attributions: quadratic on long texts). The answers are theirs exactly;
    while the attributions are not in text order (or were changed behind its back) it scans as they do."""

    def __init__(self, report):
        self.report = report
        self._sync(in_text_order=False)

    def _sync(self, in_text_order: bool) -> None:
        atts = self.report.attributions
        self._list, self._length = atts, len(atts)
        self._starts = [a.content.start for a in atts]
        self._by_start = all(x <= y for x, y in zip(self._starts, self._starts[1:]))
        self._in_text_order = in_text_order  # add_attribution's order, (start, -end): an addition is an insertion
        self._longest = max((a.content.end - a.content.start for a in atts), default=0)
        self._cue_starts = sorted(a.cue.start for a in atts if a.cue is not None)
        self._next_number = int(next_attribution_id(self.report)[1:])

    def _current(self) -> list[Attribution]:
        if self.report.attributions is not self._list or len(self.report.attributions) != self._length:
            self._sync(in_text_order=False)
        return self._list

    def starting_within(self, start: int, end: int) -> list[Attribution]:
        """The attributions whose content starts in ``[start, end)``, in the report's order."""
        atts = self._current()
        if not self._by_start:
            return [a for a in atts if start <= a.content.start < end]
        return atts[bisect_left(self._starts, start):bisect_left(self._starts, end)]

    def covered(self, start: int, end: int, tentative: Collection[str] = frozenset(),
                sourced_at: tuple[int, int] | None = None) -> bool:
        """``covered_by_attribution(report, start, end, tentative, sourced_at)``."""
        atts = self._current()
        if not self._by_start:
            return covered_by_attribution(self.report, start, end, tentative, sourced_at)
        # a content that holds half of [start, end) overlaps it, so it starts less than the longest one's length before
        nearby = atts[bisect_left(self._starts, start - self._longest):bisect_left(self._starts, end)]
        return covered_by_attribution(SimpleNamespace(attributions=nearby), start, end, tentative, sourced_at)

    def cue_within(self, start: int, end: int) -> bool:
        """Whether an attribution's cue starts in ``[start, end)``."""
        self._current()
        i = bisect_left(self._cue_starts, start)
        return i < len(self._cue_starts) and self._cue_starts[i] < end

    def next_id(self) -> str:
        """``next_attribution_id(report)``."""
        self._current()
        return f"a{self._next_number}"

    def add(self, attribution: Attribution) -> None:
        """``add_attribution(report, attribution)``."""
        atts = self._current()
        if not self._in_text_order:
            add_attribution(self.report, attribution)  # the first addition sorts them all, as it always has
            self._sync(in_text_order=True)
            return
        # the list is in text order: a stable sort of it with one more at the end puts that one after its equals
        i = bisect_right(atts, _text_order(attribution), key=_text_order)
        atts.insert(i, attribution)
        self._starts.insert(i, attribution.content.start)
        self._length += 1
        self._longest = max(self._longest, attribution.content.end - attribution.content.start)
        if attribution.cue is not None:
            insort(self._cue_starts, attribution.cue.start)
        if attribution.id[1:].isdigit():
            self._next_number = max(self._next_number, int(attribution.id[1:]) + 1)


def remove_attributions(report, gone: set[str]) -> None:
    """Leave out the attributions whose ids are in ``gone``; one nested in a removed one stands on its own."""
    if not gone:
        return
    report.attributions = [a for a in report.attributions if a.id not in gone]
    for a in report.attributions:
        if a.parent in gone:
            a.parent = None


def drop_tentative_under(ctx, added: list[Attribution]) -> None:
    """Remove the recall stage's attributions overlapping statements the page itself makes."""
    tentative = ctx.recall_stage
    if not tentative or not added:
        return
    report = ctx.report
    remove_attributions(report, {a.id for a in report.attributions if a.id in tentative and any(
        a.content.start < b.content.end and b.content.start < a.content.end for b in added)})


# what an outlet's listing carries beyond its name ("CNN (Web News)", "The Week - News", "AP Fact Check")
_LISTING_EXTRAS = re.compile(r"\(.*?\)|\s[-–—|]\s.*$|\b(?:fact check|online news|web news|opinion)\b|\.com\b", re.I)
# words beside an outlet's name that leave the outlet itself speaking ("an AP Fact Check", "a Salon analysis")
_OUTLET_OWN_WORDS = frozenset({"a", "an", "the", "report", "reports", "reporting", "analysis", "fact", "check",
                               "investigation", "review", "story", "poll", "survey", "editorial", "board", "editors"})


def outlet_names(outlet: str | None, lexicons: Lexicons) -> frozenset[str]:
    """The canonical name(s) of the article's outlet as the media lexicon knows it (the listing's name otherwise),
    normalised; empty when the outlet is not known."""
    if not outlet:
        return frozenset()
    name = normalise(_LISTING_EXTRAS.sub(" ", outlet))
    if not name:
        return frozenset()
    return frozenset({normalise(lexicons.media_aliases().get(name, name))})


def names_outlet(mention: str, outlets: frozenset[str], lexicons: Lexicons) -> bool:
    """Whether a source mention is one of ``outlets`` itself: its name, an alias or a short form ("the Post"),
    alone or with words that leave the outlet speaking ("An AP Fact Check"); not "a Breitbart News reporter"."""
    if not outlets:
        return False
    media, short = lexicons.media_aliases(), lexicons.media_short_forms()
    words = [re.sub(r"'s$", "", w) for w in normalise(mention).split()]
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            if not all(w in _OUTLET_OWN_WORDS for w in words[:i] + words[j:]):
                continue
            piece = " ".join(words[i:j])
            named = {media[piece]} if piece in media else set(short.get(piece, ()))
            if piece in outlets or {normalise(n) for n in named} & outlets:
                return True
    return False


class LayoutStatements:
    """The model's attributions settled against the page: none in captions, credits, bylines, datelines or
    boilerplate, no source there nor in the writer's own "I" / "we"; block quotes and embedded posts added (their
    speakers are named on the page); one attribution per content."""

    name = "layout"
    requires = ("attributions", "structure")
    assigns = ("page_attributions",)

    def __init__(self, lexicons: Lexicons):
        self.lexicons = lexicons
        self.speech_verbs = lexicons.words("speech_verbs") | {"write", "tweet", "post", "say", "tell", "add", "state"}

    def __call__(self, ctx) -> None:
        report, doc = ctx.report, ctx.doc
        own_outlet = outlet_names(report.outlet, self.lexicons)
        self._outside_page_furniture(report, own_outlet)
        self._own_paragraph_cues(report)
        self._one_per_content(report)
        regions = report.structure or []
        text = report.text
        tentative = ctx.recall_stage
        before = {a.id for a in report.attributions}
        positions = AttributionPositions(report)  # look-ups by position: a long text has many block quotes and posts
        # a round-up's credit lines first: the quotations above them are the credited writer's, whatever line
        # introduces them ("Both sides support the decision:")
        for n, region in enumerate(regions):
            if region.kind in ("body", "heading", "byline") and n > 0 and (m := _CREDIT_LINE.match(text[region.start:region.end])):
                self._credited_quotes(report, regions[:n], _credited(m, region.start), positions, tentative)
            elif region.kind == "body" and text[region.start:region.start + 1] in QUOTE_OPENERS and (
                    m := _INLINE_CREDIT.search(text, region.start, region.end)):
                self._credited_quotes(report, [SimpleNamespace(start=region.start, end=m.start() + 1, kind="body")],
                                      _credited(m, 0), positions, tentative)
        for n, region in enumerate(regions):
            if region.kind == "block_quote" and n > 0 and not positions.covered(region.start, region.end, tentative):
                self._block_quote(report, doc, regions[n - 1], region, positions)
            elif region.kind == "embedded_post" and (m := POST_INLINE_SIGNATURE.search(text[region.start:region.end])):
                self._inline_post(report, region, m, positions, tentative)
            elif region.kind == "embedded_post" and (m := _SIGNATURE.match(text[region.start:region.end])):
                words = [r for r in regions[max(0, n - 2):n] if r.kind == "embedded_post"]
                name = (region.start + m.start("name"), region.start + m.end("name"))
                if words and not positions.covered(words[0].start, words[-1].end, tentative, sourced_at=name):
                    dash = (region.start, region.start + 1)
                    positions.add(Attribution(id=positions.next_id(), source=Span.of(text, *name),
                                              cue=Span.of(text, *dash),
                                              content=Span.of(text, words[0].start, words[-1].end), form="direct"))
        added = [a for a in report.attributions if a.id not in before]
        writers = {a.id for a in added if a.source is not None and self._writer(a, report.attributions, own_outlet)}
        if writers:  # "In a column last year, I wrote:" and the paragraph after it: the writer quoting themself
            remove_attributions(report, writers)
            added = [a for a in added if a.id not in writers]
        drop_tentative_under(ctx, added)
        self._read_twice(report, added)

    @staticmethod
    def _own_paragraph_cues(report) -> None:
        """A quotation is never its next paragraph's: "“A,” he said. “B.”" followed by a paragraph "“C,” Spurlock
        told me." gives B to the speaker of its own paragraph (the cue before it there), not to Spurlock; with no
        cue before it in its paragraph, the reading goes (an uncued paragraph is linked to its speaker later)."""
        regions = report.structure or []
        if not regions:
            return
        dropped: set[str] = set()
        for a in report.attributions:
            if a.cue is None or a.form not in ("direct", "mixed") or a.cue.start < a.content.end:
                continue
            paragraph = region_at(regions, a.content.start, a.content.end)
            if paragraph is None or a.cue.start < paragraph.end:
                continue
            earlier = [o for o in report.attributions if o is not a and o.cue is not None and o.source is not None
                       and paragraph.start <= o.cue.start < a.content.start]
            if earlier:
                own = max(earlier, key=lambda o: o.cue.start if o.cue is not None else 0)
                a.source, a.cue = own.source, own.cue
            else:
                dropped.add(a.id)
        remove_attributions(report, dropped)

    @staticmethod
    def _read_twice(report, added: list[Attribution]) -> None:
        """A sentence of a block quote the model also read on its own, with the same source mention, is the
        block quote's statement read twice: the page's whole reading stays."""
        def inside(a: Attribution, b: Attribution) -> bool:
            return (a is not b and b.content.start <= a.content.start and a.content.end <= b.content.end
                    and a.source is not None and b.source is not None
                    and (a.source.start, a.source.end) == (b.source.start, b.source.end))
        added_ids = {b.id for b in added}  # by id: a list's "in" compares whole models, each with every one added
        remove_attributions(report, {a.id for a in report.attributions
                                     if a.id not in added_ids and any(inside(a, b) for b in added)})

    @staticmethod
    def _inline_post(report, region, signature, positions: AttributionPositions,
                     tentative: Collection[str] = frozenset()) -> None:
        """A post on one line: its words (less a trailing picture link) are its author's, as posted."""
        text = report.text
        words_end = region.start + signature.start()
        link = _PICTURE_LINK.search(text, region.start, words_end)
        content = trim_range(text, region.start, link.start() if link else words_end, edge=" \t\n\r\u00a0")
        name = (region.start + signature.start("name"), region.start + signature.end("name"))
        if content[1] <= content[0] or positions.covered(*content, tentative, sourced_at=name):
            return
        dash = (region.start + signature.start("dash"), region.start + signature.end("dash"))
        post = Attribution(id=positions.next_id(), source=Span.of(text, *name), cue=Span.of(text, *dash),
                           content=Span.of(text, *content), form="direct")
        positions.add(post)
        # the post quoting someone: 'Kanye West to @jonkarl: "I don't answer ..."' is Kanye West's, as the post says
        quoted = _POST_QUOTE.match(text, content[0], content[1])
        if quoted is not None:
            inner_end = quoted.end("quote")
            positions.add(Attribution(
                id=positions.next_id(), source=Span.of(text, *quoted.span("name")),
                cue=Span.of(text, *quoted.span("colon")), content=Span.of(text, quoted.start("quote"), inner_end),
                form="direct", parent=post.id))

    def _outside_page_furniture(self, report, own_outlet: frozenset[str]) -> None:
        regions = report.structure or []
        gone = set()
        for a in report.attributions:
            if (in_unstated_region(regions, a.content.start, a.content.end) or in_page_heading(regions, a)
                    or in_title_copy(regions, a, report.text, report.title)):
                gone.add(a.id)
                continue
            if a.source is not None and in_unstated_region(regions, a.source.start, a.source.end):
                a.source = None
            if a.source is not None and self._writer(a, report.attributions, own_outlet):
                gone.add(a.id)
        remove_attributions(report, gone)

    def _writer(self, attribution, attributions, own_outlet: frozenset[str]) -> bool:
        """The writer's own voice: a first-person source ("I" / "we") or the article's own outlet ("as Breitbart
        News has reported" in Breitbart News, "an AP Fact Check" in the AP's), outside every other attribution's
        words."""
        src = attribution.source
        if src.text.strip().lower() not in FIRST_PERSON and not names_outlet(src.text, own_outlet, self.lexicons):
            return False
        return outside_others_words(src.start, attribution, attributions)

    @staticmethod
    def _one_per_content(report) -> None:
        """One quote read twice ("..., she said. '...,' she said" gives the second cue to both) is kept once, with
        the nearer cue; the same words from two sources (an outlet citing officials) stay two attributions."""
        kept: dict[tuple[int, int, str], Attribution] = {}
        for a in report.attributions:
            key = (a.content.start, a.content.end, a.source.text.strip().lower() if a.source else "")
            other = kept.get(key)
            if other is None or _cue_distance(a) < _cue_distance(other):
                kept[key] = a
        # a cue lent to the next quote as well ("'...,' she said. '...,' Ginsburg said" reads the first "said" for
        # both): when that quote has its own attribution, the borrowed one goes
        by_cue: dict[tuple[int, int], list[Attribution]] = {}
        for a in kept.values():
            if a.cue is not None:
                by_cue.setdefault((a.cue.start, a.cue.end), []).append(a)
        named_for: dict[tuple[int, int], int] = {}
        for a in kept.values():
            if a.source is not None and a.source.text.strip().lower() not in PRONOUN_SOURCES:
                span = (a.content.start, a.content.end)
                named_for[span] = named_for.get(span, 0) + 1
        for sharing in by_cue.values():
            if len(sharing) < 2:
                continue
            for a in sharing:
                span = (a.content.start, a.content.end)
                # a pronoun's cue lent to words another sentence names the speaker of
                if a.source is not None and a.source.text.strip().lower() in PRONOUN_SOURCES and named_for.get(span):
                    key = (a.content.start, a.content.end, a.source.text.strip().lower())
                    if kept.get(key) is a:
                        del kept[key]
        kept_ids = {a.id for a in kept.values()}
        remove_attributions(report, {a.id for a in report.attributions if a.id not in kept_ids})

    @staticmethod
    def _credited_quotes(report, before, name: tuple[int, int], positions: AttributionPositions, tentative) -> None:
        """The paragraphs in quotation marks just above a round-up's credit line ("Therese Raphael, Bloomberg") are
        the credited writer's, one record a paragraph (at most six paragraphs up; none already read)."""
        text = report.text
        paragraphs = []
        for region in reversed(before[-6:]):
            if region.kind not in ("body", "block_quote") or text[region.start:region.start + 1] not in QUOTE_OPENERS:
                break
            paragraphs.append(region)
        for region in reversed(paragraphs):
            start, end = trim_range(text, region.start, region.end, edge=" \t\n\r\u00a0")
            if end - start < 20 or positions.covered(start, end, tentative):
                continue
            positions.add(Attribution(id=positions.next_id(), source=Span.of(text, *name), cue=None,
                                      content=Span.of(text, start, end), form="direct"))

    def _block_quote(self, report, doc, cue_line, block, positions: AttributionPositions) -> None:
        line = doc.char_span(cue_line.start, cue_line.end, alignment_mode="expand")
        if line is None:
            return
        verbs = [t for t in line if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in self.speech_verbs]
        if not verbs:
            verbs = _introducing_verb(line)
        if not verbs:
            return
        # the last verb with a subject ("Haberman, who called it a "strong signal she's very much thinking about
        # ...":": "called", not the quoted "thinking")
        verb = next((v for v in reversed(verbs) if any(c.dep_ in {"nsubj", "nsubjpass"} for c in v.children)), verbs[-1])
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects:
            return
        # the subject's words on the cue line (the parser may hang a mark or break of the line before on it; a
        # relative "who" is left to the speakers stage, which reads its antecedent)
        subtree = [t for t in subjects[0].subtree if t.idx >= cue_line.start]
        while subtree and (subtree[0].is_space or subtree[0].is_punct):
            subtree.pop(0)
        if not subtree:
            return
        source = (subtree[0].idx, subtree[-1].idx + len(subtree[-1].text))
        content = trim_range(report.text, block.start, block.end, edge=" \t\n\r\u00a0")
        text = report.text
        quote = Attribution(id=positions.next_id(), source=Span.of(text, *source),
                            cue=Span.of(text, verb.idx, verb.idx + len(verb.text)),
                            content=Span.of(text, *content), form="direct")
        positions.add(quote)
        self._nested_in_block(doc, quote, block, positions)

    def _nested_in_block(self, doc, quote: Attribution, block, positions: AttributionPositions) -> None:
        """"... then he believes that he would be exonerated ...": a speaker named inside the block quote speaks
        too, one record per layer (the attributions stage reads nested layers only inside its own contents)."""
        text = positions.report.text
        # the quote's cue lies before the block: no token of the block is a cue yet
        for cue, source, contents in layers_named_inside(doc, block.start, block.end, self.lexicons):
            for content in contents:
                positions.add(Attribution(id=positions.next_id(), source=Span.of(text, *source),
                                          cue=Span.of(text, *cue), content=Span.of(text, *content), form="indirect",
                                          parent=quote.id))


# subjects that name no one: the paragraph after them is no one's words ("But not everyone was down with it:")
_NO_ONE = frozenset("it this that these those there here what which who nobody everyone everybody anyone anybody "
                    "someone somebody something nothing everything none all i we you".split())


def _relative_subject(verb, subject) -> bool:
    """``subject`` is a relative pronoun standing for the noun ``verb``'s clause hangs on ("Haberman, who called ..."):
    judged by that noun."""
    return verb.dep_ == "relcl" and subject.tag_ in {"WP", "WDT"} and verb.head.pos_ in {"PROPN", "NOUN"}


def _introducing_verb(line) -> list:
    """A line with no verb of saying that introduces a quotation in the next paragraph ("Jordan dismissed Taylor
    this way:", "In his announcement, Trump hit the wall issue hard:", "Alexander closed out the segment with
    this:"): the verb of the line's last sentence, when its subject names someone (not "it", "there", "not
    everyone")."""
    # the line's last verb with its subject on the line (the parser may run the line's sentence on into the
    # quotation, so the sentence's root can lie past the line)
    # the line's last sentence: "The idea remains, according to the Times. This paragraph is jaw dropping:"
    last = [m.end() for m in re.finditer(r"[.!?][\"”’)]*\s", line.text)]
    start = line[0].idx + (last[-1] if last else 0)
    verbs = [t for t in line if t.idx >= start and t.pos_ == "VERB" and t.lemma_.lower() != "be"
             and any(c.dep_ in {"nsubj", "nsubjpass"} and c.idx >= start for c in t.children)]
    # the governing one ("Both sides expect [Biden to benefit]:" is the sides', not Biden's)
    verbs = [v for v in verbs if not any(a in verbs for a in v.ancestors)]
    if not verbs:
        return []
    verb = verbs[-1]
    subject = next(c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.idx >= start)
    if _relative_subject(verb, subject):
        subject = verb.head
    if subject.lower_ in _NO_ONE or subject.pos_ not in {"PROPN", "NOUN", "PRON"}:
        return []
    if any(t.dep_ == "neg" or t.lower_ in {"no", "not"} for t in subject.subtree if t.i <= subject.i):
        return []
    return [verb]


def in_page_heading(regions, attribution: Attribution) -> bool:
    """A heading inside the page (a related story's headline, a section head: "Graham Says No Senate Republicans
    Would Vote ...") is furniture, not a statement. The article's own title, its first line, stays read as
    the story's first report (PolNeAR annotates titles)."""
    region = region_at(regions, attribution.content.start, attribution.content.end)
    return region is not None and region.kind == "heading" and bool(regions) and region.start > regions[0].start


def in_title_copy(regions, attribution: Attribution, text: str, title: str | None) -> bool:
    """The first line when it is the article's title again (a page copied with its headline, as one AllSides text in
    twenty is): a headline, which the guide never reads as a statement. A text given without a title keeps its
    first line read (PolNeAR's texts open with their titles, which it annotates)."""
    if not title or not regions:
        return False
    first = regions[0]
    return (first.start <= attribution.content.start and attribution.content.end <= first.end
            and " ".join(text[first.start:first.end].split()) == " ".join(title.split()))


def _cue_distance(a: Attribution) -> int:
    if a.cue is None:
        return 10**9
    return max(0, a.cue.start - a.content.end, a.content.start - a.cue.end)


def make_layout_statements(options):
    return LayoutStatements(lexicons_for(options))
