"""Terminal rendering of a story trace: timeline, citations, chains, claims."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def chain_text(path: list[dict]) -> str:
    """'RT <- The Washington Post (first report) <- unnamed American officials (anonymous)'."""
    parts = []
    for node in path:
        label = node["label"]
        if node.get("first_report"):
            label += " (first report)"
        if node.get("anonymous"):
            label += " (anonymous)"
        parts.append(label)
    return " <- ".join(parts)


def render_trace(story: dict, console: Console) -> None:
    console.print(f"[bold]story {escape(story['story'])}[/bold]: {len(story['articles'])} article(s); "
                  f"first report {escape(str(story['first_report']))}")
    if story.get("first_report_cited"):
        console.print("cited as first report: " + escape(", ".join(story["first_report_cited"])))
    for flag in story.get("flags", []):
        console.print(f"[yellow]! {escape(flag)}[/yellow]")
    console.print("\n[bold]timeline[/bold]")
    for item in story["timeline"]:
        cites = f"  cites: {', '.join(item['cites'])}" if item["cites"] else ""
        console.print(f"  {escape(item['published'] or 'undated'):<25} {escape(item['outlet'])}: "
                      f"{escape(item['title'] or item['article'])}{escape(cites)}")
    if story["citations"]:
        console.print("\n[bold]who cites whom[/bold]")
        for edge in story["citations"]:
            first = escape(" [first report]") if edge["first_report"] else ""
            console.print(f"  {escape(edge['from'])} -> {escape(edge['to'])}{first}: \u201c{escape(edge['evidence'])}\u201d")
    if story["chains"]:
        console.print("\n[bold]chains to root sources[/bold]")
        for chain in story["chains"]:
            console.print("  " + escape(chain_text(chain["path"])))
    table = Table("claim", "first", "outlets", "independent sources", "mutations", title="claims", show_lines=False)
    for claim in story["claims"]:
        muts = [f"{v['outlet']}: {m['kind']}" for v in claim["versions"] for m in v["mutations"]]
        corroboration = claim["corroboration"]
        sources = str(corroboration["independent_sources"]) + (" (one anonymous)" if corroboration["single_anonymous"] else "")
        table.add_row(escape(claim["text"][:90]), escape(claim["first"]["outlet"]), str(len(claim["articles"])),
                      sources, escape("; ".join(muts)))
    console.print(table)
