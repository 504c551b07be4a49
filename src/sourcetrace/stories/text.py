"""Cheap text features for story clustering and claim alignment: tokens, light stems, TF-IDF vectors.

Clustering runs over raw text (title + lead), not over the full NLP analysis, so
it stays fast enough for 100k articles on two cores.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from ..lexicons import load as load_lexicon

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
LEAD_WORDS = 160  # the event is in the title and the first paragraphs; the rest adds topic noise


def stop_words() -> frozenset[str]:
    return load_lexicon("story_stop_words")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude suffix strip so 'evictions'/'eviction', 'voted'/'votes' meet; precision matters less than speed."""
    if len(word) > 5:
        for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_terms(text: str, max_words: int | None = None) -> list[str]:
    """Lower-cased stemmed content words (numbers kept), in order."""
    stops = stop_words()
    out: list[str] = []
    for i, match in enumerate(_TOKEN.finditer(text)):
        if max_words is not None and i >= max_words:
            break
        word = match.group().lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in stops or len(word) < 2:
            continue
        out.append(stem(word))
    return out


def numbers_in(text: str) -> set[str]:
    return {m.group().replace(",", "") for m in _NUMBER.finditer(text)}


TITLE_WEIGHT = 3


def article_terms(title: str | None, text: str, lead_words: int = LEAD_WORDS) -> Counter:
    """Term counts of title (weighted: it names the event) and lead. Bigrams measured no better, so none."""
    counts: Counter = Counter()
    for part, weight in ((title or "", TITLE_WEIGHT), (text, 1)):
        for t in content_terms(part, lead_words):
            counts[t] += weight
    return counts


def tfidf(counts: Counter, idf) -> dict[str, float]:
    """Sublinear tf x idf, L2-normalised; ``idf`` maps a term to its weight."""
    vec = {t: (1.0 + math.log(c)) * idf(t) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
