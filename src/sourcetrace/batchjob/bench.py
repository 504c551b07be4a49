"""``sourcetrace bench batch``: whole-process speed, WARC reading, 1 vs 2 Dask workers, worker memory.

Phases, each on articles of one corpus (AllSides by default):

1. whole process: ``sourcetrace analyze`` as users run it against a bare batched parse of the same texts
   (``nlp.pipe``, batch 8), both separate processes, CPU time (user + system) with start-up included;
2. WARC reading: the articles written as a WARC.gz (an HTML page each, in date order as a crawl would hold
   them), read by warcio and by FastWARC; the
   records each reads are compared (URL and payload digest), then the time to list and read them;
3. in-process analysis of that WARC (read, extract, analyse in this process; CPU time after the models load);
4. ``sourcetrace batch`` on that WARC with a LocalCluster of 1 and then 2 worker processes (models loaded on
   each worker before timing): wall time (the speed-up) and the workers' CPU per article (against phase 3);
5. worker memory: 2 workers over ``memory_articles`` articles (JSONL), each worker's resident memory as it
   finishes each of its partitions (the manifest's ``rss_mib``); growth is the highest sample after warm-up
   against the first after it.

Phase 1 has its own docs block (``batch-whole``), so that it can be measured alone (``--whole-process-only``:
a few minutes on a quiet machine) without touching the other phases' figures and dates.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_PARSE = (
    "import json, sys\n"
    "from sourcetrace.nlp import load_pipeline\n"
    "nlp = load_pipeline()\n"
    "texts = [json.loads(line)['text'] for line in open(sys.argv[1], encoding='utf-8')]\n"
    "for _ in nlp.pipe(texts, batch_size=8):\n"
    "    pass\n"
)
WARMUP_SHARE = 0.1  # of the memory run's partitions: models and caches settle first


def load_corpus(corpus: str, limit: int) -> list:
    from ..errors import InputError
    from ..ingest import read_inputs

    articles = []
    for item in read_inputs([corpus]):
        if not isinstance(item, InputError):
            articles.append(item)
            if len(articles) >= limit:
                break
    return articles


def write_jsonl(articles, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"id": a.id, "text": a.text, "title": a.title, "outlet": a.outlet,
                                 "published": a.published, "url": a.url}, ensure_ascii=False) + "\n")


def article_page(article) -> str:
    from html import escape

    date = f'<meta property="article:published_time" content="{escape(article.published)}">' if article.published else ""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article.text.split("\n") if p.strip())
    return (f"<!DOCTYPE html><html lang=\"en\"><head><title>{escape(article.title or '')}</title>{date}</head><body>"
            f"<article><h1>{escape(article.title or '')}</h1>{paragraphs}</article></body></html>")


def write_warc(articles, path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, a in enumerate(articles):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            url = a.url or f"https://bench.example/{i}"
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(article_page(a).encode("utf-8")),
                                                          http_headers=http))


def child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child(command: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of a child process run to the end."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    cpu, wall = child_cpu_seconds(), time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return child_cpu_seconds() - cpu, time.perf_counter() - wall


def whole_process(jsonl: Path, work: Path, repeats: int) -> dict:
    """Best of ``repeats`` (by CPU) for each command, interleaved so load changes hit both alike. Measured as a
    user's later runs: the language detector's decompressed model is in the cache before the first."""
    from ..languages import detector_arrays

    detector_arrays()
    bare, analyze = [], []
    for _ in range(repeats):
        bare.append(run_child([sys.executable, "-c", BARE_PARSE, str(jsonl)]))
        analyze.append(run_child([sys.executable, "-m", "sourcetrace", "analyze", str(jsonl), "--format", "jsonl",
                                  "-o", str(work / "analyze.jsonl")]))
    bare_cpu, analyze_cpu = min(c for c, _ in bare), min(c for c, _ in analyze)
    # each interleaved pair's own ratio: their spread is the noise of the best-of figure on this machine
    pairs = [b / a for (b, _), (a, _) in zip(bare, analyze)]
    return {"bare_cpu": bare_cpu, "analyze_cpu": analyze_cpu, "ratio": bare_cpu / analyze_cpu, "pair_ratios": pairs,
            "bare_wall": min(w for _, w in bare), "analyze_wall": min(w for _, w in analyze)}


def warc_reading(path: Path) -> dict:
    """Records, MB/s and agreement of warcio and FastWARC reading every response record's payload."""
    from warcio.archiveiterator import ArchiveIterator

    def warcio_read() -> list[tuple[str, str]]:
        with path.open("rb") as fh:
            return [(r.rec_headers.get_header("WARC-Target-URI"), hashlib.sha1(r.content_stream().read()).hexdigest())
                    for r in ArchiveIterator(fh) if r.rec_type == "response"]

    size_mb = path.stat().st_size / 1e6
    t0 = time.process_time()
    slow = warcio_read()
    out: dict[str, float | str] = {"records": len(slow), "mb": size_mb, "warcio_s": time.process_time() - t0}
    try:
        from fastwarc.warc import ArchiveIterator as FastArchiveIterator
        from fastwarc.warc import WarcRecordType
    except ImportError:
        out["fastwarc"] = "not installed (pip install 'sourcetrace[cluster]')"
        return out
    t0 = time.process_time()
    with path.open("rb") as fh:
        fast = [(r.headers.get("WARC-Target-URI"), hashlib.sha1(r.reader.read()).hexdigest())
                for r in FastArchiveIterator(fh, record_types=WarcRecordType.response)]
    out["fastwarc_s"] = time.process_time() - t0
    out["same_records"] = fast == slow
    from ..ingest import scan_warc_offsets

    t0 = time.process_time()
    slow_scan = list(scan_warc_offsets(path, fast=False))
    out["scan_warcio_s"] = time.process_time() - t0
    t0 = time.process_time()
    fast_scan = list(scan_warc_offsets(path, fast=True))
    out["scan_fast_s"] = time.process_time() - t0
    out["same_offsets"] = fast_scan == slow_scan
    return out


