"""Look-ups that replaced scans on long texts (issue #19): each answers exactly what the scan it replaced
answers, on real parses and on random rows; and ``sourcetrace bench long`` measures the extractors."""
from __future__ import annotations

import json
import random
import re
from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sourcetrace.model import Article, Attribution, Span

from conftest import invoke_cli

TEXT = ("A nurse at Mercy Hospital said the National Rifle Association and the Federal Reserve Board disagreed. "
        "The nurse told Reuters that Senator Jane Doe, the US Trade Representative, met John Smith of the "
        "World Health Organization. \"We will not go back,\" Doe said. \"Never,\" said Smith. The WHO and the "
        "NRA declined to comment; the Fed said nothing. An engineer, Mary Major, said Doe and Smith agreed. "
        "The engineer added that Ha ha ha ha, ha ha! was all the senator said. The senator, Jane Doe, left. "
        "Outgoing US President Joe Biden said Doe would return; Biden spoke again. The doctor said another "
        "doctor had called. ") * 3


# ------------------------------------------------------------------ attribution look-ups by position

def _attributions(rows, text):
    return [Attribution(id=f"a{k + 1}" if k % 5 else f"x{k}", content=Span.of(text, start, start + length),
                        cue=Span.of(text, cue, cue + 2) if has_cue else None, form="direct",
                        source=Span.of(text, cue, cue + 5) if k % 2 else None)
            for k, (start, length, cue, has_cue) in enumerate(rows)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 80), st.integers(0, 300), st.booleans()), max_size=20),
       st.lists(st.tuples(st.integers(0, 320), st.integers(0, 90), st.booleans()), max_size=12),
       st.booleans(), st.randoms(use_true_random=False))
