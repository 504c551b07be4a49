"""``Store``: keep analysed articles in SQLite (default) or PostgreSQL and read them back."""
from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

import pydantic_core
from sqlalchemy import bindparam, create_engine, event, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from ..model import Article, ArticleReport
from ..options import DEFAULT_STORE_URL
from . import migrate
from .models import ArticleRow, AttributionRow, OutletRow, ReportRow, SourceRow

DEFAULT_URL = DEFAULT_STORE_URL

# Run inside each article's insert transaction with (session, article_pk, report): the ingest sequence
# (sourcetrace.desk) passes the one that stores the article page's rendered body, so the store never
# imports a presenter and nothing registers itself by being imported.
InsertHook = Callable[[Session, int, ArticleReport], None]
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def content_hash(text_: str) -> str:
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


def parse_published(value: str | None) -> date | None:
    """The calendar date of a ``published`` string (ISO or RFC 2822), or None."""
    if not value:
        return None
    m = _ISO_DATE.match(value.strip())
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def normalise_url(url: str) -> str:
    """Accept a bare path as SQLite; keep everything else as given."""
    if "://" not in url:
        return f"sqlite:///{url}"
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    # WAL: readers (the web app) never block the ingest writer; every commit is durable against kill -9
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@dataclass
class StoredReport:
    """Row-level counts of one report, computed once when it is stored."""

    n_attributions: int
    n_sources: int
    n_anonymous_sources: int
    n_anonymous_attributions: int
    n_hedged: int
    n_loaded: int
    n_claims: int


def report_counts(report: ArticleReport) -> StoredReport:
    named = {s.id: s.named for s in report.sources}
    return StoredReport(
        n_attributions=len(report.attributions),
        n_sources=len(report.sources),
        n_anonymous_sources=sum(1 for s in report.sources if not s.named),
        n_anonymous_attributions=sum(1 for a in report.attributions if not named.get(a.source_id or "", False)),
        n_hedged=sum(1 for a in report.attributions if a.stance == "hedged"),
        n_loaded=len(report.loaded_language),
        n_claims=len(report.claims),
    )


