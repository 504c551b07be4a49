"""``sourcetrace analyze`` and ``sourcetrace demo``."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .. import formats
from ..errors import InputError
from ..ingest import MAX_BYTES, ReadOptions, read_inputs
from ..model import Article, ArticleReport
from ..textguard import MAX_CHARS
from .app import app
from ..options import Tier
from ..readings import readings_at_least
from .common import confidence_threshold, console_err, fail_line, min_confidence_option, model_option, progress, warn_line

if TYPE_CHECKING:
    from ..pipeline import AnalysisOptions


# the choices of --format: every format of the registry (sourcetrace.formats)
OutputFormat = Enum("OutputFormat", [(name, name) for name in formats.FORMATS], type=str)  # type: ignore[misc]


def write_reports(reports: list[ArticleReport], fmt: OutputFormat, out: Path | None) -> None:
    output_format = formats.get(fmt.value)
    if out is None:
        assert output_format.render is not None  # checked before the analysis: see analyze
        rendered = output_format.render(reports, sys.stdout.isatty())
        sys.stdout.write(rendered)
        if not rendered.endswith("\n"):
            sys.stdout.write("\n")
    else:
        try:
            output_format.write_to(reports, out)  # atomically: never a half-written report
        except OSError as exc:
            fail_line(f"{out}: cannot write ({exc.strerror or exc})")
            raise typer.Exit(1) from None


def check_output(out: Path | None, directory: bool = False) -> None:
    """Refuse an output path that cannot be written before any analysis runs (a usage error, exit 2);
    ``directory``: the format writes a folder there."""
    import os

    if out is None:
        return
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir() and not directory:
        fail_line(f"{out}: is a directory; give a file name for --output")
    elif not folder.is_dir():
        fail_line(f"{out}: no such directory {str(folder)!r} for --output")
    elif not os.access(folder, os.W_OK):
        fail_line(f"{out}: cannot write to {str(folder)!r}")
    else:
        return
    raise typer.Exit(2)


def run_analysis(articles: Iterable[Article], options: AnalysisOptions, workers: int, total: int | None = None,
                 on_report: Callable[[ArticleReport], None] | None = None) -> tuple[list[ArticleReport], int]:
    """Analyse as the articles are read (``articles`` may be a generator); each report goes to ``on_report``
    when given (streamed output), else into the returned list."""
    # spaCy is imported here, not at module level: every other command (help, serve, export) starts without it
    from ..batch import ArticleFailure, analyze_articles

    reports: list[ArticleReport] = []
    failed = 0
    with progress(total is None or total > 1) as bar:
        task = bar.add_task("analysing", total=total)
        for outcome in analyze_articles(articles, options, workers=workers):
            if isinstance(outcome, ArticleFailure):
                failed += 1
                fail_line(str(outcome))
            elif on_report is not None:
                on_report(outcome)
            else:
                reports.append(outcome)
            bar.advance(task)
    return reports, failed


class JsonlSink:
    """Writes each report as it comes (``--format jsonl``): to standard output, or to a ``.part`` file renamed
    over the output when the run ends, so no half-written file is left."""

    def __init__(self, out: Path | None):
        self.out = out
        self.count = 0
        self.tmp = out.with_name(out.name + ".part") if out is not None else None
        self.fh = self.tmp.open("w", encoding="utf-8") if self.tmp is not None else sys.stdout

    def __call__(self, report: ArticleReport) -> None:
        self.fh.write(report.to_json() + "\n")
        self.count += 1

    def close(self) -> None:
        if self.tmp is None:
            self.fh.flush()
            return
        self.fh.close()
        if self.count and self.out is not None:
            self.tmp.replace(self.out)
        else:
            self.tmp.unlink()  # nothing analysed: no output, as for the other formats


@app.command()
def analyze(
    inputs: list[str] = typer.Argument(..., help="Files, directories, URLs, .jsonl(.gz) collections, or - for stdin."),
    fmt: OutputFormat = typer.Option(OutputFormat("text"), "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
    model: Tier = model_option("Model tier: fast, or accurate (fine-tuned transformers, a few times slower)."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", min=1, help="Refuse inputs larger than this."),
    max_chars: int = typer.Option(MAX_CHARS, "--max-chars", min=1,
                                  help="Analyse at most this many characters of each text (the rest is cut, with a warning)."),
    time_limit: float | None = typer.Option(None, "--time-limit", min=0.1,
                                            help="Seconds per article, the parse included: text that cannot be analysed in time is cut, "
                                                 "and extractors not reached in time are skipped, with a warning."),
    min_confidence: str | None = min_confidence_option(),
):
    """Analyse articles and show who says what."""
    threshold = confidence_threshold(min_confidence)
    chosen = formats.get(fmt.value)
    if output is None and chosen.needs_path:
        raise typer.BadParameter(f"{fmt.value} is written to a {'folder' if chosen.directory else 'file'}: "
                                 "give one with -o", param_hint="--format")
    check_output(output, directory=chosen.directory)
    from ..memory import collector_paused

    with collector_paused():  # imports spaCy: see collector_paused
        from ..pipeline import AnalysisOptions

    read_failed = 0

    def articles() -> Iterator[Article]:
        nonlocal read_failed
        for result in read_inputs(inputs, ReadOptions(max_bytes=max_bytes)):
            if isinstance(result, InputError):
                read_failed += 1
                fail_line(str(result))
            else:
                for warning in result.warnings:
                    warn_line(f"{result.origin or '<input>'}: {warning}")
                yield result

    options = AnalysisOptions(model=model, max_chars=max_chars, time_limit=time_limit)
    sink = JsonlSink(output) if fmt.value == "jsonl" else None
    try:
        reports, analysis_failed = run_analysis(
            articles(), options, workers, on_report=None if sink is None else lambda r: sink(readings_at_least(r, threshold)))
    finally:
        if sink is not None:
            sink.close()
    if reports:
        write_reports([readings_at_least(r, threshold) for r in reports], fmt, output)
    raise typer.Exit(1 if read_failed + analysis_failed else 0)


@app.command()
def demo(
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="Where to write the HTML report."),
):
    """Analyse the bundled (fictional) sample articles, write report.html and print the summary."""
    check_output(output)
    from ..pipeline import AnalysisOptions
    from ..render.terminal import print_summary_table
    from ..samples import load_samples

    articles = load_samples()
    reports, failed = run_analysis(articles, AnalysisOptions(), workers=1, total=len(articles))
    write_reports(reports, OutputFormat("html"), output)
    print_summary_table(reports)
    console_err.print(f"wrote {output} ({len(reports)} articles)")
    raise typer.Exit(1 if failed else 0)