def in_process(warc: Path) -> dict:
    """Read the WARC and analyse it here, as one worker would; CPU after the models load."""
    from ..errors import InputError
    from ..ingest import read_inputs
    from ..pipeline import Analyzer

    analyzer = Analyzer()
    first = next(a for a in read_inputs([str(warc)]) if not isinstance(a, InputError))
    analyzer.analyze(first)  # lazily loaded models in before timing
    t0 = time.process_time()
    n = sum(1 for _, outcome in analyzer.analyze_stream(a for a in read_inputs([str(warc)]) if not isinstance(a, InputError))
            if not isinstance(outcome, Exception))
    return {"articles": n, "cpu": time.process_time() - t0}


def _worker_cpu() -> float:
    return time.process_time()


def _worker_warm() -> int:
    """Load on the worker what it loads once (models, the language detector, pyarrow), as phase 3 does before
    its timing starts."""
    import pyarrow.parquet  # noqa: F401

    from ..model import Article
    from .engine import worker_analyzer
    from .records import detect_language

    text = "The mayor said on Monday that the bridge would reopen in May, according to the city."
    worker_analyzer("fast").analyze(Article(text=text))
    detect_language(text)
    return os.getpid()


def batch_run(inputs: list[str], out: Path, workers: int, partition_size: int) -> dict:
    from distributed import Client

    from .engine import BatchConfig, BatchEvents, local_cluster, run_batch

    with local_cluster(workers, dashboard=False) as cluster, Client(cluster) as client:
        client.run(_worker_warm)
        cpu_before = sum(client.run(_worker_cpu).values())

        t0 = time.perf_counter()
        summary = run_batch(inputs, out, client, BatchConfig(partition_size=partition_size), events=BatchEvents())
        wall = time.perf_counter() - t0
        cpu = sum(client.run(_worker_cpu).values()) - cpu_before
    return {"workers": workers, "wall": wall, "cpu": cpu, "articles": summary.counts["analysed"],
            "partitions": summary.partitions, "failures": summary.failures}


