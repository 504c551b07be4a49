"""Story clustering against gold same-event groups: B-cubed and pairwise precision/recall/F1.

The gold set (``stories/articles.jsonl``) gives each article a ``story_id``; the
articles carry only the story's date, which stands in for their published date.
The scored split is deterministic (a hash of the story id), so ``tune`` and
``check`` halves stay the same between runs; the gold directory's held-out part,
when present as ``heldout.jsonl``, is scored on its own.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from ..stories.cluster import ClusterParams, StoryDoc, cluster


@dataclass
class ClusterScores:
    articles: int
    gold_stories: int
    predicted_stories: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clustering(gold: dict[str, str], predicted: dict[str, str], seconds: float = 0.0) -> ClusterScores:
    """``gold``/``predicted`` map article id -> cluster id over the same articles."""
    ids = list(gold)
    gold_members: dict[str, set[str]] = defaultdict(set)
    pred_members: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        gold_members[gold[i]].add(i)
        pred_members[predicted[i]].add(i)
    precision = recall = 0.0
    for i in ids:
        same_pred = pred_members[predicted[i]]
        same_gold = gold_members[gold[i]]
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    precision /= len(ids) or 1
    recall /= len(ids) or 1

    def pairs(members: dict[str, set[str]]) -> int:
        return sum(len(m) * (len(m) - 1) // 2 for m in members.values())

    true_pairs = 0
    for members in pred_members.values():
        by_gold: dict[str, int] = defaultdict(int)
        for i in members:
            by_gold[gold[i]] += 1
        true_pairs += sum(n * (n - 1) // 2 for n in by_gold.values())
    pred_pairs, gold_pairs = pairs(pred_members), pairs(gold_members)
    pp = true_pairs / pred_pairs if pred_pairs else 1.0
    pr = true_pairs / gold_pairs if gold_pairs else 1.0
    return ClusterScores(
        articles=len(ids), gold_stories=len(gold_members), predicted_stories=len(pred_members),
        bcubed_precision=precision, bcubed_recall=recall, bcubed_f1=_f1(precision, recall),
        pairwise_precision=pp, pairwise_recall=pr, pairwise_f1=_f1(pp, pr), seconds=seconds,
    )


def read_gold(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def split_of(story_id: str) -> str:
    """A fixed half of the stories ('tune') is used to choose parameters, the other ('check') is not."""
    return "tune" if int(hashlib.sha1(story_id.encode()).hexdigest(), 16) % 2 == 0 else "check"


def docs_of(rows: list[dict]) -> list[StoryDoc]:
    return [
        StoryDoc(id=r["id"], text=r.get("text") or "", title=r.get("title"),
                 published=r.get("published") or r.get("story_date"), outlet=r.get("outlet"))
        for r in rows
    ]


def evaluate_rows(rows: list[dict], params: ClusterParams | None = None) -> ClusterScores:
    started = time.perf_counter()
    stories = cluster(docs_of(rows), params)
    seconds = time.perf_counter() - started
    predicted = {a: s for s, members in stories.items() for a in members}
    gold = {r["id"]: r["story_id"] for r in rows}
    return score_clustering(gold, predicted, seconds)


def evaluate_gold_dir(gold_dir: Path, params: ClusterParams | None = None) -> dict[str, ClusterScores]:
    """Scores for all gold articles and each split; each part is clustered on its own (no leakage)."""
    rows = read_gold(gold_dir / "articles.jsonl")
    results = {
        "all": evaluate_rows(rows, params),
        "tune": evaluate_rows([r for r in rows if split_of(r["story_id"]) == "tune"], params),
        "check": evaluate_rows([r for r in rows if split_of(r["story_id"]) == "check"], params),
    }
    heldout = gold_dir / "heldout.jsonl"
    if heldout.exists():
        results["heldout"] = evaluate_rows(read_gold(heldout), params)
    return results
