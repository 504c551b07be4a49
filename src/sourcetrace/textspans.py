"""Character-range helpers shared by the extractors."""
from __future__ import annotations

# whitespace and the punctuation that never belongs at the edge of a source, cue or content span
SPAN_EDGE = " \t\n,;:.—–-"


def trim_range(text: str, start: int, end: int, edge: str = SPAN_EDGE) -> tuple[int, int]:
    """``(start, end)`` narrowed past any ``edge`` characters at either end."""
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end
