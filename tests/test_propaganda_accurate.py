"""The accurate propaganda tier: the MiniLM fragment tagger (int8 ONNX) blended with the fast tier's CRF.

The shipped weights load from the installed package with the network off and without torch; word
probabilities come from the right wordpieces; hysteresis keeps faint runs out; the seed article is
read as the issue asks under ``--model accurate`` too."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from sourcetrace.model import Article
from sourcetrace.pipeline import AnalysisOptions, Analyzer
from sourcetrace.extractors.propaganda import accurate

from conftest import assert_shipped_tagger, assert_spans_index_text, require_shared, run_offline_without_torch


def _log_probs(inside: list[float]) -> np.ndarray:
    """[n, 3] O/B/I log-probabilities with P(O) = 1 - inside (B and I share the rest)."""
    rows = [[math.log(1 - p), math.log(p / 2), math.log(p / 2)] for p in inside]
    return np.asarray(rows)


def test_word_probability_is_the_highest_of_its_wordpieces():
    # "Unbelievable lies!" -> un ##believ ##able | lies | !
    offsets = [(0, 2), (2, 8), (8, 12), (13, 17), (17, 18)]
    lp = _log_probs([0.1, 0.9, 0.2, 0.6, 0.05])
    words = accurate.word_inside_probability(lp, offsets, starts=[0, 13, 17], ends=[12, 17, 18])
    assert words == pytest.approx([0.9, 0.6, 0.05])


def test_word_without_wordpieces_is_outside():
    # a word the tokenizer dropped (e.g. a control character) has no pieces
    words = accurate.word_inside_probability(_log_probs([0.7]), [(0, 3)], starts=[0, 4], ends=[3, 5])
    assert words == pytest.approx([0.7, 0.0])


def test_blend_weights_the_crf():
    blend = accurate.Blend(crf_weight=0.25, threshold=0.1)
    assert blend.mix([1.0, 0.0], [0.0, 1.0]) == pytest.approx([0.25, 0.75])


class _Words:
    """The parts of DocFeatures that runs_to_fragments reads."""

    def __init__(self, words: list[str]):
        self.text = " ".join(words)
        self.starts, self.ends, pos = [], [], 0
        for w in words:
            self.starts.append(pos)
            self.ends.append(pos + len(w))
            pos += len(w) + 1
        self.sentences = [(0, len(words))]


def test_hysteresis_keeps_runs_that_reach_the_peak():
    from sourcetrace.extractors.propaganda.model import runs_to_fragments

    feats = _Words(["a", "vile", "smear", "and", "some", "faint", "words"])
    probs = [0.0, 0.2, 0.6, 0.0, 0.15, 0.2, 0.0]
    plain = [feats.text[s:e] for s, e, _ in runs_to_fragments(feats, probs, 0.1)]
    assert plain == ["vile smear", "some faint"]
    kept = [feats.text[s:e] for s, e, _ in runs_to_fragments(feats, probs, 0.1, peak=0.5)]
    assert kept == ["vile smear"]


# ---- the shipped model ---------------------------------------------------------------------------


def test_shipped_model_files_are_small_and_described():
    meta = assert_shipped_tagger(accurate.model_dir(), accurate.SPAN_TYPES)
    assert meta["data"]["articles"] == 300
    accurate.Blend(**meta["blend"])  # the recorded blend is a valid one


def test_loads_offline_without_torch():
    """A fresh interpreter with sockets disabled and torch / transformers unimportable finds a loaded phrase."""
    run_offline_without_torch(
        "from sourcetrace.nlp import load_pipeline\n"
        "from sourcetrace.extractors.propaganda.accurate import load_shipped_accurate\n"
        "from sourcetrace.lexicons import english\n"
        "text = 'The corrupt elites and their lapdog media are waging a shameful war on ordinary Americans.'\n"
        "frags = load_shipped_accurate().predict(load_pipeline()(text), english())\n"
        "assert frags, frags\n"
        "print('ok')\n"
    )


@pytest.fixture(scope="module")
def accurate_seed_report(seed_path):
    from sourcetrace.ingest import read_inputs

    (article,) = list(read_inputs([str(seed_path)]))
    report = Analyzer(AnalysisOptions(model="accurate")).analyze(article)
    assert_spans_index_text(report)
    return report


def test_accurate_tier_runs_the_blended_model():
    from sourcetrace.extractors.propaganda.loaded_language import load_propaganda_model

    assert isinstance(load_propaganda_model("accurate"), accurate.AccuratePropagandaModel)


def test_seed_own_voice_loaded_language_accurate(accurate_seed_report):
    from test_propaganda import _found

    for phrase in ("lashed out", "brutally enforced"):
        spans = _found(accurate_seed_report, phrase)
        assert spans, f"{phrase!r} not found; loaded spans: {[s.text for s in accurate_seed_report.loaded_language]}"
        assert all(s.speaker_id is None for s in spans), (phrase, spans)


def test_quoted_loaded_words_belong_to_the_speaker():
    text = ("The senator spoke on Monday. “This is a disgraceful, cowardly betrayal of every family in this state,” "
            "Senator Maria Lopez said of the budget deal.")
    report = Analyzer(AnalysisOptions(model="accurate")).analyze(Article(text=text))
    assert_spans_index_text(report)
    quoted = [s for s in report.loaded_language if "betrayal" in s.text or "cowardly" in s.text or "disgraceful" in s.text]
    assert quoted, [s.text for s in report.loaded_language]
    lopez = {s.id for s in report.sources if "Lopez" in s.name}
    assert lopez and all(s.speaker_id in lopez for s in quoted), (quoted, report.sources)


# ---- cross-validation with fine-tuning (needs the train extra) ------------------------------------


@pytest.mark.shared
def test_cross_validation_fine_tunes_each_fold(tmp_path, monkeypatch):
    pytest.importorskip("torch", reason="fine-tuning needs the train extra (pip install -e '.[train]')")
    from sourcetrace.evaluation.propaganda import accurate_docs_section, cross_validate
    from sourcetrace.corpora.ptc import read_ptc
    from sourcetrace.training.propaganda_crf import TrainConfig, parse_articles
    from sourcetrace.training import propaganda_transformer
    from sourcetrace.training.token_tagger import FineTuneConfig

    parsed = parse_articles(read_ptc(require_shared("ptc", "train"), limit=4))
    blend = accurate.Blend(0.5, 0.15, 0.3)

    def run():
        return cross_validate(parsed, folds=2, config=TrainConfig(crf_iterations=20), blend=blend,
                              encoder=FineTuneConfig(epochs=1, max_steps=2, threads=1), encoder_seeds=(13, 29),
                              cache_dir=tmp_path / "cache")

    result = run()
    assert result.blend == blend and result.si is result.si_by_blend[blend]
    assert accurate.Blend(1.0, TrainConfig().threshold) in result.si_by_blend  # the fast tier, same folds
    assert len(result.fold_si_f1) == 2 and result.si.n_gold > 0
    assert set(result.si_by_seed) == {13, 29} and result.encoder["seeds"] == [13, 29]
    assert len(list((tmp_path / "cache").glob("*.json"))) == 4  # one entry per fold and seed
    section = accurate_docs_section(result, "sourcetrace eval propaganda --model accurate")
    assert "**" + f"{result.si.f1:.3f}" + "**" in section and "seed 29 alone" in section
    json.dumps(result.to_dict())

    # a re-run re-scores from the cache: no fine-tuning, the same figures
    def no_fine_tuning(*_args, **_kwargs):
        raise AssertionError("fine-tuned although the cache holds this fold")

    monkeypatch.setattr(propaganda_transformer, "fold_tagger", no_fine_tuning)
    again = run()
    assert again.si_by_blend == result.si_by_blend and again.si_by_seed == result.si_by_seed

    # an entry that cannot be read is a miss: that fold and seed are fine-tuned again, the rest still come from the cache
    monkeypatch.undo()
    broken = sorted((tmp_path / "cache").glob("*.json"))[0]
    broken.write_text("{not json", encoding="utf-8")
    repaired = run()
    assert repaired.si_by_blend == result.si_by_blend
    assert json.loads(broken.read_text(encoding="utf-8"))


def test_technique_heads_get_each_techniques_spans():
    """With technique heads the fragment head still learns the merged fragments; each technique head
    learns that technique's own spans, and an unknown head count is refused."""
    from sourcetrace.extractors.propaganda import TECHNIQUES
    from sourcetrace.corpora.ptc import GoldSpan, PtcArticle
    from sourcetrace.training import propaganda_transformer as pt
    from sourcetrace.training.token_tagger import FineTuneConfig

    plain = FineTuneConfig()
    heads = pt.with_technique_heads(plain, weight=0.7)
    assert pt.head_types(plain) == ("fragment",)
    assert pt.head_types(heads) == ("fragment",) + TECHNIQUES
    assert heads.type_weights[0] == 1.0 and sum(heads.type_weights[1:]) == pytest.approx(0.7)
    assert "type_weights" not in plain.as_dict()  # recipes from before the option keep their cache keys
    assert pt.recipe(technique_heads=0.7).type_weights == heads.type_weights
    assert pt.recipe(technique_heads=0).type_weights is None
    article = PtcArticle("1", "x" * 40, [GoldSpan(0, 10, "Doubt"), GoldSpan(5, 20, "Loaded_Language"),
                                         GoldSpan(30, 35, "Doubt")])
    spans = pt.spans_per_head(article, pt.head_types(heads))
    assert spans[0] == [(0, 20), (30, 35)]
    assert spans[1 + TECHNIQUES.index("Doubt")] == [(0, 10), (30, 35)]
    assert spans[1 + TECHNIQUES.index("Loaded_Language")] == [(5, 20)]
    assert spans[1 + TECHNIQUES.index("Slogans")] == []
    assert pt.spans_per_head(article, pt.head_types(plain)) == [[(0, 20), (30, 35)]]
    with pytest.raises(ValueError, match="type_weights"):
        pt.head_types(FineTuneConfig(type_weights=(1.0, 0.5)))