def test_attribution_positions_answer_as_the_scans(rows, steps, in_order, rng):
    """AttributionPositions against covered_by_attribution, next_attribution_id, add_attribution and a scan of
    the contents and cues, while attributions are added (in text order or not, tentative ones left out)."""
    from sourcetrace.extractors.layout import (AttributionPositions, add_attribution, covered_by_attribution,
                                               next_attribution_id)

    text = "x" * 500
    if in_order:
        rows = sorted(rows)
    indexed, scanned = SimpleNamespace(attributions=_attributions(rows, text)), SimpleNamespace(attributions=_attributions(rows, text))
    tentative = {a.id for a in indexed.attributions if rng.random() < 0.3}
    positions = AttributionPositions(indexed)
    for start, length, add in steps:
        end = start + length
        assert positions.covered(start, end, tentative) == covered_by_attribution(scanned, start, end, tentative)
        at = (start + length // 3, start + length // 3 + 4)  # a source mention that must overlap the covering one's
        assert positions.covered(start, end, tentative, at) == covered_by_attribution(scanned, start, end, tentative, at)
        assert positions.cue_within(start, end) == any(a.cue is not None and start <= a.cue.start < end
                                                       for a in scanned.attributions)
        assert [a.id for a in positions.starting_within(start, end)] == \
            [a.id for a in scanned.attributions if start <= a.content.start < end]
        assert positions.next_id() == next_attribution_id(scanned)
        if add:
            a_id = next_attribution_id(scanned)
            add_attribution(scanned, Attribution(id=a_id, content=Span.of(text, start, end), form="direct"))
            positions.add(Attribution(id=a_id, content=Span.of(text, start, end), form="direct"))
            assert [(a.id, a.content.start, a.content.end) for a in indexed.attributions] == \
                [(a.id, a.content.start, a.content.end) for a in scanned.attributions]
    # changed behind its back (a stage removed some): it reads the list again
    indexed.attributions = indexed.attributions[::2]
    scanned.attributions = scanned.attributions[::2]
    assert positions.next_id() == next_attribution_id(scanned)
    assert positions.covered(0, 500) == covered_by_attribution(scanned, 0, 500)


# ------------------------------------------------------------------ loaded language: repetition counts

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab İ", max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=12))
@example("Ha ha ha ha, ha ha!", [(0, 5), (3, 8), (0, 2)])
@example("aaaa İİ iİ", [(0, 2), (0, 3), (5, 6), (7, 9)])
def test_occurrences_counted_in_one_pass_as_str_count(text, rows):
    """Non-overlapping, leftmost first ("ha ha" twice in "ha ha ha ha"), after lower-casing, as str.count: by the
    automaton (what a long text takes) and counted directly (a news article's few spans)."""
    from sourcetrace.extractors.propaganda import features

    direct = features.DIRECT_COUNT_WORK
    try:
        for features.DIRECT_COUNT_WORK in (-1, direct):
            feats = features.DocFeatures(text, *([[]] * 14), None)
            spans = [(s, s + n) for s, n in rows]
            feats.count_occurrences(spans)
            for s, e in spans:
                low = text[s:e].lower()
                if low.strip():
                    assert feats.occurrences[low] == text.lower().count(low), (text, low)
                else:
                    assert low not in feats.occurrences
    finally:
        features.DIRECT_COUNT_WORK = direct


def test_span_features_the_same_with_counts_in_one_pass(analyzer):
    from sourcetrace.extractors.propaganda.features import DocFeatures

    doc = analyzer.nlp(TEXT)
    lexicons = analyzer.language.lexicon_files()
    counted, plain = DocFeatures.of(doc, lexicons), DocFeatures.of(doc, lexicons)
    spans = [(counted.starts[i], counted.ends[j]) for i in range(len(counted)) for j in range(i, min(i + 6, len(counted)))]
    counted.count_occurrences(spans)
    assert any(counted.occurrences[TEXT[s:e].lower()] > 3 for s, e in spans)  # repeats are counted
    for start, end in spans:
        assert counted.span_features(start, end) == plain.span_features(start, end)


# ------------------------------------------------------------------ sources and speakers on a real parse

def test_confidence_competition_as_comparing_every_source(analyzer):
    from sourcetrace.extractors.confidence import NEAR, _competition, _surname

    def scanned(report, attribution, source):
        at = attribution.source.start if attribution.source is not None else attribution.content.start
        window = report.text[max(0, at - NEAR):at].lower()
        own = _surname(source.name)
        others = {_surname(s.name) for s in report.sources
                  if s.id != source.id and s.named and s.kind == "person"} - {"", own}
        return float(bool(own) and own in window), float(sum(1 for o in others if o in window))

    reports = [analyzer.analyze(Article(text=t)) for t in (TEXT, TEXT.replace("Doe", "Roe")[:900])]
    checked = 0
    for _ in range(2):  # the two reports in turn: the surnames of one are never used for the other
        for report in reports:
            sources = {s.id: s for s in report.sources}
            for a in report.attributions:
                if a.source_id in sources:
                    assert _competition(report, a, sources[a.source_id]) == scanned(report, a, sources[a.source_id])
                    checked += 1
    assert checked > 10


def test_mention_tables_as_the_scans_on_a_real_parse(analyzer):
    from sourcetrace.extractors.sources import MentionResolver
    from sourcetrace.extractors.sources.mentions import is_plural
    from sourcetrace.extractors.speakers import FullestNames, _initials, _LongForms, _MentionCounts

    doc = analyzer.nlp(TEXT)
    resolver = MentionResolver(doc, analyzer.language.lexicon_files())
    index = resolver.index

    # "a nurse ... the nurse": the first indefinite mention before the head
    nouns = [t for t in doc if t.pos_ == "NOUN"]
    for head in nouns:
        expected = any(t.lemma_.lower() == head.lemma_.lower() and t.pos_ == "NOUN"
                       and not is_plural(t)
                       and {c.lower_ for c in t.children if c.dep_ in {"det", "nummod"}} & {"a", "an", "one", "another"}
                       for t in doc[:head.i])
        assert resolver.coreference.introduced_indefinitely(head) == expected, head
    assert any(resolver.coreference.introduced_indefinitely(h) for h in nouns)
    backwards = MentionResolver(doc, analyzer.language.lexicon_files()).coreference  # heads asked last to first
    assert [backwards.introduced_indefinitely(h) for h in reversed(nouns)] == \
        [resolver.coreference.introduced_indefinitely(h) for h in reversed(nouns)]

    # a person's title where the article names them
    names = {index.full_name(e) for e in index.persons} | {"Nobody Here"}
    for name in names:
        expected = None
        for ent in index.persons:
            if index.full_name(ent) != name:
                continue
            words, i = [], ent.start - 1
            while i >= 0 and doc[i].dep_ in {"compound", "amod", "nmod", "npadvmod"} and i < doc[i].head.i < ent.end \
                    and not doc[i].is_punct:
                words.insert(0, doc[i])
                i -= 1
            if words:
                expected = " ".join(t.text for t in words)
                break
        found = resolver.person_title(name)
        assert (found is None) == (expected is None) and (found is None or found.split() == expected.split()), name

    # acronyms and clipped names spelled out
    orgs = [e for e in index.ents if e.label_ in {"ORG", "GPE", "FAC", "NORP"} and len(e.text.split()) > 1]
    long_forms = _LongForms(orgs)
    for name in ("NRA", "the WHO", "Fed", "the Fed", "Wor", "World", "Nat", "US", "X", "Federal", "fed", ""):
        short = name[4:] if name.lower().startswith("the ") else name
        candidates = []
        for ent in orgs:
            full = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            words = full.split()
            if short.isupper() and 2 <= len(short) <= 6 and _initials(full) == short:
                candidates.append(full)
            elif (len(short) >= 3 and short[0].isupper() and not short.isupper() and len(words) >= 2
                  and words[0].startswith(short) and words[0] != short):
                candidates.append(full)
        expected = max(candidates, key=len) if candidates and short and " " not in short else None
        assert FullestNames._spelled_out(name, long_forms) == expected, name
    assert FullestNames._spelled_out("NRA", long_forms) == "National Rifle Association"

    # the referent mentioned most before a position, asked for in any order
    counted = _MentionCounts(resolver)
    positions = [0, len(TEXT) // 3, len(TEXT) // 2, 40, len(TEXT), len(TEXT) - 100]
    random.Random(1).shuffle(positions)
    for position in positions + sorted(positions):
        counts: dict = {}
        for ent in index.persons:
            if ent.start_char >= position:
                break
            info = resolver.classify(ent.start_char, ent.end_char)
            if info.kind == "person" and info.named:
                n, _ = counts.get(info.key, (0, info))
                counts[info.key] = (n + 1, info)
        assert list(counted.before(position, "person").items()) == list(counts.items()), position


# ------------------------------------------------------------------ the measurement

def test_bench_long_times_the_extractors_on_each_size(tmp_path):
    corpus = tmp_path / "articles.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"n{k}", "text": TEXT[k * 50:] + "\n\nThe end."}) + "\n"
                              for k in range(4)), encoding="utf-8")
    cache = tmp_path / "doc.bin"
    args = ("bench", "long", "--corpus", str(corpus), "--sizes", "1500,3000", "--doc-cache", str(cache),
            "--reports", str(tmp_path / "reports"))
    first = invoke_cli(*args, text=True)
    assert first.returncode == 0, first.stderr
    assert cache.exists() and "parsed" in first.stderr
    lines = [line for line in first.stdout.splitlines() if "characters " in line]
    assert len(lines) == 2 and "attributions=" in lines[1] and "1.0x the first" in lines[0]
    for size in (1500, 3000):
        report = json.loads((tmp_path / "reports" / f"long{size}.json").read_text(encoding="utf-8"))
        assert size // 2 <= len(report["text"]) <= size and report["attributions"]
    again = invoke_cli(*args, text=True)  # the parse comes from the cache this time
    assert again.returncode == 0 and "parsed" not in again.stderr, again.stderr


