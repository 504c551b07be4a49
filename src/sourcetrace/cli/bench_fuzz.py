"""``sourcetrace bench fuzz``: seeded random and adversarial texts through the whole analysis."""
from __future__ import annotations

import os
import sys
import time

import typer

from .bench import bench_app
from .common import console_err, fail_line


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _slowest(total, sep: str = ", ") -> str:
    if total.worst_case is None:
        return ""
    return f"{sep}slowest {total.worst_seconds_per_kchar:.2f} CPU s per 1,000 characters (case {total.worst_case})"


def _run_block(job):
    from ..fuzzing import run_cases

    return run_cases(*job)


@bench_app.command("fuzz")
def fuzz(
    cases: int = typer.Option(2000, "--cases", min=1, help="How many texts to analyse."),
    seed: int = typer.Option(0, "--seed", help="Cases are made from the seed and their number: a failure reproduces."),
    start: int = typer.Option(0, "--start", min=0, help="First case number (rerun one case with --start N --cases 1)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes."),
    seconds_per_kchar: float = typer.Option(2.0, "--seconds-per-kchar", min=0.001,
                                            help="CPU-time bound per case: --floor-seconds plus this per 1,000 characters."),
    floor_seconds: float = typer.Option(2.0, "--floor-seconds", min=0.0, help="Constant part of the time bound."),
    max_rss_mib: float = typer.Option(2000.0, "--max-rss-mib", min=1.0, help="Peak memory bound per worker process."),
    block: int = typer.Option(50, "--block", min=1, help="Cases a worker runs at a time."),
    progress_every: int = typer.Option(20, "--progress-every", min=1,
                                       help="A progress line on stderr every this many blocks."),
):
    """Fail (exit 1) on any exception, a report text that is not the input, a span that is not its slice,
    a case slower than the time bound, or a worker over the memory bound."""
    from ..fuzzing import blocks, merge, run_cases

    started = time.perf_counter()
    work = blocks(start, cases, block)
    results = []

    def progress(result) -> None:
        # failures at once and a line per block: a long run that is stopped still says what it checked
        results.append(result)
        for failure in result.failures:
            fail_line(failure)
        done = sum(r.cases for r in results)
        if done < cases and len(results) % progress_every == 0:
            total = merge(results)
            rate = total.characters / total.seconds if total.seconds else 0.0
            console_err.print(f"fuzz progress: cases {start}-{start + done - 1} checked ({done:,} of {cases:,}), "
                              f"{len(total.failures)} failures, {total.characters:,} characters at {rate:,.0f} per CPU "
                              f"second{_slowest(total)}, peak memory {total.peak_rss_mib:,.0f} MiB per worker, "
                              f"{time.perf_counter() - started:,.0f} s wall, load average {_load():.1f}", soft_wrap=True)
            sys.stderr.flush()

    if workers == 1:
        for cases_block in work:
            progress(run_cases(seed, cases_block, seconds_per_kchar, floor_seconds))
    else:
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(workers) as pool:
            # in order, so the blocks reported are a prefix of the run; a worker keeps its analyzer between blocks
            for result in pool.imap(_run_block, [(seed, b, seconds_per_kchar, floor_seconds) for b in work]):
                progress(result)
    total = merge(results)
    wall = time.perf_counter() - started
    if total.peak_rss_mib > max_rss_mib:
        total.failures.append(f"peak memory {total.peak_rss_mib:,.0f} MiB over the {max_rss_mib:,.0f} MiB bound")
        fail_line(total.failures[-1])
    load = _load()
    rate = total.characters / total.seconds if total.seconds else 0.0
    worst = _slowest(total, "; ")
    console_err.print(
        f"fuzz: seed {seed}, cases {start}-{start + cases - 1}: {total.cases:,} cases ({total.analysed:,} analysed, "
        f"{total.refused:,} refused as empty), {len(total.failures)} failures; {total.characters:,} characters at "
        f"{rate:,.0f} per CPU second{worst}; peak memory {total.peak_rss_mib:,.0f} MiB per worker; {wall:,.0f} s wall "
        f"with {workers} worker(s), load average {load:.1f}", soft_wrap=True)
    sys.stdout.flush()
    raise typer.Exit(1 if total.failures else 0)
