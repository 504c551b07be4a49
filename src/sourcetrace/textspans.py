"""Character-range and name helpers shared by the extractors and the story stage (no spaCy here)."""
from __future__ import annotations

import re

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


def normalise(text: str) -> str:
    """A name's comparison key: lower-case, straight apostrophes, single spaces, no edge punctuation,
    no possessive, no leading 'the'."""
    text = text.replace("’", "'").replace("‘", "'").strip(NAME_EDGE).lower()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"'s$", "", text)
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
