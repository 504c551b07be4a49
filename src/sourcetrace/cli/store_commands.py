"""``sourcetrace ingest``, ``export`` and ``serve``: the corpus store and its web app."""
from __future__ import annotations

import ipaddress
import sys
from collections import deque
from enum import Enum
from pathlib import Path

import typer

from .. import formats
from ..errors import InputError
from ..ingest import MAX_BYTES, ReadOptions, read_inputs
from ..model import Article
from ..options import DEFAULT_STORE_URL as DEFAULT_URL
from .app import app
from ..options import Tier
from .common import confidence_threshold, console_err, fail_line, min_confidence_option, model_option, progress, warn_line

LOG_EVERY = 100
DB_HELP = "Database URL: sqlite:///PATH (default) or postgresql+psycopg://USER:PASS@HOST/DB; a bare path means SQLite."


# the choices of export --format: every format of the registry (sourcetrace.formats), and the readers'
# corrections as attribution gold (a store export, not a rendering of reports)
CORRECTIONS = "corrections"
ExportFormat = Enum("ExportFormat", [(name, name) for name in [*formats.FORMATS, CORRECTIONS]],  # type: ignore[misc]
                    type=str)


def open_store(db: str):
    from sqlalchemy.exc import SQLAlchemyError

    from ..store import Store

    try:
        return Store(db)
    except (SQLAlchemyError, OSError) as exc:
        fail_line(f"{db}: cannot open the store ({exc.__class__.__name__}: {str(exc).splitlines()[0]})")
        raise typer.Exit(2) from None


@app.command()
def ingest(
    inputs: list[str] | None = typer.Argument(None, help="Files, directories, URLs, .jsonl(.gz) collections, or - for stdin."),
    db: str = typer.Option(DEFAULT_URL, "--db", help=DB_HELP),
    model: Tier = model_option("Model tier: fast, or accurate (fine-tuned transformers, a few times slower)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Worker processes for analysis."),
    max_bytes: int = typer.Option(MAX_BYTES, "--max-bytes", min=1, help="Refuse inputs larger than this."),
    from_parquet: Path | None = typer.Option(None, "--from-parquet", help="Load the reports of a `sourcetrace batch` dataset (its --out folder) without analysing again."),
):
    """Analyse articles and keep them in the store; already-stored articles are skipped, so a re-run resumes."""
    if from_parquet is not None:
        if inputs:
            fail_line("give inputs to analyse or --from-parquet DIR, not both")
            raise typer.Exit(2)
        from .batch import ingest_dataset

        raise typer.Exit(ingest_dataset(from_parquet, open_store(db)))
    if not inputs:
        fail_line("nothing to ingest: give files, directories, URLs or - (or --from-parquet DIR)")
        raise typer.Exit(2)
    from sqlalchemy.exc import SQLAlchemyError

    from ..batch import ArticleFailure, analyze_articles
    from ..desk import Desk
    from ..pipeline import AnalysisOptions, article_id

    store = open_store(db)
    desk = Desk(store)  # the ingest sequence: analyse, store with the page body, place in stories
    stored = skipped = failed = 0
    # counted apart: with --workers the pool's feeder thread runs the reading generator
    read = {"failed": 0, "skipped": 0}
    in_flight: deque[Article] = deque()  # read and sent to analysis, in order: outcomes come back in the same order

    def to_analyse():
        for result in read_inputs(inputs, ReadOptions(max_bytes=max_bytes)):
            if isinstance(result, InputError):
                read["failed"] += 1
                fail_line(str(result))
            elif store.has(article_id(result)) or store.has_text(result.text):
                read["skipped"] += 1  # checked before analysis so a resumed run does not redo finished work
            else:
                for warning in result.warnings:
                    warn_line(f"{result.origin or '<input>'}: {warning}")
                in_flight.append(result)
                yield result

    # the bar is drawn on a terminal only; in a log, a line every LOG_EVERY articles shows the run is alive
    log_every = 0 if sys.stderr.isatty() else LOG_EVERY
    with progress(True) as bar:
        task = bar.add_task("ingesting", total=None)
        outcomes = analyze_articles(to_analyse(), AnalysisOptions(model=model), workers=workers)
        for done, outcome in enumerate(outcomes, 1):
            article = in_flight.popleft()
            if isinstance(outcome, ArticleFailure):
                failed += 1
                fail_line(str(outcome))
            else:
                try:
                    added = desk.add(article, outcome)
                except SQLAlchemyError as exc:  # e.g. a NUL byte PostgreSQL will not keep: this article only
                    failed += 1
                    fail_line(f"{article.origin or outcome.id}: cannot store ({exc.__class__.__name__}: {str(exc).splitlines()[0]})")
                else:
                    stored += added
                    skipped += not added  # a duplicate within this run's inputs
            bar.advance(task)
            if log_every and done % log_every == 0:
                console_err.print(f"ingest: {done} analysed ({stored} stored, {failed + read['failed']} failed)")
    failed += read["failed"]
    skipped += read["skipped"]
    placed = desk.place_new()
    console_err.print(f"stored {stored}, skipped {skipped} (already present), failed {failed}; {store.count()} articles in the store"
                      + (f"; {placed} placed in stories" if placed else ""))
    store.close()
    raise typer.Exit(1 if failed else 0)


