"""Corrections of the model's attributions by a reader: kept apart from the report, applied when it is read.

A correction is one of
- ``remove``: the attribution is wrong (not a statement, or not this one);
- ``change``: its source span, speaker (the resolved name), kind, named, stance or form is wrong;
- ``add``: a statement the model missed (content, and optionally source and cue, as character offsets).

Each is stored with who made it and when (``corrections`` table, Alembic revision ``corrections_0001``).
The stored report stays the model's own reading; ``corrected(report, corrections)`` is the report shown
and served. A ``remove`` or ``change`` names its attribution by the content span (and id), so it still
applies when the article is analysed again and the ids change; one that no longer finds its attribution
is listed in ``profile.corrections.unmatched`` rather than dropped silently.

``export_gold`` writes corrected articles as gold in the format of the attribution-gold guide
(``../shared/guides/attribution-gold.md``: one ``<id>.json`` a article, the texts in ``articles.jsonl``
beside them, a ``manifest.json``), which ``sourcetrace eval speakers`` reads.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from ..errors import InputError
from ..model import ArticleReport, Attribution, Source, Span
from .models import Base
from .store import Store

ACTIONS = ("remove", "change", "add")
KINDS = ("person", "organization", "government", "media", "document", "group", "unknown")
STANCES = ("neutral", "assertive", "distancing", "hedged", "negated")
FORMS = ("direct", "indirect", "mixed", "according_to", "reported")
MAX_AUTHOR = 200


class CorrectionRow(Base):
    __tablename__ = "corrections"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(300), nullable=False)  # by id, not key: survives re-analysis
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    attribution_id: Mapped[str | None] = mapped_column(String(64))
    content_start: Mapped[int | None] = mapped_column(Integer)
    content_end: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    author: Mapped[str] = mapped_column(String(MAX_AUTHOR), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    __table_args__ = (Index("ix_corrections_article", "article_id"),)


@dataclass
class Correction:
    id: int
    article_id: str
    action: str
    attribution_id: str | None
    content_start: int | None
    content_end: int | None
    fields: dict[str, Any]
    author: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _row(r: CorrectionRow) -> Correction:
    return Correction(r.pk, r.article_id, r.action, r.attribution_id, r.content_start, r.content_end, dict(r.fields or {}),
                      r.author, r.created_at.isoformat(timespec="seconds") + "Z")


# ------------------------------------------------------------------ checking what a reader sends


def _offsets(raw: Any, text: str, what: str) -> dict[str, int] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("start"), int) or not isinstance(raw.get("end"), int):
        raise InputError(what, "give start and end offsets")
    start, end = raw["start"], raw["end"]
    if not 0 <= start < end <= len(text):
        raise InputError(what, f"offsets {start}-{end} are outside the article ({len(text)} characters)")
    if not text[start:end].strip():
        raise InputError(what, "the selection is empty")
    return {"start": start, "end": end}


def clean_fields(action: str, fields: dict[str, Any], text: str) -> dict[str, Any]:
    """The fields of a correction, checked against the article text; raises ``InputError`` with the reason."""
    out: dict[str, Any] = {}
    for key in ("content", "source", "cue"):
        if key in fields:
            out[key] = _offsets(fields[key], text, key)
    if "speaker" in fields:
        speaker = fields["speaker"]
        if speaker is not None and (not isinstance(speaker, str) or not speaker.strip() or len(speaker) > 300):
            raise InputError("speaker", "give a name (at most 300 characters) or null")
        out["speaker"] = speaker.strip() if isinstance(speaker, str) else None
    for key, allowed in (("kind", KINDS), ("stance", STANCES), ("form", FORMS)):
        if fields.get(key) is not None:
            if fields[key] not in allowed:
                raise InputError(key, f"{fields[key]!r} is not one of {', '.join(allowed)}")
            out[key] = fields[key]
    if fields.get("named") is not None:
        if not isinstance(fields["named"], bool):
            raise InputError("named", "true or false")
        out["named"] = fields["named"]
    if action == "add" and not out.get("content"):
        raise InputError("content", "an added attribution needs its content (select the words said)")
    if action == "change" and not out:
        raise InputError("change", "nothing to change")
    return out


def add_correction(store: Store, article_id: str, action: str, fields: dict[str, Any], author: str,
                   attribution_id: str | None = None) -> Correction:
    """Check and store one correction (its own transaction); ``InputError`` says what is wrong with it."""
    if action not in ACTIONS:
        raise InputError("action", f"{action!r} is not one of {', '.join(ACTIONS)}")
    author = (author or "").strip()
    if not author or len(author) > MAX_AUTHOR:
        raise InputError("author", f"say who makes the correction (1-{MAX_AUTHOR} characters)")
    report = store.get_report(article_id)
    if report is None:
        raise InputError(article_id, "no such article")
    clean = clean_fields(action, fields or {}, report.text)
    start = end = None
    if action in ("remove", "change"):
        target = next((a for a in report.attributions if a.id == attribution_id), None)
        if target is None:
            # an attribution a correction added can be corrected too: it is shown under its "c<N>" id
            shown = corrected(report, list_corrections(store, article_id))
            target = next((a for a in shown.attributions if a.id == attribution_id), None)
        if target is None:
            raise InputError(str(attribution_id), f"no attribution with that id in {article_id!r}")
        start, end = target.content.start, target.content.end
    else:
        start, end = clean["content"]["start"], clean["content"]["end"]
    row = CorrectionRow(article_id=article_id, action=action, attribution_id=attribution_id, content_start=start,
                        content_end=end, fields=clean, author=author,
                        created_at=datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0))
    with store.session() as session:  # the correction and the rows the search and source pages read: one transaction
        session.add(row)
        session.flush()
        result = _row(row)
        shown = corrected(report, [*list_corrections(store, article_id), result])
        _refresh_rows(session, article_id, shown)
    return result


def _refresh_rows(session, article_id: str, report: ArticleReport) -> None:
    """Rewrite an article's ``sources`` and ``attributions`` rows and counts from its corrected report, so the
    corpus sources, who-said-what search and list filters agree with the page (the same rows ``Store.add``
    writes from the model's report)."""
    from sqlalchemy import delete, update

    from .models import ArticleRow, AttributionRow, SourceRow
    from .store import report_counts

    pk = session.scalar(select(ArticleRow.pk).where(ArticleRow.id == article_id))
    if pk is None:
        return
    session.execute(delete(AttributionRow).where(AttributionRow.article_pk == pk))
    session.execute(delete(SourceRow).where(SourceRow.article_pk == pk))
    per_source: dict[str, int] = {}
    for a in report.attributions:
        if a.source_id:
            per_source[a.source_id] = per_source.get(a.source_id, 0) + 1
    named = {s.id: s.named for s in report.sources}
    session.add_all(SourceRow(article_pk=pk, source_id=s.id, name=s.name, kind=s.kind, named=s.named,
                              descriptor=s.descriptor, n_mentions=len(s.mentions), n_attributions=per_source.get(s.id, 0))
                    for s in report.sources)
    session.add_all(AttributionRow(article_pk=pk, attribution_id=a.id, source_id=a.source_id, form=a.form, stance=a.stance,
                                   anonymous=not named.get(a.source_id or "", False),
                                   source_text=a.source.text if a.source else None, cue_text=a.cue.text if a.cue else None,
                                   content_start=a.content.start, content_end=a.content.end)
                    for a in report.attributions)
    session.execute(update(ArticleRow).where(ArticleRow.pk == pk).values(**report_counts(report).__dict__))


def list_corrections(store: Store, article_id: str | None = None) -> list[Correction]:
    stmt = select(CorrectionRow).order_by(CorrectionRow.pk)
    if article_id is not None:
        stmt = stmt.where(CorrectionRow.article_id == article_id)
    with store.Session() as session:
        return [_row(r) for r in session.scalars(stmt)]


_HAS = select(CorrectionRow.pk).where(CorrectionRow.article_id == bindparam("article_id")).limit(1)


def has_corrections(store: Store, article_id: str) -> bool:
    """One indexed lookup: most articles have none, and their stored JSON is served as it is."""
    with store.engine.connect() as conn:
        return conn.execute(_HAS, {"article_id": article_id}).first() is not None


def corrections_version(store: Store) -> tuple[int, int]:
    """(corrections, largest key): changes with every correction, for results cached over the sources rows."""
    from sqlalchemy import func

    with store.engine.connect() as conn:
        row = conn.execute(select(func.count(CorrectionRow.pk), func.max(CorrectionRow.pk))).one()
    return int(row[0]), int(row[1] or 0)


def corrected_ids(store: Store) -> list[str]:
    with store.Session() as session:
        return list(dict.fromkeys(session.scalars(select(CorrectionRow.article_id).order_by(CorrectionRow.pk))))


# ------------------------------------------------------------------ applying


def _find(atts: list[Attribution], c: Correction) -> int | None:
    """The attribution a correction is about: the same id over the same content, else the same content, else
    the one overlapping it most (the article was analysed again and spans moved a little)."""
    for i, a in enumerate(atts):
        if a.id == c.attribution_id and a.content.start == c.content_start and a.content.end == c.content_end:
            return i
    for i, a in enumerate(atts):
        if a.content.start == c.content_start and a.content.end == c.content_end:
            return i
    best, best_overlap = None, 0
    for i, a in enumerate(atts):
        overlap = min(a.content.end, c.content_end or 0) - max(a.content.start, c.content_start or 0)
        shorter = min(a.content.end - a.content.start, (c.content_end or 0) - (c.content_start or 0))
        if overlap > best_overlap and overlap * 2 >= shorter:
            best, best_overlap = i, overlap
    return best


def _source_for(sources: list[Source], fields: dict[str, Any], current: Source | None, mention: Span | None) -> Source | None:
    """The source a corrected attribution points at: one of the report's with that name, or a new one."""
    speaker = fields.get("speaker", current.name if current else None)
    if speaker is None:
        return None
    kind = fields.get("kind", current.kind if current and current.name == speaker else "unknown")
    named = fields.get("named", current.named if current and current.name == speaker else True)
    for s in sources:
        if s.name == speaker and s.kind == kind and s.named == named:
            if mention is not None and all((m.start, m.end) != (mention.start, mention.end) for m in s.mentions):
                s.mentions.append(mention)
            return s
    new = Source(id=f"cs{len(sources) + 1}", name=speaker, kind=kind, named=named,
                 mentions=[mention] if mention is not None else [])
    sources.append(new)
    return new


def corrected(report: ArticleReport, corrections: list[Correction]) -> ArticleReport:
    """The report with the corrections applied in the order they were made; the model's reading is untouched.
    ``profile.corrections`` says how many applied, which no longer find their attribution, and who made them."""
    if not corrections:
        return report
    text = report.text
    atts = [a.model_copy(deep=True) for a in report.attributions]
    sources = [s.model_copy(deep=True) for s in report.sources]
    by_id = {s.id: s for s in sources}
    applied, unmatched = [], []
    for c in corrections:
        f = c.fields
        if c.action == "add":
            def span(key: str, f: dict = f) -> Span | None:
                return Span.of(text, f[key]["start"], f[key]["end"]) if f.get(key) else None

            src = _source_for(sources, {"speaker": None, **f}, None, span("source")) if f.get("speaker") else None
            content = span("content")
            if content is None:
                unmatched.append(c.id)
                continue
            atts.append(Attribution(id=f"c{c.id}", source=span("source"), cue=span("cue"), content=content,
                                    form=f.get("form") or "indirect", source_id=src.id if src else None,
                                    stance=f.get("stance") or "neutral"))
            applied.append(c.id)
            continue
        i = _find(atts, c)
        if i is None:
            unmatched.append(c.id)
            continue
        if c.action == "remove":
            atts.pop(i)
        else:
            a = atts[i]
            update: dict[str, Any] = {}
            if "source" in f:
                update["source"] = Span.of(text, f["source"]["start"], f["source"]["end"]) if f["source"] else None
            if "cue" in f:
                update["cue"] = Span.of(text, f["cue"]["start"], f["cue"]["end"]) if f["cue"] else None
            if "content" in f and f["content"]:
                update["content"] = Span.of(text, f["content"]["start"], f["content"]["end"])
            for key in ("stance", "form"):
                if key in f:
                    update[key] = f[key]
            if {"speaker", "kind", "named"} & f.keys():
                current = by_id.get(a.source_id or "")
                src = _source_for(sources, f, current, update.get("source", a.source))
                update["source_id"] = src.id if src else None
                by_id = {s.id: s for s in sources}
            atts[i] = a.model_copy(update=update)
        applied.append(c.id)
    atts.sort(key=lambda a: (a.content.start, a.content.end))
    used = {a.source_id for a in atts if a.source_id}
    # a source no attribution rests on any more is still a mention of someone: kept unless a correction made it
    sources = [s for s in sources if s.id in used or not s.id.startswith("cs")]
    profile = {**report.profile, "corrections": {
        "applied": applied, "unmatched": unmatched,
        "by": sorted({c.author for c in corrections}), "last": max(c.created_at for c in corrections)}}
    return report.model_copy(update={"attributions": atts, "sources": sources, "profile": profile})


def corrected_report(store: Store, article_id: str) -> ArticleReport | None:
    report = store.get_report(article_id)
    if report is None:
        return None
    return corrected(report, list_corrections(store, article_id))


# ------------------------------------------------------------------ export as gold


def gold_record(report: ArticleReport) -> dict[str, Any]:
    """One article's attributions in the attribution-gold record format."""
    sources = {s.id: s for s in report.sources}

    def span(sp: Span | None) -> dict | None:
        return None if sp is None else {"start": sp.start, "end": sp.end, "text": sp.text}

    records = []
    for a in report.attributions:
        src = sources.get(a.source_id or "")
        records.append({"content": span(a.content), "cue": span(a.cue), "source": span(a.source),
                        "speaker": src.name if src else None, "kind": src.kind if src else None,
                        "named": src.named if src else None})
    return {"id": report.id, "attributions": records}


def export_gold(store: Store, directory: Path) -> int:
    """Every corrected article, corrections applied, as gold: ``<id>.json`` records, ``articles.jsonl`` (the texts
    they index) and ``manifest.json``. Written to a sibling folder first and moved into place, so a failed export
    leaves no half gold. Returns the number of articles."""
    import shutil
    import tempfile

    from .export import brat_file_stem

    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=directory.name + ".", dir=directory.parent))
    try:
        used: set[str] = set()
        n = 0
        files = {}
        with (tmp / "articles.jsonl").open("w", encoding="utf-8") as fh:
            for article_id in corrected_ids(store):
                report = corrected_report(store, article_id)
                if report is None:
                    continue
                stem = brat_file_stem(article_id, used)
                (tmp / f"{stem}.json").write_text(json.dumps(gold_record(report), ensure_ascii=False, indent=1),
                                                  encoding="utf-8")
                fh.write(json.dumps({"id": report.id, "text": report.text, "title": report.title, "outlet": report.outlet,
                                     "url": report.url, "published": report.published, "authors": report.authors},
                                    ensure_ascii=False) + "\n")
                files[article_id] = f"{stem}.json"
                n += 1
        corrections = list_corrections(store)
        manifest = {
            "articles": "articles.jsonl",
            "source": "sourcetrace corrections: the model's attributions with readers' corrections applied",
            "corrections": len(corrections), "correctors": sorted({c.author for c in corrections}),
            "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        if directory.exists():
            shutil.rmtree(directory)
        tmp.rename(directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return n


__all__ = ["CorrectionRow", "Correction", "add_correction", "list_corrections", "corrected", "corrected_report",
           "export_gold", "gold_record"]
