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
from ..layout import next_attribution_id, remove_attributions, writers_own
from .classify import MentionClassifier
from .coreference import Coreference, main_clause_subject, shared_subject
from ..attributions.features import quotation_char_ranges
from ..attributions.syntax import CAPITALS_WORD
from .descriptors import Descriptors
from .mentions import MentionIndex, MentionInfo, clean_person_name, is_plural, np_tokens, strip_tokens
from .words import source_lexicons


# a transcript's label in capitals, maybe with the speaker's role after a comma, before its colon
_CAPITAL_LABEL = re.compile(rf"{CAPITALS_WORD}(?:[ \t]+{CAPITALS_WORD}){{0,4}}")
_ROLE_AFTER = rf"(?:,[ \t]*{CAPITALS_WORD}(?:[ \t]+{CAPITALS_WORD}){{0,3}})?[ \t]*:"
_LABEL_AFTER = re.compile(_ROLE_AFTER)
_LABELS = re.compile(rf"^[ \t]*(?P<label>{CAPITALS_WORD}(?:[ \t]+{CAPITALS_WORD}){{1,4}})" + _ROLE_AFTER, re.MULTILINE)
# words between a title's words ("SECRETARY OF STATE")
_TITLE_GLUE = frozenset({"of", "the", "for", "and", "state", "&"})


def _normal_case(word: str) -> str:
    """A word in capitals in normal case: "GONZÁLEZ" -> "González", "AL-SAADI" -> "Al-Saadi", "O’REILLY" -> "O’Reilly",
    "CANDIDATE'S" -> "Candidate's"."""
    runs = re.split(r"([^\W\d_]+)", word)
    out = []
    for k, run in enumerate(runs):
        if k % 2 and k > 1 and runs[k - 1] in ("’", "'") and len(runs[k - 2]) != 1:
            out.append(run.lower())  # "'S"
        else:
            out.append(run.capitalize() if k % 2 else run)
    return "".join(out)


def _unquoted(name: str) -> str:
    """A name without a quotation mark left at its edge with no partner in it: a closing mark the tokenizer joined to
    the next sentence's first word ("...by far.”Conservative groups are worried"), an opening one at its end."""
    if name[:1] in "”\"" and name.count("\"") % 2 or name[:1] == "”" or name[:1] == "“" and "”" not in name:
        name = name[1:].lstrip()
    if name[-1:] == "“" or name[-1:] == "”" and "“" not in name or name[-1:] == "\"" and name.count("\"") % 2:
        name = name[:-1].rstrip()
    return name or "unknown"


