"""JSON as every store and client takes it: NaN and infinities become null (JSON has neither, and PostgreSQL's
``json`` type refuses them), numpy scalars plain numbers. Applied where results leave the engine."""

import math

import numpy as np


def json_safe(value: object) -> object:
    """The value with every non-finite number made null and numpy scalars made Python numbers, at any depth."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value
