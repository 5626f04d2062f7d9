"""JSON as every store and client takes it: NaN and infinities become null (JSON has neither, and PostgreSQL's
``json`` type refuses them), numpy scalars plain numbers, and every figure at the output contract's precision
(``matcher.precision``). Applied where results leave the engine."""

import math

import numpy as np

from matcher.precision import round_record


def json_safe(value: object) -> object:
    """The value with every non-finite number made null, numpy scalars made Python numbers and figures rounded by
    their names, at any depth."""
    return round_record(_finite(value))


def _finite(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
