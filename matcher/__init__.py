"""The engine on plain tables: hard rules, criteria, candidates, explained shortlists, cohort allocation and planning.

Nothing here reads files, the network or the environment; modules are imported by name (this package imports
nothing, so that loading one module never loads the rest).
"""
