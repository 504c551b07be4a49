"""The language seam: what analysing one language takes, and which language an article is in.

A ``LanguageRecord`` names what the analysis of a language is built from: its spaCy pipeline
packages, its lexicon folder, its shipped models and its extractors. An ``Analyzer`` is built for
one record (``AnalysisOptions.language``; English is the only record today) and checks every
article's language first (``choose``): the text's detected language when the detector is sure of it,
else the language the input declared. An article in another language than the analyzer's gets a
warning in its report and no analysis at all: never an English reading of another language.
``sourcetrace.analyze`` uses the analyzer of each article's language when there is a record for it.

Detection is py3langid (langid.py's model, offline, 97 languages), loaded on the first article (its
decompressed arrays cached in the user's cache folder: ``detector_arrays``).
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .lexicons import ENGLISH_FOLDER, Lexicons
from .lexicons import at as lexicons_at
from .nlp import PIPELINE_CANDIDATES

if TYPE_CHECKING:
    from .model import Article
    from .options import AnalysisOptions

# the detector overrides the declared language only when this sure (normalised probability) and the text
# is this long: on all 636 articles of the compare corpora (PolNeAR, AllSides, PTC, samples) py3langid
# says English, but a two-word headline can come out as anything
SURE = 0.95
MIN_CHARS = 200
# the detector reads the start of the text (a byte automaton in Python: its time grows with the length):
# 1,000 characters take ~0.5 ms, 2,000 ~1 ms, a whole AllSides article ~12 (loaded 2-core machine); 1,000 and
# 2,000 decide the same on all 636 compare articles and on all 12,000 AllSides articles
DETECT_CHARS = 1_000


@dataclass(frozen=True)
class LanguageRecord:
    code: str  # ISO 639-1, as in Article.language and the report's ``language``
    name: str
    spacy_packages: tuple[str, ...]  # the first importable one is loaded (sourcetrace.nlp)
    lexicons: str  # folder of the lexicon files: inside the package, or an absolute path
    models: tuple[str, ...]  # shipped model folders (data/models/...)
    extractors: tuple[str, ...]  # "module:factory" of its extractors (sourcetrace.extractors)

    def lexicon_files(self) -> Lexicons:
        """The word lists of this language (the files of its ``lexicons`` folder)."""
        return lexicons_at(self.lexicons)


def _english() -> LanguageRecord:
    from .extractors import EXTRACTORS

    return LanguageRecord(
        code="en", name="English", spacy_packages=PIPELINE_CANDIDATES, lexicons=ENGLISH_FOLDER,
        models=("attributions-fast", "attributions-accurate", "propaganda-fast", "propaganda-accurate"),
        extractors=EXTRACTORS,
    )


@lru_cache(maxsize=1)
def records() -> dict[str, LanguageRecord]:
    """Every language the analysis supports, by code."""
    return {record.code: record for record in (_english(),)}


def record_for(code: str) -> LanguageRecord:
    """The record of a supported language; an unsupported one is an error (the caller asked for it by name)."""
    try:
        return records()[code]
    except KeyError:
        from .errors import SourcetraceError

        raise SourcetraceError(f"no analysis for language {code!r} (supported: {', '.join(sorted(records()))})") from None


def lexicons_for(options: AnalysisOptions) -> Lexicons:
    """The word lists of the language an analyzer with ``options`` is built for: what extractor factories read."""
    return record_for(options.language).lexicon_files()


def load_spacy(record: LanguageRecord):
    """The spaCy pipeline of ``record``: its first importable package, loaded once per process."""
    from . import nlp

    if record.spacy_packages == nlp.PIPELINE_CANDIDATES:
        return nlp.load_pipeline()  # English: the shared pipeline every other part of the code uses
    return _load_other(record.spacy_packages)


@lru_cache(maxsize=None)
def _load_other(packages: tuple[str, ...]):
    import importlib

    from .errors import PipelineNotFound

    for name in packages:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        pipeline = module.load()
        pipeline.max_length = 11_000_000
        return pipeline
    raise PipelineNotFound(f"none of the spaCy pipelines {', '.join(packages)} is installed")


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    detected: bool  # True: the detector's reading; False: what the input declared
    record: LanguageRecord | None  # None: not supported

    def warning(self) -> str:
        how = "detected" if self.detected else "declared by the input"
        supported = ", ".join(sorted(records()))
        return (f"language {self.code!r} ({how}) is not supported (supported: {supported}): no attributions, "
                "sources, claims or loaded language were extracted")


_detector_lock = threading.Lock()


# the detector's model ships LZMA-compressed: decompressing it took 0.35-0.4 s of every process's start-up (a sixth
# of `sourcetrace analyze` on one article). The decompressed arrays are kept in the user's cache folder (about
# 68 MB; SOURCETRACE_CACHE_DIR moves it) and read back in about 0.07 s by later processes.
DETECTOR_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def cache_dir() -> Path:
    """Where sourcetrace keeps what it can rebuild: $SOURCETRACE_CACHE_DIR, else $XDG_CACHE_HOME/sourcetrace,
    else ~/.cache/sourcetrace."""
    if os.environ.get("SOURCETRACE_CACHE_DIR"):
        return Path(os.environ["SOURCETRACE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sourcetrace"


def _detector_model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def detector_cache_file() -> Path:
    """The decompressed copy of the installed detector model: named by the package's version and the model
    file's size and modification time, so an upgraded or replaced model is never read from an old copy."""
    from importlib.metadata import version

    stat = _detector_model_file().stat()
    return cache_dir() / f"py3langid-{version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}.npz"


