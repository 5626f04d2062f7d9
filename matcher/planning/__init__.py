"""Capacity planning: where to open places for low-incidence needs (``sites``), and facility location (``facility``)."""
