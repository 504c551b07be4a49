"""Attribution gold (``../shared/guides/attribution-gold.md``: e.g. readers' corrections exported with
``sourcetrace export --format corrections``) as training documents for the fast attribution tier.

Each gold statement becomes a PolNeAR-style relation (source, cue and content spans) over the article text,
so ``sourcetrace train attributions --extra-gold DIR`` adds them to PolNeAR train.
"""
from __future__ import annotations

from pathlib import Path

from .polnear import GoldRelation, PolnearDoc
from .attribution_gold import read_gold


def polnear_docs(gold_dir: Path, articles: Path | None = None) -> list[PolnearDoc]:
    """The gold folder's articles with their statements as relations (the reader checks every span)."""
    docs = []
    for item in read_gold(Path(gold_dir), articles).articles:
        relations = [
            GoldRelation(source=[(s.source.start, s.source.end)] if s.source else None,
                         cue=[(s.cue.start, s.cue.end)] if s.cue else None,
                         content=[(s.content.start, s.content.end)])
            for s in item.statements
        ]
        docs.append(PolnearDoc(name=f"gold:{item.article.id}", text=item.article.text, annotator="gold", relations=relations))
    return docs


__all__ = ["polnear_docs"]
