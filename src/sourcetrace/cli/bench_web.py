"""``sourcetrace bench web``: fill a store and time the article page and the API under concurrent clients.

The server is the real ``sourcetrace serve`` in a subprocess on a loopback port; the clients are
asyncio tasks, one keep-alive HTTP/1.1 connection each, each sending its next request as soon as the
previous answer is read (a closed loop: N clients means at most N requests in flight), on the same machine.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from .bench import DOCS_FILE, bench_app
from .common import console_err, fail_line, progress

COPY_MARK = "\n\n[bench copy {n}]"


@dataclass
class Scenario:
    name: str
    paths: list[str]
    clients: int = 1
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def pct(self, q: float) -> float:
        data = sorted(self.latencies_ms)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, int(round(q / 100 * (len(data) - 1))))]

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


def fill_store(store, corpus: str, target: int, reports_file: Path | None, analyse_limit: int) -> dict[str, int]:
    """Store ``target`` corpus articles. Real reports come from ``reports_file`` (v1 JSONL) or live analysis of the
    first ``analyse_limit`` articles; the rest reuse those reports (their analysed text plus a marker line, so spans
    stay valid and the content hash differs) under the other articles' ids, titles, outlets and dates."""
    from ..errors import InputError
    from ..ingest import read_inputs
    from ..model import Article, ArticleReport
    from ..pipeline import AnalysisOptions, Analyzer

    real: dict[str, ArticleReport] = {}
    if reports_file is not None:
        with reports_file.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    known = ArticleReport.from_dict(json.loads(line))
                    real[known.id] = known
    analyzer = Analyzer(AnalysisOptions()) if not real and analyse_limit else None
    pool: list[ArticleReport] = []
    counts = {"analysed": 0, "reused": 0, "skipped": 0}
    with progress(True) as bar:
        task = bar.add_task("filling", total=target)
        n = 0
        for item in read_inputs([corpus]):
            if n >= target:
                break
            if isinstance(item, InputError):
                fail_line(str(item))
                continue
            n += 1
            bar.advance(task)
            if store.has(item.id or ""):
                counts["skipped"] += 1
                continue
            report = real.get(item.id or "")
            if report is None and analyzer is not None and counts["analysed"] < analyse_limit:
                report = analyzer.analyze(item)
            if report is not None:
                pool.append(report)
                counts["analysed"] += 1
                store.add(item, report)
                continue
            if not pool:
                pool.extend(real.values())
            if not pool:
                raise typer.BadParameter("no analysed report to reuse: give --reports or --analyse > 0")
            base = pool[n % len(pool)]
            copy = base.model_copy(update={
                "id": item.id, "title": item.title, "outlet": item.outlet, "published": item.published, "url": item.url,
                "authors": item.authors, "text": base.text + COPY_MARK.format(n=n),
            })
            store.add(Article(text=copy.text, id=item.id, meta={"bench_copy_of": base.id}), copy)
            counts["reused"] += 1
    return counts


def count_copies(db: str) -> int:
    """Articles stored by ``fill_store`` as copies of an analysed report (marked in their meta)."""
    from sqlalchemy import func, select

    from ..store import Store
    from ..store.models import ArticleRow

    store = Store(db)
    try:
        with store.Session() as session:
            return session.scalar(select(func.count()).where(ArticleRow.origin.is_(None), ArticleRow.text.contains("[bench copy "))) or 0
    finally:
        store.close()


