"""The article's sourcing profile: counts and shares a fact-checker reads first.

Keys are documented in docs/schema.md (section "profile"). Shares are of characters of
attributed content (the union of content spans, so nested attributions are not counted twice).
"""
from __future__ import annotations

from collections import Counter
from typing import get_args

from ..model import AttributionForm, SourceKind, Span, Stance
from .chains import FirstReport
from .sources import MentionResolver, mention_resolver


def _union_length(spans: list[tuple[int, int]]) -> int:
    total, cur_s = 0, 0
    cur_e: int | None = None
    for s, e in sorted(spans):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


def build_profile(report, first_reports: list[FirstReport], resolver: MentionResolver | None, source_keys: dict[str, str]) -> dict:
    sources = {s.id: s for s in report.sources}
    atts = report.attributions

    def rests_on_anonymous(a) -> bool:
        src = sources.get(a.source_id or "")
        return a.source is None or src is None or not src.named

    by_source = Counter("unsourced" if a.source is None else ("named" if not rests_on_anonymous(a) else "anonymous") for a in atts)
    attributed = _union_length([(a.content.start, a.content.end) for a in atts])
    anonymous = _union_length([(a.content.start, a.content.end) for a in atts if rests_on_anonymous(a)])
    stance = Counter(a.stance for a in atts)
    forms = Counter(a.form for a in atts)
    kinds = Counter(s.kind for s in report.sources)
    per_source = Counter(a.source_id for a in atts if a.source_id)

    media = [{"source_id": s.id, "name": s.name, "attributions": per_source.get(s.id, 0)}
             for s in report.sources if s.kind == "media"]

    firsts = []
    seen = set()
    for fr in first_reports:
        start, end = fr.mention
        info = resolver.classify(start, end) if resolver is not None else None
        source_id = source_keys.get(info.key) if info is not None else None
        name = sources[source_id].name if source_id in sources else (info.name if info is not None else report.text[start:end])
        if (source_id, name) in seen:
            continue
        seen.add((source_id, name))
        firsts.append({
            "name": name,
            "source_id": source_id,
            "mention": Span.of(report.text, start, end).model_dump(),
            "cue": Span.of(report.text, *fr.cue).model_dump(),
        })

    checkable = [c for c in report.claims if c.checkable]
    reasons = Counter(r for c in checkable for r in c.reasons)
    return {
        "attributions": len(atts),
        "attributions_by_form": {f: forms.get(f, 0) for f in get_args(AttributionForm)},
        "attributions_by_source": {k: by_source.get(k, 0) for k in ("named", "anonymous", "unsourced")},
        "nested_attributions": sum(1 for a in atts if a.parent),
        "sources": len(report.sources),
        "named_sources": sum(1 for s in report.sources if s.named),
        "anonymous_sources": sum(1 for s in report.sources if not s.named),
        "sources_by_kind": {k: kinds.get(k, 0) for k in get_args(SourceKind)},
        "attributed_chars": attributed,
        "anonymous_chars": anonymous,
        "anonymous_share": round(anonymous / attributed, 3) if attributed else 0.0,
        "stance": {s: stance.get(s, 0) for s in get_args(Stance)},
        "media_cited": media,
        "first_reports": firsts,
        "claims": len(report.claims),
        "checkable_claims": len(checkable),
        "checkable_reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


class ProfileBuilder:
    name = "profile"
    # loaded_language too: it puts its counts in the profile first, and this adds the rest after them
    requires = ("sources", "source_keys", "speakers", "confidence", "stance", "claims", "first_reports", "loaded_language")
    assigns = ("profile",)

    def __call__(self, ctx) -> None:
        resolver = mention_resolver(ctx) if ctx.first_reports else None
        profile = dict(ctx.report.profile or {})
        profile.update(build_profile(ctx.report, ctx.first_reports, resolver, ctx.source_keys))
        ctx.report.profile = profile


def make_profile_builder(options):
    return ProfileBuilder()