def test_fullest_name_look_ups_and_sentences_as_the_scans(analyzer):
    """_apposed_person, _described_before / _same_head_before and the pronoun's sentence, with the article's
    tables, against scans of every person, entity, source and sentence (the code they replaced)."""
    from sourcetrace.extractors import speakers
    from sourcetrace.extractors.sources import MentionResolver
    from sourcetrace.extractors.speakers import DESCRIPTION_REACH, FullestNames, _ArticleLookups, info_of_source

    text = TEXT + ("The World Health Organization said on Monday. Later the organization, a United Nations body, "
                   "and the Federal Reserve Board warned. The board said so. The agency, the Centers for Disease "
                   "Control, agreed, the association said. ") * 2
    report = analyzer.analyze(Article(text=text))
    doc = analyzer.nlp(text)
    resolver = MentionResolver(doc, analyzer.language.lexicon_files())
    lookups = _ArticleLookups(resolver, report)
    persons = resolver.index.persons

    def apposed_scan(start, end):
        comma = text[start:end].find(",")
        if comma < 0:
            return None
        if any(start <= e.start_char and e.end_char <= start + comma for e in persons):
            return None
        for ent in persons:
            if start + comma < ent.start_char and ent.end_char <= end:
                info = resolver.classify(ent.start_char, ent.end_char)
                return info if info.kind == "person" and info.named else None
        return None

    spans = [(m.start(), m.start() + n) for m in re.finditer(r"\b(?:The|the|An|an|A) ", text)
             for n in (12, 30, 60)]
    assert sum(apposed_scan(*span) is not None for span in spans) >= 3
    for span in spans:
        assert FullestNames._apposed_person(resolver, *span, lookups) == apposed_scan(*span), span

    keys = {}
    checked = 0
    for source in report.sources:
        for start in range(0, len(text), 97):
            for head in {w.lower() for s in report.sources for w in s.name.split()[-1:]} | {"board", "organization"}:
                best = after = None
                for other in report.sources:
                    words = other.name.lower().replace("’s", "").replace("'s", "").split()
                    if other.id == source.id or other.kind == "person" or not words or words[-1] != head \
                            or speakers._DESCRIPTION.match(other.name):
                        continue
                    before = [m.start for m in other.mentions if m.start < start]
                    if before and (best is None or max(before) > best[0]):
                        best = (max(before), other)
                    # none before: the first after with a name of its own
                    later = [m.start for m in other.mentions if m.start > start]
                    if (not before and later and (after is None or min(later) < after[0])
                            and any(w[:1].isupper() for w in other.name.split()[1:]) and len(other.name.split()) <= 6
                            and not any(q in other.name for q in '"“”')):
                        after = (min(later), other)
                best = best or after
                expected = info_of_source(best[1], keys) if best else None
                assert FullestNames._same_head_before(source, start, head, keys, lookups) == expected
                checked += expected is not None
    assert checked > 5

    def described_scan(source, start, end):  # _described_before as it was, scanning sources and entities
        mention = text[start:end].strip()
        if not speakers._DESCRIPTION.match(mention):
            return None
        head = mention.split()[-1].lower()
        same_head = FullestNames._same_head_before(source, start, head, keys, lookups)
        if same_head is not None:
            return same_head
        lex = resolver.index.lex
        if head in lex.publication_heads:
            wanted = speakers.BODY_KINDS | {"document"}
        elif head in lex.document_lex:
            wanted = {"document"}
        elif head in lex.org_lex or head in lex.gov_lex or head in lex.media_lex:
            wanted = speakers.BODY_KINDS if head in lex.media_lex else speakers.BODY_KINDS - {"media"}
        else:
            return None
        best = None
        for other in report.sources:
            if other.id == source.id or not other.named or other.kind not in wanted or speakers._DESCRIPTION.match(other.name):
                continue
            before = [m.start for m in other.mentions if start - DESCRIPTION_REACH <= m.start < start]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), info_of_source(other, keys))
        for ent in resolver.index.ents:
            if ent.label_ not in speakers.DESCRIBED_ENTITIES or not start - DESCRIPTION_REACH <= ent.start_char < start:
                continue
            region = speakers.region_at(report.structure or [], ent.start_char, ent.end_char)
            if region is not None and region.kind != "body":
                continue
            if best is not None and ent.start_char <= best[0]:
                continue
            window = ent.doc[max(0, ent.start - 3):ent.end + 2]
            if not any(t.lemma_.lower() == head or t.lower_ == head for t in window) \
                    and not any(speakers.is_subject(t) for t in ent):
                continue
            info = resolver.classify(ent.start_char, ent.end_char)
            if info.named and info.kind in wanted and not speakers._DESCRIPTION.match(info.name):
                best = (ent.start_char, info)
        return best[1] if best is not None else None

    descriptions = [(m.start(), m.end()) for m in re.finditer(r"[Tt]he (?:organization|board|agency|association|senator)", text)]
    found = 0
    for source in report.sources:
        for span in descriptions:
            expected = described_scan(source, *span)
            assert FullestNames._described_before(resolver, report, source, *span, keys, lookups) == expected, span
            found += expected is not None
    assert found > 5

    coreference = resolver.coreference
    for tok in doc:
        assert coreference._sent_index(tok) == next(i for i, s in enumerate(resolver.index.sents) if s.start <= tok.i < s.end)
