"""Read a PolNeAR-style folder (``text/NAME.txt`` + ``attributions/NAME_ANNOTATOR.ann``).

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates attribution relations
in brat standoff: ``T`` lines are spans (Source, Cue, Content, Attribution;
discontinuous spans are ``;``-joined offset pairs), ``E`` lines link one
relation. A few texts were annotated by 5-6 annotators (the agreement study);
``metadata.tsv`` lists all of them for those texts, so there is no single
"official" file. We take the first annotator in sorted order (``4b22`` for
every multiply-annotated text), which is deterministic and does not peek at
the annotations' content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

Spans = list[tuple[int, int]]

_ANN_NAME = re.compile(r"^(?P<name>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")


@dataclass
class GoldRelation:
    source: Spans | None
    cue: Spans | None
    content: Spans


@dataclass
class PolnearDoc:
    name: str
    text: str
    annotator: str
    relations: list[GoldRelation] = field(default_factory=list)


def _parse_offsets(field_text: str) -> Spans:
    """``"12 20;25 30"`` -> ``[(12, 20), (25, 30)]``."""
    spans = []
    for part in field_text.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return spans


def parse_ann(ann_text: str) -> list[GoldRelation]:
    """The relations of one brat ``.ann`` file, in file order."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in ann_text.splitlines():
        if not line.strip():
            continue
        cols = line.split("\t")
        ident = cols[0]
        if ident.startswith("T") and len(cols) >= 2:
            kind, _, offsets = cols[1].partition(" ")
            spans[ident] = (kind, _parse_offsets(offsets))
        elif ident.startswith("E") and len(cols) >= 2:
            roles = {}
            for arg in cols[1].split():
                role, _, ref = arg.partition(":")
                roles[role.rstrip("0123456789")] = ref
            events.append(roles)
    relations = []
    for roles in events:
        content = roles.get("Content")
        if content not in spans:
            continue  # a relation without content cannot be scored
        relations.append(
            GoldRelation(
                source=spans[roles["Source"]][1] if roles.get("Source") in spans else None,
                cue=spans[roles["Cue"]][1] if roles.get("Cue") in spans else None,
                content=spans[content][1],
            )
        )
    return relations


def annotation_files(split_dir: Path) -> dict[str, Path]:
    """For each text name, the annotation file we score against (first annotator in sorted order)."""
    chosen: dict[str, Path] = {}
    for path in sorted((Path(split_dir) / "attributions").glob("*.ann")):
        m = _ANN_NAME.match(path.name)
        if not m:
            continue
        chosen.setdefault(m.group("name"), path)
    return chosen


def read_text(path: Path) -> str:
    """The text exactly as stored: brat offsets count characters of the raw file, so no newline translation."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def load_split(split_dir: Path, limit: int | None = None) -> list[PolnearDoc]:
    """Every annotated text of one split folder, sorted by name."""
    split_dir = Path(split_dir)
    docs = []
    for name, ann_path in sorted(annotation_files(split_dir).items()):
        text_path = split_dir / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        named = _ANN_NAME.match(ann_path.name)
        assert named is not None  # annotation_files keeps only the names that match
        annotator = named.group("annotator")
        docs.append(PolnearDoc(name=name, text=read_text(text_path), annotator=annotator,
                               relations=parse_ann(read_text(ann_path))))
        if limit is not None and len(docs) >= limit:
            break
    return docs
