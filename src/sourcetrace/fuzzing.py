"""Seeded random and adversarial texts for ``sourcetrace bench fuzz``, and the checks each analysis must pass.

Every case is made from a ``random.Random(seed, index)``, so a failure is reproduced from the seed and the
case number alone. The checks: no exception; the report's text is the input (lone surrogates replaced one for
one); every span's ``text`` equals its slice of the report's text; CPU time per character within a bound.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# pieces adversarial texts are built from: what broke the tokenizer, the quote finder or the serialiser before
EMOJI = "\U0001F600\U0001F44D\U0001F3FD\u2764\ufe0f\U0001F468\u200d\U0001F469\u200d\U0001F467\U0001F1FA\U0001F1F8"
QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u2039\u203a`"
SYMBOLS = "\u00a7\u00b6\u2020\u2021\u2022\u2026\u2030\u2122\u00a9\u00ae#$%&*+/<=>@\\^_|~()[]{}.,;:!?-\u2013\u2014"
ODD_SPACE = " \t\r\n\u00a0\u2028\u2029\u200b\u3000\x0b\x0c\x85"
SCRIPTS = ("\u0416\u0443\u0440\u043d\u0430\u043b\u0438\u0441\u0442 \u0441\u043a\u0430\u0437\u0430\u043b",
           "\u0627\u0644\u0635\u062d\u0641\u064a \u0642\u0627\u0644", "\u8bb0\u8005\u8bf4\u4ed6\u4eec\u540c\u610f",
           "\u05d4\u05e2\u05d9\u05ea\u05d5\u05e0\u05d0\u05d9 \u05d0\u05de\u05e8", "e\u0301\u0301\u0301\u0308\u0308",
           "\u202eevil\u202c", "\U0001D54A\U0001D552\U0001D55A\U0001D555")
PROSE = ("The mayor said the bridge is safe.", "\u201cWe will appeal,\u201d the lawyer told reporters.",
         "According to officials, 40% of the budget was spent.", "Critics claimed the plan would fail, sources said.",
         "The senator, who spoke on condition of anonymity, said talks had stalled.",
         "\"It is over,\" she said. \"Done.\"", "Police said a man was arrested on Tuesday.")


def _run(rng: random.Random, alphabet: str, longest: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, longest)))


def _random_code_points(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        plane = rng.random()
        if plane < 0.6:
            out.append(chr(rng.randint(0x20, 0x7E)))
        elif plane < 0.9:
            out.append(chr(rng.randint(0xA0, 0xFFFF)))  # includes lone surrogates D800-DFFF
        else:
            out.append(chr(rng.randint(0x10000, 0x10FFFF)))
    return "".join(out)


def _prose_with_noise(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if roll < 0.45:
            parts.append(rng.choice(PROSE))
        elif roll < 0.55:
            parts.append(_run(rng, EMOJI, 400))
        elif roll < 0.65:
            parts.append(_run(rng, QUOTES, 400))
        elif roll < 0.72:
            parts.append(_run(rng, SYMBOLS, 400))
        elif roll < 0.80:
            parts.append(rng.choice(SCRIPTS))
        elif roll < 0.88:
            parts.append(_random_code_points(rng, rng.randint(1, 60)))
        else:
            parts.append("x" * rng.randint(1, 3000))  # a token without spaces
        parts.append(_run(rng, ODD_SPACE, 3) if rng.random() < 0.5 else " ")
    return "".join(parts)


def _long_run(rng: random.Random) -> str:
    alphabet = rng.choice([EMOJI, QUOTES, SYMBOLS, ".,", "\u201c\u201d", "-", "a\U0001F600"])
    return rng.choice(PROSE) + " " + _run(rng, alphabet, 6000) + " " + rng.choice(PROSE)


def _quotes_maze(rng: random.Random) -> str:
    words = ["said", "told", "according to", "\u201c", "\u201d", "\"", "'", "claimed", "the", "mayor", ",", ".", "\n"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 800)))


GENERATORS: tuple[Callable[[random.Random], str], ...] = (
    _prose_with_noise, _prose_with_noise, _prose_with_noise, _long_run, _quotes_maze,
    lambda rng: _random_code_points(rng, rng.randint(0, 2000)),
)


def make_case(seed: int, index: int) -> str:
    rng = random.Random(f"{seed}:{index}")
    return rng.choice(GENERATORS)(rng)


@dataclass
class FuzzResult:
    cases: int = 0
    analysed: int = 0
    refused: int = 0  # empty texts: an InputError, as designed
    characters: int = 0
    seconds: float = 0.0  # CPU seconds
    worst_seconds_per_kchar: float = 0.0
    worst_case: int | None = None
    peak_rss_mib: float = 0.0  # the largest of the worker processes
    failures: list[str] = field(default_factory=list)


def check_case(analyzer, seed: int, index: int, result: FuzzResult, seconds_per_kchar: float, floor_seconds: float,
               memory=None) -> None:
    """Analyse case ``index`` and record a failure for an exception, a wrong text or span, or a slow case; with
    ``memory`` (a ``FlatMemory``) as the web app and batch workers analyse: in a memory zone once warm."""
    from .errors import InputError
    from .ingest import read_text
    from .textguard import replace_lone_surrogates

    text = make_case(seed, index)
    result.cases += 1
    # the bound is on CPU time: on a shared machine wall time measures the neighbours (a case that took 17 s
    # of wall time at load 7 took 0.7 s of CPU, and 1.5 s of wall time alone)
    started = time.process_time()
    try:
        article = read_text(text, origin=f"case {index}")
    except InputError:
        result.refused += 1
        return
    try:
        report = memory.analyze(analyzer, article) if memory is not None else analyzer.analyze(article)
        report.to_json()
    except Exception as exc:  # the whole point: any exception is a finding
        result.failures.append(f"seed {seed} case {index}: {exc.__class__.__name__}: {exc}"[:300])
        return
    elapsed = time.process_time() - started
    result.analysed += 1
    result.characters += len(text)
    result.seconds += elapsed
    expected, _ = replace_lone_surrogates(text)
    if report.text != expected[: len(report.text)] or (len(text) <= analyzer.options.max_chars and report.text != expected):
        result.failures.append(f"seed {seed} case {index}: report text differs from the input")
    for span in report.iter_spans():
        if report.text[span.start:span.end] != span.text:
            result.failures.append(f"seed {seed} case {index}: span {span.start}-{span.end} {span.text!r} is not its slice")
            break
    per_kchar = elapsed / max(len(text), 1) * 1000
    if elapsed > floor_seconds and per_kchar > result.worst_seconds_per_kchar:
        result.worst_seconds_per_kchar, result.worst_case = per_kchar, index
    if elapsed > floor_seconds + seconds_per_kchar * len(text) / 1000:
        result.failures.append(f"seed {seed} case {index}: {elapsed:.2f} CPU s for {len(text):,} characters "
                               f"(bound {floor_seconds:g} s + {seconds_per_kchar:g} s per 1,000)")


_analyzer = None  # the process's analyzer: built once, then every block of cases a worker runs reuses it
_memory = None  # and its memory zones: a worker runs cases for as long as the web app or a batch worker would


def _process_analyzer():
    global _analyzer, _memory
    if _analyzer is None:
        from .memory import FlatMemory
        from .model import Article
        from .pipeline import Analyzer

        _analyzer = Analyzer()
        _memory = FlatMemory(_analyzer.nlp)
        # extractors load their models on the first article: not a case's time
        _memory.analyze(_analyzer, Article(text=PROSE[1]))
    return _analyzer, _memory


def peak_memory_mib() -> float:
    """This process's peak resident memory: ``VmHWM`` where Linux has it (per address space, so a worker
    spawned by a large parent reports its own), else ``ru_maxrss``, which Linux keeps across fork and exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cases(seed: int, indices: range, seconds_per_kchar: float, floor_seconds: float) -> FuzzResult:
    """Cases ``indices`` in this process (a block of ``bench fuzz``, in a worker or in-process)."""
    analyzer, memory = _process_analyzer()
    result = FuzzResult()
    for index in indices:
        check_case(analyzer, seed, index, result, seconds_per_kchar, floor_seconds, memory)
    result.peak_rss_mib = peak_memory_mib()
    return result


def blocks(start: int, cases: int, size: int) -> list[range]:
    """Cases ``start``..``start + cases - 1`` in consecutive blocks of ``size``: the unit a worker runs and
    progress is reported in, so a run stopped early has checked a known prefix."""
    end = start + cases
    return [range(first, min(first + size, end)) for first in range(start, end, size)]


def merge(results: list[FuzzResult]) -> FuzzResult:
    total = FuzzResult()
    for r in results:
        total.cases += r.cases
        total.analysed += r.analysed
        total.refused += r.refused
        total.characters += r.characters
        total.seconds += r.seconds
        total.failures.extend(r.failures)
        total.peak_rss_mib = max(total.peak_rss_mib, r.peak_rss_mib)
        if r.worst_seconds_per_kchar > total.worst_seconds_per_kchar:
            total.worst_seconds_per_kchar, total.worst_case = r.worst_seconds_per_kchar, r.worst_case
    return total
