"""``sourcetrace train attributions``: retrain the fast tier's CRFs on PolNeAR train."""
from __future__ import annotations

from pathlib import Path

import typer

from .app import train_app
from .common import console_err


@train_app.command("attributions")
def train_attributions(
    data: Path = typer.Option(Path("../shared/data/polnear"), "--data", exists=True, file_okay=False,
                              help="PolNeAR folder holding train/ (text/ + attributions/)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the weights (default: the package's model folder)."),
    cache: Path = typer.Option(Path("artifacts/polnear-cache"), "--cache", help="Parsed-document cache (DocBin)."),
):
    """Train the fast attribution tier (cue tagger + role tagger, fixed seed) and record time and machine."""
    from ..extractors.attributions.fast import model_dir
    from ..extractors.attributions.train import train

    if not (data / "train" / "attributions").is_dir():
        console_err.print(f"error: {data}: no train/attributions folder")
        raise typer.Exit(2)
    meta = train(data, out or model_dir(), cache_dir=cache, log=console_err.print)
    size = sum(meta["files"].values())
    console_err.print(f"wrote {out or model_dir()} ({size / 1e6:.1f} MB) in {meta['seconds']['total']:.0f}s on {meta['machine']}")
