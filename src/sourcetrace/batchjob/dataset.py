"""The output folder of ``sourcetrace batch``.

    DIR/reports/month=YYYY-MM/part-IIII-PPPPP.parquet       one row per article, the schema of
                                                            ``export --format parquet`` (docs/schema.md)
    DIR/attributions/month=YYYY-MM/part-....parquet         one row per attribution (the CSV export's columns)
    DIR/sources/month=YYYY-MM/part-....parquet              one row per source
    DIR/failures.jsonl                                      {"input", "record", "reason"[, "url"]} per bad record
    DIR/manifest.json                                       the job, its finished partitions, the filter counts
    DIR/_work/                                              staged articles and per-partition keys (resume)

``month=undated`` holds articles without a readable date. Every file is written under a hidden temporary name
and renamed when complete; a partition counts as finished only once the manifest lists it, so a partition cut
short is written again, under the same names, and nothing is doubled.
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import ArticleReport

REPORTS = "reports"
ATTRIBUTIONS = "attributions"
SOURCES = "sources"
TABLES = (REPORTS, ATTRIBUTIONS, SOURCES)
MANIFEST = "manifest.json"
FAILURES = "failures.jsonl"
WORK = "_work"
UNDATED = "undated"
MANIFEST_FORMAT = "sourcetrace.batch/1"
TMP_PREFIX = ".tmp-"  # pyarrow's dataset discovery skips names that begin with "." or "_"


def month_of(published: str | None) -> str:
    from ..store.store import parse_published

    day = parse_published(published)
    return day.strftime("%Y-%m") if day else UNDATED


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{TMP_PREFIX}{uuid.uuid4().hex}-{path.name}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def atomic_write_json(path: Path, data) -> None:
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def attribution_schema():
    import pyarrow as pa

    s, i, b = pa.string(), pa.int64(), pa.bool_()
    types = {"source_named": b, "source_start": i, "source_end": i, "cue_start": i, "cue_end": i,
             "content_start": i, "content_end": i}
    from ..store.export import CSV_COLUMNS

    return pa.schema([(name, types.get(name, s)) for name in CSV_COLUMNS])


def source_schema():
    import pyarrow as pa

    s = pa.string()
    return pa.schema([("article_id", s), ("outlet", s), ("published", s), ("source_id", s), ("name", s), ("kind", s),
                      ("named", pa.bool_()), ("descriptor", s), ("mentions", pa.int64()), ("attributions", pa.int64())])


def source_rows(report: ArticleReport) -> Iterator[dict]:
    cited: dict[str, int] = {}
    for a in report.attributions:
        if a.source_id:
            cited[a.source_id] = cited.get(a.source_id, 0) + 1
    for s in report.sources:
        yield {"article_id": report.id, "outlet": report.outlet, "published": report.published, "source_id": s.id,
               "name": s.name, "kind": s.kind, "named": s.named, "descriptor": s.descriptor,
               "mentions": len(s.mentions), "attributions": cited.get(s.id, 0)}


def _write_table(table, path: Path) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{TMP_PREFIX}{uuid.uuid4().hex}-{path.name}")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def write_partition_tables(out: Path, pid: str, reports: list[ArticleReport]) -> list[str]:
    """The partition's rows in the three tables, one file per month present; returns their paths under ``out``."""
    import pyarrow as pa

    from ..store.export import attribution_rows, parquet_table

    by_month: dict[str, list[ArticleReport]] = {}
    for report in reports:
        by_month.setdefault(month_of(report.published), []).append(report)
    written: list[str] = []
    for month, group in sorted(by_month.items()):
        tables = {
            REPORTS: parquet_table(group),
            ATTRIBUTIONS: pa.Table.from_pylist([row for r in group for row in attribution_rows(r)], schema=attribution_schema()),
            SOURCES: pa.Table.from_pylist([row for r in group for row in source_rows(r)], schema=source_schema()),
        }
        for name, table in tables.items():
            relative = f"{name}/month={month}/part-{pid}.parquet"
            _write_table(table, out / relative)
            written.append(relative)
    return written


def remove_temporaries(out: Path) -> int:
    """Half-written files a killed process left (hidden, so no reader ever saw them)."""
    removed = 0
    patterns = [f"{table}/month=*/{TMP_PREFIX}*" for table in TABLES] + [f"{TMP_PREFIX}*", f"{WORK}/read/{TMP_PREFIX}*"]
    for pattern in patterns:
        for tmp in out.glob(pattern):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def part_files(out: Path, table: str = REPORTS) -> list[Path]:
    """The dataset's finished files of ``table``, in order (month, then partition)."""
    return sorted((out / table).glob("month=*/part-*.parquet"))


def read_reports(out: Path, batch_size: int = 256) -> Iterator[ArticleReport]:
    """Every report in the dataset, rebuilt exactly from the ``report`` column (the v1 JSON)."""
    import pyarrow.parquet as pq

    for path in part_files(out):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=["report"]):
            for document in batch.column(0).to_pylist():
                yield ArticleReport.model_validate_json(document)


def is_dataset(out: Path) -> bool:
    return (out / MANIFEST).is_file() or (out / REPORTS).is_dir()


def load_manifest(out: Path) -> dict | None:
    path = out / MANIFEST
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write_failures(out: Path, rows: Iterable[dict]) -> int:
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in rows]
    atomic_write_bytes(out / FAILURES, "".join(lines).encode("utf-8"))
    return len(lines)
