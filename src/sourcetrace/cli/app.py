"""The Typer application and its command groups; commands live in sibling modules."""
from __future__ import annotations

import typer

app = typer.Typer(
    name="sourcetrace",
    help="Who says so? Makes the sourcing of news articles visible.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure accuracy against gold data.", no_args_is_help=True)
train_app = typer.Typer(help="Train the shipped models (fixed seed, reproducible).", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")


class State:
    debug: bool = False


state = State()


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors.")):
    state.debug = debug
