"""Dask tasks and the driver of ``sourcetrace batch``.

Three kinds of task, all on the workers: ``plan_task`` splits one archive into partitions (a pass over record
headers); ``read_task`` reads a partition, applies the filters and stages its articles under ``DIR/_work``;
``analyze_task`` analyses the staged articles a partition keeps and writes its rows to the dataset. The driver
sees every partition's keys (URL and text digests) in input order, so the first occurrence of a duplicate is the
one kept whatever order the workers finish in, and a resumed run keeps the same one.
"""
from __future__ import annotations

import gzip
import json
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..memory import FlatMemory
from ..model import Article
from .dataset import (MANIFEST, MANIFEST_FORMAT, WORK, atomic_write_bytes, atomic_write_json, load_manifest,
                      remove_temporaries, write_failures, write_partition_tables)
from .plan import Partition, expand_inputs, input_kind, plan_files, plan_input
from .records import FilterOptions, dedup_keys, failure, read_partition

DEFAULT_PARTITION_SIZE = 250
WARM_UP_TEXT = "“The bridge will reopen in May,” the mayor said on Monday, according to the city's report."
COUNT_KEYS = ("records", "analysed", "http_status", "not_html", "not_article", "language", "duplicate_url",
              "duplicate_text", "failed_read", "failed_analysis")


class BatchError(Exception):
    """The job cannot start (a usage error: exit 2)."""


@dataclass(frozen=True)
class BatchConfig:
    partition_size: int = DEFAULT_PARTITION_SIZE
    model: str = "fast"
    filters: FilterOptions = field(default_factory=FilterOptions)

    def to_dict(self) -> dict:
        filters = asdict(self.filters)
        filters["languages"] = list(self.filters.languages)
        return {"partition_size": self.partition_size, "model": self.model, "filters": filters}


@dataclass
class BatchSummary:
    partitions: int = 0
    finished: int = 0  # partitions in the manifest
    resumed: int = 0  # of those, finished by an earlier run
    counts: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    failures: int = 0
    failed_partitions: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.finished == self.partitions


class BatchEvents:
    """What the driver reports as it goes (the command draws a progress bar from these)."""

    def planned(self, partitions: int, finished: int) -> None: ...

    def partition_done(self, pid: str, analysed: int, failed: int) -> None: ...

    def partition_failed(self, pid: str, reason: str) -> None: ...


# ------------------------------------------------------------------------------------------ worker side

_analyzers: dict = {}
_analyzer_lock = threading.Lock()  # one analysis at a time per process: a worker with several threads shares it
_flat_memory: dict = {}  # per analyzer: parses outside a zone until warm, then in zones (sourcetrace.memory.FlatMemory)


def worker_analyzer(model: str):
    """The worker process's ``Analyzer``: models load once, on the first partition the process analyses."""
    from ..options import Tier
    from ..pipeline import AnalysisOptions, Analyzer

    options = AnalysisOptions(model=Tier(model))
    if options not in _analyzers:
        analyzer = Analyzer(options)
        # what the extractors load lazily (models, lexicons, matcher patterns) is loaded here, outside the memory
        # zone each partition runs in, so that it stays when the zone's strings are dropped
        analyzer.analyze(Article(text=WARM_UP_TEXT))
        _analyzers[options] = analyzer
    return _analyzers[options]


def plan_task(number: int, path: str, size: int) -> dict:
    plan = plan_input(number, path, size)
    return {"partitions": [p.to_dict() for p in plan.partitions], "failures": plan.failures}


def _staged_path(out: Path, pid: str) -> Path:
    return out / WORK / "read" / f"{pid}.articles.jsonl.gz"


def _summary_path(out: Path, pid: str) -> Path:
    return out / WORK / "read" / f"{pid}.json"


def read_task(part: dict, filters: FilterOptions, out: str) -> dict:
    """Read and filter one partition; stage its articles. The summary (counts, failures, duplicate keys) is
    written last, so its presence means the read finished."""
    partition = Partition.from_dict(part)
    root = Path(out)
    read = read_partition(partition, filters)
    lines = [json.dumps({"record": s.record, "article": s.article.model_dump(mode="json")}, ensure_ascii=False)
             for s in read.articles]
    atomic_write_bytes(_staged_path(root, partition.pid), gzip.compress("\n".join(lines).encode("utf-8"), 5))
    summary = {"pid": partition.pid, "counts": dict(read.counts), "languages": dict(read.languages),
               "failures": read.failures, "keys": [list(dedup_keys(s.article)) for s in read.articles]}
    atomic_write_json(_summary_path(root, partition.pid), summary)
    return summary


