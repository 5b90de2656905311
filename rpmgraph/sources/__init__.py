"""Inputs: each kind of source loads packages into a libsolv pool and nothing else."""
