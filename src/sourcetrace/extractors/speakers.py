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
from bisect import bisect_right
from dataclasses import dataclass

from typing import cast

from ..model import Attribution, Source, SourceKind, Span
from .layout import add_attribution, covered_by_attribution, next_attribution_id
from .sources import MentionInfo, mention_resolver

SUBJECT_PRONOUNS = {"he": "m", "she": "f"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}


@dataclass(frozen=True)
class SalientPerson:
    position: int  # character offset of the mention
    info: MentionInfo
    gender: str | None


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


class SpeakerChain:
    name = "speaker_chain"

    def __call__(self, ctx) -> None:
        report = ctx.report
        pronoun_attributions = [a for a in report.attributions if a.source is not None
                                and a.source.text.strip().lower() in SUBJECT_PRONOUNS]
        if not pronoun_attributions:
            return
        resolver = mention_resolver(ctx)
        reported = sorted((a.content.start, a.content.end) for a in report.attributions)
        starts = [s for s, _ in reported]

        def inside_reported(pos: int) -> bool:
            i = bisect_right(starts, pos)
            return any(s <= pos < e for s, e in reported[max(0, i - 8):i])

        people = self._salient_people(ctx.doc, resolver, report, inside_reported)
        infos: dict[str, MentionInfo] = {}
        # a person's gender once a pronoun has named them ("Pride ... he said"): surnames alone carry none
        learned: dict[str, str] = {}
        for attribution in pronoun_attributions:
            gender = SUBJECT_PRONOUNS[attribution.source.text.strip().lower()]
            chosen = self._antecedent(people, attribution.source.start, gender, learned)
            if chosen is not None:
                learned.setdefault(chosen.info.key, gender)
                infos[attribution.id] = chosen.info.with_span(attribution.source.start, attribution.source.end)
        if infos:
            link_sources(ctx, infos)

    def _salient_people(self, doc, resolver, report, inside_reported) -> list[SalientPerson]:
        people: list[SalientPerson] = []
        sources = {s.id: s for s in report.sources}
        for a in report.attributions:
            src = sources.get(a.source_id) if a.source_id else None
            if (a.source is None or src is None or src.kind != "person" or not src.named
                    or a.source.text.strip().lower() in SUBJECT_PRONOUNS or inside_reported(a.source.start)
                    or not any(e.start_char < a.source.end and a.source.start < e.end_char for e in resolver.index.persons)):
                continue  # only speakers the parse names as people ("Criticism" at a sentence start is not one)
            info = resolver.classify(a.source.start, a.source.end)
            people.append(SalientPerson(a.source.start, info, self._gender(resolver, info.name)))
        for ent in resolver.index.persons:
            if inside_reported(ent.start_char) or not any(t.dep_ in SUBJECT_DEPS for t in ent):
                continue
            info = resolver.classify(ent.start_char, ent.end_char)
            if info.kind == "person" and info.named:
                people.append(SalientPerson(ent.start_char, info, self._gender(resolver, info.name)))
        people.sort(key=lambda p: p.position)
        return people

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
    def _antecedent(people: list[SalientPerson], position: int, gender: str,
                    learned: dict[str, str]) -> SalientPerson | None:
        i = bisect_right([p.position for p in people], position - 1)
        for person in reversed(people[:i]):
            if (person.gender or learned.get(person.info.key)) in (None, gender):
                return person
        return None

_QA = re.compile(r"^(?P<label>Q|A)\s*[:.]\s+\S")
_OPENING = ("“", '"', "‘")


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
                if interviewee is not None and not covered_by_attribution(report, region.start, region.end):
                    content = (region.start + qa.end() - 1, region.end)
                    a = Attribution(id=next_attribution_id(report), content=Span.of(text, *content), form="direct")
                    add_attribution(report, a)
                    links[a.id] = interviewee
                continue
            if not line.startswith(_OPENING) or n == 0 or covered_by_attribution(report, region.start, region.end):
                continue
            if any(a.cue is not None and region.start <= a.cue.start < region.end for a in report.attributions):
                continue
            speaker = self._quoted_before(ctx, regions[n - 1], sources)
            if speaker is None:
                continue
            a = Attribution(id=next_attribution_id(report), content=Span.of(text, region.start, region.end), form="direct")
            add_attribution(report, a)
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
        key = next((k for k, v in ctx.source_keys.items() if v == source.id), None)
        return MentionInfo(0, 0, source.kind, source.named, source.name, source.descriptor,
                           key or f"{source.kind}:{source.name.lower()}")

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




