"""`sourcetrace bench batch --whole-process-only`: the whole `analyze` process against the bare parse, alone,
written to its own docs block without touching the batch block's figures."""
from __future__ import annotations

from pathlib import Path

from sourcetrace.batchjob.bench import run_bench, whole_markdown, whole_rows
from sourcetrace.docblocks import write_block

SAMPLES = str(Path(__file__).resolve().parents[1] / "src" / "sourcetrace" / "samples" / "articles.jsonl")


def test_whole_process_alone_runs_both_commands_and_rewrites_only_its_block(tmp_path):
    logged: list[str] = []
    figures = run_bench(SAMPLES, 16, 10_000, 1, log=logged.append, whole_process_only=True)
    # the other phases (WARC, Dask workers, memory) did not run
    assert set(figures) == {"load", "articles", "corpus", "whole_process", "load_after"}
    assert logged == [f"whole process: analyze vs bare parse on {figures['articles']} articles"]
    wp = figures["whole_process"]
    # two real processes each took CPU (which took more is a measurement, not a test: on 16 articles a busy
    # machine can order them either way)
    assert wp["bare_cpu"] > 0 and wp["analyze_cpu"] > 0
    assert wp["ratio"] == wp["bare_cpu"] / wp["analyze_cpu"]
    [(measure, value, target, met)] = whole_rows(figures)
    assert measure.startswith(f"whole process, {figures['articles']} articles") and value.startswith(f"{wp['ratio']:.2f} (")

    docs = tmp_path / "benchmarks.md"
    batch_block = "<!-- batch:begin -->\n## Batch: Dask workers\n| 2 workers against 1 (wall) | 1.89x |\n<!-- batch:end -->"
    docs.write_text(f"# Benchmarks\n\n<!-- batch-whole:begin -->\nold figure\n<!-- batch-whole:end -->\n\n{batch_block}\n")
    write_block(docs, "batch-whole", whole_markdown(figures, "sourcetrace bench batch --whole-process-only"))
    text = docs.read_text()
    assert "old figure" not in text and batch_block in text
    assert f"| {measure} | {value} | {target} | {met} |" in text
    assert "Command: `sourcetrace bench batch --whole-process-only`" in text