class Store:
    """A corpus of analysed articles.

    ``Store(url)`` opens (creating if needed) the database and runs the Alembic migrations
    in ``sourcetrace/store/migrations``. ``engine`` and ``Session`` (a ``sessionmaker``)
    are public so other modules can use their own tables (declared on
    ``sourcetrace.store.models.Base``).
    """

    def __init__(self, url: str = DEFAULT_URL, *, migrate_on_open: bool = True, echo: bool = False,
                 on_insert: Iterable[InsertHook] = ()):
        self.url = normalise_url(url)
        self.on_insert: list[InsertHook] = list(on_insert)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict = {"echo": echo, "future": True}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            # enough pooled connections for the web app's threads: an overflow connection is opened and
            # closed per use, re-running the PRAGMAs each time
            kwargs["pool_size"] = 20
            kwargs["max_overflow"] = 20
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        if migrate_on_open:
            try:
                migrate.upgrade(self.engine)
            except (OperationalError, ProgrammingError):
                # another process (e.g. serve and ingest started together) migrated first: now a no-op
                migrate.upgrade(self.engine)

    # ------------------------------------------------------------ sessions

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        with self.Session() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ writing

    def _outlet_id(self, session: Session, name: str | None) -> int | None:
        if not name:
            return None
        found = session.scalar(select(OutletRow.id).where(OutletRow.name == name))
        if found is not None:
            return found
        # a savepoint so a concurrent writer's insert of the same outlet does not abort the article
        try:
            with session.begin_nested():
                row = OutletRow(name=name)
                session.add(row)
            return row.id
        except IntegrityError:
            return session.scalar(select(OutletRow.id).where(OutletRow.name == name))

    def add(self, article: Article, report: ArticleReport) -> bool:
        """Store one analysed article in its own transaction; False if its id or text is already stored."""
        digest = content_hash(report.text)
        with self.Session() as session:
            exists = session.scalar(
                select(ArticleRow.pk).where((ArticleRow.id == report.id) | (ArticleRow.content_hash == digest)).limit(1)
            )
            if exists is not None:
                return False
            try:
                self._insert(session, article, report, digest)
                session.commit()
            except IntegrityError:
                # another writer stored the same article between our check and insert
                session.rollback()
                return False
        return True

    def _insert(self, session: Session, article: Article, report: ArticleReport, digest: str) -> None:
        counts = report_counts(report)
        published = parse_published(report.published)
        row = ArticleRow(
            id=report.id,
            content_hash=digest,
            outlet_id=self._outlet_id(session, report.outlet),
            title=report.title,
            url=report.url,
            published=report.published,
            published_date=published,
            published_month=published.strftime("%Y-%m") if published else None,
            language=report.language,
            authors=list(report.authors),
            origin=article.origin,
            meta=_json_safe(article.meta),
            text=report.text,
            added_at=datetime.now(timezone.utc).replace(tzinfo=None),
            **counts.__dict__,
        )
        session.add(row)
        session.flush()
        # the v1 JSON with an empty text (the text lives in articles.text): spliced back on read, byte for byte
        document = report.model_copy(update={"text": ""}).to_json()
        session.add(ReportRow(article_pk=row.pk, schema=report.schema_, document=document))
        per_source: dict[str, int] = {}
        for a in report.attributions:
            if a.source_id:
                per_source[a.source_id] = per_source.get(a.source_id, 0) + 1
        named = {s.id: s.named for s in report.sources}
        session.add_all(
            SourceRow(
                article_pk=row.pk, source_id=s.id, name=s.name, kind=s.kind, named=s.named, descriptor=s.descriptor,
                n_mentions=len(s.mentions), n_attributions=per_source.get(s.id, 0),
            )
            for s in report.sources
        )
        session.add_all(
            AttributionRow(
                article_pk=row.pk, attribution_id=a.id, source_id=a.source_id, form=a.form, stance=a.stance,
                anonymous=not named.get(a.source_id or "", False),
                source_text=a.source.text if a.source else None, cue_text=a.cue.text if a.cue else None,
                content_start=a.content.start, content_end=a.content.end,
            )
            for a in report.attributions
        )
        for hook in self.on_insert:
            hook(session, row.pk, report)
        if self.dialect == "sqlite":
            session.execute(
                text("INSERT INTO article_fts(rowid, title, text) VALUES (:pk, :title, :text)"),
                {"pk": row.pk, "title": report.title or "", "text": report.text},
            )

    # ------------------------------------------------------------ reading

    def has(self, article_id: str) -> bool:
        with self.Session() as session:
            return session.scalar(select(ArticleRow.pk).where(ArticleRow.id == article_id)) is not None

    def has_text(self, article_text: str) -> bool:
        """Whether an article with exactly this text is stored (the content-hash half of idempotence)."""
        digest = content_hash(article_text)
        with self.Session() as session:
            return session.scalar(select(ArticleRow.pk).where(ArticleRow.content_hash == digest)) is not None

    def count(self) -> int:
        with self.Session() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def version(self) -> tuple[int, int]:
        """(articles, largest article key): changes whenever an article is stored or removed, so results derived
        from the articles can be cached under it."""
        with self.engine.connect() as conn:
            row = conn.execute(_VERSION).one()
        return int(row[0]), int(row[1] or 0)

    def get_report_json(self, article_id: str) -> str | None:
        """The stored report as v1 JSON text, exactly as ``report.to_json()`` gave it, without parsing it."""
        with self.engine.connect() as conn:  # Core, not a session: the API serves this per request
            found = conn.execute(_REPORT_BY_ID, {"article_id": article_id}).first()
        return splice_text(found.document, found.text) if found else None

    def get_report(self, article_id: str) -> ArticleReport | None:
        document = self.get_report_json(article_id)
        return ArticleReport.model_validate_json(document) if document is not None else None

    def iter_reports(self, ids: Iterable[str] | None = None, batch_size: int = 500) -> Iterator[ArticleReport]:
        """Every stored report (in storage order), or those with ``ids`` (in the given order, missing ones skipped)."""
        base = select(ArticleRow.pk, ArticleRow.id, ArticleRow.text, ReportRow.document).join(
            ReportRow, ReportRow.article_pk == ArticleRow.pk
        )
        if ids is not None:
            wanted = list(ids)
            for i in range(0, len(wanted), batch_size):
                chunk = wanted[i:i + batch_size]
                with self.Session() as session:
                    by_id = {r.id: r for r in session.execute(base.where(ArticleRow.id.in_(chunk)))}
                for article_id in chunk:
                    if article_id in by_id:
                        yield _rebuild(by_id[article_id].text, by_id[article_id].document)
            return
        last = 0
        while True:
            with self.Session() as session:
                rows = session.execute(base.where(ArticleRow.pk > last).order_by(ArticleRow.pk).limit(batch_size)).all()
            if not rows:
                return
            for r in rows:
                yield _rebuild(r.text, r.document)
            last = rows[-1].pk

    def ids(self) -> list[str]:
        with self.Session() as session:
            return list(session.scalars(select(ArticleRow.id).order_by(ArticleRow.pk)))


EMPTY_TEXT = '"text":""'
# built once with a bound parameter: SQLAlchemy reuses its cache key and compiled form on every call
_REPORT_BY_ID = (
    select(ArticleRow.text, ReportRow.document).join(ReportRow, ReportRow.article_pk == ArticleRow.pk)
    .where(ArticleRow.id == bindparam("article_id"))
)
# two scalar subqueries, not one SELECT count(*), max(pk): SQLite answers each alone from a b-tree in microseconds,
# the pair together by scanning the table
_VERSION = select(
    select(func.count()).select_from(ArticleRow).scalar_subquery(), select(func.max(ArticleRow.pk)).scalar_subquery()
)


def splice_text(document: str, article_text: str) -> str:
    """Put the text back into a stored document. The first ``"text":""`` is the key: every field before it
    (schema, id, url, outlet, title, published, authors, language) is a string or a list of strings, in which
    a quote is always escaped, so the sequence cannot occur inside them."""
    return document.replace(EMPTY_TEXT, '"text":' + pydantic_core.to_json(article_text).decode("utf-8"), 1)


def _rebuild(article_text: str, document: str) -> ArticleReport:
    return ArticleReport.model_validate_json(splice_text(document, article_text))


def _json_safe(value):
    """Article meta as plain JSON (inputs may carry dates or other objects)."""
    return json.loads(json.dumps(value, default=str))