_NAME_FILLERS = {"of", "the", "and", "for", "on", "in", "&"}


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w and w.lower() not in _NAME_FILLERS and w[0].isupper())


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
        for a in report.attributions:
            source = sources.get(a.source_id) if a.source_id else None
            if source is None or a.source is None or not source.named:
                continue
            info = None
            if source.kind in ("organization", "government", "media"):
                long_form = self._spelled_out(source.name, orgs)
                if long_form is not None:
                    info = MentionInfo(0, 0, source.kind, True, long_form, source.descriptor,
                                       f"{source.kind}:{long_form.lower()}")
            if info is None and source.kind in ("person", "government"):  # "the county sheriff, Chris Fitzgerald,"
                info = self._apposed_person(resolver, a.source.start, a.source.end)
            if info is None and source.name.lower().startswith("the ") and source.kind == "person":
                info = self._leading_referent(resolver, a.source.start, source.kind)
            if info is not None and info.name != source.name:
                infos[a.id] = info.with_span(a.source.start, a.source.end)
        if infos:
            link_sources(ctx, infos)

    @staticmethod
    def _spelled_out(name: str, orgs) -> str | None:
        short = name[4:] if name.lower().startswith("the ") else name
        if not short or " " in short:
            return None
        candidates = []
        for ent in orgs:
            full = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            words = full.split()
            if short.isupper() and 2 <= len(short) <= 6 and _initials(full) == short:
                candidates.append(full)
            elif (len(short) >= 3 and short[0].isupper() and not short.isupper() and len(words) >= 2
                  and words[0].startswith(short) and words[0] != short):
                candidates.append(full)  # "Fed" -> "Federal Reserve"
        return max(candidates, key=len) if candidates else None

    @staticmethod
    def _apposed_person(resolver, start: int, end: int) -> MentionInfo | None:
        mention = resolver.index.text[start:end]
        comma = mention.find(",")
        if comma < 0:
            return None
        for ent in resolver.index.persons:
            if start + comma < ent.start_char and ent.end_char <= end:
                info = resolver.classify(ent.start_char, ent.end_char)
                return info if info.kind == "person" and info.named else None
        return None

    @staticmethod
    def _leading_referent(resolver, position: int, kind: str) -> MentionInfo | None:
        """The referent mentioned most often before ``position``, when it leads the next by two mentions."""
        counts: dict[str, tuple[int, MentionInfo]] = {}
        for ent in resolver.index.persons:
            if ent.start_char >= position:
                break
            info = resolver.classify(ent.start_char, ent.end_char)
            if info.kind != kind or not info.named:
                continue
            n, _ = counts.get(info.key, (0, info))
            counts[info.key] = (n + 1, info)
        ranked = sorted(counts.values(), key=lambda c: -c[0])
        if not ranked or (len(ranked) > 1 and ranked[0][0] < ranked[1][0] + 2):
            return None
        return ranked[0][1]


class SpeakerResolution:
    """Sources resolved to their referents: the speaker chain for "he" / "she", the statements with no mention
    (continuations, Q&A answers) linked to their speaker, and the fullest name for each source."""

    name = "speakers"
    requires = ("sources", "source_keys", "structure")
    assigns = ("speakers",)

    def __init__(self):
        self.steps = (SpeakerChain(), UncuedStatements(), FullestNames())

    def __call__(self, ctx) -> None:
        for step in self.steps:
            step(ctx)


def make_speaker_resolution(options):
    return SpeakerResolution()
