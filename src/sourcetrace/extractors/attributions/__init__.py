"""Attribution extraction: who said what, with which cue.

Two tiers behind one interface: ``fast`` (CRFs over the shared spaCy parse,
``fast.py``) and ``accurate``: the fast tier plus what a fine-tuned transformer tagger (``accurate.py``)
finds where the fast tier found nothing (``recall.py``).
The rule extractor (``rules.py``) stands in for the fast tier only when its
weights are missing from the installation.
"""
from __future__ import annotations

import warnings


def make_fast_extractor():
    from .fast import FastAttributionExtractor

    try:
        return FastAttributionExtractor()
    except FileNotFoundError as exc:
        from .rules import RuleAttributionExtractor

        warnings.warn(f"{exc}; falling back to syntactic rules", stacklevel=2)
        return RuleAttributionExtractor()


def make_attribution_extractor(options):
    if options is not None and options.model == "accurate":
        from .accurate import AccurateAttributionExtractor
        from .recall import RecallStageExtractor

        return RecallStageExtractor(make_fast_extractor(), AccurateAttributionExtractor())
    return make_fast_extractor()
