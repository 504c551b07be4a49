"""A short plain-language sourcing summary of one report, shared by every presenter."""
from __future__ import annotations

from ..model import ArticleReport


def summary_lines(report: ArticleReport) -> list[str]:
    atts = report.attributions
    named = [s for s in report.sources if s.named]
    anonymous = [s for s in report.sources if not s.named]
    lines = [
        f"{len(atts)} attributed statements from {len(report.sources)} sources "
        f"({len(named)} named, {len(anonymous)} anonymous or vague)."
    ]
    unsourced = [a for a in atts if a.source is None]
    if unsourced:
        lines.append(f"{len(unsourced)} reported without any source (e.g. \u201c{unsourced[0].cue.text if unsourced[0].cue else ''}\u201d).")
    stances: dict[str, int] = {}
    for a in atts:
        stances[a.stance] = stances.get(a.stance, 0) + 1
    if stances:
        lines.append("Stance: " + ", ".join(f"{k} {v}" for k, v in sorted(stances.items(), key=lambda kv: -kv[1])) + ".")
    media = [s.name for s in report.sources if s.kind == "media"]
    if media:
        lines.append("Media cited: " + ", ".join(media) + ".")
    first = report.profile.get("first_reports") if report.profile else None
    if first:
        lines.append("First report credited to: " + ", ".join(str(f.get("name", f)) if isinstance(f, dict) else str(f) for f in first) + ".")
    if anonymous:
        lines.append("Anonymous or vague: " + ", ".join(s.descriptor or s.name for s in anonymous) + ".")
    checkable = [c for c in report.claims if c.checkable]
    if checkable:
        lines.append(f"{len(checkable)} checkable claims in the outlet's own voice.")
    if report.loaded_language:
        own = sum(1 for ll in report.loaded_language if ll.speaker_id is None)
        lines.append(f"{len(report.loaded_language)} loaded-language spans ({own} in the outlet's own voice).")
    return lines
