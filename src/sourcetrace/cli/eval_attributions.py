"""``sourcetrace eval attributions``: score the attribution tiers on a PolNeAR-style folder."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from .app import eval_app
from ..options import Tier
from .common import console_err, model_option, progress

if TYPE_CHECKING:
    from ..evaluation.attributions import AttributionScores

DOCS_FILE = Path("docs") / "accuracy.md"
ROLES = ("source", "cue", "content")


def _scores_table(title: str, rows: list[tuple[str, AttributionScores]]) -> Table:
    table = Table(title=title)
    table.add_column("system")
    table.add_column("span")
    for measure in ("exact", "overlap"):
        for m in ("P", "R", "F1"):
            table.add_column(f"{measure} {m}", justify="right")
    for name, scores in rows:
        for role in ROLES:
            cells = []
            for measure in ("exact", "overlap"):
                prf = getattr(scores, measure)[role]
                cells += [f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}"]
            table.add_row(name, role, *cells)
    return table


def _relations_table(rows: list[tuple[str, AttributionScores]]) -> Table:
    table = Table(title="relations (found: predicted content covers >= 50 % of the gold content)")
    for col in ("system", "gold", "predicted", "found", "recall", "precision", "F1", "source accuracy"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, s in rows:
        r = s.relation
        table.add_row(name, str(r.n_gold), str(r.n_pred), str(r.n_found), f"{r.recall:.3f}", f"{r.precision:.3f}",
                      f"{r.f1:.3f}", f"{r.source_accuracy:.3f}")
    return table


TIER_TARGETS = {
    "fast": "Targets (fast tier, dev): content exact F1 >= 0.60, source exact F1 >= 0.75, content overlap F1 >= 0.75.",
    "accurate": "Targets (accurate tier, dev): content exact F1 >= 0.75, source exact F1 >= 0.85.",
}


def _markdown(rows, gold: Path, n_docs: int, timing: str, command: str, model: str) -> str:
    from ..docblocks import machine, today

    lines = [
        f"### Attributions, `{model}` tier",
        "",
        f"Measured {today()} on {machine()}, {n_docs} documents of `{gold}`; {timing}.",
        f"Command: `{command}`",
        "",
        "Gold: one annotation file per text, the first annotator in sorted order (PolNeAR's agreement texts "
        "have 5-6 annotators and `metadata.tsv` lists them all; sorting is deterministic and blind to content). "
        "A span is one contiguous segment (a quote interrupted by \"he said\" counts as two), deduplicated per "
        "document and role. *exact*: same offsets after trimming whitespace. *overlap* (SemEval-2020 Task 11 "
        "style, edges trimmed of whitespace and punctuation): P = mean over predicted spans of max |p∩g|/|p|, "
        "R = mean over gold spans of max |p∩g|/|g|. *relations*: a gold relation is found when a predicted "
        "content covers >= 50 % of its content; source accuracy = share of found relations (with a gold "
        "source) whose predicted source overlaps it. " + TIER_TARGETS.get(model, ""),
        "",
        "| system | span | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in rows:
        for role in ROLES:
            cells = []
            for measure in ("exact", "overlap"):
                prf = getattr(s, measure)[role]
                cells += [f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}"]
            lines.append(f"| {name} | {role} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| system | gold relations | predicted | found | relation recall | relation precision | relation F1 | source accuracy |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in rows:
        r = s.relation
        lines.append(f"| {name} | {r.n_gold} | {r.n_pred} | {r.n_found} | {r.recall:.3f} | {r.precision:.3f} | "
                     f"{r.f1:.3f} | {r.source_accuracy:.3f} |")
    return "\n".join(lines)


def _fast_model_line() -> str:
    import json

    from ..extractors.attributions.fast import model_dir

    path = model_dir() / "meta.json"
    if not path.exists():
        return "Model: no shipped fast-tier weights (the rule fallback was scored)."
    meta = json.loads(path.read_text())
    size = sum(meta.get("files", {}).values()) / 1e6
    return (f"Model: CRF cue tagger + per-cue source/content tagger (python-crfsuite) over the shared spaCy parse, "
            f"merged with high-precision syntactic patterns on the same parse (`extractors/attributions/syntax.py`), "
            f"trained {meta.get('trained_at', '?')} on {meta.get('documents', '?')} PolNeAR train texts in "
            f"{meta.get('seconds', {}).get('total', 0) / 60:.0f} min on {meta.get('machine', '?')} (seed {meta.get('seed')}, "
            f"{size:.1f} MB; `sourcetrace train attributions --data ../shared/data/polnear`).")


@eval_app.command("attributions")
def eval_attributions(
    gold: Path = typer.Option(..., "--gold", exists=True, file_okay=False, help="PolNeAR-style folder (text/ + attributions/)."),
    model: Tier = model_option("Attribution tier to score."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Score only the first N documents (sorted by name)."),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Add the textacy direct_quotations row when textacy is installed."),
    write_docs: bool = typer.Option(False, "--write-docs", help=f"Rewrite this tier's attribution block of {DOCS_FILE}."),
):
    """Exact-span, character-overlap and relation scores for source / cue / content."""
    from ..evaluation.attributions import score_relations, score_reports, textacy_relations
    from ..docblocks import command_line, write_block
    from ..model import Article
    from ..pipeline import AnalysisOptions, Analyzer
    from ..corpora.polnear import load_split

    docs = load_split(gold, limit=limit)
    if not docs:
        console_err.print(f"error: {gold}: no annotated texts (expected text/*.txt and attributions/*.ann)")
        raise typer.Exit(2)
    analyzer = Analyzer(AnalysisOptions(model=model))
    articles = [Article(text=d.text, id=d.name) for d in docs]
    words = sum(len(d.text.split()) for d in docs)
    reports = []
    started = time.perf_counter()
    with progress(len(docs) > 1) as bar:
        task = bar.add_task(f"analysing ({model.value})", total=len(docs))
        for report in analyzer.analyze_many(articles):
            reports.append(report)
            bar.advance(task)
    elapsed = time.perf_counter() - started
    rows = [(f"sourcetrace {model.value}", score_reports(docs, reports))]
    timing = f"full analysis {len(docs) / elapsed:.2f} articles/s, {words / elapsed:.0f} words/s"
    notes = []
    if baseline:
        try:
            import textacy  # noqa: F401
        except ImportError:
            notes.append("textacy is not installed (pip install 'sourcetrace\\[baseline]'): no baseline row")
        else:
            predicted, bailed = [], 0
            for doc in analyzer.nlp.pipe(d.text for d in docs):
                try:
                    predicted.append(textacy_relations(doc))
                except ValueError:  # textacy refuses texts with unbalanced quotation marks
                    predicted.append([])
                    bailed += 1
            rows.append(("textacy direct_quotations", score_relations(docs, predicted)))
            if bailed:
                notes.append(f"textacy bailed out (unbalanced quotation marks) on {bailed} of {len(docs)} documents: "
                             "scored as no predictions")
    out = Console(width=None if sys.stdout.isatty() else 140)
    out.print(f"{len(docs)} documents of {gold}; {timing}")
    out.print(_scores_table("spans (exact; overlap = SemEval-2020 Task 11 style)", rows))
    out.print(_relations_table(rows))
    for note in notes:
        console_err.print(note)
    if write_docs:
        body = _markdown(rows, gold, len(docs), timing, command_line(), model.value)
        if notes:
            body += "\n\n" + "\n".join(f"Note: {n.replace(chr(92), '')}" for n in notes)
        if model == Tier.fast:
            body += "\n\n" + _fast_model_line()
        write_block(DOCS_FILE, f"attributions-{model.value}", body, title="Accuracy")
        console_err.print(f"wrote the attributions-{model.value} block of {DOCS_FILE}")