def load_staged(out: Path, pid: str) -> list[tuple[object, Article]]:
    data = gzip.decompress(_staged_path(out, pid).read_bytes()).decode("utf-8")
    rows = [json.loads(line) for line in data.split("\n") if line]
    return [(row["record"], Article.model_validate(row["article"])) for row in rows]


def analyze_task(part: dict, out: str, drop: list[int], model: str) -> dict:
    """Analyse the partition's staged articles but those in ``drop`` (duplicates) and write its tables."""
    from ..batch import failure_of

    partition = Partition.from_dict(part)
    root = Path(out)
    dropped = set(drop)
    staged = [item for i, item in enumerate(load_staged(root, partition.pid)) if i not in dropped]
    records = {id(article): record for record, article in staged}
    reports, failures = [], []
    started = time.process_time()
    with _analyzer_lock:
        analyzer = worker_analyzer(model)
        memory = _flat_memory.setdefault(id(analyzer), FlatMemory(analyzer.nlp))
        articles = [article for _, article in staged]
        warm = memory.outside_zone([article.text for article in articles])
        # the worker's first articles are parsed outside a zone until the tokenizer's cache is full (it caches
        # nothing inside one); the rest in a zone that drops, when it ends, the strings, lexemes and lemmatizer
        # entries their texts added: a worker that analyses a whole archive keeps the memory it had after warm-up
        outcomes = list(analyzer.analyze_stream(articles[:warm])) if warm else []
        if warm < len(articles):
            with memory.zone():
                outcomes += analyzer.analyze_stream(articles[warm:])
        for article, outcome in outcomes:
            if isinstance(outcome, Exception):
                failures.append(failure(partition.path, records[id(article)], failure_of(article, outcome).reason,
                                        article.url))
            else:
                reports.append(outcome)
    files = write_partition_tables(root, partition.pid, reports)
    return {"pid": partition.pid, "files": files, "analysed": len(reports), "failures": failures,
            "cpu_seconds": time.process_time() - started, "worker_pid": os.getpid(), "rss_mib": _resident_mib()}


def _resident_mib() -> float:
    """The worker's resident memory between partitions (after the zone's memory was released): what the worker
    keeps, the figure whose growth ``sourcetrace bench batch`` reports."""
    import psutil  # a dependency of distributed

    return psutil.Process().memory_info().rss / 2**20


# ------------------------------------------------------------------------------------------ driver side

def _inputs_fingerprint(files: list[Path]) -> list[dict]:
    return [{"path": str(p), "size": p.stat().st_size} for p in files]


class Manifest:
    """``DIR/manifest.json``: the job, the finished partitions with their counts and failures. Only the driver
    writes it, whole, under a temporary name."""

    def __init__(self, out: Path, data: dict):
        self.out = out
        self.data = data

    @classmethod
    def new(cls, out: Path, inputs: list[dict], config: BatchConfig) -> "Manifest":
        return cls(out, {"format": MANIFEST_FORMAT, "inputs": inputs, "config": config.to_dict(), "partitions": {},
                         "plan": None, "complete": False, "summary": None})

    @property
    def finished(self) -> dict[str, dict]:
        return self.data["partitions"]

    def save(self) -> None:
        atomic_write_json(self.out / MANIFEST, self.data)


def check_out(out: Path, resume: bool) -> None:
    """Refuse an ``--out`` the job must not write into (before any cluster is started)."""
    if (out / MANIFEST).is_file():
        if not resume:
            raise BatchError(f"{out}: holds a batch already (manifest.json); add --resume to finish it, or choose another --out")
    elif out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BatchError(f"{out}: not an empty folder and holds no batch manifest; choose an empty or new --out folder")


def _open_manifest(out: Path, files: list[Path], config: BatchConfig, resume: bool) -> tuple[Manifest, bool]:
    inputs = _inputs_fingerprint(files)
    check_out(out, resume)
    existing = load_manifest(out)
    if existing is None:
        return Manifest.new(out, inputs, config), False
    if existing.get("format") != MANIFEST_FORMAT:
        raise BatchError(f"{out}: manifest.json is not a sourcetrace batch manifest ({existing.get('format')!r})")
    if existing["inputs"] != inputs or existing["config"] != config.to_dict():
        raise BatchError(f"{out}: --resume needs the same inputs and options as the run that began it "
                         f"(that run: {len(existing['inputs'])} file(s), {json.dumps(existing['config'])})")
    return Manifest(out, existing), True


