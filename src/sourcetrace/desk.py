"""The ingest sequence, spelled out: analyse (``batch.analyze_articles`` or one ``Analyzer``), store the
report with its page body rendered in the same transaction, place the new articles in stories.

``ingest``, ``serve`` and the web app's store-on-analyse (the form and ``POST /api/v1/analyze``) build one
``Desk`` over their store; nothing hooks itself into the store by being imported, and the web app's GET
handlers only read (``story_members`` catches up with what was placed, it places nothing).
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .model import Article, ArticleReport
from .store import Store

if TYPE_CHECKING:
    from .stories.cluster import StoryIndex


class Desk:
    def __init__(self, store: Store, *, pages: bool = True, stories: bool = True):
        self.store = store
        self.stories = stories
        self._index: StoryIndex | None = None
        self._lock = threading.Lock()  # one placement at a time: two requests must not place one article twice
        if pages:
            from .web.fragments import store_page_on_insert

            if store_page_on_insert not in store.on_insert:
                store.on_insert.append(store_page_on_insert)

    def add(self, article: Article, report: ArticleReport) -> bool:
        """Store one analysed article (and its page body); False when it is already stored."""
        return self.store.add(article, report)

    def place_new(self) -> int:
        """Place the stored articles no story holds yet (incrementally); how many were placed."""
        if not self.stories:
            return 0
        from .stories.service import update_stories

        with self._lock:
            self._index, result = update_stories(self.store, index=self._index)
        return result.placed

    def story_members(self) -> dict[str, list[str]]:
        """Story id -> its article ids, as placed so far (by this process or another); reads only."""
        from .stories.service import catch_up, load_index

        with self._lock:
            if self._index is None:
                self._index = load_index(self.store)
            else:
                catch_up(self.store, self._index)
            return self._index.stories()
