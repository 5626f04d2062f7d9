"""What every criterion reads: an evaluation and the pairs it scores (``Scoring``), and the 0..1 bound scores share."""

from dataclasses import dataclass

import numpy as np

from matcher.pair_arrays import Evaluation


@dataclass(frozen=True, eq=False)
class Scoring:
    """What every criterion sees: an evaluation, whose pairs it scores (``pairs``: positions in its arrays)."""

    evaluation: Evaluation

    def p(self, values: np.ndarray, pairs: np.ndarray) -> np.ndarray:
        """A provider attribute of the index, for the given pairs."""
        return values[self.evaluation.provider[pairs]]

    def c(self, values: np.ndarray, pairs: np.ndarray) -> np.ndarray:
        """A child attribute, for the given pairs."""
        return values[self.evaluation.child[pairs]]


def unit(score: np.ndarray) -> np.ndarray:
    """Scores held within 0..1 (as ``np.clip``, for less)."""
    return np.minimum(np.maximum(score, 0.0), 1.0)
