"""Terminal rendering with Rich: coloured spans, a sources table, a sourcing summary."""
from __future__ import annotations

import io
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import ArticleReport
from .segments import segments
from .summary import stance_mix, summary_lines

STYLES = {"source": "bold magenta", "cue": "bold yellow", "content": "cyan"}


def article_text(report: ArticleReport) -> Text:
    out = Text()
    for seg in segments(report):
        style = STYLES.get(seg.role or "", "")
        if seg.loaded:
            style = (style + " underline red").strip()
        out.append(seg.text, style=style or None)
    return out


def sources_table(report: ArticleReport) -> Table:
    table = Table(title="Sources", show_lines=False)
    for col in ("source", "kind", "named", "descriptor", "mentions", "attributions", "stances"):
        table.add_column(col)
    for source in report.sources:
        count, mix = stance_mix(report, source)
        table.add_row(
            source.name, source.kind, "yes" if source.named else "no", source.descriptor or "",
            str(len(source.mentions)), str(count), mix,
        )
    return table


def render_report(console: Console, report: ArticleReport) -> None:
    heading = report.title or report.id
    meta = " · ".join(x for x in (report.outlet, report.published, report.url) if x)
    console.rule(f"[bold]{heading}")
    if meta:
        console.print(meta, style="dim")
    console.print(article_text(report))
    console.print(Text("legend: ", style="dim") + Text("source ", style=STYLES["source"]) + Text("cue ", style=STYLES["cue"])
                  + Text("content ", style=STYLES["content"]) + Text("loaded language", style="underline red"))
    console.print(sources_table(report))
    for line in summary_lines(report):
        console.print("• " + line)
    for warning in report.warnings:
        console.print(f"warning: {warning}", style="yellow")


def render_text(reports: list[ArticleReport], color: bool = False) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=110, soft_wrap=False)
    for report in reports:
        render_report(console, report)
    return buf.getvalue()


def print_summary_table(reports: list[ArticleReport]) -> None:
    console = Console(width=None if sys.stdout.isatty() else 120)
    table = Table(title="Sourcing summary")
    table.add_column("article", max_width=48)
    table.add_column("outlet", max_width=20)
    for col in ("attributions", "sources", "anonymous", "hedged", "loaded", "checkable claims"):
        table.add_column(col, justify="right")
    for r in reports:
        anonymous = sum(1 for s in r.sources if not s.named)
        hedged = sum(1 for a in r.attributions if a.stance == "hedged")
        table.add_row(
            r.title or r.id, r.outlet or "", str(len(r.attributions)), str(len(r.sources)), str(anonymous), str(hedged),
            str(len(r.loaded_language)), str(sum(1 for c in r.claims if c.checkable)),
        )
    console.print(table)
