"""Write stored reports as JSONL, Parquet, CSV (one row per attribution) or brat standoff."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path

from ..model import ArticleReport

FORMATS = ("jsonl", "parquet", "csv", "brat")

CSV_COLUMNS = (
    "article_id", "outlet", "published", "title", "attribution_id", "form", "stance", "source_id", "source_name",
    "source_kind", "source_named", "source_descriptor", "source_text", "source_start", "source_end",
    "cue_text", "cue_start", "cue_end", "content_text", "content_start", "content_end",
)


def _atomic(path: Path):
    """A sibling ``.part`` path; the caller renames it over ``path`` when done, so no half file is left."""
    return path.with_name(path.name + ".part")


def write_jsonl(reports: Iterable[ArticleReport], path: Path) -> int:
    tmp = _atomic(path)
    n = 0
    with tmp.open("w", encoding="utf-8") as fh:
        for report in reports:
            fh.write(report.to_json() + "\n")
            n += 1
    tmp.replace(path)
    return n


def attribution_rows(report: ArticleReport) -> Iterable[dict]:
    sources = {s.id: s for s in report.sources}
    for a in report.attributions:
        src = sources.get(a.source_id or "")
        yield {
            "article_id": report.id, "outlet": report.outlet, "published": report.published, "title": report.title,
            "attribution_id": a.id, "form": a.form, "stance": a.stance, "source_id": a.source_id,
            "source_name": src.name if src else None, "source_kind": src.kind if src else None,
            "source_named": src.named if src else None, "source_descriptor": src.descriptor if src else None,
            "source_text": a.source.text if a.source else None, "source_start": a.source.start if a.source else None,
            "source_end": a.source.end if a.source else None,
            "cue_text": a.cue.text if a.cue else None, "cue_start": a.cue.start if a.cue else None,
            "cue_end": a.cue.end if a.cue else None,
            "content_text": a.content.text, "content_start": a.content.start, "content_end": a.content.end,
        }


def render_csv(reports: Iterable[ArticleReport]) -> str:
    """The CSV ``write_csv`` writes, as one string (standard output, an HTTP response)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for report in reports:
        writer.writerows(attribution_rows(report))
    return out.getvalue()


def write_csv(reports: Iterable[ArticleReport], path: Path) -> int:
    tmp = _atomic(path)
    n = 0
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for report in reports:
            writer.writerows(attribution_rows(report))
            n += 1
    tmp.replace(path)
    return n


def _parquet_schema():
    import pyarrow as pa

    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
    return pa.schema([
        ("id", pa.string()), ("url", pa.string()), ("outlet", pa.string()), ("title", pa.string()),
        ("published", pa.string()), ("authors", pa.list_(pa.string())), ("language", pa.string()), ("text", pa.string()),
        ("attributions", pa.list_(pa.struct([
            ("id", pa.string()), ("source", span), ("cue", span), ("content", span), ("form", pa.string()),
            ("source_id", pa.string()), ("stance", pa.string()), ("parent", pa.string()),
        ]))),
        ("sources", pa.list_(pa.struct([
            ("id", pa.string()), ("name", pa.string()), ("kind", pa.string()), ("named", pa.bool_()),
            ("descriptor", pa.string()), ("mentions", pa.list_(span)),
        ]))),
        ("loaded_language", pa.list_(pa.struct([
            ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()), ("technique", pa.string()),
            ("score", pa.float64()), ("speaker_id", pa.string()),
        ]))),
        ("claims", pa.list_(pa.struct([
            ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()), ("checkable", pa.bool_()),
            ("reasons", pa.list_(pa.string())),
        ]))),
        ("profile", pa.string()),  # free-form dict: JSON text keeps the column type stable
        ("warnings", pa.list_(pa.string())),
        ("report", pa.string()),  # the exact v1 JSON, for lossless round trips
    ])


def _parquet_row(report: ArticleReport) -> dict:
    row = report.to_dict()
    row.pop("schema", None)
    row["profile"] = json.dumps(report.profile, ensure_ascii=False)
    row["report"] = report.to_json()
    return row


def parquet_table(reports: Iterable[ArticleReport]):
    """Reports as a pyarrow Table in the one Parquet schema: ``export --format parquet`` and the ``reports/``
    dataset of ``sourcetrace batch`` both write it (documented in docs/schema.md)."""
    import pyarrow as pa

    return pa.Table.from_pylist([_parquet_row(r) for r in reports], schema=_parquet_schema())


def write_parquet(reports: Iterable[ArticleReport], path: Path, batch_size: int = 500) -> int:
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    tmp = _atomic(path)
    n = 0
    with pq.ParquetWriter(tmp, schema) as writer:
        batch: list[ArticleReport] = []
        for report in reports:
            batch.append(report)
            n += 1
            if len(batch) >= batch_size:
                writer.write_table(parquet_table(batch))
                batch = []
        if batch or n == 0:
            writer.write_table(parquet_table(batch))
    tmp.replace(path)
    return n


# ------------------------------------------------------------------ brat standoff

