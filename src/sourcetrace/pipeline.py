"""Parse once, run every extractor over the same ``Doc``, return an ``ArticleReport``.

Extractors are components in the spirit of spaCy's: each reads the shared
``Context`` (article, ``Doc``, the report filled so far, typed per-article state)
and fills its own fields. They are listed in ``sourcetrace.extractors``, which
checks what each requires and assigns and computes the run order.
"""
from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from .languages import LanguageChoice, choose, load_spacy, record_for
from .lexicons import Lexicons
from .memory import CollectorThreshold, collector_paused, collector_thresholds, keep_freed_heap
from .model import Article, ArticleReport, Region, Span
from .nlp import parse, parse_many, remember_text
from .options import AnalysisOptions
from .errors import TimeLimitExceeded
from .textguard import VisibleText, boundary_before

if TYPE_CHECKING:
    from .extractors.chains import FirstReport
    from .extractors.sources import MentionResolver
# allocations between collections of the cycle collector's youngest generation while ``analyze_many`` streams:
# on 300 AllSides articles in one process the collector took 4.4 ms an article at 20,000 (31 young collections,
# each walking the word caches and lexicon memos that grew since the last) and 1.6 ms at 100,000 (4), measured
# with ``gc.callbacks`` on a loaded machine; the garbage waiting for a collection is at most these allocations
BATCH_GC_THRESHOLD = 100_000

# With a time limit, how much of a text can be analysed in time is estimated from the seconds per character
# the parse and the extractors took on the texts before (a running mean); until measured, the parse is assumed
# to do 5,000 characters a second (a quarter of the rate on AllSides articles here) and the extractors to take
# half as long as the parse (about a fifth as long, measured), so the first estimate errs towards caution
PRIOR_PARSE_SECONDS_PER_CHAR = 1 / 5_000
PRIOR_EXTRACT_SECONDS_PER_CHAR = 1 / 10_000
ESTIMATE_MARGIN = 1.5  # a text is parsed whole when its estimated analysis time, times this, fits
# a text that may not parse in time is parsed in pieces this long (cut at line breaks), the deadline checked
# before each, so the parse overruns its time by at most one piece
TIMED_PIECE_CHARS = 10_000
# the first piece is shorter: the rate is measured on it, on this machine at its present load, before the
# pieces are sized to the time left
FIRST_TIMED_PIECE_CHARS = 2_000
MIN_TIMED_PIECE_CHARS = 100  # less time than this many characters need is no time to parse



@dataclass
class Context:
    """One article's analysis in progress: the inputs, the report being filled, and the state extractors
    pass on (each field is assigned by the extractor that declares it; see ``sourcetrace.extractors``)."""

    article: Article
    doc: Doc
    report: ArticleReport
    options: AnalysisOptions
    lexicons: Lexicons  # the word lists of the analyzer's language (its record's lexicon folder)
    # the article's mention index (outlets, names, coreference), built on first use: extractors.sources.mention_resolver
    mentions: MentionResolver | None = None
    # "first reported by X" mentions and cues (assigned by ``chains``)
    first_reports: list[FirstReport] = field(default_factory=list)
    # each source's resolver key -> its id in ``report.sources`` (assigned by ``sources``)
    source_keys: dict[str, str] = field(default_factory=dict)
    # the attributions a recall stage added to the fast tier's, by id, with the tagger's own belief in each
    # (assigned by ``attributions``, accurate tier)
    recall_stage: dict[str, float] = field(default_factory=dict)


def article_id(article: Article) -> str:
    if article.id:
        return str(article.id)
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()[:16]


def visible_article(article: Article, visible: VisibleText) -> Article:
    """``article`` as analysed: its text without the invisible characters (the id stays that of the text as given)."""
    regions = None if article.structure is None else [
        r.model_copy(update=dict(zip(("start", "end"), visible.to_visible(r.start, r.end)))) for r in article.structure]
    return article.model_copy(update={"id": article_id(article), "text": visible.visible, "structure": regions})


