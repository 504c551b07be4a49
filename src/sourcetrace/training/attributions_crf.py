"""Train the fast tier's two CRFs on PolNeAR train (``sourcetrace train attributions``).

The cue tagger learns cue spans sentence by sentence; the role tagger learns,
for each gold cue, which tokens of the surrounding window are its source and
its content. Both use the parses of the shared pipeline, so inference needs
no second pipeline run.
"""
from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from spacy.tokens import Doc

from ..docblocks import machine
from ..lexicons import english
from ..nlp import pipeline_info
from ..corpora.polnear import PolnearDoc
from .polnear_parses import DEFAULT_CACHE, parsed_split
from ..extractors.attributions.fast import CUE_THRESHOLD
from ..extractors.attributions.features import TRAIN_SENTS_BEFORE, DocFeatures, cue_sequence, doc_features, role_sequence, role_window, token_range

SEED = 13
# share of cue-like words that are not gold cues kept as all-O role sequences; 0 = none. At 0.5 (32k
# negatives) the role tagger rejected too many true cues on dev (content exact F1 0.445 vs 0.489).
NEGATIVE_RATE = 0.0
# L1 weight chosen on dev (source / content exact F1, the other tagger fixed; each row was measured as the
# repairs in ``fast`` were being added, so compare within a row): the cue tagger at c1 0.05 / 0.2 / 0.5 / 1.0 / 2.0
# gave 0.725 / 0.738 / 0.737 / 0.741 / 0.740 and 0.572 / 0.576 / 0.582 / 0.582 / 0.591; the role tagger at
# c1 0.05 / 0.2 / 0.5 / 1.0 / 2.0 (cue c1 1.0) 0.740 / 0.741 / 0.739 / 0.747 / 0.746 and 0.590 / 0.585 / 0.594 /
# 0.595 / 0.598; then cue c1 1.5 with role 2.0: 0.750 / 0.602. More L-BFGS iterations overfit (role tagger at
# 150: content 0.552 against 0.590). The strong L1 also drops most features: 10.1 MB -> 2.2 MB.
CUE_PARAMS = {"c1": 1.5, "c2": 0.01, "max_iterations": 80, "feature.possible_transitions": True, "feature.minfreq": 2}
ROLE_PARAMS = {"c1": 2.0, "c2": 0.01, "max_iterations": 60, "feature.possible_transitions": True, "feature.minfreq": 2}


def _bio(labels: list[str], start: int, end: int, tag: str, lo: int = 0) -> None:
    """Label tokens ``[start, end)`` ``B-tag I-tag*`` in a window starting at token ``lo``, over what was there.
    (Not spaCy's ``offsets_to_biluo_tags``: it labels character offsets of a whole ``Doc`` and refuses
    overlapping spans, and one pair of PolNeAR train cues overlaps.)"""
    for i in range(max(start, lo), end):
        if 0 <= i - lo < len(labels):
            labels[i - lo] = ("B-" if i == start else "I-") + tag


def cue_examples(gold: PolnearDoc, doc: Doc, df: DocFeatures) -> Iterator[tuple[list[list[str]], list[str]]]:
    labels = ["O"] * len(doc)
    for rel in gold.relations:
        for s, e in rel.cue or ():
            rng = token_range(doc, s, e)
            if rng:
                _bio(labels, rng[0], rng[1], "CUE")
    for k, (lo, hi) in enumerate(df.sent_bounds):
        yield cue_sequence(df, k), labels[lo:hi]


def role_examples(gold: PolnearDoc, doc: Doc, df: DocFeatures) -> Iterator[tuple[list[list[str]], list[str]]]:
    for rel in gold.relations:
        if not rel.cue:
            continue
        cue = token_range(doc, *rel.cue[0])
        if cue is None:
            continue
        lo, hi = role_window(df, cue[0], TRAIN_SENTS_BEFORE)
        labels = ["O"] * (hi - lo)
        for s, e in rel.content:
            rng = token_range(doc, s, e)
            if rng:
                _bio(labels, rng[0], rng[1], "CON", lo)
        for s, e in rel.source or ():
            rng = token_range(doc, s, e)
            if rng:
                _bio(labels, rng[0], rng[1], "SRC", lo)
        for i in range(cue[0], cue[1]):
            if lo <= i < hi:
                labels[i - lo] = "O"
        yield role_sequence(df, cue[0], cue[1], lo, hi), labels


