"""Every output format, in one registry read by ``analyze``, ``export`` and the web app.

A format either renders reports to one text (``render``: terminal text, JSON, JSONL, Markdown,
HTML, CSV), which can go to standard output, a file or an HTTP response, or only writes to a path
(``write``: Parquet, a brat folder). Formats that can stream to a file (JSONL, CSV, Parquet, brat)
also have ``write``, which ``export`` uses so a large store is never held in memory.

A new format is one ``OutputFormat`` entry in ``FORMATS`` (and its presenter or writer module).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .model import ArticleReport

Render = Callable[[list[ArticleReport], bool], str]
Write = Callable[[Iterable[ArticleReport], Path], int]


def _render(name: str) -> Render:
    def render(reports: list[ArticleReport], color: bool = False) -> str:
        from .render import render_reports

        return render_reports(reports, name, color=color)

    return render


def _render_csv(reports: list[ArticleReport], color: bool = False) -> str:
    from .store.export import render_csv

    return render_csv(reports)


def _writer(name: str) -> Write:
    def write(reports: Iterable[ArticleReport], path: Path) -> int:
        from .store import export

        return getattr(export, f"write_{name}")(reports, path)

    return write


@dataclass(frozen=True)
class OutputFormat:
    name: str
    description: str
    media_type: str
    render: Render | None = None  # all reports as one text
    write: Write | None = None  # to a path, streaming (a folder when ``directory``)
    directory: bool = False

    @property
    def needs_path(self) -> bool:
        """True when the format cannot go to standard output or into a text response."""
        return self.render is None

    def write_to(self, reports: Iterable[ArticleReport], path: Path) -> int:
        """Write ``reports`` to ``path`` (atomically: a ``.part`` sibling renamed over it); the number written."""
        if self.write is not None:
            return self.write(reports, path)
        assert self.render is not None
        reports = list(reports)
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(self.render(reports, False), encoding="utf-8")
        tmp.replace(path)  # never leave a half-written report behind
        return len(reports)


FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("text", "coloured spans, sources table and summary for a terminal", "text/plain; charset=utf-8",
                 render=_render("text")),
    OutputFormat("json", "schema v1: one report, or a list of them", "application/json", render=_render("json")),
    OutputFormat("jsonl", "schema v1, one report a line", "application/x-ndjson", render=_render("jsonl"),
                 write=_writer("jsonl")),
    OutputFormat("md", "Markdown: spans as inline markup, sources table, summary", "text/markdown; charset=utf-8",
                 render=_render("md")),
    OutputFormat("html", "one self-contained HTML page (inline CSS, no script)", "text/html; charset=utf-8",
                 render=_render("html")),
    OutputFormat("csv", "one row per attribution", "text/csv; charset=utf-8", render=_render_csv, write=_writer("csv")),
    OutputFormat("parquet", "nested columns plus the exact v1 JSON", "application/vnd.apache.parquet",
                 write=_writer("parquet")),
    OutputFormat("brat", "a folder of .txt/.ann files and annotation.conf (brat, INCEpTION)", "",
                 write=_writer("brat"), directory=True),
)}


def names(*, text_only: bool = False) -> list[str]:
    """Format names, all or only those that render to text."""
    return [name for name, f in FORMATS.items() if not (text_only and f.needs_path)]


def get(name: str) -> OutputFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})") from None
