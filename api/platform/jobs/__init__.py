"""Scenario jobs: the leased queue in the store (``queue``), the worker, and each job's own process (``runner``)."""
