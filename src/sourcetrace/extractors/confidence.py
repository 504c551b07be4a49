"""How sure each reading is: a calibrated probability per attribution and per speaker resolution.

Two logistic models over what the report itself says about an attribution (its form, cue, source mention,
the region it sits in, how its speaker was found): ``confidence`` is the probability that it is an attributed
statement at all, ``speaker_confidence`` that its source names the right speaker. They are fitted on the
tuning part of the who-says-so gold (``sourcetrace train confidence``) with the scorer's own definitions of a
true statement and a right speaker, so the web page and the API can show or filter uncertain readings; their
calibration error on the check part is what ``sourcetrace eval speakers`` reports. The weights are a small
JSON file per tier; without one, both fields stay null. A tier whose model carries a ``keep_threshold`` (the
accurate tier) drops the attributions its recall stage added below it, and any attribution below its
``drop_threshold``.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import ahocorasick

from ..model import ArticleReport, Attribution, Source
from .layout import remove_attributions
from .structure import region_at

PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them", "who", "i", "we", "you"})
COMMON_CUES = ("said", "says", "told", "according to", "reported", "added", "wrote", "claimed", "called", ":")
OPENING_MARKS = ("“", '"', "‘", "'")
# an indirect question ("asked whether ...", "are weighing how to ...") reports no claim
INDIRECT_QUESTION = re.compile(r"\s*(?:whether|how|why|what|when|where|who|if)\b")


def _mention_type(attribution: Attribution) -> str:
    if attribution.source is None:
        return "none"
    text = attribution.source.text.strip()
    if text.lower() in PRONOUNS:
        return "pronoun"
    if text[:1].isupper() and not text.lower().startswith(("the ", "a ", "an ")):
        return "proper"
    return "description"


OPINION_MARKS = ("opinion", "analysis", "commentary", "editorial", "op-ed", "column")


def _is_opinion(report: ArticleReport) -> bool:
    """A column or an analysis: its title or its first line says so (the writer's voice runs through it)."""
    head = " ".join(filter(None, [report.title, report.outlet, report.text[:80]])).lower()
    return any(mark in head for mark in OPINION_MARKS)


NEAR = 400  # characters before a statement that a reader has in mind when the speaker is named


def _surname(name: str) -> str:
    words = [w for w in name.replace("’s", "").replace("'s", "").split() if w[:1].isalpha()]
    return words[-1].lower() if words else ""


# the last report's named people's surnames, found in a window by one automaton (Aho-Corasick): (report, its
# sources list, that list's length, the automaton or None); one slot, replaced whole, so threads never see half of it
_surnames_of_report: tuple | None = None


def _competition(report: ArticleReport, attribution: Attribution, source: Source) -> tuple[float, float]:
    """Whether the speaker's name was just read, and how many other named people were (ambiguity)."""
    global _surnames_of_report
    at = attribution.source.start if attribution.source is not None else attribution.content.start
    window = report.text[max(0, at - NEAR):at].lower()
    own = _surname(source.name)
    # The other people are every named person's surname but the speaker's own ("" and own left out): read once
    # per report, not once per attribution, and looked for in the window all at once (each attribution
    # comparing every surname was attributions x people, quadratic on long texts).
    cached = _surnames_of_report
    if cached is None or cached[0] is not report or cached[1] is not report.sources or cached[2] != len(report.sources):
        surnames = {_surname(s.name) for s in report.sources if s.named and s.kind == "person"} - {""}
        automaton = None
        if surnames:
            automaton = ahocorasick.Automaton()
            for name in surnames:
                automaton.add_word(name, name)
            automaton.make_automaton()
        cached = _surnames_of_report = (report, report.sources, len(report.sources), automaton)
    automaton = cached[3]
    seen = {name for _, name in automaton.iter(window)} - {own} if automaton is not None else set()
    return float(bool(own) and own in window), float(len(seen))


def attribution_features(report: ArticleReport, attribution: Attribution, source: Source | None,
                         recall_stage: Mapping[str, float] = MappingProxyType({})) -> dict[str, float]:
    """Named features of one attribution, from the report alone (the same at training and run time)."""
    f: dict[str, float] = {f"form={attribution.form}": 1.0}
    cue = attribution.cue.text.strip().lower() if attribution.cue is not None else ""
    f["cue=" + (cue if cue in COMMON_CUES else ("none" if not cue else "other"))] = 1.0
    mention = _mention_type(attribution)
    f[f"mention={mention}"] = 1.0
    f[f"kind={source.kind if source else 'none'}"] = 1.0
    f["named"] = float(bool(source and source.named))
    content = attribution.content.text
    f["log_length"] = math.log1p(len(content))
    f["short_content"] = float(len(content.split()) <= 3)
    f["quoted"] = float(content.lstrip().startswith(OPENING_MARKS))
    f["nested"] = float(attribution.parent is not None)
    region = region_at(report.structure or [], attribution.content.start, attribution.content.end)
    f[f"region={region.kind if region else 'none'}"] = 1.0
    f[f"stance={attribution.stance}"] = 1.0
    f["opinion"] = float(_is_opinion(report))
    f["recall_stage"] = float(attribution.id in recall_stage)
    f["tagger_belief"] = recall_stage.get(attribution.id, 0.0)  # the recall stage's tagger: how sure it is itself
    if attribution.id in recall_stage:
        # What the recall stage adds is what the fast tier's patterns did not take: there a cue off the common list,
        # no cue, a short or bare content tell more against a statement than among the fast tier's readings, so
        # these features weigh again, on their own, for its readings (on the tuning part, out of fold, at the
        # 0.80 precision floor: 42 -> 51 right readings added).
        f["recall:cue_common"] = float(cue in COMMON_CUES)
        f["recall:no_cue"] = float(not cue)
        f["recall:quoted"] = f["quoted"]
        f["recall:short"] = f["short_content"]
        f["recall:indirect_question"] = float(bool(INDIRECT_QUESTION.match(content)))
        f["recall:named"] = f["named"]
        f[f"recall:form={attribution.form}"] = 1.0
    if source is not None:
        f["source_mentions"] = math.log1p(len(source.mentions))
        f["full_name"] = float(len(source.name.split()) >= 2)
        f["name_near"], f["others_near"] = _competition(report, attribution, source)
        f["resolved_away"] = float(attribution.source is not None
                                   and attribution.source.text.strip().lower() != source.name.strip().lower())
    return f


@lru_cache(maxsize=None)
def load_model(tier: str) -> dict | None:
    path = resources.files("sourcetrace") / "data" / "models" / "confidence" / f"{tier}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def probability(weights: dict[str, float], features: dict[str, float]) -> float:
    """The logistic model's probability; ``weights["bias"]`` is its intercept."""
    z = weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class ConfidenceScorer:
    name = "confidence"
    requires = ("speakers", "stance")
    assigns = ("confidence",)

    def __init__(self, tier: str):
        self.model = load_model(tier)

    def __call__(self, ctx) -> None:
        if self.model is None:
            return
        report = ctx.report
        sources = {s.id: s for s in report.sources}
        for a in report.attributions:
            source = sources.get(a.source_id) if a.source_id else None
            features = attribution_features(report, a, source, ctx.recall_stage)
            a.confidence = round(probability(self.model["attribution"], features), 4)
            a.speaker_confidence = round(probability(self.model["speaker"], features), 4)
        keep, drop = self.model.get("keep_threshold"), self.model.get("drop_threshold")
        if keep or drop:
            self._drop_below(ctx, keep or 0.0, drop or 0.0)

    @staticmethod
    def _drop_below(ctx, keep: float, drop: float) -> None:
        """What a recall stage added below ``keep``, and any reading below ``drop``, goes (and sources left unused):
        the tier's operating point (``training.confidence.keep_threshold``)."""
        report = ctx.report
        doubted = {a.id for a in report.attributions if a.confidence is not None
                   and a.confidence < (keep if a.id in ctx.recall_stage else drop)}
        if not doubted:
            return
        remove_attributions(report, doubted)
        used = {a.source_id for a in report.attributions if a.source_id}
        report.sources = [s for s in report.sources if s.id in used]
        ctx.source_keys = {k: v for k, v in ctx.source_keys.items() if v in used}


def make_confidence_scorer(options):
    return ConfidenceScorer(options.model.value if options is not None else "fast")
