"""``sourcetrace bench long``: the extractors' CPU time on ever longer texts, to see whether it grows with the length.

Articles of a corpus are joined into one text, parsed once and cut at paragraph breaks into prefixes of the
sizes asked for; every size runs the same extractors on its part of the same parse, so only the extractors'
time is compared (the parse of a long text is timed by ``sourcetrace bench``). Time that grows linearly
with the text takes 4x at 400,000 characters what it takes at 100,000.
"""
from __future__ import annotations

import cProfile
import io
import os
import pstats
import time
from pathlib import Path

import typer

from .bench import bench_app
from .common import console_err, fail_line


def joined_text(corpus: str, characters: int) -> str:
    """The corpus's article texts joined by blank lines, cut at a paragraph break at most ``characters`` long."""
    from ..errors import InputError
    from ..ingest import read_inputs
    from ..textguard import boundary_before

    texts: list[str] = []
    total = 0
    for item in read_inputs([corpus]):
        if isinstance(item, InputError):
            fail_line(str(item))
            continue
        texts.append(item.text)
        total += len(item.text) + 2
        if total > characters + 10_000:
            break
    text = "\n\n".join(texts)
    return text[:boundary_before(text, characters, characters * 3 // 4)]


def parsed(analyzer, text: str, cache: Path | None):
    """The parse of ``text``: from ``cache`` when it holds this very text, else parsed (and written there)."""
    from spacy.tokens import Doc

    from ..nlp import parse

    if cache is not None and cache.exists():
        doc = Doc(analyzer.nlp.vocab).from_bytes(cache.read_bytes())
        if doc.text == text:
            return doc
        console_err.print(f"{cache} holds another text: parsing again")
    started = time.process_time()
    doc = parse(analyzer.nlp, text)
    console_err.print(f"parsed {len(text):,} characters in {time.process_time() - started:.1f} CPU s")
    if cache is not None:
        partial = cache.with_name(cache.name + ".partial")
        partial.write_bytes(doc.to_bytes())
        os.replace(partial, cache)  # whole or not at all: a stopped run leaves no half-written cache
    return doc


def prefix(doc, size: int):
    """The part of ``doc`` up to the last paragraph break at most ``size`` characters in, as its own ``Doc``."""
    from ..textguard import boundary_before

    cut = boundary_before(doc.text, size, size // 2)
    if cut >= len(doc.text):
        return doc
    end = next(t.i for t in doc if t.idx >= cut)
    return doc[:end].as_doc()


def time_extractors(analyzer, doc, profiler: cProfile.Profile | None = None):
    """Each extractor's CPU seconds on ``doc`` (name -> seconds, in pipeline order) and the report."""
    from ..model import Article
    from ..pipeline import Context, empty_report

    article = Article(text=doc.text)
    ctx = Context(article=article, doc=doc, report=empty_report(article), options=analyzer.options,
                  lexicons=analyzer.language.lexicon_files())
    seconds: dict[str, float] = {}
    for extractor in analyzer.extractors:
        started = time.process_time()
        if profiler is not None:
            profiler.enable()
        extractor(ctx)
        if profiler is not None:
            profiler.disable()
        name = getattr(extractor, "name", type(extractor).__name__)
        seconds[name] = seconds.get(name, 0.0) + time.process_time() - started
    return seconds, ctx.report


@bench_app.command("long")
def bench_long(
    corpus: str = typer.Option("../shared/data/allsides/articles.jsonl.gz", "--corpus",
                               help="Articles to join into one long text."),
    sizes: str = typer.Option("100000,200000,400000", "--sizes", help="Characters of each part timed, comma-separated."),
    repeats: int = typer.Option(1, "--repeats", min=1, help="Rounds over every size; each size's fastest round is shown."),
    doc_cache: Path | None = typer.Option(None, "--doc-cache",
                                          help="Keep the parse of the long text in this file (reused while the text is the same)."),
    reports: Path | None = typer.Option(None, "--reports", help="Write each size's report here as long<size>.json."),
    profile: int = typer.Option(0, "--profile", help="Profile the extractors at this size (cProfile, top functions on stderr)."),
):
    """Print each size's extractor CPU time and its ratio to the first size's (linear: the ratio of the sizes)."""
    from ..model import Article
    from ..pipeline import Analyzer

    wanted = sorted({int(s) for s in sizes.split(",") if s.strip()})
    if not wanted or wanted[0] <= 0:
        raise typer.BadParameter("give positive sizes, e.g. 100000,400000", param_hint="--sizes")
    analyzer = Analyzer()
    text = joined_text(corpus, wanted[-1])
    doc = parsed(analyzer, text, doc_cache)
    parts = {size: prefix(doc, size) for size in wanted}
    analyzer.analyze(Article(text=text[:3000]))  # models and lexicons that load on first use, out of the timing
    best: dict[int, dict[str, float]] = {}
    for _ in range(repeats):
        for size in wanted:  # sizes interleaved, so a change in the machine's load touches all of them alike
            profiler = cProfile.Profile(time.process_time) if size == profile else None
            seconds, report = time_extractors(analyzer, parts[size], profiler)
            if size not in best or sum(seconds.values()) < sum(best[size].values()):
                best[size] = seconds
            if reports is not None:
                reports.mkdir(parents=True, exist_ok=True)
                (reports / f"long{size}.json").write_text(report.to_json(), encoding="utf-8")
            if profiler is not None:
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
                console_err.print(out.getvalue(), markup=False, highlight=False)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    first = wanted[0]
    base = sum(best[first].values())
    print(f"extractor CPU seconds after the parse, {len(text):,}-character text of {corpus}, "
          f"fastest of {repeats} round(s), load average {load:.1f}")
    for size in wanted:
        total = sum(best[size].values())
        ratio = total / base if base else float("nan")
        part = len(parts[size].text)
        print(f"{part:>9,} characters  {total:7.2f} s  {ratio:5.1f}x the first (length {part / len(parts[first].text):.1f}x)  "
              + " ".join(f"{name}={s:.2f}" for name, s in best[size].items()))
