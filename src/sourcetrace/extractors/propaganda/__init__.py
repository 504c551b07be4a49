"""Propaganda techniques (SemEval-2020 Task 11): span identification and technique classification on CPU.

``corpus`` reads the PTC release, ``features`` turns a spaCy ``Doc`` into token
and span features, ``model`` holds the shipped fast tier (a CRF span tagger and a
linear technique classifier), ``train`` fits it with a fixed seed.
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
