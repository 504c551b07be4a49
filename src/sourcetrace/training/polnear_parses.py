"""PolNeAR documents parsed once by the shared pipeline, cached as a DocBin.

Parsing the 924 train+dev texts takes minutes of CPU; training and evaluation
iterate many times over the same parses, so they are stored under
``artifacts/polnear-cache/`` (gitignored) keyed by split and pipeline version.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from spacy.tokens import Doc, DocBin

from ..nlp import load_pipeline, parse_variant, pipeline_info
from ..corpora.polnear import PolnearDoc, load_split

DEFAULT_CACHE = Path(os.environ.get("SOURCETRACE_CACHE", "artifacts/polnear-cache"))


def _cache_key(split_dir: Path) -> str:
    info = pipeline_info()
    return f"{Path(split_dir).resolve().name}-{info['package']}-{info['version']}{parse_variant(load_pipeline())}"


def parsed_split(split_dir: Path, cache_dir: Path | None = DEFAULT_CACHE, limit: int | None = None,
                 batch_size: int = 16) -> list[tuple[PolnearDoc, Doc]]:
    """Gold documents with their parses (read from the cache when it matches the texts)."""
    gold = load_split(split_dir, limit=limit)
    nlp = load_pipeline()
    if cache_dir is not None:
        cache_dir = Path(cache_dir)
        key = _cache_key(split_dir)
        bin_path, names_path = cache_dir / f"{key}.spacy", cache_dir / f"{key}.json"
        if bin_path.exists() and names_path.exists():
            cached = dict(zip(json.loads(names_path.read_text()), DocBin().from_disk(bin_path).get_docs(nlp.vocab)))
            if all(g.name in cached and cached[g.name].text == g.text for g in gold):
                return [(g, cached[g.name]) for g in gold]
    docs = list(nlp.pipe((g.text for g in gold), batch_size=batch_size))
    if cache_dir is not None and limit is None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(bin_path)
        names_path.write_text(json.dumps([g.name for g in gold]))
    return list(zip(gold, docs))
