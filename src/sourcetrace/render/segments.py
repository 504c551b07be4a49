"""Split a report's text into runs labelled source / cue / content / loaded, for highlighting."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import ArticleReport

# later roles win where spans overlap: a cue inside a content span shows as cue
ROLE_ORDER = ("content", "source", "cue")


@dataclass
class Segment:
    start: int
    end: int
    text: str
    roles: set[str] = field(default_factory=set)
    attribution_ids: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)  # techniques

    @property
    def role(self) -> str | None:
        for role in reversed(ROLE_ORDER):
            if role in self.roles:
                return role
        return None


def segments(report: ArticleReport) -> list[Segment]:
    text = report.text
    marks: list[tuple[int, int, str, str]] = []  # start, end, role, label
    for a in report.attributions:
        for role, span in (("content", a.content), ("source", a.source), ("cue", a.cue)):
            if span is not None and span.end > span.start:
                marks.append((span.start, span.end, role, a.id))
    for ll in report.loaded_language:
        marks.append((ll.start, ll.end, "loaded", ll.technique))
    bounds = {0, len(text)}
    for s, e, _, _ in marks:
        bounds.update((s, e))
    points = sorted(b for b in bounds if 0 <= b <= len(text))
    out: list[Segment] = []
    for s, e in zip(points, points[1:]):
        seg = Segment(s, e, text[s:e])
        for ms, me, role, label in marks:
            if ms <= s and e <= me:
                if role == "loaded":
                    seg.loaded.append(label)
                else:
                    seg.roles.add(role)
                    if label not in seg.attribution_ids:
                        seg.attribution_ids.append(label)
        out.append(seg)
    return out
