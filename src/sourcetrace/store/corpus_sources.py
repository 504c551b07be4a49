"""Sources across the corpus: each referent's names, from every article, merged into one corpus source.

The per-article sources (``sources`` rows: name, kind, named) are grouped by name first, then merged by a
conservative rule whose reason is kept with every alias:

- people: titles ("President", "Sen."), middle initials and possessives are dropped; names with the same
  given name and surname (and the same suffix: "Jr." is another person) are one person. A surname alone
  ("Trump", "President Trump") joins a full name only when exactly one person in the corpus has that
  surname, or, when several do, exactly one of them was seen with the same title. Full names that are two
  names run together by extraction (a three-part name seen once, "Ben Ehrenreich Trump"; a given name that
  is a better-known person's surname, "Trump Biden") do not count as people sharing the surname. Otherwise it stays on
  its own, and its reason names the people it could be: two different people who share a surname are
  never merged.
- organizations, governments, media and groups: the same name once "the", possessives, case and
  punctuation are set aside (and the media lexicon's aliases: "NYT" is The New York Times); an acronym
  joins the one long name in the corpus whose initials it is.
- unnamed sources ("a senior official") are grouped by their wording only, never with a named source.

Names that cannot be a source of the kind given (a "person" with digits in its name, an acronym or a
lowercase word tagged as a person, a bare pronoun) are left out of the index with their reason.

The index is computed from the ``sources`` table (one grouped query, then the merge in Python) and kept
per store version, so a page view reuses it until an article is added.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, and_, func, select

from ..lexicons import media_aliases
from ..textspans import normalise
from .cache import LRU
from .models import ArticleRow, AttributionRow, OutletRow, SourceRow
from .store import Store

# words that are a role or courtesy title, not part of a person's name
TITLES = frozenset("""
president vice vp former late sen senator rep representative congressman congresswoman gov governor lt
mayor secretary minister prime premier chancellor dr doctor mr mrs ms miss prof professor judge justice
chief gen general col colonel maj major capt captain lt. sgt sergeant adm admiral commissioner ambassador
attorney speaker leader majority minority house senate state deputy assistant spokesman spokeswoman
spokesperson press director chair chairman chairwoman ceo founder king queen prince princess pope
rev reverend father sister bishop cardinal sheriff officer detective agent candidate nominee
council councilman councilwoman councilmember del delegate lawmaker democratic republican u.s u.s. us
""".split())
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
PRONOUNS = frozenset("""i me we us you he him she her they them it his hers their theirs its who whom this that
these those one someone somebody anyone""".split())
ORG_STOP = frozenset({"of", "the", "and", "for", "on", "in", "at", "to", "&"})
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*|\d[\w.-]*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")
PERSON_KINDS = frozenset({"person"})


@dataclass
class Alias:
    """One name as written in the per-article sources, with how often, and why it is in its corpus source."""

    name: str
    kind: str
    named: bool
    articles: int
    attributions: int
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "named": self.named, "articles": self.articles,
                "attributions": self.attributions, "reason": self.reason}


@dataclass
class CorpusSource:
    id: str
    name: str  # the fullest name seen
    kind: str  # the kind most of its mentions carry
    named: bool
    aliases: list[Alias] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(a.articles for a in self.aliases)

    @property
    def attributions(self) -> int:
        return sum(a.attributions for a in self.aliases)

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "named": self.named,
                "articles": self.articles, "attributions": self.attributions,
                "aliases": [a.name for a in self.aliases]}


@dataclass
class CorpusIndex:
    sources: dict[str, CorpusSource]
    of_alias: dict[tuple[str, str, bool], str]  # (name, kind, named) -> corpus source id
    left_out: list[Alias]  # not a source of the kind given, with the reason

    def ranked(self) -> list[CorpusSource]:
        return sorted(self.sources.values(), key=lambda s: (-s.articles, -s.attributions, s.name.lower()))

    def find(self, text: str) -> list[CorpusSource]:
        """Corpus sources one of whose names contains ``text`` (case-insensitive), most cited first."""
        needle = text.strip().lower()
        if not needle:
            return []
        return [s for s in self.ranked() if any(needle in a.name.lower() for a in s.aliases)]


# ------------------------------------------------------------------ names


def _tokens(name: str) -> list[str]:
    return [_POSSESSIVE.sub("", t) for t in _TOKEN.findall(name)]


@dataclass(frozen=True)
class PersonName:
    titles: tuple[str, ...]  # lowercased, dots dropped
    given: str | None  # lowercased first given name; None for a surname alone
    surname: str
    suffix: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.given or "", self.surname, self.suffix)


def parse_person(name: str) -> PersonName | None:
    """Titles, given name, surname and suffix of a person's name; None when no name is left."""
    tokens = _tokens(name)
    titles: list[str] = []
    while tokens and (tokens[0].lower().rstrip(".") in TITLES or not tokens[0][:1].isupper()):
        word = tokens.pop(0).lower().rstrip(".")
        if word in TITLES:
            titles.append(word)
    suffix = ""
    if tokens and tokens[-1].lower().rstrip(".") in SUFFIXES:
        suffix = tokens.pop().lower().rstrip(".")
    # middle initials ("Donald J. Trump") and quoted nicknames carry nothing the rest does not
    core = [t for t in tokens if not re.fullmatch(r"[A-Za-z]\.?", t)] or tokens
    if not core:
        return None
    if len(core) == 1:
        return PersonName(tuple(titles), None, core[0].lower(), suffix)
    return PersonName(tuple(titles), core[0].lower(), core[-1].lower(), suffix)


