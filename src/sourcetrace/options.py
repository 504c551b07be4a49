"""What a caller chooses about an analysis: one options type, read by the pipeline, the extractors,
the command line and the web app."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .textguard import MAX_CHARS

# the corpus store's default (``--db``): here, not in ``sourcetrace.store``, so that the commands can name it
# without importing SQLAlchemy and Alembic (a third of a second of every command's start-up, ``analyze`` too)
DEFAULT_STORE_URL = "sqlite:///sourcetrace.db"


class Tier(StrEnum):
    """The model tier (``--model``): ``fast`` (CRFs over the spaCy parse) or ``accurate`` (fine-tuned
    transformers, a few times slower on CPU)."""

    fast = "fast"
    accurate = "accurate"


@dataclass(frozen=True)
class AnalysisOptions:
    model: Tier = Tier.fast
    language: str = "en"  # the language record the analyzer is built for (sourcetrace.languages)
    max_chars: int = MAX_CHARS  # longer texts are cut at a line break before the parse, with a warning
    # seconds for one article, the parse included: a text that would not be analysed in time is parsed in pieces
    # and cut where the time runs out, and extractors not reached in time are skipped, with warnings
    # (Analyzer.parse_within); with a limit, streams parse each article on its own instead of in nlp.pipe batches
    time_limit: float | None = None

    def __post_init__(self) -> None:
        # accept the bare strings callers and pickled jobs pass ("accurate"); a wrong one fails here, not later
        object.__setattr__(self, "model", Tier(self.model))
