"""A batch worker's memory stays flat: what an analysis zone adds is dropped when it ends (real spaCy pipeline)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from sourcetrace.memory import FlatMemory, TokenizerWarmUp, analysis_zone, word_cache
from sourcetrace.model import Article
from sourcetrace.nlp import load_pipeline
from sourcetrace.pipeline import Analyzer

FIRST = "“The bridge will reopen in May,” the mayor said on Monday, according to the city's report."
# invented word forms: no pipeline or earlier test has seen them
NEW = ("The zorblaxian officials quibbertated the flennish grobbles, spokeswoman Varnetta Quillibrand "
       "told reporters on Tuesday, and the skrunties said they were unconvinced.")


def test_zone_drops_lemmatizer_and_word_cache_entries_it_added():
    nlp = load_pipeline()
    lemmatizer = nlp.get_pipe("lemmatizer")
    memo = word_cache()
    nlp(FIRST)
    memo["kept"] = 1
    assert "officials" in nlp.vocab.strings  # a word of the model's vocabulary, lemmatised afresh in the zone
    officials = nlp.vocab.strings["officials"]
    for key in [key for key in lemmatizer.cache if key[0] == officials]:
        del lemmatizer.cache[key]
    before = dict(lemmatizer.cache)
    with analysis_zone(nlp):
        doc = nlp(NEW)
        lemmas = [t.lemma_ for t in doc]
        added = set(lemmatizer.cache) - set(before)  # memoised inside the zone
        memo["zone"] = 2
    # entries of the words the zone dropped (the invented ones) went with them; the vocabulary's own words
    # (officials) keep their lemmas, and nothing memoised before the zone was lost
    dropped = {key for key in added if key[0] not in nlp.vocab.strings}
    known = added - dropped
    assert dropped and any(key[0] == officials for key in known)
    assert not dropped & set(lemmatizer.cache)
    assert known <= set(lemmatizer.cache) and set(before) <= set(lemmatizer.cache)
    assert memo == {"kept": 1}
    with analysis_zone(nlp):  # the lemmas come out the same once the zone's entries are gone
        assert [t.lemma_ for t in nlp(NEW)] == lemmas


def test_zone_after_cache_emptied_inside_drops_the_rest():
    nlp = load_pipeline()
    memo = word_cache()
    memo.update({"a": 1, "b": 2})
    with analysis_zone(nlp):
        memo.clear()  # a size bound emptied it mid-zone: what remains was all made inside
        memo["c"] = 3
    assert memo == {}


def test_analysis_in_zones_equals_analysis_without():
    analyzer = Analyzer()
    articles = [Article(id="a", text=FIRST * 3), Article(id="b", text=NEW * 4)]
    plain = [r.to_json() for r in analyzer.analyze_many(articles)]
    for _ in range(2):  # the second pass runs on caches the first zone trimmed
        with analysis_zone(analyzer.nlp):
            zoned = [r.to_json() for r in analyzer.analyze_many(articles)]
        assert zoned == plain


def test_tokenizer_warm_up_counts_distinct_chunks_up_to_the_cache_size():
    nlp = load_pipeline()
    warm_up = TokenizerWarmUp(nlp)
    assert warm_up.capacity == nlp.tokenizer.max_cache_size > 0
    warm_up.add("the the the mayor said")
    assert not warm_up.done and warm_up.chunks == {"the", "mayor", "said"}
    warm_up.add(" ".join(f"w{i}" for i in range(warm_up.capacity)))
    assert warm_up.done



def test_analyze_starts_without_the_store_libraries(tmp_path):
    """``sourcetrace analyze`` does not import SQLAlchemy or Alembic (a third of a second of start-up)."""
    code = ("import sys\nfrom sourcetrace.cli import _load_commands\n_load_commands()\n"
            "print(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_web_analysis_service_runs_in_zones_once_warm():
    """The web app analyses for as long as it runs: once warmed up, what an article adds to the vocabulary goes
    when its analysis ends, and its report is the one an analysis outside any zone gives."""
    from sourcetrace.web.analysis import AnalysisService

    service = AnalysisService()
    first = service.analyze(Article(id="first", text=FIRST))  # the first article: outside a zone, models load
    memory = service._memory
    assert memory is not None and memory.started
    memory.warm_up.add(" ".join(f"warm{i}" for i in range(memory.warm_up.capacity)))  # as after many articles
    assert memory.warm_up.done
    # word forms of its own: other tests parse NEW outside a zone in this process
    text = NEW.replace("quibbertated", "plonkificated").replace("Varnetta", "Zelbrinda") * 2
    article = Article(id="new", text=text)
    zoned = service.analyze(article)
    assert "plonkificated" not in service._analyzer.nlp.vocab.strings
    assert zoned.to_json() == Analyzer().analyze(article).to_json()
    assert first.attributions and zoned.attributions


def test_flat_memory_parses_the_first_text_outside_a_zone_even_when_warm():
    nlp = load_pipeline()
    memory = FlatMemory(nlp)
    memory.warm_up.chunks = None  # a tokenizer that caches nothing: warm from the start
    assert memory.outside_zone(["a", "b"]) == 1  # the first, so what extractors load lazily stays
    assert memory.outside_zone(["c"]) == 0


def test_collector_paused_holds_collections_off_even_when_srsly_turns_the_collector_on():
    """Inside: no automatic collection however much is allocated, also after srsly's msgpack load (which calls
    gc.disable and gc.enable); after: the thresholds are back and what was made inside is frozen."""
    import gc

    import srsly

    from sourcetrace.memory import collector_paused, collector_thresholds

    before = gc.get_threshold()
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        with collector_paused():
            assert gc.get_threshold()[0] == 0 and collector_thresholds() == before
            srsly.msgpack_loads(srsly.msgpack_dumps({"words": ["a"] * 100}))
            assert gc.isenabled()
            made = [[i] for i in range(50_000)]  # 70 times the default threshold of container allocations
            assert collections == []
        assert gc.get_threshold() == before
        frozen = gc.get_freeze_count()
        assert frozen >= len(made)
    finally:
        gc.callbacks.remove(count)
        gc.unfreeze()


FAULTS_OF_REUSED_BLOCKS = """
import ctypes, ctypes.util, resource, sys
from sourcetrace.memory import keep_freed_heap
kept = keep_freed_heap() if sys.argv[1] == "keep" else None
libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(30):  # 8 MiB in 64 KiB blocks, filled, then all freed: what an article's analysis leaves
    blocks = [libc.malloc(64 << 10) for _ in range(128)]
    for block in blocks:
        ctypes.memset(block, 1, 64 << 10)
    for block in reversed(blocks):
        libc.free(block)
