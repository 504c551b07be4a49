"""``sourcetrace eval sources``: accuracy of source ``kind`` and ``named`` on hand-labelled PolNeAR mentions."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from .app import eval_app
from .common import console_err

DEFAULT_GOLD = Path("tests") / "data" / "source_mentions.tsv"
DEFAULT_TEXTS = Path("..") / "shared" / "data" / "polnear" / "dev" / "text"
HOLDOUT_GOLD = Path("tests") / "data" / "source_mentions_train_holdout.tsv"
DOCS_FILE = Path("docs") / "accuracy.md"


@eval_app.command("sources")
def eval_sources(
    gold: Path = typer.Option(DEFAULT_GOLD, "--gold", help="TSV of labelled source mentions (file, start, end, text, kind, named)."),
    texts: Path = typer.Option(DEFAULT_TEXTS, "--texts", help="Folder with the articles the gold file names (NAME.txt)."),
    write_docs: bool = typer.Option(False, "--write-docs", help="Replace the sources section of docs/accuracy.md."),
    errors: bool = typer.Option(False, "--errors", help="List every misclassified mention."),
    holdout: bool = typer.Option(False, "--holdout", help="Also score the held-out PolNeAR train mentions "
                                 "(tests/data/source_mentions_train_holdout.tsv) and report both."),
) -> None:
    """Classify each gold source mention in its article and report accuracy per field and a confusion table."""
    from ..docblocks import command_line
    from ..evaluation.sources import confusion_rows, docs_section, evaluate_sources, read_gold, write_docs_section

    if not gold.is_file():
        console_err.print(f"error: {gold}: gold file not found")
        raise typer.Exit(2)
    if not texts.is_dir():
        console_err.print(f"error: {texts}: article folder not found (PolNeAR dev texts, ../shared/data/polnear/dev/text)")
        raise typer.Exit(2)
    try:
        mentions = read_gold(gold)
        t0 = time.perf_counter()
        result = evaluate_sources(mentions, texts)
    except (ValueError, OSError) as exc:
        console_err.print(f"error: {gold}: {exc}")
        raise typer.Exit(1) from exc
    elapsed = time.perf_counter() - t0

    out = Console() if sys.stdout.isatty() else Console(width=120)
    summary = Table(title=f"Source classification, {result.total} mentions ({elapsed:.1f} s)")
    for col in ("field", "accuracy", "correct", "target"):
        summary.add_column(col, justify="left" if col == "field" else "right")
    summary.add_row("kind", f"{result.kind_accuracy:.1%}", f"{result.kind_correct}/{result.total}", ">= 90 %")
    summary.add_row("named", f"{result.named_accuracy:.1%}", f"{result.named_correct}/{result.total}", ">= 95 %")
    summary.add_row("both", f"{result.both_accuracy:.1%}", f"{result.both_correct}/{result.total}", "")
    out.print(summary)

    used, rows = confusion_rows(result)
    confusion = Table(title="kind confusion (rows gold, columns predicted)")
    confusion.add_column("gold")
    for kind in used:
        confusion.add_column(kind, justify="right")
    confusion.add_column("total", justify="right")
    for row in rows:
        confusion.add_row(*row)
    out.print(confusion)
    tn = result.named_confusion
    named = Table(title="named confusion")
    for col in ("gold", "predicted named", "predicted anonymous"):
        named.add_column(col, justify="left" if col == "gold" else "right")
    named.add_row("named", str(tn.get((True, True), 0)), str(tn.get((True, False), 0)))
    named.add_row("anonymous", str(tn.get((False, True), 0)), str(tn.get((False, False), 0)))
    out.print(named)

    if errors:
        for g, kind, is_named in result.errors:
            out.print(f"{g.file}:{g.start}-{g.end} {g.text!r}: gold {g.kind}/{'named' if g.named else 'anonymous'}, "
                      f"predicted {kind}/{'named' if is_named else 'anonymous'}", markup=False, highlight=False)
    held = None
    if holdout:
        held_gold = HOLDOUT_GOLD
        held_result = evaluate_sources(read_gold(held_gold), texts.parent.parent / "train" / "text")
        held = (held_result, str(held_gold))
        out.print(f"held out ({held_result.total} train mentions): kind {held_result.kind_accuracy:.1%}, "
                  f"named {held_result.named_accuracy:.1%}, both {held_result.both_accuracy:.1%}")
    if write_docs:
        write_docs_section(DOCS_FILE, docs_section(result, str(gold), command_line(), held))
        out.print(f"wrote the sources section of {DOCS_FILE}")
