"""Cohort allocation: the candidate table, capacities, the flow, budget and MIP solvers, the result and its checker."""
