"""``sourcetrace bench fuzz``: seeded random and adversarial texts through the whole analysis."""
from __future__ import annotations

import os
import sys
import time

import typer

from .bench import bench_app
from .common import console_err, fail_line


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
):
    """Fail (exit 1) on any exception, a report text that is not the input, a span that is not its slice,
    a case slower than the time bound, or a worker over the memory bound."""
    from ..fuzzing import merge, run_cases

    started = time.perf_counter()
    chunks = [range(start + i, start + cases, workers) for i in range(workers)]
    if workers == 1:
        results = [run_cases(seed, chunks[0], seconds_per_kchar, floor_seconds)]
    else:
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(workers) as pool:
            results = pool.starmap(run_cases, [(seed, chunk, seconds_per_kchar, floor_seconds) for chunk in chunks])
    total = merge(results)
    wall = time.perf_counter() - started
    if total.peak_rss_mib > max_rss_mib:
        total.failures.append(f"peak memory {total.peak_rss_mib:,.0f} MiB over the {max_rss_mib:,.0f} MiB bound")
    for failure in total.failures:
        fail_line(failure)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rate = total.characters / total.seconds if total.seconds else 0.0
    worst = (f"; slowest {total.worst_seconds_per_kchar:.2f} CPU s per 1,000 characters (case {total.worst_case})"
             if total.worst_case is not None else "")
    console_err.print(
        f"fuzz: seed {seed}, cases {start}-{start + cases - 1}: {total.cases:,} cases ({total.analysed:,} analysed, "
        f"{total.refused:,} refused as empty), {len(total.failures)} failures; {total.characters:,} characters at "
        f"{rate:,.0f} per CPU second{worst}; peak memory {total.peak_rss_mib:,.0f} MiB per worker; {wall:,.0f} s wall "
        f"with {workers} worker(s), load average {load:.1f}")
    sys.stdout.flush()
    raise typer.Exit(1 if total.failures else 0)
