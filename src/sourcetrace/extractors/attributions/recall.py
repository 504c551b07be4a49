"""The accurate tier as a recall stage under the fast tier's precision.

Read alone, the MiniLM tagger finds nearly every attributed statement on recent articles but reports far more
than is there (statement precision 0.64 against the fast tier's 0.78 on the who-says-so gold), and its
speakers are worse. So the accurate tier keeps every attribution of the fast tier (CRFs and syntactic
patterns) and adds the tagger's only where the fast tier found nothing: a statement whose content overlaps
no fast-tier content and that names a source. What the tagger adds is kept only when the tier's confidence
model (``extractors/confidence.py``) believes it enough. And the tier reads by the modern-news guide's convention
where PolNeAR's is broader: a content that is only the cue verb's noun-phrase object ("criticized the judge",
"signed the bill") is no statement (most such readings on the tuning part of the who-says-so gold are no
statement by its guide), so the tier drops it; the fast tier keeps PolNeAR's convention (docs/accuracy.md).
"""
from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate

from ...model import Attribution
from ...nlp import doc_text
from .fast import link_nested
from .syntax import is_bare_object


class _ContentCover:
    """Whether a span overlaps any of the given contents, in log time: long texts hold thousands of readings of
    both tiers, and checking every pair grew with their product."""

    def __init__(self, attributions: list[Attribution]):
        spans = sorted((a.content.start, a.content.end) for a in attributions)
        self.starts = [start for start, _ in spans]
        self.furthest_end = list(accumulate((end for _, end in spans), max))

    def overlaps(self, attribution: Attribution) -> bool:
        # the contents starting before this one ends; one of them overlaps it if the furthest of their ends passes its start
        before_end = bisect_left(self.starts, attribution.content.end)
        return before_end > 0 and self.furthest_end[before_end - 1] > attribution.content.start


def _names_a_thing(doc, attribution: Attribution) -> bool:
    cue = (attribution.cue.start, attribution.cue.end) if attribution.cue is not None else None
    return attribution.form in ("indirect", "reported") and is_bare_object(doc, cue, (attribution.content.start, attribution.content.end))


class RecallStageExtractor:
    name = "attributions"
    requires: tuple[str, ...] = ()
    assigns = ("attributions",)

    def __init__(self, fast, tagger):
        self.fast = fast
        self.tagger = tagger

    def __call__(self, ctx) -> None:
        ctx.report.attributions, ctx.recall_stage = self.extract(ctx.doc)

    def extract(self, doc) -> tuple[list[Attribution], dict[str, float]]:
        """The merged attributions, and for those the tagger added, by id, the tagger's belief in each."""
        text = doc_text(doc)
        base = self.fast.extract(doc, text) if hasattr(self.fast, "predict") else self.fast.extract(doc)
        base = [a for a in base if not _names_a_thing(doc, a)]
        tagged, beliefs = self.tagger.extract_with_beliefs(doc)
        fast_contents = _ContentCover(base)
        added = [a for a in tagged if a.source is not None and not _names_a_thing(doc, a)
                 and not fast_contents.overlaps(a)]
        added_ids = {id(a): beliefs[a.id] for a in added}
        merged = sorted(base + added, key=lambda a: (a.content.start, -a.content.end))
        renumbered = [a.model_copy(update={"id": f"a{i + 1}", "parent": None}) for i, a in enumerate(merged)]
        recall = {new.id: added_ids[id(old)] for old, new in zip(merged, renumbered) if id(old) in added_ids}
        return link_nested(renumbered), recall