def _plan(client, files: list[Path], size: int) -> tuple[list[Partition], list[dict]]:
    archives = [(i, p) for i, p in enumerate(files) if input_kind(p) != "files"]
    others = [p for p in files if input_kind(p) == "files"]
    futures = [client.submit(plan_task, i, str(p), size, key=f"plan-{i:04d}-{uuid.uuid4().hex[:8]}", pure=False)
               for i, p in archives]
    partitions: list[Partition] = []
    failures: list[dict] = []
    for (_, path), future in zip(archives, futures, strict=True):
        try:
            result = future.result()
        except Exception as exc:  # the first pass itself failed: nothing of this file can be read
            failures.append(failure(str(path), "record 0", f"cannot split ({exc.__class__.__name__}: {exc})"))
            continue
        partitions += [Partition.from_dict(p) for p in result["partitions"]]
        failures += result["failures"]
    if others:
        partitions += plan_files(len(files), others, size)
    return partitions, failures


def run_batch(inputs: list[str], out: Path, client, config: BatchConfig = BatchConfig(), resume: bool = False,
              events: BatchEvents | None = None) -> BatchSummary:
    """Analyse ``inputs`` on the cluster behind ``client`` into the dataset at ``out``. Raises ``BatchError`` for
    a usage error; records that cannot be read or analysed are failures in the dataset, never exceptions."""
    from distributed import as_completed

    events = events or BatchEvents()
    started = time.perf_counter()
    files, missing = expand_inputs(inputs)
    if not files:
        raise BatchError("; ".join(f"{value}: {reason}" for value, reason in missing) or "no input")
    manifest, resumed = _open_manifest(out, files, config, resume)
    out.mkdir(parents=True, exist_ok=True)
    remove_temporaries(out)
    if manifest.data["plan"] is None:
        partitions, plan_failures = _plan(client, files, config.partition_size)
        manifest.data["plan"] = {"partitions": [p.to_dict() for p in partitions], "failures": plan_failures}
        manifest.save()
    plan = manifest.data["plan"]
    partitions = [Partition.from_dict(p) for p in plan["partitions"]]
    plan_failures = [*plan["failures"], *(failure(value, None, reason) for value, reason in missing)]
    summary = BatchSummary(partitions=len(partitions), resumed=len(manifest.finished) if resumed else 0)
    events.planned(len(partitions), len(manifest.finished))

    token = uuid.uuid4().hex[:8]
    filters = config.filters
    summaries: dict[str, dict] = {}
    stage_of: dict = {}
    for part in partitions:
        saved = _summary_path(out, part.pid)
        staged = _staged_path(out, part.pid)
        if saved.is_file() and (part.pid in manifest.finished or staged.is_file()):
            summaries[part.pid] = json.loads(saved.read_text(encoding="utf-8"))
    # reads go first (they are quick, and every analysis waits for the keys of the partitions before it)
    pending = as_completed()
    for part in partitions:
        if part.pid not in summaries:
            future = client.submit(read_task, part.to_dict(), filters, str(out), key=f"read-{part.pid}-{token}",
                                   priority=10, pure=False)
            stage_of[future.key] = ("read", part)
            pending.add(future)

    seen_urls: set[str] = set()
    seen_texts: set[str] = set()
    duplicates: dict[str, Counter] = {}
    next_index = 0  # partitions before this one have had their duplicates decided
    read_failed: dict[str, str] = {}

    def decide_duplicates() -> None:
        """In input order, as far as the reads have come: mark duplicates, then start the analysis."""
        nonlocal next_index
        while next_index < len(partitions):
            part = partitions[next_index]
            if part.pid not in summaries and part.pid not in read_failed:
                return
            next_index += 1
            drop: list[int] = []
            dup = duplicates[part.pid] = Counter()
            # the keys are spent once seen: only the sets of kept ones stay in the driver's memory
            for i, (url, digest) in enumerate(summaries.get(part.pid, {}).pop("keys", [])):
                if url is not None and url in seen_urls:
                    dup["duplicate_url"] += 1
                    drop.append(i)
                elif digest in seen_texts:
                    dup["duplicate_text"] += 1
                    drop.append(i)
                else:
                    if url is not None:
                        seen_urls.add(url)
                    seen_texts.add(digest)
            if part.pid in manifest.finished or part.pid in read_failed:
                continue
            future = client.submit(analyze_task, part.to_dict(), str(out), drop, config.model,
                                   key=f"analyze-{part.pid}-{token}", pure=False)
            stage_of[future.key] = ("analyze", part)
            pending.add(future)

    decide_duplicates()
    for future in pending:
        stage, part = stage_of.pop(future.key)
        # the result, not the status: a task finished on a worker that dies before its result is gathered is
        # pending again (Dask computes it once more elsewhere), and result() waits for that second run
        try:
            result = future.result()
        except Exception as exc:
            reason = f"partition not finished: {stage} failed ({exc.__class__.__name__}: {exc})"
            read_failed[part.pid] = reason
            summary.failed_partitions.append(part.pid)
            events.partition_failed(part.pid, reason)
            if stage == "read":
                decide_duplicates()
            continue
        if stage == "read":
            summaries[part.pid] = result
            decide_duplicates()
            continue
        read = summaries[part.pid]
        counts = Counter(read["counts"]) + duplicates[part.pid]
        counts["analysed"] += result["analysed"]
        counts["failed_analysis"] += len(result["failures"])
        manifest.finished[part.pid] = {
            "input": part.path, "kind": part.kind, "first": part.first, "count": part.count, "files": result["files"],
            "counts": dict(counts), "languages": read["languages"], "failures": [*read["failures"], *result["failures"]],
            "cpu_seconds": round(result["cpu_seconds"], 3), "worker_pid": result["worker_pid"],
            "rss_mib": round(result["rss_mib"], 1),
        }
        manifest.save()
        _staged_path(out, part.pid).unlink(missing_ok=True)  # analysed and recorded: its staged copy is spent
        events.partition_done(part.pid, result["analysed"], len(read["failures"]) + len(result["failures"]))

    failures = list(plan_failures)
    for part in partitions:
        entry = manifest.finished.get(part.pid)
        if entry is None:
            reason = read_failed.get(part.pid, "partition not finished")
            failures.append(failure(part.path, f"records {part.first}-{part.first + part.count - 1}", reason))
            continue
        summary.counts.update(entry["counts"])
        summary.languages.update(entry["languages"])
        failures += entry["failures"]
    summary.counts["failed_read"] += len(plan["failures"])
    summary.finished = len(manifest.finished)
    summary.failures = write_failures(out, failures)
    summary.seconds = time.perf_counter() - started
    manifest.data["complete"] = summary.complete
    manifest.data["summary"] = {"counts": {k: summary.counts.get(k, 0) for k in COUNT_KEYS},
                                "languages": dict(summary.languages), "failures": summary.failures,
                                "partitions": summary.partitions, "finished": summary.finished}
    manifest.save()
    remove_temporaries(out)
    return summary


