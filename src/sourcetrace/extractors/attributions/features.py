"""CRF features over the shared spaCy parse, for training and for inference alike.

Two taggers share these: the cue tagger labels cue tokens sentence by
sentence; the role tagger is run once per cue over a window of sentences
around it and labels that cue's source and content, with features that say
where each token sits relative to the cue in the dependency tree (which child
branch of the cue verb it hangs from, the branches meeting at the lowest
common ancestor), in which quotation, and how far away.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
import numpy
from spacy.tokens import Doc

from ...lexicons import Lexicons
from ...memory import word_cache
from ...nlp import (T_DEP, T_ENT_TYPE, T_IDX, T_LEMMA, T_LENGTH, T_LOWER, T_POS, T_SENT_START, T_TAG, doc_text,
                   line_break_tokens, token_array, token_heads)

OPEN_QUOTES = "“‘«"
CLOSE_QUOTES = "”’»"
# role-tagger window: sentences before and after the cue's sentence (multi-sentence quotes precede "he said").
# Training sees two sentences before the cue; inference looks one back: on PolNeAR dev the scores are the
# same (content exact F1 0.496 vs 0.497) and the tier runs 17 % faster (quotations that run further back
# are completed by ``fast.whole_quotation``).
TRAIN_SENTS_BEFORE = 2
SENTS_BEFORE = 1
SENTS_AFTER = 1


@dataclass
class DocFeatures:
    """Per-token facts computed once per document and shared by every cue."""

    doc: Doc
    static: list[list[str]]  # the token's own features
    context: list[tuple[str, ...]]  # a few features of the neighbours
    sent_id: list[int]
    sent_bounds: list[tuple[int, int]]  # token index range of each sentence
    quote_id: list[int]  # index of the quotation the token is inside, -1 outside
    quotes: list[tuple[int, int]]  # token index range (inclusive start, exclusive end) per quotation
    heads: list[int]
    deps: list[str]
    paragraph_id: list[int]  # index of the paragraph (text between blank lines) the token is in
    # a token's own features plus its neighbours' (one each side, across sentences), every token's built on first
    # use: the cue tagger's items are these but at a sentence's edges, and role windows of nearby cues overlap
    near: list | None = None
    # each token's ``context`` strings as its neighbours see them, one before it ("-1w=said") and one after ("1w=said"):
    # built with its own features, once per distinct token (``doc_features``), for ``all_near``
    seen_from_after: list[tuple[str, ...]] | None = None
    seen_from_before: list[tuple[str, ...]] | None = None

    # the quotations by end and by start, with the largest (smallest) index up to each: every cue's look-up of
    # the quotations before and after it is a bisection, not a scan of them all (quadratic on long texts)
    _quotes_by_end: tuple[list[int], list[int]] | None = None
    _quotes_by_start: tuple[list[int], list[int]] | None = None

    def last_quote_ending_by(self, pos: int) -> int:
        """The largest index of a quotation ending at or before token ``pos``; -2 when none does."""
        if self._quotes_by_end is None:
            ordered = sorted((qe, k) for k, (_, qe) in enumerate(self.quotes))
            running, largest = [], -2
            for _, k in ordered:
                largest = max(largest, k)
                running.append(largest)
            self._quotes_by_end = ([qe for qe, _ in ordered], running)
        ends, largest_so_far = self._quotes_by_end
        n = bisect_right(ends, pos)
        return largest_so_far[n - 1] if n else -2

    def first_quote_starting_from(self, pos: int) -> int:
        """The smallest index of a quotation starting at or after token ``pos``; -2 when none does."""
        if self._quotes_by_start is None:
            ordered = sorted((qs, k) for k, (qs, _) in enumerate(self.quotes))
            running, smallest = [], len(ordered)
            for _, k in reversed(ordered):
                smallest = min(smallest, k)
                running.append(smallest)
            self._quotes_by_start = ([qs for qs, _ in ordered], running[::-1])
        starts, smallest_from = self._quotes_by_start
        n = bisect_left(starts, pos)
        return smallest_from[n] if n < len(starts) else -2

    def near_features(self, i: int) -> list[str]:
        return self.all_near()[i]

    def all_near(self) -> list[list[str]]:
        """``_with_neighbours(self, i, 0, len(doc), NEAR_REACH)`` of every token: each token's strings as a
        neighbour at each offset looked up once, not once for every token that sees it."""
        if self.near is None:
            n = len(self.static)
            static, context, cache = self.static, self.context, _NEIGHBOUR
            seen_at = {}  # offset -> each token's strings as seen from that offset
            if NEAR_REACH == 1 and self.seen_from_after is not None and self.seen_from_before is not None:
                seen_at = {-1: self.seen_from_after, 1: self.seen_from_before}
            else:
                for off in range(-NEAR_REACH, NEAR_REACH + 1):
                    if off:
                        seen_at[off] = [cache.get((off, c)) or _neighbour_strings(off, c) for c in context]
            if NEAR_REACH == 1 and n >= 2:  # one list display per token
                before, after = seen_at[-1], seen_at[1]
                near = [[*static[0], _PAD[-1], *after[1]]]
                near += [[*static[i], *before[i - 1], *after[i + 1]] for i in range(1, n - 1)]
                near.append([*static[n - 1], *before[n - 2], _PAD[1]])
            else:
                near = []
                for i in range(n):
                    feats = static[i].copy()
                    for off, strings in seen_at.items():
                        j = i + off
                        if 0 <= j < n:
                            feats += strings[j]
                        else:
                            feats.append(_PAD[off])
                    near.append(feats)
            self.near = near
        return self.near


# the NYT style of PolNeAR (and of many archives) writes quotation marks as two apostrophes: ''...''
_QUOTE_OR_BREAK = re.compile(r"''|[\"“”]|\n\s*\n")
_QUOTE_OR_BREAK_NO_APOSTROPHES = re.compile(r"[\"“”]|\n\s*\n")


def quotation_char_ranges(text: str, apostrophes: bool = True) -> list[tuple[int, int]]:
    """Quoted stretches (including the marks). Curly quotes pair open/close; straight ``"`` and ``''`` toggle
    (``''`` only with ``apostrophes``).

    A quotation left open at a paragraph break ends there: news style reopens
    a quote at each paragraph of a multi-paragraph quotation.
    """
    ranges = []
    start = -1
    for m in (_QUOTE_OR_BREAK if apostrophes else _QUOTE_OR_BREAK_NO_APOSTROPHES).finditer(text):
        mark, i = m.group(), m.start()
        if mark == '"' or mark == "''":
            if start < 0:
                start = i
            else:
                ranges.append((start, m.end()))
                start = -1
        elif mark == "“":
            if start >= 0:
                ranges.append((start, i))
            start = i
        elif mark == "”":
            if start >= 0:
                ranges.append((start, i + 1))
                start = -1
        elif start >= 0:  # paragraph break
            ranges.append((start, i))
            start = -1
    if start >= 0:
        ranges.append((start, len(text)))
    return ranges


# feature strings by the ids they are built from; most of the cost is building strings, and words repeat
# (a token's own features depend on the speech verbs of its language: one cache per list; word_cache: a batch
# worker's memory zone drops the keys its texts added)
_OWN: dict[frozenset[str], dict[tuple[int, ...], tuple[tuple[str, ...], ...]]] = {}
_OWN_COLUMNS = (T_LOWER, T_LEMMA, T_POS, T_TAG, T_DEP, T_ENT_TYPE)  # a token's strings its own features are of
_HEAD: dict[tuple[int, int, int], tuple[str, ...]] = word_cache()
_QUOTE_TOKENS = set(OPEN_QUOTES) | set(CLOSE_QUOTES) | {'"', "''", "``"}
# the caches grow with the vocabulary a process has seen (about 130 new keys an article each): a process that
# analyses tens of thousands of articles (a batch worker) would grow without end, so each is emptied when it
# passes this size and refills with the words that recur (measured with `sourcetrace bench batch`)
CACHE_LIMIT = 50_000


def _bound_caches() -> None:
    caches: list[dict] = [*_OWN.values(), _HEAD, _NEIGHBOUR, _FEATURE_CACHE]
    for cache in caches:
        if len(cache) > CACHE_LIMIT:
            cache.clear()


def _own_features(key: tuple[int, ...], strings, cue_verbs) -> tuple[str, ...]:
    lower, lemma, pos, tag, dep, ent = (strings[k] for k in key)
    # no shape, suffix or head-POS features: without them the taggers run ~10 % faster and score the same on dev
    # (source / cue / content exact F1 0.731 / 0.651 / 0.543 with, 0.725 / 0.659 / 0.546 without)
    feats = [f"w={lower}", f"l={lemma.lower()}", f"p={pos}", f"t={tag}", f"d={dep}"]
    if ent:
        feats.append(f"e={ent}")
    if lemma.lower() in cue_verbs:
        feats.append("lex")
    if lower in _QUOTE_TOKENS:
        feats.append("quote")
    return tuple(feats)


def _head_features(key: tuple[int, int, int], strings) -> tuple[str, ...]:
    head_lemma, head_pos, dep = (strings[k] for k in key)
    return (f"hl={head_lemma.lower()}", f"dh={dep}|{head_pos}")


def doc_features(doc: Doc, text: str | None = None, *, lexicons: Lexicons) -> DocFeatures:
    """``text`` is ``doc.text`` when the caller has it; ``lexicons``: the word lists of the doc's language."""
    _bound_caches()
    cue_verbs = lexicons.words("speech_verbs")
    own_cache = _OWN.get(cue_verbs)
    if own_cache is None:
        own_cache = _OWN[cue_verbs] = word_cache()
    strings = doc.vocab.strings
    n = len(doc)
    # whole columns of the token array (no list per token: building those cost more than reading them)
    array = token_array(doc)
    opens = array[:, T_SENT_START] == 1  # a sentence opens at the first token and at each sentence start
    opens[:1] = True
    sent_id = (numpy.cumsum(opens) - 1).tolist()
    firsts = numpy.flatnonzero(opens).tolist()
    sent_bounds: list[tuple[int, int]] = list(zip(firsts, firsts[1:] + [n]))
    quote_id = [-1] * n
    quotes: list[tuple[int, int]] = []
    # the CRFs see "“” quotations only: trained with '' as marks too, dev source exact F1 fell 0.731 -> 0.716
    char_ranges = quotation_char_ranges(doc_text(doc) if text is None else text, apostrophes=False)
    if char_ranges:
        token_starts = array[:, T_IDX].tolist()
        token_ends = (array[:, T_IDX] + array[:, T_LENGTH]).tolist()  # nondecreasing: tokens never overlap
        ti = 0
        for qs, qe in char_ranges:
            ti = max(ti, bisect_right(token_ends, qs))  # past the tokens that end by the quotation's start
            first = ti
            ti = max(ti, bisect_left(token_starts, qe))  # and through those that start before its end
            quote_id[first:ti] = [len(quotes)] * (ti - first)
            quotes.append((first, max(first, ti)))
    heads = token_heads(doc)
    dep_ids = array[:, T_DEP]
    dep_list = dep_ids.tolist()
    dep_names = {d: strings[d] for d in set(dep_list)}  # each label's string made once, not once per token
    deps = [dep_names[d] for d in dep_list]
    head_rows = numpy.asarray(heads, dtype=numpy.intp)
    has_ccomp = numpy.zeros(n, dtype=bool)
    has_ccomp[head_rows[dep_ids == strings["ccomp"]]] = True
    has_subj = numpy.zeros(n, dtype=bool)
    has_subj[head_rows[(dep_ids == strings["nsubj"]) | (dep_ids == strings["nsubjpass"])]] = True
    # each token's keys: the ids of its own strings, and of its head's lemma and POS with its own dependency
    own_keys = zip(*(array[:, k].tolist() for k in _OWN_COLUMNS))
    head_keys = zip(array[head_rows, T_LEMMA].tolist(), array[head_rows, T_POS].tolist(), dep_list)
    static, context, seen_from_after, seen_from_before = [], [], [], []
    for key, hkey, ccomp, subj, q in zip(own_keys, head_keys, has_ccomp.tolist(), has_subj.tolist(), quote_id):
        cached = own_cache.get(key)
        if cached is None:
            own = _own_features(key, strings, cue_verbs)
            near = own[:3:2]  # and what a neighbour sees: word and POS, from the token after it and before it
            cached = own_cache[key] = (own, near, tuple("-1" + f for f in near), tuple("1" + f for f in near))
        own, near, from_after, from_before = cached
        head = _HEAD.get(hkey)
        if head is None:
            head = _HEAD[hkey] = _head_features(hkey, strings)
        feats = [*own, *head]
        if ccomp:
            feats.append("has_ccomp")
        if subj:
            feats.append("has_subj")
        if q >= 0:
            feats.append("inq")
        static.append(feats)
        context.append(near)
        seen_from_after.append(from_after)
        seen_from_before.append(from_before)
    for lo, _ in sent_bounds:
        static[lo].append("sent_start")
    # a paragraph ends after a token holding two line breaks: only the tokens that hold one need looking at
    paragraph_id: list[int] = []
    paragraph = 0
    for i in line_break_tokens(doc):
        if strings[int(array[i, T_LOWER])].count("\n") >= 2:  # tokens up to this one are in this paragraph
            paragraph_id += [paragraph] * (i + 1 - len(paragraph_id))
            paragraph += 1
    paragraph_id += [paragraph] * (n - len(paragraph_id))
    return DocFeatures(doc, static, context, sent_id, sent_bounds, quote_id, quotes, heads, deps, paragraph_id,
                       seen_from_after=seen_from_after, seen_from_before=seen_from_before)