def restore_offsets(report: ArticleReport, visible: VisibleText) -> ArticleReport:
    """The report of ``visible_article`` as the report of the text as given: every offset mapped back, every span's
    text the slice of that text (a soft hyphen inside a quoted word stays in its span)."""
    text = visible.text
    seen: set[int] = set()

    def restore(item: Span | Region) -> None:
        if id(item) not in seen:  # a span may be shared (an attribution's source is also its source's mention)
            seen.add(id(item))
            item.start, item.end = visible.to_text(item.start, item.end)
            if isinstance(item, Span):
                item.text = text[item.start:item.end]

    def restore_in(value):
        if isinstance(value, dict) and value.keys() == {"start", "end", "text"}:  # a span in the profile
            start, end = visible.to_text(value["start"], value["end"])
            return {"start": start, "end": end, "text": text[start:end]}
        if isinstance(value, dict):
            return {k: restore_in(v) for k, v in value.items()}
        if isinstance(value, list):
            return [restore_in(v) for v in value]
        return value

    for span in report.iter_spans():
        restore(span)
    for region in report.structure or ():
        restore(region)
    report.profile = restore_in(report.profile)
    # a text cut for length or time is cut at the same place of the text as given
    report.text = text[:visible.to_text(0, len(report.text))[1]] if len(report.text) < len(visible.visible) else text
    return report


def empty_report(article: Article) -> ArticleReport:
    return ArticleReport(
        id=article_id(article),
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        published=article.published,
        authors=list(article.authors),
        language=article.language,
        text=article.text,
        warnings=list(article.warnings),
    )


def _freeze_heap() -> None:
    """Move everything alive now (the spaCy pipeline, the models, the lexicons) out of the cyclic garbage
    collector's reach. Analysis allocates millions of short-lived objects, and each full collection would
    otherwise walk this static heap again: on AllSides articles the collector's time fell from about 8 to
    about 5 ms an article with the heap frozen (``gc.callbacks``). Objects frozen here are never freed by the
    cycle collector (reference counting still frees them); a process holds one or two analyzers, so this is
    the heap it keeps anyway. No full collection first: after the first AllSides article it found 743 unreachable
    objects (cyclic garbage, kept for good once frozen) and cost 66 ms of every process's start-up."""
    gc.freeze()


# analyze_many streams: the youngest generation is collected every BATCH_GC_THRESHOLD allocations while any is open
_streaming = CollectorThreshold(youngest=lambda found: max(found, BATCH_GC_THRESHOLD), found=collector_thresholds)


