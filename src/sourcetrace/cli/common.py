"""Pieces every command shares: error lines, progress bars, option types."""
from __future__ import annotations

import contextlib
import sys

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..options import Tier

console_err = Console(stderr=True)

ModelChoice = Tier  # the name commands imported before options.Tier; the same type


def model_option(help: str):
    """``--model fast|accurate``: the one spelling of the model tier in every command."""
    return typer.Option(Tier.fast, "--model", help=help)


def tier_alias_option():
    """``--tier``, the old spelling of ``--model`` in the train commands: still accepted, no longer shown."""
    return typer.Option(None, "--tier", hidden=True, help="Old spelling of --model.")


def fail_line(message: str) -> None:
    """The one-line error format every command uses for a failed input."""
    print(f"error: {message}", file=sys.stderr, flush=True)


def warn_line(message: str) -> None:
    """A warning about one input (an encoding guessed, characters replaced): it was still analysed."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def min_confidence_option():
    """``--min-confidence P``: the one spelling of the uncertain-readings filter (``readings.readings_at_least``)."""
    return typer.Option(None, "--min-confidence", metavar="P",
                        help="Leave out attributions less likely than P (0..1) to be attributed statements; "
                             "each report's warnings say how many. 0.5 hides the uncertain ones.")


def confidence_threshold(value: str | None) -> float | None:
    """The ``--min-confidence`` value; anything but a probability from 0 to 1 is a one-line usage error (exit 2)."""
    from ..readings import parse_min_confidence

    try:
        return parse_min_confidence(value)
    except ValueError as exc:
        fail_line(f"--min-confidence {exc}")
        raise typer.Exit(2) from None


# what fitting the fast propaganda tier imports beyond the run time (its technique classifier)
CRF_TRAIN_MODULES = ("sklearn", "scipy")


def require_train_extra(what: str, modules: tuple[str, ...] | None = None, needs: str = "fine-tunes a transformer") -> None:
    """Training needs the ``train`` extra: say so in one line and exit 2 when a part is missing.
    ``modules`` defaults to what fine-tuning imports (torch, transformers, ...)."""
    import importlib.util

    from ..training.token_tagger import missing_train_modules

    missing = missing_train_modules() if modules is None else [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        fail_line(f"{what} {needs} and needs the train extra (missing: {', '.join(missing)}); "
                  "install it with: pip install -e '.[train]'")
        raise SystemExit(2)


class _NoProgress:
    def add_task(self, *args, **kwargs):
        return 0

    def advance(self, *args, **kwargs):
        pass

    def update(self, *args, **kwargs):
        pass


@contextlib.contextmanager
def progress(enabled: bool = True):
    """A progress bar on stderr (only drawn on a terminal), or a no-op."""
    if not enabled or not sys.stderr.isatty():
        yield _NoProgress()
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console_err, transient=True,
    ) as bar:
        yield bar
