"""Propaganda techniques (SemEval-2020 Task 11): span identification and technique classification on CPU.

The run time of the task: ``features`` turns a spaCy ``Doc`` into token and span features,
``model`` holds the shipped fast tier (a CRF span tagger and a linear technique classifier),
``accurate`` the fine-tuned fragment tagger, ``loaded_language`` the extractor that fills the report.
The PTC reader is ``corpora/ptc.py``, the trainers ``training/propaganda_crf.py`` and
``training/propaganda_transformer.py``, the scorer ``evaluation/propaganda.py``.
"""
from __future__ import annotations

TECHNIQUES = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Doubt",
    "Exaggeration,Minimisation",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Appeal_to_Authority",
    "Slogans",
    "Whataboutism,Straw_Men,Red_Herring",
    "Black-and-White_Fallacy",
    "Thought-terminating_Cliches",
    "Bandwagon,Reductio_ad_hitlerum",
)

MODEL_NAME = "propaganda-fast"
