"""A short plain-language sourcing summary of one report, and the sources table rows, shared by every presenter."""
from __future__ import annotations

from collections import Counter

from ..model import ArticleReport, Source


def stance_mix(report: ArticleReport, source: Source) -> tuple[int, str]:
    """How many attributions rest on ``source`` and their stances ("distancing 2, neutral 1")."""
    stances = Counter(a.stance for a in report.attributions if a.source_id == source.id)
    return sum(stances.values()), ", ".join(f"{k} {v}" for k, v in sorted(stances.items(), key=lambda kv: (-kv[1], kv[0])))


def summary_lines(report: ArticleReport) -> list[str]:
    atts = report.attributions
    profile = report.profile or {}
    named = [s for s in report.sources if s.named]
    anonymous = [s for s in report.sources if not s.named]
    first = (f"{len(atts)} attributed statements from {len(report.sources)} sources "
             f"({len(named)} named, {len(anonymous)} anonymous or vague)")
    share = profile.get("anonymous_share")
    if atts and share is not None:
        first += f"; {share:.0%} of the attributed text rests on anonymous or unnamed sources"
    lines = [first + "."]
    unsourced = [a for a in atts if a.source is None]
    if unsourced:
        cue = unsourced[0].cue.text if unsourced[0].cue else ""
        lines.append(f"{len(unsourced)} reported without any source (e.g. \u201c{cue}\u201d).")
    nested = [a for a in atts if a.parent]
    if nested:
        by_id = {a.id: a for a in atts}
        a = nested[0]
        outer = by_id.get(a.parent) if a.parent is not None else None
        if outer is not None and outer.source is not None and a.source is not None:
            lines.append(f"{len(nested)} nested attribution(s), e.g. \u201c{outer.source.text}\u201d citing \u201c{a.source.text}\u201d.")
    stances = Counter(a.stance for a in atts)
    if stances:
        lines.append("Stance: " + ", ".join(f"{k} {v}" for k, v in sorted(stances.items(), key=lambda kv: (-kv[1], kv[0]))) + ".")
    media = [s.name for s in report.sources if s.kind == "media"]
    if media:
        lines.append("Media cited: " + ", ".join(media) + ".")
    firsts = profile.get("first_reports")
    if firsts:
        lines.append("First report credited to: " + ", ".join(str(f.get("name", f)) if isinstance(f, dict) else str(f) for f in firsts) + ".")
    if anonymous:
        lines.append("Anonymous or vague: " + ", ".join(s.descriptor or s.name for s in anonymous) + ".")
    checkable = [c for c in report.claims if c.checkable]
    if checkable:
        reasons = Counter(r for c in checkable for r in c.reasons)
        top = ", ".join(r.replace("_", " ") for r, _ in reasons.most_common(3))
        lines.append(f"{len(checkable)} checkable claims in the outlet's own voice ({top}).")
    if report.loaded_language:
        own = sum(1 for ll in report.loaded_language if ll.speaker_id is None)
        lines.append(f"{len(report.loaded_language)} loaded-language spans ({own} in the outlet's own voice).")
    return lines
