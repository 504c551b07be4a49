"""``sourcetrace train propaganda`` and ``sourcetrace eval propaganda`` (SemEval-2020 Task 11 corpus)."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from .app import eval_app, train_app
from ..options import Tier
from .common import CRF_TRAIN_MODULES, console_err, model_option, require_train_extra, tier_alias_option

DOCS_FILE = Path("docs") / "accuracy.md"
TECHNIQUE_HEADS_HELP = ("accurate tier: train one auxiliary head per technique"
                        " next to the fragment head, their losses weighted this much in all (0: none; default: the shipped recipe).")


@train_app.command("propaganda")
def train_propaganda(
    data: Path = typer.Option(..., "--data", help="PTC folder with articles/ and labels-TC/ (e.g. ../shared/data/ptc/train)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the weights (default: the shipped tier's folder)."),
    limit: int | None = typer.Option(None, "--limit", help="Train on the first N articles only (smoke runs)."),
    model: Tier = model_option("accurate: fine-tune the MiniLM fragment tagger (needs the train extra)."),
    tier: Tier | None = tier_alias_option(),
    epochs: int | None = typer.Option(None, "--epochs", min=1, help="accurate tier: passes over the articles (default: the cross-validated choice)."),
    seeds: str | None = typer.Option(None, "--seeds", help="accurate tier: comma-separated fine-tuning seeds, one tagger each, averaged at run time (default: the cross-validated ensemble)."),
    technique_heads: float | None = typer.Option(None, "--technique-heads", min=0.0, help=TECHNIQUE_HEADS_HELP),
):
    """Train a propaganda tier with a fixed seed: fast (CRF span tagger + technique classifier) or accurate."""
    model = tier or model
    if model == Tier.accurate:
        require_train_extra("train propaganda --model accurate")
        from ..training.propaganda_transformer import SEEDS, recipe, train as train_accurate

        console_err.print(f"fine-tuning propaganda-accurate on {data} ...")
        meta = train_accurate(data, out, recipe(epochs, technique_heads), limit=limit,
                              seeds=parse_seeds(seeds) or SEEDS, log=console_err.print)
        typer.echo(json.dumps({k: meta[k] for k in ("name", "data", "training", "sizes_bytes", "blend")}))
        return
    require_train_extra("train propaganda", CRF_TRAIN_MODULES, needs="fits a technique classifier")
    from ..training.propaganda_crf import train

    console_err.print(f"training propaganda-fast on {data} ...")
    meta = train(data, out, limit=limit)
    typer.echo(json.dumps({k: meta[k] for k in ("name", "trained_on", "training_seconds", "size_bytes", "machine")}))


@eval_app.command("propaganda")
def eval_propaganda(
    gold: Path = typer.Option(..., "--gold", help="PTC folder with articles/ and labels-TC/."),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds, split by article."),
    seed: int = typer.Option(13, "--seed", help="Seed of the article split."),
    limit: int | None = typer.Option(None, "--limit", help="Use the first N articles only (smoke runs)."),
    write_docs: bool = typer.Option(False, "--write-docs", help=f"Rewrite the tier's propaganda section of {DOCS_FILE}."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    model: Tier = model_option("accurate: each fold also fine-tunes the MiniLM fragment tagger (needs the train extra; ~15 min a fold on 2 cores)."),
    epochs: int | None = typer.Option(None, "--epochs", min=1, help="accurate tier: fine-tuning passes per fold (default: the shipped recipe)."),
    seeds: str | None = typer.Option(None, "--seeds", help="accurate tier: comma-separated fine-tuning seeds, averaged as an ensemble (default: the shipped ones)."),
    technique_heads: float | None = typer.Option(None, "--technique-heads", min=0.0, help=TECHNIQUE_HEADS_HELP),
    cache: Path | None = typer.Option(None, "--cache", help="accurate tier: keep each fold's fine-tuned word probabilities here; a re-run with the same recipe re-scores without fine-tuning."),
    shipped: bool = typer.Option(False, "--shipped", help="Score the installed model of --model on every article of --gold instead of cross-validating (for held-out articles it was not trained on; trains nothing)."),
):
    """K-fold cross-validation with the SemEval-2020 scorers: SI span overlap P/R/F1, TC micro-F1.

    With --shipped: the installed model scored on held-out articles, same scorers."""
    if shipped and write_docs:
        raise typer.BadParameter("the docs report cross-validation; drop --write-docs or --shipped", param_hint="--shipped")
    if cache is not None and cache.exists() and not cache.is_dir():
        raise typer.BadParameter(f"{cache}: exists and is not a folder", param_hint="--cache")
    if not shipped:  # cross-validation fits the fast tier on each fold
        require_train_extra("eval propaganda", CRF_TRAIN_MODULES, needs="fits a technique classifier on each fold")
    if model == Tier.accurate and not shipped:
        require_train_extra("eval propaganda --model accurate")
    seed_list = parse_seeds(seeds)
    from ..evaluation.propaganda import (
        accurate_docs_section,
        cross_validate,
        describe_blend,
        docs_section,
        score_shipped,
        write_docs_section,
    )
    from ..corpora.ptc import read_ptc
    from ..training.propaganda_crf import TrainConfig, parse_articles

    articles = read_ptc(gold, limit=limit)
    console_err.print(f"parsing {len(articles)} articles ...")
    parsed = parse_articles(articles)
    if shipped:
        scored = score_shipped(parsed, model.value)
        if as_json:
            typer.echo(json.dumps(scored.to_dict(), indent=2))
        else:
            typer.echo(f"shipped {model.value} model, {scored.articles} articles (no training)")
            _print_scores(scored.si, scored.tc)
        return
    encoder = None
    if model == Tier.accurate:
        from ..training.propaganda_transformer import recipe

        encoder = recipe(epochs, technique_heads)
    result = cross_validate(parsed, folds=folds, seed=seed, config=TrainConfig(seed=TrainConfig().seed),
                            log=lambda m: console_err.print(m), encoder=encoder, encoder_seeds=seed_list,
                            cache_dir=cache)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        _print_scores(result.si, result.tc)
        for member, s in result.si_by_seed.items():
            typer.echo(f"    SI, seed {member} alone: P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}")
        for b, s in result.si_by_blend.items():
            typer.echo(f"    SI, {describe_blend(b)}: P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}")
    if write_docs:
        from ..docblocks import command_line

        section = (accurate_docs_section(result, command_line(), _shipped_metadata(accurate=True)) if encoder
                   else docs_section(result, command_line(), _shipped_metadata()))
        write_docs_section(DOCS_FILE, section, tier=model.value)
        console_err.print(f"wrote the propaganda section of {DOCS_FILE}")


def _print_scores(si, tc) -> None:
    typer.echo(f"SI  P {si.precision:.3f}  R {si.recall:.3f}  F1 {si.f1:.3f}  ({si.n_pred} predicted, {si.n_gold} gold)")
    typer.echo(f"TC  micro-F1 {tc.micro_f1:.3f}  ({tc.n} gold fragments)")
    for t, s in sorted(tc.per_technique.items(), key=lambda kv: -kv[1].n_gold):
        typer.echo(f"    {t:38s} n={s.n_gold:5d}  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}")


def parse_seeds(text: str | None) -> list[int] | None:
    """``--seeds 13,29`` as a list of ints; a bad value is a one-line usage error."""
    if text is None:
        return None
    try:
        seeds = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"{text!r}: expected comma-separated integers, e.g. 13,29", param_hint="--seeds") from None
    if not seeds or len(set(seeds)) != len(seeds):
        raise typer.BadParameter(f"{text!r}: expected distinct integers, e.g. 13,29", param_hint="--seeds")
    return seeds


def _shipped_metadata(accurate: bool = False) -> dict | None:
    from ..extractors.propaganda.accurate import model_dir as accurate_dir
    from ..extractors.propaganda.model import METADATA_FILE, shipped_model_dir

    path = (accurate_dir() if accurate else shipped_model_dir()) / METADATA_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
