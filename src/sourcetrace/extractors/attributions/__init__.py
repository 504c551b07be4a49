"""Attribution extraction: who said what, with which cue."""
from __future__ import annotations

from .. import register
from .rules import RuleAttributionExtractor


@register("attributions", order=10)
def make_attribution_extractor(options):
    return RuleAttributionExtractor()
