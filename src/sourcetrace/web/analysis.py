"""Analyse pasted text or a URL for the web app: one lazily loaded ``Analyzer``, public URLs only."""
from __future__ import annotations

import threading

from ..errors import InputError
from ..ingest import ReadOptions, read_text, read_url
from ..model import Article, ArticleReport
from ..pipeline import AnalysisOptions, Analyzer

MAX_TEXT_CHARS = 200_000


class AnalysisService:
    def __init__(self, options: AnalysisOptions | None = None, allow_private_urls: bool = False):
        self.options = options or AnalysisOptions()
        # the app must never be a proxy into the network it runs on: loopback/private/link-local
        # addresses are refused, re-checked on every redirect (sourcetrace.ingest.fetch_url)
        self.read_options = ReadOptions(allow_private_urls=allow_private_urls)
        self._analyzer: Analyzer | None = None
        self._lock = threading.Lock()  # one spaCy pipeline, one request at a time

    def article_from_form(self, text: str | None, url: str | None, **fields) -> Article:
        fields = {k: v for k, v in fields.items() if v}
        text = (text or "").strip()
        url = (url or "").strip()
        if text:
            if len(text) > MAX_TEXT_CHARS:
                raise InputError("<text>", f"text over the {MAX_TEXT_CHARS:,}-character limit")
            return read_text(text, origin="web form", **({"url": url} if url else {}), **fields)
        if url:
            article = read_url(url, self.read_options)
            for key, value in fields.items():
                setattr(article, key, value)
            return article
        raise InputError("<form>", "paste a text or give a URL")

    def analyze(self, article: Article) -> ArticleReport:
        with self._lock:
            if self._analyzer is None:
                self._analyzer = Analyzer(self.options)
            return self._analyzer.analyze(article)
