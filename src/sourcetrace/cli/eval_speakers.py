"""``sourcetrace eval speakers``: who says so on hand-labelled recent articles (attribution-gold guide), and
``sourcetrace train confidence``: the calibrated confidences, fitted on that gold's tuning part."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from .app import eval_app, train_app
from ..options import Tier
from .common import fail_line, model_option, progress

DEFAULT_GOLD = Path("tests") / "data" / "speakers"
DOCS_FILE = Path("docs") / "accuracy.md"
COLUMNS = (("statements", "articles_statements", "d"), ("predicted", "predicted", "d"), ("P", "precision", ".3f"),
           ("R", "recall", ".3f"), ("F1", "f1", ".3f"), ("speaker acc", "speaker_accuracy", ".3f"),
           ("kind acc", "kind_accuracy", ".3f"), ("named acc", "named_accuracy", ".3f"),
           ("who_says_so", "who_says_so", ".3f"), ("ECE attr", "attribution_ece", ".3f"),
           ("ECE speaker", "speaker_ece", ".3f"))
TARGETS = ("Targets (fast tier, issue #17, on the held-out set): who_says_so >= 0.85, statement precision >= 0.85, "
           "recall >= 0.90, speaker accuracy >= 0.92; calibration error <= 0.05.")


def _cell(value, fmt: str) -> str:
    return "n/a" if value is None else format(value, fmt)


def _rows(results: dict) -> list[list[str]]:
    return [[part, str(n)] + [_cell(figures[key], fmt) for _, key, fmt in COLUMNS]
            for part, (n, figures) in results.items()]


def _markdown(results: dict, gold: Path, model: str, command: str, seconds: float) -> str:
    from ..docblocks import machine, today

    header = ["part", "articles"] + [c for c, _, _ in COLUMNS]
    lines = [f"## Who says so: speakers on recent articles, `{model}` tier", "",
             f"Measured {today()} on {machine()}, gold `{gold}` (labelled by reading, "
             f"`../shared/guides/attribution-gold.md`); {seconds:.0f} s.", f"Command: `{command}`", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(results)]
    lines += ["", "The tuning part was fixed before any tuning (tests/data/speakers/manifest.json); the check part "
              "is read only to report.", TARGETS]
    return "\n".join(lines)


@eval_app.command("speakers")
def eval_speakers(
    gold: Path = typer.Option(DEFAULT_GOLD, "--gold", help="Gold folder: <id>.json records and manifest.json."),
    articles: Path = typer.Option(None, "--articles", help="JSONL(.gz) holding the gold's article texts "
                                  "(default: the file the manifest names)."),
    model: Tier = model_option("Attribution tier to score."),
    part: str = typer.Option("", "--part", help="Score one part only: tune, check or all (default: every part "
                             "of the manifest's split, and all)."),
    write_docs: bool = typer.Option(False, "--write-docs", help="Replace this tier's block in docs/accuracy.md."),
    errors: bool = typer.Option(False, "--errors", help="List missed statements, wrong speakers and false "
                                "attributions."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Statement precision / recall / F1, speaker accuracy, kind and named accuracy, who_says_so, calibration."""
    from ..corpora.attribution_gold import GoldError, read_gold
    from ..docblocks import command_line, write_block
    from ..evaluation.speakers import SpeakerScores, score_article
    from ..pipeline import AnalysisOptions, Analyzer

    if part not in ("", "tune", "check", "all"):
        fail_line(f"--part: {part!r} is not tune, check or all")
        raise typer.Exit(2)
    if write_docs and part:
        fail_line("--write-docs reports every part; leave out --part")
        raise typer.Exit(2)
    try:
        gold_set = read_gold(gold, articles)
    except (GoldError, OSError, json.JSONDecodeError) as exc:
        fail_line(str(exc))
        raise typer.Exit(1) from exc
    parts = [part] if part else [p for p in gold_set.parts if p != "all"] + ["all"]
    analyzer = Analyzer(AnalysisOptions(model=model))
    t0 = time.perf_counter()
    reports = {}
    wanted = {g.article.id for p in parts for g in gold_set.part(p)}
    with progress() as bar:
        task = bar.add_task("analysing", total=len(wanted))
        for g in gold_set.articles:
            if g.article.id in wanted:
                reports[g.article.id] = analyzer.analyze(g.article)
                bar.advance(task)
    seconds = time.perf_counter() - t0
    results: dict[str, tuple[int, dict]] = {}
    all_scores: dict[str, SpeakerScores] = {}
    for p in parts:
        scores = SpeakerScores()
        for g in gold_set.part(p):
            score_article(g, reports[g.article.id], scores)
        all_scores[p] = scores
        results[p] = (len(gold_set.part(p)), scores.figures())
    if as_json:
        print(json.dumps({p: {"articles": n, **f} for p, (n, f) in results.items()}, indent=2))
    else:
        out = Console() if sys.stdout.isatty() else Console(width=160)
        table = Table(title=f"Who says so, {model.value} tier ({seconds:.0f} s)")
        for col in ["part", "articles"] + [c for c, _, _ in COLUMNS]:
            table.add_column(col, justify="left" if col == "part" else "right")
        for row in _rows(results):
            table.add_row(*row)
        out.print(table)
        if errors:
            _print_errors(out, all_scores[parts[-1]])
    if write_docs:
        write_block(DOCS_FILE, f"speakers-{model.value}", _markdown(results, gold, model.value, command_line(), seconds))
        print(f"wrote the speakers-{model.value} block of {DOCS_FILE}")


