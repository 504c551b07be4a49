"""The source of an "according to X" cue is X.

The CRF sometimes takes the object of "according to" into the cue ("according to the Times :") and the subject
of the sentence for the source ("McGahn objected because, according to the Times: “McGahn disagreed ...”" read as
McGahn's); the parse says who the words are according to, so the cue is "according to" and its object the source.
"""
from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from .syntax import Range, _phrase, _trim


def according_to_source(doc: Doc, cue: Range, source: Range | None,
                        contents: Sequence[Range] = ()) -> tuple[Range, Range] | None:
    """``(cue, source)`` for a cue that opens "according to X" whose source lies outside X's phrase, else ``None``
    (a source inside it, "according to disclosures made to [the FEC]", is the tagger's reading of X; an X inside the
    relation's own content is no reading of it at all)."""
    if cue[1] - cue[0] < 2 or doc[cue[0]].lower_ != "according" or doc[cue[0] + 1].lower_ != "to":
        return None
    pobj = next((c for c in doc[cue[0] + 1].children if c.dep_ == "pobj"), None)
    named = _trim(doc, *_phrase(pobj)) if pobj is not None else None
    if named is None or pobj is None:
        return None
    whole = (pobj.left_edge.i, pobj.right_edge.i + 1)
    if source is not None and source[0] < whole[1] and whole[0] < source[1]:
        return None
    if any(c[0] < named[1] and named[0] < c[1] for c in contents):
        return None
    return (cue[0], cue[0] + 2), named
