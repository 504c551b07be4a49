"""``sourcetrace stories``, ``sourcetrace trace``, ``sourcetrace eval stories`` and ``sourcetrace bench stories``."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..options import DEFAULT_STORE_URL as DEFAULT_URL
from .app import app, eval_app
from .bench import bench_app
from .common import console_err, fail_line
from .store_commands import open_store

DB_HELP = "Store URL (sqlite:///path.db or postgresql+psycopg://...)."


class ListFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"
    json = "json"


class TraceFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def stories(
    db: str = typer.Option(DEFAULT_URL, "--db", help=DB_HELP),
    fmt: ListFormat = typer.Option(ListFormat.text, "--format", help="text: a table; jsonl: one traced story a line; json: one list."),
    min_articles: int = typer.Option(1, "--min-articles", min=1, help="Only stories with at least this many articles."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes tracing stories (jsonl/json)."),
    parquet: Path | None = typer.Option(None, "--parquet", help="Cluster the stories of a `sourcetrace batch` dataset instead of the store, on Dask (blocks by month)."),
    out: Path | None = typer.Option(None, "--out", help="With --parquet: folder for stories.jsonl and traces.jsonl."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="With --parquet: run on this Dask cluster instead of a local one of --workers processes."),
):
    """Group the stored articles into stories (new articles join or open stories; nothing is re-clustered)."""
    if parquet is not None:
        from .batch import stories_from_parquet

        raise typer.Exit(stories_from_parquet(parquet, out, workers, scheduler, min_articles))
    from ..stories.service import story_summaries, trace_many, update_stories

    store = open_store(db)
    try:
        index, result = update_stories(store)
        members = {s: m for s, m in index.stories().items() if len(m) >= min_articles}
        console_err.print(f"{result.placed} new article(s) placed; {result.articles} articles in {result.stories} stories")
        if fmt is ListFormat.text:
            table = Table("story", "articles", "earliest article", "outlets")  # the trace decides the first report
            for summary in story_summaries(store, members):
                table.add_row(summary["story"], str(len(summary["articles"])),
                              f"{summary['published'] or 'undated'}: {summary['title']}", ", ".join(summary["outlets"]))
            Console().print(table)
            return
        traced = trace_many(store, members, workers)
        if fmt is ListFormat.jsonl:
            for story in traced:
                sys.stdout.write(json.dumps(story, ensure_ascii=False) + "\n")
        else:
            json.dump(list(traced), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
    finally:
        store.close()


@app.command()
def trace(
    story_id: str = typer.Argument(..., help="A story id from `sourcetrace stories` (or an article id in it)."),
    db: str = typer.Option(DEFAULT_URL, "--db", help=DB_HELP),
    fmt: TraceFormat = typer.Option(TraceFormat.text, "--format"),
):
    """One story: outlets on a timeline, who cites whom, chains to the root sources, claims and how they changed."""
    from ..stories.service import trace_stored_story, update_stories

    store = open_store(db)
    try:
        index, _ = update_stories(store)
        members = index.stories()
        if story_id not in members and story_id in index:
            story_id = index.story(story_id)
        if story_id not in members:
            fail_line(f"{story_id}: no such story (list them with `sourcetrace stories`)")
            raise typer.Exit(1)
        traced = trace_stored_story(store, story_id, members[story_id])
    finally:
        store.close()
    if fmt is TraceFormat.json:
        sys.stdout.write(json.dumps(traced, ensure_ascii=False, indent=1) + "\n")
    else:
        from ..stories.render import render_trace

        render_trace(traced, Console())


@eval_app.command("stories")
def eval_stories(
    gold: Path = typer.Option(..., "--gold", help="Directory with articles.jsonl (story_id per article), e.g. ../shared/data/stories."),
    compare: bool = typer.Option(False, "--compare-embeddings", help="Also score TF-IDF vs MiniLM similarity on gold pairs (slow: embeds 2x982 texts)."),
    write_docs: bool = typer.Option(False, "--write-docs", help="Rewrite the stories block of docs/accuracy.md (with --no-dates or --mix: their own block)."),
    no_dates: bool = typer.Option(False, "--no-dates", help="Remove every publication date first (a JSONL or pages without dates)."),
    mix: Path | None = typer.Option(None, "--mix", help="Scatter the gold among unrelated articles from this JSONL(.gz), e.g. ../shared/data/allsides/articles.jsonl.gz."),
    mix_count: int = typer.Option(5000, "--mix-count", min=1, help="How many unrelated articles --mix draws (fixed seed)."),
    mix_same_days: bool = typer.Option(False, "--mix-same-days", help="Give each dated article --mix draws a random day of the gold's span (fixed seed): unrelated news of the same weeks."),
    batch_size: int = typer.Option(0, "--batch-size", min=0, help="Feed the articles in a shuffled order (fixed seed), this many at a time, to one index, as a store fills (1: one at a time, as the web app adds them; 0: one batch)."),
    no_embeddings: bool = typer.Option(False, "--no-embeddings", help="Compare undated articles by TF-IDF alone, as when the embedding model cannot run."),
):
    """Story clustering against gold same-event groups: B-cubed and pairwise precision/recall/F1. With --mix, the
    gold articles are scored inside a random stream of unrelated ones (each unrelated article is its own story)."""
    from ..evaluation.stories import (accuracy_markdown, compare_similarity, comparison_markdown, embed_ahead,
                                      embedding_note, evaluate_gold_dir, read_gold as read_story_gold, read_mix)
    from ..stories.cluster import ClusterParams

    if not (gold / "articles.jsonl").exists():
        fail_line(f"{gold}: no articles.jsonl there")
        raise typer.Exit(2)
    mixed = None
    if mix is not None:
        if not mix.is_file():
            fail_line(f"{mix}: no such file")
            raise typer.Exit(2)
        try:
            mixed = read_mix(mix, mix_count, read_story_gold(gold / "articles.jsonl"), same_days=mix_same_days)
        except ValueError as exc:
            fail_line(str(exc))
            raise typer.Exit(2) from None
        console_err.print(f"{len(mixed)} unrelated articles mixed in from {mix}")
    embedding = None if no_embeddings else embed_ahead(gold, no_dates, mixed)
    note = embedding_note(embedding, not no_embeddings)
    console_err.print(note)
    params = ClusterParams(semantic_weight=0.0) if no_embeddings else None
    results = evaluate_gold_dir(gold, params, no_dates=no_dates, mix=mixed, batch_size=batch_size)
    table = Table("part", "articles", "stories (gold/pred)", "B3 P", "B3 R", "B3 F1", "pair P", "pair R", "pair F1", "s")
    for part, s in results.items():
        table.add_row(part, str(s.articles), f"{s.gold_stories}/{s.predicted_stories}", f"{s.bcubed_precision:.3f}",
                      f"{s.bcubed_recall:.3f}", f"{s.bcubed_f1:.3f}", f"{s.pairwise_precision:.3f}",
                      f"{s.pairwise_recall:.3f}", f"{s.pairwise_f1:.3f}", f"{s.seconds:.2f}")
    Console().print(table)
    extra = ""
    if compare:
        extra = comparison_markdown(compare_similarity(gold))
        Console().print(extra)
    if write_docs:
        from ..docblocks import command_line, write_block
        from ..evaluation.stories import kept_comparison, stream_block, stream_markdown

        if no_dates or mixed or batch_size:  # its own block: the dated gold's block stays as measured
            name = stream_block(no_dates, bool(mixed), mix_same_days, batch_size, no_embeddings)
            body = stream_markdown(results, command_line(), no_dates, len(mixed or []), mix_same_days, batch_size, note)
            write_block(Path("docs") / "accuracy.md", name, body, title="Accuracy", markers=("start", "end"))
            console_err.print(f"wrote the {name} block of docs/accuracy.md")
            return
        # without --compare-embeddings the last comparison is kept: it does not depend on the clustering
        extra = extra or kept_comparison(Path("docs") / "accuracy.md")
        _write_stories_block("accuracy.md", accuracy_markdown(results, command_line()) + "\n" + extra, "Accuracy")
        console_err.print("wrote the stories block of docs/accuracy.md")


@bench_app.command("stories")
def bench_stories(
    corpus: str = typer.Option(..., "--corpus", help="Articles (.jsonl/.jsonl.gz with id, title, text, published)."),
    limit: int = typer.Option(0, "--limit", min=0, help="Use the first N articles (0: all)."),
    reports: Path | None = typer.Option(None, "--reports", help="Precomputed reports (JSONL of ArticleReport) to time claim tracing on."),
    trace_sample: int = typer.Option(100, "--trace-sample", min=0, help="Without --reports: analyse this many clustered articles (untimed) to time tracing."),
    write_docs: bool = typer.Option(False, "--write-docs", help="Rewrite the stories block of docs/benchmarks.md."),
):
    """Story stage once parsed: clustering N and a 2x copy with shifted dates, peak memory, claim tracing rate."""
    from ..evaluation.stories import benchmark_markdown, run_story_benchmark

    figures = run_story_benchmark(corpus, limit or None, reports, trace_sample, progress=console_err.print)
    if figures is None:
        fail_line(f"{corpus}: no articles read")
        raise typer.Exit(1)
    table = Table("phase", "articles", "wall s", "CPU s", "articles/CPU s", "peak RSS MiB", "note")
    for row in figures["rows"]:
        table.add_row(row["phase"], str(row["articles"]), f"{row['seconds']:.2f}", f"{row['cpu_seconds']:.2f}",
                      f"{row['articles'] / row['cpu_seconds']:.0f}" if row["cpu_seconds"] else "-",
                      f"{row['peak_rss_mib']:.0f}" if row.get("peak_rss_mib") else "-", row.get("note", ""))
    Console().print(table)
    Console().print(figures["summary"])
    if write_docs:
        from ..docblocks import command_line

        _write_stories_block("benchmarks.md", benchmark_markdown(figures, corpus, command_line()), "Benchmarks")
        console_err.print("wrote the stories block of docs/benchmarks.md")


def _write_stories_block(doc: str, body: str, title: str) -> None:
    """The block between ``<!-- stories:start -->`` and ``<!-- stories:end -->`` of ``docs/DOC``."""
    from ..docblocks import write_block

    write_block(Path("docs") / doc, "stories", body, title=title, markers=("start", "end"))