# Dask's own periodic work on each worker, made rarer: a worker here runs minutes-long CPU-bound tasks, and the
# statistical profiler (a stack sample every 10 ms, for the dashboard's profile page), the event-loop tick
# check (every 20 ms) and the system and memory monitors (500 and 100 ms) each wake the event loop, which then
# takes the GIL from the analysis. Measured on 60 AllSides pages, one worker against in-process analysis
# (load 4-6): 0.79x with Dask's defaults, 0.86x without the profiler, 0.89x with all four.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def local_cluster(workers: int | None = None, dashboard: bool = True):
    """A LocalCluster of ``workers`` processes (default: the cores) with one thread each (spaCy analyses one
    document at a time per process), configured with ``WORKER_CONFIG``."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(WORKER_CONFIG):  # the nannies pass the configuration to the worker processes
        return LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                            dashboard_address=":0" if dashboard else None)


def start_client(workers: int | None = None, scheduler: str | None = None):
    """A ``distributed.Client``: on the cluster at ``scheduler``, or on a ``local_cluster`` of ``workers``."""
    from distributed import Client

    if scheduler:
        return Client(scheduler)
    return Client(local_cluster(workers))


def summary_lines(summary: BatchSummary) -> Iterable[str]:
    c = summary.counts
    yield (f"{c['records']} records: {c['analysed']} articles analysed, "
           f"{c['failed_read'] + c['failed_analysis']} failed ({c['failed_read']} unreadable, "
           f"{c['failed_analysis']} in analysis)")
    languages = ", ".join(f"{lang} {n}" for lang, n in summary.languages.most_common())
    yield (f"skipped: {c['http_status']} not HTTP 2xx (redirects, errors), {c['not_html']} not HTML, "
           f"{c['not_article']} not articles, {c['language']} other languages" + (f" ({languages})" if languages else "")
           + f", {c['duplicate_url']} duplicate URLs, {c['duplicate_text']} duplicate texts")
    yield (f"partitions: {summary.finished}/{summary.partitions} finished"
           + (f" ({summary.resumed} by an earlier run)" if summary.resumed else "")
           + (f", {len(summary.failed_partitions)} failed (run again with --resume)" if summary.failed_partitions else ""))
