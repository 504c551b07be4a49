"""Stories from a batch dataset (``sourcetrace stories --parquet``), clustered on the Dask workers.

The dataset is already split by month of publication; each month is one block, clustered on its own worker
together with the last ``margin_days`` of the month before (clustering only ever compares articles a few days
apart: ``ClusterParams.window_days``). An article in that margin belongs to the earlier block, so a story of
the later block that holds it is the same story as the earlier block's: stories are joined across blocks
through their shared articles (union-find), and a story that spans a month boundary comes out whole.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ..stories.cluster import ClusterParams, StoryDoc, cluster, day_number, story_id_for
from .dataset import REPORTS, UNDATED, atomic_write_bytes

STORY_COLUMNS = ["id", "title", "text", "published", "outlet"]
DEFAULT_MARGIN_DAYS = 3


def dataset_months(dataset: Path) -> list[str]:
    return sorted(p.name.split("=", 1)[1] for p in (dataset / REPORTS).glob("month=*") if p.is_dir())


def read_month(dataset: Path, month: str, columns: list[str], ids: set[str] | None = None,
               since_day: int | None = None) -> list[dict]:
    """Rows of one month of the reports table: all, those with ``ids``, or those published on ``since_day`` or
    later (the margin an adjacent block borrows)."""
    import pyarrow.parquet as pq

    rows: list[dict] = []
    for path in sorted((dataset / REPORTS / f"month={month}").glob("part-*.parquet")):
        for row in pq.read_table(path, columns=columns).to_pylist():
            if ids is not None and row["id"] not in ids:
                continue
            if since_day is not None and (day_number(row.get("published")) or 0) < since_day:
                continue
            rows.append(row)
    return rows


def cluster_block(dataset: str, month: str, previous: str | None, margin_days: int, params: ClusterParams) -> list[list[str]]:
    """Stories of one month's block (with the margin borrowed from ``previous``), as lists of article ids."""
    root = Path(dataset)
    rows = read_month(root, month, STORY_COLUMNS)
    if previous is not None and month != UNDATED:
        first_day = date.fromisoformat(f"{month}-01").toordinal()
        rows = read_month(root, previous, STORY_COLUMNS, since_day=first_day - margin_days) + rows
    docs = [StoryDoc(id=r["id"], text=r["text"], title=r["title"], published=r["published"], outlet=r["outlet"])
            for r in rows]
    return [sorted(members) for members in cluster(docs, params).values()]


def trace_block(dataset: str, stories: list[tuple[str, list[str], list[str]]]) -> list[dict]:
    """Trace stories whose reports lie in the given months: (story id, article ids, months)."""
    from ..model import ArticleReport
    from ..stories.trace import trace_story

    root = Path(dataset)
    wanted = {i for _, ids, _ in stories for i in ids}
    months = sorted({m for _, _, ms in stories for m in ms})
    reports = {row["id"]: ArticleReport.model_validate_json(row["report"])
               for m in months for row in read_month(root, m, ["id", "report"], ids=wanted)}
    return [trace_story(story_id, [reports[i] for i in ids if i in reports]) for story_id, ids, _ in stories]


class _Components:
    """Union-find over article ids."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, members: Iterable[str]) -> None:
        members = list(members)
        if members:
            self.find(members[0])  # a story of one article is a component too
        for other in members[1:]:
            a, b = self.find(members[0]), self.find(other)
            if a != b:
                self.parent[max(a, b)] = min(a, b)

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for x in self.parent:
            out.setdefault(self.find(x), []).append(x)
        return list(out.values())


def _sort_key(row: dict) -> tuple:
    return (day_number(row.get("published")) is None, row.get("published") or "", row["id"])


def stories_from_dataset(dataset: Path, out: Path, client, params: ClusterParams | None = None,
                         margin_days: int = DEFAULT_MARGIN_DAYS, min_articles: int = 1, trace_min_articles: int = 2,
                         stories_per_task: int = 50) -> dict:
    """Cluster the dataset's articles into stories on the workers; write ``stories.jsonl`` (each story of at least
    ``min_articles`` articles: its articles in publication order, first report, outlets) and ``traces.jsonl``
    (the trace of each story of at least ``trace_min_articles``) under ``out``. Returns counts."""
    params = params or ClusterParams()
    months = dataset_months(dataset)
    dated = [m for m in months if m != UNDATED]
    token = uuid.uuid4().hex[:8]
    futures = []
    for month in months:
        previous = dated[dated.index(month) - 1] if month in dated and dated.index(month) > 0 else None
        futures.append(client.submit(cluster_block, str(dataset), month, previous, margin_days, params,
                                     key=f"stories-{month}-{token}", pure=False))
    components = _Components()
    for future in futures:
        for members in future.result():
            components.union(members)
    meta: dict[str, dict] = {}
    for month in months:
        for row in read_month(dataset, month, ["id", "title", "published", "outlet"]):
            meta[row["id"]] = {**row, "month": month}
    stories = []
    for group in components.groups():
        ordered = sorted((meta[i] for i in group), key=_sort_key)
        stories.append({"story": story_id_for(ordered[0]["id"]), "articles": [r["id"] for r in ordered],
                        "first_report": ordered[0]["id"], "title": ordered[0]["title"] or ordered[0]["id"],
                        "published": ordered[0]["published"],
                        "outlets": list(dict.fromkeys(r["outlet"] for r in ordered if r["outlet"])),
                        "months": sorted({r["month"] for r in ordered})})
    stories.sort(key=lambda s: (-len(s["articles"]), s["published"] or "", s["story"]))
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / "stories.jsonl", "".join(
        json.dumps({k: v for k, v in s.items() if k != "months"}, ensure_ascii=False) + "\n"
        for s in stories if len(s["articles"]) >= min_articles).encode("utf-8"))
    to_trace = [(s["story"], s["articles"], s["months"]) for s in stories if len(s["articles"]) >= trace_min_articles]
    chunks = [to_trace[i:i + stories_per_task] for i in range(0, len(to_trace), stories_per_task)]
    trace_futures = [client.submit(trace_block, str(dataset), chunk, key=f"trace-{n}-{token}", pure=False)
                     for n, chunk in enumerate(chunks)]
    traced = [story for future in trace_futures for story in future.result()]
    atomic_write_bytes(out / "traces.jsonl", "".join(
        json.dumps(t, ensure_ascii=False) + "\n" for t in traced).encode("utf-8"))
    return {"articles": len(meta), "stories": len(stories), "traced": len(traced), "blocks": len(months)}

