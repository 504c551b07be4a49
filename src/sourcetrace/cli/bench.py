"""``sourcetrace bench``: analysis speed of each tier against the bare spaCy parse, in one run.

``bench_app`` is a Typer group: with no subcommand its callback runs the
analysis benchmark; other modules add subcommands (``@bench_app.command()``).
The bare parse and each tier run chunk by chunk over the same articles,
interleaved, so a change in machine load between phases does not skew the
ratios (the machine is shared).
"""
from __future__ import annotations

import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from .app import app
from ..options import Tier
from .common import console_err, fail_line

DOCS_FILE = Path("docs") / "benchmarks.md"
CHUNK = 25

bench_app = typer.Typer(
    help="Speed benchmarks. Without a subcommand: analysis rate of each tier against the bare parse.",
    invoke_without_command=True,
)
app.add_typer(bench_app, name="bench")


@dataclass
class Phase:
    name: str
    articles: int = 0
    words: int = 0
    seconds: float = 0.0
    baseline_seconds: float = 0.0  # bare-parse time over the same articles
    note: str = ""

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def ratio(self) -> float:
        return self.baseline_seconds / self.seconds if self.seconds else 0.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load_articles(corpus: str, limit: int):
    from ..errors import InputError
    from ..ingest import read_inputs

    articles = []
    for item in read_inputs([corpus]):
        if isinstance(item, InputError):
            fail_line(str(item))
            continue
        articles.append(item)
        if len(articles) >= limit:
            break
    return articles


def run_benchmark(articles, tiers: list[str], accurate_limit: int, log=console_err.print) -> tuple[list[Phase], dict[str, Any]]:
    """Time the bare parse and each tier's full analysis, interleaved chunk by chunk."""
    from ..nlp import load_pipeline
    from ..pipeline import AnalysisOptions, Analyzer

    load = os.getloadavg()[0]  # before this process adds its own
    nlp = load_pipeline()
    analyzers: dict[str, Analyzer] = {}
    skipped: dict[str, str] = {}
    for tier in tiers:
        try:
            analyzers[tier] = Analyzer(AnalysisOptions(model=Tier(tier)))
            analyzers[tier].analyze(articles[0])  # load lazily built models before timing
        except Exception as exc:  # a tier whose model is not installed is skipped, not fatal
            skipped[tier] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    list(nlp.pipe([a.text for a in articles[:2]]))
    stage_seconds: dict[str, dict[str, float]] = {}
    for tier, analyzer in analyzers.items():
        stage_seconds[tier] = {}
        analyzer.extractors = [_timed(e, stage_seconds[tier]) for e in analyzer.extractors]
    bare = Phase("bare nlp.pipe parse")
    phases = {tier: Phase(f"analysis, {tier} tier") for tier in analyzers}
    rss: dict[str, float] = {}
    for start in range(0, len(articles), CHUNK):
        chunk = articles[start:start + CHUNK]
        texts = [a.text for a in chunk]
        words = sum(len(t.split()) for t in texts)
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=8):
            pass
        bare_s = time.perf_counter() - t0
        bare.articles += len(chunk)
        bare.words += words
        bare.seconds += bare_s
        bare.baseline_seconds += bare_s
        for tier, analyzer in analyzers.items():
            if tier == "accurate" and start >= accurate_limit:
                continue
            t0 = time.perf_counter()
            for _ in analyzer.analyze_many(chunk):
                pass
            p = phases[tier]
            p.seconds += time.perf_counter() - t0
            p.articles += len(chunk)
            p.words += words
            p.baseline_seconds += bare_s
        rss["after"] = peak_rss_mib()
        log(f"{bare.articles}/{len(articles)} articles")
    out = [bare, *phases.values()]
    for tier, reason in skipped.items():
        out.append(Phase(f"analysis, {tier} tier", note=f"skipped: {reason}"))
    stages = {tier: {name: secs / phases[tier].articles * 1000 for name, secs in times.items()}
              for tier, times in stage_seconds.items() if phases[tier].articles}
    return out, {"load": load, "peak_rss_mib": peak_rss_mib(), "bare_ms": bare.seconds / bare.articles * 1000, "stages_ms": stages}


def _timed(extractor, totals: dict[str, float]):
    """Wrap an extractor to add its run time to ``totals[name]`` (the per-stage breakdown)."""
    name = getattr(extractor, "name", type(extractor).__name__)
    totals.setdefault(name, 0.0)

    def run(ctx):
        t0 = time.perf_counter()
        extractor(ctx)
        totals[name] += time.perf_counter() - t0

    return run