def _valid(arrays: dict) -> bool:
    """The arrays of a readable model: all there, with the shapes that fit together."""
    if set(arrays) != set(DETECTOR_ARRAYS):
        return False
    ptc, pc, nextmove, rows, out = (arrays[k] for k in ("ptc", "pc", "nextmove", "nextmove_row", "out_feat"))
    return (ptc.ndim == 2 and pc.shape == (ptc.shape[1],) and arrays["classes"].shape == pc.shape
            and rows.shape == out.shape and nextmove.size % 256 == 0 and len(rows) > 0
            and int(rows.max()) < nextmove.size // 256)


def _read_cached(path: Path) -> dict | None:
    import zipfile

    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # missing, truncated, not an npz: rebuilt
        return None
    return arrays if _valid(arrays) else None


def _write_cached(path: Path, arrays: dict) -> None:
    """Atomically (a temporary file renamed into place): a process reading it never sees half a file. Where the
    cache folder cannot be written, nothing is cached and every process decompresses the model."""
    import tempfile

    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def detector_arrays() -> dict:
    """The detector model's arrays, from the cache when a valid copy is there, else decompressed from the
    package (and cached)."""
    path = detector_cache_file()
    arrays = _read_cached(path)
    if arrays is None:
        import lzma
        import shutil
        import tempfile

        import numpy as np

        # through a seekable file, as py3langid reads it: the zip reader seeks, which an LZMA stream does slowly
        with tempfile.TemporaryFile(suffix=".npz") as tmp:
            with lzma.open(_detector_model_file()) as src:
                shutil.copyfileobj(src, tmp, length=1 << 20)
            tmp.seek(0)
            with np.load(tmp, allow_pickle=False) as data:
                arrays = {name: data[name] for name in DETECTOR_ARRAYS}
        _write_cached(path, arrays)
    return arrays


@lru_cache(maxsize=1)
def _detector():
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _to_array

    # as py3langid.modelio.load_model builds them from the same arrays
    a = detector_arrays()
    return LanguageIdentifier(a["ptc"], a["pc"], a["classes"].tolist(), _to_array(a["nextmove"]), a["out_feat"].tolist(),
                              norm_probs=True, tk_row=_to_array(a["nextmove_row"]))


def detect(text: str) -> tuple[str, float]:
    """(language code, normalised probability) of ``text``."""
    with _detector_lock:  # the identifier keeps scratch state per call
        code, probability = _detector().classify(text)
    return code, float(probability)


def choose(article: Article) -> LanguageChoice:
    """The language to analyse ``article`` in (see the module's docstring)."""
    # "en-US", "EN" -> "en": records are per language, not per region
    code, detected = article.language.replace("_", "-").split("-")[0].lower(), False
    if len(article.text) >= MIN_CHARS:
        found, probability = detect(article.text[:DETECT_CHARS])
        if probability >= SURE and found != code:
            code, detected = found, True
    return LanguageChoice(code, detected, records().get(code))
