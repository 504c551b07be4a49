"""Inputs to partitions: which records of which file each task reads.

A partition is a run of consecutive records of one file, found by a first pass that reads record headers only
(WARC) or counts lines (JSONL), so a single large archive is spread over every worker and no process holds more
than one partition. Other files (HTML, text, JSON) are grouped a few to a partition.
"""
from __future__ import annotations

import glob
import gzip
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import InputError
from ..ingest import SUPPORTED_SUFFIXES, WARC_SUFFIXES, suffix_of

GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Partition:
    pid: str  # "IIII-PPPPP": input number, partition number within it; also the output files' stem
    path: str
    kind: str  # "warc", "jsonl", "jsonl.gz" or "files"
    start: int = 0  # byte offset of the first record (WARC, plain JSONL); 0 for JSONL.gz, read from the top
    first: int = 1  # number of the first record in its file: WARC record index from 0, JSONL line from 1
    count: int = 0  # records (WARC records of any type, JSONL lines) in the partition
    files: tuple[str, ...] = ()  # kind "files": the files it reads

    def to_dict(self) -> dict:
        return {**asdict(self), "files": list(self.files)}

    @classmethod
    def from_dict(cls, data: dict) -> "Partition":
        return cls(**{**data, "files": tuple(data.get("files", ()))})


@dataclass
class InputPlan:
    partitions: list[Partition] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)  # {"input", "record", "reason"}: where a file cannot be split


def expand_inputs(values: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named, found under directories (sorted, supported suffixes) and matched by glob patterns, each once;
    and (input, reason) for those that name nothing."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            files.append(resolved)

    for value in values:
        if any(c in GLOB_CHARS for c in value) and not Path(value).exists():
            matched = sorted(Path(p) for p in glob.glob(value, recursive=True))
            matched = [p for p in matched if p.is_file() and suffix_of(p) in SUPPORTED_SUFFIXES]
            if not matched:
                missing.append((value, "the pattern matches no supported file"))
            for path in matched:
                add(path)
            continue
        path = Path(value)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and suffix_of(p) in SUPPORTED_SUFFIXES)
            if not found:
                missing.append((value, "directory has no supported file (" + ", ".join(sorted(SUPPORTED_SUFFIXES)) + ")"))
            for p in found:
                add(p)
        elif path.is_file():
            add(path)
        else:
            missing.append((value, "no such file or directory"))
    return files, missing


def input_kind(path: Path) -> str:
    suffix = suffix_of(path)
    if suffix in WARC_SUFFIXES:
        return "warc"
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix in {".jsonl.gz", ".ndjson.gz"}:
        return "jsonl.gz"
    return "files"


def plan_warc(number: int, path: Path, size: int) -> InputPlan:
    """Partitions of ``size`` response records each (the request and metadata records between them ride along)."""
    from ..ingest import scan_warc_offsets

    plan = InputPlan()
    start = index = count = responses = 0
    first = 0
    last_offset = None
    try:
        for index, (offset, rec_type) in enumerate(scan_warc_offsets(path)):
            if rec_type == "response" and responses >= size:
                plan.partitions.append(Partition(_pid(number, len(plan.partitions)), str(path), "warc", start, first, count))
                start, first, count, responses = offset, index, 0, 0
            count += 1
            responses += rec_type == "response"
            last_offset = offset
    except Exception as exc:  # warcio's parse errors: the records before the damage are still read
        reason = exc.reason if isinstance(exc, InputError) else f"{exc.__class__.__name__}: {exc}"
        plan.failures.append({"input": str(path), "record": f"record {0 if last_offset is None else index + 1}",
                              "reason": f"cannot read WARC past this point ({reason})"})
    if count:
        plan.partitions.append(Partition(_pid(number, len(plan.partitions)), str(path), "warc", start, first, count))
    return plan


def plan_jsonl(number: int, path: Path, size: int, compressed: bool) -> InputPlan:
    """Partitions of ``size`` lines. Plain JSONL is entered at a byte offset; gzip cannot be entered mid-stream,
    so a JSONL.gz partition decompresses from the top and skips the lines before its own (decompression costs
    little next to analysis)."""
    plan = InputPlan()
    kind = "jsonl.gz" if compressed else "jsonl"
    opener = gzip.open if compressed else open
    start = offset = 0
    first = lineno = 1
    count = 0
    try:
        with opener(path, "rb") as fh:
            for lineno, line in enumerate(fh, 1):
                if count >= size:
                    plan.partitions.append(Partition(_pid(number, len(plan.partitions)), str(path), kind,
                                                     0 if compressed else start, first, count))
                    start, first, count = offset, lineno, 0
                count += 1
                offset += len(line)
    except (OSError, EOFError) as exc:  # a damaged gzip stream: the lines before the damage are still read
        plan.failures.append({"input": str(path), "record": f"line {lineno}",
                              "reason": f"cannot read past this point ({exc.__class__.__name__}: {exc})"})
    if count:
        plan.partitions.append(Partition(_pid(number, len(plan.partitions)), str(path), kind,
                                         0 if compressed else start, first, count))
    return plan


def plan_input(number: int, path: str, size: int) -> InputPlan:
    """The partitions of one archive (runs on a worker: the first pass reads the whole file)."""
    file = Path(path)
    kind = input_kind(file)
    if kind == "warc":
        return plan_warc(number, file, size)
    if kind in {"jsonl", "jsonl.gz"}:
        return plan_jsonl(number, file, size, kind == "jsonl.gz")
    raise ValueError(f"{path}: not an archive; plan_files groups other files")


def plan_files(number: int, paths: list[Path], size: int) -> list[Partition]:
    """Single-article files (HTML, text, JSON), ``size`` to a partition."""
    return [Partition(_pid(number, i // size), str(paths[i]), "files", count=len(paths[i:i + size]),
                      files=tuple(str(p) for p in paths[i:i + size]))
            for i in range(0, len(paths), size)]


def _pid(number: int, part: int) -> str:
    return f"{number:04d}-{part:05d}"