class MentionResolver:
    """Classifies source mentions of one article, using the whole article as context; ``lexicons``: the word
    lists of the article's language."""

    def __init__(self, doc: Doc, lexicons: Lexicons):
        self.index = MentionIndex(doc, source_lexicons(lexicons))
        self.coreference = Coreference(self.index)
        self.descriptors = Descriptors(self.index)
        self.classifier = MentionClassifier(self.index, self.coreference, self.descriptors)
        # each mention's reading, once: the speaker steps ask again about mentions the sources step read (about a
        # third of the calls), and a reading depends on the article alone
        self._classified: dict[tuple[int, int], MentionInfo] = {}

    def classify(self, start: int, end: int) -> MentionInfo:
        info = self._classified.get((start, end))
        if info is None:
            info = self.classifier.classify(start, end)
            if _LABEL_AFTER.match(self.index.text, end) and _CAPITAL_LABEL.fullmatch(self.index.text, start, end) \
                    and not self.index.text[max(0, self.index.text.rfind("\n", 0, start) + 1):start].strip(" \t\"“"):
                info = self._labelled_person(self.index.text[start:end], info)
            name = _unquoted(info.name)
            if name != info.name:
                info = MentionInfo(info.start, info.end, info.kind, info.named, name, info.descriptor, info.key)
            self._classified[(start, end)] = info
        return info.with_span(start, end)  # a copy: a caller may change what it is given

    def _labelled_person(self, label: str, info: MentionInfo) -> MentionInfo:
        """A transcript's speaker label in capitals ("AMY GOODMAN:", "MARTIN:", "GOVERNOR HALE:", "PRES. TRUMP:",
        "SECRETARY OF STATE JOHN KERRY:"): the person's name without the title, as the article writes it where it
        does ("Ellen Hale"), else as the longest label with that surname ("RACHEL MARTIN, HOST:" for "MARTIN"), in
        normal case. A label with neither a given name, a title nor a name found elsewhere keeps its reading
        ("CDC:", "MARKETS:")."""
        words = label.split()
        k, given = self._name_start(words)
        name = words[k:]
        surname = name[-1].lower()
        found = self._label_name(" ".join(name), surname)
        if found is None and (given or k > 0 or len(name) > 1 and info.kind == "person"):
            found = " ".join(_normal_case(w) for w in name)
        if found is None:
            return info
        return MentionInfo(0, 0, "person", True, found, None, f"person:{found.lower()}")

    def _label_name(self, name: str, surname: str) -> str | None:
        """The fullest name in normal case the article gives for a label's name: a person's name it writes
        ("Rachel Martin"), else a longer label with the same surname, in normal case."""
        full_names = self.index.full_names
        full = full_names.get(name.lower()) or full_names.get(surname)
        if full and not full.isupper() and surname in full.lower().split():
            return full
        labels = self._labels()
        longer = max((lab for lab in labels if lab.lower().split()[-1] == surname and len(lab) > len(name)),
                     key=len, default=None)
        if longer is not None:
            words = longer.split()
            return " ".join(_normal_case(w) for w in words[self._name_start(words)[0]:])
        return None

    def _name_start(self, words: list[str]) -> tuple[int, bool]:
        """Where the name starts in a label's words: at its first given name, else after its title words ("PRES.",
        "GOVERNOR", "SECRETARY OF STATE"); and whether a given name was found."""
        lex = self.index.lex
        given = next((k for k, w in enumerate(words) if w.lower() in lex.first_names), None)
        if given is not None:
            return given, True
        # after the last title word ("PUBLIC WORKS MINISTER TOMAS REIS") and the words that join titles ("OF STATE")
        k = max((j + 1 for j, w in enumerate(words[:-1]) if w.lower() in lex.title_abbreviations or w.lower() in lex.person_lex),
                default=0)
        while k < len(words) - 1 and words[k].lower() in _TITLE_GLUE:
            k += 1
        return k, False

    def _labels(self) -> list[str]:
        labels = getattr(self, "_label_list", None)
        if labels is None:
            labels = self._label_list = [m.group("label") for m in _LABELS.finditer(self.index.text)]
        return labels

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
        if low in lex.first_names:
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

# verbs whose object, a speech noun, is a statement of their subject's ("create the impression that ...")
EXPRESSING_VERBS = frozenset({"make", "create", "give", "express", "voice", "offer", "repeat", "convey", "issue",
                              "level", "lodge"})
