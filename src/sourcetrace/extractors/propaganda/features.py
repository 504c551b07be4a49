"""Features over the shared spaCy ``Doc``: per-token strings for the span tagger, per-span strings
for the technique classifier. Everything is computed once per document in ``DocFeatures``.

Space tokens are dropped: the tagger sees the words only, and every token keeps its character
offsets so predictions map back onto the article text.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import ahocorasick
from spacy.tokens import Doc

from ...lexicons import Lexicons
from ...nlp import T_DEP as _DEP
from ...nlp import T_ENT_TYPE as _ENT_TYPE
from ...nlp import T_IDX as _IDX
from ...nlp import T_IS_SPACE as _IS_SPACE
from ...nlp import T_LEMMA as _LEMMA
from ...nlp import T_LENGTH as _LENGTH
from ...nlp import T_LOWER as _LOWER
from ...nlp import T_POS as _POS
from ...nlp import T_SENT_START as _SENT_START
from ...nlp import T_SHAPE as _SHAPE
from ...nlp import T_TAG as _TAG
from ...nlp import doc_text, token_heads, token_rows

# lexicon file -> the short tag used in feature strings
LEXICONS = {
    "propaganda_loaded": "LOAD",
    "propaganda_labels": "NAME",
    "propaganda_intensifiers": "EXAG",
    "propaganda_doubt": "DOUBT",
    "propaganda_fear": "FEAR",
    "propaganda_flag": "FLAG",
    "propaganda_cliches": "CLICHE",
}
MAX_PHRASE_WORDS = 6

# single curly quotes double as apostrophes, so only double quotes delimit quoted words
OPEN_QUOTES = {"“", "«"}
CLOSE_QUOTES = {"”", "»"}
CONTENT_POS = {"NOUN", "PROPN", "ADJ", "VERB", "ADV"}


@lru_cache(maxsize=None)
def phrase_lexicon(lexicons: Lexicons) -> tuple[dict[str, tuple[str, ...]], int, frozenset[str]]:
    """Every phrase of the language's propaganda lexicons -> its category tags, the longest phrase in words,
    and every leading stretch of a phrase (a text that is none cannot grow into a phrase)."""
    table: dict[str, set[str]] = {}
    longest = 1
    for name, tag in LEXICONS.items():
        for phrase in lexicons.words(name):
            table.setdefault(phrase, set()).add(tag)
            longest = max(longest, len(phrase.split()))
    prefixes = frozenset(phrase[:k] for phrase in table for k in range(1, len(phrase) + 1))
    return {k: tuple(sorted(v)) for k, v in table.items()}, min(longest, MAX_PHRASE_WORDS), prefixes


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


@dataclass
class DocFeatures:
    """Token attributes of one ``Doc`` (words only), with sentence boundaries and lexicon hits."""

    text: str
    starts: list[int]
    ends: list[int]
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    shape: list[str]
    ent: list[str]
    head_lemma: list[str]
    quoted: list[bool]
    lex: list[tuple[str, ...]]  # lexicon categories of phrases covering the token
    sentences: list[tuple[int, int]]  # [start, end) word indices
    sentence_of: list[int]
    lemma_counts: Counter
    # a fragment's text in lower case -> its occurrences in the text, as ``str.count`` counts them (filled in
    # bulk by ``count_occurrences``; ``span_features`` counts a fragment it does not hold itself)
    occurrences: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.starts)

    @cached_property
    def text_lower(self) -> str:
        return self.text.lower()

    @classmethod
    def of(cls, doc: Doc, lexicons: Lexicons) -> "DocFeatures":
        """The features of ``doc``; ``lexicons``: the word lists of its language."""
        rows = token_rows(doc)
        strings = doc.vocab.strings
        cache: dict[int, str] = {}

        def lowered(key: int) -> str:
            value = cache.get(key)
            if value is None:
                value = cache[key] = strings[key].lower()
            return value

        words: list[int] = []
        text = doc_text(doc)
        sentences: list[tuple[int, int]] = []
        sentence_of = []
        opens = True  # a sentence start was seen since the last word
        for i, row in enumerate(rows):
            if row[_SENT_START] == 1:
                opens = True
            if row[_IS_SPACE]:
                continue
            # a sentence starts at its first word: space tokens never open one
            if opens:
                if sentences:
                    sentences[-1] = (sentences[-1][0], len(words))
                sentences.append((len(words), len(words) + 1))
                opens = False
            sentence_of.append(len(sentences) - 1)
            words.append(i)
        if sentences:
            sentences[-1] = (sentences[-1][0], len(words))
        word_rows = [rows[i] for i in words]
        heads = token_heads(doc)
        starts = [row[_IDX] for row in word_rows]
        ends = [row[_IDX] + row[_LENGTH] for row in word_rows]
        lower = [strings[row[_LOWER]] for row in word_rows]
        lemma = [lowered(row[_LEMMA]) for row in word_rows]
        pos = [strings[row[_POS]] for row in word_rows]
        ent = [strings[row[_ENT_TYPE]] if row[_ENT_TYPE] else "" for row in word_rows]
        return cls(
            text=text,
            starts=starts,
            ends=ends,
            lower=lower,
            lemma=lemma,
            pos=pos,
            tag=[strings[row[_TAG]] for row in word_rows],
            dep=[strings[row[_DEP]] for row in word_rows],
            shape=[strings[row[_SHAPE]][:4] for row in word_rows],
            ent=ent,
            head_lemma=[lowered(rows[heads[i]][_LEMMA]) for i in words],
            quoted=_quoted(lower),
            lex=_lexicon_hits(text, starts, ends, lemma, lexicons),
            sentences=sentences,
            sentence_of=sentence_of,
            lemma_counts=Counter(l for l, p in zip(lemma, pos) if p in CONTENT_POS),
        )

    # ---- span tagger -------------------------------------------------------------------------

    def token_features(self) -> list[list[str]]:
        """One list of feature strings per word (CRFsuite item attributes)."""
        n = len(self)
        lower, lemma, pos, lex = self.lower, self.lemma, self.pos, self.lex
        tags, deps, shapes, ents, head_lemmas, quoted = self.tag, self.dep, self.shape, self.ent, self.head_lemma, self.quoted
        lemma_counts = self.lemma_counts
        out = []
        for s_first, s_end in self.sentences:
            s_len = s_end - s_first
            sentence_flags = []
            words = lower[s_first:s_end]
            if "!" in words:
                sentence_flags.append("s:!")
            if "?" in words:
                sentence_flags.append("s:?")
            sentence_flags.append("s:len=" + _bucket(s_len, (5, 10, 20, 40)))
            if s_first == 0:
                sentence_flags.append("s:first")
            for i in range(s_first, s_end):
                w = lower[i]
                dep, head_lemma = deps[i], head_lemmas[i]
                f = [
                    "w=" + w,
                    "l=" + lemma[i],
                    "p=" + pos[i],
                    "t=" + tags[i],
                    "d=" + dep,
                    "sh=" + shapes[i],
                    "suf=" + w[-3:],
                    "hl=" + head_lemma,
                    "d|hl=" + dep + "|" + head_lemma,
                ]
                if ents[i]:
                    f.append("e=" + ents[i])
                if quoted[i]:
                    f.append("q")
                for tag in lex[i]:
                    f.append("x=" + tag)
                if pos[i] in CONTENT_POS and lemma_counts[lemma[i]] >= 3:
                    f.append("rep")
                if i > s_first:
                    f += ["-1w=" + lower[i - 1], "-1p=" + pos[i - 1], "-1w|w=" + lower[i - 1] + "|" + w]
                    if lex[i - 1]:  # seldom: no comprehension (a function call) for the words without
                        f += ["-1x=" + t for t in lex[i - 1]]
                else:
                    f.append("BOS")
                if i > s_first + 1:
                    f += ["-2w=" + lower[i - 2], "-2p=" + pos[i - 2]]
                if i + 1 < s_end:
                    f += ["+1w=" + lower[i + 1], "+1p=" + pos[i + 1], "w|+1w=" + w + "|" + lower[i + 1]]
                    if lex[i + 1]:
                        f += ["+1x=" + t for t in lex[i + 1]]
                else:
                    f.append("EOS")
                if i + 2 < s_end:
                    f += ["+2w=" + lower[i + 2], "+2p=" + pos[i + 2]]
                f += sentence_flags
                out.append(f)
        assert len(out) == n
        return out

    # ---- technique classifier ----------------------------------------------------------------

    def word_range(self, start: int, end: int) -> tuple[int, int]:
        """Words overlapping characters [start, end): [first, last) indices (empty if none)."""
        from bisect import bisect_left, bisect_right

        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end)
        return first, max(first, last)

    def count_occurrences(self, spans: Iterable[tuple[int, int]]) -> None:
        """Count how often each span's text (lower case) occurs in the text, every span in one pass over it
        (Aho-Corasick): counting each over the whole text grows with spans x text, quadratic on long texts."""
        wanted = sorted({low for low in (self.text[start:end].lower() for start, end in spans)
                         if low.strip() and low not in self.occurrences})
        if not wanted:
            return
        automaton = ahocorasick.Automaton()
        for k, low in enumerate(wanted):
            automaton.add_word(low, (k, len(low)))
        automaton.make_automaton()
        counts = [0] * len(wanted)
        free_from = [0] * len(wanted)  # where each text's next occurrence may start
        for last, (k, size) in automaton.iter(self.text_lower):
            if last - size + 1 >= free_from[k]:  # non-overlapping, leftmost first: what str.count counts
                counts[k] += 1
                free_from[k] = last + 1
        self.occurrences.update(zip(wanted, counts))

    def span_features(self, start: int, end: int) -> list[str]:
        """Features of the fragment text[start:end] in its document context."""
        first, last = self.word_range(start, end)
        fragment = self.text[start:end]
        low = fragment.lower()
        n = last - first
        f = ["bias", "len=" + _bucket(n, (1, 2, 3, 5, 8, 12, 20, 30)), "clen=" + _bucket(len(fragment), (10, 20, 40, 80, 160))]
        words = self.lower[first:last]
        lemmas = self.lemma[first:last]
        pos = self.pos[first:last]
        for w in set(words):
            f.append("w=" + w)
        for l in set(lemmas):
            f.append("l=" + l)
        for a, b in set(zip(words, words[1:])):
            f.append("bi=" + a + "|" + b)
        for p in set(pos):
            f.append("p=" + p)
        if n <= 4:
            f.append("pp=" + "_".join(pos))
        if words:
            f += ["fw=" + words[0], "lw=" + words[-1], "fp=" + pos[0], "lp=" + pos[-1]]
        for e in set(self.ent[first:last]):
            if e:
                f.append("e=" + e)
        for tag in {t for k in range(first, last) for t in self.lex[k]}:
            f.append("x=" + tag)
        # Repetition: the same fragment (or its content words) said again elsewhere in the article
        if low.strip():
            count = self.occurrences.get(low)
            others = (self.text_lower.count(low) if count is None else count) - 1
        else:
            others = 0
        f.append("again=" + _bucket(max(others, 0), (0, 1, 2, 4)))
        content = [l for l, p in zip(lemmas, pos) if p in CONTENT_POS]
        if content:
            most = max(self.lemma_counts[l] for l in content)
            f.append("lemrep=" + _bucket(most, (1, 2, 3, 5, 8)))
        if first < len(self) and self.quoted[first]:
            f.append("quoted")
        if fragment[:1] in "\"“‘'" or fragment[-1:] in "\"”’'":
            f.append("quotemark")
        if "?" in fragment:
            f.append("has?")
        if "!" in fragment:
            f.append("has!")
        if any(w.isupper() and len(w) > 2 for w in fragment.split()):
            f.append("caps")
        if fragment[:1].isupper():
            f.append("cap1")
        if first < len(self):
            s_first, s_end = self.sentences[self.sentence_of[first]]
            ratio = n / max(1, s_end - s_first)
            f.append("sratio=" + _bucket(int(ratio * 10), (2, 5, 8, 10)))
            swords = self.lower[s_first:s_end]
            if "?" in swords:
                f.append("s?")
            if "!" in swords:
                f.append("s!")
            if s_first == 0:
                f.append("title")
            for w in set(swords[: first - s_first] + swords[last - s_first:]):
                f.append("sw=" + w)
            if first > s_first:
                f.append("pw=" + self.lower[first - 1])
            if last < s_end:
                f.append("nw=" + self.lower[last])
        return f


def _quoted(lower: list[str]) -> list[bool]:
    """Whether each word lies between quotation marks (straight quotes toggle, curly ones open/close)."""
    inside = False
    out = []
    for w in lower:
        if w == '"' or w == "''" or w == "``":
            inside = not inside
            out.append(inside)
            continue
        if w in OPEN_QUOTES:
            inside = True
        elif w in CLOSE_QUOTES:
            out.append(inside)
            inside = False
            continue
        out.append(inside)
    return out


def _lexicon_hits(text: str, starts: list[int], ends: list[int], lemma: list[str],
                  lexicons: Lexicons) -> list[tuple[str, ...]]:
    table, longest, prefixes = phrase_lexicon(lexicons)
    n = len(starts)
    hits: list[set[str] | None] = [None] * n
    for i in range(n):
        for j in range(i, min(n, i + longest)):
            words = text[starts[i]:ends[j]].lower()
            tags = table.get(words)
            if tags is None and j == i:
                tags = table.get(lemma[i])
            if tags:
                for k in range(i, j + 1):
                    tagged = hits[k]
                    if tagged is None:
                        tagged = hits[k] = set()
                    tagged.update(tags)
            if words not in prefixes:
                break
    return [tuple(sorted(h)) if h else () for h in hits]
