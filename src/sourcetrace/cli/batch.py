"""``sourcetrace batch``: archives (WARC, JSONL) analysed on a Dask cluster into a Parquet dataset."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

import typer

from .app import app
from .common import ModelChoice, console_err, fail_line

if TYPE_CHECKING:
    from ..batchjob.engine import BatchEvents



class _ProgressEvents:
    """A Rich bar (partitions, articles/s, failures) on a terminal; a line per partition in a log."""

    def __init__(self, bar):
        self.bar = bar
        self.task = None
        self.articles = 0
        self.failed = 0
        self.started = time.perf_counter()

    def planned(self, partitions: int, finished: int) -> None:
        if self.bar is not None:
            self.task = self.bar.add_task("partitions", total=partitions, completed=finished, rate="-", failed=0)
        else:
            console_err.print(f"batch: {partitions} partitions ({finished} finished by an earlier run)")

    def _rate(self) -> str:
        elapsed = time.perf_counter() - self.started
        return f"{self.articles / elapsed:.1f}" if elapsed > 0 else "-"

    def partition_done(self, pid: str, analysed: int, failed: int) -> None:
        self.articles += analysed
        self.failed += failed
        if self.bar is not None:
            self.bar.update(self.task, advance=1, rate=self._rate(), failed=self.failed)
        else:
            console_err.print(f"batch: partition {pid} done ({analysed} articles, {failed} failed; "
                              f"{self._rate()} articles/s overall)")

    def partition_failed(self, pid: str, reason: str) -> None:
        self.failed += 1
        fail_line(f"partition {pid}: {reason}")
        if self.bar is not None:
            self.bar.update(self.task, failed=self.failed)


def _progress_bar():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]} articles/s"), TextColumn("{task.fields[failed]} failed"),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=console_err, transient=False)


@app.command()
def batch(
    inputs: list[str] = typer.Argument(..., help="WARC / WARC.gz and JSONL / JSONL.gz archives, directories, glob patterns."),
    out: Path = typer.Option(..., "--out", help="Folder of the dataset (Parquet tables, failures.jsonl, manifest.json)."),
    workers: int = typer.Option(0, "--workers", "-w", min=0, help="Worker processes of the local cluster (default: the cores)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Run on this Dask cluster (tcp://host:8786) instead of a local one."),
    model: ModelChoice = typer.Option(ModelChoice.fast, "--model", help="Attribution model tier."),
    partition_size: int = typer.Option(250, "--partition-size", min=1, help="Records (WARC responses, JSONL lines, files) per partition."),
    resume: bool = typer.Option(False, "--resume", help="Finish the batch in --out: finished partitions are kept, the rest redone."),
    min_words: int = typer.Option(50, "--min-words", min=1, help="Pages with fewer words of main text are not articles."),
    languages: str = typer.Option("en", "--languages", help="Comma-separated language codes to analyse; others are skipped."),
):
    """Analyse archives on a Dask cluster into a Parquet dataset, hive-partitioned by month; resumable."""
    if workers and scheduler:
        fail_line("--workers starts a local cluster; with --scheduler the cluster's own workers run the job")
        raise typer.Exit(2)
    from ..batchjob.engine import BatchConfig, BatchError, check_out, run_batch, start_client, summary_lines
    from ..batchjob.plan import expand_inputs
    from ..batchjob.records import FilterOptions

    files, missing = expand_inputs(inputs)
    for value, reason in missing:
        fail_line(f"{value}: {reason}")
    if not files:
        raise typer.Exit(2)
    try:
        check_out(out, resume)
    except BatchError as exc:
        fail_line(str(exc))
        raise typer.Exit(2) from None
    codes = tuple(c.strip().lower() for c in languages.split(",") if c.strip())
    config = BatchConfig(partition_size=partition_size, model=model.value,
                         filters=FilterOptions(min_words=min_words, languages=codes))
    try:
        client = start_client(workers or None, scheduler)
    except OSError as exc:
        fail_line(f"{scheduler or 'local cluster'}: cannot start or reach the Dask scheduler ({exc})")
        raise typer.Exit(2) from None
    try:
        import importlib.util

        dashboard = (client.dashboard_link if importlib.util.find_spec("bokeh")
                     else "needs bokeh: pip install 'sourcetrace[cluster]'")
        console_err.print(f"dask: {len(client.scheduler_info().get('workers', {}))} workers, dashboard {dashboard}")
        if sys.stderr.isatty():
            with _progress_bar() as bar:
                summary = run_batch(inputs, out, client, config, resume=resume,
                                    events=cast("BatchEvents", _ProgressEvents(bar)))
        else:
            summary = run_batch(inputs, out, client, config, resume=resume, events=cast("BatchEvents", _ProgressEvents(None)))
    except BatchError as exc:
        fail_line(str(exc))
        raise typer.Exit(2) from None
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
    for line in summary_lines(summary):
        console_err.print(line)
    console_err.print(f"wrote {out} in {summary.seconds:.1f} s ({summary.failures} failures in {out / 'failures.jsonl'})")
    failed = summary.failures or not summary.complete
    raise typer.Exit(1 if failed else 0)


def ingest_dataset(dataset: Path, store) -> int:
    """``ingest --from-parquet``: every report of a batch dataset into the store, no analysis; returns the exit
    code. Each article is stored in its own transaction and stored ones are skipped, so a re-run resumes."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..batchjob.dataset import is_dataset, part_files, read_reports
    from ..model import Article
    from .common import progress

    if not is_dataset(dataset):
        fail_line(f"{dataset}: not a `sourcetrace batch` dataset (no manifest.json or reports/)")
        store.close()
        return 2
    stored = skipped = failed = 0
    origin = str(dataset / "reports")
    try:
        with progress(True) as bar:
            task = bar.add_task("ingesting", total=len(part_files(dataset)))
            for report in read_reports(dataset):
                article = Article(text=report.text, id=report.id, url=report.url, outlet=report.outlet, title=report.title,
                                  published=report.published, authors=list(report.authors), language=report.language,
                                  origin=origin)
                try:
                    added = store.add(article, report)
                except SQLAlchemyError as exc:
                    failed += 1
                    fail_line(f"{origin}#{report.id}: cannot store ({exc.__class__.__name__}: {str(exc).splitlines()[0]})")
                    continue
                stored += added
                skipped += not added
            bar.update(task, completed=len(part_files(dataset)))
    except OSError as exc:
        fail_line(f"{dataset}: cannot read the dataset ({exc})")
        failed += 1
    console_err.print(f"stored {stored}, skipped {skipped} (already present), failed {failed}; {store.count()} articles in the store")
    store.close()
    return 1 if failed else 0