def test_weighted_tagging_loss_sums_each_types_mean():
    torch = pytest.importorskip("torch", reason="fine-tuning needs the train extra (pip install -e '.[train]')")
    from sourcetrace.training.token_tagger import IGNORE, tagging_loss

    gen = torch.Generator().manual_seed(0)
    logits = torch.randn((2, 5, 3, 3), generator=gen)
    labels = torch.randint(0, 3, (2, 5, 3), generator=gen)
    labels[0, 0] = IGNORE
    ce = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    per_type = [ce(logits[:, :, k].reshape(-1, 3), labels[:, :, k].reshape(-1)) for k in range(3)]
    weighted = tagging_loss((1.0, 0.25, 0.0), 3)(logits, labels)
    assert float(weighted) == pytest.approx(float(per_type[0] + 0.25 * per_type[1]), rel=1e-6)
    pooled = tagging_loss(None, 3)(logits, labels)
    assert float(pooled) == pytest.approx(float(ce(logits.reshape(-1, 3), labels.reshape(-1))), rel=1e-6)
    with pytest.raises(ValueError, match="2 weights for 3 span types"):
        tagging_loss((1.0, 0.5), 3)


def test_an_ensemble_averages_its_members(tmp_path):
    """A model folder listing several ONNX members gives the mean of their word probabilities."""
    from sourcetrace.nlp import load_pipeline
    from sourcetrace.extractors.propaganda.features import DocFeatures
    from sourcetrace.lexicons import english

    source = accurate.model_dir()
    meta = json.loads((source / "metadata.json").read_text(encoding="utf-8"))
    for name in ("tokenizer.json", meta["onnx_file"]):
        (tmp_path / name).symlink_to(source / name)
    twice = {**meta, "members": [{"seed": s, "onnx_file": meta["onnx_file"]} for s in (1, 2)]}
    (tmp_path / "metadata.json").write_text(json.dumps(twice), encoding="utf-8")
    feats = DocFeatures.of(load_pipeline()("The corrupt elites waged a shameful war on workers."), english())
    single = accurate.FragmentTagger(source)
    ensemble = accurate.FragmentTagger(tmp_path)
    assert len(ensemble.members) == 2
    assert ensemble.inside_probability(feats) == pytest.approx(single.inside_probability(feats), abs=1e-6)
    assert accurate.mean_probabilities([[0.2, 0.4], [0.6, 0.0]]) == pytest.approx([0.4, 0.2])


