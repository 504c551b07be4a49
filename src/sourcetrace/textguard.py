"""Guards between raw text and the spaCy parse: lone surrogates, pathological runs, length limits.

Everything here keeps character offsets exact: a replacement is one character for one, and a split
only changes where the tokenizer starts, never the text.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any, Final

_SURROGATE = re.compile("[\ud800-\udfff]")


# format characters that are invisible inside a word: soft hyphen; zero-width space, non-joiner and joiner; word
# joiner; byte-order mark
INVISIBLE_IN_WORDS: Final = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE_IN_WORDS)) + "]")


class VisibleText:
    """A text read without the invisible format characters some pages put inside words ("Re\u00adpub\u00adlic\u00adan",
    hyphenated for the screen), and the way between its offsets and the text's. The models and the lexicons know
    no word with a soft hyphen in it: such a page lost most of its statements and gave "Bol\u00adger" as another
    person than "Bolger". Analysis reads ``visible``; the report's offsets are mapped back to ``text``."""

    def __init__(self, text: str):
        self.text = text
        self._kept = [i for i, ch in enumerate(text) if ch not in INVISIBLE_IN_WORDS]
        self.visible = "".join(text[i] for i in self._kept)

    @classmethod
    def of(cls, text: str) -> "VisibleText | None":
        """The visible reading of ``text``, or None when it holds no invisible character (nearly always)."""
        return cls(text) if _INVISIBLE.search(text) else None

    def to_text(self, start: int, end: int) -> tuple[int, int]:
        """The range of ``text`` that ``visible[start:end]`` was read from (no invisible character at its edges)."""
        kept = self._kept
        first = kept[start] if start < len(kept) else len(self.text)
        return first, (kept[end - 1] + 1 if end > start else first)

    def to_visible(self, start: int, end: int) -> tuple[int, int]:
        """The range of ``visible`` read from ``text[start:end]``."""
        return bisect_left(self._kept, start), bisect_left(self._kept, end)


def replace_lone_surrogates(value: Any) -> tuple[Any, int]:
    """``value`` (a string, or lists and dicts of them) with every lone surrogate replaced by U+FFFD,
    and how many were replaced. A Python ``str`` never holds a valid surrogate pair, so every surrogate
    code point in one is lone."""
    if isinstance(value, str):
        if _SURROGATE.search(value) is None:
            return value, 0
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        items = [replace_lone_surrogates(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    if isinstance(value, dict):
        total = 0
        out = {}
        for key, item in value.items():
            clean_key, n_key = replace_lone_surrogates(key)
            clean, n = replace_lone_surrogates(item)
            out[clean_key] = clean
            total += n_key + n
        return (out, total) if total else (value, 0)
    return value, 0


# ---------------------------------------------------------------- pathological runs

# spaCy's tokenizer strips prefixes and suffixes one at a time, each search scanning what is left of the
# whitespace-free chunk: a run of emoji, symbols or quote marks costs time quadratic in its length
# (2,000 "§" 0.7 s, 4,000 ".," 2.5 s here). Such runs are cut into pieces the tokenizer sees one by one. Prose
# never has 128 punctuation marks or symbols in a row, so ordinary text is tokenized exactly as before.
PATHOLOGICAL_RUN = 128
RUN_PIECE = 64
_LONG_RUN = re.compile(r"[^\w\s]{%d,}" % PATHOLOGICAL_RUN)


def run_cuts(text: str) -> list[int]:
    """Offsets where tokenization restarts: every ``RUN_PIECE`` characters inside each long run."""
    cuts: list[int] = []
    for match in _LONG_RUN.finditer(text):
        cuts.extend(range(match.start() + RUN_PIECE, match.end(), RUN_PIECE))
    return cuts


class RunSplittingTokenizer:
    """``nlp.make_doc`` that tokenizes long runs piece by piece; the Doc's text is the input, exactly."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.tokenizer = nlp.tokenizer

    def __call__(self, text: str):
        if len(text) > self.nlp.max_length:
            from spacy.errors import Errors

            raise ValueError(Errors.E088.format(length=len(text), max_length=self.nlp.max_length))
        cuts = run_cuts(text)
        if not cuts:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        bounds = [0, *cuts, len(text)]
        pieces = [self.tokenizer(text[a:b]) for a, b in zip(bounds, bounds[1:])]
        return Doc.from_docs(pieces, ensure_whitespace=False)


# ---------------------------------------------------------------- long texts

# characters of one article's text that are analysed; the rest is cut (at a line break) with a warning. Parse
# time and memory grow linearly with the text, the extractors' time somewhat faster: 400,000 characters of
# AllSides articles took about 35 s and 1.5 GB on a busy 2-core machine. News articles are far shorter.
MAX_CHARS = 500_000

def boundary_before(text: str, limit: int, floor: int = 0) -> int:
    """An offset at most ``limit`` where the text may be cut: after the last line break past ``floor``,
    else after the last sentence end, else after the last space, else ``limit`` itself."""
    if limit >= len(text):
        return len(text)
    for pattern in ("\n", ". ", " "):
        found = text.rfind(pattern, floor, limit)
        if found > floor:
            end = found + len(pattern)
            while end < limit and text[end] in " \t\r\n":  # keep a run of whitespace with the part before
                end += 1
            return end
    return limit


def parse_chunks(text: str, size: int) -> list[str]:
    """``text`` in consecutive pieces of at most about ``size`` characters, cut at line breaks where possible;
    joined they are ``text``."""
    chunks, start = [], 0
    while len(text) - start > size:
        end = boundary_before(text, start + size, floor=start + size // 2)
        chunks.append(text[start:end])
        start = end
    chunks.append(text[start:])
    return chunks
