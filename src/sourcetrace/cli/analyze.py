"""``sourcetrace analyze`` and ``sourcetrace demo``."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import InputError
from ..ingest import MAX_BYTES, ReadOptions, read_inputs
from ..model import Article, ArticleReport
from .app import app
from .common import ModelChoice, console_err, fail_line, progress

if TYPE_CHECKING:
    from ..pipeline import AnalysisOptions


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    md = "md"
    html = "html"


def write_reports(reports: list[ArticleReport], fmt: OutputFormat, out: Path | None) -> None:
    from ..render import render_reports

    rendered = render_reports(reports, fmt.value, color=out is None and sys.stdout.isatty())
    if out is None:
        sys.stdout.write(rendered)
        if not rendered.endswith("\n"):
            sys.stdout.write("\n")
    else:
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(rendered, encoding="utf-8")
        tmp.replace(out)  # never leave a half-written report behind


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
        if self.count:
            self.tmp.replace(self.out)
        else:
            self.tmp.unlink()  # nothing analysed: no output, as for the other formats


@app.command()
def analyze(
    inputs: list[str] = typer.Argument(..., help="Files, directories, URLs, .jsonl(.gz) collections, or - for stdin."),
    fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
    model: ModelChoice = typer.Option(ModelChoice.fast, "--model", help="Attribution model tier."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", min=1, help="Refuse inputs larger than this."),
):
    """Analyse articles and show who says what."""
    from ..pipeline import AnalysisOptions

    read_failed = 0

    def articles() -> Iterator[Article]:
        nonlocal read_failed
        for result in read_inputs(inputs, ReadOptions(max_bytes=max_bytes)):
            if isinstance(result, InputError):
                read_failed += 1
                fail_line(str(result))
            else:
                yield result

    sink = JsonlSink(output) if fmt is OutputFormat.jsonl else None
    try:
        reports, analysis_failed = run_analysis(articles(), AnalysisOptions(model=model.value), workers, on_report=sink)
    finally:
        if sink is not None:
            sink.close()
    if reports:
        write_reports(reports, fmt, output)
    raise typer.Exit(1 if read_failed + analysis_failed else 0)


@app.command()
def demo(
    output: Path = typer.Option(Path("report.html"), "--output", "-o", help="Where to write the HTML report."),
):
    """Analyse the bundled (fictional) sample articles, write report.html and print the summary."""
    from ..pipeline import AnalysisOptions
    from ..render.terminal import print_summary_table
    from ..samples import load_samples

    articles = load_samples()
    reports, failed = run_analysis(articles, AnalysisOptions(), workers=1, total=len(articles))
    write_reports(reports, OutputFormat.html, output)
    print_summary_table(reports)
    console_err.print(f"wrote {output} ({len(reports)} articles)")
    raise typer.Exit(1 if failed else 0)
