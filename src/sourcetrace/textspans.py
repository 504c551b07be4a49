"""Character-range and name helpers shared by the extractors and the story stage (no spaCy here)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

# whitespace and the punctuation that never belongs at the edge of a source, cue or content span
SPAN_EDGE = " \t\n,;:.—–-"


def trim_range(text: str, start: int, end: int, edge: str = SPAN_EDGE) -> tuple[int, int]:
    """``(start, end)`` narrowed past any ``edge`` characters at either end."""
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end


# what never belongs at the edge of a name: whitespace, punctuation, quotes and brackets
NAME_EDGE = " \t\n,;:.—–-\"'“”‘’()[]"


# compiled once: ``normalise`` runs for every mention compared, and ``re.sub`` with a pattern string looks it up in
# the module's cache on each call
_SPACES = re.compile(r"\s+")
_POSSESSIVE_END = re.compile(r"'s$")


def normalise(text: str) -> str:
    """A name's comparison key: lower-case, straight apostrophes, single spaces, no edge punctuation,
    no possessive, no leading 'the'."""
    text = text.replace("’", "'").replace("‘", "'").strip(NAME_EDGE).lower()
    text = _SPACES.sub(" ", text)
    text = _POSSESSIVE_END.sub("", text)
    return text[4:] if text.startswith("the ") else text


def text_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, stripped of surrounding spaces: the lines the structure reader types
    and the page structure maps elements onto."""
    out, pos = [], 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append((pos + lead, pos + lead + len(body)))
        pos += len(raw) + 1
    return out


class RangeIndex:
    """Character ranges found by position without scanning them all: for each query, the indices of the
    ranges that may overlap it, a superset the caller filters with its own test. Ranges are sorted by start;
    one can overlap a query only if it starts less than its length before the query's end, so short ranges are
    looked up by bisection and the few long ones (over ``long``) are always candidates. A long text has
    thousands of attributions and fragments, and testing every range for each query was quadratic."""

    def __init__(self, ranges: Sequence[tuple[int, int]], long: int = 2_000):
        short = sorted((start, i) for i, (start, end) in enumerate(ranges) if end - start <= long)
        self._starts = [start for start, _ in short]
        self._short = [i for _, i in short]
        self._long = [i for i, (start, end) in enumerate(ranges) if end - start > long]
        self._reach = max((ranges[i][1] - ranges[i][0] for i in self._short), default=0)

    def candidates(self, start: int, end: int) -> list[int]:
        """Indices, in the order the ranges were given, of every range that overlaps ``[start, end)`` or
        holds it (and perhaps some that do not)."""
        lo = bisect_left(self._starts, start - self._reach)
        hi = bisect_right(self._starts, end)
        return sorted(self._short[lo:hi] + self._long)
