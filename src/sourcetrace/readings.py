"""Uncertain readings: the one filter on how sure each attribution is, and how a confidence reads.

Every attribution carries ``confidence`` (the calibrated probability that it is an attributed statement) and
``speaker_confidence`` (that its ``source_id`` names the right speaker), see ``extractors.confidence``.
``readings_at_least`` is what ``analyze --min-confidence``, ``export --min-confidence``, the API's
``min_confidence`` parameter and the article page's "hide uncertain readings" link all apply; the presenters
show the figures through ``render.view``. Only ``confidence`` filters: a statement whose speaker is doubtful is
still a statement, and hiding it would hide that something was said (its speaker's figure is shown instead).
"""
from __future__ import annotations

from .model import ArticleReport

# below this a reading is more likely wrong than right: tagged "uncertain" on the pages, hidden by their link
UNCERTAIN_BELOW = 0.5

CONFIDENCE_TERMS = {
    "confidence": "How likely it is that this passage really is a statement someone made, as the model reads it. "
                  "The figures are calibrated on hand-labelled articles: of the readings shown at 80 %, about 8 in 10 "
                  "are right.",
    "speaker confidence": "How likely it is that the speaker shown is the one who said it (a pronoun or a description "
                          "such as \"the official\" resolved to the right person).",
    "uncertain": "The model thinks this reading is more likely wrong than right (below 50 %): check it against the "
                 "text before relying on it. \"hide uncertain readings\" leaves these out.",
    "speaker uncertain": "The statement is probably real, but who said it is more likely wrong than right (below "
                         "50 %): check the name against the text.",
}


def parse_min_confidence(value: str | float | None) -> float | None:
    """A probability from 0 to 1 as given on a command line or in a query string; None when not given.
    Raises ``ValueError`` with a one-line reason for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number: give a probability from 0 to 1, e.g. 0.5") from None
    if not 0.0 <= number <= 1.0:  # also refuses nan
        raise ValueError(f"{value!r} is outside 0..1: give a probability from 0 to 1, e.g. 0.5")
    return number


def percent(probability: float) -> str:
    return f"{100 * probability:.0f} %"


def confidence_label(confidence: float | None, speaker_confidence: float | None) -> str | None:
    """How sure a reading is, for a person: "87 % · speaker 64 %"; None when the report has no confidences."""
    parts = []
    if confidence is not None:
        parts.append(percent(confidence))
    if speaker_confidence is not None:
        parts.append(f"speaker {percent(speaker_confidence)}")
    return " · ".join(parts) or None


def is_uncertain(probability: float | None) -> bool:
    return probability is not None and probability < UNCERTAIN_BELOW


def readings_at_least(report: ArticleReport, min_confidence: float | None) -> ArticleReport:
    """A copy of ``report`` without the attributions whose ``confidence`` is below ``min_confidence``.

    Attributions without a confidence (no calibration model, or added by a reader's correction) are kept: nothing
    says they are doubtful. What rested only on a hidden attribution goes with it: a source no kept attribution,
    loaded-language span or first report refers to any more, and the ``parent`` link of a kept attribution nested
    in a hidden one. The profile's counts are recomputed for what is shown, and a warning says how many were
    hidden, so a filtered report never reads as complete. Nothing hidden: the report itself is returned.
    """
    if min_confidence is None:
        return report
    hidden = [a for a in report.attributions if a.confidence is not None and a.confidence < min_confidence]
    if not hidden:
        return report
    hidden_ids = {a.id for a in hidden}
    kept = [a if a.parent not in hidden_ids else a.model_copy(update={"parent": None})
            for a in report.attributions if a.id not in hidden_ids]
    first_reports = report.profile.get("first_reports") or []
    still_referred = ({a.source_id for a in kept} | {s.speaker_id for s in report.loaded_language}
                      | {f.get("source_id") for f in first_reports if isinstance(f, dict)})
    only_hidden = {a.source_id for a in hidden} - still_referred
    sources = [s for s in report.sources if s.id not in only_hidden]
    n = len(hidden)
    warning = (f"{n} attribution{'s' if n != 1 else ''} below confidence {min_confidence:g} hidden "
               f"({len(kept)} of {len(report.attributions)} shown)")
    filtered = report.model_copy(update={"attributions": kept, "sources": sources,
                                         "warnings": [*report.warnings, warning]})
    if report.profile:
        # spaCy comes with the profile module: imported only when something was hidden
        from .extractors.profile import build_profile

        # first reports are found in the parse, not in the attributions: the stored ones stand
        counts = build_profile(filtered, [], None, {})
        counts.pop("first_reports", None)
        filtered.profile = {**report.profile, **counts}
    return filtered
