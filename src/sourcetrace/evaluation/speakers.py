"""``sourcetrace eval speakers``: who says so, scored as ``../shared/guides/attribution-gold.md`` defines it.

- Spans are compared after trimming spaces, punctuation and quote marks from both edges.
- A gold statement is *found* when a predicted content overlaps it by at least half of the shorter of the
  two; among several, the prediction whose source overlaps the gold source is taken (then the largest
  overlap).
- statement precision: predicted attributions whose content so overlaps some gold content; recall: gold
  statements found.
- speaker right: a sourceless gold statement needs a null predicted source; a named one needs the predicted
  source's resolved name (``sources[].name``) to name the same referent (same surname for a person, or one
  name containing the other once titles and articles are dropped); an anonymous one needs a predicted source
  with ``named`` false one of whose mentions overlaps the gold source mention (with no gold mention, as for
  an uncued continuation paragraph, the names are compared instead).
- who_says_so: gold statements found with the right speaker, over all gold statements.
- kind / named accuracy: over found statements that have a gold speaker; no predicted source is wrong.
- calibration: expected calibration error (10 equal-width bins, weighted by count) of each attribution's
  ``confidence`` against "is a gold statement", and of ``speaker_confidence`` against "speaker right" over
  the found statements; "n/a" when the reports carry no confidences.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..corpora.attribution_gold import GoldArticle, GoldStatement
from ..model import ArticleReport, Attribution, Source
from .attributions import trim
from .metrics import f1

MIN_OVERLAP = 0.5
ECE_BINS = 10
# words dropped before two names are compared: titles, honorifics and articles
_NAME_NOISE = frozenset("""
the a an mr mrs ms miss dr sir madam president vice former late sen senator rep representative gov governor
lt mayor judge justice chief secretary attorney general ag speaker leader minority majority house senate
prime minister chancellor rev reverend gen general adm admiral col colonel sgt officer detective professor
prof ceo chairman chairwoman chair spokesman spokeswoman spokesperson director commissioner ambassador
u.s us american democratic republican democrat republican rep. sen. gov. jr sr ii iii
""".split())
_WORD = re.compile(r"[\w.'’-]+", re.UNICODE)


def name_words(name: str, noise: frozenset[str] = _NAME_NOISE) -> list[str]:
    """Lower-case words of a name without titles, articles and possessive endings."""
    words = []
    for w in _WORD.findall(name.lower()):
        w = re.sub(r"['’]s$", "", w).strip(".'’-")
        if w and w not in noise:
            words.append(w)
    return words


_ARTICLES = frozenset({"the", "a", "an"})


_LIST_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


def same_referent(gold_name: str, predicted_name: str, person: bool) -> bool:
    """The guide's rule: same surname (people), or one name's words contained in the other's; a list of people
    ("Tom Steyer and Pete Buttigieg") names the same group in any order when each of its names matches one of the
    other's."""
    listed_g, listed_p = _LIST_SEPARATOR.split(gold_name.strip()), _LIST_SEPARATOR.split(predicted_name.strip())
    if len(listed_g) > 1 and len(listed_g) == len(listed_p):
        unmatched = list(listed_p)
        for name in listed_g:
            match = next((other for other in unmatched if same_referent(name, other, person=True)), None)
            if match is None:
                break
            unmatched.remove(match)
        else:
            return True
    g, p = name_words(gold_name), name_words(predicted_name)
    if not g and not p:
        # a name made only of words the rule drops as titles ("The U.S."): compare it without articles only
        g, p = name_words(gold_name, _ARTICLES), name_words(predicted_name, _ARTICLES)
    if not g or not p:
        return False
    if person and g[-1] == p[-1]:
        return True
    joined_g, joined_p = " ".join(g), " ".join(p)
    return f" {joined_g} " in f" {joined_p} " or f" {joined_p} " in f" {joined_g} "


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    return trim(text, start, end, punctuation=True)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def content_match(gold: tuple[int, int], pred: tuple[int, int]) -> int:
    """Overlap in characters when it reaches half the shorter span, else 0."""
    shorter = min(gold[1] - gold[0], pred[1] - pred[0])
    inter = _overlap(gold, pred)
    return inter if shorter > 0 and inter >= MIN_OVERLAP * shorter else 0


@dataclass
class StatementResult:
    """One gold statement and what the system made of it (for error listings)."""

    article_id: str
    gold: GoldStatement
    predicted: Attribution | None
    predicted_source: Source | None
    speaker_right: bool


