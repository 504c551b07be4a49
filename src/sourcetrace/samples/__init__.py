"""The bundled sample articles: short, fictional, written for this project (see each one's meta)."""
from __future__ import annotations

import json
from importlib import resources

from ..ingest import article_from_record
from ..model import Article


def sample_path():
    return resources.files("sourcetrace") / "samples" / "articles.jsonl"


def load_samples() -> list[Article]:
    out = []
    for lineno, line in enumerate(sample_path().read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            out.append(article_from_record(json.loads(line), f"samples/articles.jsonl:{lineno}"))
    return out