QUANTIFIERS = frozenset("some many most others other few several both all any each none".split())
_PAGE_TEXT = re.compile(r"\n|https?:|www\.|\.com\b|\bscreenshot\b|\bclick\b", re.IGNORECASE)


def well_formed_person(name: str) -> bool:
    """A full name as people write one: two to four capitalised words (particles like "de" or "van" allowed),
    none in capitals only. What extraction glues together ("Brad Parscale - Text TRUMP", "The list of options
    for Trump") is not, and does not count as a person sharing a surname."""
    words = name.replace("’", "'").split()
    core = [w for w in words if w.lower().rstrip(".") not in TITLES]
    if not 2 <= len(core) <= 4 or any(not re.fullmatch(r"[^\W\d_][\w'.-]*", w) for w in core):
        return False
    particles = {"de", "da", "van", "von", "der", "del", "la", "le", "bin", "al"}
    return all((w[0].isupper() and not (len(w) > 2 and w.isupper())) or w.lower() in particles for w in core)


def not_a_source(name: str, kind: str, named: bool) -> str | None:
    """Why a name cannot be the source it is tagged as, or None when it can."""
    stripped = name.strip()
    if not re.search(r"[^\W\d_]", stripped):
        return "no letters in the name"
    if _PAGE_TEXT.search(stripped) or (named and len(stripped.split()) > 12):
        return "page text, not a name (a caption, link or headline run into it)"
    if stripped.lower() in PRONOUNS and not stripped.isupper():  # "US" is a country, "us" a pronoun
        return "a pronoun not resolved to a name"
    if stripped.lower() in QUANTIFIERS:
        return "a quantifier (\"some\", \"many\"), not a source"
    if kind in PERSON_KINDS and named:
        if re.search(r"\d", stripped):
            return "a person's name has no digits (a disease, a law or a product tagged as a person)"
        words = _tokens(stripped)
        if not any(w[:1].isupper() for w in words):
            return "no capitalised word: not a person's name"
        if len(words) == 1 and len(words[0]) >= 3 and words[0].isupper():
            return "an acronym tagged as a person"
    return None


def org_key(name: str) -> str:
    """One key for an organization's spellings: 'the Pentagon's' == 'Pentagon'; media aliases resolved."""
    low = " ".join(_tokens(name)).lower().replace("’", "'")
    low = re.sub(r"^the\s+", "", low).strip(" .")
    canonical = media_aliases().get(normalise(name)) or media_aliases().get(normalise(low))
    if canonical:
        low = re.sub(r"^the\s+", "", canonical.lower())
    return low


def initials(name: str) -> str:
    return "".join(t[0] for t in _tokens(name) if t.lower() not in ORG_STOP and t[:1].isupper()).upper()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "source"


def source_id(kind_group: str, key: tuple) -> str:
    """A stable, readable id from what the source is keyed by (not from row ids, which differ per store)."""
    joined = " ".join(str(k) for k in key if k)
    digest = hashlib.sha1(f"{kind_group}|{key!r}".encode("utf-8")).hexdigest()[:6]
    return f"{_slug(joined)}-{digest}"


