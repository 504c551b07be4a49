"""Analyse pasted text or a URL for the web app: one lazily loaded ``Analyzer``, public URLs only.

Analyses and fetches take seconds and run in the server's worker threads. Both are admitted only while there
is room (``Busy``, HTTP 503, otherwise), so a flood of them never holds every thread and pages and the API
keep answering.
"""
from __future__ import annotations

import dataclasses
import threading

from ..errors import InputError, SourcetraceError, TimeLimitExceeded
from ..ingest import ReadOptions, read_text, read_url
from ..memory import FlatMemory
from ..model import Article, ArticleReport
from ..pipeline import AnalysisOptions, Analyzer

MAX_TEXT_CHARS = 200_000
# one analysis runs at a time (one spaCy pipeline); this many more may wait for it
MAX_WAITING_ANALYSES = 3
MAX_FETCHES = 4  # URL fetches in flight at once (each may take the whole fetch deadline)
ANALYSIS_TIME_LIMIT = 60.0  # seconds per article (see AnalysisOptions.time_limit)


class Busy(SourcetraceError):
    """No room for another analysis or fetch now."""

    retry_after = 30


class AnalysisService:
    def __init__(self, options: AnalysisOptions | None = None, allow_private_urls: bool = False):
        options = options or AnalysisOptions()
        if options.time_limit is None:
            options = dataclasses.replace(options, time_limit=ANALYSIS_TIME_LIMIT)
        self.options = options
        # the app must never be a proxy into the network it runs on: every address that is not globally
        # routable is refused, on every redirect (sourcetrace.ingest.fetch_url)
        self.read_options = ReadOptions(allow_private_urls=allow_private_urls)
        self._analyzer: Analyzer | None = None
        self._memory: FlatMemory | None = None  # a server analyses for as long as it runs: its memory stays flat
        self._lock = threading.Lock()  # one spaCy pipeline, one request at a time
        self._admitted = threading.BoundedSemaphore(1 + MAX_WAITING_ANALYSES)
        self._fetches = threading.BoundedSemaphore(MAX_FETCHES)

    def article_from_form(self, text: str | None, url: str | None, **fields) -> Article:
        fields = {k: v for k, v in fields.items() if v}
        text = (text or "").strip()
        url = (url or "").strip()
        if text:
            if len(text) > MAX_TEXT_CHARS:
                raise InputError("<text>", f"text over the {MAX_TEXT_CHARS:,}-character limit")
            return read_text(text, origin="web form", **({"url": url} if url else {}), **fields)
        if url:
            if not self._fetches.acquire(blocking=False):
                raise Busy(f"{MAX_FETCHES} URLs are being fetched already: try again shortly")
            try:
                article = read_url(url, self.read_options)
            finally:
                self._fetches.release()
            # validated again, so form fields get the same checks as everything read
            return Article.model_validate({**article.model_dump(), **fields})
        raise InputError("<form>", "paste a text or give a URL")

    def analyze(self, article: Article) -> ArticleReport:
        if not self._admitted.acquire(blocking=False):
            raise Busy("the server is busy analysing other articles: try again in a minute")
        try:
            with self._lock:
                if self._analyzer is None or self._memory is None:
                    self._analyzer = Analyzer(self.options)
                    self._memory = FlatMemory(self._analyzer.nlp)
                try:
                    return self._memory.analyze(self._analyzer, article)
                except TimeLimitExceeded as exc:  # the time went before the parse began: a busy machine
                    raise Busy(f"{exc}: the server is busy, try again shortly") from exc
        finally:
            self._admitted.release()
