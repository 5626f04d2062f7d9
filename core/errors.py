"""The one error type for bad input, shared by every layer above."""


class PlacewiseError(ValueError):
    """Bad input: the message names the offending file, row, column or field and says how to fix it."""
