"""Loaded language and propaganda techniques, told apart by who is speaking.

Runs after attributions and sources: a fragment inside an attribution's content belongs to
that attribution's source (the innermost one when attributions nest); any other fragment is
the outlet's own voice (``speaker_id`` null).
"""
from __future__ import annotations

import warnings
from collections import Counter

from ...languages import lexicons_for
from ...model import LoadedSpan
from ...textspans import RangeIndex

PROFILE_KEY = "loaded_language"
# attribution forms whose content is the source's own words
VERBATIM_FORMS = ("direct",)


def speaker_for(start: int, end: int, attributions, contents: RangeIndex | None = None) -> str | None:
    """``source_id`` of the attribution whose words contain [start, end) (most of it).

    When attributions nest, the outermost speaker uttered the words ("Moscow called it a proxy war
    the White House intends to wage ..." is Moscow's wording), unless an inner attribution is a
    direct quote: then the words are the inner source's, verbatim. ``contents``, the attributions' content
    ranges indexed, spares a scan of them all for each fragment.
    """
    if contents is not None:
        attributions = [attributions[i] for i in contents.candidates(start, end)]
    containing = []
    for a in attributions:
        c = a.content
        inter = min(end, c.end) - max(start, c.start)
        if inter > 0 and inter * 2 >= (end - start):
            containing.append(a)
    if not containing:
        return None
    containing.sort(key=lambda a: a.content.end - a.content.start, reverse=True)
    speaker = containing[0]
    for inner in containing[1:]:
        if inner.form in VERBATIM_FORMS:
            speaker = inner
    return speaker.source_id


def technique_profile(spans: list[LoadedSpan]) -> dict:
    """Counts per technique in the outlet's own voice vs in quoted/reported words."""
    own = Counter(s.technique for s in spans if s.speaker_id is None)
    quoted = Counter(s.technique for s in spans if s.speaker_id is not None)
    techniques = {t: {"own_voice": own[t], "quoted": quoted[t]} for t in sorted(set(own) | set(quoted))}
    by_speaker = Counter(s.speaker_id for s in spans if s.speaker_id is not None)
    return {
        "total": len(spans),
        "own_voice": sum(own.values()),
        "quoted": sum(quoted.values()),
        "techniques": techniques,
        "by_speaker": dict(sorted(by_speaker.items())),
    }


def load_propaganda_model(tier: str):
    """The fast tier's CRF, or (``accurate``) the MiniLM fragment tagger blended with it; the accurate
    tier falls back to the fast one, with a warning, when its weights are not installed."""
    from .model import load_shipped

    if tier != "accurate":
        return load_shipped()
    from .accurate import load_shipped_accurate, model_dir

    if not (model_dir() / "metadata.json").is_file():
        warnings.warn(f"{model_dir()}: no accurate propaganda model installed; using the fast tier", stacklevel=2)
        return load_shipped()
    return load_shipped_accurate()


class LoadedLanguageExtractor:
    name = "loaded_language"
    # a fragment's speaker is the source_id of the attribution whose words hold it
    requires = ("sources", "speakers", "confidence")
    assigns = ("loaded_language",)

    def __init__(self, options):
        self.options = options
        self.model = load_propaganda_model(options.model if options is not None else "fast")
        self.lexicons = lexicons_for(options)

    def __call__(self, ctx) -> None:
        text = ctx.report.text
        attributions = ctx.report.attributions
        contents = RangeIndex([(a.content.start, a.content.end) for a in attributions])
        spans = []
        for frag in self.model.predict(ctx.doc, self.lexicons):
            spans.append(LoadedSpan(start=frag.start, end=frag.end, text=text[frag.start:frag.end], technique=frag.technique,
                                    score=frag.score, speaker_id=speaker_for(frag.start, frag.end, attributions, contents)))
        ctx.report.loaded_language = spans
        ctx.report.profile[PROFILE_KEY] = technique_profile(spans)


def make_loaded_language_extractor(options):
    return LoadedLanguageExtractor(options)