# a neighbour's features as seen from an offset ("-1w=said", "+2p=VERB"), by offset and the neighbour's own strings
_NEIGHBOUR: dict[tuple[int, tuple[str, ...]], tuple[str, ...]] = word_cache()
_PAD = {off: f"{off}pad" for off in range(-3, 4)}


def _neighbour_strings(off: int, context: tuple[str, ...]) -> tuple[str, ...]:
    strings = _NEIGHBOUR[(off, context)] = tuple(f"{off}{f}" for f in context)
    return strings


def _with_neighbours(df: DocFeatures, i: int, lo: int, hi: int, reach: int) -> list[str]:
    feats = df.static[i].copy()
    context = df.context
    cache = _NEIGHBOUR
    for off in range(-reach, reach + 1):
        if off == 0:
            continue
        j = i + off
        if lo <= j < hi:
            key = (off, context[j])
            strings = cache.get(key)
            if strings is None:
                strings = cache[key] = tuple(f"{off}{f}" for f in context[j])
            feats.extend(strings)
        else:
            feats.append(_PAD[off])
    return feats


# neighbours on each side in the cue tagger's features: with 1 instead of 2 it tags a third faster and scores
# the same on dev (source / cue / content exact F1 0.722 / 0.674 / 0.553 against 0.725 / 0.669 / 0.554)
CUE_REACH = 1