@dataclass
class SpeakerScores:
    n_gold: int = 0
    n_pred: int = 0
    pred_true: int = 0
    found: int = 0
    speaker_right: int = 0
    with_speaker: int = 0
    kind_right: int = 0
    named_right: int = 0
    # (confidence, outcome) pairs for calibration
    attribution_conf: list[tuple[float, bool]] = field(default_factory=list)
    speaker_conf: list[tuple[float, bool]] = field(default_factory=list)
    results: list[StatementResult] = field(default_factory=list)
    false_positives: list[tuple[str, Attribution]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pred_true / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.found if self.found else 0.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_right / self.with_speaker if self.with_speaker else 0.0

    @property
    def named_accuracy(self) -> float:
        return self.named_right / self.with_speaker if self.with_speaker else 0.0

    @property
    def who_says_so(self) -> float:
        return self.speaker_right / self.n_gold if self.n_gold else 0.0

    @property
    def attribution_ece(self) -> float | None:
        return expected_calibration_error(self.attribution_conf)

    @property
    def speaker_ece(self) -> float | None:
        return expected_calibration_error(self.speaker_conf)

    def figures(self) -> dict[str, float | int | None]:
        return {"articles_statements": self.n_gold, "predicted": self.n_pred,
                "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "speaker_accuracy": self.speaker_accuracy, "kind_accuracy": self.kind_accuracy,
                "named_accuracy": self.named_accuracy, "who_says_so": self.who_says_so,
                "attribution_ece": self.attribution_ece, "speaker_ece": self.speaker_ece}


def expected_calibration_error(pairs: Sequence[tuple[float, bool]], bins: int = ECE_BINS) -> float | None:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by their counts."""
    if not pairs:
        return None
    totals = [[0, 0.0, 0] for _ in range(bins)]  # count, confidence sum, correct
    for conf, ok in pairs:
        b = min(bins - 1, max(0, int(conf * bins)))
        totals[b][0] += 1
        totals[b][1] += conf
        totals[b][2] += int(ok)
    n = len(pairs)
    return sum(abs(c_ok / cnt - c_sum / cnt) * cnt / n for cnt, c_sum, c_ok in totals if cnt)


def _speaker_right(g: GoldStatement, attr: Attribution, source: Source | None, text: str) -> bool:
    if g.speaker is None:
        return attr.source is None and source is None
    if source is None:
        return False
    if g.named:
        return same_referent(g.speaker, source.name, person=g.kind == "person")
    if source.named:
        return False
    if g.source is not None:
        gold_mention = trimmed_span(text, g.source.start, g.source.end)
        mentions = list(source.mentions) + ([attr.source] if attr.source is not None else [])
        return any(_overlap(gold_mention, trimmed_span(text, m.start, m.end)) > 0 for m in mentions)
    return same_referent(g.speaker, source.name, person=False)


def score_article(gold: GoldArticle, report: ArticleReport, scores: SpeakerScores) -> None:
    text = report.text
    sources = {s.id: s for s in report.sources}
    golds = [(g, trimmed_span(text, g.content.start, g.content.end)) for g in gold.statements]
    preds = [(a, trimmed_span(text, a.content.start, a.content.end)) for a in report.attributions]
    scores.n_gold += len(golds)
    scores.n_pred += len(preds)
    for attr, span in preds:
        is_true = any(content_match(gspan, span) for _, gspan in golds)
        scores.pred_true += is_true
        if not is_true:
            scores.false_positives.append((gold.article.id or "", attr))
        conf = getattr(attr, "confidence", None)
        if conf is not None:
            scores.attribution_conf.append((conf, is_true))
    for g, gspan in golds:
        best: tuple[int, int, Attribution] | None = None
        gsource = trimmed_span(text, g.source.start, g.source.end) if g.source else None
        for attr, span in preds:
            inter = content_match(gspan, span)
            if not inter:
                continue
            source_hit = int(bool(gsource and attr.source and
                                  _overlap(gsource, trimmed_span(text, attr.source.start, attr.source.end))))
            key = (source_hit, inter, attr)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None:
            scores.results.append(StatementResult(gold.article.id or "", g, None, None, False))
            continue
        attr = best[2]
        source = sources.get(attr.source_id) if attr.source_id else None
        right = _speaker_right(g, attr, source, text)
        scores.found += 1
        scores.speaker_right += right
        if g.speaker is not None:
            scores.with_speaker += 1
            scores.kind_right += bool(source and source.kind == g.kind)
            scores.named_right += bool(source and source.named == g.named)
        speaker_conf = getattr(attr, "speaker_confidence", None)
        if speaker_conf is not None:
            scores.speaker_conf.append((speaker_conf, right))
        scores.results.append(StatementResult(gold.article.id or "", g, attr, source, right))


def evaluate(articles: Iterable[GoldArticle], analyse: Callable[[GoldArticle], ArticleReport]) -> SpeakerScores:
    scores = SpeakerScores()
    for gold in articles:
        score_article(gold, analyse(gold), scores)
    return scores
