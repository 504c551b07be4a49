"""Statements the page layout makes, where no sentence says who speaks.

- a block quote: "Chairman Ajit Pai said:" and the paragraph after it (``structure`` types it ``block_quote``);
- an embedded post: the post's words above its "— Name (@handle) March 1, 2019" line;
- an uncued continuation: a paragraph that is one quotation with no cue, right after a paragraph quoting
  someone: newsroom style gives it to the speaker being quoted (a quote running over several paragraphs
  reopens its marks at each one), not to whoever was named last;
- a Q&A: each "A:" answer is the interviewee's, the person the introduction presents.
The first two name their speaker on the page, so their source mentions go through ``sources`` like any other;
the last two have no mention and are linked to the speaker's source afterwards. The same content found twice
(a CRF relation and a syntactic one for one quote) is kept once, with the cue nearest to it.
"""
from __future__ import annotations

import re

from .. import lexicons
from ..model import Attribution, Span
from . import register
from .sources import MentionInfo, mention_resolver
from .speakers import link_sources

_SIGNATURE = re.compile(r"^[—–-]\s*(?P<name>[^()\n]{1,80}?)\s*\(@\w{1,30}\)")
_QA = re.compile(r"^(?P<label>Q|A)\s*[:.]\s+\S")
_OPENING = ("“", '"', "‘")
_CLOSING = ("”", '"', "’")


def _next_id(report) -> str:
    return f"a{max((int(a.id[1:]) for a in report.attributions if a.id[1:].isdigit()), default=0) + 1}"


def _add(report, attribution: Attribution) -> None:
    report.attributions.append(attribution)
    report.attributions.sort(key=lambda a: (a.content.start, -a.content.end))


def _covered(report, start: int, end: int) -> bool:
    """Whether an attribution's content already holds most of ``[start, end)``."""
    size = max(1, end - start)
    return any(min(a.content.end, end) - max(a.content.start, start) >= 0.5 * size for a in report.attributions)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class LayoutStatements:
    """Block quotes and embedded posts (their speakers are named on the page), and one attribution per content."""

    name = "layout_statements"

    def __init__(self):
        self.speech_verbs = lexicons.load("speech_verbs") | {"write", "tweet", "post", "say", "tell", "add", "state"}

    def __call__(self, ctx) -> None:
        report, doc = ctx.report, ctx.doc
        self._one_per_content(report)
        regions = report.structure or []
        text = report.text
        for n, region in enumerate(regions):
            if region.kind == "block_quote" and n > 0 and not _covered(report, region.start, region.end):
                self._block_quote(report, doc, regions[n - 1], region)
            elif region.kind == "embedded_post" and (m := _SIGNATURE.match(text[region.start:region.end])):
                words = [r for r in regions[max(0, n - 2):n] if r.kind == "embedded_post"]
                if words and not _covered(report, words[0].start, words[-1].end):
                    name = (region.start + m.start("name"), region.start + m.end("name"))
                    dash = (region.start, region.start + 1)
                    _add(report, Attribution(id=_next_id(report), source=Span.of(text, *name),
                                             cue=Span.of(text, *dash),
                                             content=Span.of(text, words[0].start, words[-1].end), form="direct"))

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
        cues_of: dict[tuple[int, int], set[tuple[int, int] | None]] = {}
        for a in kept.values():
            cues_of.setdefault((a.content.start, a.content.end), set()).add((a.cue.start, a.cue.end) if a.cue else None)
        for cue, sharing in by_cue.items():
            if len(sharing) < 2:
                continue
            for a in sharing:
                span = (a.content.start, a.content.end)
                if cues_of[span] - {cue}:  # these words have a cue of their own
                    key = (a.content.start, a.content.end, a.source.text.strip().lower() if a.source else "")
                    if kept.get(key) is a:
                        del kept[key]
                        cues_of[span].discard(cue)
        if len(kept) < len(report.attributions):
            kept_ids = {a.id for a in kept.values()}
            report.attributions = [a for a in report.attributions if a.id in kept_ids]
            for a in report.attributions:
                if a.parent is not None and a.parent not in kept_ids:
                    a.parent = None

    def _block_quote(self, report, doc, cue_line, block) -> None:
        line = doc.char_span(cue_line.start, cue_line.end, alignment_mode="expand")
        if line is None:
            return
        verbs = [t for t in line if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in self.speech_verbs]
        if not verbs:
            return
        verb = verbs[-1]
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects:
            return
        subtree = list(subjects[0].subtree)
        source = (subtree[0].idx, subtree[-1].idx + len(subtree[-1].text))
        content = _trimmed(report.text, block.start, block.end)
        text = report.text
        _add(report, Attribution(id=_next_id(report), source=Span.of(text, *source),
                                 cue=Span.of(text, verb.idx, verb.idx + len(verb.text)),
                                 content=Span.of(text, *content), form="direct"))


