"""Keeping a long-running analysis process's memory flat (a ``sourcetrace batch`` worker analyses whole archives).

spaCy's ``nlp.memory_zone()`` drops the strings and lexemes the texts parsed inside it added to the vocabulary,
but not what the lemmatizer memoises: its ``cache`` maps (word, tag, morphology) to lemmas and gains an entry
for every new word form, without bound (about 20 KiB an AllSides article). ``analysis_zone`` drops the entries
of the words the zone dropped (those of words the vocabulary keeps, a bounded set that holds the common ones,
stay: relemmatising them every partition would cost CPU), and so do our own module-level memos of the same kind (``word_cache``: the attribution feature strings,
about 130 new keys an article, some 30 MiB before their size bound empties them), and then the heap pages freed
by the zone are handed back to the operating system.

The tokenizer, for its part, caches nothing while a zone is open (``Tokenizer._save_cached``), so a process
whose every parse runs in a zone tokenizes about twice as slowly (6.7 against 3.0 ms an AllSides article, warm
cache). ``TokenizerWarmUp`` lets a process parse outside a zone until the tokenizer's cache is full, as a
process without zones would: a bounded, one-off growth of the vocabulary.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from itertools import islice


_word_caches: list[dict] = []


def word_cache() -> dict:
    """A new module-level dict that memoises by word form (string ids, strings): ``analysis_zone`` drops the
    entries made inside a zone when it ends."""
    cache: dict = {}
    _word_caches.append(cache)
    return cache


def _lemmatizer_caches(nlp) -> list[dict]:
    from spacy.pipeline import Lemmatizer

    return [pipe.cache for _, pipe in nlp.pipeline if isinstance(pipe, Lemmatizer) and isinstance(pipe.cache, dict)]


def _drop_added(cache: dict, size: int) -> None:
    """Drop the entries made since ``cache`` held ``size``: a dict keeps insertion order, so they are the last ones
    (all of them when the cache was emptied in between)."""
    if len(cache) < size:
        cache.clear()
        return
    for key in list(islice(cache, size, None)):
        del cache[key]


@lru_cache(maxsize=1)
def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None  # glibc; musl has none


# mallopt parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
HEAP_MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest (64-bit)
HEAP_TRIM_THRESHOLD = 512 * 1024 * 1024
_heap_kept = False


def keep_freed_heap() -> bool:
    """Let this process's C heap keep what it frees for the next allocation, instead of handing it back to the
    operating system at once and faulting it in again. Analysis frees and re-allocates blocks of 128 KiB to a
    few MiB an article (pycrfsuite's item sequences, numpy token arrays, the parser's state), which glibc serves
    by ``mmap`` and returns by ``munmap``, and it trims the top of the heap whenever 128 KiB there are free:
    ``sourcetrace analyze`` of 300 AllSides articles made 877,000 page faults and spent 3.3 s of system time
    (a bare parse of the same texts 91,000 and 0.5 s); with blocks up to 32 MiB taken from the heap and the heap
    trimmed only past 512 MiB free, 116,000 and 0.7 s (and 1.3 s less user time), for 6 % more peak memory
    (570 -> 603 MiB). Explicit
    trims (``release_free_memory``, which ``analysis_zone`` calls) still return the free pages. Once a process;
    False where unavailable (not glibc)."""
    global _heap_kept
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    if not _heap_kept:
        # the mmap threshold first: setting either turns glibc's dynamic adjustment of both off
        _heap_kept = bool(libc.mallopt(_M_MMAP_THRESHOLD, HEAP_MMAP_THRESHOLD)) and bool(
            libc.mallopt(_M_TRIM_THRESHOLD, HEAP_TRIM_THRESHOLD))
    return _heap_kept


class CollectorThreshold:
    """The cycle collector's youngest-generation threshold, set while any of its blocks is open: the first block
    to open sets it from the thresholds it finds (``found()``), and the last to close restores those, in whatever
    order blocks close and from whatever threads. ``found`` is read once, when no block is open."""

    def __init__(self, youngest: Callable[[int], int], found: Callable[[], tuple[int, ...]] = gc.get_threshold,
                 last_closed: Callable[[], None] | None = None):
        self._youngest = youngest
        self._found = found
        self._last_closed = last_closed
        self._lock = threading.Lock()
        self._open = 0
        self._restores: tuple[int, ...] = ()

    def restores(self) -> tuple[int, ...] | None:
        """The thresholds the last block's end restores; None while no block is open."""
        with self._lock:
            return self._restores if self._open else None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._open == 0:
                self._restores = self._found()
                gc.set_threshold(self._youngest(self._restores[0]), *self._restores[1:])
            self._open += 1
        try:
            yield
        finally:
            with self._lock:
                self._open -= 1
                if self._open == 0:
                    if self._last_closed is not None:
                        self._last_closed()
                    gc.set_threshold(*self._restores)