NEAR_REACH = 1  # neighbours on each side in the role tagger's features (``DocFeatures.near_features``)


def cue_sequence(df: DocFeatures, sent: int) -> list[list[str]]:
    """Cue-tagger items for one sentence: inside it, a token's items are its ``near_features`` (the same reach),
    built once for the cue and the role tagger; its first and last token see padding beyond it."""
    lo, hi = df.sent_bounds[sent]
    if CUE_REACH != NEAR_REACH or hi - lo < 2:
        return [_with_neighbours(df, i, lo, hi, CUE_REACH) for i in range(lo, hi)]
    return [_with_neighbours(df, lo, lo, hi, CUE_REACH), *df.all_near()[lo + 1:hi - 1],
            _with_neighbours(df, hi - 1, lo, hi, CUE_REACH)]


def cue_head(df: DocFeatures, start: int, end: int) -> int:
    """The cue token whose head lies outside the cue (the verb of "has said", "according" of "according to")."""
    for i in range(start, end):
        h = df.heads[i]
        if h == i or not start <= h < end:
            return i
    return start


def role_window(df: DocFeatures, cue_start: int, before: int | None = None) -> tuple[int, int]:
    """The cue's sentence with ``SENTS_AFTER`` after it and ``before`` (default ``SENTS_BEFORE``) before it.
    At inference (``before`` None) the windows are narrowed where a content seldom reaches, which makes the
    role tagger about a quarter faster: the sentence before only when the cue's sentence has a quotation,
    which may have begun there (dev F1 0.2 points lower on source and content)."""
    s = df.sent_id[cue_start]
    last = min(len(df.sent_bounds) - 1, s + SENTS_AFTER)
    if before is None:
        lo, hi = df.sent_bounds[s]
        before = SENTS_BEFORE if any(q >= 0 for q in df.quote_id[lo:hi]) else 0
        # and the sentence after only in the same paragraph, or after a colon: on PolNeAR train 95 of the 2,343
        # contents that run past the cue's sentence cross a paragraph break (17 of them after a colon)
        if last > s and df.paragraph_id[df.sent_bounds[last][0]] != df.paragraph_id[cue_start] and not any(
                df.deps[i] == "punct" and df.doc[i].text == ":" for i in range(cue_start, hi)):
            last = s
    first = max(0, s - before)
    return df.sent_bounds[first][0], df.sent_bounds[last][1]