def memory_run(jsonl: Path, out: Path, partition_size: int) -> dict:
    """Each worker's resident memory when it finishes a partition (recorded by the worker itself, in the manifest,
    in the order they finished): sampled at the same point of every partition, so a partition's transient peak
    (its longest texts) is not taken for growth, as sampling every worker whenever any one finished would."""
    from .dataset import load_manifest

    run = batch_run([str(jsonl)], out, 2, partition_size)
    samples: dict[str, list[float]] = {}
    for entry in (load_manifest(out) or {}).get("partitions", {}).values():
        samples.setdefault(f"pid {entry['worker_pid']}", []).append(entry["rss_mib"])
    growth = {}
    for worker, series in samples.items():
        start = min(len(series) - 1, max(1, int(len(series) * WARMUP_SHARE)))
        base = series[start]
        growth[worker] = {"after_warmup_mib": base, "max_mib": max(series[start:]), "last_mib": series[-1],
                          "growth": max(series[start:]) / base - 1 if base else 0.0, "samples": len(series)}
    return {**run, "per_worker": growth}


def run_bench(corpus: str, articles: int, memory_articles: int, repeats: int, log=print,
              whole_process_only: bool = False) -> dict:
    """The figures of every phase; with ``whole_process_only``, of phase 1 alone."""
    load = os.getloadavg()[0]
    corpus_articles = load_corpus(corpus, articles if whole_process_only else max(articles, memory_articles))
    speed = corpus_articles[:articles]
    figures: dict = {"load": load, "articles": len(speed), "corpus": corpus}
    with tempfile.TemporaryDirectory(prefix="sourcetrace-bench-batch-") as tmp:
        work = Path(tmp)
        jsonl, warc = work / "articles.jsonl", work / "articles.warc.gz"
        write_jsonl(speed, jsonl)
        log(f"whole process: analyze vs bare parse on {len(speed)} articles")
        figures["whole_process"] = whole_process(jsonl, work, repeats)
        if whole_process_only:
            figures["load_after"] = os.getloadavg()[0]
            return figures
        # a crawl is written in crawl order, so its pages' dates cluster: the WARC holds the articles by date, and a
        # partition writes one or two month files, not one per month the corpus spans
        write_warc(sorted(speed, key=lambda a: (a.published or "", a.id or "")), warc)
        log("WARC reading: warcio vs FastWARC")
        figures["warc"] = warc_reading(warc)
        log("in-process analysis of the WARC")
        figures["in_process"] = in_process(warc)
        partition_size = max(5, len(speed) // 16)
        figures["batch"] = []
        for workers in (1, 2):
            log(f"batch with {workers} worker(s)")
            figures["batch"].append(batch_run([str(warc)], work / f"out{workers}", workers, partition_size))
        if memory_articles:
            memory = corpus_articles[:memory_articles]
            log(f"worker memory over {len(memory)} articles (2 workers)")
            mem_jsonl = work / "memory.jsonl"
            write_jsonl(memory, mem_jsonl)
            figures["memory"] = memory_run(mem_jsonl, work / "memory-out", 250)
    figures["load_after"] = os.getloadavg()[0]
    return figures


def whole_rows(figures: dict) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, met) of phase 1: its own table and docs block."""
    wp = figures["whole_process"]
    return [(f"whole process, {figures['articles']} articles: bare parse CPU / `analyze` CPU (start-up included)",
             f"{wp['ratio']:.2f} ({wp['bare_cpu']:.1f} s / {wp['analyze_cpu']:.1f} s)" + _spread(wp.get("pair_ratios", [])),
             ">= 0.8", _met(wp["ratio"] >= 0.8))]


def rows(figures: dict) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, met) of phases 2-5 for the table and the batch docs block."""
    out = []
    w = figures["warc"]
    if "fastwarc_s" in w:
        out.append((f"WARC read, {w['records']} records, {w['mb']:.1f} MB: warcio / FastWARC",
                    f"{w['records'] / w['warcio_s']:.0f} / {w['records'] / w['fastwarc_s']:.0f} records/CPU s "
                    f"({w['warcio_s'] / w['fastwarc_s']:.1f}x)", "same records", _met(w["same_records"])))
        out.append(("WARC first pass (offsets), warcio / FastWARC then warcio tail",
                    f"{w['scan_warcio_s'] * 1000:.0f} / {w['scan_fast_s'] * 1000:.0f} ms", "same offsets", _met(w["same_offsets"])))
    else:
        out.append((f"WARC read, {w['records']} records: warcio", f"{w['records'] / w['warcio_s']:.0f} records/CPU s",
                    "", w["fastwarc"]))
    ip = figures["in_process"]
    in_rate = ip["articles"] / ip["cpu"]
    out.append(("in-process analysis of the WARC (read + analyse)", f"{in_rate:.2f} articles/CPU s", "", ""))
    one, two = figures["batch"]
    for run in (one, two):
        rate = run["articles"] / run["cpu"] if run["cpu"] else 0.0
        out.append((f"batch, {run['workers']} worker(s): {run['articles']} articles, {run['partitions']} partitions",
                    f"{run['wall']:.1f} s wall; {rate:.2f} articles/worker CPU s = {rate / in_rate:.2f}x in-process",
                    ">= 0.9x", _met(rate / in_rate >= 0.9)))
    speedup = one["wall"] / two["wall"] if two["wall"] else 0.0
    out.append(("2 workers against 1 (wall)", f"{speedup:.2f}x", ">= 1.7x on 2 cores", _met(speedup >= 1.7)))
    if "memory" in figures:
        m = figures["memory"]
        worst = max(v["growth"] for v in m["per_worker"].values())
        detail = "; ".join(f"{v['after_warmup_mib']:.0f} -> max {v['max_mib']:.0f} MiB" for v in m["per_worker"].values())
        out.append((f"worker memory, 2 workers, {m['articles']} articles ({m['partitions']} partitions)",
                    f"+{worst:.1%} after warm-up ({detail})", "<= +10%", _met(worst <= 0.10)))
    return out