def _stages_rows(extra: dict) -> list[tuple[str, str, float, float]]:
    """(tier, stage, ms per article, share of the bare parse time)."""
    bare_ms = extra.get("bare_ms") or 0.0
    return [(tier, name, ms, ms / bare_ms if bare_ms else 0.0)
            for tier, stages in extra.get("stages_ms", {}).items() for name, ms in stages.items()]


def _table(phases: list[Phase]) -> Table:
    table = Table(title="analysis speed (same articles, interleaved)")
    for col in ("phase", "articles", "articles/s", "words/s", "x bare parse", "note"):
        table.add_column(col, justify="left" if col in {"phase", "note"} else "right")
    for p in phases:
        if p.note and not p.seconds:
            table.add_row(p.name, "-", "-", "-", "-", p.note)
        else:
            table.add_row(p.name, str(p.articles), f"{p.articles_per_s:.2f}", f"{p.words_per_s:.0f}", f"{p.ratio:.2f}", p.note)
    return table


def _markdown(phases: list[Phase], extra: dict[str, float], corpus: str, command: str) -> str:
    from ..docblocks import machine, today
    from ..nlp import pipeline_info

    info = pipeline_info()
    lines = [
        "## Analysis speed",
        "",
        f"Measured {today()} on {machine()} (1-minute load average {extra['load']:.1f} when the run began; bare parse "
        f"and tiers interleaved in chunks of "
        f"{CHUNK} articles so load changes hit all alike), spaCy pipeline `{info['package']}` {info['version']}, "
        f"corpus `{corpus}`, one process, one thread. Peak RSS {extra['peak_rss_mib']:.0f} MiB.",
        f"Command: `{command}`",
        "",
        "| phase | articles | articles/s | words/s | x bare parse | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for p in phases:
        if p.note and not p.seconds:
            lines.append(f"| {p.name} | - | - | - | - | {p.note} |")
        else:
            lines.append(f"| {p.name} | {p.articles} | {p.articles_per_s:.2f} | {p.words_per_s:.0f} | {p.ratio:.2f} | {p.note} |")
    rows = _stages_rows(extra)
    if rows:
        lines += ["", f"Time per extractor after the parse (bare parse {extra['bare_ms']:.0f} ms/article):", "",
                  "| tier | extractor | ms/article | share of bare parse time |", "|---|---|---:|---:|"]
        lines += [f"| {tier} | {name} | {ms:.1f} | {share:.1%} |" for tier, name, ms, share in rows]
    return "\n".join(lines)


@bench_app.callback()
def bench(
    ctx: typer.Context,
    corpus: str | None = typer.Option(None, "--corpus", help="Articles to analyse (.jsonl(.gz) or anything `analyze` reads)."),
    limit: int = typer.Option(2000, "--limit", min=1, help="Use the first N articles."),
    tiers: str = typer.Option("fast,accurate", "--tiers", help="Comma-separated tiers to time."),
    accurate_limit: int = typer.Option(200, "--accurate-limit", min=1, help="Time the (slow) accurate tier on the first N articles only."),
    write_docs: bool = typer.Option(False, "--write-docs", help=f"Rewrite the analysis block of {DOCS_FILE}."),
):
    """Bare parse rate, full analysis rate per tier, ratio to the bare parse, peak RSS."""
    if ctx.invoked_subcommand is not None:
        return
    if corpus is None:
        console_err.print("error: --corpus is required (e.g. --corpus ../shared/data/allsides/articles.jsonl.gz)")
        raise typer.Exit(2)
    from ..docblocks import command_line, write_block

    articles = _load_articles(corpus, limit)
    if not articles:
        console_err.print(f"error: {corpus}: no articles read")
        raise typer.Exit(1)
    phases, extra = run_benchmark(articles, [t.strip() for t in tiers.split(",") if t.strip()], accurate_limit)
    out = Console(width=None if sys.stdout.isatty() else 140)
    out.print(_table(phases))
    out.print(f"peak RSS {extra['peak_rss_mib']:.0f} MiB")
    stages = Table(title="time per extractor (after the parse)")
    for col in ("tier", "extractor", "ms/article", "share of bare parse time"):
        stages.add_column(col, justify="left" if col in {"tier", "extractor"} else "right")
    for tier, name, ms, share in _stages_rows(extra):
        stages.add_row(tier, name, f"{ms:.1f}", f"{share:.1%}")
    out.print(stages)
    if write_docs:
        write_block(DOCS_FILE, "analysis", _markdown(phases, extra, corpus, command_line()), title="Benchmarks")
        console_err.print(f"wrote the analysis block of {DOCS_FILE}")
