"""Modern-news attribution gold (``../shared/guides/attribution-gold.md``): one JSON file per article.

A gold folder holds ``<id>.json`` records ``{"id", "attributions": [{"content", "cue", "source", "speaker",
"kind", "named"}]}`` and a ``manifest.json`` naming the articles (a JSONL file, absolute or relative to the
folder, or an ``articles.jsonl`` beside the records), the tuning / check split fixed before any tuning, and
each article's format (news, opinion, transcript). The article texts are read from the JSONL by id, so a
gold folder need not copy a publisher's text; every span is checked against that text on reading.
"""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Article, SourceKind

KINDS: frozenset[str] = frozenset(SourceKind.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class GoldStatement:
    content: GoldSpan
    cue: GoldSpan | None
    source: GoldSpan | None
    speaker: str | None
    kind: str | None
    named: bool | None


@dataclass
class GoldArticle:
    article: Article
    statements: list[GoldStatement]
    part: str = "all"  # "tune" or "check" when the manifest splits the set
    format: str = "news"


@dataclass
class GoldSet:
    articles: list[GoldArticle] = field(default_factory=list)

    def part(self, name: str) -> list[GoldArticle]:
        return self.articles if name == "all" else [a for a in self.articles if a.part == name]

    @property
    def parts(self) -> list[str]:
        return sorted({a.part for a in self.articles})


class GoldError(ValueError):
    """A gold folder that cannot be read; the message names the file and the reason."""


def _span(raw: object, text: str, where: str) -> GoldSpan | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not {"start", "end", "text"} <= raw.keys():
        raise GoldError(f"{where}: a span needs start, end and text")
    start, end, span_text = raw["start"], raw["end"], raw["text"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise GoldError(f"{where}: offsets {start}-{end} outside the article ({len(text)} characters)")
    if text[start:end] != span_text:
        raise GoldError(f"{where}: text[{start}:{end}] is {text[start:end]!r}, not {span_text!r}")
    return GoldSpan(start, end, span_text)


def _statement(raw: dict, text: str, where: str) -> GoldStatement:
    content = _span(raw.get("content"), text, f"{where} content")
    if content is None:
        raise GoldError(f"{where}: content is required")
    speaker, kind, named = raw.get("speaker"), raw.get("kind"), raw.get("named")
    if speaker is not None:
        if kind not in KINDS:
            raise GoldError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
        if not isinstance(named, bool):
            raise GoldError(f"{where}: named must be true or false when a speaker is given")
    return GoldStatement(content=content, cue=_span(raw.get("cue"), text, f"{where} cue"),
                         source=_span(raw.get("source"), text, f"{where} source"),
                         speaker=speaker, kind=kind if speaker is not None else None,
                         named=named if speaker is not None else None)


def _open_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_articles(path: Path, wanted: set[str]) -> dict[str, Article]:
    """The articles with the ``wanted`` ids from a JSONL(.gz) file (AllSides fields)."""
    found: dict[str, Article] = {}
    for rec in _open_jsonl(path):
        rid = str(rec.get("id"))
        if rid in wanted:
            found[rid] = Article(text=rec["text"], id=rid, url=rec.get("url"), outlet=rec.get("outlet"),
                                 title=rec.get("title"), published=rec.get("published"),
                                 authors=list(rec.get("authors") or []), origin=f"{path}:{rid}")
    return found


def read_gold(folder: Path, articles: Path | None = None) -> GoldSet:
    """Read a gold folder; ``articles`` overrides the manifest's article file."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GoldError(f"{folder}: not a folder")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    records: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name == "manifest.json":
            continue
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from exc
        if not isinstance(raw, dict) or "id" not in raw or not isinstance(raw.get("attributions"), list):
            raise GoldError(f"{path}: expected {{\"id\", \"attributions\": [...]}}")
        records[str(raw["id"])] = raw
    if not records:
        raise GoldError(f"{folder}: no gold records (<id>.json)")
    if articles is None:
        named = manifest.get("articles")
        articles = (folder / named) if named else folder / "articles.jsonl"
    if not Path(articles).is_file():
        raise GoldError(f"{articles}: article file not found (the gold's texts; see {folder}/manifest.json)")
    texts = read_articles(Path(articles), set(records))
    missing = sorted(set(records) - set(texts))
    if missing:
        raise GoldError(f"{articles}: no article with id {', '.join(missing[:5])}")
    part_of = {aid: part for part, ids in (manifest.get("split") or {}).items() for aid in ids}
    formats = manifest.get("formats") or {}
    gold = GoldSet()
    for aid, raw in records.items():
        article = texts[aid]
        statements = [_statement(r, article.text, f"{folder / (aid + '.json')} record {n}")
                      for n, r in enumerate(raw["attributions"])]
        gold.articles.append(GoldArticle(article=article, statements=statements,
                                         part=part_of.get(aid, "all"), format=formats.get(aid, "news")))
    return gold
