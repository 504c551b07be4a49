"""Read the Propaganda Techniques Corpus (PTC) layout: ``articles/`` plus ``labels-TC/`` (or ``labels-SI/``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourcetraceError

_ARTICLE_ID = re.compile(r"article(\d+)\.txt$")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    technique: str | None  # None when only SI labels are available


@dataclass
class PtcArticle:
    id: str
    text: str
    spans: list[GoldSpan] = field(default_factory=list)


def read_ptc(directory: str | Path, limit: int | None = None) -> list[PtcArticle]:
    """Articles in id order with their gold spans; TC labels win over SI labels when both exist."""
    root = Path(directory)
    articles_dir = root / "articles"
    if not articles_dir.is_dir():
        raise SourcetraceError(f"{root}: not a PTC directory (no articles/ folder)")
    paths = sorted(p for p in articles_dir.iterdir() if _ARTICLE_ID.search(p.name))
    if not paths:
        raise SourcetraceError(f"{articles_dir}: no articleID.txt files")
    if limit is not None:
        paths = paths[:limit]
    out = []
    for path in paths:
        found = _ARTICLE_ID.search(path.name)
        assert found is not None  # the paths were chosen by this pattern
        article_id = found.group(1)
        # newline="" keeps \r\n intact: the gold offsets count every character of the file
        with path.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        out.append(PtcArticle(article_id, text, _read_labels(root, article_id, len(text))))
    return out


def _read_labels(root: Path, article_id: str, length: int) -> list[GoldSpan]:
    tc = root / "labels-TC" / f"article{article_id}.task2-TC.labels"
    si = root / "labels-SI" / f"article{article_id}.task1-SI.labels"
    spans = []
    if tc.exists():
        for line in tc.read_text(encoding="utf-8").splitlines():
            if line.strip():
                _, technique, start, end = line.split("\t")
                spans.append(GoldSpan(int(start), min(int(end), length), technique))
    elif si.exists():
        for line in si.read_text(encoding="utf-8").splitlines():
            if line.strip():
                _, start, end = line.split("\t")
                spans.append(GoldSpan(int(start), min(int(end), length), None))
    return sorted(spans, key=lambda s: (s.start, s.end, s.technique or ""))
