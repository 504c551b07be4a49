"""Attribution scores against PolNeAR-style gold: exact spans, character overlap, relations.

Units. A *span* is one contiguous stretch of characters: a discontinuous brat
span (a quote interrupted by "he said") counts as its segments, which is what
a BIO tagger (and the published PolNeAR results) score. Spans are
deduplicated per document and role, since one source often heads several
relations.

- exact: a predicted span counts when a gold span of the same role has the
  same offsets after trimming whitespace from both edges.
- overlap (SemEval-2020 Task 11 style): after trimming whitespace and
  punctuation from the edges, precision = mean over predicted spans of
  max |p & g| / |p|, recall = mean over gold spans of max |p & g| / |g|
  (character sets, the max over spans of the same role in the same document).
- relation: predicted attributions sharing one cue and source form one
  relation (their contents its segments). A gold relation is *found* when some predicted relation's content
  covers >= 50 % of its gold content characters (all segments, trimmed);
  recall = found / gold relations. Precision = share of predicted relations
  with >= 50 % of their content characters inside one gold relation's content.
  Source accuracy = of the found relations that have a gold source, the share
  whose best-covering predicted relation has a source overlapping it.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from ..corpora.polnear import GoldRelation, PolnearDoc, Spans
from ..model import ArticleReport
from .metrics import PRF, f1

ROLES = ("source", "cue", "content")
FOUND_COVERAGE = 0.5


def _is_edge_junk(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def trim(text: str, start: int, end: int, punctuation: bool) -> tuple[int, int]:
    """Shrink (start, end) past whitespace (and punctuation when asked) on both edges."""
    strip = _is_edge_junk if punctuation else str.isspace
    while start < end and strip(text[start]):
        start += 1
    while end > start and strip(text[end - 1]):
        end -= 1
    return start, end


@dataclass
class RelationScores:
    recall: float = 0.0
    precision: float = 0.0
    f1: float = 0.0
    source_accuracy: float = 0.0
    n_gold: int = 0
    n_pred: int = 0
    n_found: int = 0


@dataclass
class AttributionScores:
    exact: dict[str, PRF] = field(default_factory=dict)
    overlap: dict[str, PRF] = field(default_factory=dict)
    relation: RelationScores = field(default_factory=RelationScores)
    documents: int = 0

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "exact": {k: asdict(v) for k, v in self.exact.items()},
            "overlap": {k: asdict(v) for k, v in self.overlap.items()},
            "relation": asdict(self.relation),
        }


def relations_from_report(report: ArticleReport) -> list[GoldRelation]:
    """A report's attributions in the gold's shape. Attributions sharing one cue and source are one
    relation with a discontinuous content (a quote interrupted by "he said" is reported as two)."""
    grouped: dict[tuple, GoldRelation] = {}
    out = []
    for a in report.attributions:
        source = [(a.source.start, a.source.end)] if a.source else None
        content = (a.content.start, a.content.end)
        key = (a.cue.start, a.cue.end, tuple(source or ())) if a.cue else None
        if key is not None and key in grouped:
            grouped[key].content.append(content)
            continue
        rel = GoldRelation(source=source, cue=[(a.cue.start, a.cue.end)] if a.cue else None, content=[content])
        if key is not None:
            grouped[key] = rel
        out.append(rel)
    return out


def _segments(text: str, relations: Iterable[GoldRelation], role: str, punctuation: bool) -> list[tuple[int, int]]:
    seen = set()
    for rel in relations:
        for start, end in getattr(rel, role) or ():
            s, e = trim(text, start, end, punctuation)
            if e > s:
                seen.add((s, e))
    return sorted(seen)


def _chars(text: str, spans: Spans | None) -> set[int]:
    chars: set[int] = set()
    for start, end in spans or ():
        s, e = trim(text, start, end, punctuation=True)
        chars.update(range(s, e))
    return chars


def _max_overlap_ratios(units: list[tuple[int, int]], others: list[tuple[int, int]]) -> float:
    """Sum over ``units`` of max_o |u & o| / |u| (others sorted by start)."""
    total = 0.0
    for us, ue in units:
        best = 0
        for os_, oe in others:
            if os_ >= ue:
                break
            inter = min(ue, oe) - max(us, os_)
            if inter > best:
                best = inter
        total += best / (ue - us)
    return total


class _Tally:
    def __init__(self):
        self.exact = {r: [0, 0, 0] for r in ROLES}  # hits, n_pred, n_gold
        self.overlap = {r: [0.0, 0, 0.0, 0] for r in ROLES}  # p_sum, n_pred, r_sum, n_gold
        self.rel = [0, 0, 0, 0, 0]  # n_gold, n_found, n_pred, pred_correct, source_ok
        self.rel_with_source = 0
        self.docs = 0

    def add(self, text: str, gold: Sequence[GoldRelation], pred: Sequence[GoldRelation]) -> None:
        self.docs += 1
        for role in ROLES:
            g = _segments(text, gold, role, punctuation=False)
            p = _segments(text, pred, role, punctuation=False)
            ex = self.exact[role]
            ex[0] += len(set(g) & set(p))
            ex[1] += len(p)
            ex[2] += len(g)
            g = _segments(text, gold, role, punctuation=True)
            p = _segments(text, pred, role, punctuation=True)
            ov = self.overlap[role]
            ov[0] += _max_overlap_ratios(p, g)
            ov[1] += len(p)
            ov[2] += _max_overlap_ratios(g, p)
            ov[3] += len(g)
        self._add_relations(text, gold, pred)

    def _add_relations(self, text, gold, pred) -> None:
        gold_chars = [_chars(text, r.content) for r in gold]
        pred_chars = [_chars(text, r.content) for r in pred]
        pred_sources = [_chars(text, r.source) for r in pred]
        for rel, gc in zip(gold, gold_chars):
            if not gc:
                continue
            self.rel[0] += 1
            best, best_cover, best_src = None, 0.0, False
            gold_source = _chars(text, rel.source)
            for j, pc in enumerate(pred_chars):
                cover = len(gc & pc) / len(gc)
                src_ok = bool(gold_source & pred_sources[j])
                if cover >= FOUND_COVERAGE and (cover, src_ok) > (best_cover, best_src):
                    best, best_cover, best_src = j, cover, src_ok
            if best is None:
                continue
            self.rel[1] += 1
            if gold_source:
                self.rel_with_source += 1
                self.rel[4] += best_src
        for pc in pred_chars:
            if not pc:
                continue
            self.rel[2] += 1
            if any(len(pc & gc) / len(pc) >= FOUND_COVERAGE for gc in gold_chars):
                self.rel[3] += 1

    def scores(self) -> AttributionScores:
        out = AttributionScores(documents=self.docs)
        for role in ROLES:
            hits, n_pred, n_gold = self.exact[role]
            out.exact[role] = PRF.of(hits, n_pred, hits, n_gold)
            p_sum, overlap_pred, r_sum, overlap_gold = self.overlap[role]
            out.overlap[role] = PRF.of(p_sum, int(overlap_pred), r_sum, int(overlap_gold))
        n_gold, n_found, n_pred, pred_ok, src_ok = self.rel
        r = n_found / n_gold if n_gold else 0.0
        p = pred_ok / n_pred if n_pred else 0.0
        out.relation = RelationScores(
            recall=r, precision=p, f1=f1(p, r),
            source_accuracy=src_ok / self.rel_with_source if self.rel_with_source else 0.0,
            n_gold=n_gold, n_pred=n_pred, n_found=n_found,
        )
        return out


def score_relations(docs: Sequence[PolnearDoc], predicted: Sequence[Sequence[GoldRelation]]) -> AttributionScores:
    """Score predicted relations (one list per document, same order as ``docs``)."""
    if len(docs) != len(predicted):
        raise ValueError(f"{len(docs)} gold documents but {len(predicted)} predictions")
    tally = _Tally()
    for doc, pred in zip(docs, predicted):
        tally.add(doc.text, doc.relations, pred)
    return tally.scores()


def score_reports(docs: Sequence[PolnearDoc], reports: Sequence[ArticleReport]) -> AttributionScores:
    """Score analysed reports; each report's text must be its gold document's text."""
    for doc, report in zip(docs, reports):
        if report.text != doc.text:
            raise ValueError(f"{doc.name}: report text differs from the gold text (offsets would not line up)")
    return score_relations(docs, [relations_from_report(r) for r in reports])


def textacy_relations(doc) -> list[GoldRelation]:
    """textacy's ``direct_quotations`` triples (the open baseline) in the gold's shape."""
    from textacy.extract.triples import direct_quotations

    out = []
    for speaker, cue, content in direct_quotations(doc):
        def extent(tokens):
            if not tokens:
                return None
            return [(min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens))]

        out.append(GoldRelation(source=extent(speaker), cue=extent(cue), content=[(content.start_char, content.end_char)]))
    return out
