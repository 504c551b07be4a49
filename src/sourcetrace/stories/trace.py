"""One story's trace: timeline, first report, who cites whom, chains to root sources, claim groups with
provenance, corroboration and mutations. Pure: a list of ``ArticleReport`` in, a JSON-ready dict out."""
from __future__ import annotations

from collections import defaultdict

from ..model import ArticleReport
from .first_report import first_report, parse_time
from .claims import UNNAMED_REPORTS, ClaimGroup, ClaimUnit, align, mutations, units_of
from .sourcing import GENERIC_MEDIA, normalise, sourcing_of, unify_anonymous_keys


def sort_time(published: str | None) -> tuple[int, str]:
    """(0, iso) for a readable time (ISO 8601 or a feed's RFC 2822, in UTC), (1, '') for a missing one:
    undated articles go last and are flagged."""
    interval = parse_time(published)
    return (0, interval[0].isoformat()) if interval else (1, "")


def timeline(reports: list[ArticleReport]) -> tuple[list[ArticleReport], list[str]]:
    """Reports in publication order and the flags that qualify it (ties, missing or day-only dates)."""
    ordered = sorted(reports, key=lambda r: (sort_time(r.published), r.id))
    flags: list[str] = []
    dated = [r for r in ordered if sort_time(r.published)[0] == 0]
    if len(dated) < len(ordered):
        flags.append(f"{len(ordered) - len(dated)} article(s) without a readable published time: placed last, "
                     "first report uncertain")
    # ties among the earliest are the first report's to judge (first_report.py): citations and opinion come first
    return ordered, flags