def cue_lemmas(parsed, min_count: int = 3) -> set[str]:
    """Lemmas heading gold cues at least ``min_count`` times: the words that can start an attribution."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for gold, doc in parsed:
        for rel in gold.relations:
            rng = token_range(doc, *rel.cue[0]) if rel.cue else None
            if rng:
                counts[doc[rng[0]:rng[1]].root.lemma_.lower()] += 1
    return {lemma for lemma, n in counts.items() if n >= min_count}


def negative_role_examples(gold: PolnearDoc, doc: Doc, df: DocFeatures, lemmas: set[str], rate: float,
                           rng: random.Random) -> Iterator[tuple[list[list[str]], list[str]]]:
    """Cue-like words that are not cues here ("he said nothing", "the report was released"), labelled all O,
    so the role tagger learns to return nothing for a false cue."""
    cue_tokens: set[int] = set()
    for rel in gold.relations:
        r = token_range(doc, *rel.cue[0]) if rel.cue else None
        if r:
            cue_tokens.update(range(r[0], r[1]))
    for tok in doc:
        if tok.i in cue_tokens or tok.pos_ not in {"VERB", "NOUN"} or tok.lemma_.lower() not in lemmas:
            continue
        if rng.random() >= rate:
            continue
        lo, hi = role_window(df, tok.i, TRAIN_SENTS_BEFORE)
        yield role_sequence(df, tok.i, tok.i + 1, lo, hi), ["O"] * (hi - lo)


def _train_crf(examples, params: dict, path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in examples:
        trainer.append(xseq, yseq)
    trainer.set_params(params)
    trainer.train(str(path))


def train(data_dir: Path, out_dir: Path, cache_dir: Path | None = DEFAULT_CACHE, log=print,
          extra_gold: Path | None = None) -> dict:
    """Train both taggers on ``data_dir/train`` (plus the attribution-gold folder ``extra_gold``, e.g. readers'
    corrections) and write them with a metadata JSON to ``out_dir``."""
    random.seed(SEED)
    started = time.perf_counter()
    t0 = time.perf_counter()
    parsed = parsed_split(Path(data_dir) / "train", cache_dir=cache_dir)
    extra = []
    if extra_gold is not None:
        from ..corpora.gold_training import polnear_docs
        from ..nlp import load_pipeline

        extra = polnear_docs(extra_gold)
        parsed.extend(zip(extra, load_pipeline().pipe(d.text for d in extra)))
        log(f"added {len(extra)} gold documents ({sum(len(d.relations) for d in extra)} statements) from {extra_gold}")
    parse_s = time.perf_counter() - t0
    log(f"parsed {len(parsed)} train documents in {parse_s:.0f}s")
    # (features per token, label per token) sequences
    cue_data: list[tuple[list[list[str]], list[str]]] = []
    role_data: list[tuple[list[list[str]], list[str]]] = []
    lemmas = cue_lemmas(parsed)
    rng = random.Random(SEED)
    negatives = 0
    for gold, doc in parsed:
        df = doc_features(doc, gold.text, lexicons=english())  # PolNeAR is English
        cue_data.extend(cue_examples(gold, doc, df))
        role_data.extend(role_examples(gold, doc, df))
        for example in negative_role_examples(gold, doc, df, lemmas, NEGATIVE_RATE, rng) if NEGATIVE_RATE else ():
            role_data.append(example)
            negatives += 1
    log(f"{len(cue_data)} cue sequences, {len(role_data)} role sequences ({negatives} without a true cue)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    _train_crf(cue_data, CUE_PARAMS, out_dir / "cue.crfsuite")
    cue_s = time.perf_counter() - t0
    log(f"cue tagger trained in {cue_s:.0f}s")
    t0 = time.perf_counter()
    _train_crf(role_data, ROLE_PARAMS, out_dir / "role.crfsuite")
    role_s = time.perf_counter() - t0
    log(f"role tagger trained in {role_s:.0f}s")
    meta = {
        "name": "attributions-fast",
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": "PolNeAR train split (first annotator in sorted order per text)"
                + (f" + {len(extra)} attribution-gold documents from {extra_gold}" if extra else ""),
        "documents": len(parsed),
        "cue_sequences": len(cue_data),
        "role_sequences": len(role_data),
        "role_negative_sequences": negatives,
        "seed": SEED,
        "cue_threshold": CUE_THRESHOLD,
        "negative_rate": NEGATIVE_RATE,
        "cue_params": CUE_PARAMS,
        "role_params": ROLE_PARAMS,
        "pipeline": pipeline_info(),
        "seconds": {"parse": round(parse_s, 1), "cue": round(cue_s, 1), "role": round(role_s, 1),
                    "total": round(time.perf_counter() - started, 1)},
        "machine": machine(),
        "files": {p.name: p.stat().st_size for p in sorted(out_dir.glob("*.crfsuite"))},
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta
