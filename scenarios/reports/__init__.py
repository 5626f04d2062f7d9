"""Readable outputs of runs, forecasts, plans and sweeps: HTML reports, charts and maps."""