@app.command()
def export(
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="; ".join(
        [f"{f.name}: {f.description}" for f in formats.FORMATS.values()]
        + [f"{CORRECTIONS}: the corrected articles as attribution gold (a directory `sourcetrace eval speakers "
           "--gold` reads)"])),
    output: Path = typer.Option(..., "--output", "-o", help="File to write (a directory for brat and corrections)."),
    db: str = typer.Option(DEFAULT_URL, "--db", help=DB_HELP),
    min_confidence: str | None = min_confidence_option(),
):
    """Write every stored report out for other tools."""
    threshold = confidence_threshold(min_confidence)
    if threshold is not None and fmt.value == CORRECTIONS:
        fail_line(f"--min-confidence: {CORRECTIONS} writes readers' gold, which has no confidences to filter")
        raise typer.Exit(2)
    store = open_store(db)
    try:
        if fmt.value == CORRECTIONS:
            from ..store.corrections import export_gold

            n = export_gold(store, output)
        else:
            from ..readings import readings_at_least

            reports = (readings_at_least(r, threshold) for r in store.iter_reports())
            n = formats.get(fmt.value).write_to(reports, output)
    except OSError as exc:
        fail_line(f"{output}: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    finally:
        store.close()
    console_err.print(f"wrote {n} articles to {output} ({fmt.value})")


def missing_sqlite_file(db: str) -> Path | None:
    """The SQLite file ``db`` names when it does not exist (None for other databases and in-memory ones)."""
    from sqlalchemy.engine import make_url

    from ..store.store import normalise_url

    try:
        url = make_url(normalise_url(db))
    except Exception:  # a malformed URL is reported by open_store
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    path = Path(url.database)
    return None if path.exists() else path


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: str = typer.Option(DEFAULT_URL, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; loopback by default."),
    port: int = typer.Option(8765, "--port", min=1, max=65535),
    token: str | None = typer.Option(None, "--token", envvar="SOURCETRACE_TOKEN", help="Require this bearer token on every request."),
    workers: int = typer.Option(1, "--workers", min=1, help="Server processes (uvicorn workers)."),
    model: Tier = model_option("Model tier of the analyze form and POST /api/v1/analyze: fast, or accurate (slower)."),
    create: bool = typer.Option(False, "--create", help="Create the database file if it does not exist."),
):
    """Run the web app and REST API (pages at /, API at /api/v1, docs at /api/v1/docs)."""
    import uvicorn

    from ..pipeline import AnalysisOptions
    from ..web.app import LOOPBACK_HOSTS, create_app
    from ..web.fragments import prerender

    if token is not None and not token.strip():
        fail_line("--token: an empty token would turn authentication off; give a token, or leave --token out")
        raise typer.Exit(2)
    missing = missing_sqlite_file(db)
    if missing is not None and not create:
        # a mistyped file name would otherwise serve a new, empty store without a word
        fail_line(f"{db}: no such database file ({missing}); check the name, or pass --create to start an empty store")
        raise typer.Exit(2)
    if not is_loopback(host) and not token:
        console_err.print(f"warning: serving on {host} without --token: anyone who can reach it can read and add articles")
    store = open_store(db)  # migrate once and report a bad URL before the server starts
    rendered = prerender(store)  # page bodies an older version did not store: written now, never by a page view
    if rendered:
        console_err.print(f"rendered {rendered} article page bodies")
    store.close()
    console_err.print(f"serving {db} on http://{host}:{port}/ (API docs at /api/v1/docs)")
    # on loopback only loopback names may appear in Host: a DNS-rebinding page cannot reach the app
    allowed_hosts = [*LOOPBACK_HOSTS, host] if is_loopback(host) else None
    if workers > 1:
        import os

        os.environ["SOURCETRACE_DB"] = db
        if token:
            os.environ["SOURCETRACE_TOKEN"] = token
        if allowed_hosts:
            os.environ["SOURCETRACE_ALLOWED_HOSTS"] = ",".join(allowed_hosts)
        os.environ["SOURCETRACE_MODEL"] = model.value
        uvicorn.run("sourcetrace.web.app:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="warning", access_log=False)
    else:
        uvicorn.run(create_app(db, token=token, allowed_hosts=allowed_hosts, options=AnalysisOptions(model=model)), host=host, port=port, log_level="warning", access_log=False)
    sys.exit(0)