def _cue_distance(a: Attribution) -> int:
    if a.cue is None:
        return 10**9
    return max(0, a.cue.start - a.content.end, a.content.start - a.cue.end)


class UncuedStatements:
    """Continuation paragraphs and Q&A answers, linked to their speaker's source once sources are known."""

    name = "uncued_statements"

    def __call__(self, ctx) -> None:
        report = ctx.report
        regions = [r for r in (report.structure or [])
                   if r.kind in ("body", "block_quote", "list_item", "transcript_turn")]
        if not regions:
            return
        text = report.text
        sources = {s.id: s for s in report.sources}
        links: dict[str, MentionInfo] = {}
        interviewee = None
        for n, region in enumerate(regions):
            line = text[region.start:region.end]
            qa = _QA.match(line)
            if qa and qa.group("label") == "A":
                if interviewee is None:
                    interviewee = self._interviewee(ctx, regions[0].start, region.start)
                if interviewee is not None and not _covered(report, region.start, region.end):
                    content = (region.start + qa.end() - 1, region.end)
                    a = Attribution(id=_next_id(report), content=Span.of(text, *content), form="direct")
                    _add(report, a)
                    links[a.id] = interviewee
                continue
            if not line.startswith(_OPENING) or n == 0 or _covered(report, region.start, region.end):
                continue
            if any(a.cue is not None and region.start <= a.cue.start < region.end for a in report.attributions):
                continue
            speaker = self._quoted_before(ctx, regions[n - 1], sources)
            if speaker is None:
                continue
            a = Attribution(id=_next_id(report), content=Span.of(text, region.start, region.end), form="direct")
            _add(report, a)
            links[a.id] = speaker
        if links:
            link_sources(ctx, links)

    @staticmethod
    def _quoted_before(ctx, previous, sources) -> MentionInfo | None:
        """The speaker of the last direct quotation in the paragraph before, as a mention info."""
        report = ctx.report
        quoted = [a for a in report.attributions if previous.start <= a.content.start < previous.end
                  and a.form in ("direct", "mixed") and a.source_id in sources]
        if not quoted:
            return None
        last = max(quoted, key=lambda a: a.content.end)
        source = sources[last.source_id]
        if not source.named or source.kind not in ("person", "group", "organization", "government"):
            return None
        key = next((k for k, v in ctx.scratch.get("source_keys", {}).items() if v == source.id), None)
        return MentionInfo(0, 0, source.kind, source.named, source.name, source.descriptor,
                           key or f"{source.kind}:{source.name.lower()}")

    @staticmethod
    def _interviewee(ctx, start: int, end: int):
        """The first named person of the introduction, before the first answer."""
        resolver = mention_resolver(ctx)
        for ent in resolver.persons:
            if start <= ent.start_char and ent.end_char <= end:
                info = resolver.classify(ent.start_char, ent.end_char)
                if info.kind == "person" and info.named:
                    return info
        return None


@register("layout_statements", order=16)
def make_layout_statements(options):
    return LayoutStatements()


@register("uncued_statements", order=22)
def make_uncued_statements(options):
    return UncuedStatements()
