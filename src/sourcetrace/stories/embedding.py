"""Sentence embeddings of undated articles for story clustering: MiniLM (all-MiniLM-L6-v2) as int8 ONNX, run with
onnxruntime and tokenizers (no torch at run time). Exported by ``sourcetrace.training.story_embeddings``.

Only articles without a date are embedded (see ``ClusterParams.semantic_weight``): a dated article has the time
window to keep same-topic stories apart, an undated one has only similarity. When the model or onnxruntime is
missing the embedder says so once and returns None, and clustering falls back to the TF-IDF cosine alone.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..packaged import model_dir

if TYPE_CHECKING:
    import numpy as np

    from .cluster import StoryDoc

MODEL_NAME = "story-embeddings"
ONNX_FILE = "encoder.int8.onnx"
METADATA_FILE = "metadata.json"
# the title and the first paragraphs name the event (the TF-IDF vectors read 160 words); MiniLM was trained on
# 128 wordpieces, and 256 measured no better (offline complete linkage on `tune`, undated)
MAX_WORDPIECES = 128
BATCH = 1

log = logging.getLogger(__name__)


def embedding_text(title: str | None, text: str) -> str:
    return f"{title}. {text}" if title else text


class StoryEmbedder:
    """Unit vectors (float32, 384 dims) for articles; loaded on first use, cached by text (an article embedded
    once is not embedded again in this process), None when the model cannot run."""

    # one thread: an article is 128 wordpieces, too little work to share out (two threads on the stories gold:
    # 20.9 s CPU for 982 articles, against 9.4 s with one, at load ~7), and the web app places while it serves
    def __init__(self, path: Path | None = None, threads: int = 1, cache_size: int = 20_000):
        self.path = Path(path) if path is not None else model_dir(MODEL_NAME)
        self.threads = threads
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._session: Any = None
        self._tokenizer: Any = None
        self.unavailable: str | None = None  # why it cannot run, once tried

    @property
    def available(self) -> bool:
        return self._load()

    def _load(self) -> bool:
        if self._session is not None:
            return True
        if self.unavailable is not None:
            return False
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            meta = json.loads((self.path / METADATA_FILE).read_text(encoding="utf-8"))
            tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            tokenizer.enable_truncation(int(meta.get("max_wordpieces", MAX_WORDPIECES)))
            tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self.threads
            opts.inter_op_num_threads = 1
            self._session = ort.InferenceSession(str(self.path / meta["onnx_file"]), opts,
                                                 providers=["CPUExecutionProvider"])
            self._tokenizer = tokenizer
            return True
        except (OSError, ImportError, KeyError, ValueError, RuntimeError) as exc:
            # the honest fallback: say once why, then cluster undated articles by TF-IDF alone
            self.unavailable = f"{self.path}: {exc}"
            log.warning("story embeddings unavailable, undated articles are compared by TF-IDF alone (%s)", self.unavailable)
            return False

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray | None:
        import numpy as np

        if not self._load():
            return None
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        todo = list({k: t for k, t in zip(keys, texts) if k not in self._cache}.items())
        assert self._session is not None and self._tokenizer is not None
        for start in range(0, len(todo), BATCH):
            chunk = todo[start:start + BATCH]
            encoded = self._tokenizer.encode_batch([t for _, t in chunk])
            ids = np.asarray([e.ids for e in encoded], dtype=np.int64)
            mask = np.asarray([e.attention_mask for e in encoded], dtype=np.int64)
            vectors = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0].astype(np.float32)
            for (key, _), vector in zip(chunk, vectors):
                self._cache[key] = vector
        out = np.stack([self._cache[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)
        for key in keys:
            self._cache.move_to_end(key)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return out

    def __call__(self, docs: Sequence[StoryDoc]) -> list[np.ndarray] | None:
        vectors = self.embed_texts([embedding_text(d.title, d.text) for d in docs])
        return None if vectors is None else list(vectors)


_default: StoryEmbedder | None = None


def packaged_embedder() -> StoryEmbedder:
    """The shipped encoder, one per process (its cache is shared by every index of the process)."""
    global _default
    if _default is None:
        _default = StoryEmbedder()
    return _default
