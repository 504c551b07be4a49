"""``sourcetrace train attributions``: retrain the fast tier's CRFs on PolNeAR train."""
from __future__ import annotations

from pathlib import Path

import typer

from .app import train_app
from ..options import Tier
from .common import console_err, model_option, require_train_extra, tier_alias_option


@train_app.command("attributions")
def train_attributions(
    data: Path = typer.Option(Path("../shared/data/polnear"), "--data", exists=True, file_okay=False,
                              help="PolNeAR folder holding train/ (text/ + attributions/)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the weights (default: the package's model folder)."),
    cache: Path = typer.Option(Path("artifacts/polnear-cache"), "--cache", help="Parsed-document cache (DocBin)."),
    model: Tier = model_option("accurate: fine-tune MiniLM (needs the train extra)."),
    tier: Tier | None = tier_alias_option(),
    extra_gold: Path | None = typer.Option(None, "--extra-gold", exists=True, file_okay=False,
                                           help="Also train on this attribution-gold folder (fast tier), e.g. readers' "
                                                "corrections from `sourcetrace export --format corrections`."),
):
    """Train the fast attribution tier (cue tagger + role tagger, fixed seed) and record time and machine."""
    model = tier or model
    if model == Tier.accurate:
        require_train_extra("train attributions --model accurate")
        from ..extractors.attributions.accurate import model_dir as accurate_dir
        from ..training.attributions_transformer import train as train_accurate

        meta = train_accurate(data, out or accurate_dir(), log=console_err.print)
        console_err.print(f"wrote {out or accurate_dir()} ({meta['sizes_bytes']['int8_bytes'] / 1e6:.1f} MB) "
                          f"in {meta['training']['minutes']:.0f} min on {meta['training']['machine']}")
        return
    from ..extractors.attributions.fast import model_dir
    from ..training.attributions_crf import train

    if not (data / "train" / "attributions").is_dir():
        console_err.print(f"error: {data}: no train/attributions folder")
        raise typer.Exit(2)
    if extra_gold is not None:
        from ..corpora.attribution_gold import GoldError, read_gold

        try:
            read_gold(extra_gold)  # a bad gold folder is one line before minutes of training
        except GoldError as exc:
            console_err.print(f"error: {exc}")
            raise typer.Exit(2) from None
    meta = train(data, out or model_dir(), cache_dir=cache, log=console_err.print, extra_gold=extra_gold)
    size = sum(meta["files"].values())
    console_err.print(f"wrote {out or model_dir()} ({size / 1e6:.1f} MB) in {meta['seconds']['total']:.0f}s on {meta['machine']}")
