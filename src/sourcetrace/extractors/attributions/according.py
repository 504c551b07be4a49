"""The source of an "according to X" cue is X.

The CRF sometimes takes the object of "according to" into the cue ("according to the Times :") and the subject
of the sentence for the source ("McGahn objected because, according to the Times: “McGahn disagreed ...”" read as
McGahn's); the parse says who the words are according to, so the cue is "according to" and its object the source.
"""
from __future__ import annotations

from spacy.tokens import Doc

from .syntax import Range, _phrase, _trim


def according_to_source(doc: Doc, cue: Range, source: Range | None) -> tuple[Range, Range] | None:
    """``(cue, source)`` for a cue that opens "according to X" whose source is not X, else ``None``."""
    if cue[1] - cue[0] < 2 or doc[cue[0]].lower_ != "according" or doc[cue[0] + 1].lower_ != "to":
        return None
    pobj = next((c for c in doc[cue[0] + 1].children if c.dep_ == "pobj"), None)
    named = _trim(doc, *_phrase(pobj)) if pobj is not None else None
    if named is None or source is not None and source[0] < named[1] and named[0] < source[1]:
        return None
    return (cue[0], cue[0] + 2), named
