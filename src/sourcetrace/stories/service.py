"""Stories over the store: place new articles incrementally, list stories, trace one."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select

from ..store import Store
from ..store.models import ArticleRow
from .cluster import ClusterParams, StoryDoc, StoryIndex
from .tables import StoryArticleRow, StoryMergeRow
from .trace import sort_time, trace_story

VECTOR_DIGITS = 4  # stored weights are rounded: enough for cosine, a third of the JSON


@dataclass
class UpdateResult:
    placed: int
    articles: int
    stories: int


def load_index(store: Store, params: ClusterParams | None = None) -> StoryIndex:
    """The clustering state as stored: every placed article's vector and story, and the merges."""
    index = StoryIndex(params or ClusterParams())
    with store.Session() as session:
        for row in session.execute(select(StoryArticleRow).order_by(StoryArticleRow.seq)).scalars():
            index.add_vector(row.article_id, row.published, row.vector, row.story_id, embedding_of(row.embedding))
            index.restored_seq = row.seq
        for merge in session.execute(select(StoryMergeRow)).scalars():
            index.merge_alias(merge.merged, merge.into)
    return index


def update_stories(store: Store, params: ClusterParams | None = None, batch_size: int = 2000,
                   index: StoryIndex | None = None) -> tuple[StoryIndex, UpdateResult]:
    """Place the stored articles no story holds yet; the ones already placed are not touched. ``index``: the
    state this process loaded before (the web app keeps it), so only what others placed since is read."""
    if index is None:
        index = load_index(store, params)
    else:
        catch_up(store, index)
    placed = 0
    with store.Session() as session:
        seq = session.scalar(select(func.max(StoryArticleRow.seq))) or 0
        known_merges = set(session.scalars(select(StoryMergeRow.merged)))
        new_rows = session.execute(
            select(ArticleRow.id, ArticleRow.title, ArticleRow.text, ArticleRow.published)
            .outerjoin(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
            .where(StoryArticleRow.article_id.is_(None)).order_by(ArticleRow.pk)
        ).all()
        for start in range(0, len(new_rows), batch_size):
            batch = [StoryDoc(id=r.id, title=r.title, text=r.text, published=r.published)
                     for r in new_rows[start:start + batch_size]]
            index.add_many(batch)
            for doc in batch:
                seq += 1
                story, vector = index.placement(doc.id)
                embedding = index.embedding(doc.id)
                session.add(StoryArticleRow(
                    article_id=doc.id, story_id=story, seq=seq, published=doc.published,
                    vector={t: round(w, VECTOR_DIGITS) for t, w in vector.items()},
                    embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32).tobytes(),
                ))
            placed += len(batch)
        for merged, into in index.merges().items():
            if merged not in known_merges:
                session.add(StoryMergeRow(merged=merged, into=into))
        session.commit()
        index.restored_seq = seq
    stories = index.stories()
    return index, UpdateResult(placed=placed, articles=len(index.ids), stories=len(stories))


def embedding_of(stored: bytes | None) -> np.ndarray | None:
    """A stored embedding back as the float32 vector it was."""
    return None if stored is None else np.frombuffer(stored, dtype=np.float32)


def catch_up(store: Store, index: StoryIndex) -> None:
    """Add to a loaded index what another process placed since it was loaded."""
    with store.Session() as session:
        newest = session.scalar(select(func.max(StoryArticleRow.seq))) or 0
        if newest <= index.restored_seq:
            return
        rows = session.execute(select(StoryArticleRow).where(StoryArticleRow.seq > index.restored_seq)
                               .order_by(StoryArticleRow.seq)).scalars()
        for row in rows:
            index.add_vector(row.article_id, row.published, row.vector, row.story_id, embedding_of(row.embedding))
        for merge in session.execute(select(StoryMergeRow)).scalars():
            if merge.merged not in index.merges():
                index.merge_alias(merge.merged, merge.into)
        index.restored_seq = newest


def story_members(store: Store, index: StoryIndex | None = None) -> dict[str, list[str]]:
    index = index if index is not None else load_index(store)
    return index.stories()


def trace_stored_story(store: Store, story_id: str, members: list[str]) -> dict:
    reports = list(store.iter_reports(ids=members))
    return trace_story(story_id, reports)


def ordered_members(store: Store, members: list[str]) -> list[str]:
    """Article ids in publication order (for listings that do not need the full trace)."""
    with store.Session() as session:
        rows = session.execute(select(ArticleRow.id, ArticleRow.published).where(ArticleRow.id.in_(members))).all()
    return [r.id for r in sorted(rows, key=lambda r: (sort_time(r.published), r.id))]


def story_summaries(store: Store, members: dict[str, list[str]]) -> list[dict]:
    """One line per story (no trace): its articles in publication order, the first one's title, the outlets.
    Largest stories first."""
    from ..store.models import OutletRow

    with store.Session() as session:
        rows = {r.id: r for r in session.execute(
            select(ArticleRow.id, ArticleRow.title, ArticleRow.published, OutletRow.name.label("outlet"))
            .outerjoin(OutletRow, OutletRow.id == ArticleRow.outlet_id))}
    out = []
    for story_id, ids in members.items():
        ordered = sorted((rows[i] for i in ids if i in rows), key=lambda r: (sort_time(r.published), r.id))
        if not ordered:
            continue
        out.append({"story": story_id, "articles": [r.id for r in ordered], "first_report": ordered[0].id,
                    "title": ordered[0].title or ordered[0].id, "published": ordered[0].published,
                    "outlets": list(dict.fromkeys(r.outlet for r in ordered if r.outlet))})
    out.sort(key=lambda s: (-len(s["articles"]), s["published"] or ""))
    return out


_worker_store: Store | None = None


def _open_worker_store(url: str) -> None:
    global _worker_store
    _worker_store = Store(url, migrate_on_open=False)


def _trace_in_worker(item: tuple[str, list[str]]) -> dict:
    story_id, ids = item
    store = _worker_store
    assert store is not None  # set by the pool's initializer, _open_worker_store
    return trace_stored_story(store, story_id, ordered_members(store, ids))


def trace_many(store: Store, members: dict[str, list[str]], workers: int = 1):
    """Trace every story, in order; stories are independent, so ``workers`` processes share them out."""
    items = list(members.items())
    if workers <= 1 or len(items) < 2:
        for story_id, ids in items:
            yield trace_stored_story(store, story_id, ordered_members(store, ids))
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers, initializer=_open_worker_store,
                                                    initargs=(store.url,)) as pool:
        yield from pool.imap(_trace_in_worker, items, chunksize=8)