def stories_from_parquet(dataset: Path, out: Path | None, workers: int, scheduler: str | None, min_articles: int) -> int:
    """``stories --parquet DIR --out DIR``: returns the exit code."""
    from ..batchjob.dataset import is_dataset
    from ..batchjob.engine import start_client
    from ..batchjob.stories import stories_from_dataset

    if out is None:
        fail_line("--parquet needs --out DIR (where stories.jsonl and traces.jsonl go)")
        return 2
    if not is_dataset(dataset):
        fail_line(f"{dataset}: not a `sourcetrace batch` dataset (no manifest.json or reports/)")
        return 2
    client = start_client(workers, scheduler)
    try:
        counts = stories_from_dataset(dataset, out, client, min_articles=min_articles,
                                      trace_min_articles=max(2, min_articles))
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
    console_err.print(f"{counts['articles']} articles in {counts['stories']} stories ({counts['blocks']} monthly blocks); "
                      f"{counts['traced']} traced; wrote {out / 'stories.jsonl'} and {out / 'traces.jsonl'}")
    return 0


def _register_bench() -> None:
    from .bench import DOCS_FILE, bench_app

    @bench_app.command("batch")
    def bench_batch(
        corpus: str = typer.Option("../shared/data/allsides/articles.jsonl.gz", "--corpus", help="Articles (JSONL(.gz) or anything `analyze` reads)."),
        articles: int = typer.Option(300, "--articles", min=16, help="Articles for the speed phases."),
        memory_articles: int = typer.Option(10_000, "--memory-articles", min=0, help="Articles for the worker memory phase (0: skip it)."),
        repeats: int = typer.Option(1, "--repeats", min=1, help="Runs of each whole-process command (the best CPU counts)."),
        write_docs: bool = typer.Option(False, "--write-docs", help=f"Rewrite the batch blocks of {DOCS_FILE}."),
        whole_process_only: bool = typer.Option(
            False, "--whole-process-only",
            help="Only the whole `analyze` process against the bare parse (with --write-docs, only its own block)."),
    ):
        """Whole-process CPU against the bare parse, WARC reading (warcio, FastWARC), 1 vs 2 Dask workers, worker memory."""
        from rich.console import Console
        from rich.table import Table

        from ..batchjob.bench import markdown, rows, run_bench, whole_markdown, whole_rows
        from ..docblocks import command_line, write_block

        figures = run_bench(corpus, articles, memory_articles, repeats, log=console_err.print,
                            whole_process_only=whole_process_only)
        table = Table("measure", "value", "target", "met", title="sourcetrace batch benchmark")
        for row in whole_rows(figures) + ([] if whole_process_only else rows(figures)):
            table.add_row(*row)
        Console(width=None if sys.stdout.isatty() else 160).print(table)
        if write_docs:
            write_block(DOCS_FILE, "batch-whole", whole_markdown(figures, command_line()), title="Benchmarks")
            written = "batch-whole block"
            if not whole_process_only:
                write_block(DOCS_FILE, "batch", markdown(figures, command_line()), title="Benchmarks")
                written = "batch-whole and batch blocks"
            console_err.print(f"wrote the {written} of {DOCS_FILE}")


_register_bench()