BRAT_ANNOTATION_CONF = """\
[entities]
Source
Cue
Content
Loaded

[relations]
Source-of\tArg1:Source, Arg2:Content
Cue-of\tArg1:Cue, Arg2:Content
<OVERLAP>\tArg1:Content, Arg2:Content, <OVL-TYPE>:<ANY>
<OVERLAP>\tArg1:Source, Arg2:Content, <OVL-TYPE>:<ANY>
<OVERLAP>\tArg1:Cue, Arg2:Content, <OVL-TYPE>:<ANY>
<OVERLAP>\tArg1:Loaded, Arg2:Source|Cue|Content|Loaded, <OVL-TYPE>:<ANY>

[events]

[attributes]
Stance\tArg:Content, Value:neutral|assertive|distancing|hedged|negated
Form\tArg:Content, Value:direct|indirect|mixed|according_to|reported
Kind\tArg:Source, Value:person|organization|government|media|document|group|unknown
Named\tArg:Source
Technique\tArg:Loaded, Value:{techniques}
"""

BRAT_VISUAL_CONF = """\
[labels]
Source | Source | Src
Cue | Cue
Content | Content | Cnt
Loaded | Loaded language | LL

[drawing]
Source\tbgColor:#f3d9fa
Cue\tbgColor:#ffe8a3
Content\tbgColor:#d8f0f7
Loaded\tbgColor:#f6b8b8
"""

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def brat_offsets(text: str, start: int, end: int) -> str:
    """brat fragments for [start, end): split at newlines, since a fragment may not cross a line break."""
    fragments = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        if stop > pos:
            fragments.append(f"{pos} {stop}")
        pos = stop + 1 if nl != -1 else end
    return ";".join(fragments) or f"{start} {end}"


def brat_annotations(report: ArticleReport) -> str:
    """The ``.ann`` standoff for one report (the ``.txt`` is ``report.text`` unchanged)."""
    text = report.text
    lines: list[str] = []
    t_ids: dict[tuple[str, int, int], str] = {}
    counters = {"T": 0, "R": 0, "A": 0, "#": 0}

    def next_id(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    def entity(label: str, start: int, end: int) -> str:
        key = (label, start, end)
        if key not in t_ids:
            tid = next_id("T")
            t_ids[key] = tid
            shown = text[start:end].replace("\n", " ")
            lines.append(f"{tid}\t{label} {brat_offsets(text, start, end)}\t{shown}")
        return t_ids[key]

    sources = {s.id: s for s in report.sources}
    for a in report.attributions:
        content = entity("Content", a.content.start, a.content.end)
        lines.append(f"{next_id('A')}\tStance {content} {a.stance}")
        lines.append(f"{next_id('A')}\tForm {content} {a.form}")
        if a.source is not None:
            src = entity("Source", a.source.start, a.source.end)
            lines.append(f"{next_id('R')}\tSource-of Arg1:{src} Arg2:{content}")
            known = sources.get(a.source_id or "")
            if known is not None:
                lines.append(f"{next_id('A')}\tKind {src} {known.kind}")
                if known.named:
                    lines.append(f"{next_id('A')}\tNamed {src}")
                note = known.name + (f" ({known.descriptor})" if known.descriptor and known.descriptor != known.name else "")
                lines.append(f"{next_id('#')}\tAnnotatorNotes {src}\t{note.replace(chr(10), ' ')}")
        if a.cue is not None:
            cue = entity("Cue", a.cue.start, a.cue.end)
            lines.append(f"{next_id('R')}\tCue-of Arg1:{cue} Arg2:{content}")
    for ll in report.loaded_language:
        tid = entity("Loaded", ll.start, ll.end)
        lines.append(f"{next_id('A')}\tTechnique {tid} {_SAFE_NAME.sub('_', ll.technique)}")
    return "\n".join(lines) + ("\n" if lines else "")


def brat_file_stem(report_id: str, used: set[str]) -> str:
    stem = _SAFE_NAME.sub("_", report_id).strip("._") or "article"
    candidate, i = stem, 1
    while candidate in used:
        i += 1
        candidate = f"{stem}_{i}"
    used.add(candidate)
    return candidate


def write_brat(reports: Iterable[ArticleReport], directory: Path) -> int:
    """One ``ID.txt`` + ``ID.ann`` per article, plus ``annotation.conf`` and ``visual.conf`` (brat / INCEpTION)."""
    directory.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    techniques: set[str] = set()
    n = 0
    for report in reports:
        stem = brat_file_stem(report.id, used)
        # newline="" keeps the text byte-for-byte, so standoff offsets stay valid
        (directory / f"{stem}.txt").write_text(report.text, encoding="utf-8", newline="")
        (directory / f"{stem}.ann").write_text(brat_annotations(report), encoding="utf-8", newline="")
        techniques.update(_SAFE_NAME.sub("_", ll.technique) for ll in report.loaded_language)
        n += 1
    conf = BRAT_ANNOTATION_CONF.format(techniques="|".join(sorted(techniques)) or "loaded")
    (directory / "annotation.conf").write_text(conf, encoding="utf-8")
    (directory / "visual.conf").write_text(BRAT_VISUAL_CONF, encoding="utf-8")
    return n


def export_reports(reports: Iterable[ArticleReport], fmt: str, path: Path) -> int:
    writers = {"jsonl": write_jsonl, "parquet": write_parquet, "csv": write_csv, "brat": write_brat}
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    return writers[fmt](reports, path)
