"""Transparency: the ATRS record, a DPIA starter, and fairness monitoring of a run's outcomes."""
