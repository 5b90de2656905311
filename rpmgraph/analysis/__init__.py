"""Analyses and transforms: each takes a DepGraph and returns a new graph or a result."""
