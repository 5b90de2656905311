"""The CI gate: sizes in words, budgets, baselines, diffs, and their reports."""
