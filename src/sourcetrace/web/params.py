"""Parsing the list filters shared by the article page and the API."""
from __future__ import annotations

from datetime import date

from ..store.queries import STANCES, ArticleQuery
from ..store.statement_search import StatementQuery

# the highest page number a list accepts: far past any store's last page, and its offset fits a 64-bit integer
# (page=2**63 used to reach the database and fail there: HTTP 500)
MAX_PAGE = 1_000_000


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def truthy(value: str | None) -> bool:
    return (value or "").lower() in {"1", "true", "on", "yes"}


def date_range(date_from: str | None, date_to: str | None):
    """The parsed (start, end) dates and the problems with them (a bad date is ignored and reported)."""
    problems = []
    start, end = parse_date(date_from), parse_date(date_to)
    if date_from and start is None:
        problems.append(f"ignored the start date {date_from!r}: use YYYY-MM-DD")
    if date_to and end is None:
        problems.append(f"ignored the end date {date_to!r}: use YYYY-MM-DD")
    return start, end, problems


def article_query(
    q: str | None, outlet: str | None, date_from: str | None, date_to: str | None, anonymous: str | None,
    hedged: str | None, page: int, per_page: int,
) -> tuple[ArticleQuery, list[str]]:
    """The query and the problems with the given filters (bad dates are ignored and reported)."""
    start, end, problems = date_range(date_from, date_to)
    query = ArticleQuery(
        q=q or None, outlet=outlet or None, date_from=start, date_to=end, anonymous=truthy(anonymous),
        hedged=truthy(hedged), page=max(page, 1), per_page=per_page,
    )
    return query, problems


def statement_query(
    speaker: str | None, said: str | None, outlet: str | None, date_from: str | None, date_to: str | None,
    anonymous: str | None, stance: str | None, page: int, per_page: int,
) -> tuple[StatementQuery, list[str]]:
    """The who-said-what query and the problems with the given filters (bad dates and stances are ignored)."""
    start, end, problems = date_range(date_from, date_to)
    if stance and stance not in STANCES:
        problems.append(f"ignored the stance {stance!r}: one of {', '.join(STANCES)}")
        stance = None
    query = StatementQuery(speaker=speaker or None, said=said or None, outlet=outlet or None, date_from=start,
                           date_to=end, anonymous=truthy(anonymous), stance=stance or None, page=max(page, 1),
                           per_page=per_page)
    return query, problems


def confidence_threshold(value: str | None) -> tuple[float | None, list[str]]:
    """``min_confidence`` of the report endpoints and the article page: the threshold, and the problem with it
    (a value that is not a probability is refused, not ignored: the reading shown would not be the one asked for)."""
    from ..readings import parse_min_confidence

    try:
        return parse_min_confidence(value), []
    except ValueError as exc:
        return None, [f"min_confidence {exc}"]