def _spread(ratios: list[float]) -> str:
    if len(ratios) < 2:
        return ""
    return f"; best of {len(ratios)} runs each, pairs {min(ratios):.2f}-{max(ratios):.2f}"


def _met(ok: bool) -> str:
    return "yes" if ok else "no"


def _figures_block(title: str, intro: str, command: str, table: list[tuple[str, str, str, str]]) -> str:
    """A docs block: its heading, what was measured (date, machine), the command and the measure/target table."""
    lines = [f"## {title}", "", intro, f"Command: `{command}`", "", "| measure | value | target | met |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in table]
    return "\n".join(lines)


def whole_markdown(figures: dict, command: str) -> str:
    """The ``batch-whole`` docs block: phase 1, with its own date and load."""
    from ..docblocks import machine, today

    intro = (f"Measured {today()} on {machine()}, 1-minute load average {figures['load']:.1f} when the run began and "
             f"{figures['load_after']:.1f} when it ended. Corpus `{figures['corpus']}`, first {figures['articles']} "
             "articles as JSONL; `sourcetrace analyze FILE --format jsonl -o OUT` and a bare `nlp.pipe` parse of the same "
             "texts (batch 8), each a separate process run interleaved, CPU time (user + system) with start-up included. "
             "As a user's later runs: the language detector's decompressed model already cached (a first run decompresses "
             "and writes it: about 0.4 s of CPU against 0.04 s read from the cache).")
    return _figures_block("Batch: the whole `analyze` process against the bare parse", intro, command, whole_rows(figures))


def markdown(figures: dict, command: str) -> str:
    from ..docblocks import machine, today

    intro = (f"Measured {today()} on {machine()}, 1-minute load average {figures['load']:.1f} when the run began and "
             f"{figures['load_after']:.1f} when it ended (the machine is shared: wall-time figures, the 2-worker "
             f"speed-up above all, hold only on a quiet machine). Corpus `{figures['corpus']}`, first "
             f"{figures['articles']} articles; the WARC is those articles as HTML pages, one gzip member each.")
    return _figures_block("Batch: Dask workers, WARC reading, worker memory", intro, command, rows(figures))