def _bucket(d: int) -> str:
    d = abs(d)
    if d <= 3:
        return str(d)
    if d <= 5:
        return "4-5"
    if d <= 10:
        return "6-10"
    if d <= 20:
        return "11-20"
    return "21+"


def role_sequence(df: DocFeatures, cue_start: int, cue_end: int, lo: int, hi: int) -> list[list[str]]:
    """Role-tagger items for tokens ``lo..hi`` relative to the cue at tokens ``cue_start..cue_end``."""
    doc = df.doc
    h = cue_head(df, cue_start, cue_end)
    heads, deps = df.heads, df.deps
    # the cue head's ancestors, with the child through which each is reached
    h_chain: dict[int, str] = {h: ""}
    node = h
    while heads[node] != node:
        parent = heads[node]
        h_chain[parent] = deps[node]
        node = parent
    cue_sent = df.sent_id[h]
    cue_word = doc[cue_start].lower_
    cue_lemma = doc[h].lemma_.lower()
    qid = df.quote_id
    q_same = qid[h]
    q_before = df.last_quote_ending_by(cue_start)
    q_after = df.first_quote_starting_from(cue_end)
    per_side = {side: (f"side={side}", f"cw={cue_word}|{side}", f"cl={cue_lemma}|{side}") for side in "BCA"}
    sent_id = df.sent_id
    paragraph_id = df.paragraph_id
    cue_paragraph = paragraph_id[h]
    cache = _FEATURE_CACHE
    # per token of the cue's sentence: (first ancestor shared with the cue head, dep of the child on the way, steps),
    # memoised up the tree so each sentence is walked once per cue
    route: dict[int, tuple[int, str, int]] = {}

    def route_of(i: int) -> tuple[int, str, int]:
        path = []
        node = i
        while node not in route and node not in h_chain and heads[node] != node:
            path.append(node)
            node = heads[node]
        if node in route:
            top, last_dep, steps = route[node]
        else:
            top, last_dep, steps = node, "self", 0
        for below in reversed(path):
            last_dep = deps[below] if heads[below] == top else last_dep
            steps += 1
            route[below] = (top, last_dep, steps)
        return route[i] if i in route else (top, last_dep, steps)

    out = []
    near = df.all_near()
    for i in range(lo, hi):
        feats = near[i].copy()
        if cue_start <= i < cue_end:
            side = "C"
        elif i < cue_start:
            side = "B"
        else:
            side = "A"
        rs = sent_id[i] - cue_sent
        side_feats = per_side[side]
        dist = i - h
        key: tuple[object, ...] = (rs, side, dist)  # _FEATURE_CACHE holds three shapes of key
        common = cache.get(key)
        if common is None:
            common = cache[key] = (side_feats[0], f"rs={rs}", f"dist={side}{_bucket(dist)}")
        feats += common
        feats += side_feats[1:]
        if paragraph_id[i] != cue_paragraph:
            feats.append("para=other")
        dep = deps[i]
        if rs == 0:
            node, last_dep, steps = route_of(i)
            if node == h:
                relation = ("sub", last_dep)
            elif node == i:
                relation = ("anc", h_chain.get(i, ""))
            elif node in h_chain:
                relation = ("lca", last_dep + "|" + h_chain[node])
            else:
                relation = ("none", "")
            key = (relation, side, dep, min(steps, 4))
            branch_feats = cache.get(key)
            if branch_feats is None:
                branch = relation[0] + ":" + relation[1] if relation[0] != "none" else "none"
                branch_feats = cache[key] = ("br=" + branch, "brs=" + branch + "|" + side, "brd=" + branch + "|" + dep,
                                             f"steps={min(steps, 4)}")
        else:
            key = ("out", rs, dep)
            branch_feats = cache.get(key)
            if branch_feats is None:
                branch_feats = cache[key] = (f"br=out{rs}", f"brd=out|{dep}")
        feats.extend(branch_feats)
        q = qid[i]
        if q >= 0:
            if q == q_same:
                feats.append("q=same")
            elif q == q_before:
                feats.append("q=prev")
            elif q == q_after:
                feats.append("q=next")
            else:
                feats.append("q=other" + side)
        out.append(feats)
    return out


# feature strings by what they are built from (the same few hundred recur in every document)
_FEATURE_CACHE: dict = word_cache()


def token_range(doc: Doc, start_char: int, end_char: int) -> tuple[int, int] | None:
    """Token indices ``[first, last+1)`` of the tokens overlapping a character span."""
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end
