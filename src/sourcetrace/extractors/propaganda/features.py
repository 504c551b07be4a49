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
from itertools import compress, count

import ahocorasick
import numpy as np
from spacy.tokens import Doc

from ...lexicons import Lexicons
from ...nlp import T_DEP as _DEP
from ...nlp import T_ENT_TYPE as _ENT_TYPE
from ...nlp import T_HEAD as _HEAD
from ...nlp import T_IDX as _IDX
from ...nlp import T_IS_SPACE as _IS_SPACE
from ...nlp import T_LEMMA as _LEMMA
from ...nlp import T_LENGTH as _LENGTH
from ...nlp import T_LOWER as _LOWER
from ...nlp import T_POS as _POS
from ...nlp import T_SENT_START as _SENT_START
from ...nlp import T_SHAPE as _SHAPE
from ...nlp import T_TAG as _TAG
from ...nlp import doc_text, token_array

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
# spans x characters up to which ``count_occurrences`` counts each span with ``str.count`` (an article's score of
# spans: tens of microseconds) rather than building an automaton (about 0.2 ms an article)
DIRECT_COUNT_WORK = 1_000_000

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
        # whole columns at once (numpy), each distinct string id looked up once: walking the tokens one by one
        # cost about a millisecond more an article
        array = token_array(doc)
        strings = doc.vocab.strings
        text = doc_text(doc)
        words = np.flatnonzero(array[:, _IS_SPACE] == 0)
        # a sentence starts at its first word: space tokens never open one, so a word opens a sentence when a
        # sentence start lies after the previous word, up to and including it (the first word always does)
        seen = np.cumsum(array[:, _SENT_START] == 1)[words]
        opens = np.empty(len(words), dtype=bool)
        opens[:1] = True
        np.greater(seen[1:], seen[:-1], out=opens[1:])
        firsts = np.flatnonzero(opens).tolist()
        sentences = list(zip(firsts, firsts[1:] + [len(words)]))
        sentence_of = (np.cumsum(opens) - 1).tolist()
        word_rows = array[words]
        heads = words + word_rows[:, _HEAD].view(np.int64)  # HEAD: the signed offset to the head, as uint64
        starts = word_rows[:, _IDX]
        lower = _strings(word_rows[:, _LOWER], strings)
        lemma_ids = np.concatenate((word_rows[:, _LEMMA], array[heads, _LEMMA]))
        lemmas = _strings(lemma_ids, strings, str.lower)
        lemma, head_lemma = lemmas[:len(words)], lemmas[len(words):]
        pos = _strings(word_rows[:, _POS], strings)
        starts_list, ends_list = starts.tolist(), (starts + word_rows[:, _LENGTH]).tolist()
        return cls(
            text=text,
            starts=starts_list,
            ends=ends_list,
            lower=lower,
            lemma=lemma,
            pos=pos,
            tag=_strings(word_rows[:, _TAG], strings),
            dep=_strings(word_rows[:, _DEP], strings),
            shape=_strings(word_rows[:, _SHAPE], strings, lambda shape: shape[:4]),
            ent=_strings(word_rows[:, _ENT_TYPE], strings),
            head_lemma=head_lemma,
            quoted=_quoted(lower),
            lex=_lexicon_hits(text, starts_list, ends_list, lemma, lexicons),
            sentences=sentences,
            sentence_of=sentence_of,
            lemma_counts=Counter(compress(lemma, map(CONTENT_POS.__contains__, pos))),
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
        if len(wanted) * len(self.text) <= DIRECT_COUNT_WORK:  # a few spans of a news article: counted directly
            self.occurrences.update((low, self.text_lower.count(low)) for low in wanted)
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


def _strings(ids: np.ndarray, strings, convert=None) -> list[str]:
    """The strings of a column of string ids (id 0: ""), ``convert``-ed; each distinct id looked up once."""
    distinct, where = np.unique(ids, return_inverse=True)
    values = [strings[key] if key else "" for key in distinct.tolist()]
    if convert is not None:
        values = [convert(value) for value in values]
    return list(map(values.__getitem__, where.tolist()))


_STRAIGHT_QUOTES = {'"', "''", "``"}
_QUOTE_WORDS = _STRAIGHT_QUOTES | OPEN_QUOTES | CLOSE_QUOTES


def _quoted(lower: list[str]) -> list[bool]:
    """Whether each word lies between quotation marks (straight quotes toggle, curly ones open/close)."""
    # only the marks change the state: they are found in one pass in C and the words between them take the state
    # in slices, not a Python step per word (with ``_lexicon_hits`` picking its words the same way, the features of
    # an AllSides article took 1.65 ms instead of 1.9)
    out = [False] * len(lower)
    inside = False
    after = 0  # the first word after the last mark seen
    for k in compress(count(), map(_QUOTE_WORDS.__contains__, lower)):
        if inside:
            out[after:k] = [True] * (k - after)
        w = lower[k]
        if w in _STRAIGHT_QUOTES:
            inside = not inside
            out[k] = inside
        elif w in OPEN_QUOTES:
            inside = out[k] = True
        else:  # a closing mark is inside the quotation it closes
            out[k] = inside
            inside = False
        after = k + 1
    if inside:
        out[after:] = [True] * (len(lower) - after)
    return out


@lru_cache(maxsize=None)
def phrase_automaton(lexicons: Lexicons) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton over every phrase of ``phrase_lexicon``: value (phrase length, its tags)."""
    table, _, _ = phrase_lexicon(lexicons)
    automaton = ahocorasick.Automaton()
    for phrase, tags in table.items():
        automaton.add_word(phrase, (len(phrase), tags))
    automaton.make_automaton()
    return automaton


def _lexicon_hits(text: str, starts: list[int], ends: list[int], lemma: list[str],
                  lexicons: Lexicons) -> list[tuple[str, ...]]:
    """Lexicon categories of each word: of the phrases (up to ``longest`` words, lower case) that the text of
    words i..j spells, and of the word's lemma where its own text is no phrase."""
    table, longest, _ = phrase_lexicon(lexicons)
    text_lower = text.lower()
    # one pass of the automaton over the text finds every phrase; the text cut at words and lowered is the
    # lowered text cut at the same places unless lowering changes lengths (İ) or reads context (final Σ)
    if len(text_lower) != len(text) or "Σ" in text:
        return _lexicon_hits_by_slices(text, starts, ends, lemma, lexicons)
    n = len(starts)
    word_at = dict(zip(starts, range(n)))
    word_to = dict(zip(ends, range(n)))
    hits: list[set[str] | None] = [None] * n
    itself = [False] * n  # the word's own text is a phrase
    for last, (size, tags) in phrase_automaton(lexicons).iter(text_lower):
        i = word_at.get(last + 1 - size)
        if i is None:
            continue
        j = word_to.get(last + 1)
        if j is None or j < i or j - i >= longest:
            continue
        if i == j:
            itself[i] = True
        for k in range(i, j + 1):
            tagged = hits[k]
            if tagged is None:
                tagged = hits[k] = set()
            tagged.update(tags)
    # the words whose lemma is a phrase, picked in C (few are)
    for i in compress(range(n), map(table.__contains__, lemma)):
        if not itself[i]:
            tagged = hits[i]
            if tagged is None:
                tagged = hits[i] = set()
            tagged.update(table[lemma[i]])
    out: list[tuple[str, ...]] = [()] * n
    for i in compress(range(n), hits):  # the words with any hit (a set made for a word is never empty)
        out[i] = tuple(sorted(hits[i]))  # type: ignore[arg-type]
    return out


def _lexicon_hits_by_slices(text: str, starts: list[int], ends: list[int], lemma: list[str],
                            lexicons: Lexicons) -> list[tuple[str, ...]]:
    """``_lexicon_hits`` word by word, lowering the text of each stretch of words on its own."""
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