class StoryTracer:
    """Builds the trace of one story from its articles' reports."""

    def __init__(self, story_id: str, reports: list[ArticleReport]):
        self.story_id = story_id
        ordered, self.flags = timeline(reports)
        self.sourcings = {r.id: sourcing_of(r) for r in ordered}
        self.first = first_report(ordered, self.sourcings)
        if self.first.tied:
            self.flags.append(f"tie: {len(self.first.tied)} articles could be the first report ({self.first.reason})")
        head = [r for r in ordered if r.id == self.first.article]
        self.reports = head + [r for r in ordered if r.id != self.first.article]
        self.order = {r.id: i for i, r in enumerate(self.reports)}
        self.by_outlet: dict[str, list[str]] = defaultdict(list)
        for r in self.reports:
            self.by_outlet[normalise(self.sourcings[r.id].outlet)].append(r.id)

    # ------------------------------------------------------------ citations and chains

    def citation_edges(self) -> list[dict]:
        edges = []
        for r in self.reports:
            s = self.sourcings[r.id]
            for c in s.citations:
                target = self.by_outlet.get(normalise(c.outlet), [])
                edges.append({"from": s.outlet, "to": c.outlet, "article": r.id,
                              "to_article": target[0] if target else None, **c.as_dict()})
        return edges

    def _roots_via(self, article_id: str, outlet: str, seen: frozenset[str]) -> list[list[dict]]:
        """Chains below ``outlet`` as seen from ``article_id``: through its own article when the story has it."""
        targets = [a for a in self.by_outlet.get(normalise(outlet), []) if a not in seen]
        if targets:
            return self._chains_from(targets[0], seen | {targets[0]})
        s = self.sourcings[article_id]
        below = [[_source_node(root)] for root in s.roots if root.via == outlet]
        return below or [[]]

    def _chains_from(self, article_id: str, seen: frozenset[str]) -> list[list[dict]]:
        s = self.sourcings[article_id]
        chains: list[list[dict]] = []
        for outlet in s.cited_outlets:
            outlet_articles = self.by_outlet.get(normalise(outlet))
            node = {"label": outlet, "kind": "outlet", "article": outlet_articles[0] if outlet_articles else None,
                    "first_report": outlet in s.first_report_outlets}
            for rest in self._roots_via(article_id, outlet, seen):
                chains.append([node, *rest])
        cited = set(s.cited_outlets)
        for root in s.roots:
            if root.via is None:
                chains.append([_source_node(root)])
            elif root.via not in cited:  # e.g. "multiple outlets reported, citing officials": unnamed media between
                chains.append([{"label": root.via, "kind": "outlet", "article": None, "first_report": False},
                               _source_node(root)])
        return _dedupe(chains)

    def chains(self) -> list[dict]:
        out = []
        for r in self.reports:
            s = self.sourcings[r.id]
            head = {"label": s.outlet, "kind": "article", "article": r.id}
            for chain in self._chains_from(r.id, frozenset({r.id})):
                out.append({"article": r.id, "path": [head, *chain]})
        return out

    # ------------------------------------------------------------ claims

    def _unit_roots(self, unit: ClaimUnit, group: list[ClaimUnit], seen: frozenset[str] = frozenset()) -> set[str]:
        """The independent root keys a claim unit rests on. Keys, not outlets, are counted: outlets resting on
        the same first report or on the same unnamed officials collapse into one."""
        s = self.sourcings[unit.article_id]
        if unit.kind == "attributed" and unit.source_key and not unit.source_outlet and unit.source_key != UNNAMED_REPORTS:
            return {unit.source_key}
        # sources named inside the unit's sentence ("..., citing unnamed officials") are what it rests on
        inside = {r.key for r in s.roots if unit.start <= r.start < unit.end or r.start <= unit.start < r.end}
        if inside:
            return inside
        outlet = unit.source_outlet
        if outlet is None:
            cited_here = [c.outlet for c in s.citations if unit.start <= c.start < unit.end]
            firsts = s.first_report_outlets or (s.cited_outlets if len(s.cited_outlets) == 1 else [])
            rereport = any(u.order < unit.order for u in group)
            if cited_here:
                outlet = cited_here[0]
            elif unit.hedged or unit.source_key == UNNAMED_REPORTS:
                outlet = firsts[0] if firsts else GENERIC_MEDIA
            elif rereport and s.cited_outlets:
                # repeating, in its own voice, a claim another outlet published first while citing outlets:
                # it rests on what it cites, not on reporting of its own
                outlet = firsts[0] if firsts else s.cited_outlets[0]
        if outlet is None:
            return {"outlet:" + normalise(s.outlet)}  # the outlet's own reporting
        seen = seen | {unit.article_id}
        targets = [a for a in self.by_outlet.get(normalise(outlet), []) if a not in seen]
        # the cited outlet's own version of this claim, when the story holds it, says what the claim rests on
        for version in group:
            if version.article_id in targets:
                return self._unit_roots(version, group, seen)
        if not targets:
            return {"outlet:" + normalise(outlet)}  # rests on that outlet's report, which the story does not hold
        keys: set[str] = set()
        for chain in self._chains_from(targets[0], seen | {targets[0]}):
            last = chain[-1] if chain else None
            if last is not None:
                keys.add(last["key"] if last["kind"] == "source" else "outlet:" + normalise(last["label"]))
        return keys or {"outlet:" + normalise(outlet)}

    def claim_groups(self) -> list[ClaimGroup]:
        units: list[ClaimUnit] = []
        for r in self.reports:
            units.extend(units_of(r, self.sourcings[r.id], self.order[r.id]))
        return align(units)

    def claim_dict(self, group: ClaimGroup) -> dict:
        units = sorted(group.units, key=lambda u: (u.order, u.start))
        first = units[0]
        roots: set[str] = set()
        for u in units:
            roots |= self._unit_roots(u, units)
        mapping = unify_anonymous_keys(sorted(roots))
        roots = {mapping.get(k, k) for k in roots}
        flags = []
        if len(self.reports) > 1:
            first_time = sort_time(self.reports[first.order].published)
            if first_time[0] == 1:
                flags.append("first version undated")
            elif any(sort_time(self.reports[u.order].published) == first_time for u in units[1:]):
                flags.append("tie for first version")
        return {
            "id": group.id,
            "text": first.text,
            "articles": group.article_ids,
            "outlets": list(dict.fromkeys(u.outlet for u in units)),
            "first": {"article": first.article_id, "outlet": first.outlet, "flags": flags},
            "versions": [{**u.as_dict(), "mutations": mutations(first, u) if u is not first else []} for u in units],
            "corroboration": {"independent_sources": len(roots), "roots": sorted(roots),
                              "single_anonymous": len(roots) == 1 and next(iter(roots)).startswith("anon:")},
        }

    def build(self) -> dict:
        groups = sorted(self.claim_groups(), key=lambda g: (-len(g.article_ids), g.units[0].order, g.units[0].start))
        first = self.reports[0] if self.reports else None
        cited_first = [o for r in self.reports for o in self.sourcings[r.id].first_report_outlets]
        return {
            "story": self.story_id,
            "articles": [r.id for r in self.reports],
            "first_report": first.id if first else None,
            "first_report_cited": list(dict.fromkeys(cited_first)),
            "first_report_tied": self.first.tied,
            "first_report_reason": self.first.reason,
            "first_report_set_aside": self.first.set_aside,
            "flags": self.flags,
            "timeline": [{"article": r.id, "outlet": self.sourcings[r.id].outlet, "title": r.title, "url": r.url,
                          "published": r.published, "cites": self.sourcings[r.id].cited_outlets} for r in self.reports],
            "citations": self.citation_edges(),
            "chains": self.chains(),
            "claims": [self.claim_dict(g) for g in groups],
        }


def _source_node(root) -> dict:
    return {"label": root.label, "kind": "source", "key": root.key, "anonymous": root.anonymous}


def _dedupe(chains: list[list[dict]]) -> list[list[dict]]:
    seen, out = set(), []
    for chain in chains:
        key = tuple((n["kind"], n.get("key") or n["label"]) for n in chain)
        if key not in seen:
            seen.add(key)
            out.append(chain)
    return out


def trace_story(story_id: str, reports: list[ArticleReport]) -> dict:
    return StoryTracer(story_id, reports).build()
