"""Command-line interface: ``sourcetrace COMMAND``.

Each command lives in its own module that registers itself on ``app`` (or a
group such as ``eval_app``); importing the module list below assembles the CLI.
"""
from __future__ import annotations

import importlib
import sys

from .app import app, state

# modules whose import registers commands
_COMMAND_MODULES = (
    "sourcetrace.cli.analyze",
    "sourcetrace.cli.schema_command",
    "sourcetrace.cli.store_commands",
    "sourcetrace.cli.batch",
    "sourcetrace.cli.bench_web",
    "sourcetrace.cli.eval_attributions",
    "sourcetrace.cli.eval_sources",
    "sourcetrace.cli.eval_speakers",
    "sourcetrace.cli.train_attributions",
    "sourcetrace.cli.bench",
    "sourcetrace.cli.bench_fuzz",
    "sourcetrace.cli.bench_long",
    "sourcetrace.cli.stories_commands",
    "sourcetrace.cli.propaganda",
)


def _load_commands() -> None:
    for module in _COMMAND_MODULES:
        importlib.import_module(module)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors, exit 0 ok, 1 some inputs failed, 2 usage error."""
    from ..errors import SourcetraceError

    from ..memory import collector_paused

    with collector_paused():  # start-up: see collector_paused
        _load_commands()
    try:
        app(args=argv, standalone_mode=True)
    except SourcetraceError as exc:
        if state.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)


__all__ = ["app", "main"]