def _print_errors(out: Console, scores) -> None:
    def show(line: str) -> None:
        out.print(line, markup=False, highlight=False)

    for r in scores.results:
        g = r.gold
        if r.predicted is None:
            show(f"MISSED  {r.article_id} [{g.speaker}] {g.content.text[:100]!r}")
        elif not r.speaker_right:
            got = r.predicted_source.name if r.predicted_source else None
            named = r.predicted_source.named if r.predicted_source else None
            show(f"SPEAKER {r.article_id} gold {g.speaker!r} ({g.named}) got {got!r} ({named}) "
                 f"{g.content.text[:80]!r}")
    for aid, attr in scores.false_positives:
        src = attr.source.text if attr.source else None
        show(f"FALSE   {aid} [{src}] {attr.content.text[:100]!r}")


@train_app.command("confidence")
def train_confidence(
    gold: Path = typer.Option(DEFAULT_GOLD, "--gold", help="Gold folder: <id>.json records and manifest.json."),
    articles: Path = typer.Option(None, "--articles", help="JSONL(.gz) holding the gold's article texts."),
    model: Tier = model_option("Tier whose attributions the confidences are for."),
    part: str = typer.Option("tune", "--part", help="Gold part to fit on (the check part stays for eval)."),
    out: Path = typer.Option(None, "--out", help="Where to write the weights (default: the installed model)."),
) -> None:
    """Fit the attribution and speaker confidence models on the gold's tuning part (fixed seed)."""
    from ..corpora.attribution_gold import GoldError, read_gold
    from ..pipeline import AnalysisOptions, Analyzer
    from ..extractors.confidence import ConfidenceScorer
    from ..training.confidence import train
    from .common import CRF_TRAIN_MODULES, require_train_extra

    require_train_extra("train confidence", CRF_TRAIN_MODULES, needs="fits logistic regressions")
    try:
        gold_set = read_gold(gold, articles)
    except (GoldError, OSError, json.JSONDecodeError) as exc:
        fail_line(str(exc))
        raise typer.Exit(1) from exc
    if not gold_set.part(part):
        fail_line(f"--part: the gold has no {part!r} part")
        raise typer.Exit(2)
    target = out or Path(__file__).resolve().parent.parent / "data" / "models" / "confidence" / f"{model.value}.json"
    analyzer = Analyzer(AnalysisOptions(model=model))
    seen: dict[str, dict[str, float]] = {}
    for extractor in analyzer.extractors:
        if isinstance(extractor, ConfidenceScorer):
            extractor.model = None  # fit on the tier's whole reading: nothing dropped by an installed model

    def record_recall_stage(ctx) -> None:
        seen["ids"] = dict(ctx.recall_stage)

    analyzer.extractors.append(record_recall_stage)

    def analyze(article):
        report = analyzer.analyze(article)
        return report, seen.pop("ids", {})

    result = train(gold_set, part, model.value, analyze, target)
    meta = result["meta"]
    print(f"wrote {target}: {meta['attribution_rows']} attributions, {meta['speaker_rows']} speaker readings "
          f"from {meta['articles']} articles ({meta['seconds']} s); 5-fold cross-validated calibration error on "
          f"that part: attributions {meta['cv_ece_attribution']:.3f}, speakers {meta['cv_ece_speaker']:.3f}"
          + (f"; what the recall stage adds is kept from confidence {result['keep_threshold']}"
             if result.get("keep_threshold") is not None else ""))
