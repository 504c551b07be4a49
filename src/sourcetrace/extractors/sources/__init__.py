"""Who the sources are: resolve each attribution's source span to one source of the article.

Offline, from the shared spaCy parse, its named entities and rules (no coreference model ships
with the installed pipeline):

- partial names and pronouns go to the full name the article uses ("Sullivan", "he" -> Jake
  Sullivan); titles and appositions become the ``descriptor``;
- outlets and their short forms ("the Post" -> The Washington Post once the article named it) and
  governments named by metonymy ("Moscow", "the White House") come from lexicon files;
- ``kind`` and ``named`` follow from the entity type, the head noun's lexicon class and the
  determiner ("a senior official" and "officials familiar with the matter" are anonymous).

One module a job: ``mentions`` (the article's index of entities, names and outlets; token helpers),
``coreference`` (pronouns, relative pronouns, bare titles), ``descriptors`` (titles and appositions),
``classify`` (kind, named, name and key of one mention); their word lists are lexicon files read by
``words``. ``MentionResolver.classify(start, end)`` classifies any span in its article context; the
extractor uses it for attribution sources and ``sourcetrace eval sources`` for gold spans.
"""
from __future__ import annotations

import re
from typing import cast

from spacy.tokens import Doc, Token

from ...lexicons import Lexicons
from ...model import Attribution, Source, SourceKind, Span
from ..layout import next_attribution_id
from .classify import MentionClassifier
from .coreference import Coreference, shared_subject
from ..attributions.features import quotation_char_ranges
from .descriptors import Descriptors
from .mentions import MentionIndex, MentionInfo, clean_person_name
from .words import source_lexicons


class MentionResolver:
    """Classifies source mentions of one article, using the whole article as context; ``lexicons``: the word
    lists of the article's language."""

    def __init__(self, doc: Doc, lexicons: Lexicons):
        self.index = MentionIndex(doc, source_lexicons(lexicons))
        self.coreference = Coreference(self.index)
        self.descriptors = Descriptors(self.index)
        self.classifier = MentionClassifier(self.index, self.coreference, self.descriptors)

    def classify(self, start: int, end: int) -> MentionInfo:
        return self.classifier.classify(start, end)

    def relative_antecedent(self, tok: Token) -> list[Token] | None:
        return self.coreference.relative_antecedent(tok)

    def person_title(self, name: str) -> str | None:
        return self.descriptors.person_title(name)

    def first_name_only(self, name: str) -> bool:
        """Whether the fullest name the article gives a person is a lone given name ("says Lisa, a flex driver ...,
        who declined to have her full name published"): a reader cannot look such a person up. A given name the
        name lexicon knows, or a word the article introduces with an indefinite apposition ("Arian, one of the
        customers") and never gives a title ("Mr. Arian" is a surname)."""
        if not name or len(name.split()) != 1 or not name[:1].isupper() or name.isupper():
            return False
        lex = self.index.lex
        low = name.lower()
        if low in lex.male_names or low in lex.female_names:
            return True
        text = self.index.text
        word = re.escape(name)
        if not re.search(r"\b" + word + r",\s+(?:a|an|one of)\s", text):
            return False
        titles = "|".join(re.escape(t.rstrip(".")) for t in lex.title_abbreviations)
        return not re.search(r"\b(?:" + titles + r")\.?\s+" + word + r"\b", text, re.IGNORECASE)


def mention_resolver(ctx) -> MentionResolver:
    """The article's one ``MentionResolver``, built by the first extractor that needs it and kept in
    ``ctx.mentions`` (building it scans the whole text for outlets and names)."""
    if ctx.mentions is None:
        ctx.mentions = MentionResolver(ctx.doc, ctx.lexicons)
    return ctx.mentions


# "(I-Vt.)", "(D-N.M.)", "(R-Texas)": a lawmaker's party and state, which the parse may take for the subject
PARTY_TAG = re.compile(r"\([DRI]-[A-Z][A-Za-z. ]{1,14}\)")

PARTY_TAG_BEFORE = re.compile(PARTY_TAG.pattern + r",?\s*$")

