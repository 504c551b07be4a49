"""The view-model of one report, shared by the CLI's HTML report and the web app's article page:
text segments with their roles, each attribution described, the sources table, the summary and the
profile. Presenters only choose how a hover title reads (``hover_titles``)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import ArticleReport, Source
from ..readings import confidence_label, is_uncertain
from .segments import Segment, segments
from .summary import stance_mix, summary_lines


@dataclass(frozen=True)
class AttributionView:
    id: str
    source: Source | None  # the resolved source, if any
    source_text: str | None  # the words naming it in the text
    form: str
    stance: str
    cue: str | None
    content: str
    confidence: float | None = None  # that this is an attributed statement (calibrated; None: no model)
    speaker_confidence: float | None = None  # that ``source`` is who said it

    @property
    def confidence_label(self) -> str | None:
        """"87 % · speaker 64 %"; None when the report carries no confidences."""
        return confidence_label(self.confidence, self.speaker_confidence)

    @property
    def uncertain(self) -> bool:
        """More likely not an attributed statement at all (``readings.UNCERTAIN_BELOW``)."""
        return is_uncertain(self.confidence)

    @property
    def speaker_uncertain(self) -> bool:
        """A statement, but its speaker is more likely wrong than right."""
        return not self.uncertain and is_uncertain(self.speaker_confidence)

    @property
    def who(self) -> str:
        """The source with kind, named or not and descriptor; what it says when there is none."""
        if self.source is not None:
            return describe_source(self.source)
        return f"{self.source_text} (not resolved to a source)" if self.source_text else "no source given"

    @property
    def who_brief(self) -> str:
        """The source with kind and named or not; else the words naming it."""
        src = self.source
        if src is not None:
            return f"{src.name} ({src.kind}, {'named' if src.named else 'anonymous'})"
        return self.source_text if self.source_text else "no source"


@dataclass(frozen=True)
class SourceRow:
    source: Source
    count: int  # attributions resting on the source
    stances: str  # their stances, most frequent first: "distancing 2, neutral 1"


@dataclass
class ReportView:
    report: ArticleReport
    segments: list[Segment]
    attributions: dict[str, AttributionView]
    source_rows: list[SourceRow]
    summary: list[str]

    @property
    def has_confidence(self) -> bool:
        """Whether the readings carry confidences (reports from before calibration, or without its model, do not)."""
        return any(a.confidence is not None for a in self.attributions.values())

    @property
    def uncertain_count(self) -> int:
        """How many readings are more likely wrong than right: what "hide uncertain readings" would hide."""
        return sum(1 for a in self.attributions.values() if a.uncertain)

    def segment_stance(self, seg: Segment) -> str | None:
        """The stance of the first attribution a segment belongs to (colours the web page)."""
        return next((self.attributions[aid].stance for aid in seg.attribution_ids if aid in self.attributions), None)

    def hover_titles(self, seg: Segment, describe: Callable[[AttributionView], str], loaded_label: str,
                     explain: Callable[[str], str | None] | None = None) -> str:
        """A segment's hover text: one line per attribution it belongs to, then its loaded-language techniques
        (each with ``explain(technique)`` in brackets when given and known)."""
        lines = [describe(self.attributions[aid]) for aid in seg.attribution_ids if aid in self.attributions]
        for t in seg.loaded:
            note = explain(t) if explain is not None else None
            lines.append(f"{loaded_label}{t} ({note})" if note else f"{loaded_label}{t}")
        return "\n".join(lines)

    def profile_rows(self) -> list[tuple[str, Any, Any]]:
        """(key, the value when it is a scalar else None, the value), by key."""
        return [(k, v if isinstance(v, (str, int, float, bool)) or v is None else None, v)
                for k, v in sorted(self.report.profile.items())]


def describe_source(source: Source) -> str:
    parts = [source.kind, "named" if source.named else "anonymous"]
    if source.descriptor:
        parts.append(source.descriptor)
    return f"{source.name} ({', '.join(parts)})"


def report_view(report: ArticleReport) -> ReportView:
    sources = {s.id: s for s in report.sources}
    attributions = {
        a.id: AttributionView(id=a.id, source=sources.get(a.source_id or ""), source_text=a.source.text if a.source else None,
                              form=a.form, stance=a.stance, cue=a.cue.text if a.cue else None, content=a.content.text,
                              confidence=a.confidence, speaker_confidence=a.speaker_confidence)
        for a in report.attributions
    }
    rows = [SourceRow(s, *stance_mix(report, s)) for s in report.sources]
    return ReportView(report=report, segments=segments(report), attributions=attributions, source_rows=rows,
                      summary=summary_lines(report))