# ------------------------------------------------------------------ the merge


def merge_sources(names: Iterable[Alias]) -> CorpusIndex:
    """Merge per-article names (already grouped by exact name, kind, named) into corpus sources."""
    groups: dict[tuple, list[Alias]] = defaultdict(list)
    left_out: list[Alias] = []
    short_people: list[tuple[Alias, PersonName]] = []
    person_titles: dict[tuple, Counter] = defaultdict(Counter)
    for alias in names:
        why = not_a_source(alias.name, alias.kind, alias.named)
        if why:
            alias.reason = why
            left_out.append(alias)
            continue
        if not alias.named:
            alias.reason = "same wording (an unnamed source: the same words may mean different people)"
            groups[("unnamed", alias.kind, " ".join(_tokens(alias.name)).lower())].append(alias)
        elif alias.kind in PERSON_KINDS:
            person = parse_person(alias.name)
            if person is None:
                alias.reason = "no name left once titles are dropped"
                left_out.append(alias)
            elif person.given is None:
                short_people.append((alias, person))
            else:
                alias.reason = "same given name and surname"
                groups[("person", *person.key)].append(alias)
                person_titles[("person", *person.key)].update(person.titles)
        else:
            alias.reason = "same name"
            groups[("org", org_key(alias.name))].append(alias)
    # a surname alone joins the one full name with that surname (by title when several share it)
    # the people who share a surname: full names written as names. A three-part name seen in one article only
    # ("Ben Ehrenreich Trump": a byline run into a headline) and a "given name" that is another person's surname
    # ("Trump Biden") are as likely two names run together, and do not count as another person
    # the most articles a full name with each surname is seen in ("Trump Donald" seen once does not make
    # "Donald" a surname that outweighs Donald Trump)
    surname_weight: dict[str, int] = defaultdict(int)
    for key, aliases in groups.items():
        if key[0] == "person" and key[1]:
            surname_weight[key[2]] = max(surname_weight[key[2]], sum(a.articles for a in aliases))

    def is_person(key: tuple) -> bool:
        aliases = groups[key]
        if not any(well_formed_person(a.name) for a in aliases):
            return False
        if surname_weight.get(key[1], 0) > sum(a.articles for a in aliases):
            return False
        three_part = all(len([w for w in a.name.split() if w.lower().rstrip(".") not in TITLES | SUFFIXES
                              and not re.fullmatch(r"[A-Za-z]\.?", w)]) >= 3 for a in aliases)  # initials aside
        return not three_part or sum(a.articles for a in aliases) >= 2

    by_surname: dict[str, list[tuple]] = defaultdict(list)
    for key in groups:
        if key[0] == "person" and is_person(key):
            by_surname[key[2]].append(key)

    def others_set_aside(surname: str) -> bool:
        return any(k[0] == "person" and k[1] and k[2] == surname and k not in by_surname[surname] for k in groups)
    for alias, person in short_people:
        candidates = [k for k in by_surname.get(person.surname, []) if k[3] == person.suffix]
        chosen = None
        if len(candidates) == 1:
            chosen = candidates[0]
            alias.reason = (f"surname of the only {person.surname.title()} in the corpus written as a full name"
                            + (" (names run together set aside)" if others_set_aside(person.surname) else ""))
        elif candidates and person.titles:
            titled = [k for k in candidates if set(person.titles) & set(person_titles[k])]
            if len(titled) == 1:
                chosen = titled[0]
                alias.reason = f"surname and title ({', '.join(person.titles)}) of only one person in the corpus"
        if chosen is None:
            if candidates:
                who = ", ".join(sorted({_display(groups[k]) for k in candidates})[:5])
                alias.reason = f"not merged: the surname is shared by {len(candidates)} people ({who})"
            else:
                alias.reason = "a surname alone (no full name in the corpus)"
            chosen = ("person", "", person.surname, person.suffix)
        groups[chosen].append(alias)
    # an acronym joins the one long name in the corpus whose initials it is
    long_by_initials: dict[str, list[tuple]] = defaultdict(list)
    for key in list(groups):
        if key[0] == "org" and len(key[1].split()) >= 2:
            long_by_initials[initials(_display(groups[key]))].append(key)
    for key in [k for k in groups if k[0] == "org" and re.fullmatch(r"[a-z]{2,6}", k[1].replace(".", ""))]:
        if not any(re.sub(r"^the\s+", "", a.name.replace(".", "").strip(), flags=re.I).isupper() for a in groups[key]):
            continue
        targets = long_by_initials.get(key[1].replace(".", "").upper(), [])
        if len(targets) == 1 and targets[0] != key:
            for alias in groups.pop(key):
                alias.reason = f"acronym of {_display(groups[targets[0]])} (the only name in the corpus with those initials)"
                groups[targets[0]].append(alias)
    sources: dict[str, CorpusSource] = {}
    of_alias: dict[tuple[str, str, bool], str] = {}
    for key, aliases in groups.items():
        sid = source_id(key[0], key[1:])
        kinds: Counter[str] = Counter()
        for a in aliases:
            kinds[a.kind] += a.articles
        aliases.sort(key=lambda a: (-a.articles, -a.attributions, a.name))
        source = CorpusSource(id=sid, name=_display(aliases), kind=kinds.most_common(1)[0][0],
                              named=key[0] != "unnamed", aliases=aliases)
        sources[sid] = source
        for a in aliases:
            of_alias[(a.name, a.kind, a.named)] = sid
    return CorpusIndex(sources, of_alias, left_out)