def uncached_costs(store, ids: list[str], words: list[str]) -> dict[str, float]:
    """Median in-process milliseconds of what the caches save: reading a report and rendering its page body; a search."""
    from statistics import median

    from ..store.queries import ArticleQuery, list_articles
    from ..web.fragments import render_body

    def timed(fn, args) -> float:
        times = []
        for arg in args:
            began = time.perf_counter()
            fn(arg)
            times.append((time.perf_counter() - began) * 1000)
        return median(times) if times else float("nan")

    return {"render_ms": timed(lambda article_id: render_body(store.get_report(article_id)), ids),
            "search_ms": timed(lambda w: list_articles(store, ArticleQuery(q=w)), words)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "sourcetrace", "serve", "--db", db, "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


async def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                assert proc.stderr is not None  # start_server opens it with stderr=PIPE
                raise RuntimeError(f"server exited: {proc.stderr.read()[-2000:]}")
            try:
                if (await client.get(base + "/api/v1/articles?per_page=1")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("server did not answer in time")


async def _fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    """One keep-alive HTTP/1.1 GET; returns the status. A bare client: httpx's own per-request cost and pool
    locking dominate at 50 concurrent connections on 2 cores, and would be measured instead of the server."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\n\r\n".encode("ascii"))
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def run_scenario(base: str, scenario: Scenario, clients: int) -> None:
    """``clients`` connections, each sending its next request as soon as the previous answer is read."""
    from urllib.parse import urlparse

    parsed = urlparse(base)
    host, port = parsed.hostname, parsed.port
    queue = iter(scenario.paths)

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for path in queue:  # a shared iterator: each client takes the next request when it is free
                start = time.perf_counter()
                try:
                    ok = await asyncio.wait_for(_fetch(reader, writer, f"{host}:{port}", path), 60) == 200
                except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
                    ok = False
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                elapsed = (time.perf_counter() - start) * 1000
                if ok:
                    scenario.latencies_ms.append(elapsed)
                else:
                    scenario.errors += 1
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    scenario.seconds = time.perf_counter() - began


def _markdown(scenarios: list[Scenario], info: dict, command: str) -> str:
    from ..docblocks import machine, today

    lines = [
        "## Web app under load",
        "",
        f"Measured {today()} on {machine()}, shared with other jobs (1-minute load average {info['load']:.1f} when the "
        f"run began; server and client at niceness {info['nice']}, as this machine's rules ask) on the same machine.",
        f"Store: SQLite, {info['articles']:,} articles ({info['fill']}). Server: `sourcetrace serve` "
        f"({info['workers']} uvicorn worker{'s' if info['workers'] > 1 else ''}) on 127.0.0.1; clients: "
        f"{info['clients']} concurrent keep-alive connections (asyncio, closed loop), {info['requests']:,} requests per row "
        f"after {info['warmup']} warm-up requests, random article ids. With 1 client the latency is the service time; "
        "with N clients p50 is about N / throughput. Target: p99 < 200 ms at 50 clients.",
        f"Caches, as served: an article page is its body rendered when the article was stored (kept in `article_pages`; "
        f"bodies missing from an older store are rendered before timing, as first views would: {info['pages_rendered']:,} "
        f"this run; reading a report and rendering its body costs {info['render_ms']:.1f} ms, median in-process) in the page frame, with an ETag (these clients never send "
        "If-None-Match) and a 512-page LRU per worker that random ids among 10,000 seldom hit. List and search results are "
        "kept per (query, store version): the list rows ask 50 pages and the search rows 10 words, so after warm-up most "
        f"are answered from that cache; a search not cached costs {info['search_ms']:.1f} ms (median over the 10 words, "
        "in-process: FTS5 bm25 ranks every match).",
        f"Command: `{command}`",
        "",
        "| endpoint | clients | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms | p99 < 200 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in scenarios:
        lines.append(
            f"| {s.name} | {s.clients} | {len(s.latencies_ms)} | {s.errors} | {s.rps:.0f} | {s.pct(50):.1f} | {s.pct(90):.1f} | "
            f"{s.pct(99):.1f} | {max(s.latencies_ms, default=float('nan')):.1f} | {'yes' if s.pct(99) < 200 else 'no'} |"
        )
    return "\n".join(lines)


@bench_app.command("web")
def bench_web(
    db: str = typer.Option("sqlite:///bench-web.db", "--db", help="Store to fill (if short of --articles) and serve."),
    corpus: str = typer.Option("../shared/data/allsides/articles.jsonl.gz", "--corpus", help="Articles to fill the store from."),
    articles: int = typer.Option(10_000, "--articles", min=1, help="Fill the store up to this many articles."),
    reports: Path | None = typer.Option(None, "--reports", exists=True, dir_okay=False, help="Analysed v1 reports (JSONL, e.g. from `sourcetrace analyze -f jsonl`) to store instead of analysing."),
    analyse: int = typer.Option(200, "--analyse", min=0, help="Without --reports: analyse this many articles live; the rest reuse their reports."),
    clients: str = typer.Option("1,50", "--clients", help="Concurrent clients: one run per comma-separated count."),
    requests: int = typer.Option(2000, "--requests", min=1, help="Timed requests per endpoint."),
    warmup: int = typer.Option(100, "--warmup", min=0, help="Untimed requests first."),
    workers: int = typer.Option(1, "--workers", min=1, help="uvicorn worker processes for the server."),
    seed: int = typer.Option(7, "--seed", help="Random seed for the article ids requested."),
    write_docs: bool = typer.Option(False, "--write-docs", help=f"Rewrite the web block of {DOCS_FILE}."),
):
    """Latency (p50/p99) of the article page and the API at N concurrent clients on loopback."""
    from urllib.parse import quote

    from ..docblocks import command_line, write_block
    from ..store import Store
    from ..web.fragments import prerender

    store = Store(db)
    fill = {"analysed": 0, "reused": 0, "skipped": store.count()}
    if store.count() < articles:
        fill = fill_store(store, corpus, articles, reports, analyse)
    # a store filled before article bodies were kept (or by older rendering code) is brought up to date, as the
    # first view of each page would do
    fill["pages_rendered"] = prerender(store)
    ids = store.ids()
    total = len(ids)
    words = ["president", "said", "officials", "election", "court", "health", "border", "economy", "police", "senate"]
    uncached = uncached_costs(store, random.Random(seed).sample(ids, min(50, total)), words)
    store.close()
    console_err.print(f"store has {total} articles ({fill})")
    rng = random.Random(seed)

    def sample(template: str, n: int) -> list[str]:
        return [template.format(quote(rng.choice(ids), safe="")) for _ in range(n)]

    try:
        counts = [int(c) for c in clients.split(",") if c.strip()]
    except ValueError:
        raise typer.BadParameter(f"--clients {clients!r}: comma-separated numbers") from None
    scenarios = []
    for n_clients in counts:
        n = requests + warmup
        scenarios += [
            Scenario("article page `GET /articles/{id}`", sample("/articles/{}", n), n_clients),
            Scenario("API report `GET /api/v1/articles/{id}`", sample("/api/v1/articles/{}", n), n_clients),
            Scenario("API search `GET /api/v1/search?q=WORD`", [f"/api/v1/search?q={rng.choice(words)}" for _ in range(n)], n_clients),
            Scenario("list page `GET /?page=N`", [f"/?page={rng.randint(1, 50)}" for _ in range(n)], n_clients),
        ]
    load_before = os.getloadavg()[0]
    port = free_port()
    proc = start_server(db, port, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_ready(base, proc))
        for s in scenarios:
            timed = Scenario(s.name, s.paths[warmup:], s.clients)
            asyncio.run(_warm_then_run(base, s.paths[:warmup], timed, s.clients))
            s.latencies_ms, s.errors, s.seconds = timed.latencies_ms, timed.errors, timed.seconds
            console_err.print(f"{s.name}, {s.clients} clients: p50 {s.pct(50):.1f} ms, p99 {s.pct(99):.1f} ms, {s.rps:.0f} req/s, {s.errors} errors")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    table = Table(title=f"{total} articles")
    for col in ("endpoint", "clients", "ok", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"):
        table.add_column(col, justify="left" if col == "endpoint" else "right")
    for s in scenarios:
        table.add_row(s.name, str(s.clients), str(len(s.latencies_ms)), str(s.errors), f"{s.rps:.0f}", f"{s.pct(50):.1f}",
                      f"{s.pct(90):.1f}", f"{s.pct(99):.1f}", f"{max(s.latencies_ms, default=float('nan')):.1f}")
    Console().print(table)
    if write_docs:
        copies = count_copies(db)
        fill_note = (f"{total - copies:,} analysed for real, {copies:,} reusing those reports with their own ids, "
                     "titles, outlets and dates" if copies else "all analysed for real")
        info = {"articles": total, "fill": fill_note, "workers": workers, "clients": " and ".join(map(str, counts)), "requests": requests,
                "warmup": warmup, "load": load_before, "nice": os.nice(0),
                "pages_rendered": fill["pages_rendered"], **uncached}
        write_block(DOCS_FILE, "web", _markdown(scenarios, info, command_line()), title="Benchmarks", markers=("start", "end"))
        console_err.print(f"wrote the web block of {DOCS_FILE}")
    if any(s.errors for s in scenarios):
        raise typer.Exit(1)


async def _warm_then_run(base: str, warm: list[str], timed: Scenario, clients: int) -> None:
    warm_scenario = Scenario("warm-up", warm)
    await run_scenario(base, warm_scenario, clients)
    await run_scenario(base, timed, clients)
