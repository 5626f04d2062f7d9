"""What-if work composed from geodata and matcher: inputs, scenario files, runs, KPIs, forecasts, plans, sweeps."""
