"""The data that flows between stages: plain, typed, JSON-serialisable.

Every offset is a character offset into ``ArticleReport.text``; a ``Span``'s
``text`` always equals ``report.text[start:end]``.
"""
from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .textguard import replace_lone_surrogates

SCHEMA_ID: Final = "sourcetrace.article/1"
# fields added within v1, per model: optional in the schema, so reports written before them still validate
OPTIONAL_V1_FIELDS = {"ArticleReport": ("structure",), "Attribution": ("confidence", "speaker_confidence")}

AttributionForm = Literal["direct", "indirect", "mixed", "according_to", "reported"]
Stance = Literal["neutral", "assertive", "distancing", "hedged", "negated"]
SourceKind = Literal["person", "organization", "government", "media", "document", "group", "unknown"]
RegionKind = Literal["body", "heading", "caption", "photo_credit", "byline", "dateline", "block_quote",
                     "embedded_post", "transcript_turn", "list_item", "boilerplate"]


class _Strict(BaseModel):
    # in the published schema every field is required: a v1 report always carries all of them
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Span(_Strict):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        """A span of ``text``; its ``text`` is always the slice, so it can never drift."""
        return cls(start=start, end=end, text=text[start:end])


class Attribution(_Strict):
    id: str
    source: Span | None = None
    cue: Span | None = None
    content: Span
    form: AttributionForm
    source_id: str | None = None
    stance: Stance = "neutral"
    parent: str | None = None
    # added within v1: the probability that this is an attributed statement, and that ``source_id`` names its
    # speaker (calibrated on hand-labelled articles; null when no calibration model is installed)
    confidence: float | None = None
    speaker_confidence: float | None = None


class Source(_Strict):
    id: str
    name: str
    kind: SourceKind = "unknown"
    named: bool = False
    descriptor: str | None = None
    mentions: list[Span] = Field(default_factory=list)


class LoadedSpan(Span):
    technique: str
    score: float
    speaker_id: str | None = None


class Claim(Span):
    checkable: bool = False
    reasons: list[str] = Field(default_factory=list)


class Region(_Strict):
    """A typed stretch of the article (a paragraph, a caption, a dateline); offsets into ``text``."""

    kind: RegionKind
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Article(BaseModel):
    """One article as read by ``ingest``: the text plus what is known about it."""

    model_config = ConfigDict(extra="forbid")

    text: str
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    authors: list[str] = Field(default_factory=list)
    language: str = "en"
    origin: str | None = None  # where it was read from (path, URL, "file.jsonl:12")
    meta: dict[str, Any] = Field(default_factory=dict)
    # what reading it changed or guessed (an encoding, replaced characters); copied into the report's warnings
    warnings: list[str] = Field(default_factory=list)
    # the page's own structure, for an article read from HTML (``sourcetrace.htmlstructure``): the lines of
    # ``text`` its markup types (a <blockquote>, an <h2>, a <li>, a tweet embed, a <p>), whole lines in text
    # order (a block quote's paragraphs one region, a caption line ending in its credit two), none overlapping;
    # ``extractors.structure`` types the other lines, and all of plain text, by its rules
    structure: list[Region] | None = None

    @model_validator(mode="after")
    def _no_lone_surrogates(self) -> "Article":
        """A JSON ``"\\ud800"`` escape or a Python string can carry a lone surrogate, which no UTF-8 writer
        (spaCy, SQLite, the JSON report) accepts: each becomes U+FFFD, one character for one, so every offset
        into the text stays exact, and the report says so."""
        replaced = 0
        for name in ("text", "id", "url", "outlet", "title", "published", "language", "origin"):
            value = getattr(self, name)
            if isinstance(value, str):
                clean, n = replace_lone_surrogates(value)
                if n:
                    object.__setattr__(self, name, clean)
                    replaced += n
        if self.authors:
            cleaned = [replace_lone_surrogates(a) for a in self.authors]
            if any(n for _, n in cleaned):
                self.authors = [a for a, _ in cleaned]
                replaced += sum(n for _, n in cleaned)
        if self.meta:
            meta, n = replace_lone_surrogates(self.meta)
            if n:
                self.meta = meta
                replaced += n
        if replaced:
            self.warnings.append(f"replaced {replaced} lone surrogate code point{'s' if replaced != 1 else ''} "
                                 "(not valid Unicode text) with U+FFFD")
        return self


class ArticleReport(_Strict):
    schema_: Literal["sourcetrace.article/1"] = Field(default=SCHEMA_ID, alias="schema")
    id: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    authors: list[str] = Field(default_factory=list)
    language: str = "en"
    text: str
    attributions: list[Attribution] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    loaded_language: list[LoadedSpan] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    profile: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    # added within v1: optional, so reports written before it still validate
    structure: list[Region] | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True, json_schema_serialization_defaults_required=True)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ArticleReport":
        return cls.model_validate(data)

    def iter_spans(self):
        """Every span in the report, for checks that offsets index into ``text``."""
        for a in self.attributions:
            for span in (a.source, a.cue, a.content):
                if span is not None:
                    yield span
        for s in self.sources:
            yield from s.mentions
        yield from self.loaded_language
        yield from self.claims


def json_schema() -> dict[str, Any]:
    schema = ArticleReport.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://sourcetrace.invalid/schema/article-report.v1.json"
    schema["title"] = "sourcetrace ArticleReport v1"
    # fields added within v1 stay optional: reports written before them are still v1
    for name, optional in OPTIONAL_V1_FIELDS.items():
        target = schema if name == "ArticleReport" else schema["$defs"][name]
        target["required"] = [f for f in target.get("required", []) if f not in optional]
    return schema
