"""Fine-tune MiniLM as a propaganda fragment tagger on PTC and ship it as int8 ONNX.

One O/B/I head over wordpieces; the gold fragments of all techniques, merged where they overlap
(span identification ignores the technique). PTC has no dev split, so the number of epochs and
the blend with the CRF come from 5-fold cross-validation (``sourcetrace eval propaganda --model
accurate``) and the shipped model trains on all 300 articles for that many epochs.

Run: ``sourcetrace train propaganda --tier accurate --data ../shared/data/ptc/train``. Needs the
``train`` extra.
"""
from __future__ import annotations

import json
import platform
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from ..propaganda.accurate import MODEL_NAME, SPAN_TYPES, Blend, FragmentTagger, model_dir
from ..propaganda.corpus import PtcArticle, read_ptc
from ..propaganda.train import MACHINE, merged_spans
from ..token_tagger import WINDOW
from .token_tagger import (
    ENCODER_INFO,
    ONNX_FILE,
    FineTuneConfig,
    encode,
    encoder_dir,
    encoder_tokenizer,
    export_onnx,
    fine_tune,
)

# Chosen by 5-fold cross-validation over the 300 PTC articles (docs/accuracy.md).
EPOCHS = 3
BLEND = Blend(crf_weight=0.5, threshold=0.3)


def fit_tagger(articles: Sequence[PtcArticle], out_dir: Path, config: FineTuneConfig, blend: Blend = BLEND,
               log=print) -> dict:
    """Fine-tune on ``articles`` and write the ONNX tagger, its tokenizer and metadata to ``out_dir``."""
    tokenizer, cls_id, sep_id = encoder_tokenizer()
    encoded = [encode(a.text, [merged_spans(a.spans)], tokenizer) for a in articles]
    tuned = fine_tune(encoded, len(SPAN_TYPES), config, cls_id, sep_id, log=log)
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    sizes = export_onnx(tuned.model, out_dir)
    shutil.copy(encoder_dir() / "tokenizer.json", out_dir / "tokenizer.json")
    meta = {
        "name": MODEL_NAME,
        "onnx_file": ONNX_FILE,
        "span_types": list(SPAN_TYPES),
        "tags": ["O", "B", "I"],
        "window_wordpieces": WINDOW,
        "encoder": ENCODER_INFO,
        "blend": {"crf_weight": blend.crf_weight, "threshold": blend.threshold},
        "data": {"corpus": "PTC (SemEval-2020 Task 11) train", "articles": len(articles),
                 "fragments": sum(len(merged_spans(a.spans)) for a in articles)},
        "hyperparameters": {**config.as_dict(), "steps": tuned.steps, "warmup_steps": tuned.warmup_steps},
        "training": {"minutes": tuned.minutes, "machine": MACHINE, "platform": platform.platform(),
                     "date": time.strftime("%Y-%m-%d", time.gmtime())},
        "sizes_bytes": sizes,
    }
    (out_dir / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def fold_tagger(articles: Sequence[PtcArticle], out_dir: Path, config: FineTuneConfig, log=None) -> FragmentTagger:
    """A tagger trained for one cross-validation fold, loaded the way the shipped one is."""
    fit_tagger(articles, out_dir, config, log=log or (lambda _m: None))
    return FragmentTagger(out_dir)


def train(data_dir: str | Path, out_dir: str | Path | None = None, config: FineTuneConfig | None = None,
          limit: int | None = None, log=print) -> dict:
    config = config or FineTuneConfig(epochs=EPOCHS)
    return fit_tagger(read_ptc(data_dir, limit=limit), Path(out_dir) if out_dir else model_dir(), config, log=log)