class Analyzer:
    """Holds the loaded pipeline and extractors; reuse one per process."""

    def __init__(self, options: AnalysisOptions | None = None, extractors: list | None = None):
        keep_freed_heap()  # a process that analyses re-uses what it frees: see memory.keep_freed_heap
        with collector_paused():  # the models load: see memory.collector_paused
            from .extractors import build_order, default_extractors

            self.options = options or AnalysisOptions()
            self.language = record_for(self.options.language)  # what its pipeline, lexicons and models are for
            # the contract is checked before the (slow) pipeline loads: a missing producer fails at once
            self.extractors = build_order(extractors) if extractors is not None else default_extractors(self.options)
            self.nlp = load_spacy(self.language)
        self._heap_frozen = False
        # measured on each analysis under a time limit (see parse_within)
        self._parse_seconds_per_char = PRIOR_PARSE_SECONDS_PER_CHAR
        self._extract_seconds_per_char = PRIOR_EXTRACT_SECONDS_PER_CHAR

    def _timed_parse(self, text: str) -> Doc:
        started = time.monotonic()
        doc = parse(self.nlp, text)
        if len(text) >= 1_000:  # shorter texts measure the per-call overhead more than the rate
            rate = (time.monotonic() - started) / len(text)
            self._parse_seconds_per_char = (self._parse_seconds_per_char + rate) / 2
        return doc

    def prepare(self, article: Article) -> Article:
        """The article as it will be parsed: text over ``max_chars`` cut at a line break, with a warning
        (the id stays that of the whole text, so a resumed ingest still recognises it)."""
        limit = self.options.max_chars
        if len(article.text) <= limit:
            return article
        cut = boundary_before(article.text, limit, floor=limit // 2)
        warning = (f"text is {len(article.text):,} characters, over the {limit:,}-character limit: "
                   f"only the first {cut:,} were analysed")
        return article.model_copy(update={"id": article_id(article), "text": article.text[:cut],
                                          "warnings": [*article.warnings, warning]})

    def _seconds_for(self, chars: int) -> float:
        """The estimated time to parse and analyse ``chars`` characters, with the margin."""
        return chars * (self._parse_seconds_per_char + self._extract_seconds_per_char) * ESTIMATE_MARGIN

    def parse_within(self, article: Article, deadline: float) -> tuple[Article, Doc]:
        """The article's parse, leaving time to run the extractors on it by ``deadline`` (``time.monotonic()``).
        A text whose estimated analysis time fits is parsed as without a limit; a longer one is parsed in pieces
        of at most ``TIMED_PIECE_CHARS`` while the time left holds another (so the parse overruns by at most one
        piece), and the part not parsed is cut, with a warning (the id stays that of the whole text). Raises
        ``TimeLimitExceeded`` when there is no time to parse anything."""
        text = article.text
        if time.monotonic() + self._seconds_for(len(text)) <= deadline:
            return article, self._timed_parse(text)
        pieces: list[Doc] = []
        start = 0
        while start < len(text):
            # the time left once the extractors have run over what is parsed already
            left = deadline - time.monotonic() - start * self._extract_seconds_per_char * ESTIMATE_MARGIN
            if self._seconds_for(len(text) - start) <= left:  # the rest fits at the rates measured so far
                pieces.append(self._timed_parse(text[start:]))
                start = len(text)
                break
            size = min(FIRST_TIMED_PIECE_CHARS if not pieces else TIMED_PIECE_CHARS, int(left / self._seconds_for(1)))
            if size < MIN_TIMED_PIECE_CHARS:
                break
            end = boundary_before(text, start + size, floor=start + size // 2)
            pieces.append(self._timed_parse(text[start:end]))
            start = end
        limit = self.options.time_limit
        if not pieces:
            raise TimeLimitExceeded(f"the {limit:g}-second time limit left no time to parse this "
                                    f"{len(text):,}-character text")
        doc = pieces[0] if len(pieces) == 1 else Doc.from_docs(pieces, ensure_whitespace=False)
        if start < len(text):
            warning = (f"text of {len(text):,} characters could not be analysed within the {limit:g}-second time "
                       f"limit: only the first {start:,} were")
            article = article.model_copy(update={"id": article_id(article), "text": text[:start],
                                                 "warnings": [*article.warnings, warning]})
        return article, doc

    def analyze_doc(self, article: Article, doc: Doc, started: float | None = None) -> ArticleReport:
        """The report of ``article`` from ``doc``, the parse of ``article.text``."""
        return self._analyze(article, doc, choose(article), started)

    def _not_analysed(self, article: Article, language: LanguageChoice) -> ArticleReport:
        """The report of an article in a language this analyzer is not for: its metadata and a warning."""
        report = empty_report(article)
        report.language = language.code
        report.warnings.append(language.warning())
        return report

    def _analyze(self, article: Article, doc: Doc | None, language: LanguageChoice,
                 started: float | None = None) -> ArticleReport:
        if language.record is not self.language:
            return self._not_analysed(article, language)
        visible = VisibleText.of(article.text)
        if visible is not None:  # read without the invisible characters inside words; a given parse is of the text
            report = self._analyze(visible_article(article, visible), None, language, started)
            return restore_offsets(report, visible)
        started = time.monotonic() if started is None else started
        limit = self.options.time_limit
        if doc is None and limit is not None:
            article, doc = self.parse_within(article, started + limit)
        elif doc is None:
            doc = parse(self.nlp, article.text)
        remember_text(doc, article.text)  # the doc is the parse of this text (analyze_doc's contract)
        ctx = Context(article=article, doc=doc, report=empty_report(article), options=self.options,
                      lexicons=self.language.lexicon_files())
        if language.detected:  # the text is in another language than its input declared
            ctx.report.language = language.code
        self._run_extractors(ctx, article, started, limit)
        if not self._heap_frozen:  # after the first article: models and lexicons some extractors load lazily are in
            self._heap_frozen = True
            _freeze_heap()
        return ctx.report

    def _run_extractors(self, ctx: Context, article: Article, started: float, limit: float | None) -> None:
        extracting = time.monotonic()
        for i, extractor in enumerate(self.extractors):
            if limit is not None and time.monotonic() - started > limit:
                skipped = ", ".join(getattr(e, "name", type(e).__name__) for e in self.extractors[i:])
                ctx.report.warnings.append(f"analysis stopped at the {limit:g}-second time limit; not run: {skipped}")
                break
            extractor(ctx)
        else:
            if limit is not None and len(article.text) >= 1_000:
                rate = (time.monotonic() - extracting) / len(article.text)
                self._extract_seconds_per_char = (self._extract_seconds_per_char + rate) / 2

    def analyze(self, article: Article) -> ArticleReport:
        started = time.monotonic()
        article = self.prepare(article)
        return self._analyze(article, None, choose(article), started)  # parsed only when in the analyzer's language

    def analyze_many(self, articles: Iterable[Article], batch_size: int = 8) -> Iterator[ArticleReport]:
        """Stream reports; ``nlp.pipe`` batches the parse, extractors run per article.

        While it streams, the cycle collector's youngest generation is collected every ``BATCH_GC_THRESHOLD``
        allocations instead of 700: analysis makes millions of short-lived objects and almost no cycles, and at
        the default the collector's passes cost 4-8 ms an article (measured on AllSides articles with
        ``gc.callbacks``). The default is restored when the last open stream ends or is closed.
        """
        with _streaming.held():
            pending: list[Article] = []
            for article in articles:
                pending.append(self.prepare(article))
                if len(pending) >= batch_size:
                    yield from self._flush(pending)
                    pending = []
            if pending:
                yield from self._flush(pending)

    def _flush(self, batch: list[Article]) -> Iterator[ArticleReport]:
        if self.options.time_limit is not None:  # each article parsed on its own, within its own time limit
            for article in batch:
                yield self._analyze(article, None, choose(article))
            return
        for article, doc in zip(batch, parse_many(self.nlp, [a.text for a in batch]), strict=True):
            yield self.analyze_doc(article, doc)

    def analyze_stream(self, articles: Iterable[Article], batch_size: int = 8) -> Iterator[tuple[Article, ArticleReport | Exception]]:
        """``analyze_many`` for batches, where one article must not stop the rest: (article, report) pairs in
        order, with the exception in place of the report of an article whose parse or extractor failed."""
        with _streaming.held():
            pending: list[Article] = []
            for article in articles:
                try:
                    pending.append(self.prepare(article))
                except Exception as exc:
                    yield article, exc
                    continue
                if len(pending) >= batch_size:
                    yield from self._flush_isolated(pending)
                    pending = []
            if pending:
                yield from self._flush_isolated(pending)

    def _flush_isolated(self, batch: list[Article]) -> Iterator[tuple[Article, ArticleReport | Exception]]:
        if self.options.time_limit is not None:  # each article parsed on its own, within its own time limit
            for article in batch:
                outcome: ArticleReport | Exception
                try:
                    outcome = self._analyze(article, None, choose(article))
                except Exception as exc:
                    outcome = exc
                yield article, outcome
            return
        docs: list[Doc | Exception]
        try:
            docs = list(parse_many(self.nlp, [a.text for a in batch]))
        except Exception:  # one text the parser refuses fails its whole batch: parse them one at a time
            docs = []
            for article in batch:
                try:
                    docs.append(parse(self.nlp, article.text))
                except Exception as exc:
                    docs.append(exc)
        for article, doc in zip(batch, docs, strict=True):
            if isinstance(doc, Exception):
                yield article, doc
                continue
            try:
                report = self.analyze_doc(article, doc)
            except Exception as exc:
                yield article, exc
            else:
                yield article, report


_default: dict[AnalysisOptions, Analyzer] = {}


def analyze(article: Article | str, options: AnalysisOptions | None = None) -> ArticleReport:
    """Analyse one article (or a bare text) with a process-wide cached ``Analyzer``, the one for the article's
    language when the analysis supports it."""
    options = options or AnalysisOptions()
    if isinstance(article, str):
        article = Article(text=article)
    language = choose(article)
    if language.record is not None and language.code != options.language:
        options = replace(options, language=language.code)
    if options not in _default:
        _default[options] = Analyzer(options)
    return _default[options].analyze(article)