# passive verbs by which an article reports what is said or thought without saying who: "is said to", "are expected to"
HEARSAY_PASSIVES = frozenset({"say", "report", "allege", "rumor", "rumour", "expect", "believe", "think", "understand"})
# passive hearsay of what is to come: "X is expected to announce ..." reports no saying of X's yet
FORECAST_PASSIVES = frozenset({"expect"})
# speech acts besides the speech-verb lexicon's whose reported doing is a statement ("is said to have demanded ...")
REQUEST_VERBS = frozenset({"demand", "ask", "order", "request", "propose", "offer", "threaten"})
# hearsay participles that modify a noun: "Mr. Trump's reported use of an insult", "her alleged remark"
HEARSAY_MODIFIERS = frozenset({"reported", "alleged", "purported", "rumored", "rumoured", "supposed"})
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
        speech_verbs = ctx.lexicons.words("speech_verbs") if ctx.lexicons is not None else frozenset()
        hearsay = []
        writers: set[str] = set()
        SourceResolver._drop_subject_noun_readings(ctx)
        for attribution in list(ctx.report.attributions):
            if attribution.source is not None and attribution.cue is not None and attribution.source.end <= attribution.cue.end \
                    and (HEARSAY.search(text, attribution.source.end, attribution.cue.end)
                         or SourceResolver._hearsay_modifier(doc, attribution.cue)):
                hearsay.append(attribution)
                continue
            if attribution.source is not None:
                SourceResolver._relative_source(ctx, mention_resolver(ctx), attribution)
                SourceResolver._listed_names(ctx, attribution)
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
                subject = SourceResolver._expresser(cue, speech_verbs)
                if subject:  # "the CNN piece tries to create the impression that ...": the piece's
                    start, end = subject[0].idx, subject[-1].idx + len(subject[-1])
                    if not attribution.content.start <= start < attribution.content.end \
                            and not any(s <= start < e for s, e in quoted):
                        attribution.source = Span.of(text, start, end)
                continue
            subject = shared_subject(verbs[-1]) or shared_subject(verbs[0]) or main_clause_subject(verbs[-1])
            if not subject:
                continue
            start, end = subject[0].idx, subject[-1].idx + len(subject[-1])
            if attribution.content.start <= start < attribution.content.end or any(s <= start < e for s, e in quoted):
                continue
            if writers_own(text[start:end], start, attribution, ctx.report.attributions):
                writers.add(attribution.id)  # "I criticized ... while describing ...": the writer's own voice
                continue
            attribution.source = Span.of(text, start, end)
        remove_attributions(ctx.report, writers)
        hearsay_passives = SourceResolver._hearsay_passives(ctx, skip={id(a) for a in hearsay})
        for attribution in hearsay:
            # "Trump reportedly said", "Cohn is reported to have said": the words are the subject's, and the article
            # has them from reports it does not name; two readings, as the attribution guide counts a nested report:
            # a sourceless report (first) and the subject's statement
            report = ctx.report
            twin = Attribution(id=next_attribution_id(report), cue=attribution.cue, content=attribution.content,
                               form="reported", stance=attribution.stance, parent=attribution.parent)
            report.attributions.insert(report.attributions.index(attribution), twin)
        for attribution, speaker in hearsay_passives:
            # "Trump is said to have demanded Mattis launch ...": as for "reportedly" above, a sourceless report
            # and, the subject's saying being what is reported, the subject's statement after it
            report = ctx.report
            twin = Attribution(id=next_attribution_id(report), source=speaker, cue=attribution.cue,
                               content=attribution.content, form="indirect", stance=attribution.stance,
                               parent=attribution.parent)
            report.attributions.insert(report.attributions.index(attribution) + 1, twin)

    @staticmethod
    def _hearsay_modifier(doc, cue: Span) -> bool:
        """Whether the cue opens with a hearsay participle that modifies a noun ("reported use of an insult"), not a
        verb of its own ("The Post reported")."""
        span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
        first = span[0] if span is not None and len(span) else None
        return first is not None and first.lower_ in HEARSAY_MODIFIERS and first.dep_ == "amod" \
            and first.head.pos_ == "NOUN" and first.head.i > first.i

    @staticmethod
    def _drop_subject_noun_readings(ctx) -> None:
        """"The NRA's complaint argues that ...": one statement, whose speaker is the complaint; the same words read
        a second time with the speech noun as cue ("complaint", the NRA's) go, the noun being the subject of the
        other reading's verb, not a cue of its own. Records nested under the dropped reading move to the kept one."""
        report, doc = ctx.report, ctx.doc
        by_content: dict[tuple[int, int], list[Attribution]] = {}
        for a in report.attributions:
            if a.cue is not None:
                by_content.setdefault((a.content.start, a.content.end), []).append(a)
        dropped: dict[str, str] = {}
        for same in by_content.values():
            if len(same) < 2:
                continue
            cues = {a.id: doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand") for a in same if a.cue is not None}
            for a in same:
                nouns = [t for t in cues[a.id] or () if t.pos_ == "NOUN"]
                if len(nouns) != 1 or nouns[0].dep_ != "nsubj" or a.id in dropped:
                    continue
                kept = next((b for b in same if b is not a and b.id not in dropped and cues[b.id] is not None
                             and any(t.i == nouns[0].head.i and t.pos_ == "VERB" for t in cues[b.id])), None)
                if kept is not None:
                    dropped[a.id] = kept.id
        if dropped:
            report.attributions = [a for a in report.attributions if a.id not in dropped]
            for a in report.attributions:
                if a.parent in dropped:
                    a.parent = dropped[a.parent]

    @staticmethod
    def _expresser(cue, speech_verbs: frozenset[str]) -> list | None:
        """Who a speech noun's statement is, when the noun is what a verb of expressing takes as its object ("the
        CNN piece tries to create the impression that ...", "Democrats made the argument that ...") or where a
        speech verb says it ("the campaign said in a statement that ..."): that verb's subject, its own or the one it
        shares; none for an expletive or a pronoun of the content ("it gives")."""
        noun = next((t for t in cue or () if t.pos_ == "NOUN"), None)
        if noun is None:
            return None
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in EXPRESSING_VERBS:
            verb = noun.head
        elif noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB" \
                and noun.head.head.lemma_.lower() in speech_verbs:
            verb = noun.head.head
        else:
            return None
        own = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if own is None:
            return shared_subject(verb) or None
        if own.lower_ in {"it", "there", "this", "that", "which", "what"}:
            return None
        return strip_tokens(np_tokens(own)) or None

    @staticmethod
    def _hearsay_passives(ctx, skip: set[int]) -> list[tuple[Attribution, Span]]:
        """Readings cued by a passive hearsay verb before an infinitive ("Protests are expected to kick off",
        "Trump is said to have demanded ..."): the passive's subject is what the report is about, not who reports
        it, so the reading is sourceless. Returns those whose infinitive is an active speech verb, with the subject that
        speaks there ("Trump ... demanded"; not "Comey is expected to be asked"), for a second reading. ``skip``: ids of the readings already read twice
        (a hearsay verb between the subject and a cue of its own: "Cohn is reported to have said")."""
        text, doc = ctx.report.text, ctx.doc
        speech_verbs = ctx.lexicons.words("speech_verbs") if ctx.lexicons is not None else frozenset()
        speaking = []
        for attribution in ctx.report.attributions:
            if attribution.cue is None or id(attribution) in skip:
                continue
            cue = doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
            verb = next((t for t in cue or () if t.tag_ == "VBN" and t.lemma_.lower() in HEARSAY_PASSIVES
                         and any(c.dep_ == "auxpass" for c in t.children)), None)
            if verb is None:
                continue
            said = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i
                         and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux")), None)
            subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if said is None or subject is None:
                continue
            np = strip_tokens(np_tokens(subject))
            if not np:
                continue
            start, end = np[0].idx, np[-1].idx + len(np[-1])
            source = attribution.source
            if source is not None and not (source.start < end and start < source.end):
                continue  # a speaker named elsewhere ("Officials say the talks are expected to ...") is kept
            attribution.source = None
            if verb.lemma_.lower() not in FORECAST_PASSIVES and said.lemma_.lower() in speech_verbs | REQUEST_VERBS \
                    and not any(c.dep_ == "auxpass" for c in said.children) \
                    and subject.lower_ not in {"it", "there", "this", "that"} \
                    and not attribution.content.start <= start < attribution.content.end:
                speaking.append((attribution, Span.of(text, start, end)))
        return speaking

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
    def _listed_names(ctx, attribution) -> None:
        """A plural role the article names the people of right after it ("according to Princeton University
        researchers Stacie Carr and Marta Tienda, ...") takes the names into its mention: they are who speaks (the
        tagger may stop at the role). (A description with its name after a comma, "New York's former mayor, Rudolph
        W. Giuliani, said", has the name in its mention already: the nested reader's ``_speaker_phrase``.)"""
        doc, text = ctx.doc, ctx.report.text
        span = doc.char_span(attribution.source.start, attribution.source.end, alignment_mode="expand")
        if span is None or not len(span) or any(t.ent_type_ == "PERSON" for t in span):
            return
        head = span.root
        name = next((c for c in head.children if c.dep_ == "appos" and c.i >= span.end and c.ent_type_ == "PERSON"), None)
        if name is None or head.pos_ != "NOUN":
            return
        if name.left_edge.i != span.end or not is_plural(head) or not any(c.dep_ == "conj" for c in name.children):
            return
        end = name.right_edge
        if attribution.content.start < end.idx + len(end.text) and attribution.source.start < attribution.content.end:
            return  # the name would run into the words said
        attribution.source = Span.of(text, attribution.source.start, end.idx + len(end.text))

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