# Start-up: no automatic collection (a zero threshold), and everything alive at the end frozen: see collector_paused
_start_up = CollectorThreshold(youngest=lambda found: 0, last_closed=gc.freeze)


def collector_thresholds() -> tuple[int, ...]:
    """``gc.get_threshold()``, or while ``collector_paused`` holds automatic collections off, the thresholds it
    restores: what another setting of the thresholds should take as the default."""
    restores = _start_up.restores()
    return gc.get_threshold() if restores is None else restores


def collector_paused() -> AbstractContextManager[None]:
    """Start-up: no automatic collection inside, and everything alive at its end frozen (``gc.freeze``: never
    walked by the collector again; reference counting still frees it). Importing spaCy and loading the pipeline and
    the models make about a million objects that live as long as the process and almost no cyclic garbage, and the
    collector walked them again and again as they piled up (0.16 s of CPU of every ``sourcetrace analyze``, half of
    what it spent before its first article beyond a bare parse's start-up, measured with ``gc.callbacks``).
    Collections are held off by a zero threshold, not ``gc.disable``: srsly turns the collector back on after each
    msgpack load, and the pipeline loads through it."""
    return _start_up.held()


def release_free_memory() -> bool:
    """Return the free pages of the C heap to the operating system (glibc's ``malloc_trim``): freed memory
    otherwise stays in the process, at the high-water mark of its largest batch. False where unavailable."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


@contextmanager
def analysis_zone(nlp) -> Iterator[None]:
    """``nlp.memory_zone()``, and at its end the lemmatizer cache entries made inside it are dropped and the
    freed heap is released. Docs, tokens and spans made inside must not be used after it (spaCy's rule)."""
    lemmatizers = _lemmatizer_caches(nlp)
    lemmatized = [len(cache) for cache in lemmatizers]
    sizes = [len(cache) for cache in _word_caches]
    try:
        with nlp.memory_zone():
            yield
    finally:
        strings = nlp.vocab.strings
        for cache, size in zip(lemmatizers, lemmatized):
            # keyed (word id, tag, morphology): the words the vocabulary keeps (the model's, the warm-up's: a
            # bounded set, and the common ones) keep their lemmas; those of words the zone dropped go with them
            for key in list(islice(cache, size, None)):
                if key[0] not in strings:
                    del cache[key]
        for cache, size in zip(_word_caches, sizes):
            _drop_added(cache, size)
        release_free_memory()


class TokenizerWarmUp:
    """Counts the distinct space-separated chunks of the texts parsed outside a zone, the keys of spaCy's
    tokenizer cache, until there are as many as the cache holds (``Tokenizer.max_cache_size``)."""

    def __init__(self, nlp):
        self.capacity = getattr(nlp.tokenizer, "max_cache_size", 0)
        self.chunks: set[str] | None = set() if self.capacity else None

    @property
    def done(self) -> bool:
        return self.chunks is None

    def add(self, text: str) -> None:
        if self.chunks is None:
            return
        self.chunks.update(text.split(" "))
        if len(self.chunks) >= self.capacity:
            self.chunks = None  # full: the set is not needed any more


class FlatMemory:
    """Keeps a process that analyses article after article for as long as it runs (a batch worker, the web app,
    a fuzz worker) at the memory it had after warm-up: its first articles are parsed outside a zone, the first
    of all so that what extractors load lazily stays, the others until the tokenizer's cache is full; every
    later one inside ``analysis_zone``."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.warm_up = TokenizerWarmUp(nlp)
        self.started = False

    def outside_zone(self, texts: Sequence[str]) -> int:
        """How many of these texts, the next ones to be parsed, in order, are parsed outside a zone."""
        count = 0
        while count < len(texts) and (not self.started or not self.warm_up.done):
            self.started = True
            self.warm_up.add(texts[count])
            count += 1
        return count

    def zone(self):
        return analysis_zone(self.nlp)

    def analyze(self, analyzer, article):
        """``analyzer.analyze(article)``, in a zone once warmed up."""
        if self.outside_zone([article.text]):
            return analyzer.analyze(article)
        with self.zone():
            return analyzer.analyze(article)