def _display(aliases: list[Alias]) -> str:
    """The fullest name: most name words once titles are set aside, then the most frequent."""
    def words(a: Alias) -> int:
        person = parse_person(a.name) if a.kind in PERSON_KINDS else None
        return (2 if person and person.given else 1) if person else len(_tokens(a.name))

    return max(aliases, key=lambda a: (words(a), a.articles, -len(a.name))).name


# ------------------------------------------------------------------ over the store

_INDEXES = LRU(8)
_build_lock = threading.Lock()


def corpus_index(store: Store) -> CorpusIndex:
    """The merged index of the store's sources, computed once per store version."""
    from .corrections import corrections_version

    key = (store.url, store.version(), corrections_version(store))  # a correction can move a statement too
    found = _INDEXES.get(key)
    if found is not None:
        return found
    with _build_lock:
        found = _INDEXES.get(key)
        if found is None:
            found = merge_sources(_alias_rows(store))
            _INDEXES.put(key, found)
    return found


def _alias_rows(store: Store, outlet: str | None = None) -> list[Alias]:
    stmt = (
        select(SourceRow.name, SourceRow.kind, SourceRow.named,
               func.count(func.distinct(SourceRow.article_pk)).label("articles"),
               func.coalesce(func.sum(SourceRow.n_attributions), 0).label("attributions"))
        .group_by(SourceRow.name, SourceRow.kind, SourceRow.named)
    )
    if outlet is not None:
        stmt = (stmt.join(ArticleRow, ArticleRow.pk == SourceRow.article_pk)
                .join(OutletRow, OutletRow.id == ArticleRow.outlet_id).where(OutletRow.name == outlet))
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [Alias(r.name or "", r.kind or "unknown", bool(r.named), int(r.articles), int(r.attributions))
            for r in rows if r.name]