HEARSAY = re.compile(r"\b(?:reportedly|allegedly|purportedly|supposedly|(?:is|was|are|were) (?:said|reported|alleged|"
                     r"rumou?red) to)\b", re.IGNORECASE)


def in_party_tag(text: str, start: int, end: int) -> bool:
    """Whether the mention lies within a party-and-state tag (all of it, or a piece the tokenizer split off)."""
    window = max(0, start - 16)
    return any(m.start() <= start and end <= m.end() + 1
               for m in PARTY_TAG.finditer(text, window, min(len(text), end + 16)))


class SourceResolver:
    """Fills ``sources[]`` and each attribution's ``source_id``."""

    name = "sources"
    requires = ("attribution_chains",)
    assigns = ("sources", "source_keys")

    def __call__(self, ctx) -> None:
        resolver = mention_resolver(ctx)
        text = ctx.report.text
        by_key: dict[str, Source] = {}
        self._inherit_subjects(ctx)
        for attribution in ctx.report.attributions:
            if attribution.source is None:
                continue
            info = self._quoted_speaker(resolver, attribution, ctx.report.attributions)
            if info is None:
                info = resolver.classify(attribution.source.start, attribution.source.end)
            source = by_key.get(info.key)
            if source is None:
                source = Source(id=f"s{len(by_key) + 1}", name=info.name, kind=cast(SourceKind, info.kind), named=info.named,
                                descriptor=info.descriptor)
                by_key[info.key] = source
            else:
                if not source.descriptor and info.descriptor:
                    source.descriptor = info.descriptor
                if info.named and not source.named:
                    source.named = True
                    source.name = info.name
            mention = Span.of(text, attribution.source.start, attribution.source.end)
            for span in [mention] + self._relative_antecedent_mention(ctx, resolver, mention):
                if all((m.start, m.end) != (span.start, span.end) for m in source.mentions):
                    source.mentions.append(span)
            source.mentions.sort(key=lambda m: m.start)
            attribution.source_id = source.id
        for source in by_key.values():
            if source.kind == "person" and source.named and resolver.first_name_only(source.name):
                source.named = False
            if source.kind == "person" and source.named and not source.descriptor:
                source.descriptor = resolver.person_title(source.name)
        ctx.report.sources = list(by_key.values())
        # later extractors (profile's first reports) map other mentions onto these sources by key
        ctx.source_keys = {key: source.id for key, source in by_key.items()}


    @staticmethod
    def _inherit_subjects(ctx) -> None:
        """A cued attribution without a source whose speech verb shares its subject with the verb before it
        ("He has defended Kavanaugh, said he has a hard time ...") takes that subject as its source mention;
        never a subject inside quotation marks or inside the attribution's own words."""
        text = ctx.report.text
        doc = ctx.doc
        quoted = quotation_char_ranges(text)
        hearsay = []
        for attribution in list(ctx.report.attributions):
            if attribution.source is not None and attribution.cue is not None and attribution.source.end <= attribution.cue.end \
                    and HEARSAY.search(text, attribution.source.end, attribution.cue.end):
                hearsay.append(attribution)
                continue
            if attribution.source is not None:
                SourceResolver._relative_source(ctx, mention_resolver(ctx), attribution)
            if attribution.source is not None and in_party_tag(text, attribution.source.start, attribution.source.end):
                person = SourceResolver._tagged_person(ctx, attribution.source.start)
                if person is not None:
                    attribution.source = Span.of(text, person.start_char, person.end_char)
                continue
            if attribution.source is not None or attribution.cue is None:
                continue
            tag = PARTY_TAG_BEFORE.search(text, max(0, attribution.cue.start - 24), attribution.cue.start)
            if tag is not None:  # "... MORE (D-N.M.) said": the parse found no subject across the page's hover card
                person = SourceResolver._tagged_person(ctx, tag.start())
                if person is not None:
                    attribution.source = Span.of(text, person.start_char, person.end_char)
                    continue
            cue = doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
            verbs = [t for t in cue or () if t.pos_ == "VERB"]
            if not verbs:
                continue
            subject = shared_subject(verbs[-1]) or shared_subject(verbs[0])
            if not subject:
                continue
            start, end = subject[0].idx, subject[-1].idx + len(subject[-1])
            if attribution.content.start <= start < attribution.content.end or any(s <= start < e for s, e in quoted):
                continue
            attribution.source = Span.of(text, start, end)
        for attribution in hearsay:
            # "Trump reportedly said", "Cohn is reported to have said": the words are the subject's, and the article
            # has them from reports it does not name; two readings, as the attribution guide counts a nested report:
            # a sourceless report (first) and the subject's statement
            report = ctx.report
            twin = Attribution(id=next_attribution_id(report), cue=attribution.cue, content=attribution.content,
                               form="reported", stance=attribution.stance, parent=attribution.parent)
            report.attributions.insert(report.attributions.index(attribution), twin)

    @staticmethod
    def _relative_antecedent_mention(ctx, resolver: MentionResolver, mention: Span) -> list[Span]:
        """"the one who says": the noun phrase a relative pronoun source stands for is a mention of the same
        source (linked, so the source shows where the article names it)."""
        span = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or len(span) != 1 or span[0].lower_ not in resolver.index.lex.relative_pronouns:
            return []
        antecedent = resolver.relative_antecedent(span[0])
        if not antecedent or antecedent[0].i >= span[0].i:
            return []
        return [Span.of(ctx.report.text, antecedent[0].idx, antecedent[-1].idx + len(antecedent[-1]))]

    @staticmethod
    def _relative_source(ctx, resolver: MentionResolver, attribution) -> None:
        """A source span that opens with a relative pronoun and runs on into its clause ("who last year during a
        hearing told ...") is the pronoun: it is what stands for the speaker."""
        span = ctx.doc.char_span(attribution.source.start, attribution.source.end, alignment_mode="expand")
        if span is not None and len(span) > 1 and span[0].lower_ in resolver.index.lex.relative_pronouns \
                and span[0].tag_ in {"WP", "WDT"} and span[0].dep_ in {"nsubj", "nsubjpass"}:
            attribution.source = Span.of(ctx.report.text, span[0].idx, span[0].idx + len(span[0]))

    @staticmethod
    def _tagged_person(ctx, position: int):
        """The person a party-and-state tag belongs to: the last person its sentence names before it ("Sen.
        Bernie Sanders (I-Vt.) said", even with a page's related links run in between)."""
        resolver = mention_resolver(ctx)
        token = ctx.doc.char_span(position, position + 1, alignment_mode="expand")
        if token is None or not len(token):
            return None
        sent = token[0].sent
        before = [e for e in resolver.index.persons if sent.start_char <= e.start_char and e.end_char <= position]
        if not before:
            return None
        # a page's hover card between the name and its tag repeats the name, run into a headline ("Sen. Mike Lee
        # Michael (Mike) Shumway LeeFed chief urges ... MORE (R-Utah)"): the first person whose surname it holds
        last = before[-1].text

        def surname(ent) -> str:
            words = clean_person_name(ent, resolver.index.lex.title_abbreviations).split()
            return words[-1] if words else "\0"

        return next((e for e in before if re.search(r"\b" + re.escape(surname(e)), last)), before[-1])

    @staticmethod
    def _quoted_speaker(resolver: MentionResolver, attribution, attributions) -> MentionInfo | None:
        """"I"/"we" inside someone's quoted words is that speaker, not the article's author."""
        src = attribution.source
        words = resolver.index.lex
        first_person = words.first_person_singular | words.first_person_plural
        if src.text.strip().lower() not in first_person:
            return None
        outer = [a for a in attributions if a is not attribution and a.source is not None
                 and a.content.start <= src.start < a.content.end
                 and a.source.text.strip().lower() not in first_person]
        if not outer:
            return None
        speaker = min(outer, key=lambda a: a.content.end - a.content.start)
        info = resolver.classify(speaker.source.start, speaker.source.end)
        if src.text.strip().lower() in words.first_person_plural:
            # "we" in a quote: the speaker and those they speak for
            return MentionInfo(src.start, src.end, "group", info.named, f"{info.name} and colleagues",
                               info.descriptor, f"group:{info.key}")
        return info.with_span(src.start, src.end)


def make_source_resolver(options):
    return SourceResolver()