def test_a_new_blend_is_recorded_without_retraining(tmp_path):
    import shutil

    from sourcetrace.training.propaganda_transformer import set_blend

    shutil.copy(accurate.model_dir() / "metadata.json", tmp_path / "metadata.json")
    blend = accurate.Blend(0.5, 0.2, 0.4, rules=True)
    set_blend(tmp_path, blend)
    meta = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    assert accurate.Blend(**meta["blend"]) == blend


def test_cache_that_is_a_file_is_one_line(tmp_path):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "propaganda", "--gold", ".", "--cache", str(not_a_folder)])
    assert result.exit_code == 2 and "--cache" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("seeds", ["13,x", "13,13", ","])
def test_bad_seeds_are_one_line(seeds):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    result = CliRunner().invoke(app, ["eval", "propaganda", "--gold", ".", "--seeds", seeds])
    assert result.exit_code == 2 and "--seeds" in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["eval", "propaganda", "--gold", "."], ["train", "propaganda", "--data", "."]])
def test_negative_technique_heads_weight_is_a_usage_error(command):
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    result = CliRunner().invoke(app, [*command, "--technique-heads", "-1"])
    assert result.exit_code == 2 and "--technique-heads" in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("argv", [
    ["train", "propaganda", "--model", "accurate", "--data", "."],
    ["eval", "propaganda", "--model", "accurate", "--gold", "."],
    ["train", "attributions", "--model", "accurate", "--data", "."],
    # --tier: the train commands' old spelling of --model, still accepted
    ["train", "propaganda", "--tier", "accurate", "--data", "."],
    ["train", "attributions", "--tier", "accurate", "--data", "."],
])
def test_fine_tuning_without_the_train_extra_is_one_line(argv, monkeypatch):
    """Without torch & co. the fine-tuning commands say what to install, in one line, before reading any input."""
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app
    from sourcetrace.training import token_tagger

    monkeypatch.setattr(token_tagger, "TRAIN_MODULES", ("torch", "sourcetrace_no_such_module"))
    _load_commands()
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "sourcetrace_no_such_module" in lines[0], lines
    assert "pip install -e '.[train]'" in lines[0] and "Traceback" not in result.output


@pytest.mark.parametrize("argv", [["train", "propaganda", "--data", "."], ["eval", "propaganda", "--gold", "."]])
def test_fitting_the_fast_tier_without_scikit_learn_is_one_line(argv, monkeypatch):
    """scikit-learn is in the train extra only: without it, fitting says what to install, in one line."""
    from typer.testing import CliRunner

    from sourcetrace.cli import _load_commands, app

    _load_commands()
    from sourcetrace.cli import propaganda

    monkeypatch.setattr(propaganda, "CRF_TRAIN_MODULES", ("sklearn", "sourcetrace_no_such_module"))
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "sourcetrace_no_such_module" in lines[0], lines
    assert "pip install -e '.[train]'" in lines[0] and "Traceback" not in result.output