print(kept, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")
def test_keep_freed_heap_reuses_freed_blocks_instead_of_faulting_them_in_again():
    def faults(mode: str) -> tuple[str, int]:
        done = subprocess.run([sys.executable, "-c", FAULTS_OF_REUSED_BLOCKS, mode], capture_output=True, text=True,
                              check=True)
        kept, count = done.stdout.split()
        return kept, int(count)

    kept, with_kept = faults("keep")
    _, without = faults("default")
    assert kept == "True"
    # by default glibc hands the freed top of the heap back (past 128 KiB free) and faults it in again the next
    # time (2,048 pages a round); kept, the heap's pages are faulted in once
    assert with_kept < 4_000 and without > 5 * with_kept


def test_collector_threshold_is_set_by_the_first_block_and_restored_by_the_last_in_any_order():
    import gc

    from sourcetrace.memory import CollectorThreshold

    before = gc.get_threshold()
    closed = []
    hold = CollectorThreshold(youngest=lambda found: found + 1000, last_closed=lambda: closed.append(True))
    try:
        first, second = hold.held(), hold.held()
        first.__enter__()
        assert gc.get_threshold()[0] == before[0] + 1000 and hold.restores() == before
        second.__enter__()
        first.__exit__(None, None, None)  # the first block closes while the second is still open
        assert gc.get_threshold()[0] == before[0] + 1000 and not closed
        second.__exit__(None, None, None)
        assert gc.get_threshold() == before and closed == [True] and hold.restores() is None
    finally:
        gc.set_threshold(*before)
