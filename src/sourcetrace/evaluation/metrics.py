"""Precision, recall and F1 shared by every scorer (attributions, propaganda, stories)."""
from __future__ import annotations

from dataclasses import dataclass


def f1(precision: float, recall: float) -> float:
    """Harmonic mean; 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class PRF:
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    n_pred: int = 0
    n_gold: int = 0

    @classmethod
    def of(cls, precision_sum: float, n_pred: int, recall_sum: float, n_gold: int) -> "PRF":
        """From summed (possibly partial) credit: ``precision_sum`` over ``n_pred`` predictions,
        ``recall_sum`` over ``n_gold`` gold items."""
        p = precision_sum / n_pred if n_pred else 0.0
        r = recall_sum / n_gold if n_gold else 0.0
        return cls(p, r, f1(p, r), n_pred, n_gold)
