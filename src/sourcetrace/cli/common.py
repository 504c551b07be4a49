"""Pieces every command shares: error lines, progress bars, option types."""
from __future__ import annotations

import contextlib
import sys
from enum import Enum

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

console_err = Console(stderr=True)


class ModelChoice(str, Enum):
    fast = "fast"
    accurate = "accurate"


def fail_line(message: str) -> None:
    """The one-line error format every command uses for a failed input."""
    print(f"error: {message}", file=sys.stderr, flush=True)


def warn_line(message: str) -> None:
    """A warning about one input (an encoding guessed, characters replaced): it was still analysed."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def require_train_extra(what: str) -> None:
    """Fine-tuning needs the ``train`` extra: say so in one line and exit 2 when a part is missing."""
    from ..training.token_tagger import missing_train_modules

    missing = missing_train_modules()
    if missing:
        fail_line(f"{what} fine-tunes a transformer and needs the train extra (missing: {', '.join(missing)}); "
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