def list_corpus_sources(store: Store, q: str | None = None, kind: str | None = None, named: bool | None = None,
                        outlet: str | None = None, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """One page of merged corpus sources, most cited first (the API's and the index page's shape). With
    ``outlet``: the sources that outlet quotes, merged as across the corpus, counted in its articles only."""
    per_page = max(1, min(per_page, 100))
    index = corpus_index(store)
    found = index.find(q) if q and q.strip() else index.ranked()
    if outlet:
        return _page([s for s in _outlet_view(store, index, outlet) if s.id in {f.id for f in found}],
                     kind, named, page, per_page)
    return _page(found, kind, named, page, per_page)


def _outlet_view(store: Store, index: CorpusIndex, outlet: str) -> list[CorpusSource]:
    per_source: dict[str, CorpusSource] = {}
    for alias in _alias_rows(store, outlet):
        sid = index.of_alias.get((alias.name, alias.kind, alias.named))
        if sid is None:
            continue  # left out of the index
        full = index.sources[sid]
        view = per_source.setdefault(sid, CorpusSource(full.id, full.name, full.kind, full.named))
        view.aliases.append(alias)
    return sorted(per_source.values(), key=lambda s: (-s.articles, -s.attributions, s.name.lower()))


def _page(found: list[CorpusSource], kind: str | None, named: bool | None, page: int, per_page: int) -> dict[str, Any]:
    if kind:
        found = [s for s in found if s.kind == kind]
    if named is not None:
        found = [s for s in found if s.named == named]
    page = max(page, 1)
    items = [s.summary() for s in found[(page - 1) * per_page: page * per_page]]
    return {"items": items, "total": len(found), "page": page, "per_page": per_page,
            "pages": max(1, -(-len(found) // per_page))}


STATEMENT_LIMIT = 1000


def statement_columns():
    length = (AttributionRow.content_end - AttributionRow.content_start).cast(Integer)
    return (
        ArticleRow.id.label("article"), ArticleRow.title, ArticleRow.published, ArticleRow.published_month,
        OutletRow.name.label("outlet"), AttributionRow.attribution_id, AttributionRow.stance, AttributionRow.form,
        AttributionRow.source_text, AttributionRow.cue_text, AttributionRow.content_start, AttributionRow.content_end,
        AttributionRow.anonymous, SourceRow.name.label("source_name"), SourceRow.kind.label("source_kind"),
        SourceRow.named.label("source_named"),
        func.substr(ArticleRow.text, AttributionRow.content_start + 1, length).label("content"),
    )


def statements_join(stmt):
    return (
        stmt.select_from(AttributionRow)
        .join(ArticleRow, ArticleRow.pk == AttributionRow.article_pk)
        .outerjoin(SourceRow, and_(SourceRow.article_pk == AttributionRow.article_pk,
                                   SourceRow.source_id == AttributionRow.source_id))  # sourceless reports too
        .outerjoin(OutletRow, OutletRow.id == ArticleRow.outlet_id)
    )


def statement_dict(r) -> dict[str, Any]:
    return {"article": r.article, "title": r.title, "outlet": r.outlet, "published": r.published,
            "attribution_id": r.attribution_id, "stance": r.stance, "form": r.form, "source_text": r.source_text,
            "cue": r.cue_text, "content": r.content, "start": r.content_start, "end": r.content_end,
            "source": {"name": r.source_name, "kind": r.source_kind, "named": bool(r.source_named)}}


def source_detail(store: Store, source_id_: str, limit: int = STATEMENT_LIMIT) -> dict[str, Any] | None:
    """A corpus source with its aliases (and why each is there), descriptors, statements (article, outlet,
    date, stance), the outlets that quote it and how often, and its statements per month. None if unknown."""
    index = corpus_index(store)
    source = index.sources.get(source_id_)
    if source is None:
        return None
    members = {(a.name, a.kind, a.named) for a in source.aliases}
    names = sorted({a.name for a in source.aliases})
    with store.engine.connect() as conn:
        rows = conn.execute(
            statements_join(select(*statement_columns())).where(SourceRow.name.in_(names))
            .order_by(ArticleRow.published_date.desc(), ArticleRow.pk.desc(), AttributionRow.content_start)
        ).all()
        descriptor_rows = conn.execute(
            select(SourceRow.descriptor, func.count().label("n")).where(SourceRow.name.in_(names),
                                                                       SourceRow.descriptor.is_not(None))
            .group_by(SourceRow.descriptor).order_by(func.count().desc()).limit(30)
        ).all()
    rows = [r for r in rows if (r.source_name, r.source_kind, bool(r.source_named)) in members]
    outlets = Counter(r.outlet or "(no outlet)" for r in rows)
    months = Counter(r.published_month or "undated" for r in rows)
    stances = Counter(r.stance for r in rows)
    return {
        **source.summary(),
        "aliases": [a.as_dict() for a in source.aliases],
        "descriptors": [{"text": d.descriptor, "count": d.n} for d in descriptor_rows if d.descriptor],
        "statements_total": len(rows),
        "statements": [statement_dict(r) for r in rows[:limit]],
        "outlets": [{"outlet": o, "statements": n} for o, n in outlets.most_common()],
        "timeline": [{"month": m, "statements": months[m]} for m in sorted(months)],
        "stances": dict(stances),
    }


__all__ = ["Alias", "CorpusSource", "CorpusIndex", "merge_sources", "parse_person", "not_a_source", "corpus_index",
           "list_corpus_sources", "source_detail"]
