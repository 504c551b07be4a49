"""Attribution extraction: who said what, with which cue.

Two tiers behind one interface: ``fast`` (CRFs over the shared spaCy parse,
``fast.py``) and ``accurate``: the fast tier plus what a fine-tuned transformer tagger (``accurate.py``)
finds where the fast tier found nothing (``recall.py``).
The rule extractor (``rules.py``) stands in for the fast tier only when its
weights are missing from the installation.
"""
from __future__ import annotations

import warnings

from ...languages import lexicons_for
from ...lexicons import Lexicons


def make_fast_extractor(lexicons: Lexicons):
    from .fast import FastAttributionExtractor

    try:
        return FastAttributionExtractor(lexicons)
    except FileNotFoundError as exc:
        from .rules import RuleAttributionExtractor

        warnings.warn(f"{exc}; falling back to syntactic rules", stacklevel=2)
        return RuleAttributionExtractor(lexicons)


def make_attribution_extractor(options):
    lexicons = lexicons_for(options)
    if options.model == "accurate":
        from .accurate import AccurateAttributionExtractor
        from .recall import RecallStageExtractor

        return RecallStageExtractor(make_fast_extractor(lexicons), AccurateAttributionExtractor())
    return make_fast_extractor(lexicons)
